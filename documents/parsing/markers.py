"""Heading markers: 一、 / (一) / 1. / 1、 / (1) / 1) / ① / 第一条, with kind, value and label."""

from __future__ import annotations

import re
from dataclasses import dataclass

from documents.parsing.numerals import CN_NUM_CLASS, circled_to_int, cn_to_int

_CN = f"[{CN_NUM_CLASS}]"
MARKER_RE = re.compile(
    rf"""
      (?P<cn_dun>{_CN}{{1,4}})(?P<cn_sep>[、.])(?!\d)
    | \((?P<cn_paren>{_CN}{{1,4}})\)(?:[、.](?!\d))?
    | \((?P<ar_paren>\d{{1,3}})\)(?:[、.](?!\d))?
    | (?P<ar_num>\d{{1,3}})(?P<ar_sep>\.(?!\d)|、|\)(?![)\d]))
    | (?P<ar_glued>\d{{1,3}})\.(?=\d)
    | (?P<circled>[\u2460-\u2473])
    | 第(?P<art>{_CN}{{1,5}}|\d{{1,3}})(?P<art_kind>部分|[章节条])
    """,
    re.X,
)
# Kinds whose numbers conventionally restart under every parent: their printed number
# is qualified by the parent's ('四.(一)').
RESTARTING_KINDS = frozenset({"cn_paren", "ar_paren", "ar_rparen", "circled"})
# Kinds that make a work item a measure even without an annotation ('N.' items).
ITEM_KINDS = frozenset({"ar_dot", "ar_dun"})


@dataclass(frozen=True)
class Marker:
    """A heading marker found at ``start``; ``end`` is past the marker and following spaces."""

    kind: str
    value: int
    label: str  # the number as the corpus prints it: '一', '(一)', '1', '(1)', '①', '第一条'
    printed: str  # the marker as written: '一、', '(一)', '1.'
    start: int
    end: int
    # '11.121人才…', '3.5G基站…': a number glued to the digits of its title. Only the heading
    # tree takes it, and only where it continues the numbering (else it is a decimal).
    glued: bool = False


def match_marker(text: str, position: int, *, glued: bool = False) -> Marker | None:
    """The heading marker starting exactly at ``position``, if any.

    With ``glued``, 'N.' followed by a digit is a marker candidate too (see ``Marker.glued``).
    """
    match = MARKER_RE.match(text, position)
    if match is None:
        return None
    groups = match.groupdict()
    if groups["ar_glued"]:
        if not glued:
            return None
        glued_value = int(groups["ar_glued"])
        if glued_value <= 0:
            return None
        return Marker("ar_dot", glued_value, groups["ar_glued"], match.group(0), match.start(), match.end(), glued=True)
    kind: str
    value: int | None
    if groups["cn_dun"]:
        kind = "cn_dun" if groups["cn_sep"] == "、" else "cn_dot"
        value, label = cn_to_int(groups["cn_dun"]), groups["cn_dun"]
    elif groups["cn_paren"]:
        kind, value, label = "cn_paren", cn_to_int(groups["cn_paren"]), f"({groups['cn_paren']})"
    elif groups["ar_paren"]:
        kind, value, label = "ar_paren", int(groups["ar_paren"]), f"({groups['ar_paren']})"
    elif groups["ar_num"]:
        sep = groups["ar_sep"]
        kind = {".": "ar_dot", "、": "ar_dun"}.get(sep, "ar_rparen")
        value = int(groups["ar_num"])
        label = groups["ar_num"] if kind != "ar_rparen" else f"{groups['ar_num']})"
    elif groups["circled"]:
        kind, value, label = "circled", circled_to_int(groups["circled"]), groups["circled"]
    else:
        kind = "art_" + groups["art_kind"]
        value = cn_to_int(groups["art"])
        label = f"第{groups['art']}{groups['art_kind']}"
    if value is None or value <= 0:
        return None
    end = match.end()
    while end < len(text) and text[end] in " \t":
        end += 1
    return Marker(kind, value, label, match.group(0), match.start(), end)
