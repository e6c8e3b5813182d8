"""``parse_document``: plain text in, ``ParsedDocument`` out."""

from __future__ import annotations

import re
from dataclasses import replace
from typing import TypeVar

from documents.parsing.annotations import Annotation, find_annotations
from documents.parsing.budget import check_budget, time_budget
from documents.parsing.dates import parse_time_text, unique_deadlines
from documents.parsing.indicators import extract_indicators
from documents.parsing.measures import (
    heading_line,
    heading_title,
    inherited_annotation_owner,
    number_nodes,
    promote_trailing_annotations,
    select_measures,
)
from documents.parsing.metadata import (
    Metadata,
    closer_lines,
    extract_metadata,
    find_signature_blocks,
    looks_like_news,
)
from documents.parsing.normalize import NormalizedText, normalize
from documents.parsing.results import (
    KIND_ONGOING,
    ROLE_LEAD,
    Deadline,
    IndicatorCandidate,
    ParsedDocument,
    ParsedMeasure,
    ParsedSection,
    ParsedUnit,
)
from documents.parsing.structure import Node, assign_annotations, build_tree
from documents.parsing.tables import find_text_tables, table_measures
from documents.parsing.tables.merge import merge_tables

_YEAR_IN_HEADING = re.compile(r"((?:19|20)\d{2})\s*年")
_TERMINAL = "。.;;!?)〕】]"
_TARGET_HEADING = re.compile(r"目标")


class _Context:
    """What every measure needs: the normalised text, metadata and numbering."""

    def __init__(self, norm: NormalizedText, meta: Metadata, numbers: dict[int, str]):
        self.norm = norm
        self.text = norm.text
        self.meta = meta
        self.numbers = numbers
        # Dates ending before the signing date are references to the past.
        self.not_before = meta.issued_date
        self.plan_start = meta.plan_period[0] if meta.plan_period else None
        # A single year in the title ('2022年工作要点') dates the phrases without one.
        title_years = {int(year) for year in _YEAR_IN_HEADING.findall(meta.title or "")}
        self.title_year = title_years.pop() if len(title_years) == 1 else None

    def time_phrases(self, text: str, node: Node) -> list[Deadline]:
        """Every time phrase of a node's text (repeats kept), spans in normalised offsets."""
        return parse_time_text(text, self.context_year(node), not_before=self.not_before,
                               plan_start=self.plan_start, offset=node.start, unique=False)

    def span(self, start: int, end: int) -> tuple[int, int]:
        return self.norm.to_original(start, end)

    def context_year(self, node: Node) -> int | None:
        """Year for phrases without one: a heading above, the plan period, the title, the issue year."""
        for ancestor in reversed(node.ancestors()):
            match = _YEAR_IN_HEADING.search(heading_line(self.text, ancestor))
            if match:
                return int(match.group(1))
        if self.plan_start:
            return self.plan_start
        if self.title_year:
            return self.title_year
        return self.meta.issued_date.year if self.meta.issued_date else None


def _units(context: _Context, annotations: list[Annotation]) -> list[ParsedUnit]:
    """Units of all annotations of a measure, first occurrence kept."""
    units: list[ParsedUnit] = []
    seen: set[str] = set()
    for annotation in annotations:
        span = context.span(annotation.start, annotation.end)
        for unit in annotation.units:
            if unit.name not in seen:
                seen.add(unit.name)
                units.append(ParsedUnit(unit.name, unit.role, span))
    first_leads = any(annotation.first_is_lead for annotation in annotations)
    if units and first_leads and all(unit.role != ROLE_LEAD for unit in units):
        units[0] = replace(units[0], role=ROLE_LEAD)
    return units


def _masked(text: str, start: int, end: int, annotations: list[Annotation]) -> str:
    """The measure text with its annotations blanked out (same length, so offsets hold)."""
    chunk = list(text[start:end])
    for annotation in annotations:
        for index in range(max(annotation.start, start), min(annotation.mask_end, end)):
            chunk[index - start] = "\n"
    return "".join(chunk)


