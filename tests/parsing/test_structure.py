"""Heading tree, measures and their numbers, titles and paths."""

from documents.parsing import parse_document


def measures(text):
    return [(m.number, m.title, m.lead, m.responsible, m.supporting) for m in parse_document(text).measures]


NESTED = """关于推进智慧养老的实施方案

一、总体要求

(一)指导思想

坚持以人民为中心。

(二)基本原则

1.坚持政府引导。发挥政府作用。

2.坚持市场运作。激发市场活力。

二、重点任务

(一)完善服务网络

1.建设街道综合养老服务中心。每个街道至少建成1个中心。〔责任单位:市民政局牵头,市财政局配合〕

2.发展社区嵌入式服务。推进社区养老服务站建设。〔责任单位:市民政局〕

(二)提升服务能力

3.培训养老护理员。开展护理技能培训。〔责任单位:市人社局牵头,市民政局配合〕

三、保障措施

(一)加强组织领导。各地要建立工作机制。
"""


def test_it_finds_numbered_measures_with_their_paths():
    document = parse_document(NESTED)
    assert [m.number for m in document.measures] == ["1", "2", "3"]
    assert document.measures[0].path == ["二、重点任务", "(一)完善服务网络"]
    assert document.measures[2].path == ["二、重点任务", "(二)提升服务能力"]
    assert document.measures[0].title == "建设街道综合养老服务中心"
    assert document.measures[0].lead == ["市民政局"]
    assert document.measures[0].supporting == ["市财政局"]


def test_guiding_principles_and_unannotated_safeguards_are_not_measures():
    titles = [m.title for m in parse_document(NESTED).measures]
    assert "坚持政府引导" not in titles
    assert "加强组织领导" not in titles


def test_sections_form_a_tree():
    document = parse_document(NESTED)
    assert [s.heading for s in document.sections] == ["一、总体要求", "二、重点任务", "三、保障措施"]
    tasks = document.sections[1]
    assert [c.number for c in tasks.children] == ["二.(一)", "二.(二)"]
    assert [c.number for c in tasks.children[0].children] == ["1", "2"]
    assert tasks.children[0].children[0].is_measure


LEAF_PARENS = """临江市人民政府关于促进文旅融合发展的实施意见

一、丰富文旅产品供给

(一)打造精品线路。推出十条精品旅游线路。(市文广旅局、市交通局等单位,各县、市、区政府分工负责)

(二)发展夜间经济。培育夜间消费集聚区。(市商务局牵头,市文广旅局按职责分工负责)

二、优化发展环境

(一)加强人才培养。建设文旅人才库。(市人社局、市文广旅局分工负责)
"""


def test_leaf_items_under_chinese_sections_are_numbered_with_their_parent():
    assert measures(LEAF_PARENS) == [
        ("一.(一)", "打造精品线路", [], ["市文广旅局", "市交通局", "各县、市、区政府"], []),
        ("一.(二)", "发展夜间经济", ["市商务局"], ["市文广旅局"], []),
        ("二.(一)", "加强人才培养", [], ["市人社局", "市文广旅局"], []),
    ]


def test_a_heading_right_after_an_annotation_on_the_same_line_starts_a_new_section():
    text = (
        "一、重点任务\n(一)推进数字化\n"
        "1.建设数据平台。整合数据资源。〔牵头单位:市数据局〕(二)推进绿色化\n"
        "2.建设绿色园区。推进节能改造。〔牵头单位:市发改委〕\n"
    )
    document = parse_document(text)
    assert [(m.number, m.path) for m in document.measures] == [
        ("1", ["一、重点任务", "(一)推进数字化"]),
        ("2", ["一、重点任务", "(二)推进绿色化"]),
    ]
    assert document.measures[0].lead == ["市数据局"]


def test_a_heading_without_full_stop_takes_its_whole_line_as_title():
    text = "一、重点任务\n1.加快建设数字政府\n推进政务服务一网通办。\n〔责任单位:市数据局〕\n"
    (measure,) = parse_document(text).measures
    assert measure.title == "加快建设数字政府"
    assert measure.responsible == ["市数据局"]


def test_a_numbered_item_without_annotation_is_a_measure_with_no_units():
    text = "一、重点任务\n1.完善制度。修订管理办法。〔责任单位:市司法局〕\n2.加强宣传。开展宣传活动。\n"
    document = parse_document(text)
    assert [(m.number, m.units) for m in document.measures][1] == ("2", [])


def test_an_annotation_under_sub_points_belongs_to_their_parent():
    text = (
        "一、园区建设\n(一)完善基础设施\n"
        "①建成污水处理厂二期;\n②启动标准厂房三期建设。\n"
        "(区住建局牵头,区城管局配合)\n"
        "(二)提升服务水平。推行服务专员制度。(区行政审批局负责)\n"
    )
    assert measures(text) == [
        ("一.(一)", "完善基础设施", ["区住建局"], [], ["区城管局"]),
        ("一.(二)", "提升服务水平", [], ["区行政审批局"], []),
    ]


def test_items_of_a_parent_annotation_inherit_its_units():
    text = "一、重点任务\n(一)推进改革(牵头单位:市发改委)\n1.深化审批改革。\n2.优化营商环境。\n"
    document = parse_document(text)
    assert [(m.number, m.lead, m.units_inherited) for m in document.measures] == [
        ("1", ["市发改委"], True), ("2", ["市发改委"], True),
    ]


