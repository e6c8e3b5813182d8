"""The table model: header vocabulary, merged cells, rows into measures, tables in text, merging."""

import io

import docx

from documents.parsing import parse_document, read_docx
from documents.parsing.tables import find_table_header, find_text_tables, table_measures
from documents.parsing.tables.text import align
from documents.parsing.tables.vocabulary import DEADLINE, GROUP, LEAD, NUMBER, SUPPORTING, TASK, UNITS, field_of


def _roles(measure):
    return [(unit.name, unit.role) for unit in measure.units]


def test_it_knows_the_column_words_of_every_role():
    assert field_of("支撑单位") == SUPPORTING
    assert field_of("协办单位") == SUPPORTING
    assert field_of("主责单位") == LEAD
    assert field_of("推进单位") == UNITS
    assert field_of("具体举措") == TASK
    assert field_of("完成时限\n(年月)") == DEADLINE
    assert field_of("推进城市更新,完善基础设施建设。") is None


def test_the_unit_columns_take_every_label_of_the_role_vocabulary():
    from documents.parsing.roles import LEAD_LABELS, RESPONSIBLE_LABELS, SUPPORTING_LABELS

    assert {field_of(label) for label in LEAD_LABELS} == {LEAD}
    assert {field_of(label) for label in RESPONSIBLE_LABELS} == {UNITS}
    assert {field_of(label) for label in SUPPORTING_LABELS} == {SUPPORTING}


def test_headers_in_traditional_script_name_the_same_columns():
    assert [field_of(title) for title in ("序號", "重點任務", "牽頭單位", "責任單位", "配合單位", "完成時限")] == [
        NUMBER, TASK, LEAD, UNITS, SUPPORTING, DEADLINE]
    rows = [["序號", "重點任務", "牽頭單位", "配合單位", "完成時限"],
            ["1", "建設產業園區。", "市工信局", "市發展改革委", "2025年底前"]]
    [measure] = table_measures(rows, find_table_header(rows), 2024)
    assert _roles(measure) == [("市工信局", "lead"), ("市發展改革委", "supporting")]
    assert [deadline.date.isoformat() for deadline in measure.deadlines] == ["2025-12-31"]


def test_two_task_columns_are_group_and_task():
    rows = [["序号", "主要任务", "具体措施", "牵头单位"], ["1", "产业升级", "建设园区。", "市工信局"]]
    header = find_table_header(rows)
    assert header.columns[GROUP] == 1 and header.columns[TASK] == 2 and header.columns[NUMBER] == 0
    [measure] = table_measures(rows, header)
    assert measure.title == "建设园区" and measure.path == ["产业升级"]


def test_a_merged_task_header_saved_as_csv_leaves_the_second_cell_empty():
    rows = [["序号", "重点任务", "", "牵头单位"], ["1", "产业升级", "建设园区。扩大规模", "市工信局"],
            ["2", "", "培育企业。", "市商务局"]]
    header = find_table_header(rows)
    measures = table_measures(rows, header)
    assert [(m.title, m.path) for m in measures] == [("建设园区", ["产业升级"]), ("培育企业", ["产业升级"])]


def test_a_units_cell_without_a_lead_marker_makes_everyone_responsible():
    rows = [["序号", "重点任务", "责任单位"], ["1", "建设园区。", "市工信局、市商务局"],
            ["2", "培育企业。", "市商务局牵头,市财政局配合"], ["3", "完善制度。", "无"], ["4", "加强宣传。", "—"]]
    measures = table_measures(rows, find_table_header(rows))
    assert _roles(measures[0]) == [("市工信局", "responsible"), ("市商务局", "responsible")]
    assert _roles(measures[1]) == [("市商务局", "lead"), ("市财政局", "supporting")]
    assert measures[2].units == [] and measures[3].units == []


def test_category_rows_are_sections_and_repeated_numbers_are_qualified():
    rows = [["序号", "重点任务", "牵头单位", "完成时限"], ["一、产业"], ["1", "建设园区。", "市工信局", "2026年6月底前"],
            ["二、民生"], ["1", "建设学校。", "市教育局", "持续推进"]]
    measures = table_measures(rows, find_table_header(rows), context_year=2026)
    assert [(m.number, m.path) for m in measures] == [("一.1", ["一、产业"]), ("二.1", ["二、民生"])]
    assert str(measures[0].deadlines[0].date) == "2026-06-30"
    assert measures[1].ongoing and measures[1].deadlines == []


