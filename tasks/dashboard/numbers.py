"""The numbers of the office dashboard, its API and the bulletins (通报): one module, one formula.

Every count is an aggregate computed in the database over the *scoped* assignments (the user's
``visible_to`` assignments, narrowed by the dashboard's document and department-kind filters),
with a fixed number of queries whatever the size of the city:

1. the recurrences in use (so that no count is spent on periods nobody reports for);
2. one query grouped by department over the scoped assignments (states, expected reports), and
   one for those departments' names;
3. one grouped by department over their reports of the chosen period (received, on time);
4. one grouped by document (measures and progress bars), and one for those documents' titles;
5. three grouped by month: deadlines against closed, and closed and given (completion trend).

The cards add up the department rows (each assignment belongs to one department; measures are
added up per document, each measure belonging to one document); the rates, the score and the
rank are arithmetic on those counts.

The unit of counting is the assignment (任务分工: one department's share of one measure). Each
assignment is in exactly one state (``STATES``), first rule that applies: closed (已办结), overdue
(逾期: open and its effective deadline, an approved extension else the measure's, is before
today), in progress (推进中: acknowledged or reported), pending (待签收). States are as of today;
the period filter chooses the reporting periods whose reports are counted.

Reports: a reporting period of a measure (tasks.periods: its recurrence, monthly when none) is
*in* the chosen period when it ends inside it. An assignment is expected to report for such a
period when it was created before the period ended and was not closed by then. A report counts
when it has left the department's drafts; it is on time when it was submitted by the end of the
period plus REPORT_GRACE_DAYS. Rates are rounded half up to one decimal.

The department score (0–100) rewards work done on time and nothing else (never logins, clicks or
the number of files uploaded)::

    score = 100 × (W_closure × on-time closure rate + W_reports × on-time report rate)
                / (W_closure + W_reports)

- on-time closure rate: assignments closed by their effective deadline ÷ assignments that are
  closed or whose deadline has passed;
- on-time report rate: reports submitted by their deadline ÷ reports whose deadline has passed
  in the chosen period (plus reports already sent for periods still open, so reporting early
  counts and nobody is late before the deadline);
- a rate with nothing to measure is left out and the weights of the others are used alone; a
  department with neither has no score and is ranked last. Equal scores share a rank.

The weights are the settings ``SCORE_WEIGHT_ON_TIME_CLOSURE`` and ``SCORE_WEIGHT_ON_TIME_REPORTS``
(environment variables of the same names, read with ``policytrack.env.envint``; defaults 60 and 40).

The page and the API call ``build_cached``: the numbers of ``build``, kept in the cache under a
key that includes the counter of committed changes to the counted work (tasks.changes), so they
are computed once per change rather than once per request, and are never older than the last
commit.
"""

from __future__ import annotations

import calendar
import datetime
import hashlib
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, fields, replace
from decimal import ROUND_HALF_UP, Decimal
from functools import lru_cache
from typing import Any
from urllib.parse import urlencode

from django import forms
from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.db.models import Count, F, Q, QuerySet
from django.db.models.functions import Coalesce, TruncDate, TruncMonth
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from departments.choices import DepartmentKind
from departments.models import Department, LeadingGroup
from departments.roles import get_roles
from documents.models import PolicyDocument
from policytrack.env import envint
from tasks import changes
from tasks.choices import AssignmentStatus, ReportStatus
from tasks.models import Assignment, ProgressReport
from tasks.periods import Period, every_recurrence, period_containing

# --- the chosen period -------------------------------------------------------------------------

PERIOD_PATTERN = re.compile(r"^(?P<year>\d{4})(?:-(?:(?P<month>\d{1,2})|[Qq](?P<quarter>[1-4])))?$")


