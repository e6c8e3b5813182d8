"""The column vocabulary of task tables: which header names which field.

Offices name the columns of a 重点任务分工表 in many ways; spreadsheets, Word tables, PDF
tables and tables pasted from a web page all use the same words, so every source reads its
header through ``field_of``. Headers are compared after folding full-width forms, white
space, asterisks and bracketed notes, in Simplified script: '完成时限\\n(年月)' is 完成时限, and
a Traditional-script '牽頭單位' is 牵头单位. The unit columns' words are the role vocabulary of
``documents.parsing.roles``, the one the prose parser reads labels with.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Any

from documents.parsing.roles import LEAD_LABELS, RESPONSIBLE_LABELS, SUPPORTING_LABELS
from documents.parsing.script import to_simplified

NUMBER = "number"
GROUP = "group"  # the first of two task columns (主要任务 | 具体措施): the measure's path
TASK = "task"
LEAD = "lead"
RESPONSIBLE = "responsible"
SUPPORTING = "supporting"
UNITS = "units"  # 责任单位 with no 牵头单位 column beside it: roles come from words in the cell
DEADLINE = "deadline"
CATEGORY = "category"
REMARK = "remark"
IGNORED = "ignored"  # columns of our own ledger (文件, 状态, 亮灯 ...): known, not imported



def _with_labels(words: tuple[str, ...], labels: tuple[str, ...]) -> tuple[str, ...]:
    """``words`` (the first is the name messages use) and every role label not among them."""
    return words + tuple(label for label in labels if label not in words)


# The first word of each tuple is the name messages use.
ALIASES: dict[str, tuple[str, ...]] = {
    NUMBER: ("序号", "编号", "任务编号", "措施编号"),
    TASK: ("重点任务", "任务内容", "工作任务", "具体措施", "具体举措", "主要任务", "工作内容", "具体任务",
           "工作措施", "主要措施", "工作举措", "任务举措", "重点工作", "任务", "措施", "举措"),
    LEAD: _with_labels(("牵头单位", "主办单位", "牵头部门", "主责单位", "主责部门", "牵头责任单位"), LEAD_LABELS),
    UNITS: _with_labels(("责任单位", "责任部门", "承办单位", "推进单位", "负责单位"), RESPONSIBLE_LABELS),
    SUPPORTING: _with_labels(("配合单位", "协办单位", "配合部门", "协同单位", "参与单位", "支撑单位", "协同部门",
                              "参与部门"), SUPPORTING_LABELS),
    DEADLINE: ("完成时限", "时间节点", "完成时间", "时限", "完成期限", "时间安排", "截止时间", "时间进度"),
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
    if name == GROUP:
        return "主要任务"
    return ALIASES[name][0]


def normalize_header(value: Any) -> str:
    text = to_simplified(unicodedata.normalize("NFKC", str(value or "")))
    text = "".join(text.split()).replace("*", "").rstrip(":")
    without_notes = _BRACKETED.sub("", text)
    return without_notes or text


def field_of(value: Any) -> str | None:
    """The field a header cell names, or None."""
    text = normalize_header(value)
    if not text or len(text) > 12:
        return None
    for word, name in _WORDS:
        if text == word:
            return name
    for word, name in _WORDS:
        if len(text) - len(word) <= _MAX_EXTRA and (text.startswith(word) or text.endswith(word)):
            return name
    return None
