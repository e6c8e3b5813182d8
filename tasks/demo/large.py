"""City-scale demo data (``seed_demo --scale large``): the small demo city of 云川市 grown to about
300 departments, 200 documents, 5,000 measures, 20,000 assignments, 200,000 progress reports
and 2,000 users, for performance work.

Everything comes from one ``random.Random(SEED)``, laid out around ``today`` (documents issued
one to three years ago, deadlines at month ends from ten months back to eighteen ahead, a report for each of
the last fifteen months and some for the current one), so two runs on the same day write the
same rows. Each department has a diligence that decides how often it closes and reports on
time, so the ranking has something to rank. Rows are written with ``bulk_create`` in one
transaction (no change history for generated rows: the history tables would double the work);
a second run finds the generated documents (at any scale) and writes nothing.

``scale`` shrinks every count for tests (``scale=0.02`` is a town of a few hundred assignments).
"""

from __future__ import annotations

import datetime
import random
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone

from departments.choices import DepartmentKind, Role
from departments.models import Department, DepartmentAlias, LeadingGroup, Membership, normalize_name
from documents.choices import Comparator, DocumentStatus, Recurrence
from documents.models import Indicator, Measure, Milestone, PolicyDocument, Section
from tasks.choices import AssignmentRole, AssignmentStatus, ExtensionStatus
from tasks.demo import business, directory, sinks
from tasks.demo.scaled import (
    EXTENSION_REASON,
    KINDS,
    MONTHS_REPORTED,
    OBJECTS,
    PASSWORD,
    REPORT_COLUMNS,
    SECTIONS,
    URGE_MESSAGE,
    URGE_REPLY,
    VERBS,
    Dept,
    Plan,
    Work,
    analyze,
    assignment_state,
    at,
    month_end,
    report_rows,
    urged,
)
from tasks.demo.seed import seed_small
from tasks.models import Assignment, ExtensionRequest, ProgressReport, Urge
from tasks.rollups import rebuild

SEED = 20250318
DOC_PREFIX = "云府发"
BATCH = 2000

# Target totals, the small demo included.
DEPARTMENTS, DOCUMENTS, MEASURES, ASSIGNMENTS, USERS = 300, 200, 5000, 20000, 2000

BUREAUS = [
    "市民政局", "市审计局", "市文化广电新闻出版旅游局", "市体育局", "市林业局", "市水利局", "市农业农村局",
    "市退役军人事务局", "市医疗保障局", "市信访局", "市人民政府国有资产监督管理委员会", "市人民政府外事办公室",
    "市人民防空办公室", "市机关事务管理局", "市地方金融管理局", "市供销合作社联合社", "市气象局", "市消防救援支队",
    "市烟草专卖局", "市邮政管理局", "市粮食和物资储备局", "市城市管理局", "市民族宗教事务局", "市档案馆",
    "市公共资源交易中心", "市融媒体中心", "市总工会", "共青团云川市委员会", "市妇女联合会", "市科学技术协会",
    "市残疾人联合会", "市工商业联合会", "市红十字会", "中共云川市委宣传部", "中共云川市委统战部",
    "中共云川市委政法委员会", "中共云川市委网络安全和信息化委员会办公室", "中共云川市委政策研究室",
    "市中级人民法院", "市人民检察院", "市住房公积金管理中心", "市不动产登记中心", "市疾病预防控制中心",
    "市乡村振兴局", "市知识产权局",
]
NEW_COUNTIES = ["临江区", "北湖区", "青山区", "金溪县", "白石县", "龙泉县", "凤岭县", "安平县", "长宁市", "永丰县"]
OLD_COUNTIES = ["东湖区", "西山区", "南溪县", "北岭县", "青田市"]
TOWN_FIRST = "东西南北上下大小新老石金龙凤桃梅"
TOWN_SECOND = ["坪", "桥", "田", "港", "溪", "岭", "塘", "湾", "铺", "坝", "口", "源"]
ZONES = ["云川临港物流园区", "云川生物医药产业园", "云川新能源产业园", "云川数字经济产业园", "云川综合保税区",
         "云川现代农业示范园", "云川文化创意产业园", "云川航空产业园", "云川大健康产业园", "云川智能制造产业园",
         "云川新材料产业园"]
