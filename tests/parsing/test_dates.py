"""Time expressions: deadlines, recurrences, open periods, ongoing work, and non-deadlines."""

import datetime

import pytest

from documents.parsing import parse_time_text
from documents.parsing.dates import parse_date_line


def found(text, context_year=None, **kwargs):
    return [(d.phrase, d.date.isoformat() if d.date else None, d.recurring)
            for d in parse_time_text(text, context_year, **kwargs)]


@pytest.mark.parametrize(
    ("text", "phrase", "date"),
    [
        ("2026年12月", "2026年12月", "2026-12-31"),
        ("2026年6月底前", "2026年6月底前", "2026-06-30"),
        ("2024年2月底前完成", "2024年2月底前", "2024-02-29"),
        ("于2021年5月20日前报送", "2021年5月20日前", "2021-05-20"),
        ("力争2023年建成", "2023年", "2023-12-31"),
        ("争取2023年底前完成", "2023年底前", "2023-12-31"),
        ("到2025年,全面建成", "2025年", "2025-12-31"),
        ("2022年上半年完成", "2022年上半年", "2022-06-30"),
        ("2022年第三季度", "2022年第三季度", "2022-09-30"),
        ("2022年度", "2022年度", "2022-12-31"),
        ("2020 年 5 月 17 日前", "2020 年 5 月 17 日前", "2020-05-17"),
        ("提前至2021年完成", "2021年", "2021-12-31"),
        ("2021年9月中旬前", "2021年9月中旬前", "2021-09-20"),
    ],
)
def test_it_dates_explicit_phrases(text, phrase, date):
    assert found(text) == [(phrase, date, None)]


@pytest.mark.parametrize(
    ("text", "phrase", "date"),
    [
        ("7月底前", "7月底前", "2021-07-31"),
        ("5月20日前", "5月20日前", "2021-05-20"),
        ("年底前", "年底前", "2021-12-31"),
        ("上半年", "上半年", "2021-06-30"),
        ("下半年", "下半年", "2021-12-31"),
        ("第三季度", "第三季度", "2021-09-30"),
        ("一季度", "一季度", "2021-03-31"),
        ("明年底前", "明年底前", "2022-12-31"),
    ],
)
def test_it_takes_the_year_from_context(text, phrase, date):
    assert found(text, 2021) == [(phrase, date, None)]


def test_a_yearless_phrase_takes_the_year_of_an_earlier_phrase_in_its_sentence():
    text = "2023年3月10日前确定试点名单,6月底前形成方案。"
    assert found(text, 2021) == [("2023年3月10日前", "2023-03-10", None), ("6月底前", "2023-06-30", None)]


def test_a_yearless_phrase_without_any_year_has_no_date():
    assert found("9月底前完成") == [("9月底前", None, None)]


@pytest.mark.parametrize(
    ("text", "recurring"),
    [
        ("每周通报一次", "weekly"),
        ("每月调度", "monthly"),
        ("每两个月检查一次", "bimonthly"),
        ("每季度召开会议", "quarterly"),
        ("每年安排资金", "yearly"),
        ("建立季度调度机制", "quarterly"),
        ("按月报送进展", "monthly"),
        ("每年6月底前报送", "yearly"),
    ],
)
def test_it_finds_recurrences(text, recurring):
    assert [(d.date, d.recurring) for d in parse_time_text(text)] == [(None, recurring)]


def test_a_recurrence_is_listed_once():
    assert [d.recurring for d in parse_time_text("每年新增50家,每年培训100人,每年度考核")] == ["yearly"]


def test_an_open_ended_period_has_no_date():
    assert found("比例2022年不低于60%,2023年以后不低于80%") == [
        ("2022年", "2022-12-31", None), ("2023年以后", None, None),
    ]


def test_ongoing_phrases_are_flagged():
    results = parse_time_text("持续推进")
    assert [(d.phrase, d.kind) for d in results] == [("持续推进", "ongoing")]
    assert [d.kind for d in parse_time_text("长期")] == ["ongoing"]


