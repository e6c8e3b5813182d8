"""The second demo document, owned by a leading group: a business-environment action plan
written for PolicyTrack in the style of a municipal 行动方案, like ``tasks.demo.document``."""

import datetime

from documents.choices import Comparator, Recurrence
from tasks.demo.document import DemoIndicator, DemoMeasure, compose

GROUP = "云川市优化营商环境领导小组"
GROUP_SHORT = "营商环境领导小组"
GROUP_OFFICE_SEAT = "市发展和改革委员会"  # the group's office sits in the development and reform commission

TITLE = "云川市优化营商环境提质增效行动方案(2025—2026年)"
DOC_NUMBER = "云府办发〔2025〕27号"
ISSUER = "云川市人民政府办公室"
ISSUED = datetime.date(2025, 6, 9)

PREAMBLE = (
    "为持续打造市场化、法治化、国际化一流营商环境,激发各类经营主体活力,"
    "根据《优化营商环境条例》和省有关工作部署,结合我市实际,制定本行动方案。\n\n"
    "一、工作目标\n\n"
    "到2026年底,企业开办时间压缩至1个工作日以内,工程建设项目审批时间压缩至60个工作日以内,"
    "经营主体满意度稳步提升。各责任单位每月5日前将上月工作进展报送市优化营商环境领导小组办公室。\n\n"
    "二、重点任务"
)

CLOSING = "云川市人民政府办公室\n2025年6月9日"

D = datetime.date
ENTRY = ("(一)", "提升市场准入便利度")
PROJECTS = ("(二)", "提升项目建设审批效率")
SERVICES = ("(三)", "提升涉企服务质效")
GUARANTEE = ("三、", "保障措施")

MEASURES: list[DemoMeasure] = [
    DemoMeasure(
        ENTRY, "1", "压缩企业开办时间",
        "推行企业开办“一网通办、一窗通取”,实现营业执照、印章、发票、社保登记一日办结。"
        "2025年12月底前企业开办时间压缩至1个工作日以内。",
        "〔牵头单位:市市场监管局;配合单位:市公安局、市税务局、市人社局〕",
        lead=["市市场监管局"], supporting=["市公安局", "市税务局", "市人社局"],
        deadline=D(2025, 12, 31), deadline_text="2025年12月底前",
        indicators=[DemoIndicator("企业开办时间", Comparator.LTE, "1", "个工作日", D(2025, 12, 31))],
    ),
    DemoMeasure(
        ENTRY, "2", "清理妨碍统一市场的规定和做法",
        "全面清理涉及市场准入、招标投标、政府采购等领域妨碍公平竞争的政策措施,2026年3月底前形成清理清单并公开。",
        "〔牵头单位:市发改委;责任单位:市市场监管局、市财政局、市司法局〕",
        lead=["市发改委"], responsible=["市市场监管局", "市财政局", "市司法局"],
        deadline=D(2026, 3, 31), deadline_text="2026年3月底前",
    ),
    DemoMeasure(
        PROJECTS, "3", "深化工程建设项目审批制度改革",
        "推行“拿地即开工”和联合审验,2026年6月底前工程建设项目全流程审批时间压缩至60个工作日以内。",
        "〔牵头单位:市住建局;配合单位:市自然资源局、市政务服务局、市工信局〕",
        lead=["市住建局"], supporting=["市自然资源局", "市政务服务局", "市工信局"],
        deadline=D(2026, 6, 30), deadline_text="2026年6月底前",
        indicators=[DemoIndicator("工程建设项目审批时间", Comparator.LTE, "60", "个工作日", D(2026, 6, 30))],
    ),
    DemoMeasure(
        PROJECTS, "4", "推进工业项目“标准地”出让",
        "新增工业用地按“标准地”供应,2026年9月底前全市新出让工业用地“标准地”比例达到90%以上。",
        "〔牵头单位:市自然资源局、市工信局;配合单位:云川高新区管委会、云川经开区管委会〕",
        lead=["市自然资源局", "市工信局"], supporting=["云川高新区管委会", "云川经开区管委会"],
        deadline=D(2026, 9, 30), deadline_text="2026年9月底前",
        indicators=[DemoIndicator("新出让工业用地“标准地”比例", Comparator.GTE, "90", "%", D(2026, 9, 30))],
    ),
    DemoMeasure(
        SERVICES, "5", "建立惠企政策“免申即享”机制",
        "梳理可直接兑现的惠企政策事项,依托数据共享精准推送,2026年5月31日前推出首批“免申即享”政策清单。",
        "〔牵头单位:市工信局;配合单位:市发改委、市财政局、市数据局〕",
        lead=["市工信局"], supporting=["市发改委", "市财政局", "市数据局"],
        deadline=D(2026, 5, 31), deadline_text="2026年5月31日前",
    ),
    DemoMeasure(
        SERVICES, "6", "定期开展政企沟通",
        "建立市领导联系重点企业制度,每季度召开一次政企恳谈会,企业诉求限时办结、及时反馈。",
        "(市发改委牵头,市工信局、市商务局等单位按职责分工负责)",
        lead=["市发改委"], responsible=["市工信局", "市商务局"],
        recurrence=Recurrence.QUARTERLY, ongoing=True, deadline_text="每季度",
    ),
    DemoMeasure(
        SERVICES, "7", "规范涉企行政检查",
        "推行“综合查一次”和非现场监管,2026年底前涉企行政检查频次同比下降30%以上。",
        "〔牵头单位:市司法局;责任单位:市市场监管局、市生态环境局、市应急局〕",
        lead=["市司法局"], responsible=["市市场监管局", "市生态环境局", "市应急局"],
        deadline=D(2026, 12, 31), deadline_text="2026年底前",
    ),
    DemoMeasure(
        GUARANTEE, "8", "健全营商环境监测督办机制",
        "领导小组办公室每月调度重点任务进展,对进度滞后的单位发督办单,年底开展营商环境评价。",
        "〔牵头单位:市发改委;配合单位:市统计局〕",
        lead=["市发改委"], supporting=["市统计局"],
        recurrence=Recurrence.MONTHLY, ongoing=True, deadline_text="每月",
    ),
]


def source_text() -> str:
    """The whole document as an admin would paste it."""
    return compose(TITLE, DOC_NUMBER, PREAMBLE, MEASURES, CLOSING)
