"""Reading an uploaded task sheet (.xlsx or .csv) into rows of cell values.

.xlsx files are streamed with openpyxl's read-only mode, so memory holds the rows and not the
workbook's object model. Read-only mode does not report merged cells, so their ranges are read
from the sheet XML in a second streaming pass and every cell of a merged range takes the value
of its top-left cell: a category (类别) merged over twenty rows applies to each of them.

Cells are ``str``, ``int``, ``float``, ``datetime.date``, ``Formula`` (refused by the importer)
or ``None``. ``encode_rows`` / ``decode_rows`` turn rows into JSON and back, for keeping an
upload between the preview and the confirmation.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterator
from pathlib import PurePath
from typing import Any

from django.utils.translation import gettext as _
from openpyxl.utils.cell import range_boundaries

from departments.resources import (
    MAX_COLUMNS,
    Formula,
    SpreadsheetError,
    cell_value,
    check_size,
    open_workbook,
    read_csv_rows,
)

Cell = str | int | float | datetime.date | None
Row = list[Any]
EXTENSIONS = (".xlsx", ".csv")
# A sheet larger than this is almost surely not a task list (or is a decompression bomb).
MAX_ROWS = 50_000
_MERGE_RE = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?mergeCell\b[^>]*?\bref=[\"']([^\"']+)[\"']")
_SCAN_CHUNK = 1 << 20
# Merged ranges are filled cell by cell: their number and the cells they cover are capped too.
MAX_MERGED_RANGES = 5_000
MAX_MERGED_CELLS = MAX_ROWS * 10


def read_sheet(name: str, data: bytes) -> list[Row]:
    """All rows of the first sheet of ``data`` (an .xlsx or .csv file called ``name``)."""
    suffix = PurePath(name or "").suffix.lower()
    if suffix == ".xls":
        raise SpreadsheetError(_("这是旧版 Excel（.xls）文件，请在 Excel 中另存为 .xlsx 后再导入。"))
    if suffix not in EXTENSIONS:
        raise SpreadsheetError(_("只能导入 .xlsx 或 .csv 文件。"))
    return read_xlsx(data) if suffix == ".xlsx" else read_csv(data)


def read_csv(data: bytes) -> list[Row]:
    """Rows of a CSV file in UTF-8 (with or without BOM) or GB18030."""
    check_size(data)
    return _finish([_clean_row(row) for row in read_csv_rows(data)])


def read_xlsx(data: bytes) -> list[Row]:
    """Rows of the first sheet of an .xlsx file, merged ranges filled in."""
    check_size(data)
    return _finish(_read_xlsx(data))


def _finish(rows: list[Row]) -> list[Row]:
    while rows and not any(value not in (None, "") for value in rows[-1]):
        rows.pop()
    if not rows:
        raise SpreadsheetError(_("表格是空的。"))
    if len(rows) > MAX_ROWS:
        raise SpreadsheetError(_("表格超过 %(max)d 行，请拆分后导入。") % {"max": MAX_ROWS})
    return rows


def _read_xlsx(data: bytes) -> list[Row]:
    workbook = open_workbook(data)
    try:
        if not workbook.worksheets:
            raise SpreadsheetError(_("表格是空的。"))
        sheet = workbook.worksheets[0]
        merges = _merged_ranges(sheet)
        sheet.reset_dimensions()  # some writers record a wrong size; read what is really there
        rows: list[Row] = []
        for row in sheet.iter_rows(max_col=MAX_COLUMNS):
            rows.append(_clean_row([cell_value(cell) for cell in row]))
            if len(rows) > MAX_ROWS:
                break
    finally:
        workbook.close()
    _fill_merged(rows, merges)
    return rows


def _merged_ranges(sheet) -> list[tuple[int, int, int, int]]:
    """(min_col, min_row, max_col, max_row) of each merged range, 1-based, from the sheet XML.

    openpyxl's read-only worksheet skips <mergeCells>; ``_get_source`` is the same stream it
    parses itself. The stream is scanned for <mergeCell ref="…"> in chunks (a regular
    expression, not an XML parser: parsing every cell a second time cost as much as reading the
    sheet), so memory stays flat."""
    ranges: list[tuple[int, int, int, int]] = []
    tail = b""
    with sheet._get_source() as source:
        while True:
            chunk = source.read(_SCAN_CHUNK)
            window = tail + chunk
            # Scan up to the last '<': a tag cut by the chunk's end starts there and is read whole
            # with the next chunk.
            cut = window.rfind(b"<") if chunk else len(window)
            cut = cut if cut > 0 else len(window) if not chunk else 0
            for match in _MERGE_RE.finditer(window, 0, cut):
                try:
                    ranges.append(range_boundaries(match.group(1).decode("ascii")))
                except (TypeError, ValueError, UnicodeDecodeError):
                    pass
                if len(ranges) > MAX_MERGED_RANGES:
                    raise SpreadsheetError(_("表格中的合并单元格超过 %(max)d 处，请取消不必要的合并后再导入。")
                                           % {"max": MAX_MERGED_RANGES})
            tail = window[cut:]
            if not chunk:
                break
    cells = sum((min(max_col, MAX_COLUMNS) - min_col + 1) * (min(max_row, MAX_ROWS) - min_row + 1)
                for min_col, min_row, max_col, max_row in ranges if min_col <= MAX_COLUMNS and min_row <= MAX_ROWS)
    if cells > MAX_MERGED_CELLS:
        raise SpreadsheetError(_("表格中的合并单元格共覆盖 %(n)d 个单元格，超过 %(max)d 个的上限，请取消不必要的合并后再导入。")
                               % {"n": cells, "max": MAX_MERGED_CELLS})
    return ranges


def _fill_merged(rows: list[Row], merges: list[tuple[int, int, int, int]]) -> None:
    for min_col, min_row, max_col, max_row in merges:
        if min_row > len(rows):
            continue
        max_col = min(max_col, MAX_COLUMNS)
        top = rows[min_row - 1]
        value = top[min_col - 1] if min_col - 1 < len(top) else None
        for row_index in range(min_row - 1, min(max_row, len(rows))):
            row = rows[row_index]
            if len(row) < max_col:
                row.extend([None] * (max_col - len(row)))
            for col_index in range(min_col - 1, max_col):
                row[col_index] = value


def _clean_row(row: list[Any]) -> Row:
    """Plain values: dates without a time, blank strings as None, no trailing empty cells."""
    cleaned = []
    for value in row:
        if isinstance(value, datetime.datetime):
            value = value.date()
        elif isinstance(value, datetime.time | datetime.timedelta):
            value = str(value)
        elif isinstance(value, bool):
            value = str(value).upper()
        elif isinstance(value, str) and not isinstance(value, Formula) and not value.strip():
            value = None
        cleaned.append(value)
    while cleaned and cleaned[-1] is None:
        cleaned.pop()
    return cleaned


def encode_rows(rows: list[Row]) -> list[list[Any]]:
    """Rows as JSON values: dates and formulas become one-key objects."""
    return [[_encode(value) for value in row] for row in rows]


def decode_rows(rows: list[list[Any]]) -> list[Row]:
    return [[_decode(value) for value in row] for row in rows]


def _encode(value: Any) -> Any:
    if isinstance(value, Formula):
        return {"formula": str(value)}
    if isinstance(value, datetime.date):
        return {"date": value.isoformat()}
    return value


def _decode(value: Any) -> Any:
    if isinstance(value, dict):
        if "formula" in value:
            return Formula(value["formula"])
        if "date" in value:
            return datetime.date.fromisoformat(value["date"])
    return value


def iter_nonblank(rows: list[Row], start: int) -> Iterator[tuple[int, Row]]:
    """(1-based sheet row number, row) for each row from ``start`` (0-based) that has content."""
    for index in range(start, len(rows)):
        row = rows[index]
        if any(value not in (None, "") for value in row):
            yield index + 1, row
