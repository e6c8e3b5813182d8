"""Finding the header row of a task sheet and what each column holds.

The vocabulary and the search are the table model's (``documents.parsing.tables``), shared
with Word, PDF and pasted tables: the header is the row among the first ``SCAN_ROWS`` that
names the task column and the most other known columns; a second header row right below
(责任单位 split into 牵头单位 and 配合单位) refines the first; two task columns (主要任务 |
具体措施, or 重点任务 merged over both) are a group and the task. This module adds what the
importer tells the user: which columns were ignored, and why a sheet has no usable header.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _

from departments.resources import SpreadsheetError
from documents.parsing.tables.header import SCAN_ROWS, TableHeader, find_table_header
from documents.parsing.tables.vocabulary import (
    ALIASES,
    CATEGORY,
    DEADLINE,
    GROUP,
    IGNORED,
    LEAD,
    NUMBER,
    REMARK,
    RESPONSIBLE,
    SUPPORTING,
    TASK,
    UNIT_FIELDS,
    UNITS,
    field_of,
    label,
    normalize_header,
)

__all__ = [
    "ALIASES", "CATEGORY", "DEADLINE", "GROUP", "IGNORED", "LEAD", "NUMBER", "REMARK", "RESPONSIBLE",
    "SCAN_ROWS", "SUPPORTING", "TASK", "UNITS", "UNIT_FIELDS", "HeaderMap", "field_of", "find_header", "label",
    "normalize_header",
]


@dataclass
class HeaderMap(TableHeader):
    """The table header plus the warnings shown in the import preview."""

    warnings: list[str] = field(default_factory=list)

    @property
    def header_index(self) -> int:
        return self.index

    @property
    def header_row(self) -> int:
        return self.index + 1


def find_header(rows: list[list[Any]]) -> HeaderMap:
    """The header of ``rows``; raises SpreadsheetError naming what is missing."""
    found = find_table_header(rows)
    if found is None:
        raise SpreadsheetError(
            _("前 %(n)d 行中没有找到表头：表格需要“重点任务”（或 任务内容、工作任务、具体措施）列"
              "和“牵头单位”(或 责任单位、主办单位)列。") % {"n": SCAN_ROWS}
        )
    header = HeaderMap(**{name: getattr(found, name) for name in found.__dataclass_fields__})
    for duplicate, first in header.duplicates:
        header.warnings.append(
            _("第 %(row)d 行表头：“%(dup)s”与“%(first)s”是同一类列，只读取“%(first)s”。")
            % {"row": header.header_row, "dup": duplicate, "first": first}
        )
    if not any(header.has(name) for name in UNIT_FIELDS):
        raise SpreadsheetError(
            _("第 %(row)d 行是表头，但缺少“牵头单位”列（也可写作 责任单位、主办单位）。") % {"row": header.header_row}
        )
    if header.unknown:
        header.warnings.append(
            _("第 %(row)d 行表头：未识别的列“%(cols)s”已忽略。")
            % {"row": header.header_row, "cols": "”、“".join(header.unknown)}
        )
    return header