@dataclass(frozen=True)
class Window:
    """The span the office looks at: a month (2026-06), a quarter (2026-Q2) or a year (2026)."""

    key: str
    start: datetime.date
    end: datetime.date

    @property
    def label(self) -> str:
        if "Q" in self.key:
            return _("%(year)d年第%(q)d季度") % {"year": self.start.year, "q": (self.start.month - 1) // 3 + 1}
        if "-" in self.key:
            return _("%(year)d年%(month)d月") % {"year": self.start.year, "month": self.start.month}
        return _("%(year)d年") % {"year": self.start.year}


def month_window(day: datetime.date) -> Window:
    last = calendar.monthrange(day.year, day.month)[1]
    return Window(f"{day.year:04d}-{day.month:02d}", day.replace(day=1), day.replace(day=last))


def parse_period(value: str | None, today: datetime.date) -> Window:
    """The window named by ``value``; empty means the current month. Raises ValueError with a
    message for the user when ``value`` is not a month, a quarter or a year."""
    value = (value or "").strip()
    if not value:
        return month_window(today)
    match = PERIOD_PATTERN.match(value)
    year = int(match["year"]) if match else 0
    if not match or not 2000 <= year <= 2100:
        raise ValueError(
            _("无法识别的期间“%(value)s”：请填写月份（如 2026-06）、季度（如 2026-Q2）或年份（如 2026）。") % {"value": value}
        )
    if match["month"]:
        month = int(match["month"])
        if not 1 <= month <= 12:
            raise ValueError(_("月份应在 1 到 12 之间，收到“%(value)s”。") % {"value": value})
        return month_window(datetime.date(year, month, 1))
    if match["quarter"]:
        quarter = int(match["quarter"])
        start = datetime.date(year, quarter * 3 - 2, 1)
        end = month_window(datetime.date(year, quarter * 3, 1)).end
        return Window(f"{year:04d}-Q{quarter}", start, end)
    return Window(f"{year:04d}", datetime.date(year, 1, 1), datetime.date(year, 12, 31))


def recent_periods(today: datetime.date) -> list[Window]:
    """Suggestions for the period field: the last twelve months, four quarters and two years."""
    months, day = [], today.replace(day=1)
    for _step in range(12):
        months.append(month_window(day))
        day = (day - datetime.timedelta(days=1)).replace(day=1)
    quarter = (today.month - 1) // 3 + 1
    quarters = []
    year = today.year
    for _step in range(4):
        quarters.append(parse_period(f"{year}-Q{quarter}", today))
        quarter, year = (quarter - 1, year) if quarter > 1 else (4, year - 1)
    return months + quarters + [parse_period(str(today.year), today), parse_period(str(today.year - 1), today)]


# --- reporting periods inside a window ---------------------------------------------------------


def start_of_day_after(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day + datetime.timedelta(days=1), datetime.time.min))


@dataclass(frozen=True)
class Expected:
    """One reporting period of one recurrence that ends inside the window."""

    recurrence: str
    period: Period

    @property
    def deadline(self) -> datetime.datetime:
        """A report is on time when submitted before this moment (period end + grace days)."""
        return start_of_day_after(self.period.end + datetime.timedelta(days=settings.REPORT_GRACE_DAYS))

    def is_due(self, today: datetime.date) -> bool:
        """True once the deadline has passed (the day after end + grace, as the lights count)."""
        return today > self.period.end + datetime.timedelta(days=settings.REPORT_GRACE_DAYS)

    def eligible(self, prefix: str = "") -> Q:
        """Assignments expected to report for this period: created before it ended, not closed by then."""
        after = start_of_day_after(self.period.end)
        return Q(**{f"{prefix}measure__recurrence": self.recurrence, f"{prefix}created_at__lt": after}) & (
            Q(**{f"{prefix}closed_at__isnull": True}) | Q(**{f"{prefix}closed_at__gte": after})
        )


def expected_periods(window: Window) -> list[Expected]:
    found = []
    for recurrence in every_recurrence():
        period = period_containing(recurrence, window.start)
        while period.start <= window.end:
            if window.start <= period.end <= window.end:
                found.append(Expected(recurrence, period))
            period = period_containing(recurrence, period.end + datetime.timedelta(days=1))
    return found


def any_of(conditions: Iterable[Q]) -> Q:
    combined = Q(pk__in=[])
    for condition in conditions:
        combined |= condition
    return combined


def _per_period(prefix: str, expected: list[Expected], condition: Callable[[Expected], Q]) -> dict[str, Count]:
    """One count per reporting period (``prefix_0``, ``prefix_1`` …), added up by ``_add_up``: a
    year has over seventy weekly periods, too deep for SQLite as one nested sum."""
    return {f"{prefix}_{i}": Count("id", filter=condition(item)) for i, item in enumerate(expected)}


def _add_up(row: dict[str, Any], prefix: str) -> int:
    keys = [key for key in row if key.startswith(f"{prefix}_") and key[len(prefix) + 1:].isdigit()]
    return sum(row.pop(key) for key in keys)


# --- states --------------------------------------------------------------------------------------

CLOSED = "closed"
OVERDUE = "overdue"
IN_PROGRESS = "in_progress"
PENDING = "pending"
STATES = (
    (CLOSED, gettext_lazy("已办结")),
    (OVERDUE, gettext_lazy("逾期")),
    (IN_PROGRESS, gettext_lazy("推进中")),
    (PENDING, gettext_lazy("待签收")),
)


def state_q(state: str, today: datetime.date) -> Q:
    """The condition of one state on a queryset annotated with ``due`` (see ``with_due``)."""
    not_late = Q(due__gte=today) | Q(due__isnull=True)
    return {
        CLOSED: Q(status=AssignmentStatus.CLOSED),
        OVERDUE: ~Q(status=AssignmentStatus.CLOSED) & Q(due__lt=today),
        IN_PROGRESS: Q(status=AssignmentStatus.IN_PROGRESS) & not_late,
        PENDING: Q(status=AssignmentStatus.PENDING) & not_late,
    }[state]