def _measure(context: _Context, node: Node, truncated: bool) -> ParsedMeasure:
    text = context.text
    annotations = list(node.annotations)
    for child in node.descendants():  # sub-points folded into this measure
        annotations.extend(child.annotations)
    inherited = False
    if not annotations:
        owner = inherited_annotation_owner(node)
        if owner is not None:
            annotations, inherited = list(owner.annotations), True
    own = [a for a in annotations if node.start <= a.start < node.end]
    masked = _masked(text, node.start, node.end, own)
    every = context.time_phrases(masked, node)
    found = unique_deadlines(every)
    deadlines = [d for d in found if d.kind != KIND_ONGOING]
    indicators = extract_indicators(masked, every, offset=node.start)

    def to_original(span: tuple[int, int] | None) -> tuple[int, int] | None:
        return context.span(*span) if span else None

    number = context.numbers[id(node)]
    return ParsedMeasure(
        number=number,
        path=[heading_line(text, ancestor) for ancestor in node.ancestors()],
        title=heading_title(text, node),
        text=text[node.start:node.end].strip(),
        units=_units(context, annotations),
        deadlines=[_with_span(d, to_original(d.span)) for d in deadlines],
        indicators=[replace(i, span=to_original(i.span), found_in=number) for i in indicators],
        ongoing=any(d.kind == KIND_ONGOING for d in found),
        truncated=truncated,
        units_inherited=inherited,
        annotation="; ".join(a.content for a in annotations) or None,
        span=context.span(node.start, node.end),
        title_span=context.span(node.marker.end, node.title_end),
        annotation_spans=[context.span(a.start, a.end) for a in annotations],
    )


_Spanned = TypeVar("_Spanned")


def _with_span(item: _Spanned, span: tuple[int, int] | None) -> _Spanned:
    """A copy of a frozen result with its span moved to original-text offsets."""
    return replace(item, span=span)  # type: ignore[type-var]  # every _Spanned is a frozen dataclass


def _sections(context: _Context, nodes: list[Node], measure_ids: set[int]) -> list[ParsedSection]:
    def build(node: Node) -> ParsedSection:
        return ParsedSection(
            number=context.numbers[id(node)],
            marker=node.marker.printed,
            title=heading_title(context.text, node),
            heading=heading_line(context.text, node),
            level=node.level,
            is_measure=id(node) in measure_ids,
            span=context.span(node.start, node.end),
            children=[build(child) for child in node.children],
        )

    return [build(node) for node in nodes]


def _target_indicators(
    context: _Context, roots: list[Node], measure_ids: set[int]
) -> list[IndicatorCandidate]:
    """Indicators of target sections (发展目标, 行动目标) that are not measures themselves."""
    found: list[IndicatorCandidate] = []

    def visit(node: Node) -> None:
        if id(node) in measure_ids:
            return
        if _TARGET_HEADING.search(heading_title(context.text, node)):
            text = context.text[node.start:node.end]
            deadlines = context.time_phrases(text, node)
            heading = heading_line(context.text, node)
            for indicator in extract_indicators(text, deadlines, offset=node.start):
                span = context.span(*indicator.span) if indicator.span else None
                found.append(replace(indicator, span=span, found_in=heading))
            return
        for child in node.children:
            visit(child)

    for root in roots:
        visit(root)
    return found


def _is_truncated(text: str, node: Node, is_last: bool) -> bool:
    """The last measure of a text that stops mid-sentence (not after an annotation) was cut off."""
    if not is_last or node.end < len(text.rstrip()):
        return False
    tail = text[node.start:node.end].rstrip()
    if not tail or tail[-1] in _TERMINAL or node.title_end >= node.start + len(tail):
        return False
    tail_end = node.start + len(tail)
    annotations = [a for a in node.annotations if a.end >= tail_end]
    return not annotations


def _as_printed(result: ParsedDocument, norm: NormalizedText) -> ParsedDocument:
    """Titles, headings, unit names and phrases of a Traditional-script text as it was printed."""
    printed = norm.printed

    def deadline(item: Deadline) -> Deadline:
        return replace(item, phrase=printed(item.phrase))

    def indicator(item: IndicatorCandidate) -> IndicatorCandidate:
        return replace(item, name=printed(item.name), phrase=printed(item.phrase), unit=printed(item.unit),
                       comparator=printed(item.comparator), due_phrase=printed(item.due_phrase),
                       found_in=printed(item.found_in))

    def section(item: ParsedSection) -> ParsedSection:
        return replace(item, marker=printed(item.marker), title=printed(item.title), heading=printed(item.heading),
                       children=[section(child) for child in item.children])

    def measure(item: ParsedMeasure) -> ParsedMeasure:
        return replace(
            item, number=printed(item.number), path=[printed(line) for line in item.path], title=printed(item.title),
            text=printed(item.text), annotation=printed(item.annotation),
            units=[replace(unit, name=printed(unit.name)) for unit in item.units],
            deadlines=[deadline(d) for d in item.deadlines], indicators=[indicator(i) for i in item.indicators],
        )

    return replace(
        result, title=printed(result.title), doc_number=printed(result.doc_number), issuer=printed(result.issuer),
        upstream=[replace(u, title=printed(u.title), doc_number=printed(u.doc_number)) for u in result.upstream],
        sections=[section(item) for item in result.sections], measures=[measure(item) for item in result.measures],
        indicators=[indicator(item) for item in result.indicators],
    )


