"""Title, 文号, issuer, signing date, plan period and upstream documents."""

import datetime

from documents.parsing import parse_document
from documents.parsing.metadata import plan_period


def test_it_reads_a_notice_that_publishes_a_plan(fixture_text):
    document = parse_document(fixture_text("digital_government_plan.txt"))
    assert document.title == "临江市数字政府建设三年行动计划(2021—2023年)"
    assert document.doc_number == "临府办发〔2021〕12号"
    assert document.issuer == "临江市人民政府办公室"
    assert document.issued_date == datetime.date(2021, 4, 6)
    assert document.plan_period == (2021, 2023)
    assert [(u.title, u.doc_number) for u in document.upstream] == [
        ("省人民政府关于加快推进数字政府建设的指导意见", "省政发〔2020〕15号"),
    ]


def test_the_title_span_points_at_the_printed_plan_title(fixture_text):
    text = fixture_text("digital_government_plan.txt")
    document = parse_document(text)
    start, end = document.title_span
    assert text[start:end].startswith("临江市数字政府建设三年行动计划")
    assert start > text.index("（此件公开发布）")


def test_it_reads_page_metadata_and_a_chinese_numeral_date(fixture_text):
    document = parse_document(fixture_text("elderly_care_opinions.txt"))
    assert document.title == "青溪市人民政府关于加快发展养老服务业的实施意见"
    assert document.doc_number == "青政发【2021】5号"
    assert document.issuer == "青溪市人民政府"
    # The page's 发布日期 2021-03-15 is the publication date, not the signing date.
    assert document.issued_date == datetime.date(2021, 3, 8)


def test_a_signature_block_names_every_issuer_and_ignores_the_page_date():
    text = (
        "临江市开发区欢迎您!\n当前位置: 首页 > 政策文件\n关于推进园区整合提升的实施意见\n"
        "所属栏目:政策文件   信息时间:2021年06月20日\n"
        "一、重点任务\n1.整合园区。推进园区整合。〔责任单位:市发改委〕\n"
        "中共临江市委 临江高新区党工委\n临江市人民政府 临江高新区管理委员会\n2021年6月15日\n"
        "站点地图 | 版权说明\n主办:临江高新区管委会\n"
    )
    document = parse_document(text)
    assert document.title == "关于推进园区整合提升的实施意见"
    assert document.doc_number is None
    assert document.issuer == "中共临江市委 临江高新区党工委 临江市人民政府 临江高新区管理委员会"
    assert document.issued_date == datetime.date(2021, 6, 15)
    assert document.measures[0].deadlines == []  # the signature date is not a deadline


def test_cited_document_numbers_are_not_the_document_number():
    text = (
        "关于促进开放发展的实施意见\n为贯彻《省政府关于扩大开放的意见》(省政发〔2019〕3号)精神,制定本意见。\n"
        "一、重点任务\n1.扩大开放。按照《临江市招商办法》(临府发〔2018〕7号)执行。〔责任单位:市商务局〕\n"
    )
    document = parse_document(text)
    assert document.doc_number is None
    assert [u.doc_number for u in document.upstream] == ["省政发〔2019〕3号"]


def test_a_site_header_before_the_title_is_skipped():
    text = "临江市人民政府\n\n临江市人民政府关于加强安全生产工作的意见\n\n临政发〔2022〕9号\n\n一、加强监管\n"
    document = parse_document(text)
    assert document.title == "临江市人民政府关于加强安全生产工作的意见"
    assert document.doc_number == "临政发〔2022〕9号"
    assert document.issuer == "临江市人民政府"


def test_plan_period_reads_year_ranges():
    assert plan_period("数字经济行动计划(2021—2023 年)") == (2021, 2023)
    assert plan_period("数字经济行动计划(2021-2023年)") == (2021, 2023)
    assert plan_period("数字经济行动计划") is None


def test_documents_without_metadata_give_none():
    document = parse_document("一、重点任务\n1.建设平台。〔责任单位:市数据局〕\n")
    assert (document.title, document.doc_number, document.issuer, document.issued_date) == (None, None, None, None)


def test_a_notice_without_guanyu_names_the_printed_title():
    text = (
        "临江市人民政府办公室印发关于推进园区高质量发展实施方案的通知\n临府办函〔2022〕3号\n"
        "各县(市、区)人民政府:\n现将《关于推进园区高质量发展的实施方案》印发给你们,请照此执行。\n"
        "临江市人民政府办公室\n2022年5月9日\n关于推进园区高质量发展的\n实施方案\n"
        "一、总体要求\n"
    )
    document = parse_document(text)
    assert document.title == "关于推进园区高质量发展的实施方案"
    assert (document.doc_number, document.issuer) == ("临府办函〔2022〕3号", "临江市人民政府办公室")
    assert document.issued_date == datetime.date(2022, 5, 9)


