"""The demo action plan, written for PolicyTrack in the style of a municipal 实施方案.

Each measure carries its responsibility annotation in the text, as real documents do, and the
same facts in structured form so that seeding does not depend on the parser.
"""

import datetime
from dataclasses import dataclass, field

from documents.choices import Comparator, Recurrence

TITLE = "云川市加快数字政府建设三年行动方案(2025—2027年)"
DOC_NUMBER = "云府办发〔2025〕12号"
ISSUER = "云川市人民政府办公室"
ISSUED = datetime.date(2025, 3, 18)

PREAMBLE = (
    "为深入贯彻落实《国务院关于加强数字政府建设的指导意见》(国发〔2022〕14号)精神,"
    "加快推进我市数字政府建设,全面提升政府履职数字化、智能化水平,结合我市实际,制定本方案。\n\n"
    "一、总体要求\n\n"
    "(一)指导思想\n\n"
    "坚持以人民为中心,以数据赋能为主线,统筹推进技术融合、业务融合、数据融合,"
    "为建设人民满意的服务型政府提供有力支撑。\n\n"
    "(二)工作目标\n\n"
    "到2027年,全市政务信息系统基本实现集约建设、互联互通、协同联动,"
    "数字经济核心产业营业收入超500亿元。各地各部门要细化工作举措,每季度末将工作进展情况报送领导小组办公室。\n\n"
    "二、重点任务"
)

CLOSING = "云川市人民政府办公室\n2025年3月18日"


@dataclass(frozen=True)
class DemoIndicator:
    name: str
    comparator: str
    value: str
    unit: str
    due: datetime.date | None


@dataclass(frozen=True)
class DemoMeasure:
    section: tuple[str, str]
    number: str
    title: str
    body: str
    annotation: str
    lead: list[str]
    responsible: list[str] = field(default_factory=list)
    supporting: list[str] = field(default_factory=list)
    deadline: datetime.date | None = None
    deadline_text: str = ""
    ongoing: bool = False
    recurrence: str = Recurrence.NONE
    milestones: list[tuple[str, datetime.date, str]] = field(default_factory=list)
    indicators: list[DemoIndicator] = field(default_factory=list)

    @property
    def content(self) -> str:
        return f"{self.title}。{self.body}{self.annotation}"


D = datetime.date
INFRA = ("(一)", "夯实数字基础设施")
SERVICE = ("(二)", "提升政务服务效能")
ECONOMY = ("(三)", "推动数字经济发展")
SUPPORT = ("三、", "保障措施")

