"""The django-import-export resource for measures with their assignments (任务分解表).

Export: one row per measure with its lead, responsible and supporting departments, every cell
neutralised. Import: ``import_data`` (the admin) and ``import_sheet`` (the import page and the
``import_measures`` command) both hand the whole sheet to ``tasks.spreadsheets.service``, which
checks every row before writing anything and then writes in bulk, instead of the row-by-row
save of a plain ModelResource.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.db.models import Prefetch
from import_export import fields, resources
from import_export.results import Error, Result, RowResult

from departments.resources import SafeCSV, SafeXLSX, SpreadsheetError, dataset_from_rows, neutralize
from documents.choices import Recurrence
from documents.models import Measure, PolicyDocument
from tasks.choices import AssignmentRole
from tasks.models import Assignment
from tasks.spreadsheets import reading
from tasks.spreadsheets.plan import CREATE, HEADING, SKIP, UNCHANGED, UPDATE, ImportPlan, RowPlan
from tasks.spreadsheets.service import import_rows

IMPORT_TYPES = {CREATE: RowResult.IMPORT_TYPE_NEW, UPDATE: RowResult.IMPORT_TYPE_UPDATE}
PREVIEW_HEADERS = ["序号", "重点任务", "承办单位", "完成时限", "导入说明"]


def deadline_cell(measure: Measure, deadline: datetime.date | None = None) -> datetime.date | str:
    """What the 完成时限 column shows: the date, else 持续推进, the recurrence or the original words.
    Each of these reads back to the same deadline on import."""
    deadline = deadline or measure.deadline
    if deadline:
        return deadline
    if measure.is_ongoing:
        return "持续推进"
    if measure.recurrence:
        return str(Recurrence(measure.recurrence).label)
    return measure.deadline_text


def units_text(assignments: Iterable[Assignment], role: str) -> str:
    """Official names (which always resolve exactly on import), joined by 、."""
    return "、".join(a.department.name for a in assignments if a.role == role)


class MeasureXLSX(SafeXLSX):
    """.xlsx for the measure import: merged cells filled in (the directory format does not need it)."""

    def create_dataset(self, in_stream, **kwargs):
        return dataset_from_rows(reading.read_xlsx(in_stream))


class MeasureCSV(SafeCSV):
    def create_dataset(self, in_stream, **kwargs):
        data = in_stream.encode("utf-8") if isinstance(in_stream, str) else bytes(in_stream)
        return dataset_from_rows(reading.read_csv(data))


class MeasureSheetResource(resources.ModelResource):
    """Measures of a document with their assignments, as a 任务分解表."""

    document = fields.Field(column_name="文件")
    number = fields.Field(attribute="number", column_name="序号")
    task = fields.Field(column_name="重点任务")
    lead = fields.Field(column_name="牵头单位")
    responsible = fields.Field(column_name="责任单位")
    supporting = fields.Field(column_name="配合单位")
    deadline = fields.Field(column_name="完成时限")
    category = fields.Field(column_name="类别")

    class Meta:
        model = Measure
        name = "任务分解表(措施及任务分工)"
        fields = ("document", "number", "task", "lead", "responsible", "supporting", "deadline", "category")
        export_order = fields

    def __init__(self, document: PolicyDocument | None = None, unit_map: dict[str, int] | None = None,
                 skipped: Iterable[int] = (), **kwargs: Any):
        super().__init__(**kwargs)
        self.document = document
        self.unit_map = unit_map or {}
        self.skipped = list(skipped)

    # --- export ---------------------------------------------------------------------------

    def filter_export(self, queryset, **kwargs):
        assignments = Assignment.objects.select_related("department").order_by("role", "department__sort_order", "id")
        return queryset.select_related("document", "section").prefetch_related(
            Prefetch("assignments", queryset=assignments)
        )

    def dehydrate_document(self, measure: Measure) -> str:
        return measure.document.title

    def dehydrate_task(self, measure: Measure) -> str:
        return measure.content or measure.title

    def dehydrate_lead(self, measure: Measure) -> str:
        return units_text(measure.assignments.all(), AssignmentRole.LEAD)

    def dehydrate_responsible(self, measure: Measure) -> str:
        return units_text(measure.assignments.all(), AssignmentRole.RESPONSIBLE)

    def dehydrate_supporting(self, measure: Measure) -> str:
        return units_text(measure.assignments.all(), AssignmentRole.SUPPORTING)

    def dehydrate_deadline(self, measure: Measure) -> datetime.date | str:
        return deadline_cell(measure)

    def dehydrate_category(self, measure: Measure) -> str:
        return measure.section.title if measure.section else ""

    def export_field(self, field, instance, **kwargs):
        return neutralize(super().export_field(field, instance, **kwargs))

    # --- import ---------------------------------------------------------------------------

    def get_import_fields(self):
        return [self.fields[name] for name in self._meta.fields if name != "document"]

    def import_sheet(self, rows: list[reading.Row], *, dry_run: bool, user=None, source_name: str = "") -> ImportPlan:
        """Check (and unless ``dry_run`` apply) a whole sheet, header included."""
        if self.document is None:
            raise ImproperlyConfigured("MeasureSheetResource needs the document to import into.")
        return import_rows(
            self.document, rows, user=user, source_name=source_name, unit_map=self.unit_map,
            skipped=self.skipped, dry_run=dry_run,
        )

    def import_data(self, dataset, dry_run=False, raise_errors=False, use_transactions=None,
                    collect_failed_rows=False, rollback_on_validation_errors=False, **kwargs) -> Result:
        """The admin's entry point: the dataset (first row as headers) is one sheet, all or nothing."""
        rows = [list(dataset.headers or []), *(list(row) for row in dataset)]
        plan = self.import_sheet(rows, dry_run=dry_run, user=kwargs.get("user"), source_name=kwargs.get("file_name") or "")
        return plan_result(plan, len(dataset))


def _unit_names(row: RowPlan) -> str:
    return "、".join(f"{unit.department_name or unit.name}({unit.role_label})" for unit in row.units)


def plan_result(plan: ImportPlan, total_rows: int) -> Result:
    """The plan in django-import-export's terms: invalid rows with their numbers, or a preview."""
    result = Result()
    result.diff_headers = list(PREVIEW_HEADERS)
    result.add_dataset_headers(result.diff_headers)
    result.total_rows = total_rows
    for message in plan.errors:
        result.append_base_error(Error(SpreadsheetError(message)))
    for row in plan.rows:
        notes = ";".join([row.summary(), *row.warnings]) if row.warnings else row.summary()
        values = dict(zip(PREVIEW_HEADERS, [row.number, row.title, _unit_names(row), row.deadline_cell, notes],
                          strict=True))
        if row.blocks:
            result.append_invalid_row(row.row, values, ValidationError(row.errors))
            continue
        row_result = RowResult()
        row_result.import_type = IMPORT_TYPES.get(row.action, RowResult.IMPORT_TYPE_SKIP)
        row_result.diff = list(values.values())
        if row.measure is not None and row.measure.pk and row.action not in (SKIP, HEADING, UNCHANGED):
            row_result.add_instance_info(row.measure)
            row_result.instance = row.measure
        result.append_row_result(row_result)
        result.increment_row_result_total(row_result)
    return result
