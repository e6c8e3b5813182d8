"""The numbers of the office dashboard, its API and the bulletins (通报): one formula.

This module assembles and caches them; the parts are ``windows`` (the chosen period and the
reporting periods in it), ``counting`` (states and the grouped counts), ``scoring`` (the
score and its texts), ``filtering`` (the filters and the work they scope) and ``presentation``
(the links, cards, rows and trend).

Every count is an aggregate computed in the database over the *scoped* assignments (the user's
``visible_to`` assignments, narrowed by the dashboard's document, group and department-kind
filters), with a fixed number of queries whatever the size of the city. Where the scope is a set
of documents (the office's and the groups' dashboards) the counts are sums over the rollups
(``tallied``, kept on every write by tasks.rollups), so their cost follows the number of
departments and documents, not of assignments and reports; a user's own departments, or one
document, are counted from the assignments themselves (``counting``). Either way:

1. the recurrences in use (so that no count is spent on periods nobody reports for);
2. per department: the states, the reports expected, the reports received of the chosen period,
   and the departments' names;
3. per document: measures and progress bars, and the documents' titles;
4. three grouped by month: deadlines against closed, and closed and given (completion trend).

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

import datetime
import hashlib
from dataclasses import dataclass, field, fields, replace
from functools import lru_cache
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.utils import timezone
from django.utils.translation import get_language

from departments.roles import get_roles
from tasks import changes
from tasks.dashboard import tallied
from tasks.dashboard.counting import department_counts, document_counts, month_counts, recurrences_in_use
from tasks.dashboard.filtering import Filters, scoped
from tasks.dashboard.presentation import (
    DepartmentRow,
    DocumentRow,
    GroupRow,
    Links,
    Month,
    Summary,
    TrendPoint,
    department_rows,
    document_progress,
    group_progress,
    monthly,
    summary_of,
)
from tasks.dashboard.scoring import ScoreWeights, formula_text, score_rule_text, score_weights
from tasks.dashboard.windows import expected_periods


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
            "filters": self.filters.as_json() if self.filters is not None else None,
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
    """A flat dataclass as a dict (``dataclasses.asdict`` deep-copies: ten times slower for 300 rows;
    the field names are read once per class, not once per row of 3,000)."""
    return {name: getattr(row, name) for name in _names(type(row))}  # type: ignore[arg-type]  # classes hash


@lru_cache(maxsize=32)
def _names(cls: type) -> tuple[str, ...]:
    return tuple(item.name for item in fields(cls))


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
    """The whole dashboard for ``user`` under ``filters`` (a fixed number of queries, from the
    rollups where the work is a set of documents)."""
    today = today or timezone.localdate()
    links = Links(filters.query())
    in_use = recurrences_in_use()
    expected = [item for item in expected_periods(filters.window) if item.recurrence in in_use]
    scope = tallied.scope_of(user, filters)
    if scope is not None:  # a set of documents: summed from the rollups, whatever the city's size
        counts = tallied.department_counts(scope, today, expected)
        documents = document_progress(tallied.document_counts(scope, today), links)
        months, trend = monthly(tallied.month_counts(scope, today, filters.window), today, filters.window, links)
    else:  # one document, or a user's own departments: counted from their assignments
        assignments = scoped(user, filters)
        counts = department_counts(assignments, today, expected)
        documents = document_progress(document_counts(assignments, today), links)
        months, trend = monthly(month_counts(assignments, today, filters.window), today, filters.window, links)
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
