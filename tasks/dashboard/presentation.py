"""The rows the dashboard shows: the links from each number to the list behind it, the cards,
the department table and its ranking, the documents and leading groups with their progress, and
the monthly trend."""


from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.db.models import F
from django.urls import reverse
from django.utils.translation import gettext_lazy

from documents.models import PolicyDocument
from tasks.dashboard.counting import CLOSED, COUNTED, OVERDUE, STATES, MonthCounts, rows_of
from tasks.dashboard.scoring import rate, score, score_weights
from tasks.dashboard.windows import Window, month_window

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

    def without(self, key: str) -> Links:
        return Links({k: v for k, v in self.base.items() if k != key}, self.path)

    def per(self, key: str, **columns: dict[str, Any]) -> Callable[[int], dict[str, str]]:
        """The links of one row per value of ``key`` (a department's or a document's id): for each
        column, ``url(key=value, **columns[column])``, written as one string join per link, since
        a province's table asks for some twenty thousand."""
        head = self.prefix + urlencode({key: ""})
        tails = {column: "".join(f"&{_pair(k, str(v))}" for k, v in extra.items() if v not in (None, ""))
                 for column, extra in columns.items()}

        def links(value: int) -> dict[str, str]:
            return {column: f"{head}{value}{tail}" for column, tail in tails.items()}

        return links


@lru_cache(maxsize=4096)
def _pair(key: str, value: str) -> str:
    return urlencode({key: value})


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
    row_links = links.per(
        "department", assigned={}, closed={"state": CLOSED}, overdue={"state": OVERDUE},
        acknowledged={"acknowledged": "true"}, on_time_closure_rate={"assessed": "true"},
        on_time_report_rate={"reporting": window.key})
    rows, directory_order = [], {}
    for dept, row in counts.items():
        assessed_reports = row["reports_due"] + row["reports_early"]
        rows.append(DepartmentRow(
            id=dept, name=row["name"] or row["full_name"], kind=row["kind"], assigned=row["assignments"],
            closed=row["closed"], overdue=row["overdue"], acknowledged=row["acknowledged"], assessed=row["assessed"],
            on_time_closed=row["on_time_closed"], reports_assessed=assessed_reports,
            reports_on_time=row["reports_on_time"],
            on_time_closure_rate=rate(row["on_time_closed"], row["assessed"]),
            on_time_report_rate=rate(row["reports_on_time"], assessed_reports),
            score=score((row["on_time_closed"], row["assessed"]), (row["reports_on_time"], assessed_reports), weights),
            links=row_links(dept),
        ))
        directory_order[dept] = (row["sort_order"], row["full_name"])
    rows.sort(key=lambda r: (r.score is None, -(r.score or 0), -r.assigned, directory_order[r.id]))
    previous: tuple[float | None, int] | None = None
    for position, ranked in enumerate(rows, start=1):
        ranked.rank = previous[1] if previous is not None and previous[0] == ranked.score else position
        previous = (ranked.score, ranked.rank)
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
    general = str(GENERAL_OFFICE)
    for row in documents:
        entry = sums.setdefault(row.group_id, [row.group or general, 0, 0, 0, 0, 0])
        entry[1:] = [entry[1] + 1, entry[2] + row.measures, entry[3] + row.total, entry[4] + row.closed,
                     entry[5] + row.overdue]
    rows = [GroupRow(group_id, name, docs, measures, total, closed, overdue, rate(closed, total))
            for group_id, (name, docs, measures, total, closed, overdue) in sums.items()]
    return sorted(rows, key=lambda row: (row.id is None, row.name))


def document_progress(counts: dict[int, dict[str, int]], links: Links) -> list[DocumentRow]:
    """Per document, newest first, from the counts of ``counting.document_counts`` (or of the
    tallies): the titles in a query of their own (grouping by text columns costs more)."""
    row_links = links.without("document").per("document", total={}, closed={"state": CLOSED},
                                               overdue={"state": OVERDUE})
    titles = rows_of(counts, PolicyDocument.objects.order_by(F("issued_date").desc(nulls_last=True), "-id")
                     .values_list("pk", "title", "group_id", "group__name"))
    rows = []
    for doc, title, group_id, group in titles:
        row = counts[doc]
        rows.append(DocumentRow(
            id=doc, title=title, **row, percent=rate(row["closed"], row["total"]), group_id=group_id,
            group=group or "",
            links=row_links(doc),
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


@dataclass(frozen=True)
class TrendPoint:
    """The completion trend at one month's end: assignments closed ÷ assignments given by then."""

    month: str
    closed_by_end: int
    assigned_by_end: int
    completion: float | None
    link: str


TREND_MONTHS = 12


def monthly(counts: MonthCounts, today: datetime.date, window: Window,
            links: Links) -> tuple[list[Month], list[TrendPoint]]:
    """For each month of the window's year: the assignments due that month and how many of them
    are closed; and, up to the current month, the assignments closed and given by the month's end,
    whose ratio is the completion trend (``counting.month_counts``; the trend adds them up).
    The trend is also given for the TREND_MONTHS months up to the window's end (or this month), so
    that it is a line even in January."""
    year = window.start.year
    months = [month_window(datetime.date(year, m, 1)) for m in range(1, 13)]
    due, closed, given = counts.due, counts.closed, counts.given

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
            assigned_by_end=given_by_end, completion=None if done is None or given_by_end is None else rate(done, given_by_end),
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
