"""Keeping the tallies: a department's or a document's rows computed again from its assignments
and reports, in the transaction of the change that moved them.

A change marks the units it touches (an assignment: its department and its document; a report:
its department; a measure's deadline or recurrence, a document's leading group, a department's
kind: the units whose keys read them). Outside a ``batch`` the units are refreshed at once;
inside one (an import, a review of many reports, a document deleted with its work) they are
refreshed once each when the batch ends. Refreshing a unit locks its row (a department or a
document), so two transactions changing the same department's work queue for it instead of
each writing numbers that miss the other's change; and it is idempotent, so refreshing a unit
more often than needed is never wrong.

The signals below mark every save and delete of a counted row, whoever makes it (the workflow
service, the imports, the admin); ``QuerySet.update()`` and ``bulk_create`` send none, so code
that writes with them calls ``mark_departments`` / ``mark_documents`` (or ``carry_deadlines``).
Whatever a path forgets, the nightly ``rebuild`` finds as drift and repairs.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.db.models.signals import post_delete, post_save, pre_save

from departments.models import Department
from documents.models import Measure, PolicyDocument
from tasks.choices import ReportStatus
from tasks.models import Assignment, ProgressReport
from tasks.rollups import keys
from tasks.rollups.models import DEPARTMENT_TALLIES, DOCUMENT_TALLIES, Tally


@dataclass
class _Units:
    departments: set[int] = field(default_factory=set)
    documents: set[int] = field(default_factory=set)

    def __bool__(self) -> bool:
        return bool(self.departments or self.documents)


_local = threading.local()


def _open_batches() -> list[_Units]:
    if not hasattr(_local, "batches"):
        _local.batches = []
    return _local.batches


@contextmanager
def batch() -> Iterator[None]:
    """Collect the units marked inside and refresh each once at the end (still inside the
    caller's transaction when there is one). Batches nest; the outermost refreshes."""
    batches = _open_batches()
    units = _Units()
    batches.append(units)
    try:
        yield
    finally:
        batches.pop()
    if batches:
        batches[-1].departments |= units.departments
        batches[-1].documents |= units.documents
    else:
        _refresh(units)


@contextmanager
def changing() -> Iterator[None]:
    """A transaction whose rollup refreshes run once per unit at its end, still inside it: what
    every writer of counted rows (the workflow service, the imports) wraps its change in."""
    with transaction.atomic(), batch():
        yield


def mark_departments(ids: Iterable[int | None]) -> None:
    _mark(_Units(departments={pk for pk in ids if pk is not None}))


def mark_documents(ids: Iterable[int | None]) -> None:
    _mark(_Units(documents={pk for pk in ids if pk is not None}))


def _mark(units: _Units) -> None:
    batches = _open_batches()
    if batches:
        batches[-1].departments |= units.departments
        batches[-1].documents |= units.documents
    elif units:
        _refresh(units)


def mark_work_of(assignments) -> None:
    """Mark the departments and documents of an Assignment queryset (for writes without signals)."""
    rows = set(assignments.order_by().values_list("department_id", "measure__document_id").distinct())
    _mark(_Units({dept for dept, _doc in rows}, {doc for _dept, doc in rows}))


def carry_deadlines(measures) -> None:
    """Store the effective deadline of the assignments of a Measure queryset again (an approved
    extension, else the measure's own) and mark their units: after a measure's deadline changed."""
    assignments = Assignment.objects.filter(measure__in=measures.values("pk"))
    own = Subquery(Measure.objects.filter(pk=OuterRef("measure_id")).values("deadline")[:1])
    assignments.update(due=Coalesce("deadline", own))
    mark_work_of(assignments)


# --- refreshing ----------------------------------------------------------------------------------


def _refresh(units: _Units) -> None:
    with transaction.atomic():
        for department in sorted(units.departments):
            refresh_department(department)
        for document in sorted(units.documents):
            refresh_document(document)


def refresh_department(department_id: int) -> None:
    """The department tallies of one department, computed again from its assignments and reports."""
    with transaction.atomic():
        list(Department.objects.select_for_update().filter(pk=department_id).values_list("pk"))
        assignments = Assignment.objects.filter(department_id=department_id).values_list(*keys.ASSIGNMENT_COLUMNS)
        reports = (ProgressReport.objects.filter(assignment__department_id=department_id)
                   .exclude(status=ReportStatus.DRAFT).values_list(*keys.REPORT_COLUMNS))
        counted = keys.department_keys(assignments.order_by(), reports.order_by())
        for model in DEPARTMENT_TALLIES:
            model.objects.filter(department_id=department_id).delete()
        write(counted)


def refresh_document(document_id: int) -> None:
    """The document tallies of one document, computed again from its assignments."""
    with transaction.atomic():
        list(PolicyDocument.objects.select_for_update().filter(pk=document_id).values_list("pk"))
        rows = Assignment.objects.filter(measure__document_id=document_id).order_by().values_list(
            *keys.DOCUMENT_COLUMNS)
        counted = keys.document_keys(rows)
        for model in DOCUMENT_TALLIES:
            model.objects.filter(document_id=document_id).delete()
        write(counted)


def write(counted: Mapping[str, Mapping[tuple, int]]) -> None:
    """Insert tally rows from ``keys`` counters (model name → key → n)."""
    models: tuple[type[Tally], ...] = (*DEPARTMENT_TALLIES, *DOCUMENT_TALLIES)
    for model in models:
        found = counted.get(model.__name__)
        if not found:
            continue
        names = keys.KEY_COLUMNS[model.__name__]
        model._default_manager.bulk_create(
            (model(**dict(zip(names, key, strict=True)), n=n) for key, n in found.items() if n),
            batch_size=2000,
        )


# --- what marks them -----------------------------------------------------------------------------

_pending_deletes: dict[int, _Units] = {}  # per deletion (its origin), refreshed after the last row


def _on_assignment_saved(sender, instance: Assignment, **kwargs) -> None:
    previous = getattr(instance, "_rollup_previous", None)
    units = _Units({instance.department_id}, {instance.measure.document_id})
    if previous is not None:
        units.departments.add(previous[0])
        units.documents.add(previous[1])
    _mark(units)


def _remember_assignment(sender, instance: Assignment, raw=False, **kwargs) -> None:
    """Where an assignment was before a save that may move it (another department or measure)."""
    if raw or instance.pk is None:
        return
    instance._rollup_previous = (  # type: ignore[attr-defined]
        Assignment.objects.filter(pk=instance.pk).values_list("department_id", "measure__document_id").first()
    )


def _on_report_saved(sender, instance: ProgressReport, **kwargs) -> None:
    _mark(_Units({instance.assignment.department_id}))


def _on_deleted(sender, instance, origin=None, **kwargs) -> None:
    """A deleted assignment or report: refreshed at once when it was deleted itself, else after the
    whole deletion it is part of (a document or a measure deleted with its work)."""
    department: int | None
    document: int | None
    if isinstance(instance, Assignment):
        department, document = instance.department_id, _document_of(instance)
    else:
        department, document = _department_of(instance), None
    units = _Units({department} - {None}, {document} - {None})  # type: ignore[arg-type]  # None removed
    if _open_batches() or origin is None or origin is instance:
        _mark(units)
        return
    pending = _pending_deletes.setdefault(id(origin), _Units())
    pending.departments |= units.departments
    pending.documents |= units.documents


def _after_any_delete(sender, instance, origin=None, **kwargs) -> None:
    """The deletion's own rows are gone once the signal of its origin's model comes (the rows that
    depend on them are deleted first): refresh what it took with it."""
    if origin is None or id(origin) not in _pending_deletes:
        return
    origin_model = getattr(origin, "model", type(origin))
    if sender is origin_model:
        _mark(_pending_deletes.pop(id(origin)))


def _document_of(assignment: Assignment) -> int | None:
    measure = Measure.objects.filter(pk=assignment.measure_id).values_list("document_id", flat=True).first()
    if measure is None:  # deleted with its measure: the measure's document was cached on the instance
        cached = assignment._state.fields_cache.get("measure")
        return cached.document_id if cached is not None else None
    return measure


def _department_of(report: ProgressReport) -> int | None:
    cached = report._state.fields_cache.get("assignment")
    if cached is not None:
        return cached.department_id
    return Assignment.objects.filter(pk=report.assignment_id).values_list("department_id", flat=True).first()


def _watch(model, fields: tuple[str, ...], changed) -> None:
    """Call ``changed(instance)`` after a save that changed any of ``fields`` of an existing row
    (their stored values are read before the save)."""
    uid = f"tasks.rollups.{model._meta.label_lower}"

    def remember(sender, instance, raw=False, **kwargs) -> None:
        if not raw and instance.pk is not None:
            instance._rollup_previous = model.objects.filter(pk=instance.pk).values_list(*fields).first()

    def saved(sender, instance, created=False, raw=False, **kwargs) -> None:
        previous = getattr(instance, "_rollup_previous", None)
        if not (raw or created or previous is None) and previous != tuple(getattr(instance, f) for f in fields):
            changed(instance)

    pre_save.connect(remember, sender=model, weak=False, dispatch_uid=f"{uid}.pre")
    post_save.connect(saved, sender=model, weak=False, dispatch_uid=f"{uid}.post")


def connect() -> None:
    uid = "tasks.rollups"
    pre_save.connect(_remember_assignment, sender=Assignment, dispatch_uid=f"{uid}.assignment.pre")
    post_save.connect(_on_assignment_saved, sender=Assignment, dispatch_uid=f"{uid}.assignment")
    post_save.connect(_on_report_saved, sender=ProgressReport, dispatch_uid=f"{uid}.report")
    post_delete.connect(_on_deleted, sender=Assignment, dispatch_uid=f"{uid}.assignment.delete")
    post_delete.connect(_on_deleted, sender=ProgressReport, dispatch_uid=f"{uid}.report.delete")
    post_delete.connect(_after_any_delete, dispatch_uid=f"{uid}.any.delete")
    # what the keys read from other rows: a measure's deadline and recurrence, a document's group,
    # a department's kind, and whether its reports wait for its leader
    _watch(Measure, ("deadline", "recurrence"), lambda m: carry_deadlines(Measure.objects.filter(pk=m.pk)))
    _watch(PolicyDocument, ("group_id",), lambda d: mark_work_of(Assignment.objects.filter(measure__document=d)))
    _watch(Department, ("kind", "requires_leader_approval"),
           lambda d: mark_work_of(Assignment.objects.filter(department=d)))