def due_soon_q(today: datetime.date) -> Q:
    """Open and due within TRAFFIC_LIGHT_YELLOW_DAYS (the list filter ``due_within`` says the same)."""
    soon = today + datetime.timedelta(days=settings.TRAFFIC_LIGHT_YELLOW_DAYS)
    return ~Q(status=AssignmentStatus.CLOSED) & Q(due__gte=today, due__lte=soon)


ACKNOWLEDGED_Q = ~Q(status=AssignmentStatus.PENDING)


def assessed_q(today: datetime.date) -> Q:
    """Assignments the on-time closure rate judges: closed, or past their deadline."""
    return Q(status=AssignmentStatus.CLOSED) | Q(due__lt=today)


ON_TIME_CLOSED_Q = Q(status=AssignmentStatus.CLOSED) & (Q(due__isnull=True) | Q(closed_on__lte=F("due")))


def with_due(queryset: QuerySet[Assignment]) -> QuerySet[Assignment]:
    """Annotate ``due`` (the effective deadline) and ``closed_on`` (local date of closing)."""
    return queryset.annotate(due=Coalesce("deadline", "measure__deadline"), closed_on=TruncDate("closed_at"))


def received_q(expected: list[Expected], *, on_time: bool = False, only: Callable[[Expected], bool] | None = None) -> Q:
    """Reports (non-draft, on a ProgressReport queryset) sent for the expected periods."""
    terms = []
    for item in expected:
        if only is not None and not only(item):
            continue
        term = Q(period_start=item.period.start) & item.eligible("assignment__")
        if on_time:
            term &= Q(submitted_at__lt=item.deadline)
        terms.append(term)
    return any_of(terms) & ~Q(status=ReportStatus.DRAFT)


# --- settings: the score's weights -------------------------------------------------------------


@dataclass(frozen=True)
class ScoreWeights:
    on_time_closure: int
    on_time_reports: int


def score_weights() -> ScoreWeights:
    """Settings SCORE_WEIGHT_ON_TIME_CLOSURE / SCORE_WEIGHT_ON_TIME_REPORTS, else the environment
    variables of the same names (envint), else 60 and 40."""

    def read(name: str, default: int) -> int:
        value = getattr(settings, name, None)
        weight = envint(name, default) if value is None else int(value)
        if weight < 0:
            raise ValueError(f"{name} must not be negative")
        return weight

    return ScoreWeights(read("SCORE_WEIGHT_ON_TIME_CLOSURE", 60), read("SCORE_WEIGHT_ON_TIME_REPORTS", 40))


def rate(part: int, whole: int) -> float | None:
    """part ÷ whole in percent, rounded half up to one decimal; None when there is nothing to measure."""
    if not whole:
        return None
    return float((Decimal(100 * part) / Decimal(whole)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))


def score(closure: tuple[int, int], reports: tuple[int, int], weights: ScoreWeights) -> float | None:
    """The department score from (on time, assessed) pairs; see the module docstring."""
    parts = [(weights.on_time_closure, closure), (weights.on_time_reports, reports)]
    used = [(weight, part, whole) for weight, (part, whole) in parts if whole and weight]
    if not used:
        return None
    numerator = sum(Decimal(weight) * Decimal(part) / Decimal(whole) for weight, part, whole in used)
    value = Decimal(100) * numerator / Decimal(sum(weight for weight, _part, _whole in used))
    return float(value.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))


# --- filters -------------------------------------------------------------------------------------


class DashboardFilterForm(forms.Form):
    """The dashboard's (and its API's and bulletins') filters: document, department kind, period."""

    document = forms.ModelChoiceField(
        label=gettext_lazy("政策文件"), queryset=PolicyDocument.objects.none(), required=False,
        error_messages={"invalid_choice": gettext_lazy("所选政策文件不存在或您无权查看。")},
    )
    department_kind = forms.ChoiceField(
        label=gettext_lazy("单位类型"), choices=[("", gettext_lazy("全部类型")), *DepartmentKind.choices],
        required=False,
        error_messages={"invalid_choice": gettext_lazy("单位类型“%(value)s”不存在。")},
    )
    period = forms.CharField(label=gettext_lazy("期间"), required=False, max_length=10)
    sort = forms.CharField(required=False)
    group = forms.ModelChoiceField(
        label=gettext_lazy("领导小组"), queryset=LeadingGroup.objects.none(), required=False,
        error_messages={"invalid_choice": gettext_lazy("所选领导小组不存在或您无权查看。")},
    )

    def __init__(self, data, *, user, today: datetime.date) -> None:
        super().__init__(data)
        self.today = today
        visible = PolicyDocument.objects.visible_to(user)
        self.fields["document"].queryset = (  # a choice list: the documents' texts stay in the database
            visible.only("id", "title", "doc_number", "issued_date").order_by("-issued_date", "-id")
        )
        self.fields["group"].queryset = LeadingGroup.objects.filter(pk__in=visible.values("group_id"))

    def clean_period(self) -> Window:
        try:
            return parse_period(self.cleaned_data["period"], self.today)
        except ValueError as exc:
            raise forms.ValidationError(str(exc)) from exc

    def clean_sort(self) -> str:
        value = self.cleaned_data["sort"] or "rank"
        if value.lstrip("-") not in DEPARTMENT_SORTS:
            raise forms.ValidationError(
                _("无法按“%(value)s”排序，可选：%(keys)s。") % {"value": value, "keys": "、".join(DEPARTMENT_SORTS)}
            )
        return value


