"""Spreadsheet import and export of the department directory, and the safe-cell rules of
every spreadsheet of PolicyTrack (``departments`` is the lowest app, so they live here):
``neutralize`` prefixes a cell starting with = + - @, a tab or a carriage return with an
apostrophe so that Excel shows it as text; ``Formula`` marks a formula read from an upload
(imports refuse it); ``SafeCSV`` / ``SafeXLSX`` are the django-import-export formats.

The directory import validates every row, then writes all in one transaction or nothing, with
row-numbered errors. Aliases and group members in the sheet are added; ones not listed are
kept (the admin form removes them), so an import never breaks names other imports resolve.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

import tablib
from charset_normalizer import from_bytes
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from import_export import fields, resources
from import_export.formats import base_formats
from import_export.results import Error, Result, RowResult

from departments.choices import DepartmentKind
from departments.models import Department, DepartmentAlias, normalize_name
from policytrack.archives import check_archive

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
LIST_SEPARATORS = re.compile(r"[、,,;;\n]+")
MAX_COLUMNS = 40


class SpreadsheetError(Exception):
    """The uploaded file cannot be read as a spreadsheet; the message says why, in Chinese."""


class Formula(str):
    """A cell that holds a formula (=…): kept apart so that imports can refuse it by name."""


def neutralize(value: Any) -> Any:
    """Make one exported cell safe: text that a spreadsheet would run is prefixed with '."""
    if isinstance(value, str) and value.startswith(FORMULA_TRIGGERS):
        return "'" + value
    return value


def neutralize_dataset(dataset: tablib.Dataset) -> tablib.Dataset:
    safe = tablib.Dataset(title=dataset.title)
    if dataset.headers:
        safe.headers = [neutralize(header) for header in dataset.headers]
    for row in dataset:
        safe.append([neutralize(value) for value in row])
    return safe


def check_size(data: bytes) -> None:
    limit = settings.SPREADSHEET_IMPORT_MAX_BYTES
    if not data:
        raise SpreadsheetError(_("文件是空的。"))
    if len(data) > limit:
        raise SpreadsheetError(_("文件超过 %(mb)s MB 的上限，请拆分后导入。") % {"mb": f"{limit / 1024 / 1024:g}"})


