"""Writing rows to .xlsx and .csv with safe cells.

Every text cell goes through ``neutralize`` (= + - @, tab and carriage return at the start get
an apostrophe), so a measure titled '=HYPERLINK(…)' stays text in Excel and WPS. The .xlsx is
written in openpyxl's write-only mode (rows stream to disk) with a frozen, bold header row,
column widths, wrapping and a filter; the .csv is UTF-8 with a BOM so Excel reads the Chinese.
"""

from __future__ import annotations

import csv
import datetime
import io
from collections.abc import Iterable, Iterator, Sequence
from typing import IO, Any

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from departments.resources import neutralize

Column = tuple[str, int, bool]  # header, width, wrap
_HEADER_FONT = Font(bold=True)
_HEADER_FILL = PatternFill("solid", fgColor="DDE4EE")
_HEADER_ALIGN = Alignment(horizontal="center", vertical="center", wrap_text=True)
_WRAP = Alignment(vertical="top", wrap_text=True)
_TOP = Alignment(vertical="top")


def safe_cell(value: Any) -> Any:
    """A value ready for a spreadsheet: dates kept, text neutralised, None as empty."""
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date | int | float):
        return value
    return neutralize(str(value))


def write_xlsx(columns: Sequence[Column], rows: Iterable[Sequence[Any]], out: IO[bytes], title: str = "台账") -> int:
    """Write a sheet to ``out``; returns the number of data rows."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title)
    sheet.freeze_panes = "A2"
    for index, (_header, width, _wrap) in enumerate(columns, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    header_cells = []
    for header, _width, _wrap in columns:
        cell = WriteOnlyCell(sheet, value=safe_cell(header))
        cell.font, cell.fill, cell.alignment = _HEADER_FONT, _HEADER_FILL, _HEADER_ALIGN
        header_cells.append(cell)
    sheet.append(header_cells)
    count = 0
    for row in rows:
        cells = []
        for (_header, _width, wrap), value in zip(columns, row, strict=True):
            cell = WriteOnlyCell(sheet, value=safe_cell(value))
            cell.alignment = _WRAP if wrap else _TOP
            if isinstance(cell.value, datetime.date):
                cell.number_format = "yyyy-mm-dd"
            cells.append(cell)
        sheet.append(cells)
        count += 1
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(columns))}{count + 1}"
    workbook.save(out)
    return count


def _csv_line(values: Sequence[Any]) -> str:
    buffer = io.StringIO()
    csv.writer(buffer).writerow(
        [value.isoformat() if isinstance(value, datetime.date) else value for value in map(safe_cell, values)]
    )
    return buffer.getvalue()


def iter_csv(columns: Sequence[Column], rows: Iterable[Sequence[Any]]) -> Iterator[str]:
    """The CSV text line by line (BOM first), for a streaming response or a file."""
    yield "\ufeff" + _csv_line([header for header, _width, _wrap in columns])
    for row in rows:
        yield _csv_line(row)


def write_csv(columns: Sequence[Column], rows: Iterable[Sequence[Any]], out: IO[str]) -> int:
    """Write the CSV to ``out``; returns the number of data rows."""
    lines = iter_csv(columns, rows)
    out.write(next(lines))
    count = 0
    for line in lines:
        out.write(line)
        count += 1
    return count