MEASURES: list[DemoMeasure] = [
    DemoMeasure(
        INFRA, "1", "统筹建设全市政务云平台",
        "按照“集约建设、统一运维”的要求,推进各部门非涉密业务系统向市级政务云迁移。"
        "2026年6月底前完成市级政务云扩容,到2027年政务信息系统上云率达到95%以上。",
        "〔牵头单位:市数据局;配合单位:市发改委、市财政局、市工信局〕",
        lead=["市数据局"], supporting=["市发改委", "市财政局", "市工信局"],
        deadline=D(2027, 12, 31), deadline_text="到2027年",
        milestones=[("完成市级政务云扩容", D(2026, 6, 30), "2026年6月底前")],
        indicators=[DemoIndicator("政务信息系统上云率", Comparator.GTE, "95", "%", D(2027, 12, 31))],
    ),
    DemoMeasure(
        INFRA, "2", "加快千兆光网和5G网络覆盖",
        "将通信基础设施纳入国土空间规划,简化基站建设审批。2026年12月底前实现城区和重点园区5G网络全覆盖,"
        "累计建成5G基站不少于1200个。",
        "〔牵头单位:市工信局;配合单位:市住建局、市自然资源局,各县(市、区)政府〕",
        lead=["市工信局"], supporting=["市住建局", "市自然资源局", "各县(市、区)政府"],
        deadline=D(2026, 12, 31), deadline_text="2026年12月底前",
        indicators=[DemoIndicator("累计建成5G基站", Comparator.GTE, "1200", "个", D(2026, 12, 31))],
    ),
    DemoMeasure(
        INFRA, "3", "建成城市数据共享交换平台",
        "编制全市公共数据资源目录,推动人口、法人、电子证照等基础数据按需共享。2025年底前建成城市数据共享交换平台。",
        "〔牵头单位:市数据局;责任单位:市公安局、市市场监管局、市发改委〕",
        lead=["市数据局"], responsible=["市公安局", "市市场监管局", "市发改委"],
        deadline=D(2025, 12, 31), deadline_text="2025年底前",
    ),
    DemoMeasure(
        SERVICE, "4", "深化政务服务“一网通办”",
        "推动政务服务事项网上可办率稳定在98%以上,领导小组办公室每季度通报各地办件情况。",
        "〔牵头单位:市政务服务局;配合单位:各县(市、区)政府,各开发区〕",
        lead=["市政务服务局"], supporting=["各县(市、区)政府", "各开发区"],
        recurrence=Recurrence.QUARTERLY, ongoing=True, deadline_text="每季度",
        indicators=[DemoIndicator("政务服务事项网上可办率", Comparator.GTE, "98", "%", None)],
    ),
    DemoMeasure(
        SERVICE, "5", "推行“高效办成一件事”",
        "梳理企业和群众高频办理事项,2026年11月25日前推出第二批“一件事”集成服务清单,实现一次告知、一表申请、一窗受理。",
        "〔牵头单位:市政务服务局、市发改委;配合单位:市人社局、市市场监管局、市税务局〕",
        lead=["市政务服务局", "市发改委"], supporting=["市人社局", "市市场监管局", "市税务局"],
        deadline=D(2026, 11, 25), deadline_text="2026年11月25日前",
    ),
    DemoMeasure(
        SERVICE, "6", "持续优化营商环境评价",
        "对标国家营商环境评价指标体系,常态化开展营商环境监测,持续推进问题整改。",
        "(市发改委牵头,市市场监管局、市商务局等单位按职责分工负责)",
        lead=["市发改委"], responsible=["市市场监管局", "市商务局"],
        ongoing=True, deadline_text="持续推进",
    ),
    DemoMeasure(
        ECONOMY, "7", "培育壮大数字产业集群",
        "聚焦电子信息、软件和信息技术服务业,引进培育一批龙头企业。到2027年,全市数字经济核心产业营业收入超500亿元。",
        "〔牵头单位:市工信局;配合单位:市科技局、市商务局、云川高新区管委会〕",
        lead=["市工信局"], supporting=["市科技局", "市商务局", "云川高新区管委会"],
        deadline=D(2027, 12, 31), deadline_text="到2027年",
        indicators=[DemoIndicator("数字经济核心产业营业收入", Comparator.GT, "500", "亿元", D(2027, 12, 31))],
    ),
    DemoMeasure(
        ECONOMY, "8", "推进规上工业企业数字化转型",
        "实施中小企业数字化赋能专项行动,2026年9月底前完成200家规上工业企业数字化诊断。",
        "〔责任单位:市工信局牵头,市财政局、市科技局配合〕",
        lead=["市工信局"], supporting=["市财政局", "市科技局"],
        deadline=D(2026, 9, 30), deadline_text="2026年9月底前",
        indicators=[DemoIndicator("完成数字化诊断的规上工业企业", Comparator.GTE, "200", "家", D(2026, 9, 30))],
    ),
    DemoMeasure(
        ECONOMY, "9", "建设数字化示范园区",
        "推动园区基础设施、安全生产、能耗监测等数据统一汇聚,2027年6月底前各建成1个数字化示范园区。",
        "〔责任单位:云川高新区管委会、云川经开区管委会〕",
        lead=[], responsible=["云川高新区管委会", "云川经开区管委会"],
        deadline=D(2027, 6, 30), deadline_text="2027年6月底前",
    ),
    DemoMeasure(
        SUPPORT, "10", "健全工作推进机制",
        "领导小组办公室每月调度重点任务进展,对工作滞后的单位进行督办。",
        "〔牵头单位:市发改委;配合单位:市委编办〕",
        lead=["市发改委"], supporting=["市委编办"],
        recurrence=Recurrence.MONTHLY, ongoing=True, deadline_text="每月",
    ),
    DemoMeasure(
        SUPPORT, "11", "强化建设资金保障",
        "统筹各类财政资金支持数字政府项目建设,2026年3月底前将年度项目资金纳入部门预算。",
        "〔牵头单位:市财政局〕",
        lead=["市财政局"], deadline=D(2026, 3, 31), deadline_text="2026年3月底前",
    ),
    DemoMeasure(
        SUPPORT, "12", "加强数字人才队伍建设",
        "将数字素养纳入干部教育培训内容,长期坚持开展数字化能力专题培训。",
        "〔牵头单位:市委组织部、市人社局;配合单位:市教育局〕",
        lead=["市委组织部", "市人社局"], supporting=["市教育局"],
        ongoing=True, deadline_text="长期坚持",
    ),
]


def compose(title: str, doc_number: str, preamble: str, measures: list[DemoMeasure], closing: str) -> str:
    """A demo document as an admin would paste it: title, number, preamble, headed measures, sign-off."""
    parts = [title, doc_number, preamble]
    current = None
    for measure in measures:
        if measure.section != current:
            current = measure.section
            parts.append("".join(current))
        parts.append(f"{measure.number}.{measure.content}")
    parts.append(closing)
    return "\n\n".join(parts)


def source_text() -> str:
    """The whole document as an admin would paste it."""
    return compose(TITLE, DOC_NUMBER, PREAMBLE, MEASURES, CLOSING)
