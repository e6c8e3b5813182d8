"""The department score: its weights (settings), the rates and the score, and the texts that
explain the formula and the score on the page."""


from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.utils.translation import gettext_lazy

from policytrack.env import envint

# --- settings: the score's weights -------------------------------------------------------------


@dataclass(frozen=True)
class ScoreWeights:
    on_time_closure: int
    on_time_reports: int


def score_weights() -> ScoreWeights:
    """Settings SCORE_WEIGHT_ON_TIME_CLOSURE / SCORE_WEIGHT_ON_TIME_REPORTS, else the environment
    variables of the same names (envint), else 60 and 40."""

    def read(name: str, default: int) -> int:
        value = getattr(settings, name, None)
        weight = envint(name, default) if value is None else int(value)
        if weight < 0:
            raise ValueError(f"{name} must not be negative")
        return weight

    return ScoreWeights(read("SCORE_WEIGHT_ON_TIME_CLOSURE", 60), read("SCORE_WEIGHT_ON_TIME_REPORTS", 40))


def rate(part: int, whole: int) -> float | None:
    """part ÷ whole in percent, rounded half up to one decimal; None when there is nothing to measure."""
    if not whole:
        return None
    tenths, rest = divmod(1000 * part, whole)  # in integers: exact, and a dashboard asks for thousands
    return (tenths + (2 * rest >= whole)) / 10


def score(closure: tuple[int, int], reports: tuple[int, int], weights: ScoreWeights) -> float | None:
    """The department score from (on time, assessed) pairs; see the module docstring."""
    parts = [(weights.on_time_closure, closure), (weights.on_time_reports, reports)]
    used = [(weight, part, whole) for weight, (part, whole) in parts if whole and weight]
    if not used:
        return None
    # Σ weight × part ÷ whole as one fraction of integers, so the rounding half up is exact.
    numerator, denominator = 0, 1
    for weight, part, whole in used:
        numerator, denominator = numerator * whole + weight * part * denominator, denominator * whole
    denominator *= sum(weight for weight, _part, _whole in used)
    tenths, rest = divmod(1000 * numerator, denominator)
    return (tenths + (2 * rest >= denominator)) / 10


# Its punctuation is left as the English catalogue knows it until the catalogue is regenerated.
FORMULA = gettext_lazy(
    "统计单位是任务分工(一个单位在一项措施中的分工)。每项分工只归入一种状态,按顺序取第一条符合的:"
    "已办结;逾期(未办结且生效时限——批准延期后的时限优先于措施时限——早于今天);推进中(已签收或已报送);待签收。"
    "状态按今天计算。“措施”为筛选范围内有分工的措施数。“{days}日内到期”为未办结且时限在今天至{days}天后之间的分工。"
    "报告率 = 已报送的报告 ÷ 应报告数:措施按其报告周期(未设置时按月)报告,报告期在所选期间内结束的为本期应报;"
    "分工在该报告期结束前已分配且当时未办结的才须报告;草稿不算报送。"
    "按时报告 = 在报告期结束后{grace}日内(含)提交。"
)

MEASURES_RULE = gettext_lazy(
    "“逾期措施”为至少有一项逾期分工的措施数；“分工”及其已办结、推进中、逾期、待签收、到期各数都按分工计。"
)

SCORE_RULE = gettext_lazy(
    "得分（0–100）只看按时完成的工作，不看登录、点击或上传材料的多少："
    "得分 = 100 ×（{wc} × 按时办结率 + {wr} × 按时报告率）÷（{wc} + {wr}）。"
    "按时办结率 = 在生效时限内办结的分工 ÷（已办结或已过时限的分工）；"
    "按时报告率 = 按时提交的报告 ÷（所选期间内已过报送期限的应报告数 + 尚未到期但已提前报送的报告数）。"
    "某项比率无可衡量的内容时不计入，按其余权重计算；两项都没有的单位不计分，排在最后。得分相同名次相同。"
    "两项权重由系统管理员设定。"
)


def formula_text() -> str:
    formula = str(FORMULA).format(days=settings.TRAFFIC_LIGHT_YELLOW_DAYS, grace=settings.REPORT_GRACE_DAYS)
    return f"{formula}{MEASURES_RULE}"


def score_rule_text() -> str:
    weights = score_weights()
    return str(SCORE_RULE).format(wc=weights.on_time_closure, wr=weights.on_time_reports)
