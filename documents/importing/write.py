"""Write the documents' side of a confirmed import plan: the document, its sections, measures,
milestones and indicators, and the departments the admin chose to create.

The caller (``tasks.workflow.imports.import_plan``) wraps this in the transaction that also writes the
assignments, so an import is applied whole or not at all."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from departments.models import Department
from documents.choices import DocumentStatus, ImportStatus
from documents.importing.plan import deadline_fields, live_measures, problems
from documents.models import DocumentImport, Indicator, Measure, Milestone, PolicyDocument, Section, text_fingerprint


class PlanError(Exception):
    """The plan cannot be imported as it stands; ``messages`` say why."""

    def __init__(self, messages: list[str]):
        super().__init__("; ".join(messages))
        self.messages = messages


@dataclass
class WriteResult:
    document: PolicyDocument
    updated: bool
    measures_created: int = 0
    measures_updated: int = 0
    assignments_created: int = 0
    departments_created: list[str] = field(default_factory=list)
    # Each written measure with the departments and roles the plan gives it, in order.
    units: list[tuple[Measure, list[tuple[Department, str]]]] = field(default_factory=list)


def find_existing(plan: dict, text: str) -> PolicyDocument | None:
    """The document this import would duplicate: same document number, or the same text."""
    if plan.get("doc_number"):
        found = PolicyDocument.objects.filter(doc_number=plan["doc_number"]).first()
        if found:
            return found
    return PolicyDocument.objects.filter(source_hash=text_fingerprint(text)).first() if text else None


def write_plan(plan: dict, text: str, user, source_import: DocumentImport | None = None) -> WriteResult:
    """Create the document, or update the one it duplicates, exactly as the plan says.
    Must run inside a transaction; raises PlanError before writing if the plan has problems."""
    errors = problems(plan)
    if errors:
        raise PlanError(errors)
    departments, created_names = _departments_for(plan)
    members = _group_members(plan, departments)
    existing = find_existing(plan, text)
    document = _write_document(plan, text, user, existing)
    result = WriteResult(document=document, updated=existing is not None, departments_created=created_names)
    sections = _write_sections(plan, document)
    for order, item in enumerate(live_measures(plan), start=1):
        measure = _write_measure(item, order, document, sections, result)
        units, seen = [], set()
        for unit in item["units"]:
            for department in _expanded(departments[unit["name"]], plan["units"].get(unit["name"], {}), members):
                if department.pk not in seen:
                    seen.add(department.pk)
                    units.append((department, unit["role"]))
        result.units.append((measure, units))
    if source_import is not None:
        source_import.status = ImportStatus.APPLIED
        source_import.document = document
        source_import.save(update_fields=["status", "document", "updated_at"])
    return result


def _group_members(plan: dict, departments: dict[str, Department]) -> dict[int, list[Department]]:
    """Members of the groups the admin chose to expand, in one query."""
    groups = [departments[name] for name, unit in plan["units"].items() if unit.get("expand") and name in departments]
    members: dict[int, list[Department]] = {group.pk: [] for group in groups}
    through = Department.members.through
    rows = through.objects.filter(from_department__in=groups).select_related("to_department").order_by(
        "to_department__sort_order", "to_department__name"
    )
    for row in rows:
        if row.to_department.is_active:
            members[row.from_department_id].append(row.to_department)
    return members


def _expanded(department: Department, unit: dict, members: dict[int, list[Department]]) -> list[Department]:
    """各县(市、区)政府 as one assignment, or, when the admin asked, one per member county."""
    if not unit.get("expand"):
        return [department]
    return members.get(department.pk) or [department]


def _departments_for(plan: dict) -> tuple[dict[str, Department], list[str]]:
    by_id = Department.objects.in_bulk(
        [u["department_id"] for u in plan["units"].values() if u.get("department_id")]
    )
    departments: dict[str, Department] = {}
    created: list[str] = []
    for name, unit in plan["units"].items():
        if unit.get("department_id"):
            department = by_id.get(unit["department_id"])
            if department is None:
                raise PlanError([f"单位“{name}”对应的单位已被删除，请重新选择。"])
            departments[name] = department
        elif unit.get("create_kind"):
            department, was_created = Department.objects.get_or_create(
                name=name, defaults={"kind": unit["create_kind"]}
            )
            departments[name] = department
            if was_created:
                created.append(name)
    return departments, created


def _write_document(plan: dict, text: str, user, existing: PolicyDocument | None) -> PolicyDocument:
    document = existing or PolicyDocument(created_by=user, status=DocumentStatus.ACTIVE)
    document.title = plan["title"].strip()[:300]
    document.doc_number = (plan.get("doc_number") or "").strip()[:100]
    document.issuer = (plan.get("issuer") or "").strip()[:300]
    document.issued_date = datetime.date.fromisoformat(plan["issued_date"]) if plan.get("issued_date") else None
    document.source_text = text
    if "group_id" in plan:  # otherwise a re-imported document keeps its group
        document.group_id = plan["group_id"]
    document.save()
    return document


def _write_sections(plan: dict, document: PolicyDocument) -> dict[str, Section]:
    """Headings are rebuilt on every import: measures keep their identity by number."""
    Section.objects.filter(document=document).delete()
    sections: dict[str, Section] = {}
    for order, item in enumerate(plan["sections"], start=1):
        sections[item["key"]] = Section.objects.create(
            document=document,
            parent=sections.get(item["parent"]),
            number=item["marker"][:20],
            title=item["title"][:300],
            level=item["level"],
            order=order,
        )
    return sections


def _write_measure(item, order, document, sections, result: WriteResult) -> Measure:
    fields = deadline_fields(item)
    measure = Measure.objects.filter(document=document, number=item["number"]).first()
    is_new = measure is None
    measure = measure or Measure(document=document, number=item["number"][:30])
    measure.section = sections.get(item["section"])
    measure.title = item["title"][:300]
    measure.content = item["text"]
    measure.deadline = fields["deadline"]
    measure.deadline_text = fields["deadline_text"][:200]
    measure.is_ongoing = fields["is_ongoing"]
    measure.recurrence = fields["recurrence"]
    measure.order = order
    measure.save()
    if is_new:
        result.measures_created += 1
    else:
        result.measures_updated += 1
        measure.milestones.all().delete()
    Milestone.objects.bulk_create(
        Milestone(measure=measure, title=title[:300], due_date=due, phrase=phrase[:100], order=step)
        for step, (title, due, phrase) in enumerate(fields["milestones"])
    )
    _write_indicators(item, measure)
    return measure


def _write_indicators(item: dict, measure: Measure) -> None:
    """Add indicators not already on the measure; existing ones keep their reported values."""
    known = set(measure.indicators.values_list("name", flat=True))
    for ind in item["indicators"]:
        try:
            value = Decimal(ind["value"]) if ind.get("value") is not None else None
        except InvalidOperation:
            value = None
        if value is None or ind["name"] in known:
            continue
        known.add(ind["name"])
        Indicator.objects.create(
            measure=measure,
            name=ind["name"][:200],
            comparator=ind["comparator"],
            target_value=value,
            unit=(ind.get("unit") or "")[:30],
            due_date=datetime.date.fromisoformat(ind["due"]) if ind.get("due") else None,
            phrase=(ind.get("phrase") or "")[:200],
        )


def discard(source_import: DocumentImport) -> None:
    source_import.status = ImportStatus.DISCARDED
    source_import.save(update_fields=["status", "updated_at"])

