"""Reading single cells of a task sheet: text, numbers, deadlines and unit lists.

Deadlines and units go through the same parser as policy documents (``parse_time_text``,
``split_units``), so a sheet and a document that say the same thing import the same way.
"""

from __future__ import annotations

import datetime
import re
import unicodedata
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _

from departments.resources import FORMULA_TRIGGERS
from documents.importing.plan import date_outside_window
from documents.parsing import ParsedUnit, parse_time_text
from documents.parsing.tables import number_text, title_and_content, unit_cell
from documents.parsing.tables.rows import TITLE_LIMIT
from documents.parsing.tables.rows import cell_text as plain_text
from policytrack.bounds import date_message

__all__ = ["EXCEL_DAYS", "EXCEL_EPOCH", "NUMBER_LIMIT", "TITLE_LIMIT", "DeadlineCell", "cell_text", "number_text",
           "parse_deadline", "parse_units", "title_and_content"]

NUMBER_LIMIT = 30
EXCEL_EPOCH = datetime.date(1899, 12, 30)  # day 0 of Excel's 1900 date system
EXCEL_DAYS = (36526, 73050)  # 2000-01-01 to 2099-12-31: numbers outside are no deadline
_NUMERIC_DATE = re.compile(r"^(\d{4})\s*[-/.]\s*(\d{1,2})(?:\s*[-/.]\s*(\d{1,2}))?(?:[ T]\d{1,2}:\d{2}(?::\d{2})?)?$")
_WRITTEN_DATE = re.compile(r"(\d{4})\s*年\s*(\d{1,2})\s*月(?:\s*(\d{1,2})\s*[日号])?")


def cell_text(value: Any) -> str:
    """A cell as text. An apostrophe that our own exports put before = + - @ is taken off again."""
    if isinstance(value, datetime.date):
        return value.isoformat()
    text = plain_text(value)
    if len(text) > 1 and text[0] == "'" and text[1] in FORMULA_TRIGGERS:
        text = text[1:]
    return text


@dataclass
class DeadlineCell:
    """A deadline cell read into the phrase list that ``documents.importing.plan.deadline_fields``
    understands, plus what went wrong: ``error`` stops the import, ``warning`` does not."""

    text: str = ""
    deadlines: list[dict] = field(default_factory=list)
    ongoing: bool = False
    error: str | None = None
    warning: str | None = None


def _phrase(text: str, day: datetime.date) -> dict:
    return {"phrase": text, "date": day.isoformat(), "recurring": None, "kind": "date", "start": 0, "end": len(text)}


def _checked_date(year: int, month: int, day: int | None) -> datetime.date | None:
    """The date, the month's last day when ``day`` is None, or None if it does not exist."""
    if not 1 <= month <= 12:
        return None
    if day is None:
        following = datetime.date(year + month // 12, month % 12 + 1, 1)
        return following - datetime.timedelta(days=1)
    try:
        return datetime.date(year, month, day)
    except ValueError:
        return None


def parse_deadline(value: Any, context_year: int) -> DeadlineCell:
    """A real Excel date, 2026-06-30 / 2026/6/30, or words: 2026年6月底前, 持续推进, 每季度; a
    date outside the window of sane deadlines (policytrack.bounds) is an error."""
    cell = _read_deadline(value, context_year)
    outside = None if cell.error else date_outside_window(cell.deadlines)
    if outside:
        cell.error = _("完成时限“%(text)s”不可用：%(window)s") % {"text": outside, "window": date_message()}
    return cell


def _read_deadline(value: Any, context_year: int) -> DeadlineCell:
    if value is None or value == "":
        return DeadlineCell()
    if isinstance(value, datetime.date):
        return DeadlineCell(text=value.isoformat(), deadlines=[_phrase(value.isoformat(), value)])
    text = cell_text(value)
    if isinstance(value, int | float):
        # A date typed into a General-format cell arrives as Excel's day number (45838 = 2025-06-30).
        if EXCEL_DAYS[0] <= value <= EXCEL_DAYS[1]:
            day = EXCEL_EPOCH + datetime.timedelta(days=int(value))
            return DeadlineCell(
                text=day.isoformat(), deadlines=[_phrase(day.isoformat(), day)],
                warning=_("完成时限“%(text)s”是数字，已按 Excel 日期读作 %(date)s，请核对。")
                % {"text": text, "date": day.isoformat()},
            )
        return DeadlineCell(text=text, error=_("完成时限“%(text)s”是数字，不是日期。") % {"text": text})
    # Phrases and their offsets refer to the folded text, so it is what the cell keeps.
    text = folded = unicodedata.normalize("NFKC", text)
    numeric = _NUMERIC_DATE.match(folded)
    if numeric:
        day = int(numeric[3]) if numeric[3] else None
        checked = _checked_date(int(numeric[1]), int(numeric[2]), day)
        if checked is None:
            return DeadlineCell(text=text, error=_("完成时限“%(text)s”不是存在的日期。") % {"text": text})
        return DeadlineCell(text=text, deadlines=[_phrase(text, checked)])
    for match in _WRITTEN_DATE.finditer(folded):
        day = int(match[3]) if match[3] else None
        if _checked_date(int(match[1]), int(match[2]), day) is None:
            return DeadlineCell(text=text, error=_("完成时限中的“%(date)s”不是存在的日期。") % {"date": match[0]})
    found = parse_time_text(folded, context_year)
    deadlines = [
        {
            "phrase": d.phrase, "date": d.date.isoformat() if d.date else None, "recurring": d.recurring,
            "kind": d.kind, "start": d.span[0] if d.span else None, "end": d.span[1] if d.span else None,
        }
        for d in found
    ]
    cell = DeadlineCell(text=text, deadlines=deadlines, ongoing=any(d.is_ongoing for d in found))
    if not any(d["date"] or d["recurring"] for d in deadlines) and not cell.ongoing:
        cell.warning = _("完成时限“%(text)s”未能识别为日期，将只保存原文。") % {"text": text}
    return cell


def parse_units(text: str, column: str) -> list[ParsedUnit]:
    """The units of a department cell, each with its role, as the table model reads them.

    Names without role words take the column's role; in a lone 责任单位 column they are all
    responsible unless the cell names a lead itself ('市发改委牵头,市财政局配合')."""
    return unit_cell(text, column)
