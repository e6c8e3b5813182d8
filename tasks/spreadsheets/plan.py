"""Checking every row of a task sheet against the database, writing nothing.

``build_plan`` reads the header, then each row: number, task (under its group, when the sheet has
two task columns), category, deadline and units;
resolves each unit with the department directory (exact name, alias or normalised form; close
matches are only suggestions) and compares the row with the measure of the same number in the
document. The result says, row by row, what confirming would create or change, and lists the
errors (which block the whole import) and warnings (which do not), each naming its row. It
runs a fixed number of queries whatever the number of rows.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from departments.models import Department
from departments.resources import Formula, SpreadsheetError
from documents.importing.plan import deadline_fields
from documents.importing.units import load_directory
from documents.models import Measure, PolicyDocument, Section
from documents.parsing import DepartmentDirectory, Resolution
from documents.parsing.tables.rows import heading_text
from tasks.choices import AssignmentRole
from tasks.models import Assignment
from tasks.spreadsheets import cells
from tasks.spreadsheets.headers import (
    CATEGORY,
    DEADLINE,
    GROUP,
    NUMBER,
    REMARK,
    TASK,
    UNIT_FIELDS,
    HeaderMap,
    find_header,
)
from tasks.spreadsheets.reading import Row, iter_nonblank

ROLE_RANK = {AssignmentRole.LEAD: 0, AssignmentRole.RESPONSIBLE: 1, AssignmentRole.SUPPORTING: 2}
CREATE, UPDATE, UNCHANGED, SKIP, ERROR, HEADING = "create", "update", "unchanged", "skip", "error", "heading"
_HEADING_LIKE = re.compile(r"^[\d.、\s]+$")  # a bare number is a row with its task missing, not a heading
DEADLINE_FIELDS = ("deadline", "deadline_text", "is_ongoing", "recurrence")


@dataclass
class UnitRef:
    """A unit named in a row, its role, and the department it resolved to (if any)."""

    name: str
    role: str
    department_id: int | None = None
    department_name: str = ""
    create_kind: str = ""  # a department the admin asked to create on confirmation

    @property
    def key(self) -> int | str:
        return self.department_id if self.department_id is not None else self.name

    @property
    def role_label(self) -> str:
        return str(AssignmentRole(self.role).label)


@dataclass
class RowPlan:
    """One sheet row: its cleaned values, what confirming will do, and its problems."""

    row: int
    number: str = ""
    title: str = ""
    content: str = ""
    category: str = ""
    deadline_cell: str = ""
    fields: dict[str, Any] = field(default_factory=dict)
    units: list[UnitRef] = field(default_factory=list)
    unknown: list[UnitRef] = field(default_factory=list)  # named, but not in the directory
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    action: str = CREATE
    measure: Measure | None = None
    changes: list[str] = field(default_factory=list)
    new_units: list[UnitRef] = field(default_factory=list)
    role_changes: list[tuple[Assignment, UnitRef]] = field(default_factory=list)
    previous_roles: dict[int, str] = field(default_factory=dict)  # assignment pk -> role label before
    kept: list[str] = field(default_factory=list)
    unknown_errors: list[str] = field(default_factory=list)  # the errors about units not in the directory

    @property
    def blocks(self) -> bool:
        return bool(self.errors) and self.action not in (SKIP, HEADING)

    def summary(self) -> str:
        """What confirming does to this row, in one line for the preview."""
        parts = {
            CREATE: [_("新建措施")], UNCHANGED: [_("无变化")], SKIP: [_("跳过此行，不导入")],
            HEADING: [_("分类标题：“%(title)s”") % {"title": self.category}], ERROR: [_("有错误")],
            UPDATE: [_("更新：%(fields)s") % {"fields": "、".join(self.changes)}] if self.changes else [],
        }[self.action]
        if self.action in (CREATE, UPDATE) and self.new_units:
            names = "、".join(f"{u.department_name}({u.role_label})" for u in self.new_units)
            parts.append(_("新增分工：%(names)s") % {"names": names})
        for assignment, unit in self.role_changes if self.action == UPDATE else []:
            parts.append(
                _("%(name)s 角色由“%(old)s”改为“%(new)s”")
                % {"name": unit.department_name, "new": unit.role_label,
                   "old": self.previous_roles.get(assignment.pk) or assignment.get_role_display()}
            )
        if self.kept and self.action in (UPDATE, UNCHANGED):
            parts.append(_("表中未列出的已有分工保留：%(names)s") % {"names": "、".join(self.kept)})
        return ";".join(str(part) for part in parts)


@dataclass
class ImportPlan:
    """The checked sheet: rows, sheet-level errors and warnings, and the unknown unit names."""

    document: PolicyDocument
    header: HeaderMap | None = None
    rows: list[RowPlan] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    unknown: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    written: dict[str, int] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.errors and not any(row.blocks for row in self.rows)

    def all_errors(self) -> list[str]:
        return self.errors + [error for row in self.rows if row.blocks for error in row.errors]

    def grouped_errors(self) -> list[str]:
        """The errors, with each unit missing from the directory named once, with its rows."""
        rows_of: dict[str, list[int]] = {}
        for row in self.rows:
            if row.blocks:
                for unit in row.unknown:
                    rows_of.setdefault(unit.name, []).append(row.row)
        others = [error for row in self.rows if row.blocks for error in row.errors if error not in row.unknown_errors]
        unknown = []
        for name, rows in rows_of.items():
            close = "、".join(dict.fromkeys(s["matched"] for s in self.unknown.get(name, [])[:3]))
            unknown.append(
                _("单位“%(name)s”不在单位名录中，出现在第 %(rows)s 行") % {"name": name, "rows": "、".join(map(str, rows))}
                + (_("（相近：%(names)s）") % {"names": close} if close else "。")
            )
        return self.errors + unknown + others

    def departments_to_create(self) -> dict[str, str]:
        """Unit names the admin asked to create, with their kind."""
        return {unit.name: unit.create_kind for row in self.rows if row.action in (CREATE, UPDATE)
                for unit in row.units if unit.create_kind}

    def all_warnings(self) -> list[str]:
        rows = (row for row in self.rows if row.action not in (SKIP, HEADING))
        return self.warnings + [warning for row in rows for warning in row.warnings]

    def counts(self) -> dict[str, int]:
        counts = dict.fromkeys((CREATE, UPDATE, UNCHANGED, SKIP, ERROR), 0)
        for row in self.rows:
            if row.action != HEADING:
                counts[ERROR if row.blocks else row.action] += 1
        counts["assignments"] = sum(len(row.new_units) for row in self.rows if row.action in (CREATE, UPDATE))
        return counts


class _Context:
    """What the checks need from the database, loaded once per plan."""

    def __init__(self, document: PolicyDocument, unit_map: dict[str, int], directory: DepartmentDirectory | None):
        self.document = document
        self.year = document.issued_date.year if document.issued_date else timezone.localdate().year
        self.measures = {m.number: m for m in Measure.objects.filter(document=document)}
        self.assignments: dict[int, dict[int, Assignment]] = {}
        for assignment in Assignment.objects.filter(measure__document=document).select_related("department"):
            self.assignments.setdefault(assignment.measure_id, {})[assignment.department_id] = assignment
        self.sections = {s.title: s for s in Section.objects.filter(document=document).order_by("order", "id")}
        self.directory = directory or load_directory()
        mapped = Department.objects.active().in_bulk([pk for pk in unit_map.values() if isinstance(pk, int)])
        self.unit_map = {name: mapped[pk] for name, pk in unit_map.items() if isinstance(pk, int) and pk in mapped}
        # {'create': kind}: a department the admin wants created when the import is confirmed.
        self.to_create = {name: value["create"] for name, value in unit_map.items()
                          if isinstance(value, dict) and value.get("create")}
        self.resolved: dict[tuple[str, str | None], Resolution] = {}
        self.units_cache: dict[tuple[str, str], list] = {}
        self.deadline_cache: dict[Any, cells.DeadlineCell] = {}

    def resolve(self, name: str, previous: str | None = None) -> Resolution:
        """Resolve a cell's unit; ``previous`` (the unit before it in the cell) lends its prefix."""
        key = (name, previous)
        if key not in self.resolved:
            self.resolved[key] = self.directory.resolve(name, previous=previous)
        return self.resolved[key]


