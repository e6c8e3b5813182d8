"""Resolving unit names against a department directory."""

import pytest

from documents.parsing import DepartmentDirectory, DirectoryEntry
from documents.parsing.resolve import admin_level, admin_prefix, normalize_name


@pytest.fixture
def directory():
    return DepartmentDirectory([
        DirectoryEntry(1, "临江市发展和改革委员会", "市发改委", ("市发展改革委",)),
        DirectoryEntry(2, "临江市教育科技体育局", "市教科体局"),
        DirectoryEntry(3, "临江市数据管理局", "市数据局", ("市大数据局",)),
        DirectoryEntry(4, "临江市市场监督管理局", "市市场监管局"),
        DirectoryEntry(5, "各县(市、区)人民政府", None, ("各县区政府",), kind="group"),
        DirectoryEntry(6, "各开发区", None, (), kind="group"),
        DirectoryEntry(7, "市委机构编制委员会办公室", "市委编办", ("市编办",)),
    ])


def test_it_resolves_exact_names_and_short_names(directory):
    assert directory.resolve("市发改委").entry.id == 1
    assert directory.resolve("临江市数据管理局").method == "exact"


def test_it_resolves_aliases(directory):
    resolution = directory.resolve("市大数据局")
    assert (resolution.entry.id, resolution.method) == (3, "alias")


def test_it_resolves_normalised_forms(directory):
    resolution = directory.resolve("市发展改革委员会")
    assert (resolution.entry.id, resolution.method) == (1, "normalized")
    assert directory.resolve("市 数据局").entry.id == 3
    assert directory.resolve("市编办〔市审改办〕").entry.id == 7


def test_close_matches_are_suggested_but_never_applied(directory):
    resolution = directory.resolve("市数椐局")
    assert resolution.entry is None and not resolution.resolved
    assert resolution.suggestions[0].entry.id == 3
    assert 0 < resolution.suggestions[0].score < 100


def test_swapped_characters_are_not_merged(directory):
    resolution = directory.resolve("市科教体局")
    assert resolution.entry is None
    assert [s.entry.id for s in resolution.suggestions][:1] == [2]


def test_collective_names_resolve_to_group_entries(directory):
    for name in ("各县(市、区)政府", "各县、市、区政府", "各县(市、区)人民政府"):
        resolution = directory.resolve(name)
        assert resolution.entry.id == 5 and resolution.is_group
    assert directory.resolve("各开发区").is_group


def test_an_unknown_name_gives_no_entry(directory):
    resolution = directory.resolve("市气象局")
    assert resolution.entry is None
    assert directory.resolve("").entry is None


def test_an_ambiguous_short_form_is_left_to_a_person():
    directory = DepartmentDirectory([
        DirectoryEntry(1, "市发改委"), DirectoryEntry(2, "区发改委"),
    ])
    resolution = directory.resolve("发改委")
    assert resolution.entry is None
    assert {s.entry.id for s in resolution.suggestions} == {1, 2}


def test_the_prefix_of_a_word_is_never_stripped():
    directory = DepartmentDirectory([DirectoryEntry(1, "市场监管局")])
    assert directory.resolve("场监管局").entry is None


def test_normalize_name_folds_variants():
    assert normalize_name("市发展和改革委员会") == normalize_name("市发展改革委")
    assert normalize_name("各县(市、区)人民政府") == normalize_name("各县、市、区政府")
    assert normalize_name("市教科体局") != normalize_name("市科教体局")


@pytest.fixture
def two_levels():
    return DepartmentDirectory([
        DirectoryEntry(11, "江南省科学技术厅", "省科技厅"),
        DirectoryEntry(12, "江南省工业和信息化厅", "省工业和信息化厅", ("省工信厅",)),
        DirectoryEntry(21, "临川市科学技术局", "市科技局"),
        DirectoryEntry(22, "临川市工业和信息化局", "市工业和信息化局", ("市工信局",)),
    ])


def test_a_bare_name_takes_the_prefix_of_the_unit_before_it_and_says_so(two_levels):
    resolution = two_levels.resolve("工业和信息化厅", previous="省科技厅")
    assert (resolution.entry.id, resolution.method, resolution.via) == (12, "prefix", "省工业和信息化厅")
    assert two_levels.resolve("工业和信息化局", previous="市科技局").entry.id == 22
    # Without a previous unit, or one without a prefix, nothing is guessed.
    assert not two_levels.resolve("工业和信息化厅").resolved
    assert not two_levels.resolve("工业和信息化厅", previous="团委").resolved
    # A name that resolves as written keeps its own resolution.
    plain = two_levels.resolve("市工信局", previous="省科技厅")
    assert (plain.entry.id, plain.method, plain.via) == (22, "alias", None)


def test_suggestions_never_cross_an_administrative_level(two_levels):
    names = {s.entry.id for s in two_levels.resolve("省工业和信息化局").suggestions}
    assert 12 in names and 22 not in names
    names = {s.entry.id for s in two_levels.resolve("市科学技术厅").suggestions}
    assert 21 in names and 11 not in names
    assert {s.entry.id for s in two_levels.resolve("工业和信息局", min_score=60).suggestions} == {12, 22}


def test_administrative_prefixes_and_levels():
    cases = {
        "省科技厅": ("省", "province"), "自治区发展改革委": ("自治区", "province"),
        "新疆维吾尔自治区财政厅": ("新疆维吾尔自治区", "province"), "临川市科技局": ("临川市", "city"),
        "延边朝鲜族自治州民政局": ("延边朝鲜族自治州", "city"), "锡岭盟林草局": ("锡岭盟", "city"),
        "东湖区住建局": ("东湖区", "county"), "市民政局": ("市", "city"),
        "市场监管局": (None, None), "团市委": (None, None), "各县(市、区)政府": (None, None),
    }
    for name, (prefix, level) in cases.items():
        assert (admin_prefix(name), admin_level(name)) == (prefix, level), name
