"""parse_document end to end on the fixture documents, and to_corpus_dict."""

import datetime
import json

import pytest

from documents.parsing import parse_document, to_corpus_dict


def test_it_parses_the_digital_government_plan(fixture_text):
    document = parse_document(fixture_text("digital_government_plan.txt"), source="plan.txt")
    assert [m.number for m in document.measures] == ["1", "2", "3", "4", "5", "6", "7"]
    first, second, third, fourth, fifth, sixth, seventh = document.measures
    assert first.path == ["二、重点任务", "(一)夯实数字基础设施"]
    assert (first.lead, first.responsible) == (["市数据局"], ["市财政局", "市工信局", "各县(市、区)人民政府"])
    assert [(d.phrase, d.date) for d in first.deadlines] == [
        ("2021年9月底前", datetime.date(2021, 9, 30)), ("年底前", datetime.date(2021, 12, 31)),
    ]
    assert second.lead == ["市数据局", "市委网信办"]
    assert (third.lead, third.supporting) == (["市数据局"], ["市发展和改革委员会", "市统计局"])
    assert [d.recurring for d in third.deadlines] == ["quarterly"]
    assert [(d.phrase, d.date, d.recurring) for d in fourth.deadlines] == [
        ("2021年底前", datetime.date(2021, 12, 31), None), ("2022年以后", None, None), ("每年", None, "yearly"),
    ]
    assert (fourth.lead, fourth.responsible) == (["市数据局"], ["市市场监管局", "市交通运输局"])
    # The plan period (2021—2023) dates the yearless phrases; 持续推进 flags the measure.
    assert [(d.phrase, d.date) for d in fifth.deadlines] == [
        ("上半年", datetime.date(2021, 6, 30)), ("第三季度", datetime.date(2021, 9, 30)),
    ]
    assert fifth.ongoing and fifth.supporting == ["市数据局", "市司法局"]
    assert sixth.responsible == ["市政务服务管理办", "市行政审批局"]
    assert (seventh.units, seventh.deadlines) == ([], [])


def test_it_parses_the_elderly_care_opinions(fixture_text):
    document = parse_document(fixture_text("elderly_care_opinions.txt"))
    assert [m.number for m in document.measures] == ["一.(一)", "一.(二)", "二.(一)", "二.(二)"]
    first, second, third, fourth = document.measures
    assert first.responsible == ["市民政局", "市自然资源和规划局", "市住房和城乡建设局", "各县、市、区政府", "青溪高新区管委会"]
    assert [d.phrase for d in first.deadlines] == ["2021年底前"]  # 在2020年的基础上 is history
    assert second.responsible == ["市卫健委(市老龄办)", "市民政局", "市医保局", "各县(市、区)党委", "各县(市、区)政府"]
    assert third.responsible == ["市人社局", "市民政局", "市财政局"]
    assert [d.recurring for d in third.deadlines] == ["yearly"]  # 连续3年 is not a deadline
    assert (fourth.lead, fourth.responsible) == (["市民政局"], ["市消防救援支队", "市市场监管局"])
    assert [d.recurring for d in fourth.deadlines] == ["bimonthly"]  # 2018年以来 is history


def test_it_parses_the_park_work_points(fixture_text):
    document = parse_document(fixture_text("park_work_points.txt"))
    numbers = [m.number for m in document.measures]
    assert numbers == ["一.1", "一.2", "二.1", "二.2", "三.1"]
    first = document.measures[0]
    assert (first.lead, first.supporting) == (["园区招商局"], ["区商务局", "区发改委"])
    # The year of the title (2022年工作要点) dates 一季度 and 5月20日前.
    assert [(d.phrase, d.date) for d in first.deadlines] == [
        ("一季度", datetime.date(2022, 3, 31)), ("5月20日前", datetime.date(2022, 5, 20)),
    ]
    infrastructure = document.measures[2]
    assert (infrastructure.lead, infrastructure.supporting) == (["区住建局"], ["区城管局", "区生态环境分局"])
    assert [d.phrase for d in infrastructure.deadlines] == ["年内", "下半年"]
    assert document.measures[3].responsible == ["园区党政办", "区行政审批局"]
    assert [d.recurring for d in document.measures[4].deadlines] == ["monthly"]


def test_deadline_spans_point_into_the_original_text(fixture_text):
    text = fixture_text("digital_government_plan.txt")
    document = parse_document(text)
    for measure in document.measures:
        for deadline in measure.deadlines:
            start, end = deadline.span
            assert text[start:end] == deadline.phrase
        start, end = measure.title_span
        assert text[start:end].replace("．", ".") == measure.title


def test_to_corpus_dict_has_exactly_the_corpus_schema(fixture_text):
    document = parse_document(fixture_text("digital_government_plan.txt"), source="plan.txt")
    data = to_corpus_dict(document)
    assert list(data) == ["source", "title", "doc_number", "issuer", "issued_date", "measures"]
    assert data["source"] == "plan.txt"
    assert data["issued_date"] == "2021-04-06"
    measure = data["measures"][0]
    assert list(measure) == ["number", "path", "title", "lead", "responsible", "supporting", "deadlines", "truncated"]
    assert measure["deadlines"][0] == {"phrase": "2021年9月底前", "date": "2021-09-30", "recurring": None}
    json.dumps(data, ensure_ascii=False)  # serialisable as is


@pytest.mark.parametrize("junk", ["", " ", "\n\n", "(((", "〔责任单位:", "一、", "1.", "①②③", "\x00\x01", "年月日" * 50])
def test_it_never_raises_on_junk(junk):
    document = parse_document(junk)
    assert document.measures == [] or all(m.number for m in document.measures)


def test_a_document_cut_off_mid_measure_marks_the_last_measure_truncated():
    text = "一、重点任务\n1.建设平台。整合资源。〔责任单位:市数据局〕\n2.完善网络。推进电子政务外网向乡镇"
    document = parse_document(text)
    assert [m.truncated for m in document.measures] == [False, True]
