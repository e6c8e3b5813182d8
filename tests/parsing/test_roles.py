"""The role vocabulary: labels, column titles and trailing role words, in prose and in cells."""

import pytest

from documents.parsing import parse_document, split_units
from documents.parsing.roles import (
    LEAD_LABELS,
    RESPONSIBLE_LABELS,
    SUPPORTING_LABELS,
    header_role,
    label_role,
)


@pytest.mark.parametrize(("labels", "role"), [
    (LEAD_LABELS, "lead"), (RESPONSIBLE_LABELS, "responsible"), (SUPPORTING_LABELS, "supporting"),
])
def test_every_label_has_its_role_in_prose_and_as_a_column(labels, role):
    for label in labels:
        assert label_role(label) == role, label
        assert header_role(f" {label} ") == role, label
        units = split_units(f"{label}:市科技局、市财政局")
        assert [(u.name, u.role) for u in units] == [("市科技局", role), ("市财政局", role)], label


def test_headers_that_name_no_units_have_no_role():
    for header in ("任务内容", "序号", "完成时限", "", "   ", "备注"):
        assert header_role(header) is None


@pytest.mark.parametrize(("annotation", "expected"), [
    ("〔主办单位:市商务局;协办单位:市财政局、市税务局〕",
     {"市商务局": "lead", "市财政局": "supporting", "市税务局": "supporting"}),
    ("〔主责单位:市数据局;支撑单位:市通信发展办〕", {"市数据局": "lead", "市通信发展办": "supporting"}),
    ("〔推进单位:市住建局、市城管局〕", {"市住建局": "responsible", "市城管局": "responsible"}),
    ("(市民政局负责)", {"市民政局": "responsible"}),
    ("〔责任单位:市卫健委;参与单位:市医保局;协同单位:市药监局〕",
     {"市卫健委": "responsible", "市医保局": "supporting", "市药监局": "supporting"}),
])
def test_prose_annotations_take_their_roles_from_the_vocabulary(annotation, expected):
    text = f"一、重点任务\n1.推进一项工作。加快进度。{annotation}\n"
    (measure,) = parse_document(text).measures
    assert {unit.name: unit.role for unit in measure.units} == expected


@pytest.mark.parametrize("verb", ["结合实际落实", "抓好落实", "按职责落实", "分别负责", "负责落实"])
def test_a_trailing_verb_phrase_is_never_part_of_a_name(verb):
    units = split_units(f"市发改委、各区、县级市{verb}")
    assert [(u.name, u.role) for u in units] == [("市发改委", "responsible"), ("各区、县级市", "responsible")]