def build_plan(
    document: PolicyDocument,
    rows: list[Row],
    *,
    unit_map: dict[str, int] | None = None,
    skipped: Iterable[int] = (),
    directory: DepartmentDirectory | None = None,
) -> ImportPlan:
    """Check ``rows`` (a whole sheet, header included) for import into ``document``."""
    plan = ImportPlan(document=document)
    try:
        plan.header = find_header(rows)
    except SpreadsheetError as exc:
        plan.errors.append(str(exc))
        return plan
    header = plan.header
    plan.warnings.extend(header.warnings)
    if not header.has(NUMBER):
        plan.warnings.append(_("表格没有“序号”列，将按行的先后自动编号。"))
    context = _Context(document, unit_map or {}, directory)
    skipped, seen, heading, group, sequence = set(skipped), {}, "", "", 0
    for number, row in iter_nonblank(rows, header.data_start):
        if _number_only(row, header):
            # Templates often come with 序号 filled in far below the last task.
            plan.warnings.append(_("第 %(row)d 行只有序号，已忽略。") % {"row": number})
            continue
        if (title := _heading(row, header)) is not None:
            heading, group = title, ""
            plan.rows.append(RowPlan(row=number, category=title, action=HEADING))
            continue
        sequence += 1
        # A group (主要任务) printed once, above the tasks it covers, is carried down.
        group = cells.cell_text(_cell(row, header, GROUP))[:300] or group
        item = _check_row(number, row, header, context, plan, default_number=str(sequence))
        item.category = item.category or group or heading
        if number in skipped:
            item.action = SKIP
        elif item.number and item.number in seen:
            item.errors.append(
                _("第 %(row)d 行：序号“%(number)s”与第 %(first)d 行重复。")
                % {"row": number, "number": item.number, "first": seen[item.number]}
            )
        elif item.number:
            seen[item.number] = number
        if item.action != SKIP:
            _compare(item, header, context)
        plan.rows.append(item)
    if not any(row.action != HEADING for row in plan.rows):
        plan.errors.append(_("表头（第 %(row)d 行）下面没有任务行。") % {"row": header.header_row})
    return plan