COMPANIES = ["交通投资", "水务", "文化旅游", "农业发展", "国有资本运营", "城市建设", "能源", "现代物流", "医药健康",
             "数字科技", "工业投资", "住房保障", "金融控股", "供应链", "环保产业", "林业发展", "产业投资", "公共交通",
             "燃气", "会展"]
BRANCH_BUREAUS = ["市公安局", "市自然资源局", "市生态环境局"]

TOPICS = ["数字政府建设", "优化营商环境", "乡村振兴", "新型城镇化", "制造业高质量发展", "生态环境保护", "养老服务体系建设",
          "全民健身", "职业教育改革", "科技创新", "文化旅游融合发展", "现代物流发展", "招商引资", "城市更新",
          "安全生产专项整治", "农村人居环境整治", "医疗卫生服务能力提升", "就业优先", "县域经济发展", "开发区改革创新",
          "数据要素市场化配置", "绿色低碳发展", "平安云川建设", "法治政府建设", "社会信用体系建设", "普惠金融发展",
          "住房保障", "消费提质扩容", "外贸稳规模优结构", "人才强市", "教育强市", "交通强市", "水利基础设施建设",
          "粮食安全", "食品安全", "应急管理能力提升", "市场主体培育", "中小企业发展", "民营经济发展", "政务服务标准化"]


@dataclass
class LargeResult:
    created: dict[str, int] = field(default_factory=dict)
    already_there: bool = False
    password: str = PASSWORD


def doc_number(index: int) -> str:
    return f"{DOC_PREFIX}〔2025〕{index + 100}号"


def _docs(scale: float) -> int:
    """Documents to generate: the city's total less the small demo's (called before any is generated)."""
    return max(2, round((DOCUMENTS - PolicyDocument.objects.exclude(doc_number__startswith=DOC_PREFIX).count()) * scale))


def seed_large(today: datetime.date | None = None, scale: float = 1.0, log: Callable[[str], None] = lambda s: None
               ) -> LargeResult:
    """Write the city (after the small demo) unless it is already there."""
    today = today or timezone.localdate()
    seed_small(today)
    if PolicyDocument.objects.filter(doc_number=doc_number(0)).exists():  # written in one transaction: all or none
        return LargeResult(already_there=True)
    rng = random.Random(SEED)
    result = LargeResult()
    with transaction.atomic():
        departments = _directory(rng, scale, result, log)
        _users(rng, departments, scale, result, log)
        measures = _documents(rng, today, scale, result, log)
        assignments = _assignments(rng, today, measures, departments, scale, result, log)
        _reports(rng, today, assignments, result, log)
        _follow_up(rng, today, assignments, result, log)
        # bulk writes send no signals: the dashboard's rollups are counted once, from scratch
        rebuild.check(repair=True)
        log("rollups counted")
    analyze([Department, Membership, PolicyDocument, Section, Measure, Assignment, ProgressReport, Urge,
             ExtensionRequest, *rebuild.ALL_TALLIES], log)
    return result


# --- directory and people ----------------------------------------------------------------------


