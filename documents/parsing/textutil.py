"""Small text helpers shared by the parser modules: brackets and top-level splitting."""

from __future__ import annotations

import re

from documents.parsing.markers import match_marker

# After NFKC, full-width （）［］ are ASCII; 〔〕 and 【】 stay as they are.
OPENERS = frozenset("(〔【[")
CLOSERS = frozenset(")〕】]")

# 《...》 titles: dates and names inside them belong to the cited title, not to the text.
BOOK_TITLE_RE = re.compile(r"《[^《》\n]{0,200}》")


def split_top_level(text: str, separators: str) -> list[str]:
    """Split on any of ``separators`` that is not inside brackets."""
    pieces: list[str] = []
    depth = 0
    last = 0
    for index, ch in enumerate(text):
        if ch in OPENERS:
            depth += 1
        elif ch in CLOSERS:
            depth = max(0, depth - 1)
        elif depth == 0 and ch in separators:
            pieces.append(text[last:index])
            last = index + 1
    pieces.append(text[last:])
    return pieces


_MAX_WRAPPED_GROUP = 200  # a bracket may continue on the next line when it closes this soon


def _continues(text: str, newline: int, opened: int, stop: int) -> bool:
    """A bracket open at a line break continues on the next line (a wrapped annotation)?"""
    if newline - opened > _MAX_WRAPPED_GROUP:
        return False
    next_end = text.find("\n", newline + 1, stop)
    next_line = text[newline + 1: stop if next_end < 0 else next_end]
    if not next_line.strip() or match_marker(next_line, len(next_line) - len(next_line.lstrip())):
        return False
    close = min((next_line.find(ch) for ch in CLOSERS if ch in next_line), default=-1)
    return 0 <= close and "。" not in next_line[:close] and newline + 1 + close - opened <= _MAX_WRAPPED_GROUP


def bracket_groups(text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
    """Top-level bracket groups [start, end) in text[start:end].

    A group may run over one line break when it closes early on the next line (a wrapped
    annotation); otherwise an unbalanced bracket is forgotten at the end of its line, so one
    stray '(' cannot swallow the rest of the document.
    """
    stop = len(text) if end is None else end
    groups: list[tuple[int, int]] = []
    depth = 0
    opened = -1
    wrapped = False
    for index in range(start, stop):
        ch = text[index]
        if ch == "\n":
            if depth and not wrapped and _continues(text, index, opened, stop):
                wrapped = True
            else:
                depth, wrapped = 0, False
        elif ch in OPENERS:
            if depth == 0:
                opened = index
            depth += 1
        elif ch in CLOSERS and depth:
            depth -= 1
            if depth == 0:
                groups.append((opened, index + 1))
                wrapped = False
    return groups


def book_title_spans(text: str) -> list[tuple[int, int]]:
    """Spans of 《...》 titles."""
    return [match.span() for match in BOOK_TITLE_RE.finditer(text)]
