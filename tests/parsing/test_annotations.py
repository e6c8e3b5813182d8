"""Responsibility annotations in every form, found in running text."""

import pytest

from documents.parsing import parse_document
from documents.parsing.annotations import find_annotations


def units_of(text):
    (measure,) = parse_document("一、重点任务\n" + text).measures
    return measure.lead, measure.responsible, measure.supporting


@pytest.mark.parametrize(
    "annotation",
    [
        "〔责任单位:市数据局牵头,市财政局配合〕",
        "(责任单位:市数据局牵头,市财政局配合)",
        "（责任单位：市数据局牵头，市财政局配合）",
        "【责任单位:市数据局牵头,市财政局配合】",
        "[责任单位:市数据局牵头,市财政局配合]",
        "(市数据局牵头,市财政局配合)",
        "〔牵头单位:市数据局;配合单位:市财政局〕",
    ],
)
def test_it_reads_every_bracket_form(annotation):
    text = f"1.建设数据平台。整合政务数据资源。{annotation}\n"
    assert units_of(text) == (["市数据局"], [], ["市财政局"])


def test_it_reads_an_annotation_alone_on_the_next_line():
    text = "1.建设数据平台。整合政务数据资源。\n〔牵头单位:市数据局;责任单位:各县(市、区)政府,各开发区〕\n"
    assert units_of(text) == (["市数据局"], ["各县(市、区)政府", "各开发区"], [])


def test_it_reads_an_unbracketed_label_line():
    text = "1.建设数据平台。整合政务数据资源。\n责任单位:市数据局、市工信局\n"
    assert units_of(text) == ([], ["市数据局", "市工信局"], [])


def test_it_reads_a_bare_list_of_departments_at_the_end_of_a_paragraph():
    text = "1.建设数据平台。整合政务数据资源。(市数据局、高新区管委会)\n"
    assert units_of(text) == ([], ["市数据局", "高新区管委会"], [])


def test_units_come_only_from_the_annotation_not_from_the_body():
    text = "1.建设数据平台。由市财政局负责资金保障,商务部牵头推进合作。〔责任单位:市数据局〕\n"
    assert units_of(text) == ([], ["市数据局"], [])


def test_inline_asides_in_brackets_are_not_annotations():
    text = "推进园区(含孵化器)建设,划归市发改委(市振兴办)管理,完善“一区多园”(园区名录见附表)格局。"
    assert find_annotations(text) == []


def test_a_time_limit_inside_an_annotation_stays_a_deadline():
    text = "1.建设数据平台。整合资源。〔责任单位:市数据局;完成时限:2022年6月底前〕\n"
    (measure,) = parse_document("一、重点任务\n" + text).measures
    assert measure.responsible == ["市数据局"]
    assert [(d.phrase, d.date.isoformat()) for d in measure.deadlines] == [("2022年6月底前", "2022-06-30")]


def test_a_first_listed_lead_note_makes_the_first_unit_lead():
    text = (
        "1.增加投资。\n责任单位:市发改委、市财政局(列第一位的为牵头单位,下同)\n"
        "2.扩大消费。\n责任单位:市商务局、市文旅局\n"
        "3.稳定就业。\n责任单位:市人社局、市教育局分别牵头\n"
    )
    document = parse_document("一、主要任务\n" + text)
    assert [(m.lead, m.responsible) for m in document.measures] == [
        (["市发改委"], ["市财政局"]),
        (["市商务局"], ["市文旅局"]),
        (["市人社局", "市教育局"], []),
    ]


def test_annotation_spans_point_into_the_original_text():
    original = "一、重点任务\n1．建设平台。整合资源。（责任单位：市数据局）\n"
    (measure,) = parse_document(original).measures
    (span,) = measure.annotation_spans
    assert original[span[0]:span[1]] == "（责任单位：市数据局）"
    assert measure.units[0].span == span


def test_it_reads_labels_in_square_brackets_without_colons():
    text = "1.建设数据平台。整合资源。\n【牵头单位】市数据局 【配合单位】市财政局、市工信局\n"
    assert units_of(text) == (["市数据局"], [], ["市财政局", "市工信局"])


def test_a_person_named_as_lead_is_not_a_unit():
    text = "1.扩大投资。\n牵头市领导:张明\n牵头责任单位:市发改委。\n协同责任单位:市财政局等。\n"
    assert units_of(text) == (["市发改委"], [], ["市财政局"])
