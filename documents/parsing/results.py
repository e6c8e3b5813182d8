"""Typed results of the parser.

Every span is a ``(start, end)`` pair of offsets into the ORIGINAL text handed to
``parse_document`` (end exclusive), so that a UI can highlight it in the source as stored.
String fields hold the NFKC-normalised text (full-width punctuation folded to ASCII).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

Span = tuple[int, int]

ROLE_LEAD = "lead"
ROLE_RESPONSIBLE = "responsible"
ROLE_SUPPORTING = "supporting"
ROLES = (ROLE_LEAD, ROLE_RESPONSIBLE, ROLE_SUPPORTING)

# Deadline kinds.
KIND_DATE = "date"  # a dated deadline (date may still be None when no year could be inferred)
KIND_OPEN = "open"  # an open-ended period such as 2021年以后: no last day
KIND_RECURRING = "recurring"  # 每周 / 每季度 ...: date None, recurring set
KIND_ONGOING = "ongoing"  # 持续推进 / 长期坚持: no date, flags the measure as ongoing

RECURRENCES = ("weekly", "monthly", "bimonthly", "quarterly", "yearly")


@dataclass(frozen=True)
class ParsedUnit:
    """A department named in a responsibility annotation, with its role."""

    name: str
    role: str  # one of ROLES
    span: Span | None = None


@dataclass(frozen=True)
class Deadline:
    """A time expression: the phrase as written, the last day it denotes, or its recurrence."""

    phrase: str
    date: datetime.date | None
    recurring: str | None = None
    kind: str = KIND_DATE
    span: Span | None = None

    @property
    def is_ongoing(self) -> bool:
        return self.kind == KIND_ONGOING


@dataclass(frozen=True)
class IndicatorCandidate:
    """A quantitative target found in the text, offered to a user to confirm."""

    name: str
    comparator: str  # as written: 超 / 不低于 / 以上 / 翻番 ...
    comparator_code: str  # gt / gte / eq / lte / lt, as the documents app stores it
    value: Decimal | None
    unit: str
    value_max: Decimal | None = None  # upper end of a range such as 2-3家
    due: datetime.date | None = None
    due_phrase: str | None = None
    phrase: str = ""
    span: Span | None = None
    found_in: str | None = None  # number of the measure, or heading of the target section


@dataclass(frozen=True)
class UpstreamDocument:
    """A higher-level document this one implements: 《title》(doc number)."""

    title: str
    doc_number: str | None = None
    span: Span | None = None


@dataclass
class ParsedMeasure:
    """A leaf work item of the document."""

    number: str
    path: list[str]
    title: str
    text: str
    units: list[ParsedUnit] = field(default_factory=list)
    deadlines: list[Deadline] = field(default_factory=list)
    indicators: list[IndicatorCandidate] = field(default_factory=list)
    ongoing: bool = False
    truncated: bool = False
    units_inherited: bool = False  # units copied from an ancestor heading's annotation
    annotation: str | None = None
    span: Span | None = None
    title_span: Span | None = None
    annotation_spans: list[Span] = field(default_factory=list)

    def _names(self, role: str) -> list[str]:
        return [unit.name for unit in self.units if unit.role == role]

    @property
    def lead(self) -> list[str]:
        return self._names(ROLE_LEAD)

    @property
    def responsible(self) -> list[str]:
        return self._names(ROLE_RESPONSIBLE)

    @property
    def supporting(self) -> list[str]:
        return self._names(ROLE_SUPPORTING)


@dataclass
class ParsedSection:
    """A heading of the document (一、 / (一) / 1. ...) and what sits under it."""

    number: str  # qualified number, like the measure numbers: '四', '四.(一)', '12'
    marker: str  # the marker as printed: '四、', '(一)', '12.'
    title: str
    heading: str  # marker + title as printed
    level: int
    is_measure: bool = False
    span: Span | None = None
    children: list[ParsedSection] = field(default_factory=list)


@dataclass
class ParsedDocument:
    """Everything the parser found in one document."""

    source: str | None = None
    title: str | None = None
    doc_number: str | None = None
    issuer: str | None = None
    issued_date: datetime.date | None = None
    plan_period: tuple[int, int] | None = None
    upstream: list[UpstreamDocument] = field(default_factory=list)
    sections: list[ParsedSection] = field(default_factory=list)
    measures: list[ParsedMeasure] = field(default_factory=list)
    indicators: list[IndicatorCandidate] = field(default_factory=list)  # measures' and target sections'
    title_span: Span | None = None
    doc_number_span: Span | None = None
    issued_date_span: Span | None = None
    warnings: list[str] = field(default_factory=list)
