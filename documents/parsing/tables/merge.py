"""Prose measures and the task tables that restate them, merged into one list.

Many plans state their measures in prose and repeat them in an attached table with units and
deadlines. A table row whose title (or number, with a title at least alike) matches a prose measure adds
its units and deadlines to that measure; a row that restates nothing becomes a measure of its
own, numbered uniquely within the document. Category and group headings of the tables become
sections.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import replace
from difflib import SequenceMatcher

from documents.parsing.results import ParsedDocument, ParsedMeasure, ParsedSection

_MIN_TITLE = 6
_SIMILAR = 0.4
_CATEGORY_MARKER = re.compile(r"^\s*([一二三四五六七八九十百零〇]+)\s*([、.])")


def _key(text: str) -> str:
    text = unicodedata.normalize("NFKC", text or "")
    return re.sub(r"[\s。.,,;;::、]", "", text)


def _number_key(number: str) -> str:
    return _key(number).replace("(", "(").replace(")", ")").rstrip(".")


def _find(measure: ParsedMeasure, prose: list[ParsedMeasure], taken: set[int]) -> ParsedMeasure | None:
    title = _key(measure.title)
    if len(title) >= _MIN_TITLE:
        for candidate in prose:
            other = _key(candidate.title)
            if id(candidate) not in taken and len(other) >= _MIN_TITLE and (title in other or other in title):
                return candidate
    # The same number with a reworded title still restates the measure; a different task does not.
    number = _number_key(measure.number)
    for candidate in prose:
        if id(candidate) not in taken and _number_key(candidate.number) == number:
            similar = SequenceMatcher(None, title, _key(candidate.title)).ratio() >= _SIMILAR
            return candidate if similar else None
    return None


def _absorb(target: ParsedMeasure, row: ParsedMeasure) -> None:
    names = {unit.name for unit in target.units}
    if not target.units or target.units_inherited:
        target.units = list(row.units)
        target.units_inherited = False
    else:
        target.units.extend(unit for unit in row.units if unit.name not in names)
    known = {(d.date, d.recurring) for d in target.deadlines}
    target.deadlines.extend(d for d in row.deadlines if (d.date, d.recurring) not in known)
    target.ongoing = target.ongoing or row.ongoing


def _sections(measures: list[ParsedMeasure], span: tuple[int, int]) -> list[ParsedSection]:
    """A section per category heading of a table, with its group headings below it."""
    roots: dict[str, ParsedSection] = {}
    for measure in measures:
        if not measure.path:
            continue
        top = measure.path[0]
        if top not in roots:
            marker = _CATEGORY_MARKER.match(top)
            roots[top] = ParsedSection(
                number=marker.group(1) if marker else top[:30], marker=marker.group(0).strip() if marker else "",
                title=top[marker.end():].strip() if marker else top, heading=top, level=1, span=span)
        for level, heading in enumerate(measure.path[1:], start=2):
            parent = roots[top]
            if not any(child.heading == heading for child in parent.children):
                parent.children.append(ParsedSection(
                    number=f"{parent.number}.{heading[:20]}", marker="", title=heading, heading=heading,
                    level=level, span=span))
    return list(roots.values())


def merge_tables(result: ParsedDocument, tables: list[list[ParsedMeasure]], spans: list[tuple[int, int]]) -> None:
    """Fold the tables' measures into ``result`` (in place)."""
    prose = list(result.measures)
    taken: set[int] = set()
    numbers = {_number_key(measure.number) for measure in prose}
    for table_no, (rows, span) in enumerate(zip(tables, spans, strict=True), start=1):
        own: list[ParsedMeasure] = []
        for row in rows:
            match = _find(row, prose, taken) if prose else None
            if match is not None:
                taken.add(id(match))
                _absorb(match, row)
                continue
            number = row.number
            if _number_key(number) in numbers:
                number = f"附件{table_no}.{number}"
            numbers.add(_number_key(number))
            own.append(replace(row, number=number))
        result.measures.extend(own)
        result.sections.extend(_sections(own, span))
