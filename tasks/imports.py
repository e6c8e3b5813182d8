"""Import a confirmed plan as tracked work: the document side and its assignments in one
transaction, so an import is applied whole or not at all."""

from __future__ import annotations

from django.db import transaction

from documents.importing.write import WriteResult, write_plan
from documents.models import DocumentImport
from tasks.models import Assignment


def import_plan(plan: dict, text: str, user, source_import: DocumentImport | None = None) -> WriteResult:
    """Write ``plan``; re-importing the same document updates it instead of duplicating it."""
    with transaction.atomic():
        result = write_plan(plan, text, user, source_import)
        for measure, units in result.units:
            for department, role in units:
                assignment, created = Assignment.objects.get_or_create(
                    measure=measure, department=department, defaults={"role": role}
                )
                if created:
                    result.assignments_created += 1
                elif assignment.role != role:
                    assignment.role = role
                    assignment.save(update_fields=["role"])
    return result
