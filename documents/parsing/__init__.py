"""Policy-document parser: plain text of a 实施意见 / 实施方案 / 行动计划 in, typed result out.

Pure Python, no Django. The one entry point is ``parse_document``; ``to_corpus_dict`` turns
its result into the corpus schema. Helpers for importers are exported too: ``split_units``
for a responsibility cell, ``parse_time_text`` for a deadline cell, ``read_document`` for
uploaded files and ``DepartmentDirectory`` for resolving unit names to departments.
``parse_document(text, time_limit=seconds)`` raises ``ParseTimeLimitExceeded`` when the parse
runs past its budget (web requests use it; commands parse without a limit).
"""

from documents.parsing.budget import ParseTimeLimitExceeded
from documents.parsing.corpus import to_corpus_dict
from documents.parsing.dates import parse_time_text
from documents.parsing.pipeline import parse_document
from documents.parsing.reader import DocumentReadError, read_document, read_docx, read_text_bytes
from documents.parsing.resolve import DepartmentDirectory, DirectoryEntry, Resolution, Suggestion
from documents.parsing.results import (
    ROLE_LEAD,
    ROLE_RESPONSIBLE,
    ROLE_SUPPORTING,
    Deadline,
    IndicatorCandidate,
    ParsedDocument,
    ParsedMeasure,
    ParsedSection,
    ParsedUnit,
    UpstreamDocument,
)
from documents.parsing.units import split_units

__all__ = [
    "ROLE_LEAD",
    "ROLE_RESPONSIBLE",
    "ROLE_SUPPORTING",
    "Deadline",
    "DepartmentDirectory",
    "DirectoryEntry",
    "DocumentReadError",
    "IndicatorCandidate",
    "ParseTimeLimitExceeded",
    "ParsedDocument",
    "ParsedMeasure",
    "ParsedSection",
    "ParsedUnit",
    "Resolution",
    "Suggestion",
    "UpstreamDocument",
    "parse_document",
    "parse_time_text",
    "read_document",
    "read_docx",
    "read_text_bytes",
    "split_units",
    "to_corpus_dict",
]
