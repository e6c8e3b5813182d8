"""Traditional-script mirrors: detect them, read a Simplified view, report what was printed.

Many reposted copies of a document are converted to Traditional script (牽頭, 責任單位,
〔2021〕54號). The parser's vocabulary is Simplified, so such a text is parsed through a
Simplified view made with OpenCC ('t2s'), character for character, so that every offset of
the view is an offset of the printed text. What the parser reports (titles, unit names,
headings) is turned back into the printed characters with the map learned from the text
itself (``printed``); the department directory resolves names in Simplified.
"""

from __future__ import annotations

import functools
import re
from collections import Counter
from typing import overload

import opencc

_HAN = re.compile(r"[\u4e00-\u9fff]")
# A text is Traditional when this share of its Han characters changes in Simplified (a
# Simplified text quoting a traditional name changes a handful; a mirror a quarter or more).
_MIN_SHARE = 0.03
_MIN_CHANGED = 5


@functools.cache
def _converter() -> opencc.OpenCC:
    return opencc.OpenCC("t2s")


# Lone surrogates (broken pastes) cannot be handed to OpenCC; they pass through unchanged.
_SURROGATES = re.compile("([\ud800-\udfff]+)")


def _convert(text: str) -> str:
    if not _SURROGATES.search(text):
        return _converter().convert(text)
    return "".join(piece if _SURROGATES.fullmatch(piece) else _converter().convert(piece)
                   for piece in _SURROGATES.split(text) if piece)


def to_simplified(text: str) -> str:
    """The Simplified form of ``text``, of the same length (one character for one)."""
    if not text:
        return text
    converted = _convert(text)
    if len(converted) == len(text):
        return converted
    # A phrase changed length somewhere: convert line by line, and a line that still does
    # character by character, so that offsets keep pointing at the printed text.
    lines = []
    for line in text.split("\n"):
        simple = _convert(line)
        if len(simple) != len(line):
            simple = "".join(_one(ch) for ch in line)
        lines.append(simple)
    return "\n".join(lines)


def _one(ch: str) -> str:
    simple = _convert(ch)
    return simple if len(simple) == 1 else ch


def is_traditional(text: str) -> bool:
    """True when ``text`` is written in Traditional script (enough of its Han characters change)."""
    han = _HAN.findall(text[:200_000])
    if not han:
        return False
    sample = "".join(han)
    changed = sum(a != b for a, b in zip(sample, to_simplified(sample), strict=True))
    return changed >= _MIN_CHANGED and changed / len(han) >= _MIN_SHARE


def printed_map(printed: str, simplified: str) -> dict[str, str]:
    """For each Simplified character of the view, the printed character it most often stands for."""
    pairs = Counter(zip(printed, simplified, strict=True))
    changed = {simple for original, simple in pairs if original != simple}
    best: dict[str, tuple[int, str]] = {}
    for (original, simple), count in pairs.items():
        if simple in changed and count > best.get(simple, (0, ""))[0]:
            best[simple] = (count, original)
    return {simple: original for simple, (_count, original) in best.items() if original != simple}


@overload
def to_printed(text: str, chars: dict[str, str]) -> str: ...


@overload
def to_printed(text: None, chars: dict[str, str]) -> None: ...


def to_printed(text: str | None, chars: dict[str, str]) -> str | None:
    """``text`` (of the Simplified view) in the document's printed characters."""
    if not text or not chars:
        return text
    return "".join(chars.get(ch, ch) for ch in text)
