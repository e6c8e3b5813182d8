"""Command line: ``python -m documents.parsing PATH [--json]``.

Prints the corpus-schema JSON with --json (what shared/corpus/score_parse.py scores),
otherwise a short summary of the measures.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from documents.parsing import DocumentReadError, parse_document, read_document, to_corpus_dict


def main(argv: list[str] | None = None) -> int:
    """Parse one file and print the result; return the exit status."""
    parser = argparse.ArgumentParser(prog="python -m documents.parsing", description=__doc__)
    parser.add_argument("path", type=Path)
    parser.add_argument("--json", action="store_true", help="print the corpus-schema JSON")
    args = parser.parse_args(argv)
    try:
        text = read_document(args.path.name, args.path.read_bytes())
    except (OSError, DocumentReadError) as error:
        print(f"{args.path}: {error}", file=sys.stderr)
        return 1
    result = parse_document(text, source=args.path.name)
    if args.json:
        print(json.dumps(to_corpus_dict(result), ensure_ascii=False, indent=1))
        return 0
    print(f"{result.title} | {result.doc_number} | {result.issuer} | {result.issued_date}")
    for measure in result.measures:
        deadlines = ", ".join(d.phrase for d in measure.deadlines)
        print(f"{measure.number:>10} {measure.title}  牵头={measure.lead} 责任={measure.responsible} "
              f"配合={measure.supporting} 时限=[{deadlines}]")
    return 0


if __name__ == "__main__":
    sys.exit(main())
