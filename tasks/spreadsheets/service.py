"""The import service: check every row, then write everything once, or nothing.

``import_rows`` is what the admin, the import page and ``import_measures`` call (through
``MeasureSheetResource``). A dry run only checks. A real run locks the document, checks the
rows again against the database as it is now (the preview may be minutes old), and writes
in one transaction with bulk statements in batches: measures and assignments keep their
change history (new rows' records copied by the database, updates through
django-simple-history's bulk helper). Each department is told of its new assignments in the
same transaction, one message per department; the bulk statements send no signals, so the
document's stored deadlines and rollups are brought up to date at the end, also inside it.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from django.conf import settings
from django.db import connection
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_update_with_history

from departments.models import Department
from documents.models import Measure, Milestone, PolicyDocument, Section
from documents.parsing import DepartmentDirectory
from tasks.models import Assignment
from tasks.notify.outbox import notify_new_assignments
from tasks.rollups.refresh import carry_deadlines, changing
from tasks.spreadsheets.headers import DEADLINE
from tasks.spreadsheets.plan import CREATE, DEADLINE_FIELDS, UPDATE, ImportPlan, RowPlan, build_plan
from tasks.spreadsheets.reading import Row

BATCH_SIZE = 500


def import_rows(
    document: PolicyDocument,
    rows: list[Row],
    *,
    user=None,
    source_name: str = "",
    unit_map: dict[str, int] | None = None,
    skipped: Iterable[int] = (),
    dry_run: bool = False,
    directory: DepartmentDirectory | None = None,
) -> ImportPlan:
    """Check ``rows`` for ``document`` and, unless ``dry_run`` or a row has an error, apply them.
    ``plan.written`` holds the counts when something was written."""
    if dry_run:
        return build_plan(document, rows, unit_map=unit_map, skipped=skipped, directory=directory)
    with changing():
        # One import per document at a time: the second waits and then sees the first's measures.
        PolicyDocument.objects.select_for_update().filter(pk=document.pk).exists()
        plan = build_plan(document, rows, unit_map=unit_map, skipped=skipped, directory=directory)
        if plan.ok:
            reason = _("表格导入：%(name)s") % {"name": source_name} if source_name else _("表格导入")
            created: list[Assignment] = []
            plan.written = write_plan(plan, user, reason[:100], created)
            # rows written in bulk send no signals: carry the deadlines and count the document again
            carry_deadlines(Measure.objects.filter(document=document))
            notify_new_assignments(created, _("表格导入《%(title)s》") % {"title": document.title})
    return plan


def write_plan(plan: ImportPlan, user, reason: str, created: list[Assignment] | None = None) -> dict[str, int]:
    """Write a checked plan, ``BATCH_SIZE`` rows at a time so that the model and history objects
    of one batch are freed before the next; new assignments are added to ``created`` when given.
    Must run inside a transaction."""
    creating = [row for row in plan.rows if row.action == CREATE]
    updating = [row for row in plan.rows if row.action == UPDATE]
    sections = _sections(plan, creating + updating)
    # A sheet without a 完成时限 column leaves deadlines alone; rows without a category keep
    # their section.
    with_deadlines = plan.header is not None and plan.header.has(DEADLINE)
    history = {"default_user": user, "default_change_reason": reason, "batch_size": BATCH_SIZE}
    counts = dict.fromkeys(("measures_created", "measures_updated", "assignments_created", "roles_changed"), 0)
    counts["departments_created"] = _create_departments(plan, creating + updating)

    order = (Measure.objects.filter(document=plan.document).aggregate(top=Max("order"))["top"] or 0) + 1
    for chunk in _chunks(creating):
        measures = [_new_measure(plan.document, row, sections, order + index) for index, row in enumerate(chunk)]
        order += len(chunk)
        create_with_history(measures, Measure, user, reason)
        for row, measure in zip(chunk, measures, strict=True):
            row.measure = measure
        _replace_milestones(chunk)
        counts["measures_created"] += len(chunk)
        counts["assignments_created"] += _create_assignments(chunk, history, created)

    changed_fields = ["title", "content", "section"] + (list(DEADLINE_FIELDS) if with_deadlines else [])
    for chunk in _chunks(updating):
        moved = []
        for row in chunk:
            measure = row.measure
            assert measure is not None  # an update row always has its measure
            if with_deadlines and any(getattr(measure, name) != row.fields[name] for name in DEADLINE_FIELDS):
                moved.append(row)
            _fill(measure, row, sections, with_deadlines)
        bulk_update_with_history([row.measure for row in chunk], Measure, changed_fields, **history)
        _replace_milestones(moved)
        counts["measures_updated"] += len(chunk)
        counts["assignments_created"] += _create_assignments(chunk, history, created)
        retyped = []
        for row in chunk:
            for assignment, unit in row.role_changes:
                assignment.role = unit.role
                retyped.append(assignment)
        if retyped:
            bulk_update_with_history(retyped, Assignment, ["role"], **history)
        counts["roles_changed"] += len(retyped)
    return counts


def _create_departments(plan: ImportPlan, rows: list[RowPlan]) -> int:
    """Departments the admin asked to create (unknown units marked 新建): made first, then used."""
    wanted = plan.departments_to_create()
    if not wanted:
        return 0
    made = 0
    ids = {}
    for name, kind in wanted.items():
        department, created = Department.objects.get_or_create(name=name, defaults={"kind": kind})
        ids[name] = department.pk
        made += created
    for row in rows:
        for unit in row.units:
            if unit.create_kind:
                unit.department_id = ids[unit.name]
    return made


def create_with_history(objs: list, model, user, reason: str) -> None:
    """``bulk_create`` and each new row's '+' history record, copied by the database.

    django-simple-history's ``bulk_create_with_history`` builds a historical model instance per
    row in Python, which costs five times the insert itself; an INSERT … SELECT from the rows
    just written makes the same records (every tracked column, one date, user and reason) in one
    statement per batch."""
    model.objects.bulk_create(objs, batch_size=BATCH_SIZE)
    if not getattr(settings, "SIMPLE_HISTORY_ENABLED", True) or not objs:
        return
    history = model.history.model
    quote = connection.ops.quote_name
    columns = [field.column for field in history.tracked_fields]
    target = ", ".join(quote(c) for c in [*columns, "history_date", "history_change_reason", "history_type",
                                           "history_user_id"])
    source = ", ".join(quote(c) for c in columns)
    now = timezone.now()
    with connection.cursor() as cursor:
        for start in range(0, len(objs), BATCH_SIZE):
            ids = [obj.pk for obj in objs[start:start + BATCH_SIZE]]
            cursor.execute(
                f"INSERT INTO {quote(history._meta.db_table)} ({target}) SELECT {source}, %s, %s, %s, %s "
                f"FROM {quote(model._meta.db_table)} WHERE {quote(model._meta.pk.column)} IN "
                f"({', '.join(['%s'] * len(ids))})",
                [now, reason, "+", getattr(user, "pk", None), *ids],
            )


def _chunks(rows: list[RowPlan]) -> Iterator[list[RowPlan]]:
    for start in range(0, len(rows), BATCH_SIZE):
        yield rows[start: start + BATCH_SIZE]


def _create_assignments(rows: list[RowPlan], history: dict[str, Any], created: list[Assignment] | None) -> int:
    assignments = [
        Assignment(measure=row.measure, department_id=unit.department_id, role=unit.role, due=row.measure.deadline)
        for row in rows for unit in row.new_units
    ]
    if assignments:
        create_with_history(assignments, Assignment, history["default_user"], history["default_change_reason"])
    if created is not None:
        created.extend(assignments)
    return len(assignments)


def _sections(plan: ImportPlan, rows: list[RowPlan]) -> dict[str, Section]:
    """The document's sections by title; categories not yet there are created (top level)."""
    existing = {s.title: s for s in Section.objects.filter(document=plan.document).order_by("order", "id")}
    wanted = list(dict.fromkeys(row.category for row in rows if row.category and row.category not in existing))
    if wanted:
        top = Section.objects.filter(document=plan.document).aggregate(top=Max("order"))["top"] or 0
        created = Section.objects.bulk_create(
            Section(document=plan.document, title=title, level=1, order=top + index)
            for index, title in enumerate(wanted, start=1)
        )
        existing.update({section.title: section for section in created})
    return existing


def _new_measure(document: PolicyDocument, row: RowPlan, sections: dict[str, Section], order: int) -> Measure:
    measure = Measure(document=document, number=row.number, order=order)
    _fill(measure, row, sections, with_deadlines=True)
    return measure


def _fill(measure: Measure, row: RowPlan, sections: dict[str, Section], with_deadlines: bool) -> None:
    measure.title, measure.content = row.title, row.content
    if with_deadlines:
        for name in DEADLINE_FIELDS:
            setattr(measure, name, row.fields[name])
    if row.category:
        measure.section = sections[row.category]


def _replace_milestones(rows: list[RowPlan]) -> None:
    """Intermediate dates of a deadline cell ('6月底前完成方案,12月底前建成') become milestones."""
    updated = [row.measure.pk for row in rows if row.action == UPDATE and row.measure is not None]
    if updated:
        Milestone.objects.filter(measure_id__in=updated).delete()
    Milestone.objects.bulk_create(
        (
            Milestone(measure=row.measure, title=title[:300], due_date=due, phrase=phrase[:100], order=step)
            for row in rows
            for step, (title, due, phrase) in enumerate(row.fields.get("milestones", []))
        ),
        batch_size=BATCH_SIZE,
    )