def _cell(row: Row, header: HeaderMap, name: str) -> Any:
    column = header.columns.get(name)
    return row[column] if column is not None and column < len(row) else None


def _number_only(row: Row, header: HeaderMap) -> bool:
    filled = {name for name in header.columns if cells.cell_text(_cell(row, header, name))}
    return filled == {NUMBER} and bool(_HEADING_LIKE.match(cells.cell_text(_cell(row, header, NUMBER))))


def _heading(row: Row, header: HeaderMap) -> str | None:
    """A section line such as '一、产业发展' (often merged across the row): not a task."""
    return heading_text(row, header)


def _check_row(number: int, row: Row, header: HeaderMap, context: _Context, plan: ImportPlan,
               default_number: str) -> RowPlan:
    item = RowPlan(row=number)
    for name, column in header.columns.items():
        value = row[column] if column < len(row) else None
        if isinstance(value, Formula):
            item.errors.append(
                _("第 %(row)d 行：“%(col)s”单元格是公式（%(formula)s），请改为数值或文字后再导入。")
                % {"row": number, "col": header.titles[name], "formula": value[:40]}
            )
    if item.errors:
        return item
    item.number = cells.number_text(_cell(row, header, NUMBER)) if header.has(NUMBER) else default_number
    if not item.number:
        item.errors.append(_("第 %(row)d 行：序号为空。") % {"row": number})
    elif len(item.number) > cells.NUMBER_LIMIT:
        item.errors.append(_("第 %(row)d 行：序号“%(number)s”超过 30 字。") % {"row": number, "number": item.number})
    task = cells.cell_text(_cell(row, header, TASK))
    if not task:
        item.errors.append(_("第 %(row)d 行：重点任务为空。") % {"row": number})
    item.title, item.content = cells.title_and_content(task)
    if remark := cells.cell_text(_cell(row, header, REMARK)):
        item.content = f"{item.content}\n备注：{remark}" if item.content else remark
    item.category = cells.cell_text(_cell(row, header, CATEGORY))[:300]
    _check_deadline(item, _cell(row, header, DEADLINE), context)
    if header.has(DEADLINE) and not item.deadline_cell:
        item.warnings.append(_("第 %(row)d 行：完成时限为空。") % {"row": number})
    for column in UNIT_FIELDS:
        if header.has(column):
            _check_units(item, cells.cell_text(_cell(row, header, column)), column, context, plan)
    if not item.units and not item.errors:
        item.warnings.append(_("第 %(row)d 行：没有填写承办单位，措施将不分配给任何单位。") % {"row": number})
    return item


def _check_deadline(item: RowPlan, value: Any, context: _Context) -> None:
    key = (type(value).__name__, value)
    if key not in context.deadline_cache:
        context.deadline_cache[key] = cells.parse_deadline(value, context.year)
    cell = context.deadline_cache[key]
    item.deadline_cell = cell.text
    if cell.error:
        item.errors.append(_("第 %(row)d 行：%(error)s") % {"row": item.row, "error": cell.error})
    if cell.warning:
        item.warnings.append(_("第 %(row)d 行：%(warning)s") % {"row": item.row, "warning": cell.warning})
    fields = deadline_fields({"deadlines": cell.deadlines, "ongoing": cell.ongoing, "text": cell.text})
    fields["deadline_text"] = (fields["deadline_text"] or cell.text)[:200]
    item.fields = fields


