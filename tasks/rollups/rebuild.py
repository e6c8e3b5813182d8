"""Every tally computed from scratch, compared with what is stored, and repaired.

The nightly check of the rollups (``manage.py rebuild_rollups``, and the ``rebuild_rollups``
task of the beat schedule): it reads every assignment and every sent report once, in chunks,
counts them with the keys the refresh uses (``keys``), and reports each row that differs. With
``repair`` the stored rows are replaced by the counted ones in one transaction.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from django.db import transaction

from tasks.choices import ReportStatus
from tasks.models import Assignment, ProgressReport
from tasks.rollups import keys
from tasks.rollups.models import DEPARTMENT_TALLIES, DOCUMENT_TALLIES
from tasks.rollups.refresh import write

ALL_TALLIES = (*DEPARTMENT_TALLIES, *DOCUMENT_TALLIES)
CHUNK = 20000


@dataclass
class Drift:
    """Per tally: rows counted, rows stored, and the keys whose counts differ (or are missing)."""

    counted: dict[str, int] = field(default_factory=dict)
    stored: dict[str, int] = field(default_factory=dict)
    differing: dict[str, list[tuple]] = field(default_factory=dict)
    repaired: bool = False

    @property
    def total(self) -> int:
        return sum(len(rows) for rows in self.differing.values())


def counted() -> dict[str, Counter]:
    """Every tally as a full recomputation gives it (model name → key → n)."""
    assignments = Assignment.objects.order_by().values_list(*keys.ASSIGNMENT_COLUMNS).iterator(chunk_size=CHUNK)
    reports = (ProgressReport.objects.exclude(status=ReportStatus.DRAFT).order_by()
               .values_list(*keys.REPORT_COLUMNS).iterator(chunk_size=CHUNK))
    result = keys.department_keys(assignments, reports)
    documents = Assignment.objects.order_by().values_list(*keys.DOCUMENT_COLUMNS).iterator(chunk_size=CHUNK)
    result.update(keys.document_keys(documents))
    return result


def stored() -> dict[str, Counter]:
    """Every tally as the database holds it."""
    result: dict[str, Counter] = {}
    for model in ALL_TALLIES:
        names = keys.KEY_COLUMNS[model.__name__]
        rows: Counter = Counter()
        for *key, n in model.objects.order_by().values_list(*names, "n").iterator(chunk_size=CHUNK):
            rows[tuple(key)] += n
        result[model.__name__] = rows
    return result


def check(*, repair: bool = False) -> Drift:
    """Compare (and with ``repair`` replace) every stored tally with a full recomputation. The
    comparison runs in one transaction that locks the tallies against writers, so a change
    committed meanwhile is not taken for drift."""
    drift = Drift()
    with transaction.atomic():
        for model in ALL_TALLIES:
            _lock(model)
        expected, found = counted(), stored()
        for model in ALL_TALLIES:
            name = model.__name__
            want = _nonzero(expected.get(name, Counter()))
            have = _nonzero(found.get(name, Counter()))
            drift.counted[name], drift.stored[name] = len(want), len(have)
            differing = sorted((key for key in want.keys() | have.keys() if want[key] != have[key]), key=repr)
            if differing:
                drift.differing[name] = differing
        if repair and drift.total:
            for model in ALL_TALLIES:
                model.objects.all().delete()
            write(expected)
            drift.repaired = True
    return drift


def _nonzero(rows: Counter) -> Counter:
    """The rows a tally stores (a change of nothing is no row; LifeTally's ``n`` may be negative)."""
    return Counter({key: n for key, n in rows.items() if n})


def _lock(model) -> None:
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f"LOCK TABLE {connection.ops.quote_name(model._meta.db_table)} IN SHARE ROW EXCLUSIVE MODE")

