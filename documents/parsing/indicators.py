"""Quantitative targets (营业收入超5000亿元, 首位产业集聚度达到65%) as indicator candidates."""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from documents.parsing.dates import compact
from documents.parsing.results import KIND_DATE, Deadline, IndicatorCandidate

_NUM = r"\d+(?:\.\d+)?"
# A unit is an optional magnitude (万 / 亿 ...) and a counted thing, a duration (15个工作日,
# never a count of 个), or a share / ratio.
_UNIT = (
    r"(?:万亿|亿|千万|百万|万|千)?(?:美元|元|平方公里|平方米|公里|万亩|亩|吨|千瓦|兆瓦|人次|人|户|家|个工作日|工作日|个小时|小时|分钟|个月|天|个|项|条|件|"
    r"台|套|张|辆|床|间|所|座|名|位|次|场|批|类|种|册|份|部)|个百分点|%|‰|倍|万亿|亿|万"
)
_PREFIX = (
    r"不低于|不少于|不超过|不高于|不大于|不小于|力争达到|超过|超|达到|达|突破|提高到|提高至|提升到|提升至|"
    r"增长到|增长至|增加到|增加至|控制在|保持在|稳定在|低于|高于|压缩至|压缩到|缩短至|缩短到|减少到|减少至"
)
_INDICATOR_RE = re.compile(
    rf"(?P<cmp>{_PREFIX})(?P<v>{_NUM})(?:[-—~至到](?P<v2>{_NUM}))?(?P<unit>{_UNIT})(?P<post>以上|以内|以下|左右)?"
    rf"|(?<![\d.])(?P<pv>{_NUM})(?:[-—~至到](?P<pv2>{_NUM}))?(?P<punit>{_UNIT})(?P<ppost>以上|以内|以下|内(?![容部外]))"
    rf"|(?P<double>翻一番|翻两番|翻番)"
)
_COMPARATOR_CODES = {
    "超过": "gt", "超": "gt", "突破": "gt", "高于": "gt",
    "不低于": "gte", "不少于": "gte", "不小于": "gte", "以上": "gte", "提高到": "gte", "提高至": "gte",
    "提升到": "gte", "提升至": "gte", "增长到": "gte", "增长至": "gte", "增加到": "gte", "增加至": "gte",
    "翻番": "gte", "翻一番": "gte", "翻两番": "gte", "力争达到": "gte",
    "达到": "eq", "达": "eq", "左右": "eq", "保持在": "eq", "稳定在": "eq",
    "不超过": "lte", "不高于": "lte", "不大于": "lte", "控制在": "lte", "以内": "lte", "以下": "lte",
    "内": "lte", "压缩至": "lte", "压缩到": "lte", "缩短至": "lte", "缩短到": "lte", "减少到": "lte", "减少至": "lte",
    "低于": "lt",
}
_BOUNDARY = re.compile(r"[,,。;;::、()“”\"《》\n!?]")
_LEAD_FILLER = re.compile(
    r"^(?:(?:到|至|在|于)?(?:19|20)\d{2}年(?:\d{1,2}月)?(?:底|末)?(?:前|以后|之后)?|"
    r"\d{1,2}月(?:\d{1,2}日)?(?:底|末)?(?:前|之前)?|年底前?|年内|以后|之后|上半年|下半年|"
    r"[一二三四五两]年(?:内|时间)?|每年|每季度|每月|每周|力争|争取|确保|实现|努力|推动|促进|使|让|将|把|"
    r"其中|全年|年均|其|并|且|要|新增|累计|全市|全省|全区|全县)+"
)
_TRAIL_FILLER = re.compile(
    r"(?:(?:19|20)\d{2}年(?:底|末)?(?:前|以后)?|平均|分别|均|要|将|实现|力争|确保|累计|在|于)$"
)
_MAX_NAME = 24


def _decimal(text: str | None) -> Decimal | None:
    if not text:
        return None
    try:
        return Decimal(text)
    except InvalidOperation:
        return None