def test_a_page_tag_before_the_title_is_dropped():
    document = parse_document("【规范性文件】临江市人民政府关于加强河湖管理的意见\n一、重点任务\n")
    assert document.title == "临江市人民政府关于加强河湖管理的意见"


def test_dates_before_the_signing_date_are_history_not_deadlines():
    text = (
        "临江市人民政府关于加快数字经济发展的意见\n一、重点任务\n"
        "1.建设平台。2021年3月省里部署以来,进展顺利,2021年10月底前建成。〔责任单位:市数据局〕\n"
        "临江市人民政府\n2021年5月8日\n"
    )
    (measure,) = parse_document(text).measures
    assert [d.phrase for d in measure.deadlines] == ["2021年10月底前"]


def test_a_covering_notice_dates_the_document():
    text = (
        "临江市人民政府关于印发临江市河湖保护方案的通知\n各县(市、区)人民政府:\n现将《临江市河湖保护方案》印发给你们。\n"
        "临江市人民政府\n2022年7月1日\n临江市河湖保护方案\n一、重点任务\n1.开展巡河。〔责任单位:市水利局〕\n"
        "临江市河长制办公室\n2022年6月20日\n"
    )
    document = parse_document(text)
    assert (document.title, document.issuer) == ("临江市河湖保护方案", "临江市人民政府")
    assert document.issued_date == datetime.date(2022, 7, 1)


def test_page_metadata_with_several_labels_on_a_line():
    text = (
        "索引号: 113308/2021-00012 成文日期: 2021-03-24\n发布机构: 市政府办公室\n"
        "文件编号: 临政办发〔2021〕3号 统一编号:\n关于印发2021年重点工作责任分解的通知\n一、重点任务\n"
    )
    document = parse_document(text)
    assert (document.title, document.doc_number) == ("2021年重点工作责任分解", "临政办发〔2021〕3号")
    assert document.issued_date == datetime.date(2021, 3, 24)  # no signature: the 成文日期 label


def test_a_site_banner_is_not_the_title_and_a_bracketed_date_under_it_is_the_issue_date():
    text = (
        "临江市人民政府门户网站\n政策文件\n"
        "中共临江市委 临江市人民政府\n关于加快建设现代化产业体系的\n实施意见\n(2023年2月8日)\n"
        "为加快建设现代化产业体系,提出如下意见。\n一、重点任务\n1.推进产业升级。(责任单位:市发改委)\n"
    )
    document = parse_document(text)
    assert document.title == "中共临江市委 临江市人民政府关于加快建设现代化产业体系的实施意见"
    assert document.issued_date == datetime.date(2023, 2, 8)
    start, end = document.issued_date_span
    assert text[start:end] == "2023年2月8日"


def test_a_news_reports_headline_is_its_title_and_it_has_no_measures():
    text = (
        "首页 > 新闻中心 > 部门动态\n临江市召开数字经济发展推进会\n发布时间:2023-03-01 来源:市数据局\n"
        "3月1日,临江市召开数字经济发展推进会。会议要求各地抓好落实,市发改委、市工信局负责同志参加会议。\n"
    )
    document = parse_document(text)
    assert document.title == "临江市召开数字经济发展推进会"
    assert document.measures == [] and document.issued_date is None


def test_a_news_report_listing_points_still_has_no_measures_but_a_plain_list_does():
    report = (
        "临川市召开一季度经济运行分析会\n4月10日,临川市召开一季度经济运行分析会。会议要求:\n"
        "1.全力抓好项目建设,加快推进重大项目开工。\n2.持续优化营商环境。\n3.守牢安全生产底线。\n"
    )
    document = parse_document(report)
    assert document.title == "临川市召开一季度经济运行分析会" and document.measures == []
    plain = "今年重点工作安排如下\n1.全力抓好项目建设。\n2.持续优化营商环境。\n"
    assert [m.number for m in parse_document(plain).measures] == ["1", "2"]
    annotated = report.replace("开工。", "开工。(市发改委牵头)")
    assert [m.number for m in parse_document(annotated).measures] == ["1", "2", "3"]


def test_a_bracketed_date_with_words_after_it_is_still_the_issue_date():
    for line, expected in (("(2023年2月8日印发)", datetime.date(2023, 2, 8)),
                           ("(二〇二三年二月八日市人民代表大会通过)", datetime.date(2023, 2, 8)),
                           ("(此件公开发布)", None), ("(2023年2月)", None)):
        text = f"临川市人民政府关于加快建设现代化产业体系的实施意见\n{line}\n一、重点任务\n1.推进产业升级。(责任单位:市发改委)\n"
        assert parse_document(text).issued_date == expected, line


def test_a_title_line_ending_in_an_ordinary_word_is_no_banner():
    text = "临江市人民政府关于加强养老服务\n体系建设的实施意见\n临府发〔2023〕3号\n一、重点任务\n1.推进工作。(责任单位:市民政局)\n"
    assert parse_document(text).title == "临江市人民政府关于加强养老服务体系建设的实施意见"