def test_a_row_printed_without_its_merged_cell_carries_it_from_the_row_above():
    fields = [NUMBER, GROUP, TASK, LEAD, DEADLINE]
    previous = ["1", "产业升级", "建设园区。", "市工信局", "2026年底前"]
    assert align(["2", "培育龙头企业,扩大集群规模。", "市商务局", "2026年6月底前"], fields, previous) == [
        "2", "产业升级", "培育龙头企业,扩大集群规模。", "市商务局", "2026年6月底前"]
    # The lead printed once for two rows: the short row carries it, not the group.
    assert align(["3", "产业升级", "引进项目,全年引进10个以上。", "2026年9月底前"], fields, previous) == [
        "3", "产业升级", "引进项目,全年引进10个以上。", "市工信局", "2026年9月底前"]


def test_it_finds_tab_and_line_tables_in_text(fixture_text):
    [tab] = find_text_tables(fixture_text("tables/tab_task_table.txt"))
    assert tab.layout == "tab" and len(table_measures(tab.rows, tab.header)) == 6
    [lines] = find_text_tables(fixture_text("tables/lines_task_table.txt"))
    assert lines.layout == "lines" and len(table_measures(lines.rows, lines.header)) == 5


def test_a_page_header_repeated_inside_a_tab_table_is_skipped():
    text = "序号\t重点任务\t牵头单位\n1\t建设园区。\t市工信局\n序号\t重点任务\t牵头单位\n2\t培育企业。\t市商务局\n"
    assert [m.number for m in parse_document(text).measures] == ["1", "2"]


def test_prose_with_an_attached_table_is_merged_by_title():
    text = (
        "云川市产业发展行动方案\n一、重点任务\n1.建设产业园区。推进园区扩容。\n2.培育龙头企业。实施梯度培育。\n"
        "附件\n重点任务分工表\n序号\t重点任务\t牵头单位\t配合单位\t完成时限\n"
        "1\t建设产业园区\t市工信局\t市自然资源局\t2026年底前\n2\t培育龙头企业\t市商务局\t—\t2026年6月底前\n"
        "3\t完善产业基金\t市财政局\t市金融办\t2026年9月底前\n"
    )
    measures = parse_document(text).measures
    assert [m.number for m in measures] == ["1", "2", "3"]
    assert _roles(measures[0]) == [("市工信局", "lead"), ("市自然资源局", "supporting")]
    assert [str(d.date) for d in measures[1].deadlines] == ["2026-06-30"]
    assert measures[2].title == "完善产业基金" and measures[2].lead == ["市财政局"]


def test_a_table_restating_nothing_is_numbered_uniquely():
    text = (
        "一、重点任务\n1.建设产业园区。推进园区扩容。\n"
        "附件\n序号\t重点任务\t牵头单位\n1\t开展招商引资专项行动\t市商务局\n"
    )
    measures = parse_document(text).measures
    assert [(m.number, m.title) for m in measures] == [("1", "建设产业园区"), ("附件1.1", "开展招商引资专项行动")]


def _merged_docx() -> bytes:
    document = docx.Document()
    document.add_paragraph("云川市重点任务分工表")
    table = document.add_table(rows=5, cols=5)
    for column, text in enumerate(["序号", "重点任务", "", "牵头单位", "完成时限"]):
        table.cell(0, column).text = text
    table.cell(0, 1).merge(table.cell(0, 2))  # 重点任务 over two columns (gridSpan)
    table.cell(1, 0).text = "一、夯实基础"
    table.cell(1, 0).merge(table.cell(1, 4))
    for row, values in ((2, ["1", "建设平台", "建设政务云。整合机房。", "市数据局", "2026年底前"]),
                        (3, ["2", "", "完善外网。", "市工信局", "2026年6月底前"]),
                        (4, ["3", "推进共享", "编制目录。", "", "持续推进"])):
        for column, text in enumerate(values):
            if text:
                table.cell(row, column).text = text
    table.cell(2, 1).merge(table.cell(3, 1))  # the group down two rows (vMerge)
    table.cell(3, 3).merge(table.cell(4, 3))
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def test_a_word_table_with_horizontal_and_vertical_merges_gives_measures():
    measures = parse_document(read_docx(io.BytesIO(_merged_docx()))).measures
    assert [(m.number, m.path, m.title, m.lead) for m in measures] == [
        ("1", ["一、夯实基础", "建设平台"], "建设政务云", ["市数据局"]),
        ("2", ["一、夯实基础", "建设平台"], "完善外网", ["市工信局"]),
        ("3", ["一、夯实基础", "推进共享"], "编制目录", ["市工信局"]),
    ]