_INNER_VERB = re.compile(r"实现|力争|确保|推动|促进|力求|努力|再")


def _after_last_verb(name: str) -> str:
    """'开发区实现营业收入' -> '营业收入'; '营业收入实现' -> '营业收入'; '三年再' -> ''."""
    verbs = list(_INNER_VERB.finditer(name))
    if not verbs:
        return name
    after = name[verbs[-1].end():]
    return after or name[:verbs[-1].start()]


def _name_before(text: str, position: int) -> str:
    """The indicator's name: the clause before the comparator, without time words and verbs."""
    window = text[max(0, position - 60):position]
    parts = _BOUNDARY.split(window)
    name = parts[-1] if parts else ""
    name = _after_last_verb(name)
    previous = None
    while previous != name:
        previous = name
        name = _LEAD_FILLER.sub("", name)
        name = _TRAIL_FILLER.sub("", name)
    return name[-_MAX_NAME:]


def _name_after(text: str, position: int) -> str:
    window = text[position:position + 30]
    return _BOUNDARY.split(window)[0][:_MAX_NAME]


def _due(deadlines: list[Deadline], start: int, sentence: tuple[int, int]) -> Deadline | None:
    """The dated phrase governing a target: nearest before it in its sentence, else after."""
    dated = [(d.span[0], d) for d in deadlines if d.kind == KIND_DATE and d.date is not None and d.span is not None]
    inside = [(begins, d) for begins, d in dated if sentence[0] <= begins < sentence[1]]
    before = [d for begins, d in inside if begins < start]
    if before:
        return before[-1]
    after = [d for begins, d in inside if begins >= start]
    return after[0] if after else None


def _sentence_bounds(text: str, position: int) -> tuple[int, int]:
    start = max(text.rfind(ch, 0, position) for ch in "。;\n") + 1
    ends = [index for index in (text.find(ch, position) for ch in "。;\n") if index >= 0]
    return start, min(ends) if ends else len(text)


def _parts(match: re.Match, text: str) -> tuple[str, Decimal | None, Decimal | None, str, str]:
    """(comparator, value, value_max, unit, name) of one match on the squeezed text."""
    if match.group("double"):
        name = _name_before(text, match.start()).removesuffix("实现")
        return match.group("double"), None, None, "", name
    if match.group("cmp"):
        post = match.group("post")
        comparator = post if post in ("以上", "以内", "以下") else match.group("cmp")
        value, value_max = _decimal(match.group("v")), _decimal(match.group("v2"))
        return comparator, value, value_max, match.group("unit"), _name_before(text, match.start())
    value, value_max = _decimal(match.group("pv")), _decimal(match.group("pv2"))
    name = _name_before(text, match.start()) or _name_after(text, match.end())
    return match.group("ppost"), value, value_max, match.group("punit"), name


def extract_indicators(
    text: str, deadlines: list[Deadline] | None = None, offset: int = 0
) -> list[IndicatorCandidate]:
    """Indicator candidates of ``text``.

    ``deadlines`` (spans shifted by the same ``offset``) give each target its due date: the
    nearest dated phrase before it in its sentence, else the first after it.
    """
    squeezed, index_map = compact(text or "")
    found: list[IndicatorCandidate] = []
    for match in _INDICATOR_RE.finditer(squeezed):
        start, end = index_map[match.start()], index_map[match.end() - 1] + 1
        comparator, value, value_max, unit, name = _parts(match, squeezed)
        sentence = _sentence_bounds(text, start)
        due = _due(deadlines or [], start + offset, (sentence[0] + offset, sentence[1] + offset))
        found.append(IndicatorCandidate(
            name=name,
            comparator=comparator,
            comparator_code=_COMPARATOR_CODES.get(comparator, "gte"),
            value=value,
            unit=unit,
            value_max=value_max,
            due=due.date if due else None,
            due_phrase=due.phrase if due else None,
            phrase=text[start:end],
            span=(start + offset, end + offset),
        ))
    return found
