"""The province's work (tasks.demo.province): each government's documents with their sections,
measures, indicators and milestones; the assignments of every measure to the issuing
government's units; their reports over the reporting periods; urges and extensions.

Rows are numbered here (primary keys reserved with ``sinks.reserve_ids``) and streamed to the
database, so that no row is read back and two million reports never sit in memory together.
"""

from __future__ import annotations

import datetime
import random
from collections import Counter
from collections.abc import Callable
from decimal import Decimal

from departments.models import LeadingGroup
from documents.choices import Comparator, DocumentStatus, Recurrence
from documents.models import Indicator, Measure, Milestone, PolicyDocument, Section
from tasks.choices import AssignmentRole, AssignmentStatus, ExtensionStatus
from tasks.demo import scaled, sinks
from tasks.demo.large import TOPICS
from tasks.demo.province_names import Area
from tasks.models import Assignment, ExtensionRequest, ProgressReport, Urge

# Target totals, the small demo included (tasks.demo.province.MEASURES and ASSIGNMENTS).
DOCUMENTS, MEASURES = 2000, 50000
SHARES = {"province": 0.08, "city": 0.42}  # of the documents; the counties issue the rest
# Per level: how many units besides the lead a measure names (at most), and how often it gives
# the work to every city or county (各设区市人民政府, 各县(市、区)人民政府) as well.
OTHERS = {"province": 4, "city": 4, "county": 3}
EVERY_MEMBER = {"province": 0.3, "city": 0.25, "county": 0.0}
QUARTERS = "一二三四"
REPORTS_LOGGED = 500_000  # a progress line after this many reports

Log = Callable[[str], None]


def documents(rng: random.Random, today: datetime.date, areas: list[Area], groups: list[LeadingGroup], scale: float,
              created: dict[str, int], copy: bool | None, clock: Log) -> list[tuple[scaled.Plan, Area]]:
    """Each government's documents, the province's shared among its leading groups (and, every
    fourth one or so, the general office's); answers every measure with the area that issued it."""
    issuers = _issuers(areas, max(len(areas), round((DOCUMENTS - PolicyDocument.objects.count()) * scale)))
    per_document, extra = divmod(max(3 * len(issuers), round((MEASURES - Measure.objects.count()) * scale)),
                                 len(issuers))
    first_document = sinks.reserve_ids(PolicyDocument, len(issuers))
    first_section = sinks.reserve_ids(Section, len(issuers) * (1 + len(scaled.SECTIONS)))
    first_measure = sinks.reserve_ids(Measure, per_document * len(issuers) + extra)
    numbers: Counter = Counter()
    plans: list[tuple[scaled.Plan, Area]] = []
    with (sinks.rows(PolicyDocument, ["id", "title", "doc_number", "issuer", "issued_date", "status", "group_id"],
                     copy=copy) as documents_,
          sinks.rows(Section, ["id", "document_id", "parent_id", "number", "title", "level", "order"], copy=copy) as sections,
          sinks.rows(Measure, ["id", "document_id", "section_id", "number", "title", "content", "deadline", "deadline_text",
                               "is_ongoing", "recurrence", "order"], copy=copy) as measures):
        province_documents = 0
        for i, area in enumerate(issuers):
            document, top = first_document + i, first_section + i * (1 + len(scaled.SECTIONS))
            issued = today - datetime.timedelta(days=rng.randint(340, 1000))
            by_office = rng.random() < 0.6
            series = f"{area.prefix}{'办' if by_office else ''}{area.word}"
            numbers[series, issued.year] += 1
            topic = _topic(rng.choice(TOPICS), area)
            group = None
            if area.level == "province":
                slot, province_documents = province_documents % (len(groups) + 2), province_documents + 1
                group = groups[slot].pk if slot < len(groups) else None
            documents_.add((document, f"{area.name}{topic}{rng.choice(scaled.KINDS)}",
                            f"{series}〔{issued.year}〕{numbers[series, issued.year]}号",
                            area.office if by_office else area.issuer, issued, DocumentStatus.ACTIVE, group))
            sections.add((top, document, None, "二、", "重点任务", 1, 1))
            for j, title in enumerate(scaled.SECTIONS):
                sections.add((top + 1 + j, document, top, f"({QUARTERS[j]})", title, 2, j + 2))
            count = per_document + (1 if i < extra else 0)
            for n in range(1, count + 1):
                pk = first_measure + len(plans)
                deadline, phrase = _deadline(rng, today)
                recurrence = rng.choices([Recurrence.NONE, Recurrence.MONTHLY, Recurrence.QUARTERLY, Recurrence.BIMONTHLY],
                                         weights=[45, 40, 10, 5])[0]
                title = f"{rng.choice(scaled.VERBS)}{rng.choice(scaled.OBJECTS)}"
                measures.add((pk, document, top + 1 + (n - 1) * len(scaled.SECTIONS) // (count + 1), str(n), title,
                              f"{title}。围绕{topic}目标,细化工作举措,{phrase}取得明显成效。", deadline, phrase,
                              deadline is None, recurrence, n))
                plans.append((scaled.Plan(pk, deadline, recurrence, issued), area))
    with (sinks.rows(Indicator, ["measure_id", "name", "comparator", "target_value", "unit", "due_date"],
                     copy=copy) as indicators,
          sinks.rows(Milestone, ["measure_id", "title", "due_date", "phrase"], copy=copy) as milestones):
        for plan, _area in plans:
            if rng.random() < 0.2:
                indicators.add((plan.pk, "完成项目数", Comparator.GTE, Decimal(rng.randint(5, 50)), "个", plan.deadline))
            if plan.deadline and rng.random() < 0.3:
                step = scaled.month_end(plan.deadline - datetime.timedelta(days=90))
                milestones.add((plan.pk, "完成阶段性任务", step, f"{step.year}年{step.month}月底前"))
    created.update(documents=documents_.written, measures=measures.written, indicators=indicators.written,
                   milestones=milestones.written)
    clock(f"documents {documents_.written}, measures {measures.written}")
    return plans