def _check_units(item: RowPlan, text: str, column: str, context: _Context, plan: ImportPlan) -> None:
    key = (column, text)
    if key not in context.units_cache:
        context.units_cache[key] = cells.parse_units(text, column)
    previous: str | None = None
    for parsed in context.units_cache[key]:
        before, previous = previous, parsed.name
        unit = UnitRef(name=parsed.name, role=parsed.role)
        department = context.unit_map.get(parsed.name)
        if department is not None:
            unit.department_id, unit.department_name = department.pk, department.name
        elif parsed.name in context.to_create:
            unit.department_name, unit.create_kind = parsed.name, context.to_create[parsed.name]
        else:
            resolution = context.resolve(parsed.name, before)
            if resolution.entry is not None:
                unit.department_id, unit.department_name = int(resolution.entry.id), resolution.entry.name
                if resolution.via:
                    item.warnings.append(_prefix_note(item.row, parsed.name, resolution))
            else:
                _unknown(item, unit, resolution, plan)
                continue
        same = next((u for u in item.units if u.key == unit.key), None)
        if same is None:
            item.units.append(unit)
            continue
        if ROLE_RANK[unit.role] < ROLE_RANK[same.role]:
            same.role = unit.role
        item.warnings.append(
            _("第 %(row)d 行：单位“%(name)s”出现多次，按“%(role)s”导入。")
            % {"row": item.row, "name": same.department_name, "role": same.role_label}
        )


def _prefix_note(row: int, name: str, resolution: Resolution) -> str:
    """What the preview says when a bare name was read with the previous unit's prefix."""
    return _("第 %(row)d 行：“%(name)s”按前一单位的前缀理解为“%(via)s”（%(department)s），请核对。") % {
        "row": row, "name": name, "via": resolution.via, "department": resolution.entry.name,
    }


def _unknown(item: RowPlan, unit: UnitRef, resolution: Resolution, plan: ImportPlan) -> None:
    suggestions = [{"id": s.entry.id, "name": s.entry.name, "matched": s.matched, "score": s.score}
                   for s in resolution.suggestions]
    plan.unknown.setdefault(unit.name, suggestions)
    item.unknown.append(unit)
    close = "、".join(dict.fromkeys(s["matched"] for s in suggestions[:3]))
    message = _("第 %(row)d 行：%(column)s“%(name)s”不在单位名录中") % {
        "row": item.row, "column": unit.role_label, "name": unit.name,
    }
    message += _("（相近：%(names)s）") % {"names": close} if close else "。"
    item.errors.append(message)
    item.unknown_errors.append(message)


def _compare(item: RowPlan, header: HeaderMap, context: _Context) -> None:
    """Decide create / update / unchanged against the measure of the same number."""
    if item.errors:
        item.action = ERROR
        return
    measure = context.measures.get(item.number)
    item.measure = measure
    existing = context.assignments.get(measure.pk, {}) if measure else {}
    for unit in item.units:
        current = existing.get(unit.department_id) if unit.department_id is not None else None
        if current is None:
            item.new_units.append(unit)
        elif current.role != unit.role:
            item.role_changes.append((current, unit))
            item.previous_roles[current.pk] = str(current.get_role_display())
    listed = {unit.department_id for unit in item.units}
    item.kept = [str(a.department) for pk, a in existing.items() if pk not in listed]
    if measure is None:
        item.action = CREATE
        return
    labels = {"title": _("标题"), "content": _("内容"), "deadline": _("完成时限"), "deadline_text": _("时限原文"),
              "is_ongoing": _("持续推进"), "recurrence": _("报告周期"), "section": _("类别")}
    wanted = {"title": item.title, "content": item.content}
    if header.has(DEADLINE):
        wanted.update({name: item.fields[name] for name in DEADLINE_FIELDS})
    for name, value in wanted.items():
        if getattr(measure, name) != value:
            item.changes.append(str(labels[name]))
    if item.category:
        section = context.sections.get(item.category)
        if section is None or section.pk != measure.section_id:
            item.changes.append(str(labels["section"]))
    if item.new_units:
        item.changes.append(_("任务分工"))
    if item.role_changes:
        item.changes.append(_("角色"))
    item.action = UPDATE if item.changes else UNCHANGED
