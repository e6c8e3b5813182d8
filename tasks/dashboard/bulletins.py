"""Bulletins (通报): the office picks a period and the system drafts the bulletin from the same
numbers as the dashboard (tasks.dashboard.numbers), keeps it as a snapshot, and publishes it to every
department. The .docx is written from the snapshot, so it never changes after publication."""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Exists, F, Max, OuterRef, Q, QuerySet, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _

from departments.models import LeadingGroup
from departments.roles import get_roles
from documents.models import Measure
from tasks.choices import AssignmentRole, AssignmentStatus
from tasks.dashboard import counting, filtering, presentation, windows
from tasks.dashboard import numbers as dashboard
from tasks.models import Assignment, Bulletin


def completed_measures(assignments: QuerySet[Assignment], window: windows.Window) -> list[dict[str, Any]]:
    """Measures completed inside ``window`` by the rule of tasks.workflow.status.MEASURE_STATUS_RULE: every
    lead assignment (else every responsible one, else every one) is closed; the measure was
    completed when the last of those closed. One query."""
    of_measure = Assignment.objects.filter(measure=OuterRef("pk"))
    open_ones = of_measure.exclude(status=AssignmentStatus.CLOSED)

    def last_closed(queryset: QuerySet[Assignment]) -> Subquery:
        return Subquery(queryset.order_by().values("measure").annotate(last=Max("closed_at")).values("last")[:1])

    lead, responsible = of_measure.filter(role=AssignmentRole.LEAD), of_measure.filter(role=AssignmentRole.RESPONSIBLE)
    candidates = assignments.filter(
        status=AssignmentStatus.CLOSED,
        closed_at__gte=windows.start_of_day_after(window.start - datetime.timedelta(days=1)),
        closed_at__lt=windows.start_of_day_after(window.end),
    ).values("measure_id")
    measures = (
        Measure.objects.filter(pk__in=candidates)
        .annotate(
            has_lead=Exists(lead), has_responsible=Exists(responsible),
            open_lead=Exists(open_ones.filter(role=AssignmentRole.LEAD)),
            open_responsible=Exists(open_ones.filter(role=AssignmentRole.RESPONSIBLE)),
            open_any=Exists(open_ones),
            lead_closed=last_closed(lead), responsible_closed=last_closed(responsible), any_closed=last_closed(of_measure),
        )
        .filter(
            Q(has_lead=True, open_lead=False)
            | Q(has_lead=False, has_responsible=True, open_responsible=False)
            | Q(has_lead=False, has_responsible=False, open_any=False)
        )
        .values("pk", "number", "title", "has_lead", "has_responsible", "lead_closed", "responsible_closed",
                "any_closed", document_title=F("document__title"))
        .order_by("document__issued_date", "document_id", "order", "pk")
    )
    start, end = windows.start_of_day_after(window.start - datetime.timedelta(days=1)), windows.start_of_day_after(window.end)
    completed = []
    for row in measures:
        closed_at = row["lead_closed"] if row["has_lead"] else (
            row["responsible_closed"] if row["has_responsible"] else row["any_closed"])
        if closed_at is not None and start <= closed_at < end:
            completed.append({
                "document": row["document_title"], "number": row["number"], "title": row["title"],
                "completed_on": timezone.localdate(closed_at).isoformat(),
            })
    return completed


def overdue_items(assignments: QuerySet[Assignment], today: datetime.date) -> list[dict[str, Any]]:
    """Every overdue assignment with its department, the latest deadlines last (one query)."""
    rows = (
        assignments.filter(counting.state_q(counting.OVERDUE, today))
        .select_related("measure__document", "department")
        .order_by("department__sort_order", "department__name", "due", "measure_id")
    )
    return [
        {
            "department": str(a.department), "document": a.measure.document.title, "number": a.measure.number,
            "title": a.measure.title, "role": a.get_role_display(),
            "due": a.due.isoformat(),  # type: ignore[union-attr]  # overdue: it has a deadline
            "days_overdue": (today - a.due).days,  # type: ignore[operator]
            "percent": a.percent,
        }
        for a in rows
    ]