def _issuers(areas: list[Area], count: int) -> list[Area]:
    """The area of each document: a share for the province, one for the cities, the rest for the
    counties, each share dealt round its areas."""
    by_level = {level: [a for a in areas if a.level == level] for level in ("province", "city", "county")}
    wanted = {level: max(len(by_level[level]), round(count * share)) for level, share in SHARES.items()}
    wanted["county"] = max(len(by_level["county"]), count - sum(wanted.values()))
    return [by_level[level][i % len(by_level[level])] for level in by_level for i in range(wanted[level])]


def _topic(topic: str, area: Area) -> str:
    """The city-scale demo's topics, said by this government (平安云川建设 → 平安临宁建设, 人才强市 → 人才强省)."""
    place = area.name.removesuffix("省").removesuffix("市") if area.level != "county" else area.name[:-1]
    word = {"province": "省", "city": "市", "county": "县"}[area.level]
    return topic.replace("云川", place).replace("强市", f"强{word}")


def _deadline(rng: random.Random, today: datetime.date) -> tuple[datetime.date | None, str]:
    """A deadline and the phrase printed for it: the end of a month, a quarter or a year, or none."""
    kind = rng.choices(["month", "quarter", "year", "ongoing"], weights=[50, 20, 20, 10])[0]
    if kind == "ongoing":
        return None, rng.choice(["持续推进", "长期坚持"])
    day = today + datetime.timedelta(days=rng.randint(-300, 540))
    if kind == "month":
        deadline = scaled.month_end(day)
        return deadline, f"{deadline.year}年{deadline.month}月底前"
    if kind == "quarter":
        quarter = (day.month - 1) // 3
        return scaled.month_end(day.replace(month=quarter * 3 + 3, day=1)), f"{day.year}年第{QUARTERS[quarter]}季度末前"
    return datetime.date(day.year, 12, 31), f"{day.year}年底前"