def test_levels_follow_the_order_markers_first_appear():
    text = (
        "1.建设平台\n(1)建设数据库。〔责任单位:市数据局〕\n(2)建设接口。〔责任单位:市工信局〕\n"
        "2.完善制度\n(1)制定办法。〔责任单位:市司法局〕\n"
    )
    assert [(m.number, m.path) for m in parse_document(text).measures] == [
        ("1.(1)", ["1.建设平台"]), ("1.(2)", ["1.建设平台"]), ("2.(1)", ["2.完善制度"]),
    ]


def test_body_lines_starting_with_numbers_out_of_sequence_are_not_headings():
    text = (
        "一、总体要求\n二、重点任务\n二、三产业融合发展要加快推进。\n三、保障措施\n"
        "(一)加强领导。〔责任单位:市委办〕\n"
    )
    document = parse_document(text)
    assert [s.heading for s in document.sections] == ["一、总体要求", "二、重点任务", "三、保障措施"]
    assert [m.number for m in document.measures] == ["三.(一)"]


def test_full_width_markers_and_dun_numbers_are_recognised():
    text = "一、重点任务\n（一）基础设施\n1、建设平台。建设统一平台。【责任单位：市数据局】\n2、完善网络。【责任单位：市工信局】\n"
    assert [(m.number, m.responsible) for m in parse_document(text).measures] == [
        ("1", ["市数据局"]), ("2", ["市工信局"]),
    ]


def test_articles_are_headings_too():
    text = "第一条 为规范园区管理,制定本办法。\n第二条 园区管委会负责日常管理。(责任单位:园区管委会)\n"
    document = parse_document(text)
    assert [(m.number, m.responsible) for m in document.measures] == [("第二条", ["园区管委会"])]


def test_attachment_lists_in_a_notice_are_not_measures():
    text = (
        "关于印发两个方案的通知\n附件:\n1.数字政府建设方案\n2.智慧城市建设方案\n临江市人民政府办公室\n2021年3月1日\n"
        "附件1\n数字政府建设方案\n一、重点任务\n1.建设平台。〔责任单位:市数据局〕\n"
    )
    assert [(m.number, m.title) for m in parse_document(text).measures] == [("1", "建设平台")]


def test_a_kind_first_seen_under_a_section_ranks_right_below_it():
    text = (
        "一、主要目标\n1.产值增长8%以上。\n责任单位:市发改委\n"
        "二、重点工作\n(一)稳增长\n2.扩大有效投资。\n责任单位:市发改委、市财政局\n"
        "(二)促创新\n3.培育高新技术企业。\n责任单位:市科技局\n"
    )
    assert [(m.number, m.path) for m in parse_document(text).measures] == [
        ("1", ["一、主要目标"]),
        ("2", ["二、重点工作", "(一)稳增长"]),
        ("3", ["二、重点工作", "(二)促创新"]),
    ]


def test_numbered_items_may_skip_numbers():
    text = "一、主要目标\n1.产值增长。(牵头单位:市发改委)\n8.投资增长。(牵头单位:市财政局)\n"
    assert [(m.number, m.lead) for m in parse_document(text).measures] == [
        ("1", ["市发改委"]), ("8", ["市财政局"]),
    ]


def test_parts_are_headings():
    text = "第一部分 重点任务\n一、建设平台。整合资源。(责任单位:市数据局)\n二、完善网络。(责任单位:市工信局)\n"
    assert [(m.number, m.path) for m in parse_document(text).measures] == [
        ("一", ["第一部分 重点任务"]), ("二", ["第一部分 重点任务"]),
    ]


def test_an_annotation_wrapped_over_two_lines_is_read_whole():
    text = "一、重点任务\n1.建设平台。整合资源。〔牵头单位:市数据局;责任单位:市财政局、\n市工信局〕\n"
    (measure,) = parse_document(text).measures
    assert (measure.lead, measure.responsible) == (["市数据局"], ["市财政局", "市工信局"])


def test_a_date_under_a_time_limit_label_does_not_end_the_document():
    text = (
        "一、重点任务\n(一)数字化\n1.建设平台。〔责任单位:市数据局〕\n完成时限:\n2022年12月31日\n"
        "2.完善网络。〔责任单位:市工信局〕\n"
    )
    document = parse_document(text)
    assert [(m.number, m.path) for m in document.measures] == [
        ("1", ["一、重点任务", "(一)数字化"]), ("2", ["一、重点任务", "(一)数字化"]),
    ]
    assert [d.phrase for d in document.measures[0].deadlines] == ["2022年12月31日"]


def test_a_number_glued_to_the_digits_of_its_title_continues_the_numbering():
    text = (
        "一、重点任务\n"
        "10.推进人才工作。(责任单位:市委组织部)\n"
        "11.121人才梯队项目。实施梯队培养。(责任单位:市人社局)\n"
        "3.5万亩高标准农田年内建成。\n"
        "12.3.5G基站建设。(责任单位:市工信局)\n"
    )
    measures = parse_document(text).measures
    assert [(m.number, m.title, m.responsible) for m in measures] == [
        ("10", "推进人才工作", ["市委组织部"]),
        ("11", "121人才梯队项目", ["市人社局"]),
        ("12", "3.5G基站建设", ["市工信局"]),
    ]
    sequence = parse_document("一、重点任务\n1.推进工作。\n2.建设网络。\n3.5G基站覆盖城区。\n").measures
    assert [(m.number, m.title) for m in sequence][-1] == ("3", "5G基站覆盖城区")


def test_a_number_printed_twice_at_the_same_level_stays_unique():
    document = parse_document("一、重点任务\n1.建设平台。\n1.完善机制。\n2.加强监督。\n")
    assert [measure.number for measure in document.measures] == ["一.1", "一.1-2", "一.2"]
