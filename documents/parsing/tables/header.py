"""Finding the header row of a table and what each column holds.

The header is the row among the first ``SCAN_ROWS`` that names the task column and the most
other known columns. A second header row right below (责任单位 split into 牵头单位 and 配合单位)
refines the first. Two task columns are a group and a task (主要任务 | 具体措施, or 重点任务
merged over both, which leaves the second header cell empty or repeated): the first gives the
measure's path, the second its text.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from documents.parsing.tables.vocabulary import GROUP, IGNORED, LEAD, RESPONSIBLE, TASK, UNITS, field_of, normalize_header

SCAN_ROWS = 20


@dataclass
class TableHeader:
    """Where the header is (0-based row index), where data starts, and the column of each field."""

    index: int
    data_start: int
    columns: dict[str, int]
    titles: dict[str, str] = field(default_factory=dict)  # field -> the header as written
    duplicates: list[tuple[str, str]] = field(default_factory=list)  # (ignored title, kept title)
    unknown: list[str] = field(default_factory=list)  # header cells naming no known column
    width: int = 0

    def has(self, name: str) -> bool:
        return name in self.columns

    def cell(self, row: Sequence[Any], name: str) -> Any:
        column = self.columns.get(name)
        return row[column] if column is not None and column < len(row) else None


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def map_row(row: Sequence[Any]) -> dict[int, str]:
    return {index: name for index, value in enumerate(row) if (name := field_of(value))}


def header_score(row: Sequence[Any]) -> int:
    """How many known columns a row names, 0 unless one of them is the task column."""
    found = set(map_row(row).values())
    return len(found) if TASK in found and len(found) >= 2 else 0


def locate_header(rows: Sequence[Sequence[Any]], scan: int = SCAN_ROWS) -> int | None:
    best: tuple[int, int] | None = None  # (score, index)
    for index, row in enumerate(rows[:scan]):
        score = header_score(row)
        if score and (best is None or score > best[0]):
            best = (score, index)
    return best[1] if best else None


def _has_data(rows: Sequence[Sequence[Any]], start: int, column: int) -> bool:
    return any(column < len(row) and not _blank(row[column]) for row in rows[start:start + 50])


def find_table_header(rows: Sequence[Sequence[Any]], scan: int = SCAN_ROWS) -> TableHeader | None:
    """The header of ``rows``, or None when no row names a task column and another known one."""
    index = locate_header(rows, scan)
    if index is None:
        return None
    row = list(rows[index])
    mapped = map_row(row)
    data_start = index + 1
    below = list(rows[index + 1]) if index + 1 < len(rows) else []
    sub = map_row(below)
    # A second header row: every filled cell is a header word (merged cells repeat the first row).
    if sub and all(field_of(value) or _blank(value) for value in below) and set(sub.values()) - set(mapped.values()):
        mapped.update(sub)
        data_start += 1
    else:
        below = []
    tasks = sorted(column for column, name in mapped.items() if name == TASK)
    if len(tasks) == 1:
        # 重点任务 merged over two columns, saved as CSV: the cell right of it is empty but
        # holds text in the rows below. The left column groups, the right one is the task.
        column = tasks[0] + 1
        if column < len(row) and column not in mapped and _blank(row[column]) and _has_data(rows, data_start, column):
            mapped[tasks[0]] = GROUP
            mapped[column] = TASK
    elif len(tasks) >= 2:
        mapped[tasks[0]] = GROUP
    return _build(index, data_start, mapped, row, below)


def _build(index: int, data_start: int, mapped: dict[int, str], row: list[Any], below: list[Any]) -> TableHeader:
    header = TableHeader(index=index, data_start=data_start, columns={}, width=max(len(row), len(below)))
    for column, name in sorted(mapped.items()):
        source = below[column] if column < len(below) and not _blank(below[column]) else (
            row[column] if column < len(row) else "")
        title = normalize_header(source) or normalize_header(row[column - 1] if column else "")
        if name in header.columns:
            if name != IGNORED:
                header.duplicates.append((title, header.titles[name]))
            continue
        header.columns[name] = column
        header.titles[name] = title
    if header.has(UNITS) and header.has(LEAD):
        # Beside a 牵头单位 column, 责任单位 means responsible.
        header.columns[RESPONSIBLE] = header.columns.pop(UNITS)
        header.titles[RESPONSIBLE] = header.titles.pop(UNITS)
    header.columns.pop(IGNORED, None)
    header.unknown = [
        normalize_header(value) for column, value in enumerate(row)
        if not _blank(value) and column not in mapped and normalize_header(value)
    ]
    return header