def _directory(rng: random.Random, scale: float, result: LargeResult, log) -> list[Dept]:
    wanted = max(5, round((DEPARTMENTS - Department.objects.count()) * scale))
    names: list[tuple[str, str, str]] = []  # (name, short name, kind)
    names += [(name, "", DepartmentKind.BUREAU) for name in BUREAUS]
    names += [(f"{county}人民政府", f"{county}政府", DepartmentKind.COUNTY) for county in NEW_COUNTIES]
    names += [(f"{zone}管理委员会", f"{zone}管委会", DepartmentKind.ZONE) for zone in ZONES]
    names += [(f"云川市{company}集团有限公司", f"市{company}集团", DepartmentKind.COMPANY) for company in COMPANIES]
    names += [(f"{bureau}{county[:-1]}分局", "", DepartmentKind.BUREAU) for bureau in BRANCH_BUREAUS
              for county in OLD_COUNTIES + NEW_COUNTIES]
    towns = [a + b for a in TOWN_FIRST for b in TOWN_SECOND]
    rng.shuffle(towns)
    counties = OLD_COUNTIES + NEW_COUNTIES
    for i, town in enumerate(towns):
        county = counties[i % len(counties)]
        suffix = "街道办事处" if county.endswith("区") else "镇人民政府"
        names.append((f"{county}{town}{suffix}", f"{county}{town}{suffix[:2]}", DepartmentKind.OTHER))
    existing = set(Department.objects.values_list("name", flat=True))
    chosen = [(normalize_name(n), normalize_name(s), k) for n, s, k in names if normalize_name(n) not in existing][:wanted]
    start = Department.objects.count() + 1
    created = Department.objects.bulk_create(
        [Department(name=n, short_name=s, kind=k, sort_order=start + i, requires_leader_approval=rng.random() < 0.05)
         for i, (n, s, k) in enumerate(chosen)], batch_size=BATCH,
    )
    DepartmentAlias.objects.bulk_create(
        [DepartmentAlias(department=d, name=normalize_name(d.name.removesuffix("人民政府")))
         for d in created if d.kind == DepartmentKind.COUNTY], batch_size=BATCH,
    )
    result.created["departments"] = len(created)
    log(f"departments {len(created)}")
    workers = Department.objects.exclude(kind=DepartmentKind.GROUP).exclude(
        name__in=[directory.OFFICE, directory.GOVERNMENT]).order_by("sort_order", "pk")
    return [Dept(pk, round(rng.uniform(0.55, 0.98), 2)) for pk in workers.values_list("pk", flat=True)]


