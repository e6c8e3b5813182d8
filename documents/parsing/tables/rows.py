"""Rows of a task table turned into measures, the same way for every source.

- the number comes from 序号 (as printed, without a closing 、 or .); a table without one is
  numbered by row; numbers that restart under each category (一、 1 2 3, 二、 1 2) are
  qualified by the category ('二.1');
- a row holding one text only (a category merged over the row, 一、产业升级) is a section:
  the path of the measures below it;
- a group column (the first of two task columns) is carried down while blank and adds to
  the path; the task column gives the title (up to the first 。) and the content;
- unit cells are split by ``split_units`` with the column's role for names without role
  words (牵头 / 配合 words inside a 责任单位 cell still win; without them every unit is
  responsible); 无 / — / blank mean no unit;
- time cells go through ``parse_time_text``.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from documents.parsing.dates import parse_time_text
from documents.parsing.results import KIND_ONGOING, Deadline, ParsedMeasure, ParsedUnit
from documents.parsing.tables.header import TableHeader
from documents.parsing.tables.vocabulary import (
    CATEGORY,
    DEADLINE,
    GROUP,
    LEAD,
    NUMBER,
    REMARK,
    RESPONSIBLE,
    SUPPORTING,
    TASK,
    UNIT_FIELDS,
    UNITS,
)
from documents.parsing.units import split_units

TITLE_LIMIT = 300
# The column's own role is given to names without role words by prefixing the cell with a
# clause label that split_units understands; role words inside the cell still win.
COLUMN_LABELS = {LEAD: "牵头单位:", RESPONSIBLE: "责任单位:", UNITS: "责任单位:", SUPPORTING: "配合单位:"}
_SENTENCE_END = re.compile(r"[。;;!!??\n]")
_NUMBER_LIKE = re.compile(r"^[\d.、\s()()]+$")
_CATEGORY_MARKER = re.compile(r"^\s*([一二三四五六七八九十百零〇]+)\s*[、.．]")


def cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def number_text(value: Any) -> str:
    """A measure number as printed, without the 、 or . that closes it (3、 -> 3)."""
    text = unicodedata.normalize("NFKC", cell_text(value))
    return "".join(text.split()).rstrip("、.")


def title_and_content(text: str) -> tuple[str, str]:
    """The first sentence as the title (as the document parser does), the whole text as content."""
    text = text.strip()
    match = _SENTENCE_END.search(text)
    title = (text[: match.start()] if match else text).strip() or text
    if len(title) > TITLE_LIMIT:
        title = title[: TITLE_LIMIT - 1] + "…"
    return title, text


def unit_cell(text: str, column: str) -> list[ParsedUnit]:
    """The units of one department cell, each with its role (the column's unless the cell says)."""
    if not text.strip():
        return []
    return split_units(COLUMN_LABELS[column] + text)


def heading_text(row: Sequence[Any], header: TableHeader) -> str | None:
    """A section line such as '一、产业发展' (often merged across the row): not a task.

    Only the known columns count (and the first, where a heading printed once sits)."""
    columns = sorted(set(header.columns.values()) | {0})
    values = [cell_text(row[column]) for column in columns if column < len(row)]
    filled = [value for value in values if value]
    if not filled or len(set(filled)) != 1 or _NUMBER_LIKE.match(filled[0]):
        return None
    task = cell_text(header.cell(row, TASK))
    return filled[0] if not task or len(filled) > 1 else None


@dataclass
class TableRow:
    """One data row read: what a measure needs, before numbering."""

    index: int  # 0-based row index in the grid
    number: str
    path: list[str]
    task: str
    units: list[ParsedUnit] = field(default_factory=list)
    deadlines: list[Deadline] = field(default_factory=list)
    ongoing: bool = False
    deadline_text: str = ""
    category: str = ""


def read_rows(rows: Sequence[Sequence[Any]], header: TableHeader, context_year: int | None = None) -> list[TableRow]:
    """Every task row under ``header``, with category and group headings as its path."""
    found: list[TableRow] = []
    category, group = "", ""
    for index in range(header.data_start, len(rows)):
        row = rows[index]
        if not any(cell_text(value) for value in row):
            continue
        if (heading := heading_text(row, header)) is not None:
            category, group = heading, ""
            continue
        task = cell_text(header.cell(row, TASK))
        if header.has(GROUP):
            group = cell_text(header.cell(row, GROUP)) or group
        if not task:
            continue
        units: list[ParsedUnit] = []
        seen: set[str] = set()
        for column in UNIT_FIELDS:
            if header.has(column):
                for unit in unit_cell(cell_text(header.cell(row, column)), column):
                    if unit.name not in seen:
                        seen.add(unit.name)
                        units.append(unit)
        deadline_text = cell_text(header.cell(row, DEADLINE))
        found_deadlines = parse_time_text(deadline_text, context_year) if deadline_text else []
        remark = cell_text(header.cell(row, REMARK))
        own_category = cell_text(header.cell(row, CATEGORY))
        path = [part for part in (own_category or category, group) if part]
        found.append(TableRow(
            index=index,
            number=number_text(header.cell(row, NUMBER)) if header.has(NUMBER) else "",
            path=path,
            task=f"{task}\n备注:{remark}" if remark else task,
            units=units,
            # Spans would point into the time cell, not the measure's text.
            deadlines=[replace(d, span=None) for d in found_deadlines if d.kind != KIND_ONGOING],
            ongoing=any(d.kind == KIND_ONGOING for d in found_deadlines),
            deadline_text=deadline_text,
            category=own_category or category,
        ))
    _number(found)
    return found


def _number(rows: list[TableRow]) -> None:
    """Rows without 序号 take their position; numbers repeated across categories are qualified."""
    for position, row in enumerate(rows, start=1):
        if not row.number:
            row.number = str(position)
    counts = Counter(row.number for row in rows)
    if all(count == 1 for count in counts.values()):
        return
    for row in rows:
        if counts[row.number] > 1:
            marker = _CATEGORY_MARKER.match(row.category)
            if marker:
                row.number = f"{marker.group(1)}.{row.number}"


def table_measures(rows: Sequence[Sequence[Any]], header: TableHeader,
                   context_year: int | None = None) -> list[ParsedMeasure]:
    """The measures of a table: one per task row."""
    measures = []
    for row in read_rows(rows, header, context_year):
        title, content = title_and_content(row.task)
        measures.append(ParsedMeasure(
            number=row.number, path=row.path, title=title, text=content, units=row.units,
            deadlines=row.deadlines, ongoing=row.ongoing,
        ))
    return measures
