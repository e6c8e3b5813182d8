"""Benchmark of the sheet importer against a plain django-import-export ModelResource.

``run_benchmark`` builds a directory and two empty documents, generates an .xlsx of ``rows``
measures, and times, on the same rows: this importer (read + check, then read + check +
write) and a plain ``ModelResource`` for Measure whose ``after_save_instance`` creates the
assignments one by one (dry run, then import). Peak memory of this importer is measured in a
separate pass with tracemalloc (tracing slows Python down, so it is not on while timing).
Everything happens in one transaction that is rolled back: the database is left as it was.
"""

from __future__ import annotations

import datetime
import io
import time
import tracemalloc
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db import connection, transaction
from django.test.utils import override_settings
from import_export import fields, resources, widgets
from import_export.formats.base_formats import XLSX
from openpyxl import Workbook

from departments.models import Department
from documents.models import Measure, PolicyDocument
from tasks.models import Assignment
from tasks.rollups.refresh import batch
from tasks.spreadsheets.reading import read_xlsx
from tasks.spreadsheets.service import import_rows

# A city of its own, so that the benchmark never meets (or is confused by) a real directory.
UNITS = tuple(f"基准市{name}" for name in (
    "发展和改革委员会", "工业和信息化局", "财政局", "数据局", "民政局", "商务局", "科技局", "人力资源和社会保障局",
    "自然资源局", "住房和城乡建设局", "生态环境局", "市场监督管理局", "高新区管委会", "卫生健康委员会"))
TOPICS = ("数字政府", "产业园区", "养老服务", "营商环境", "科技创新", "乡村振兴", "城市更新", "绿色低碳")
HEADERS = ["序号", "重点任务", "牵头单位", "责任单位", "配合单位", "完成时限", "类别"]
PLAIN_HEADERS = ["document", "number", "title", "content", "deadline", "lead", "responsible", "supporting"]


def _units(index: int) -> tuple[str, str, str]:
    lead, responsible, supporting = (UNITS[(index + shift) % len(UNITS)] for shift in (0, 3, 7))
    return lead, responsible, supporting


def logical_rows(count: int) -> list[dict[str, Any]]:
    rows = []
    for index in range(1, count + 1):
        topic = TOPICS[index % len(TOPICS)]
        lead, responsible, supporting = _units(index)
        rows.append({
            "number": str(index),
            "task": f"推进{topic}第{index}项任务。完善工作机制，统筹推进各项任务落实，形成可复制经验。",
            "lead": lead, "responsible": responsible, "supporting": supporting,
            "deadline": datetime.date(2026, 1 + index % 12, 28), "category": f"{topic}专项",
        })
    return rows


def _xlsx(header: list[str], body: list[list[Any]], title: str | None = None) -> bytes:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("任务分解表")
    if title:
        sheet.append([title])
    sheet.append(header)
    for row in body:
        sheet.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def sheet_bytes(rows: list[dict[str, Any]]) -> bytes:
    """The 任务分解表 this importer reads, with a title line above the header."""
    body = [[r["number"], r["task"], r["lead"], r["responsible"], r["supporting"], r["deadline"], r["category"]]
            for r in rows]
    return _xlsx(HEADERS, body, title="基准测试市重点任务分解表")


class PlainMeasureResource(resources.ModelResource):
    """What django-import-export does out of the box: one instance lookup and save per row."""

    document = fields.Field(attribute="document", column_name="document",
                            widget=widgets.ForeignKeyWidget(PolicyDocument))
    lead = fields.Field(column_name="lead")
    responsible = fields.Field(column_name="responsible")
    supporting = fields.Field(column_name="supporting")

    class Meta:
        model = Measure
        fields = ("document", "number", "title", "content", "deadline", "lead", "responsible", "supporting")
        import_id_fields = ("document", "number")

    def after_save_instance(self, instance, row, **kwargs):
        for role in ("lead", "responsible", "supporting"):
            for name in (row.get(role) or "").split("、"):
                department = Department.objects.find(name)
                if department is not None:
                    Assignment.objects.get_or_create(measure=instance, department=department, defaults={"role": role})


