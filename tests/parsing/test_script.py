"""Traditional-script mirrors: parsed through a Simplified view, reported as printed."""

from documents.parsing import DepartmentDirectory, DirectoryEntry, parse_document, split_units, to_corpus_dict
from documents.parsing.normalize import normalize
from documents.parsing.script import is_traditional, printed_map, to_printed, to_simplified

MIRROR = """臨江市人民政府辦公室關於印發臨江市數字經濟發展行動計劃的通知
臨府辦發〔2021〕54號
各縣（市、區）人民政府，市政府各部門：
現將《臨江市數字經濟發展行動計劃》印發給你們，請認真貫徹執行。
臨江市人民政府辦公室
2021年6月8日
一、重點任務
（一）夯實數字基礎設施
1.加快5G網絡建設。2022年底前實現城區全覆蓋。（牽頭單位：市工業和信息化局；責任單位：市通信發展辦，各縣（市、區）人民政府）
2.推進數據中心綠色發展。每季度通報進展情況。（市發展改革委牽頭，市生態環境局、市財政局配合）
（二）培育數字產業
3.壯大軟件和信息服務業。到2023年，營業收入超過100億元。（市科技局、市商務局按職責分工負責）
"""


def test_it_tells_traditional_from_simplified():
    assert is_traditional(MIRROR)
    assert not is_traditional(to_simplified(MIRROR))
    assert not is_traditional("")
    assert not is_traditional("1.推进工作。2022年底前完成。")
    # A Simplified text that quotes a few traditional names is still Simplified.
    assert not is_traditional(to_simplified(MIRROR) * 3 + "臺灣 香港特別行政區")


def test_the_simplified_view_keeps_every_offset():
    norm = normalize(MIRROR)
    assert norm.text.startswith("临江市人民政府办公室关于印发")
    assert len(to_simplified(MIRROR)) == len(MIRROR)
    start = norm.text.index("牵头单位")
    assert MIRROR[slice(*norm.to_original(start, start + 4))] == "牽頭單位"


def test_a_mirror_is_read_as_accurately_as_the_simplified_text_and_reported_as_printed():
    mirror = to_corpus_dict(parse_document(MIRROR))
    simple = to_corpus_dict(parse_document(to_simplified(MIRROR)))
    assert mirror["title"] == "臨江市數字經濟發展行動計劃" and simple["title"] == "临江市数字经济发展行动计划"
    assert mirror["doc_number"] == "臨府辦發〔2021〕54號"
    assert mirror["issued_date"] == simple["issued_date"] == "2021-06-08"
    assert [m["number"] for m in mirror["measures"]] == [m["number"] for m in simple["measures"]] == ["1", "2", "3"]
    first, second, third = mirror["measures"]
    assert first["title"] == "加快5G網絡建設"
    assert first["lead"] == ["市工業和信息化局"]
    assert first["responsible"] == ["市通信發展辦", "各縣(市、區)人民政府"]
    assert first["deadlines"] == [{"phrase": "2022年底前", "date": "2022-12-31", "recurring": None}]
    assert second["lead"] == ["市發展改革委"] and second["supporting"] == ["市生態環境局", "市財政局"]
    assert second["deadlines"][0]["recurring"] == "quarterly"
    assert third["responsible"] == ["市科技局", "市商務局"]
    for mine, theirs in zip(mirror["measures"], simple["measures"], strict=True):
        for role in ("lead", "responsible", "supporting"):
            assert [to_simplified(name) for name in mine[role]] == theirs[role]


def test_spans_point_at_the_printed_text():
    document = parse_document(MIRROR)
    unit = document.measures[0].units[0]
    start, end = unit.span
    assert "牽頭單位" in MIRROR[start:end]
    start, end = document.title_span
    assert MIRROR[start:end] == document.title


def test_the_directory_resolves_traditional_names_in_simplified():
    directory = DepartmentDirectory([DirectoryEntry(1, "市发展和改革委员会", "市发改委", ("市发展改革委",)),
                                     DirectoryEntry(2, "市工业和信息化局", "市工信局")])
    assert directory.resolve("市發展改革委").entry.id == 1
    assert directory.resolve("市工業和信息化局").entry.id == 2
    assert directory.resolve("市發改委").method == "exact"


def test_printed_map_chooses_the_commonest_printed_character():
    chars = printed_map("後後后台臺", "后后后台台")
    assert chars == {"后": "後", "台": "台"} or chars == {"后": "後"}
    assert to_printed("后台", {"后": "後"}) == "後台"
    assert to_printed(None, {"后": "後"}) is None
    assert to_printed("后台", {}) == "后台"


def test_a_traditional_cell_is_split_like_a_simplified_one_and_named_as_printed():
    units = split_units("牽頭單位：市發改委；配合單位：市財政局、各縣（市、區）政府")
    assert [(u.name, u.role) for u in units] == [
        ("市發改委", "lead"), ("市財政局", "supporting"), ("各縣(市、區)政府", "supporting")]


def test_broken_characters_pass_through_the_simplified_view():
    assert to_simplified("牽頭\ud800單位") == "牵头\ud800单位"
    assert [(u.name, u.role) for u in split_units("牽頭單位:市發改委\udfff、市財政局")] == [
        ("市發改委\udfff", "lead"), ("市財政局", "lead")]
