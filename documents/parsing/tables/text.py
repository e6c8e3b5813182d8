"""Task tables inside plain text: TAB-separated rows, and one cell per line.

A table pasted from a web page, written by the .docx reader or extracted from a PDF arrives
either as TAB-separated rows or, from some pages, with every cell on its own line. Both are
found by their header (a row, or a run of lines, naming the task column and at least one
other known column); the header gives the column count. A row printed with fewer cells than
the header lost the cells of a merged (rowspan) cell printed once above it: those columns are
chosen by what the printed cells look like (a number, unit names, a time phrase, a task) and
carried from the row above.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from itertools import combinations

from documents.parsing.dates import parse_time_text
from documents.parsing.tables.header import TableHeader, find_table_header, map_row
from documents.parsing.tables.vocabulary import (
    CATEGORY,
    DEADLINE,
    GROUP,
    NUMBER,
    REMARK,
    TASK,
    UNIT_FIELDS,
    field_of,
)
from documents.parsing.units import is_org_like, split_names

_NUMBER_CELL = re.compile(r"^\s*\d{1,4}\s*[.、]?\s*$")
_CATEGORY_LINE = re.compile(r"^\s*[一二三四五六七八九十百零〇]+\s*[、.]\s*\S.{0,60}$")
_TABLE_END = re.compile(r"^\s*附件\s*\d*\s*[::]?\s*$|^\s*附件\s*\d+")
_EMPTY_CELLS = frozenset({"", "无", "暂无", "/", "-", "—", "--", "——"})
_TIME_HINT = re.compile(r"\d{4}|年|月|季度|持续|长期|每|常态|底前")
_MAX_CARRY_CHOICES = 400


@dataclass
class TextTable:
    """A table found in text: [start, end) offsets of its lines, its rows and its header."""

    start: int
    end: int
    rows: list[list[str]]
    header: TableHeader
    layout: str  # "tab" or "lines"


def _lines(text: str) -> list[tuple[int, int, str]]:
    """(start, end, line) of every line, end without the newline."""
    found, position = [], 0
    for line in text.split("\n"):
        found.append((position, position + len(line), line))
        position += len(line) + 1
    return found


def fit(name: str, text: str) -> float:
    """How well a printed cell looks like a cell of column ``name`` (higher is better)."""
    text = text.strip()
    if name == NUMBER:
        return 2.0 if _NUMBER_CELL.match(text) else -3.0
    if text in _EMPTY_CELLS:
        return 1.0 if name in UNIT_FIELDS or name in (DEADLINE, REMARK) else -1.0
    if name in UNIT_FIELDS:
        names = split_names(text)
        if names and all(is_org_like(unit) for unit in names) and len(text) <= 200:
            return 2.0
        return -1.0
    if name == DEADLINE:
        return 2.0 if _TIME_HINT.search(text) and len(text) <= 120 and parse_time_text(text, 2000) else (
            0.5 if _TIME_HINT.search(text) and len(text) <= 60 else -1.0)
    if name == TASK:
        return 1.5 if len(text) >= 10 else 0.0
    if name == GROUP:
        return 0.5 if len(text) <= 40 else 0.0
    if name in (CATEGORY, REMARK):
        return 0.0
    return 0.0


def align(cells: list[str], fields: list[str | None], previous: list[str] | None) -> list[str]:
    """A row of ``len(fields)`` cells from a row printed with fewer: the missing ones are carried
    from ``previous`` at the columns where the printed cells fit best."""
    width = len(fields)
    if len(cells) >= width:
        return cells[:width - 1] + [" ".join(c for c in cells[width - 1:] if c)] if len(cells) > width else cells
    missing = width - len(cells)
    carryable = [index for index, name in enumerate(fields) if name not in (TASK, NUMBER)]
    best: tuple[float, tuple[int, ...]] | None = None
    for count, choice in enumerate(combinations(carryable, missing)):
        if count >= _MAX_CARRY_CHOICES:
            break
        printed = [index for index in range(width) if index not in choice]
        score = sum(fit(fields[index] or "", cell) for index, cell in zip(printed, cells, strict=True))
        # Group and category columns are the ones usually merged down; left columns before right.
        score += sum(0.3 for index in choice if fields[index] in (GROUP, CATEGORY))
        score -= sum(0.01 * index for index in choice)
        if previous is None:
            score -= sum(0.5 for index in choice if index < len(cells))
        if best is None or score > best[0]:
            best = (score, choice)
    if best is None:
        return cells + [""] * missing
    row: list[str] = []
    remaining = iter(cells)
    for index in range(width):
        if index in best[1]:
            row.append(previous[index] if previous and index < len(previous) else "")
        else:
            row.append(next(remaining))
    return row


def _fields(header: TableHeader) -> list[str | None]:
    fields: list[str | None] = [None] * header.width
    for name, column in header.columns.items():
        if column < len(fields):
            fields[column] = name
    return fields


def _is_header_line(cells: list[str], header_cells: list[str]) -> bool:
    return [c.strip() for c in cells] == [c.strip() for c in header_cells]


def _tab_table(lines: list[tuple[int, int, str]], at: int) -> tuple[TextTable, int] | None:
    header_cells = lines[at][2].split("\t")
    header = find_table_header([header_cells] + [line[2].split("\t") for line in lines[at + 1: at + 3]], scan=1)
    if header is None:
        return None
    fields = _fields(header)
    rows: list[list[str]] = [header_cells]
    if header.data_start == 2:
        rows.append(lines[at + 1][2].split("\t"))
    index = at + header.data_start
    end = lines[at + header.data_start - 1][1]
    previous: list[str] | None = None
    while index < len(lines):
        line = lines[index][2]
        if "\t" in line:
            cells = line.split("\t")
            if not _is_header_line(cells, header_cells):  # a header repeated on the next page
                previous = align([c.strip() for c in cells], fields, previous)
                rows.append(previous)
            end, index = lines[index][1], index + 1
            continue
        following = next((ln for ln in lines[index + 1:] if ln[2].strip()), None)
        if not line.strip():
            index += 1
            continue
        if _CATEGORY_LINE.match(line) and following is not None and "\t" in following[2]:
            rows.append([line.strip()])
            previous = None
            end, index = lines[index][1], index + 1
            continue
        break
    if len(rows) <= header.data_start:
        return None
    return TextTable(lines[at][0], end, rows, header, "tab"), index


def _header_run(lines: list[tuple[int, int, str]], at: int) -> int:
    """How many lines from ``at`` are header cells, one per line (0 when they are no header)."""
    count, names = 0, []
    while at + count < len(lines) and count < 12:
        name = field_of(lines[at + count][2])
        if name is None or "\t" in lines[at + count][2]:
            break
        names.append(name)
        count += 1
    return count if TASK in names and len(set(names)) >= 3 else 0


def _line_table(lines: list[tuple[int, int, str]], at: int, count: int) -> tuple[TextTable, int] | None:
    header_cells = [lines[at + offset][2].strip() for offset in range(count)]
    header = find_table_header([header_cells], scan=1)
    if header is None:
        return None
    fields = _fields(header)
    numbered = header.columns.get(NUMBER) == 0
    index, end = at + count, lines[at + count - 1][1]
    rows: list[list[str]] = [header_cells]
    current: list[str] = []
    previous: list[str] | None = None

    def close() -> None:
        nonlocal previous, current
        cells = current
        while cells and not cells[-1].strip():
            cells = cells[:-1]
        if cells:
            previous = align(cells, fields, previous)
            rows.append(previous)
        current = []

    while index < len(lines):
        line = lines[index][2].strip()
        if _TABLE_END.match(line) or "\t" in line:
            break
        if [lines[index + k][2].strip() for k in range(min(count, len(lines) - index))] == header_cells:
            index += count  # the header repeated on the next page
            continue
        starts_row = bool(_NUMBER_CELL.match(line)) if numbered else len(current) >= count
        if _CATEGORY_LINE.match(line) and not _NUMBER_CELL.match(line) and (not current or numbered):
            close()
            rows.append([line])
            previous = None
        elif starts_row or not numbered and not current:
            close()
            current = [line]
        elif current:
            if len(current) >= count and numbered:
                # More lines than columns: the text after the table, not a cell.
                break
            current.append(line)
        elif line:
            break
        end, index = lines[index][1], index + 1
    close()
    if len(rows) <= 1:
        return None
    return TextTable(lines[at][0], end, rows, header, "lines"), index


def find_text_tables(text: str) -> list[TextTable]:
    """Every task table written in ``text`` as TAB rows or one cell per line, in order."""
    lines = _lines(text)
    tables: list[TextTable] = []
    index = 0
    while index < len(lines):
        line = lines[index][2]
        found = None
        if "\t" in line and len(map_row(line.split("\t"))) >= 2:
            found = _tab_table(lines, index)
        elif field_of(line) is not None and (count := _header_run(lines, index)):
            found = _line_table(lines, index, count)
        if found is None:
            index += 1
            continue
        table, index = found
        tables.append(table)
    return tables