@dataclass(frozen=True)
class Filters:
    window: Window
    document: PolicyDocument | None = None
    department_kind: str = ""
    sort: str = "rank"
    group: LeadingGroup | None = None

    def query(self) -> dict[str, str]:
        """The list filters these dashboard filters stand for."""
        query = {}
        if self.document is not None:
            query["document"] = str(self.document.pk)
        if self.group is not None:
            query["group"] = str(self.group.pk)
        if self.department_kind:
            query["department_kind"] = self.department_kind
        return query

    def as_json(self) -> dict[str, Any]:
        return {
            "document": self.document.pk if self.document else None,
            "group": self.group.pk if self.group else None,
            "department_kind": self.department_kind or None,
            "period": self.window.key,
            "period_start": self.window.start.isoformat(),
            "period_end": self.window.end.isoformat(),
            "sort": self.sort,
        }


def read_filters(data, user, today: datetime.date) -> tuple[Filters | None, DashboardFilterForm]:
    """Filters from a query string; None (and the form with its errors) when they are invalid."""
    form = DashboardFilterForm(data, user=user, today=today)
    if not form.is_valid():
        return None, form
    cleaned = form.cleaned_data
    return Filters(cleaned["period"], cleaned["document"], cleaned["department_kind"], cleaned["sort"],
                   group=cleaned.get("group")), form


def scoped(user, filters: Filters) -> QuerySet[Assignment]:
    """The assignments every number counts: what ``user`` may see, narrowed by the filters."""
    queryset = Assignment.objects.visible_to(user)
    if filters.document is not None:
        queryset = queryset.filter(measure__document=filters.document)
    if filters.group is not None:
        queryset = queryset.filter(measure__document__group=filters.group)
    if filters.department_kind:
        queryset = queryset.filter(department__kind=filters.department_kind)
    return queryset


# --- links to the list behind each number --------------------------------------------------------


class Links:
    """URLs of the list of assignments behind each number: the dashboard's filters plus the
    number's own. The path and the filters are encoded once; a table of 300 departments asks
    for some two thousand links per page."""

    def __init__(self, base: dict[str, str] | None = None, path: str | None = None) -> None:
        self.base = base or {}
        self.path = path or reverse("tasks:assignments")
        self.prefix = f"{self.path}?{urlencode(self.base)}&" if self.base else f"{self.path}?"

    def url(self, **extra: Any) -> str:
        pairs = "&".join(_pair(key, str(value)) for key, value in extra.items() if value not in (None, ""))
        return self.prefix + pairs if pairs else self.prefix[:-1]

    def with_filter(self, **extra: Any) -> Links:
        return Links({**self.base, **{key: str(value) for key, value in extra.items()}}, self.path)

    def without(self, key: str) -> Links:
        return Links({k: v for k, v in self.base.items() if k != key}, self.path)


@lru_cache(maxsize=4096)
def _pair(key: str, value: str) -> str:
    return urlencode({key: value})


# --- the numbers ---------------------------------------------------------------------------------

COUNTED = ("assignments", "closed", "overdue", "in_progress", "pending", "due_soon", "acknowledged", "assessed",
           "on_time_closed", "reports_expected", "reports_due", "reports_received", "reports_on_time", "reports_early")


@dataclass(frozen=True)
class Summary:
    """The cards: counts over the scoped assignments (see the module docstring)."""

    measures: int
    assignments: int
    closed: int
    in_progress: int
    overdue: int  # assignments (逾期分工); overdue_measures counts measures
    pending: int
    due_soon: int
    acknowledged: int
    assessed: int
    on_time_closed: int
    reports_expected: int
    reports_received: int
    reports_due: int
    reports_on_time: int
    reports_assessed: int = 0
    report_rate: float | None = None
    on_time_report_rate: float | None = None
    on_time_closure_rate: float | None = None
    overdue_measures: int = 0
    links: dict[str, str] = field(default_factory=dict)


def _assignment_counts(today: datetime.date, expected: list[Expected]) -> dict[str, Any]:
    return {
        "assignments": Count("id"),
        "closed": Count("id", filter=state_q(CLOSED, today)),
        "overdue": Count("id", filter=state_q(OVERDUE, today)),
        "in_progress": Count("id", filter=state_q(IN_PROGRESS, today)),
        "pending": Count("id", filter=state_q(PENDING, today)),
        "due_soon": Count("id", filter=due_soon_q(today)),
        "acknowledged": Count("id", filter=ACKNOWLEDGED_Q),
        "assessed": Count("id", filter=assessed_q(today)),
        "on_time_closed": Count("id", filter=ON_TIME_CLOSED_Q),
        **_per_period("expected", expected, lambda item: item.eligible()),
        **_per_period("due", [item for item in expected if item.is_due(today)], lambda item: item.eligible()),
    }


