"""bench_uploads: how long the readers take to refuse decompression bombs built in memory (a small
.docx holding 100 MB of XML, an .xlsx with a 200 MB sharedStrings part, one with 6,000 merged
ranges, one whose merges cover 2 million cells). The builders are also the tests' bombs."""

from __future__ import annotations

import io
import json
import re
import statistics
import time
import zipfile
from collections.abc import Callable

from django.core.management.base import BaseCommand

MB = 1024 * 1024
SHEET = "xl/worksheets/sheet1.xml"


def write_spaces(archive: zipfile.ZipFile, name: str, size: int, head: bytes = b"", tail: bytes = b"") -> None:
    """A member of ``size`` bytes that compresses to almost nothing, streamed in 1 MB pieces."""
    with archive.open(name, "w", force_zip64=True) as member:
        member.write(head)
        left, chunk = size - len(head) - len(tail), b" " * MB
        while left > 0:
            member.write(chunk[: min(left, MB)])
            left -= MB
        member.write(tail)


def docx_bomb(xml_size: int = 100 * MB) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types/>')
        write_spaces(archive, "word/document.xml", xml_size, b'<?xml version="1.0"?><w:document>', b"</w:document>")
    return out.getvalue()


def small_sheet() -> bytes:
    from openpyxl import Workbook

    workbook = Workbook()
    workbook.active.append(["序号", "重点任务", "牵头单位", "配合单位", "完成时限"])
    workbook.active.append([1, "建设城市算力中心", "市发改委", "", "2026年12月"])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def xlsx_with(replace: dict[str, Callable[[bytes], bytes]] | None = None, extra: dict[str, int] | None = None,
              source: bytes | None = None) -> bytes:
    """A real .xlsx with some members rewritten and huge (highly compressible) ones added."""
    original = zipfile.ZipFile(io.BytesIO(source or small_sheet()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for info in original.infolist():
            data = original.read(info.filename)
            archive.writestr(info.filename, (replace or {}).get(info.filename, lambda xml: xml)(data))
        for name, size in (extra or {}).items():
            write_spaces(archive, name, size, b'<?xml version="1.0"?><sst>', b"</sst>")
    return out.getvalue()


def with_merges(refs: list[str]) -> Callable[[bytes], bytes]:
    """Rewrite a sheet's XML so that it merges ``refs`` (and nothing else)."""
    cells = "".join(f'<mergeCell ref="{ref}"/>' for ref in refs)

    def rewrite(xml: bytes) -> bytes:
        xml = re.sub(rb"<mergeCells.*?</mergeCells>", b"", xml, flags=re.S)
        return xml.replace(b"</sheetData>", f'</sheetData><mergeCells count="{len(refs)}">{cells}</mergeCells>'.encode())

    return rewrite


def bombs() -> dict[str, tuple[str, bytes]]:
    return {
        "docx, 100 MB of XML": ("docx", docx_bomb()),
        "xlsx, 200 MB sharedStrings": ("xlsx", xlsx_with(extra={"xl/sharedStrings.xml": 200 * MB})),
        "xlsx, 6,000 merged ranges": ("xlsx", xlsx_with({SHEET: with_merges(
            [f"A{2 * n + 1}:B{2 * n + 2}" for n in range(6000)])})),
        "xlsx, merges over 2 million cells": ("xlsx", xlsx_with({SHEET: with_merges(
            [f"A1:AN{50_000 - n}" for n in range(50)])})),
    }


class Command(BaseCommand):
    help = (
        "测量拒收解压炸弹所需时间(目标每个 1–2 秒内):100 MB XML 的小 .docx、200 MB sharedStrings 的 .xlsx、"
        "6000 处合并单元格、合并覆盖 200 万个单元格。 / Time to refuse decompression bombs (target: a second or two)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--repeats", type=int, default=5, help="每个文件重复次数(取中位数),默认 5")
        parser.add_argument("--json", action="store_true", dest="as_json", help="输出 JSON")

    def handle(self, *args, repeats: int, as_json: bool, **options):
        from departments.resources import SpreadsheetError
        from documents.parsing.reader import DocumentReadError, read_document
        from tasks.spreadsheets.reading import read_xlsx

        rows = []
        for label, (kind, data) in bombs().items():
            timings, message = [], ""
            for _run in range(max(1, repeats)):
                started = time.perf_counter()
                try:
                    read_document("bomb.docx", data) if kind == "docx" else read_xlsx(data)
                    message = "NOT REFUSED"
                except (DocumentReadError, SpreadsheetError) as exc:
                    message = str(exc)
                timings.append((time.perf_counter() - started) * 1000)
            rows.append({"file": label, "upload_kb": round(len(data) / 1024), "median_ms": round(statistics.median(timings), 1),
                         "message": message})
        if as_json:
            self.stdout.write(json.dumps(rows, ensure_ascii=False))
            return
        for row in rows:
            self.stdout.write(f"{row['file']:<36} {row['upload_kb']:>6} KB {row['median_ms']:>8.1f} ms  {row['message']}")