def plain_bytes(rows: list[dict[str, Any]], document: PolicyDocument) -> bytes:
    body = [[document.pk, r["number"], r["task"][:30], r["task"], r["deadline"], r["lead"], r["responsible"],
             r["supporting"]] for r in rows]
    return _xlsx(PLAIN_HEADERS, body)


@dataclass(frozen=True)
class Figures:
    rows: int
    ours_dry_run_s: float
    ours_import_s: float
    plain_dry_run_s: float
    plain_import_s: float
    ours_peak_mb: float
    ours_peak_fifth_mb: float  # the same pass on a fifth of the rows: memory should scale with rows only
    ours_queries: int

    @property
    def ours_total_s(self) -> float:
        return self.ours_dry_run_s + self.ours_import_s

    @property
    def plain_total_s(self) -> float:
        return self.plain_dry_run_s + self.plain_import_s

    @property
    def ratio(self) -> float:
        return self.plain_total_s / self.ours_total_s if self.ours_total_s else 0.0


def _timed(function: Callable[[], Any]) -> tuple[float, Any]:
    start = time.perf_counter()
    result = function()
    return time.perf_counter() - start, result


def _ours(document: PolicyDocument, data: bytes, dry_run: bool):
    plan = import_rows(document, read_xlsx(data), dry_run=dry_run, source_name="bench.xlsx")
    if not plan.ok:
        raise RuntimeError("benchmark sheet rejected: " + "; ".join(plan.all_errors()[:5]))
    return plan


def run_benchmark(count: int = 5000, *, with_plain: bool = True) -> Figures:
    """Time both importers on ``count`` rows; nothing is left in the database."""
    rows = logical_rows(count)
    data = sheet_bytes(rows)
    # As in production: with DEBUG on, Django keeps the text of every query, bulk inserts included;
    # and, as a writer does, the rollups are refreshed once at the end, not after each row's save
    # (here after the rollback, so of nothing that was left).
    with override_settings(DEBUG=False), batch(), transaction.atomic():
        for name in UNITS:
            Department.objects.get_or_create(name=name)
        ours_doc, plain_doc, memory_doc = (PolicyDocument.objects.create(title=f"基准测试文件{n}") for n in "ABC")
        dry_s, _plan = _timed(lambda: _ours(ours_doc, data, dry_run=True))
        queries: list[str] = []
        with connection.execute_wrapper(lambda execute, sql, *a: queries.append(sql) or execute(sql, *a)):
            import_s, _plan = _timed(lambda: _ours(ours_doc, data, dry_run=False))
        plain_dry = plain_import = 0.0
        if with_plain:
            dataset = XLSX().create_dataset(plain_bytes(rows, plain_doc))
            plain_dry, _result = _timed(lambda: PlainMeasureResource().import_data(dataset, dry_run=True))
            plain_import, _result = _timed(lambda: PlainMeasureResource().import_data(dataset, dry_run=False))
        peak = _peak(memory_doc, data)
        fifth_doc = PolicyDocument.objects.create(title="基准测试文件D")
        peak_fifth = _peak(fifth_doc, sheet_bytes(rows[: max(1, count // 5)]))
        transaction.set_rollback(True)
    return Figures(count, dry_s, import_s, plain_dry, plain_import, peak, peak_fifth, len(queries))


def _peak(document: PolicyDocument, data: bytes) -> float:
    """Peak traced memory (MB) of a dry run and an import of ``data``."""
    tracemalloc.start()
    try:
        _ours(document, data, dry_run=True)
        _ours(document, data, dry_run=False)
        return tracemalloc.get_traced_memory()[1] / 1024 / 1024
    finally:
        tracemalloc.stop()
