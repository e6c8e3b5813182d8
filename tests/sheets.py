"""Spreadsheets for the import and export tests, generated with openpyxl (never binary fixtures)."""

from __future__ import annotations

import csv
import datetime
import io
from collections.abc import Sequence
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook, load_workbook

from departments.choices import DepartmentKind
from departments.models import Department, DepartmentAlias

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
HEADER = ["序号", "重点任务", "牵头单位", "配合单位", "完成时限", "类别", "备注"]


def xlsx_bytes(rows: Sequence[Sequence[Any]], merges: Sequence[str] = (), formulas: dict[str, str] | None = None) -> bytes:
    """An .xlsx whose first sheet holds ``rows`` from A1; ``merges`` like 'F2:F4' are merged
    (openpyxl keeps only the top-left value, as Excel does); ``formulas`` put =… into cells."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "任务分解表"
    for row in rows:
        sheet.append(list(row))
    for cell, formula in (formulas or {}).items():
        sheet[cell] = formula
    for ref in merges:
        sheet.merge_cells(ref)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def csv_bytes(rows: Sequence[Sequence[Any]], encoding: str = "utf-8") -> bytes:
    out = io.StringIO()
    csv.writer(out).writerows(rows)
    return out.getvalue().encode(encoding)


def upload(name: str, data: bytes, content_type: str = "application/octet-stream") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type=content_type)


def xlsx_values(data: bytes) -> list[list[Any]]:
    """Cell values of the first sheet of an .xlsx (the full workbook model, for checking exports);
    an empty cell reads as '' as it does in the CSV."""
    sheet = load_workbook(io.BytesIO(data)).worksheets[0]
    return [["" if value is None else value for value in row] for row in sheet.iter_rows(values_only=True)]


def csv_values(data: bytes) -> list[list[str]]:
    assert data.startswith(b"\xef\xbb\xbf"), "ledger CSV must start with a UTF-8 BOM for Excel"
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))


def sample_rows() -> list[list[Any]]:
    """A realistic 任务分解表: a title and a note above the header, and the cell formats offices use."""
    return [
        ["测试市数字经济重点任务分解表"],
        ["填报单位:市推进办", None, None, None, "2026年1月"],
        HEADER,
        [1, "建设城市算力中心。分两期实施。", "市发改委", "市工信局、市财政局", "2026年12月", "数字基础设施", "一期先行"],
        [2, "推进政务数据共享", "市发展改革委牵头,市财政局按职责分工负责", "无", datetime.datetime(2026, 6, 30), "数字基础设施", None],
        [3, "培育数字经济龙头企业", "市工信局", "", "2026年6月底前", "数字产业", None],
        ["4、", "持续优化营商环境", "市工业和信息化局", "市发改委", "持续推进", "数字产业", None],
    ]


def make_sheet_directory() -> dict[str, Department]:
    """Departments the sample sheets name, beyond tests.base's 市发改委 and 市工信局."""
    made = {}
    for name, short in [
        ("市财政局", ""), ("市科学技术和教育体育局", "市科教体局"), ("省市场监督管理局", "省市场监管局"),
    ]:
        made[short or name] = Department.objects.get_or_create(name=name, defaults={"short_name": short})[0]
    group = Department.objects.get_or_create(name="各县(市、区)人民政府", kind=DepartmentKind.GROUP)[0]
    DepartmentAlias.objects.get_or_create(name="各县(市、区)政府", department=group)
    made["各县(市、区)政府"] = group
    return made
