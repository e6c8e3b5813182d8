"""Splitting responsibility lists into units with roles."""

import pytest

from documents.parsing import split_units
from documents.parsing.units import is_org_like, split_names


def pairs(text):
    return [(unit.name, unit.role) for unit in split_units(text)]


def test_it_splits_a_spreadsheet_cell_with_lead_and_responsible():
    assert pairs("市发改委牵头,市财政局、市工信局按职责分工负责") == [
        ("市发改委", "lead"), ("市财政局", "responsible"), ("市工信局", "responsible"),
    ]


@pytest.mark.parametrize("cell", ["", "无", "  ", "/", "—"])
def test_it_returns_nothing_for_empty_cells(cell):
    assert split_units(cell) == []


def test_it_reads_lead_and_supporting_markers_inside_a_label():
    assert pairs("责任单位:市数据局牵头,市财政局、高新区管委会等配合") == [
        ("市数据局", "lead"), ("市财政局", "supporting"), ("高新区管委会", "supporting"),
    ]


def test_it_reads_labelled_clauses():
    assert pairs("牵头单位:市民政局、市卫健委;责任单位:各县(市、区)政府,各开发区") == [
        ("市民政局", "lead"), ("市卫健委", "lead"),
        ("各县(市、区)政府", "responsible"), ("各开发区", "responsible"),
    ]


def test_it_gives_the_closing_responsible_marker_to_every_name_before_it():
    assert pairs("市科技局、市教育局等单位,各县、市、区政府及高新区管委会分工负责") == [
        ("市科技局", "responsible"), ("市教育局", "responsible"),
        ("各县、市、区政府", "responsible"), ("高新区管委会", "responsible"),
    ]


def test_it_reads_three_roles_in_one_annotation():
    assert pairs("市财政局牵头,市税务局按照职责分工负责,市商务局、市统计局等配合") == [
        ("市财政局", "lead"), ("市税务局", "responsible"),
        ("市商务局", "supporting"), ("市统计局", "supporting"),
    ]


def test_a_list_without_role_words_is_responsible():
    assert pairs("市文广旅局、市体育局") == [("市文广旅局", "responsible"), ("市体育局", "responsible")]


def test_it_reads_a_bracketed_lead_marker():
    assert pairs("市数据局(牵头)、市财政局") == [("市数据局", "lead"), ("市财政局", "responsible")]


def test_generic_labels_take_their_role_from_their_words():
    assert pairs("牵头责任单位:市发改委;协同责任单位:市财政局;数据提供单位:市统计局") == [
        ("市发改委", "lead"), ("市财政局", "supporting"), ("市统计局", "supporting"),
    ]


def test_collective_names_stay_whole():
    assert split_names("各县(市、区)政府,各开发区") == ["各县(市、区)政府", "各开发区"]
    assert split_names("各县、市、区政府") == ["各县、市、区政府"]


def test_a_shared_prefix_gives_two_units():
    assert split_names("各县(市、区)党委、政府") == ["各县(市、区)党委", "各县(市、区)政府"]
    assert split_names("各县(市、区)党委和政府") == ["各县(市、区)党委", "各县(市、区)政府"]


def test_an_alternate_name_in_brackets_is_kept_with_its_unit():
    assert split_names("市卫健委(市老龄办)、市编办〔市审改办〕") == ["市卫健委(市老龄办)", "市编办〔市审改办〕"]


def test_and_inside_a_name_does_not_split_it():
    assert split_names("市发展和改革委员会、市人力资源和社会保障局") == [
        "市发展和改革委员会", "市人力资源和社会保障局",
    ]
    assert split_names("市住房和城乡建设局及市自然资源和规划局") == ["市住房和城乡建设局", "市自然资源和规划局"]


def test_and_between_two_units_splits_them():
    assert split_names("市委宣传部和市文明办") == ["市委宣传部", "市文明办"]
    assert split_names("各县、市、区政府及园区管委会") == ["各县、市、区政府", "园区管委会"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("市工信局等", ["市工信局"]),
        ("市工信局等单位", ["市工信局"]),
        ("市工信局等部门", ["市工信局"]),
        ("市工信局按照职责分工负责", ["市工信局"]),
        ("市工信局按职责分工负责", ["市工信局"]),
        ("市工信局配合", ["市工信局"]),
        ("市工信局牵头", ["市工信局"]),
        ("由市工信局负责", ["市工信局"]),
    ],
)
def test_it_strips_trailing_role_words(text, expected):
    assert [unit.name for unit in split_units(text)] == expected


def test_duplicates_are_dropped_keeping_the_first_role():
    assert pairs("市数据局、市财政局、市数据局牵头") == [("市数据局", "lead"), ("市财政局", "lead")]
    assert pairs("市数据局牵头,市财政局、市数据局配合") == [("市数据局", "lead"), ("市财政局", "supporting")]


def test_remarks_in_a_list_are_not_units():
    names = [u.name for u in split_units("市发改委、市财政局按职责分工负责。具体任务涉及各县,不再分工,下同。")]
    assert "市发改委" in names and "市财政局" in names
    assert not any("下同" in name or "不再" in name for name in names)


def test_is_org_like_recognises_department_endings():
    assert is_org_like("市发改委") and is_org_like("赣州海关") and is_org_like("市编办〔市审改办〕")
    assert not is_org_like("市发展") and not is_org_like("加快建设")


def test_spreadsheet_cells_in_other_shapes():
    assert pairs("牵头:市发改委 配合:市财政局") == [("市发改委", "lead"), ("市财政局", "supporting")]
    assert pairs("市发改委\n市财政局") == [("市发改委", "responsible"), ("市财政局", "responsible")]
    assert pairs("市 发改委、市财政局") == [("市发改委", "responsible"), ("市财政局", "responsible")]


def test_collectives_with_a_qualifier_stay_whole():
    assert [u.name for u in split_units("市发改委、各有关区、县级市负责")] == ["市发改委", "各有关区、县级市"]
    assert [u.name for u in split_units("各相关县、市、区政府")] == ["各相关县、市、区政府"]


def test_x_etc_a_levels_collective_is_x_plus_the_collective():
    units = split_units("市发改委、市科技局等市级相关单位按职责分工负责")
    assert [(u.name, u.role) for u in units] == [
        ("市发改委", "responsible"), ("市科技局", "responsible"), ("市级相关单位", "responsible")]
    assert [u.name for u in split_units("市科技局等有关单位")] == ["市科技局"]


def test_a_time_limit_in_a_unit_list_is_not_a_unit():
    units = split_units("市住建局、各区政府按职责分工负责,2023年底前完成")
    assert [u.name for u in units] == ["市住建局", "各区政府"]


def test_provincial_collectives_stay_whole_and_end_where_the_next_unit_starts():
    cases = {
        "省发展改革委,各设区市、县(市、区)人民政府按职责分工负责": ["省发展改革委", "各设区市、县(市、区)人民政府"],
        "各市(州)、县(市、区)人民政府": ["各市(州)、县(市、区)人民政府"],
        "各盟市、旗县(市、区)人民政府": ["各盟市、旗县(市、区)人民政府"],
        "各乡镇(街道)、县直有关单位": ["各乡镇(街道)", "县直有关单位"],
        "各区、县级市、市直有关单位": ["各区、县级市", "市直有关单位"],
    }
    for text, names in cases.items():
        assert [u.name for u in split_units(text)] == names, text
