"""Match the units a plan names to the department directory, and the admin's corrections."""

from __future__ import annotations

from departments.choices import DepartmentKind
from departments.models import Department
from documents.importing.plan import live_measures, unit_names
from documents.parsing import DepartmentDirectory, DirectoryEntry
from documents.parsing.resolve import KIND_DEPARTMENT, KIND_GROUP

MANUAL = "manual"
CREATE = "create"


def load_directory() -> DepartmentDirectory:
    """The active departments with their short names and aliases, in two queries."""
    entries = [
        DirectoryEntry(
            id=department.pk,
            name=department.name,
            short_name=department.short_name or None,
            aliases=tuple(alias.name for alias in department.aliases.all()),
            kind=KIND_GROUP if department.kind == DepartmentKind.GROUP else KIND_DEPARTMENT,
        )
        for department in Department.objects.active().prefetch_related("aliases")
    ]
    return DepartmentDirectory(entries)


def resolve_units(plan: dict, directory: DepartmentDirectory | None = None) -> dict:
    """Fill ``plan['units']`` for every named unit; the admin's own choices are kept.

    Exact names, aliases and unambiguous normalised forms are matched; a bare name written
    after a prefixed one in the same list ('省科技厅、工业和信息化厅') is tried with that prefix
    (match 'prefix', ``via`` the name resolved); anything else stays unresolved with
    suggestions, never applied silently."""
    directory = directory or load_directory()
    units = plan.setdefault("units", {})
    previous = _previous_names(plan)
    for name in unit_names(plan):
        current = units.get(name)
        if current and current.get("match") in (MANUAL, CREATE):
            continue
        expand = bool(current and current.get("expand"))
        resolution = directory.resolve(name, previous=previous.get(name))
        units[name] = {
            "via": resolution.via,
            "department_id": resolution.entry.id if resolution.entry else None,
            "department_name": resolution.entry.name if resolution.entry else None,
            "create_kind": None,
            "match": resolution.method or "none",
            "group": resolution.is_group,
            "expand": expand and resolution.is_group,
            "suggestions": [
                {"id": s.entry.id, "name": s.entry.name, "score": s.score} for s in resolution.suggestions
            ],
        }
    return plan


def _previous_names(plan: dict) -> dict[str, str]:
    """For each unit name, the name listed right before it where it first follows one."""
    previous: dict[str, str] = {}
    for measure in live_measures(plan):
        names = [unit["name"] for unit in measure["units"]]
        for before, name in zip(names, names[1:], strict=False):
            previous.setdefault(name, before)
    return previous


def map_unit(plan: dict, name: str, department: Department) -> None:
    """The admin says ``name`` means ``department``."""
    entry = plan["units"].setdefault(name, {"suggestions": []})
    entry.update(department_id=department.pk, department_name=department.name, create_kind=None, match=MANUAL, via=None,
                 group=department.is_group)


def create_unit(plan: dict, name: str, kind: str) -> None:
    """The admin says ``name`` is a new department, created when the import is confirmed."""
    entry = plan["units"].setdefault(name, {"suggestions": []})
    entry.update(department_id=None, department_name=None, create_kind=kind, match=CREATE, via=None)


def set_expand(plan: dict, name: str, expand: bool) -> None:
    """Assign a group (各县(市、区)政府) as itself, or expand it to one assignment per member."""
    plan["units"].setdefault(name, {"suggestions": []})["expand"] = expand