def _users(rng: random.Random, departments: list[Dept], scale: float, result: LargeResult, log) -> None:
    User = get_user_model()
    wanted = max(10, round((USERS - User.objects.count()) * scale))
    password = make_password(PASSWORD)  # hashed once: a slow hash per user would take minutes
    office_dept = Department.objects.get(name=directory.OFFICE)
    government = Department.objects.get(name=directory.GOVERNMENT)
    plan: list[tuple[str, str, int, str]] = []  # (username, full name, department, role)
    plan += [(f"office{i:02d}", f"督查室 督查员{i}", office_dept.pk, Role.OFFICE) for i in range(1, 9)]
    plan += [(f"leadership{i:02d}", f"市领导{i}", government.pk, Role.LEADERSHIP) for i in range(1, 4)]
    per_department = max(2, -(-(wanted - len(plan)) // len(departments)))  # rounded up; the plan is cut to size
    for n, dept in enumerate(departments, start=1):
        plan.append((f"dept{n:03d}.leader", f"单位{n:03d} 负责人", dept.pk, Role.LEADER))
        plan += [(f"dept{n:03d}.staff{k}", f"单位{n:03d} 填报员{k}", dept.pk, Role.STAFF) for k in range(1, per_department)]
    plan = plan[:wanted]
    users = User.objects.bulk_create(
        [User(username=u, first_name=name, email=f"{u}@example.com", password=password) for u, name, _d, _r in plan],
        batch_size=BATCH,
    )
    by_name = {u.username: u.pk for u in users}
    if any(pk is None for pk in by_name.values()):  # databases that do not return ids from bulk inserts
        by_name = dict(User.objects.filter(username__in=[p[0] for p in plan]).values_list("username", "pk"))
    Membership.objects.bulk_create(
        [Membership(user_id=by_name[u], department_id=d, role=r) for u, _n, d, r in plan], batch_size=BATCH
    )
    result.created["users"] = len(users)
    log(f"users {len(users)}")


# --- documents and measures --------------------------------------------------------------------


def _documents(rng: random.Random, today: datetime.date, scale: float, result: LargeResult, log) -> list[Plan]:
    count = _docs(scale)
    per_document, extra = divmod(max(count * 5, round((MEASURES - Measure.objects.count()) * scale)), count)
    # every fourth document belongs to the business-environment group of the small demo
    business_group = LeadingGroup.objects.get(name=business.GROUP)
    documents = []
    for i in range(count):
        topic, kind = TOPICS[i % len(TOPICS)], KINDS[(i // len(TOPICS)) % len(KINDS)]
        issued = today - datetime.timedelta(days=rng.randint(340, 1000))
        documents.append(PolicyDocument(
            title=f"云川市{topic}{kind}" + ("" if i < len(TOPICS) else f"(第{i // len(TOPICS) + 1}批)"),
            doc_number=doc_number(i),
            issuer="云川市人民政府" if i % 3 == 0 else "云川市人民政府办公室",
            issued_date=issued, status=DocumentStatus.ACTIVE, group=business_group if i % 4 == 1 else None,
        ))
    documents = PolicyDocument.objects.bulk_create(documents, batch_size=BATCH)
    documents = list(PolicyDocument.objects.filter(doc_number__startswith=DOC_PREFIX).order_by("pk"))
    Section.objects.bulk_create(
        [Section(document=d, number="二、", title="重点任务", level=1, order=1) for d in documents], batch_size=BATCH
    )
    tops = dict(Section.objects.filter(document__in=documents, number="二、").values_list("document_id", "pk"))
    Section.objects.bulk_create(
        [Section(document=d, parent_id=tops[d.pk], number=f"({'一二三四'[j]})", title=title, level=2, order=j + 2)
         for d in documents for j, title in enumerate(SECTIONS)], batch_size=BATCH,
    )
    sub_ids: dict[int, list[int]] = {}
    for document_id, pk in Section.objects.filter(document__in=documents, level=2).order_by("pk").values_list(
            "document_id", "pk"):
        sub_ids.setdefault(document_id, []).append(pk)
    measures = []
    for i, document in enumerate(documents):
        for n in range(1, per_document + (1 if i < extra else 0) + 1):
            # "X月底前": the last day of the month, as the parser reads the phrase printed beside it
            deadline = None if rng.random() < 0.1 else month_end(today + datetime.timedelta(days=rng.randint(-300, 540)))
            recurrence = rng.choices([Recurrence.NONE, Recurrence.MONTHLY, Recurrence.QUARTERLY, Recurrence.BIMONTHLY],
                                     weights=[45, 40, 10, 5])[0]
            title = f"{rng.choice(VERBS)}{rng.choice(OBJECTS)}"
            phrase = f"{deadline.year}年{deadline.month}月底前" if deadline else "持续推进"
            measures.append(Measure(
                document=document, section_id=sub_ids[document.pk][(n - 1) * 4 // (per_document + 1)],
                number=str(n), title=title, order=n, deadline=deadline, deadline_text=phrase,
                is_ongoing=deadline is None, recurrence=recurrence,
                content=f"{title}。围绕{document.title[3:9]}目标,细化工作举措,{phrase}取得明显成效。",
            ))
    Measure.objects.bulk_create(measures, batch_size=BATCH)
    rows = Measure.objects.filter(document__in=documents).order_by("pk").values_list(
        "pk", "deadline", "recurrence", "document__issued_date")
    plans = [Plan(pk, deadline, recurrence, issued) for pk, deadline, recurrence, issued in rows]
    Indicator.objects.bulk_create(
        [Indicator(measure_id=p.pk, name="完成项目数", comparator=Comparator.GTE, target_value=Decimal(rng.randint(5, 50)),
                   unit="个", due_date=p.deadline) for p in plans if rng.random() < 0.2], batch_size=BATCH,
    )
    Milestone.objects.bulk_create(
        [Milestone(measure_id=p.pk, title="完成阶段性任务", due_date=p.deadline - datetime.timedelta(days=90),
                   phrase="阶段节点") for p in plans if p.deadline and rng.random() < 0.3], batch_size=BATCH,
    )
    result.created.update(documents=len(documents), measures=len(plans))
    log(f"documents {len(documents)}, measures {len(plans)}")
    return plans


# --- assignments, reports and follow-up ----------------------------------------------------------


def _assignments(rng: random.Random, today: datetime.date, plans: list[Plan], departments: list[Dept],
                 scale: float, result: LargeResult, log) -> list[Work]:
    wanted = max(len(plans) * 3, round((ASSIGNMENTS - Assignment.objects.count()) * scale))
    per_measure, extra = divmod(wanted, len(plans))
    roles = [AssignmentRole.LEAD, AssignmentRole.RESPONSIBLE, AssignmentRole.SUPPORTING]
    rows, works = [], []
    now = timezone.now()
    for i, plan in enumerate(plans):
        chosen = rng.sample(departments, per_measure + (1 if i < extra else 0))
        for j, dept in enumerate(chosen):
            role = roles[0] if j == 0 else roles[1 + (j + i) % 2]
            status, percent, acknowledged, closed_at = assignment_state(rng, today, plan, dept)
            rows.append(Assignment(
                measure_id=plan.pk, department_id=dept.pk, role=role, status=status, percent=percent,
                acknowledged_at=acknowledged, closed_at=closed_at, created_at=now, due=plan.deadline,
            ))
            works.append(Work(0, plan, dept, status, closed_at))
    Assignment.objects.bulk_create(rows, batch_size=BATCH)  # PostgreSQL and SQLite ≥ 3.35 return the ids
    for work, row in zip(works, rows, strict=True):
        work.pk = row.pk
    # created_at is auto_now_add: set the day each document was given out, one statement per document date.
    by_day: dict[datetime.date, list[int]] = {}
    for work in works:
        by_day.setdefault(work.plan.created, []).append(work.pk)
    for day, pks in by_day.items():
        for start in range(0, len(pks), BATCH):
            Assignment.objects.filter(pk__in=pks[start:start + BATCH]).update(created_at=at(day, 9))
    result.created["assignments"] = len(works)
    log(f"assignments {len(works)}")
    return works


def _reports(rng: random.Random, today: datetime.date, works: list[Work], result: LargeResult, log) -> None:
    with sinks.rows(ProgressReport, REPORT_COLUMNS, copy=False) as reports:
        for row in report_rows(rng, today, works, MONTHS_REPORTED):
            reports.add(row)
    result.created["reports"] = reports.written
    log(f"reports {reports.written}")


def _follow_up(rng: random.Random, today: datetime.date, works: list[Work], result: LargeResult, log) -> None:
    """Some urges on overdue work and a few extension requests, as a month-end office has them."""
    urges = urged(rng, today, works)
    Urge.objects.bulk_create(
        [Urge(assignment_id=w.pk, message=URGE_MESSAGE, reply=URGE_REPLY if rng.random() < 0.5 else "") for w in urges],
        batch_size=BATCH,
    )
    open_future = [w for w in works if w.status != AssignmentStatus.CLOSED and w.plan.deadline and w.plan.deadline >= today]
    asked = rng.sample(open_future, min(len(open_future), max(2, len(works) // 400)))
    ExtensionRequest.objects.bulk_create(
        [ExtensionRequest(assignment_id=w.pk, previous_deadline=w.plan.deadline,
                          requested_deadline=w.plan.deadline + datetime.timedelta(days=90), reason=EXTENSION_REASON,
                          status=ExtensionStatus.PENDING if i % 5 == 0 else ExtensionStatus.REFUSED)
         for i, w in enumerate(asked)], batch_size=BATCH,
    )
    result.created.update(urges=len(urges), extension_requests=len(asked))
    log(f"urges {len(urges)}, extension requests {len(asked)}")
