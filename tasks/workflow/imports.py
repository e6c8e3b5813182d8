"""Import a confirmed plan as tracked work: the document side and its assignments in one
transaction, so an import is applied whole or not at all; each department is told of its new
assignments in the same transaction (one message per department)."""

from __future__ import annotations

from django.utils.translation import gettext as _

from documents.importing.write import WriteResult, write_plan
from documents.models import DocumentImport
from tasks.models import Assignment
from tasks.notify.outbox import notify_new_assignments
from tasks.rollups.refresh import changing


def import_plan(plan: dict, text: str, user, source_import: DocumentImport | None = None) -> WriteResult:
    """Write ``plan``; re-importing the same document updates it instead of duplicating it."""
    with changing():
        result = write_plan(plan, text, user, source_import)
        created = []
        for measure, units in result.units:
            for department, role in units:
                assignment, new = Assignment.objects.get_or_create(
                    measure=measure, department=department, defaults={"role": role}
                )
                if new:
                    created.append(assignment)
                    result.assignments_created += 1
                elif assignment.role != role:
                    assignment.role = role
                    assignment.save(update_fields=["role"])
        notify_new_assignments(created, _("文件导入《%(title)s》") % {"title": result.document.title})
    return result