@pytest.mark.parametrize(
    "text",
    [
        "在2019年的基础上进一步提高",
        "2018年以来全市累计投入",
        "截至2019年底全市共有",
        "按照《数字经济发展规划(2021—2025年)》要求",
        "实施中国制造2025战略",
        "对照《中国制造2025行动纲要》",
        "引进世界500强企业",
        "园区面积6.25平方公里",
        "可在5年内继续按原用途使用",
        "连续3年考核优秀",
        "面向21世纪的新平台",
        "依据临政发〔2017〕35号文件",
        "依据临政发【2018】4号",
        "纳入年度考核",
        "实行年终考评制",
        "定期开展检查",
        "尽快取得突破",
        "每个开发区至少开展一项试点",
    ],
)
def test_it_ignores_things_that_are_not_deadlines(text):
    assert found(text) == []


def test_years_before_the_minimum_are_history():
    assert found("2019年全市引进项目30个,2021年引进50个", min_year=2020) == [("2021年", "2021-12-31", None)]


def test_a_relative_period_counts_from_the_plan_start():
    text = "实施三年提升行动计划,三年实现园区产值翻番。"
    assert found(text, plan_start=2021) == [("三年", "2023-12-31", None)]


def test_spans_point_at_the_phrase_with_an_offset():
    text = "建设平台,2021年9月底前完成"
    (deadline,) = parse_time_text(text, offset=100)
    assert text[deadline.span[0] - 100:deadline.span[1] - 100] == "2021年9月底前"


def test_it_never_fails_on_empty_text():
    assert parse_time_text("") == []
    assert parse_time_text("   ") == []


@pytest.mark.parametrize(
    ("line", "date"),
    [
        ("2020年5月17日", datetime.date(2020, 5, 17)),
        ("  2020 年 5 月 17 日  ", datetime.date(2020, 5, 17)),
        ("二〇一八年二月七日", datetime.date(2018, 2, 7)),
        ("二〇二一年十二月三十一日", datetime.date(2021, 12, 31)),
        ("成文日期:2021年3月24日", datetime.date(2021, 3, 24)),
    ],
)
def test_it_reads_signature_date_lines(line, date):
    assert parse_date_line(line) == date


@pytest.mark.parametrize("line", ["2018-02-15", "信息时间:2019年03月15日", "2020年5月17日召开会议", "2021年2月30日"])
def test_other_lines_are_not_signature_dates(line):
    assert parse_date_line(line) is None


def test_a_relative_period_may_be_written_with_digits_after_a_verb():
    assert found("力争用3年时间,实现产值翻番。", plan_start=2022) == [("3年", "2024-12-31", None)]


@pytest.mark.parametrize("text", [
    "举办2025年“数据要素×”大赛,评选优秀案例",
    "承办2024年全省职业技能大赛",
    "排放限值不高于2017年标准",
    "按2020年价格计算",
    "减半征收2021年度城镇土地使用税",
    "自2021年5月1日起施行",
])
def test_years_that_are_not_deadlines(text):
    assert [d for d in parse_time_text(text, 2021) if d.date is not None] == []


@pytest.mark.parametrize(("text", "phrase", "date"), [
    ("2021年5月1日起至2022年4月30日止", "2022年4月30日止", "2022-04-30"),
    ("自2012年起5年内免征", "自2012年起5年内", "2016-12-31"),
    ("自2021年5月1日起三年内有效", "自2021年5月1日起三年内", "2024-04-30"),
    ("2022年度内完成评估", "2022年度", "2022-12-31"),
    ("2025年举办技能大赛", "2025年", "2025-12-31"),
    ("2025年完成年度评选", "2025年", "2025-12-31"),
    ("到2025年标准化率达到90%", "2025年", "2025-12-31"),
])
def test_range_ends_and_relative_spans_are_deadlines(text, phrase, date):
    found = [(d.phrase, d.date.isoformat()) for d in parse_time_text(text, 2021) if d.date]
    assert found == [(phrase, date)]