def _report_counts(today: datetime.date, expected: list[Expected]) -> dict[str, Any]:
    """Counts over ``_reports_of`` (this window's sent reports)."""
    return {
        "reports_received": Count("id", filter=received_q(expected)),
        "reports_on_time": Count("id", filter=received_q(expected, on_time=True)),
        "reports_early": Count("id", filter=received_q(expected, only=lambda item: not item.is_due(today))),
    }


def _reports_of(assignments: QuerySet[Assignment], expected: list[Expected]) -> QuerySet[ProgressReport]:
    """Sent reports of the scoped assignments that start like an expected period (narrowed up front,
    so that the database joins this window's reports, not every report ever written); the counts
    then keep those of the right recurrence and eligible assignment."""
    reports = ProgressReport.objects.filter(period_start__in={item.period.start for item in expected})
    if assignments.query.has_filters():  # else every assignment is in scope: no need to join them twice
        reports = reports.filter(assignment__in=assignments.values("pk"))
    return reports.exclude(status=ReportStatus.DRAFT)


def recurrences_in_use() -> set[str]:
    """Recurrences some measure has: periods of the others would only add empty counts."""
    from documents.models import Measure

    return set(Measure.objects.order_by().values_list("recurrence", flat=True).distinct())


def department_counts(assignments: QuerySet[Assignment], today: datetime.date,
                      expected: list[Expected]) -> dict[int, dict[str, Any]]:
    """Every count of ``COUNTED`` per department with scoped work: one grouped query over the
    assignments, one over their reports of the window, one for the departments' names."""
    counts: dict[int, dict[str, Any]] = {}
    for row in with_due(assignments).order_by().values(dept=F("department_id")).annotate(
        **_assignment_counts(today, expected)
    ):
        row["reports_expected"], row["reports_due"] = _add_up(row, "expected"), _add_up(row, "due")
        row.update(reports_received=0, reports_on_time=0, reports_early=0)
        counts[row["dept"]] = row
    # Names in a query of their own: grouping 20,000 rows by the department's text columns costs more.
    for dept, short_name, name, kind, sort_order in Department.objects.filter(pk__in=list(counts)).values_list(
            "pk", "short_name", "name", "kind", "sort_order"):
        counts[dept].update(name=short_name, full_name=name, kind=kind, sort_order=sort_order)
    grouped = _reports_of(assignments, expected).order_by().values(dept=F("assignment__department_id"))
    for row in grouped.annotate(**_report_counts(today, expected)):
        counts[row.pop("dept")].update(row)
    return counts


def summary_of(counts: dict[int, dict[str, Any]], documents: list[DocumentRow], window: Window,
               links: Links) -> Summary:
    """The cards: the per-department counts added up (a department's work is counted in its row
    only), and measures added up per document (each measure belongs to one document)."""
    totals = {key: sum(row[key] for row in counts.values()) for key in COUNTED}
    early = totals.pop("reports_early")
    return Summary(
        measures=sum(d.measures for d in documents), overdue_measures=sum(d.overdue_measures for d in documents),
        **totals, reports_assessed=totals["reports_due"] + early,
        report_rate=rate(totals["reports_received"], totals["reports_expected"]),
        on_time_report_rate=rate(totals["reports_on_time"], totals["reports_due"] + early),
        on_time_closure_rate=rate(totals["on_time_closed"], totals["assessed"]),
        links={
            "measures": links.url(),
            "assignments": links.url(),
            **{state: links.url(state=state) for state, _label in STATES},
            "due_soon": links.url(due_within=settings.TRAFFIC_LIGHT_YELLOW_DAYS),
            "acknowledged": links.url(acknowledged="true"),
            "reports_expected": links.url(reporting=window.key),
            "reports_missing": links.url(reporting=window.key, report="missing"),
            "reports_received": links.url(reporting=window.key, report="received"),
        },
    )


@dataclass
class DepartmentRow:
    """One line of the department table."""

    id: int
    name: str
    kind: str
    assigned: int
    closed: int
    overdue: int
    acknowledged: int
    assessed: int
    on_time_closed: int
    reports_assessed: int
    reports_on_time: int
    on_time_closure_rate: float | None
    on_time_report_rate: float | None
    score: float | None
    rank: int = 0
    links: dict[str, str] = field(default_factory=dict)


DEPARTMENT_SORTS = {
    "rank": gettext_lazy("名次"),
    "name": gettext_lazy("单位"),
    "assigned": gettext_lazy("分工"),
    "closed": gettext_lazy("已办结"),
    "overdue": gettext_lazy("逾期"),
    "acknowledged": gettext_lazy("已签收"),
    "on_time_closure_rate": gettext_lazy("按时办结率"),
    "on_time_report_rate": gettext_lazy("按时报告率"),
    "score": gettext_lazy("得分"),
}