def build_content(user, window: windows.Window, today: datetime.date) -> dict[str, Any]:
    """The snapshot a bulletin keeps: the dashboard's numbers for the period and the lists."""
    filters = filtering.Filters(window=window)
    board = dashboard.build(user, filters, today)
    assignments = filtering.scoped(user, filters)
    data = board.as_json()
    return {
        "as_of": today.isoformat(),
        "period": {"key": window.key, "label": window.label, "start": window.start.isoformat(),
                   "end": window.end.isoformat()},
        "summary": {key: value for key, value in data["summary"].items() if key != "links"},
        "overdue": overdue_items(assignments, today),
        "ranking": [
            {key: getattr(row, key) for key in ("rank", "name", "assigned", "closed", "overdue", "acknowledged",
                                       "on_time_closure_rate", "on_time_report_rate", "score")}
            for row in presentation.sort_departments([*board.departments], "rank")
        ],
        "completed": completed_measures(assignments, window),
        "formula": board.formula,
        "score_rule": board.score_rule,
    }


def default_title(window: windows.Window) -> str:
    return _("关于%(period)s政策落实工作推进情况的通报") % {"period": window.label}


def draft_bulletin(user, window: windows.Window, title: str = "", today: datetime.date | None = None) -> Bulletin:
    """Draft the bulletin of ``window`` from today's numbers (the office only)."""
    roles = get_roles(user)
    if not roles.is_office:
        raise PermissionDenied(_("只有督查员可以起草通报。"))
    today = today or timezone.localdate()
    # A group's office issues its bulletins in the group's name; the general office in its own.
    groups = roles.oversees_groups
    group_id = next(iter(groups)) if len(groups) == 1 else None
    if window.start > today:
        raise ValidationError(_("%(period)s尚未开始，不能起草通报。") % {"period": window.label})
    issuer = {}
    if group_id is not None:
        issuer["issuer"] = f"{LeadingGroup.objects.get(pk=group_id).name}办公室"[:100]
    return Bulletin.objects.create(
        period=window.key, period_start=window.start, period_end=window.end,
        title=title.strip() or default_title(window), content=build_content(user, window, today), created_by=user,
        group_id=group_id, **issuer,
    )


def publish_bulletin(bulletin: Bulletin, user) -> Bulletin:
    """Publish a draft: from now on every department reads it. Publishing twice is refused."""
    if not get_roles(user).is_office:
        raise PermissionDenied(_("只有督查员可以发布通报。"))
    with transaction.atomic():
        updated = Bulletin.objects.filter(pk=bulletin.pk, is_published=False).update(
            is_published=True, published_at=timezone.now(), published_by=user
        )
        if not updated:
            raise ValidationError(_("该通报已经发布过了。"))
    bulletin.refresh_from_db()
    return bulletin


def _percent(value: float | None) -> str:
    return "—" if value is None else f"{value:g}%"


def _number(value: float | None) -> str:
    return "—" if value is None else f"{value:g}"


def chinese_date(value: str | datetime.date) -> str:
    """2026年6月25日 (official documents write dates in full, with Arabic numerals)."""
    day = datetime.date.fromisoformat(value) if isinstance(value, str) else value
    return f"{day.year}年{day.month}月{day.day}日"


def summary_lines(content: dict[str, Any]) -> list[str]:
    """The summary paragraph, shared by the print page and the .docx: measures and assignments
    counted apart (snapshots older than the overdue-measure count leave it out)."""
    s = content["summary"]
    measures = _("纳入跟踪的措施 %(measures)d 项") % {"measures": s["measures"]}
    if s.get("overdue_measures") is not None:
        measures += _("，其中逾期措施 %(n)d 项") % {"n": s["overdue_measures"]}
    return [
        _("截至%(as_of)s，%(measures)s；任务分工 %(assignments)d 项：已办结 %(closed)d 项，推进中 %(in_progress)d 项，"
          "逾期 %(overdue)d 项，待签收 %(pending)d 项；%(soon)d 项将在近期到期。")
        % {"as_of": chinese_date(content["as_of"]), "measures": measures, "assignments": s["assignments"],
           "closed": s["closed"], "in_progress": s["in_progress"], "overdue": s["overdue"], "pending": s["pending"],
           "soon": s["due_soon"]},
        _("%(period)s应报告 %(expected)d 份，已报送 %(received)d 份，报告率 %(rate)s；按时报告率 %(on_time)s；"
          "按时办结率 %(closure)s。本期办结措施 %(completed)d 项。")
        % {"period": content["period"]["label"], "expected": s["reports_expected"], "received": s["reports_received"],
           "rate": _percent(s["report_rate"]), "on_time": _percent(s["on_time_report_rate"]),
           "closure": _percent(s["on_time_closure_rate"]), "completed": len(content["completed"])},
    ]


