"""Finding the header row of a task sheet and what each column holds.

Offices title their sheets, add a line on who filled them in, and name columns in many ways,
so the header is the row among the first ``SCAN_ROWS`` that names the task column and the most
other known columns. A second header row right below (责任单位 split into 牵头单位 and 配合单位)
refines the first. Headers are compared after folding full-width forms, white space, asterisks
and bracketed notes: '完成时限\\n(年月)' is 完成时限.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _

from departments.resources import SpreadsheetError

SCAN_ROWS = 20

NUMBER = "number"
TASK = "task"
LEAD = "lead"
RESPONSIBLE = "responsible"
SUPPORTING = "supporting"
UNITS = "units"  # 责任单位 with no 牵头单位 column beside it: the first unit named leads
DEADLINE = "deadline"
CATEGORY = "category"
REMARK = "remark"
IGNORED = "ignored"  # columns of our own ledger (文件, 状态, 亮灯 ...): known, not imported

# The first word of each tuple is the name messages use.
ALIASES: dict[str, tuple[str, ...]] = {
    NUMBER: ("序号", "编号", "任务编号", "措施编号"),
    TASK: ("重点任务", "任务内容", "工作任务", "具体措施", "主要任务", "工作内容", "具体任务", "工作措施",
           "重点工作", "任务", "措施"),
    LEAD: ("牵头单位", "主办单位", "牵头部门", "主责单位", "牵头责任单位"),
    UNITS: ("责任单位", "责任部门", "承办单位"),
    SUPPORTING: ("配合单位", "协办单位", "配合部门", "协同单位", "参与单位"),
    DEADLINE: ("完成时限", "时间节点", "完成时间", "时限", "完成期限", "时间安排", "截止时间"),
    CATEGORY: ("类别", "分类", "领域", "任务类别"),
    REMARK: ("备注", "说明"),
    IGNORED: ("文件", "政策文件", "状态", "亮灯", "进度(%)", "进度", "最新进展", "填报日期"),
}
UNIT_FIELDS = (LEAD, UNITS, RESPONSIBLE, SUPPORTING)
# Longer words first, so that 任务编号 is a number column and not a task column.
_WORDS = sorted(((word, name) for name, words in ALIASES.items() for word in words), key=lambda p: -len(p[0]))
_BRACKETED = re.compile(r"[(\[【〔][^)\]】〕]*[)\]】〕]")
_MAX_EXTRA = 4  # '牵头单位及责任人' is still a lead column; a long title is not


def label(name: str) -> str:
    """The column name used in messages: 牵头单位, 责任单位, ..."""
    if name == RESPONSIBLE:
        return "责任单位"
    return ALIASES[name][0]


def normalize_header(value: Any) -> str:
    text = unicodedata.normalize("NFKC", str(value or ""))
    text = "".join(text.split()).replace("*", "").rstrip(":")
    without_notes = _BRACKETED.sub("", text)
    return without_notes or text


def field_of(value: Any) -> str | None:
    """The field a header cell names, or None."""
    text = normalize_header(value)
    if not text:
        return None
    for word, name in _WORDS:
        if text == word:
            return name
    for word, name in _WORDS:
        if len(text) - len(word) <= _MAX_EXTRA and (text.startswith(word) or text.endswith(word)):
            return name
    return None


@dataclass
class HeaderMap:
    """Where the header is (0-based row index), where data starts, and column of each field."""

    header_index: int
    data_start: int
    columns: dict[str, int]
    titles: dict[str, str] = field(default_factory=dict)  # field -> the header as written
    warnings: list[str] = field(default_factory=list)

    @property
    def header_row(self) -> int:
        return self.header_index + 1

    def has(self, name: str) -> bool:
        return name in self.columns


def _map_row(row: list[Any]) -> dict[int, str]:
    return {index: name for index, value in enumerate(row) if (name := field_of(value))}


def find_header(rows: list[list[Any]]) -> HeaderMap:
    """The header of ``rows``; raises SpreadsheetError naming what is missing."""
    best: tuple[int, int] | None = None  # (score, index)
    for index, row in enumerate(rows[:SCAN_ROWS]):
        found = set(_map_row(row).values())
        if TASK in found and (best is None or len(found) > best[0]):
            best = (len(found), index)
    if best is None:
        raise SpreadsheetError(
            _("前 %(n)d 行中没有找到表头:表格需要“重点任务”(或 任务内容、工作任务、具体措施)列"
              "和“牵头单位”(或 责任单位、主办单位)列。") % {"n": SCAN_ROWS}
        )
    index = best[1]
    mapped = _map_row(rows[index])
    data_start = index + 1
    below = rows[index + 1] if index + 1 < len(rows) else []
    sub = _map_row(below)
    # A second header row: every filled cell is a header word (merged cells repeat the first row).
    if sub and all(field_of(value) or value in (None, "") for value in below) and set(sub.values()) - set(
        mapped.values()
    ):
        mapped.update(sub)
        data_start += 1
    return _build(index, data_start, mapped, rows[index], below if data_start > index + 1 else [])


def _build(index: int, data_start: int, mapped: dict[int, str], row: list[Any], below: list[Any]) -> HeaderMap:
    header = HeaderMap(header_index=index, data_start=data_start, columns={})
    for column, name in sorted(mapped.items()):
        title = normalize_header(below[column] if column < len(below) and below[column] else row[column])
        if name in header.columns:
            if name != IGNORED:
                header.warnings.append(
                    _("第 %(row)d 行表头:“%(dup)s”与“%(first)s”是同一类列,只读取“%(first)s”。")
                    % {"row": header.header_row, "dup": title, "first": header.titles[name]}
                )
            continue
        header.columns[name] = column
        header.titles[name] = title
    if header.has(UNITS) and header.has(LEAD):
        # Beside a 牵头单位 column, 责任单位 means responsible, not lead.
        header.columns[RESPONSIBLE] = header.columns.pop(UNITS)
        header.titles[RESPONSIBLE] = header.titles.pop(UNITS)
    if not (header.has(LEAD) or header.has(UNITS)):
        raise SpreadsheetError(
            _("第 %(row)d 行是表头,但缺少“牵头单位”列(也可写作 责任单位、主办单位)。") % {"row": header.header_row}
        )
    header.columns.pop(IGNORED, None)
    unknown = [
        normalize_header(value) for column, value in enumerate(row)
        if value not in (None, "") and column not in mapped and normalize_header(value)
    ]
    if unknown:
        header.warnings.append(
            _("第 %(row)d 行表头:未识别的列“%(cols)s”已忽略。") % {"row": header.header_row, "cols": "”、“".join(unknown)}
        )
    return header