def department_rows(counts: dict[int, dict[str, Any]], window: Window, links: Links,
                    sort: str = "rank") -> list[DepartmentRow]:
    """The department table: rates, score and rank from the counts. Ranked by score (no score
    last); equal scores share a rank; ties listed by size, then by the directory order."""
    weights = score_weights()
    rows, directory_order = [], {}
    for dept, row in counts.items():
        assessed_reports = row["reports_due"] + row["reports_early"]
        for_dept = links.with_filter(department=dept)
        rows.append(DepartmentRow(
            id=dept, name=row["name"] or row["full_name"], kind=row["kind"], assigned=row["assignments"],
            closed=row["closed"], overdue=row["overdue"], acknowledged=row["acknowledged"], assessed=row["assessed"],
            on_time_closed=row["on_time_closed"], reports_assessed=assessed_reports,
            reports_on_time=row["reports_on_time"],
            on_time_closure_rate=rate(row["on_time_closed"], row["assessed"]),
            on_time_report_rate=rate(row["reports_on_time"], assessed_reports),
            score=score((row["on_time_closed"], row["assessed"]), (row["reports_on_time"], assessed_reports), weights),
            links={
                "assigned": for_dept.url(),
                "closed": for_dept.url(state=CLOSED),
                "overdue": for_dept.url(state=OVERDUE),
                "acknowledged": for_dept.url(acknowledged="true"),
                "on_time_closure_rate": for_dept.url(assessed="true"),
                "on_time_report_rate": for_dept.url(reporting=window.key),
            },
        ))
        directory_order[dept] = (row["sort_order"], row["full_name"])
    rows.sort(key=lambda r: (r.score is None, -(r.score or 0), -r.assigned, directory_order[r.id]))
    previous: tuple[float | None, int] | None = None
    for position, row in enumerate(rows, start=1):
        row.rank = previous[1] if previous is not None and previous[0] == row.score else position
        previous = (row.score, row.rank)
    return sort_departments(rows, sort)


def sort_departments(rows: list[DepartmentRow], sort: str) -> list[DepartmentRow]:
    """Order the table by a column (``-`` for descending); missing values always go last."""
    key = sort.lstrip("-")
    if key == "rank" and not sort.startswith("-"):
        return rows
    descending = sort.startswith("-")
    present = [r for r in rows if getattr(r, key) is not None]
    missing = [r for r in rows if getattr(r, key) is None]
    present.sort(key=lambda r: getattr(r, key), reverse=descending)
    return present + missing


@dataclass(frozen=True)
class DocumentRow:
    id: int
    title: str
    measures: int
    total: int
    closed: int
    overdue: int
    overdue_measures: int
    percent: float | None
    links: dict[str, str]
    group_id: int | None = None
    group: str = ""


@dataclass(frozen=True)
class GroupRow:
    """How one leading group's documents are going (``id`` None: the general office's documents)."""

    id: int | None
    name: str
    documents: int
    measures: int
    total: int
    closed: int
    overdue: int
    percent: float | None


GENERAL_OFFICE = gettext_lazy("督查室统筹(未分领导小组)")


def group_progress(documents: list[DocumentRow]) -> list[GroupRow]:
    """The document rows summed per leading group, groups by name, the general office's last."""
    sums: dict[int | None, list] = {}
    for row in documents:
        entry = sums.setdefault(row.group_id, [row.group or str(GENERAL_OFFICE), 0, 0, 0, 0, 0])
        entry[1:] = [entry[1] + 1, entry[2] + row.measures, entry[3] + row.total, entry[4] + row.closed,
                     entry[5] + row.overdue]
    rows = [GroupRow(group_id, name, docs, measures, total, closed, overdue, rate(closed, total))
            for group_id, (name, docs, measures, total, closed, overdue) in sums.items()]
    return sorted(rows, key=lambda row: (row.id is None, row.name))


def document_progress(assignments: QuerySet[Assignment], today: datetime.date, links: Links) -> list[DocumentRow]:
    """Per document, newest first: measures, assignments, closed and overdue (one grouped query),
    and the titles in a query of their own (grouping by the documents' text columns costs more)."""
    links = links.without("document")
    counts = {
        row.pop("doc"): row
        for row in with_due(assignments).order_by().values(doc=F("measure__document_id")).annotate(
            measures=Count("measure_id", distinct=True), total=Count("id"),
            closed=Count("id", filter=state_q(CLOSED, today)), overdue=Count("id", filter=state_q(OVERDUE, today)),
            overdue_measures=Count("measure_id", distinct=True, filter=state_q(OVERDUE, today)),
        )
    }
    titles = (PolicyDocument.objects.filter(pk__in=list(counts))
              .order_by(F("issued_date").desc(nulls_last=True), "-id")
              .values_list("pk", "title", "group_id", "group__name"))
    rows = []
    for doc, title, group_id, group in titles:
        row = counts[doc]
        rows.append(DocumentRow(
            id=doc, title=title, **row, percent=rate(row["closed"], row["total"]), group_id=group_id,
            group=group or "",
            links={
                "total": links.url(document=doc),
                "closed": links.url(document=doc, state=CLOSED),
                "overdue": links.url(document=doc, state=OVERDUE),
            },
        ))
    return rows