_ATTACHMENT_LINE = re.compile(r"^\s*附件\s*\d*\s*[::]?\s*$")


def _table_title(text: str, start: int) -> tuple[str | None, tuple[int, int] | None]:
    """A document that is only a task table is called by the line above the table (its caption)."""
    end = start
    for line in reversed(text[:start].splitlines(keepends=True)):
        end -= len(line)
        caption = line.strip()
        if caption and not _ATTACHMENT_LINE.match(caption):
            if len(caption) > 80:
                break
            offset = end + line.index(caption)
            return caption, (offset, offset + len(caption))
    return None, None


def _blank_out(text: str, spans: list[tuple[int, int]]) -> str:
    """``text`` with every character of ``spans`` but the line breaks turned into spaces."""
    pieces, last = [], 0
    for start, end in spans:
        pieces.append(text[last:start])
        pieces.append(re.sub(r"[^\n]", " ", text[start:end]))
        last = end
    pieces.append(text[last:])
    return "".join(pieces)


def parse_document(text: str, source: str | None = None, *, time_limit: float | None = None) -> ParsedDocument:
    """Parse the plain text of a policy document into sections, measures and metadata.

    Never raises on junk input: text without headings gives a document without measures.
    With ``time_limit`` (seconds) a parse that runs longer raises ``ParseTimeLimitExceeded``
    instead of holding a web worker until it is killed.
    """
    with time_budget(time_limit):
        return _parse(text, source)


def _parse(text: str, source: str | None) -> ParsedDocument:
    text = text if isinstance(text, str) else ""
    tables = find_text_tables(text)
    # The prose parser reads the text with the tables blanked out (offsets kept).
    norm = normalize(_blank_out(text, [(table.start, table.end) for table in tables]) if tables else text)
    body = norm.text
    check_budget()
    annotations = find_annotations(body)
    blocks = find_signature_blocks(body)
    check_budget()
    roots, nodes = build_tree(body, annotations, closer_lines(body, blocks))
    orphans = assign_annotations(nodes, annotations)
    promote_trailing_annotations(nodes)
    check_budget()
    meta = extract_metadata(body, nodes[0].start if nodes else len(body), blocks)
    # A news report (a headline, no 文号, not one responsibility annotation) holds no measures,
    # even where it lists points as 1. 2. 3.
    report = meta.is_headline and not meta.doc_number and not annotations and looks_like_news(body)
    chosen = [] if report else select_measures(body, roots)
    numbers = number_nodes(nodes, chosen)
    context = _Context(norm, meta, numbers)
    measure_ids = {id(node) for node in chosen}
    measures = []
    for index, node in enumerate(chosen):
        check_budget()
        measures.append(_measure(context, node, _is_truncated(body, node, index == len(chosen) - 1)))
    result = ParsedDocument(
        source=source,
        title=meta.title,
        doc_number=meta.doc_number,
        issuer=meta.issuer,
        issued_date=meta.issued_date,
        plan_period=meta.plan_period,
        upstream=[_with_span(u, context.span(*u.span) if u.span else None) for u in meta.upstream],
        sections=_sections(context, roots, measure_ids),
        measures=measures,
        indicators=_target_indicators(context, roots, measure_ids)
        + [indicator for measure in measures for indicator in measure.indicators],
        title_span=context.span(*meta.title_span) if meta.title_span else None,
        doc_number_span=context.span(*meta.doc_number_span) if meta.doc_number_span else None,
        issued_date_span=context.span(*meta.issued_date_span) if meta.issued_date_span else None,
    )
    if norm.printed_chars:
        result = _as_printed(result, norm)
    if tables:
        check_budget()
        year = context.plan_start or context.title_year or (meta.issued_date.year if meta.issued_date else None)
        merge_tables(result, [table_measures(table.rows, table.header, year) for table in tables],
                     [(table.start, table.end) for table in tables])
        if not result.title:
            result.title, result.title_span = _table_title(text, tables[0].start)
    if orphans and not result.measures:
        result.warnings.append("找到责任单位标注,但未识别出编号的措施")
    if not nodes and not tables and body.strip():
        result.warnings.append("未识别出标题层级(一、/(一)/1.)")
    return result