def decode_text(data: bytes) -> str:
    """Text of a CSV file in UTF-8 (with or without BOM), UTF-16 with BOM or GB18030."""
    if b"\x00" in data[:4096] and not data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise SpreadsheetError(_("文件不是文本格式的 CSV（可能是改了扩展名的其他文件）。"))
    for bom, encoding in ((codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16")):
        if data.startswith(bom):
            try:
                return data.decode(encoding).lstrip("\ufeff")
            except UnicodeDecodeError as exc:
                raise SpreadsheetError(_("文件声明为 UTF 编码，但内容无法按此编码读取。")) from exc
    for encoding in ("utf-8", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    guess = from_bytes(data).best()
    if guess is None:
        raise SpreadsheetError(_("无法识别文件编码，请另存为 UTF-8 编码的 CSV 或 .xlsx。"))
    return str(guess)


def read_csv_rows(data: bytes) -> list[list[Any]]:
    """Rows of a CSV file; a cell starting with = is returned as a Formula."""
    text = decode_text(data)
    sample = text[:4096]
    try:
        dialect: Any = csv.Sniffer().sniff(sample, delimiters=",\t;")
    except csv.Error:
        dialect = csv.excel
    rows = []
    for row in csv.reader(io.StringIO(text), dialect):
        rows.append([Formula(cell) if cell.startswith("=") else cell for cell in row[:MAX_COLUMNS]])
    return rows


def open_workbook(data: bytes):
    """The workbook of an .xlsx file, read-only and streaming (formulas kept as written)."""
    import zipfile

    import openpyxl
    from openpyxl.utils.exceptions import InvalidFileException

    if data[:4] == b"\xd0\xcf\x11\xe0":
        raise SpreadsheetError(_("这是旧版 Excel（.xls）文件，请在 Excel 中另存为 .xlsx 后再导入。"))
    if not data.startswith(b"PK\x03\x04"):
        raise SpreadsheetError(_("文件不是有效的 .xlsx 表格（可能是改了扩展名的其他文件）。"))
    check_archive(data, error=SpreadsheetError)
    try:
        return openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    except (zipfile.BadZipFile, InvalidFileException, KeyError, OSError, ValueError) as exc:
        raise SpreadsheetError(_("文件不是有效的 .xlsx 表格，无法打开。")) from exc


def cell_value(cell: Any) -> Any:
    if getattr(cell, "data_type", None) == "f":
        return Formula(cell.value)
    return getattr(cell, "value", None)


def dataset_from_rows(rows: Sequence[Sequence[Any]]) -> tablib.Dataset:
    """A Dataset whose headers are the first row; rows are padded to one width."""
    width = max((len(row) for row in rows), default=0)
    dataset = tablib.Dataset()
    if not rows or width == 0:
        return dataset
    dataset.headers = list(rows[0]) + [None] * (width - len(rows[0]))
    for row in rows[1:]:
        dataset.append(list(row) + [None] * (width - len(row)))
    return dataset


class SafeCSV(base_formats.CSV):
    """CSV read in any usual encoding (bytes in) and written with a BOM and safe cells."""

    def is_binary(self) -> bool:
        return True  # the admin must hand us bytes: GB18030 is not UTF-8

    def get_read_mode(self) -> str:
        return "rb"

    def create_dataset(self, in_stream, **kwargs):
        data = in_stream.encode("utf-8") if isinstance(in_stream, str) else bytes(in_stream)
        check_size(data)
        return dataset_from_rows(read_csv_rows(data))

    def export_data(self, dataset, **kwargs):
        return "\ufeff" + neutralize_dataset(dataset).export("csv", **kwargs)


class SafeXLSX(base_formats.XLSX):
    """.xlsx read streaming with formulas kept (so they can be refused), written with safe cells."""

    def create_dataset(self, in_stream, **kwargs):
        check_size(in_stream)
        workbook = open_workbook(in_stream)
        try:
            sheet = workbook.worksheets[0]
            sheet.reset_dimensions()  # some writers record a wrong size; read what is there
            rows = [[cell_value(cell) for cell in row] for row in sheet.iter_rows(max_col=MAX_COLUMNS)]
        finally:
            workbook.close()
        return dataset_from_rows(rows)

    def export_data(self, dataset, **kwargs):
        return super().export_data(neutralize_dataset(dataset), **kwargs)


SAFE_FORMATS = [SafeXLSX, SafeCSV]


# --- the department directory -------------------------------------------------------------

COLUMNS = {
    "name": ("单位全称", "单位名称", "名称", "单位"),
    "short_name": ("简称",),
    "aliases": ("别名",),
    "kind": ("类型", "单位类型"),
    "parent": ("上级单位",),
    "members": ("成员单位",),
}
KIND_BY_TEXT = {str(label): value for value, label in DepartmentKind.choices} | {v: v for v in DepartmentKind.values}


@dataclass
class DepartmentRow:
    """One row of a directory sheet, cleaned, with what it will do."""

    row: int
    name: str
    short_name: str = ""
    aliases: list[str] = field(default_factory=list)
    kind: str = ""
    parent: str = ""
    members: list[str] = field(default_factory=list)
    existing: Department | None = None
    errors: list[str] = field(default_factory=list)


@dataclass
class DirectoryPlan:
    rows: list[DepartmentRow]
    errors: list[str]

    @property
    def ok(self) -> bool:
        return not self.errors


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = str(value).strip()
    return text[1:] if len(text) > 1 and text[0] == "'" and text[1] in FORMULA_TRIGGERS else text


def _names(value: Any) -> list[str]:
    return [normalize_name(part) for part in LIST_SEPARATORS.split(_text(value)) if normalize_name(part)]


def _header_map(headers: Sequence[Any]) -> dict[str, int]:
    found: dict[str, int] = {}
    for index, header in enumerate(headers):
        key = normalize_name(_text(header)).strip("*")
        for name, words in COLUMNS.items():
            if key in words and name not in found:
                found[name] = index
    return found


def plan_departments(rows: Sequence[Sequence[Any]]) -> DirectoryPlan:
    """Validate a directory sheet (first row: headers); nothing is written."""
    if not rows:
        return DirectoryPlan([], [_("表格是空的。")])
    columns = _header_map(rows[0])
    if "name" not in columns:
        return DirectoryPlan([], [_("第 1 行表头缺少“单位全称”列。")])
    known = _known_names()
    existing = {d.name: d for d in Department.objects.all()}
    planned: list[DepartmentRow] = []
    first_row: dict[str, int] = {}
    for number, raw in enumerate(rows[1:], start=2):
        cells = {key: raw[index] if index < len(raw) else None for key, index in columns.items()}
        if all(_text(value) == "" for value in cells.values()):
            continue
        item = _clean_row(number, cells, existing)
        if item.name in first_row:
            item.errors.append(
                _("第 %(row)d 行：单位“%(name)s”与第 %(first)d 行重复。")
                % {"row": number, "name": item.name, "first": first_row[item.name]}
            )
        elif item.name:
            first_row[item.name] = number
        planned.append(item)
    in_sheet = {item.name for item in planned if item.name} | {
        alias for item in planned for alias in [item.short_name, *item.aliases] if alias
    }
    alias_rows: dict[str, int] = {}
    for item in planned:
        _check_references(item, known, in_sheet)
        for alias in item.aliases:
            if alias in first_row or alias_rows.setdefault(alias, item.row) != item.row:
                item.errors.append(
                    _("第 %(row)d 行：别名“%(alias)s”在本表中重复出现或与其他单位同名。") % {"row": item.row, "alias": alias}
                )
    errors = [error for item in planned for error in item.errors]
    if not planned and not errors:
        errors.append(_("表格中没有单位。"))
    return DirectoryPlan(planned, errors)


def _known_names() -> dict[str, int]:
    """Every name, short name and alias of the directory, with its department's id."""
    names: dict[str, int] = {}
    for pk, name, short in Department.objects.values_list("pk", "name", "short_name"):
        names[name] = pk
        if short:
            names.setdefault(short, pk)
    for pk, alias in DepartmentAlias.objects.values_list("department_id", "name"):
        names.setdefault(alias, pk)
    return names


def _clean_row(number: int, cells: dict[str, Any], existing: dict[str, Department]) -> DepartmentRow:
    item = DepartmentRow(row=number, name=normalize_name(_text(cells.get("name"))))
    for value in cells.values():
        if isinstance(value, Formula):
            item.errors.append(_("第 %(row)d 行：单元格是公式（%(formula)s），请改为文字。") % {"row": number, "formula": value})
    if not item.name:
        item.errors.append(_("第 %(row)d 行：单位全称为空。") % {"row": number})
    elif len(item.name) > 100:
        item.errors.append(_("第 %(row)d 行：单位全称超过 100 字。") % {"row": number})
    item.short_name = normalize_name(_text(cells.get("short_name")))[:50]
    item.aliases = [alias for alias in _names(cells.get("aliases")) if alias != item.name][:50]
    item.parent = normalize_name(_text(cells.get("parent")))
    item.members = _names(cells.get("members"))
    item.existing = existing.get(item.name)
    kind_text = _text(cells.get("kind"))
    if kind_text:
        item.kind = KIND_BY_TEXT.get(kind_text, "")
        if not item.kind:
            choices = "、".join(str(label) for label in DepartmentKind.labels)
            item.errors.append(
                _("第 %(row)d 行：类型“%(kind)s”无法识别（可填：%(choices)s）。")
                % {"row": number, "kind": kind_text, "choices": choices}
            )
    return item


def _check_references(item: DepartmentRow, known: dict[str, int], in_sheet: set[str]) -> None:
    own_pk = item.existing.pk if item.existing else None
    for alias in item.aliases:
        owner = known.get(alias)
        if owner is not None and owner != own_pk:
            item.errors.append(
                _("第 %(row)d 行：别名“%(alias)s”已是其他单位的名称或别名。") % {"row": item.row, "alias": alias}
            )
    if item.parent and item.parent in (item.name, item.short_name):
        item.errors.append(_("第 %(row)d 行：上级单位不能是本单位。") % {"row": item.row})
    elif item.parent and item.parent not in known and item.parent not in in_sheet:
        item.errors.append(
            _("第 %(row)d 行：上级单位“%(name)s”不在单位名录中，也不在本表中。") % {"row": item.row, "name": item.parent}
        )
    kind = item.kind or (item.existing.kind if item.existing else DepartmentKind.BUREAU)
    if item.members and kind != DepartmentKind.GROUP:
        item.errors.append(_("第 %(row)d 行：只有集合单位可以填写成员单位。") % {"row": item.row})
    for member in item.members:
        if member not in known and member not in in_sheet:
            item.errors.append(
                _("第 %(row)d 行：成员单位“%(name)s”不在单位名录中，也不在本表中。") % {"row": item.row, "name": member}
            )


def apply_departments(plan: DirectoryPlan) -> dict[str, Department]:
    """Write a valid plan in one transaction; returns the saved departments by name."""
    if not plan.ok:
        raise ValidationError(plan.errors)
    with transaction.atomic():
        saved: dict[str, Department] = {}
        for item in plan.rows:
            department = item.existing or Department(name=item.name)
            department.short_name = item.short_name or department.short_name
            department.kind = item.kind or department.kind
            department.save()
            saved[item.name] = department
            have = set(department.aliases.values_list("name", flat=True)) if item.existing else set()
            DepartmentAlias.objects.bulk_create(
                DepartmentAlias(department=department, name=alias) for alias in item.aliases if alias not in have
            )
        # Parents and members may name departments created further down the sheet: link them last.
        lookup = _known_names()
        for item in plan.rows:
            department = saved[item.name]
            if item.parent:
                department.parent_id = lookup[item.parent]
                department.save(update_fields=["parent"])
            if item.members:
                department.members.add(*(lookup[name] for name in item.members))
    return saved


def import_departments(rows: Sequence[Sequence[Any]], *, dry_run: bool = False) -> DirectoryPlan:
    plan = plan_departments(rows)
    if plan.ok and not dry_run:
        apply_departments(plan)
    return plan


class DepartmentResource(resources.ModelResource):
    """The directory as a sheet: one department per row, aliases and members joined by 、."""

    name = fields.Field(attribute="name", column_name="单位全称")
    short_name = fields.Field(attribute="short_name", column_name="简称")
    aliases = fields.Field(column_name="别名")
    kind = fields.Field(column_name="类型")
    parent = fields.Field(column_name="上级单位")
    members = fields.Field(column_name="成员单位")

    class Meta:
        model = Department
        fields = ("name", "short_name", "aliases", "kind", "parent", "members")
        export_order = fields

    def filter_export(self, queryset, **kwargs):
        return queryset.select_related("parent").prefetch_related("aliases", "members")

    def dehydrate_aliases(self, department: Department) -> str:
        return "、".join(alias.name for alias in department.aliases.all())

    def dehydrate_kind(self, department: Department) -> str:
        return str(department.get_kind_display())

    def dehydrate_parent(self, department: Department) -> str:
        return department.parent.name if department.parent else ""

    def dehydrate_members(self, department: Department) -> str:
        return "、".join(member.name for member in department.members.all())

    def export_field(self, field, instance, **kwargs):
        return neutralize(super().export_field(field, instance, **kwargs))

    def import_data(self, dataset, dry_run=False, raise_errors=False, **kwargs) -> Result:
        """All rows or none: validate the whole sheet, then write once (never row by row)."""
        rows: list[Iterable[Any]] = [list(dataset.headers or []), *(list(row) for row in dataset)]
        plan = plan_departments(rows)
        saved = apply_departments(plan) if plan.ok and not dry_run else {}
        return _directory_result(plan, dataset, saved)


def _directory_result(plan: DirectoryPlan, dataset: tablib.Dataset, saved: dict[str, Department]) -> Result:
    result = Result()
    result.diff_headers = ["单位全称", "简称", "别名", "类型", "上级单位", "成员单位"]
    result.add_dataset_headers(result.diff_headers)
    if not plan.rows and plan.errors:
        result.append_base_error(Error(SpreadsheetError(";".join(plan.errors))))
        return result
    for item in plan.rows:
        values = {
            "单位全称": item.name, "简称": item.short_name, "别名": "、".join(item.aliases),
            "类型": str(DepartmentKind(item.kind).label) if item.kind else "", "上级单位": item.parent,
            "成员单位": "、".join(item.members),
        }
        if item.errors:
            result.append_invalid_row(item.row, values, ValidationError(item.errors))
            continue
        row_result = RowResult()
        row_result.import_type = RowResult.IMPORT_TYPE_UPDATE if item.existing else RowResult.IMPORT_TYPE_NEW
        row_result.diff = [values[header] for header in result.diff_headers]
        row_result.object_repr = item.name
        row_result.instance = saved.get(item.name)
        row_result.object_id = getattr(row_result.instance, "pk", None)
        result.append_row_result(row_result)
        result.increment_row_result_total(row_result)
    result.total_rows = len(dataset)
    return result
