"""Quantitative targets as indicator candidates."""

import datetime
from decimal import Decimal

from documents.parsing import parse_document, parse_time_text
from documents.parsing.indicators import extract_indicators


def candidates(text):
    return [(i.name, i.comparator, i.comparator_code, i.value, i.unit, i.due)
            for i in extract_indicators(text, parse_time_text(text))]


def test_it_reads_a_target_with_its_due_date():
    assert candidates("到2025年,全市数字经济营业收入超5000亿元。") == [
        ("数字经济营业收入", "超", "gt", Decimal("5000"), "亿元", datetime.date(2025, 12, 31)),
    ]


def test_it_reads_comparators_before_and_after_the_value():
    found = candidates("政务服务网上可办率不低于95%,培育专精特新企业20家以上。")
    assert found[0][:5] == ("政务服务网上可办率", "不低于", "gte", Decimal("95"), "%")
    assert found[1][1:5] == ("以上", "gte", Decimal("20"), "家")


def test_it_reads_doubling_and_ranges():
    found = extract_indicators("三年实现园区资产总额翻番,引进龙头企业2-3家以上。")
    assert (found[0].comparator, found[0].value) == ("翻番", None)
    assert "园区资产总额" in found[0].name
    assert (found[1].value, found[1].value_max, found[1].unit) == (Decimal("2"), Decimal("3"), "家")


def test_a_target_without_a_time_phrase_has_no_due_date():
    (indicator,) = extract_indicators("新增养老床位不少于300张。")
    assert (indicator.name, indicator.value, indicator.unit, indicator.due) == ("养老床位", Decimal("300"), "张", None)


def test_measures_carry_their_indicators_with_spans_into_the_original():
    text = "一、重点任务\n1.发展数字经济。到2023年,数字经济核心产业增加值达到500亿元。〔责任单位:市工信局〕\n"
    document = parse_document(text)
    (indicator,) = document.measures[0].indicators
    assert (indicator.comparator_code, indicator.value, indicator.due) == ("eq", Decimal("500"), datetime.date(2023, 12, 31))
    assert text[slice(*indicator.span)] == "达到500亿元"
    assert document.indicators == [indicator]


def test_target_sections_give_document_level_indicators(fixture_text):
    document = parse_document(fixture_text("digital_government_plan.txt"))
    targets = [i for i in document.indicators if i.found_in == "(二)主要目标"]
    assert [(i.name, i.comparator, i.value, i.unit, i.due) for i in targets] == [
        ("政务服务事项网上可办率", "达到", Decimal("100"), "%", datetime.date(2023, 12, 31)),
        ("数据共享交换量", "突破", Decimal("5"), "亿条", datetime.date(2023, 12, 31)),
    ]
    assert all(i.found_in == m.number for m in document.measures for i in m.indicators)
