"""Property tests: never raise, find every measure of generated well-formed documents (and of their
Traditional-script copies), and turn random mixes of markers, labels and brackets into
consistent units."""

import opencc
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from documents.parsing import parse_document, split_units, to_corpus_dict
from documents.parsing.numerals import int_to_cn
from documents.parsing.script import to_simplified

CJK_AND_BRACKETS = st.text(
    alphabet=st.one_of(
        st.characters(min_codepoint=0x4E00, max_codepoint=0x4E80),
        st.sampled_from(list("一二三四五六七八九十、。,;:()（）〔〕【】[]《》“”\n 0123456789.年月日每季度牵头配合负责责任单位")),
        st.characters(),
    ),
    max_size=400,
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(CJK_AND_BRACKETS)
def test_parse_document_never_raises(text):
    document = parse_document(text)
    for measure in document.measures:
        assert measure.number
        for deadline in measure.deadlines:
            start, end = deadline.span
            assert 0 <= start <= end <= len(text)


@settings(max_examples=200, deadline=None)
@given(CJK_AND_BRACKETS)
def test_split_units_never_raises(text):
    for unit in split_units(text):
        assert unit.name and unit.role in ("lead", "responsible", "supporting")


UNITS = ["市发改委", "市工信局", "市财政局", "市数据局", "市民政局", "高新区管委会", "市商务局", "市卫健委"]
TOPICS = ["推进数字政府建设", "完善养老服务体系", "提升园区承载能力", "优化营商环境", "加强人才引进"]
FORMS = [
    "〔牵头单位:{lead};责任单位:{others}〕",
    "(责任单位:{lead}牵头,{others}等配合)",
    "({lead}牵头,{others}按职责分工负责)",
    "【牵头单位:{lead};配合单位:{others}】",
]

measure_strategy = st.tuples(
    st.lists(st.sampled_from(UNITS), min_size=1, max_size=2, unique=True),
    st.lists(st.sampled_from(UNITS), min_size=1, max_size=3, unique=True),
    st.sampled_from(TOPICS),
    st.sampled_from(FORMS),
    st.booleans(),
)


@st.composite
def documents(draw):
    sections = draw(st.lists(st.lists(measure_strategy, min_size=1, max_size=4), min_size=1, max_size=4))
    lines = ["临江市关于推进高质量发展的实施方案", "一、总体要求", "(一)指导思想", "坚持稳中求进。"]
    expected = []
    number = 0
    for index, section in enumerate(sections, start=1):
        lines.append(f"{int_to_cn(index + 1)}、重点任务{index}")
        lines.append(f"(一)第{index}方面工作")
        for leads, others, topic, form, own_line in section:
            others = [unit for unit in others if unit not in leads] or ["各县(市、区)政府"]
            number += 1
            annotation = form.format(lead="、".join(leads), others="、".join(others))
            body = f"{number}.{topic}。加快工作进度,2023年6月底前完成。"
            lines.extend([body, annotation] if own_line else [body + annotation])
            expected.append((str(number), set(leads)))
    lines.append("临江市人民政府")
    lines.append("2022年3月1日")
    return "\n".join(lines), expected


@settings(max_examples=100, deadline=None)
@given(documents())
def test_it_finds_every_measure_of_a_well_formed_document(generated):
    text, expected = generated
    document = parse_document(text)
    assert [(m.number, set(m.lead)) for m in document.measures] == expected
    assert all(m.deadlines and m.deadlines[0].date.isoformat() == "2023-06-30" for m in document.measures)


# --- random mixes of markers, labels and brackets ---------------------------------------

MARKERS = ["一、", "二、", "(一)", "(二)", "1.", "2.", "3.", "11.121", "3.5G", "①", "第一条", "12、", "(1)"]
LABELS = ["牵头单位:", "责任单位:", "配合单位:", "支撑单位:", "协办单位:", "主办单位:", "推进单位:", "参与单位:",
          "【牵头单位】", "牽頭單位:", "責任單位:", "完成时限:"]
ROLE_WORDS = ["牵头", "配合", "负责", "按职责分工负责", "分别负责", "结合实际落实", "抓好落实", "等", "等市级相关单位"]
PIECES = st.sampled_from(
    MARKERS + LABELS + ROLE_WORDS + UNITS
    + ["各县(市、区)政府", "各有关区、县级市", "省科技厅", "工业和信息化厅", "市發改委"]
    + list("()〔〕【】[]、,;。:\n") + ["2023年底前", "每季度", "自2021年起3年内", "2021年度", "15个工作日", "推进工作"]
)
_TRAILING_ROLE = ("牵头", "配合", "负责", "落实")


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(PIECES, max_size=120).map("".join))
def test_random_mixes_parse_into_consistent_units(text):
    document = parse_document(text)
    numbers = [measure.number for measure in document.measures]
    assert len(numbers) == len(set(numbers))
    for measure in document.measures:
        names = [unit.name for unit in measure.units]
        assert len(names) == len(set(names)), names
        for unit in measure.units:
            assert unit.role in ("lead", "responsible", "supporting")
            assert unit.name.strip() and len(unit.name) <= 40
            assert not unit.name.endswith(_TRAILING_ROLE), unit.name
            assert unit.name[0] not in "、,;:" and unit.name[-1] not in "、,;:"
            start, end = unit.span
            assert 0 <= start <= end <= len(text)
        corpus = to_corpus_dict(document)["measures"][numbers.index(measure.number)]
        for role in ("lead", "responsible", "supporting"):
            assert corpus[role] == [unit.name for unit in measure.units if unit.role == role]


@settings(max_examples=200, deadline=None)
@given(st.lists(PIECES, max_size=60).map("".join))
def test_split_units_of_random_cells_gives_clean_names(text):
    for unit in split_units(text):
        assert unit.name.strip() and not unit.name.endswith(_TRAILING_ROLE), unit.name


@settings(max_examples=40, deadline=None)
@given(documents())
def test_a_traditional_script_copy_parses_like_the_original(generated):
    text, expected = generated
    mirror = parse_document(opencc.OpenCC("s2t").convert(text))
    assert [(m.number, {to_simplified(name) for name in m.lead}) for m in mirror.measures] == expected
    assert all(m.deadlines and m.deadlines[0].date.isoformat() == "2023-06-30" for m in mirror.measures)
