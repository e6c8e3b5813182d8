"""``to_corpus_dict``: a ParsedDocument in exactly the corpus schema (shared/corpus/SCHEMA.md)."""

from __future__ import annotations

from typing import Any

from documents.parsing.results import ParsedDocument, ParsedMeasure


def _measure_dict(measure: ParsedMeasure) -> dict[str, Any]:
    return {
        "number": measure.number,
        "path": list(measure.path),
        "title": measure.title,
        "lead": measure.lead,
        "responsible": measure.responsible,
        "supporting": measure.supporting,
        "deadlines": [
            {
                "phrase": deadline.phrase,
                "date": deadline.date.isoformat() if deadline.date else None,
                "recurring": deadline.recurring,
            }
            for deadline in measure.deadlines
        ],
        "truncated": measure.truncated,
    }


def to_corpus_dict(result: ParsedDocument) -> dict[str, Any]:
    """The corpus schema: source, title, doc_number, issuer, issued_date, measures[...]."""
    return {
        "source": result.source,
        "title": result.title,
        "doc_number": result.doc_number,
        "issuer": result.issuer,
        "issued_date": result.issued_date.isoformat() if result.issued_date else None,
        "measures": [_measure_dict(measure) for measure in result.measures],
    }
