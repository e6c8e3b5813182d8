"""The steps of the import page, on a stored upload (``SpreadsheetImport``): start, check,
skip a row, map an unknown unit or mark it to be created, confirm or discard. The rows are kept as uploaded and checked
again at every step, so a preview always reflects the directory and the document as they are."""

from __future__ import annotations

from django.db import transaction

from departments.models import Department
from documents.choices import ImportStatus
from documents.models import PolicyDocument
from tasks.models import SpreadsheetImport
from tasks.spreadsheets.plan import ImportPlan
from tasks.spreadsheets.reading import Row, decode_rows, encode_rows
from tasks.spreadsheets.resource import MeasureSheetResource


def start_run(document: PolicyDocument, source_name: str, rows: list[Row], user) -> SpreadsheetImport:
    """Keep an uploaded sheet for its preview; nothing of the document changes."""
    return SpreadsheetImport.objects.create(
        document=document, source_name=source_name[:200], rows=encode_rows(rows), created_by=user
    )


def check_run(run: SpreadsheetImport, *, dry_run: bool = True, user=None) -> ImportPlan:
    resource = MeasureSheetResource(document=run.document, unit_map=run.unit_map, skipped=run.skipped_rows)
    return resource.import_sheet(decode_rows(run.rows), dry_run=dry_run, user=user, source_name=run.source_name)


def toggle_skip(run: SpreadsheetImport, row: int) -> bool:
    """Skip the sheet row ``row`` (or take it back); returns whether it is now skipped."""
    skipped = set(run.skipped_rows)
    now_skipped = row not in skipped
    skipped.symmetric_difference_update({row})
    run.skipped_rows = sorted(skipped)
    run.save(update_fields=["skipped_rows", "updated_at"])
    return now_skipped


def map_unit(run: SpreadsheetImport, name: str, department: Department) -> None:
    run.unit_map = {**run.unit_map, name: department.pk}
    run.save(update_fields=["unit_map", "updated_at"])


def create_unit(run: SpreadsheetImport, name: str, kind: str) -> None:
    """Mark an unknown unit as a new department of ``kind``, created when the import is confirmed."""
    run.unit_map = {**run.unit_map, name: {"create": kind}}
    run.save(update_fields=["unit_map", "updated_at"])


def confirm_run(document: PolicyDocument, run_pk: int, user, **group) -> ImportPlan:
    """Apply a draft run: all its rows or none. Raises SpreadsheetImport.DoesNotExist when the
    run is not a draft of ``document`` (already confirmed, say, by a double click). ``group``
    (a LeadingGroup or None), when given, becomes the document's leading group with the rows."""
    with transaction.atomic():
        run = SpreadsheetImport.objects.select_for_update().select_related("document").get(
            pk=run_pk, document=document, status=ImportStatus.DRAFT
        )
        plan = check_run(run, dry_run=False, user=user)
        if plan.written:
            run.status, run.result = ImportStatus.APPLIED, plan.written
            run.save(update_fields=["status", "result", "updated_at"])
            if "group" in group:
                run.document.group = group["group"]
                run.document.save(update_fields=["group", "updated_at"])
    return plan


def discard_run(run: SpreadsheetImport) -> None:
    run.status = ImportStatus.DISCARDED
    run.save(update_fields=["status", "updated_at"])