@dataclass(frozen=True)
class Month:
    month: str
    due: int
    due_closed: int
    closed_by_end: int | None
    assigned_by_end: int | None
    completion: float | None
    links: dict[str, str]


def _by_month(queryset: QuerySet, field: str, **counts: Count) -> dict[datetime.date, dict[str, int]]:
    """Counts grouped by the (local) month of ``field``."""
    grouped = queryset.annotate(month=TruncMonth(field)).order_by().values("month").annotate(**counts)
    return {_as_date(row.pop("month")): row for row in grouped if row["month"] is not None}


def _as_date(value: datetime.date | datetime.datetime) -> datetime.date:
    return timezone.localtime(value).date() if isinstance(value, datetime.datetime) else value


@dataclass(frozen=True)
class TrendPoint:
    """The completion trend at one month's end: assignments closed ÷ assignments given by then."""

    month: str
    closed_by_end: int
    assigned_by_end: int
    completion: float | None
    link: str


TREND_MONTHS = 12


def monthly(assignments: QuerySet[Assignment], today: datetime.date, window: Window,
            links: Links) -> tuple[list[Month], list[TrendPoint]]:
    """For each month of the window's year: the assignments due that month and how many of them
    are closed; and, up to the current month, the assignments closed and given by the month's end,
    whose ratio is the completion trend (three queries grouped by month; the trend adds them up).
    The trend is also given for the TREND_MONTHS months up to the window's end (or this month), so
    that it is a line even in January."""
    year = window.start.year
    months = [month_window(datetime.date(year, m, 1)) for m in range(1, 13)]
    last = start_of_day_after(min(months[-1].end, today))
    due = _by_month(with_due(assignments).filter(due__gte=months[0].start, due__lte=months[-1].end), "due",
                    due=Count("id"), closed=Count("id", filter=state_q(CLOSED, today)))
    closed = _by_month(assignments.filter(status=AssignmentStatus.CLOSED, closed_at__lt=last), "closed_at", n=Count("id"))
    given = _by_month(assignments.filter(created_at__lt=last), "created_at", n=Count("id"))

    def by_end(counted: dict[datetime.date, dict[str, int]], month: Window) -> int:
        return sum(row["n"] for start, row in counted.items() if start <= month.start)

    rows = []
    for m in months:
        done = given_by_end = None
        if m.start <= today:
            done, given_by_end = by_end(closed, m), by_end(given, m)
        counted = due.get(m.start, {"due": 0, "closed": 0})
        rows.append(Month(
            month=m.key, due=counted["due"], due_closed=counted["closed"], closed_by_end=done,
            assigned_by_end=given_by_end, completion=rate(done, given_by_end) if given_by_end is not None else None,
            links={
                "due": links.url(due_from=m.start.isoformat(), due_to=m.end.isoformat()),
                "due_closed": links.url(due_from=m.start.isoformat(), due_to=m.end.isoformat(), state=CLOSED),
                "closed_by_end": links.url(closed_to=min(m.end, today).isoformat()),
            },
        ))
    end = month_window(min(window.end, today))
    trend = []
    for back in range(TREND_MONTHS - 1, -1, -1):
        index = end.start.year * 12 + end.start.month - 1 - back
        m = month_window(datetime.date(index // 12, index % 12 + 1, 1))
        done, given_by_end = by_end(closed, m), by_end(given, m)
        trend.append(TrendPoint(m.key, done, given_by_end, rate(done, given_by_end),
                                links.url(closed_to=min(m.end, today).isoformat())))
    return rows, trend


# Its punctuation is left as the English catalogue knows it until the catalogue is regenerated.
FORMULA = gettext_lazy(
    "统计单位是任务分工(一个单位在一项措施中的分工)。每项分工只归入一种状态,按顺序取第一条符合的:"
    "已办结;逾期(未办结且生效时限——批准延期后的时限优先于措施时限——早于今天);推进中(已签收或已报送);待签收。"
    "状态按今天计算。“措施”为筛选范围内有分工的措施数。“{days}日内到期”为未办结且时限在今天至{days}天后之间的分工。"
    "报告率 = 已报送的报告 ÷ 应报告数:措施按其报告周期(未设置时按月)报告,报告期在所选期间内结束的为本期应报;"
    "分工在该报告期结束前已分配且当时未办结的才须报告;草稿不算报送。"
    "按时报告 = 在报告期结束后{grace}日内(含)提交。"
)

MEASURES_RULE = gettext_lazy(
    "“逾期措施”为至少有一项逾期分工的措施数；“分工”及其已办结、推进中、逾期、待签收、到期各数都按分工计。"
)

SCORE_RULE = gettext_lazy(
    "得分（0–100）只看按时完成的工作，不看登录、点击或上传材料的多少："
    "得分 = 100 ×（{wc} × 按时办结率 + {wr} × 按时报告率）÷（{wc} + {wr}）。"
    "按时办结率 = 在生效时限内办结的分工 ÷（已办结或已过时限的分工）；"
    "按时报告率 = 按时提交的报告 ÷（所选期间内已过报送期限的应报告数 + 尚未到期但已提前报送的报告数）。"
    "某项比率无可衡量的内容时不计入，按其余权重计算；两项都没有的单位不计分，排在最后。得分相同名次相同。"
    "两项权重由系统管理员设定。"
)


def formula_text() -> str:
    formula = str(FORMULA).format(days=settings.TRAFFIC_LIGHT_YELLOW_DAYS, grace=settings.REPORT_GRACE_DAYS)
    return f"{formula}{MEASURES_RULE}"


def score_rule_text() -> str:
    weights = score_weights()
    return str(SCORE_RULE).format(wc=weights.on_time_closure, wr=weights.on_time_reports)


@dataclass(frozen=True)
class Dashboard:
    """Everything the page, the API and a bulletin show, computed once."""

    today: datetime.date
    filters: Filters | None  # None only while it waits in the cache (build_cached)
    summary: Summary
    documents: list[DocumentRow]
    departments: list[DepartmentRow]
    months: list[Month]
    weights: ScoreWeights
    formula: str
    score_rule: str
    trend: list[TrendPoint] = field(default_factory=list)
    groups: list[GroupRow] = field(default_factory=list)

    def as_json(self) -> dict[str, Any]:
        return {
            "today": self.today.isoformat(),
            "filters": self.filters.as_json(),
            "summary": _plain(self.summary),
            "documents": [_plain(row) for row in self.documents],
            "groups": [_plain(row) for row in self.groups],
            "departments": [_plain(row) for row in self.departments],
            "months": [_plain(row) for row in self.months],
            "trend": [_plain(point) for point in self.trend],
            "score_weights": _plain(self.weights),
            "formula": self.formula,
            "score_rule": self.score_rule,
        }


def _plain(row: Any) -> dict[str, Any]:
    """A flat dataclass as a dict (``dataclasses.asdict`` deep-copies: ten times slower for 300 rows)."""
    return {item.name: getattr(row, item.name) for item in fields(row)}


def build_cached(user, filters: Filters, today: datetime.date | None = None) -> Dashboard:
    """``build``, kept in the cache until the next committed change to the counted work
    (tasks.changes) and at most DASHBOARD_CACHE_SECONDS: one query (the change counter) when it
    is there, and the numbers exactly those ``build`` would give."""
    seconds = settings.DASHBOARD_CACHE_SECONDS
    today = today or timezone.localdate()
    if not seconds:
        return build(user, filters, today)
    key = cache_key(user, filters, today)
    found = cache.get(key)
    if found is None:
        found = replace(build(user, filters, today), filters=None)  # the document need not be pickled
        cache.set(key, found, seconds)
    return replace(found, filters=filters)


def cache_key(user, filters: Filters, today: datetime.date) -> str:
    """Everything a dashboard depends on: the database (two sites may share one Redis), whose work
    it counts (all of it, or the user's), the filters, the day, the change counter, the language
    of its texts and the settings of its rules."""
    roles = get_roles(user)
    database = connection.settings_dict
    parts = (
        database["HOST"], database["PORT"], str(database["NAME"]),
        "all" if roles.sees_everything else f"user:{user.pk}",
        filters.document.pk if filters.document is not None else None, filters.department_kind, filters.window.key,
        filters.group.pk if filters.group is not None else None,
        filters.sort, today.isoformat(), changes.version(), get_language(), score_weights(),
        settings.TRAFFIC_LIGHT_YELLOW_DAYS, settings.REPORT_GRACE_DAYS,
    )
    return "dashboard:" + hashlib.sha256(repr(parts).encode()).hexdigest()


def build(user, filters: Filters, today: datetime.date | None = None) -> Dashboard:
    """The whole dashboard for ``user`` under ``filters`` (ten queries)."""
    today = today or timezone.localdate()
    assignments = scoped(user, filters)
    links = Links(filters.query())
    in_use = recurrences_in_use()
    expected = [item for item in expected_periods(filters.window) if item.recurrence in in_use]
    counts = department_counts(assignments, today, expected)
    documents = document_progress(assignments, today, links)
    months, trend = monthly(assignments, today, filters.window, links)
    return Dashboard(
        today=today,
        filters=filters,
        summary=summary_of(counts, documents, filters.window, links),
        documents=documents,
        departments=department_rows(counts, filters.window, links, filters.sort),
        months=months,
        trend=trend,
        weights=score_weights(),
        formula=formula_text(),
        score_rule=score_rule_text(),
        groups=group_progress(documents),
    )