def assignments(rng: random.Random, today: datetime.date, plans: list[tuple[scaled.Plan, Area]],
                departments: dict[int, scaled.Dept], created: dict[str, int], copy: bool | None, clock: Log
                ) -> list[scaled.Work]:
    """Each measure's lead, a few responsible and supporting units of its government and, for
    some, every city or county; a few open assignments with an approved extension, which sets
    their ``deadline`` and ``due`` (the effective deadline, which bulk writes must set themselves)."""
    roles = [AssignmentRole.RESPONSIBLE, AssignmentRole.SUPPORTING]
    works: list[scaled.Work] = []
    states: list[tuple[str, int, datetime.datetime | None]] = []  # (role, percent, acknowledged_at) of each work
    for i, (plan, area) in enumerate(plans):
        pool = area.unit_ids
        least = 0 if area.level == "county" else 1
        named = rng.sample(pool, min(len(pool), 1 + rng.randint(least, OTHERS[area.level])))
        given = [(pk, AssignmentRole.LEAD if j == 0 else roles[(j + i) % 2]) for j, pk in enumerate(named)]
        if area.member_ids and rng.random() < EVERY_MEMBER[area.level]:
            given += [(pk, AssignmentRole.RESPONSIBLE) for pk in area.member_ids if pk not in named]
        for pk, role in given:
            status, percent, acknowledged, closed_at = scaled.assignment_state(rng, today, plan, departments[pk])
            works.append(scaled.Work(0, plan, departments[pk], status, closed_at))
            states.append((role, percent, acknowledged))
    extendable = [w for w in works if w.status != AssignmentStatus.CLOSED and w.plan.deadline]
    for work in rng.sample(extendable, min(len(extendable), max(1, len(works) // 150))):
        work.extended = scaled.month_end(work.plan.deadline + datetime.timedelta(days=95))
    first = sinks.reserve_ids(Assignment, len(works))
    with sinks.rows(Assignment, ["id", "measure_id", "department_id", "role", "status", "percent", "deadline", "due",
                                 "acknowledged_at", "closed_at", "created_at"], copy=copy) as rows:
        for n, (work, (role, percent, acknowledged)) in enumerate(zip(works, states, strict=True)):
            work.pk = first + n
            rows.add((work.pk, work.plan.pk, work.dept.pk, role, work.status, percent, work.extended, work.due,
                      acknowledged, work.closed_at, scaled.at(work.plan.created, 9)))
    created["assignments"] = rows.written
    clock(f"assignments {rows.written}")
    return works


def reports(rng: random.Random, today: datetime.date, works: list[scaled.Work], created: dict[str, int],
            copy: bool | None, clock: Log) -> None:
    """The reports of every acknowledged assignment (tasks.demo.scaled.report_rows), streamed."""
    with sinks.rows(ProgressReport, scaled.REPORT_COLUMNS, copy=copy) as rows:
        for n, row in enumerate(scaled.report_rows(rng, today, works, scaled.MONTHS_REPORTED), start=1):
            rows.add(row)
            if n % REPORTS_LOGGED == 0:
                clock(f"  reports {n:,}…")
    created["reports"] = rows.written
    clock(f"reports {rows.written}")


def follow_up(rng: random.Random, today: datetime.date, works: list[scaled.Work], created: dict[str, int],
              copy: bool | None, clock: Log) -> None:
    """Urges on overdue work; the approved extensions behind the extended deadlines; a few
    requests waiting for the office or refused."""
    with sinks.rows(Urge, ["assignment_id", "message", "reply"], copy=copy) as urges:
        for work in scaled.urged(rng, today, works):
            urges.add((work.pk, scaled.URGE_MESSAGE, scaled.URGE_REPLY if rng.random() < 0.5 else ""))
    columns = ["assignment_id", "previous_deadline", "requested_deadline", "reason", "status", "requested_at",
               "decided_at", "decision_comment"]
    with sinks.rows(ExtensionRequest, columns, copy=copy) as extensions:
        for work in works:
            if work.extended is not None:
                asked = scaled.at(max(work.plan.created, work.plan.deadline - datetime.timedelta(days=20)), 10)
                extensions.add((work.pk, work.plan.deadline, work.extended, scaled.EXTENSION_REASON,
                                ExtensionStatus.APPROVED, asked, asked + datetime.timedelta(days=2), "同意延期。"))
        waiting = [w for w in works if w.status != AssignmentStatus.CLOSED and w.extended is None
                   and w.due and w.due >= today]
        for i, work in enumerate(rng.sample(waiting, min(len(waiting), max(2, len(works) // 400)))):
            asked = scaled.at(today - datetime.timedelta(days=rng.randint(1, 20)), 10)
            pending = i % 5 == 0
            extensions.add((work.pk, work.due, scaled.month_end(work.due + datetime.timedelta(days=90)),
                            scaled.EXTENSION_REASON,
                            ExtensionStatus.PENDING if pending else ExtensionStatus.REFUSED, asked,
                            None if pending else asked + datetime.timedelta(days=3), "" if pending else "请按原时限推进。"))
    created.update(urges=urges.written, extension_requests=extensions.written)
    clock(f"urges {urges.written}, extension requests {extensions.written}")