def tables(content: dict[str, Any]) -> list[tuple[str, list[str], list[list[str]]]]:
    """The bulletin's tables as (heading, header row, rows) for the print page and the .docx."""
    return [
        (_("逾期事项"), [_("单位"), _("政策文件"), _("编号"), _("措施"), _("角色"), _("时限"), _("逾期天数"), _("进度")],
         [[o["department"], o["document"], o["number"], o["title"], o["role"], o["due"], str(o["days_overdue"]),
           f'{o["percent"]}%'] for o in content["overdue"]]),
        (_("单位排名"), [_("名次"), _("单位"), _("分工"), _("已办结"), _("逾期"), _("已签收"), _("按时办结率"),
                         _("按时报告率"), _("得分")],
         [[str(r["rank"]), r["name"], str(r["assigned"]), str(r["closed"]), str(r["overdue"]), str(r["acknowledged"]),
           _percent(r["on_time_closure_rate"]), _percent(r["on_time_report_rate"]), _number(r["score"])]
          for r in content["ranking"]]),
        (_("本期办结的措施"), [_("政策文件"), _("编号"), _("措施"), _("办结日期")],
         [[c["document"], c["number"], c["title"], c["completed_on"]] for c in content["completed"]]),
    ]


CODE_WORD = re.compile(r"[A-Za-z][A-Za-z0-9]*_[A-Za-z0-9_]+")
NUMERALS = "一二三四五六七八九十"


def plain_words(text: str) -> str:
    """``text`` without its sentences that name a setting or other code word (older snapshots
    said which settings hold the score's weights): a bulletin speaks to people."""
    sentences = re.findall(r"[^。]+。?", text or "")
    return "".join(sentence for sentence in sentences if not CODE_WORD.search(sentence))


def paragraphs_of(text: str) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


@dataclass(frozen=True)
class Part:
    """A numbered part of the body: its heading, paragraphs and (optionally) one table."""

    heading: str
    paragraphs: list[str]
    table: tuple[list[str], list[list[str]]] | None = None


@dataclass(frozen=True)
class OfficialDocument:
    """The bulletin as an official document (公文), the same for the print page and the .docx."""

    issuer: str
    doc_number: str
    title: str
    recipients: str
    foreword: list[str]
    parts: list[Part]
    note: list[str]
    signed: str
    date: str


def official_document(bulletin: Bulletin) -> OfficialDocument:
    content = bulletin.content
    foreword = paragraphs_of(bulletin.foreword) or [
        _("现将%(period)s政策落实工作推进情况通报如下。") % {"period": content["period"]["label"]}]
    parts = [Part(_("总体情况"), summary_lines(content))]
    for heading, header, rows in tables(content):
        parts.append(Part(heading, [] if rows else [_("无。")], (header, rows) if rows else None))
    if paragraphs_of(bulletin.next_steps):
        parts.append(Part(_("下一步工作"), paragraphs_of(bulletin.next_steps)))
    parts = [Part(f"{NUMERALS[i]}、{part.heading}", part.paragraphs, part.table) for i, part in enumerate(parts)]
    note = [text for text in (plain_words(content.get("formula", "")), plain_words(content.get("score_rule", ""))) if text]
    day = timezone.localtime(bulletin.published_at).date() if bulletin.published_at else \
        timezone.localtime(bulletin.created_at).date() if bulletin.created_at else timezone.localdate()
    return OfficialDocument(
        issuer=bulletin.issuer, doc_number=bulletin.doc_number, title=bulletin.title,
        recipients=bulletin.recipients.rstrip("：:") + "：", foreword=foreword, parts=parts, note=note,
        signed=bulletin.issuer, date=chinese_date(day),
    )


def edit_bulletin(bulletin: Bulletin, user, **fields: str) -> Bulletin:
    """The office writes the parts of a draft that are its own words (red header, number,
    recipients, 按语, 下一步工作, title); a published bulletin is refused."""
    if not get_roles(user).is_office:
        raise PermissionDenied(_("只有督查员可以修改通报。"))
    with transaction.atomic():
        locked = Bulletin.objects.select_for_update().get(pk=bulletin.pk)
        if locked.is_published:
            raise ValidationError(_("通报已发布，不能再修改。"))
        for name, value in fields.items():
            setattr(locked, name, value)
        locked.full_clean()
        locked.save()
    return locked
