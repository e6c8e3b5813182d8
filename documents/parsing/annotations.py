"""Finding responsibility annotations in the text.

Forms handled: 〔责任单位:X牵头,Y等配合〕, 〔牵头单位:X;责任单位:Y〕, (X、Y等单位,Z分工负责),
【…】 and [...] brackets, an annotation alone on the next line, an unbracketed
'责任单位:X' line, and a bare list of departments in brackets at the end of a paragraph.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, replace

from documents.parsing.budget import tick
from documents.parsing.markers import match_marker
from documents.parsing.results import ParsedUnit
from documents.parsing.textutil import CLOSERS, OPENERS, bracket_groups
from documents.parsing.units import LABEL_RE, MARKER_RE, is_org_like, parse_roles

# A time limit written inside an annotation: 〔责任单位:市数据局;完成时限:2021年底〕.
TIME_LABEL_RE = re.compile(r"(?:完成时限|完成时间|时间节点|时限要求|办结时限|完成期限|时限|进度安排)\s*[::]")
# '(列第一位的为牵头单位)', '(排在首位的为牵头或汇总单位,下同)'.
FIRST_IS_LEAD_RE = re.compile(r"(?:列|排)(?:在)?(?:第一位?|首位)[^()()]{0,8}?为[^()()]{0,4}?牵头")
# A remark in brackets inside a unit list: '(除标注“分别牵头”外,列第一位为牵头单位,下同)'.
_NOTE_RE = re.compile(r"[((〔][^()()〔〕]*(?:下同|为牵头|不再|注[::])[^()()〔〕]*[))〕]")
_MAX_CONTENT = 600
_TRAILING_PUNCT = " \t。.;;,,"
# Share of names that must look like organisations for a bracket at a paragraph end to count.
_MIN_ORG_SHARE_WITH_MARKER = 0.6


@dataclass(frozen=True)
class Annotation:
    """A responsibility annotation; offsets index the normalised text."""

    start: int
    end: int
    content: str
    units: tuple[ParsedUnit, ...]
    standalone: bool  # nothing but the annotation on its line
    explicit: bool  # carries a role label such as 责任单位:
    mask_end: int  # deadlines are searched outside [start, mask_end): a time limit inside is kept
    first_is_lead: bool = False  # a note says the first-listed unit leads


class _Lines:
    """Line bounds by bisection over the line starts: one pass over the text, however many
    annotations share a line (searching for the newlines each time made a document written
    on one long line quadratic)."""

    def __init__(self, text: str):
        self.size = len(text)
        self.starts = [0, *(match.end() for match in _NEWLINE.finditer(text))]

    def bounds(self, start: int, end: int) -> tuple[int, int]:
        """(start of the line holding ``start``, end of the line holding ``end``, newline excluded)."""
        line_start = self.starts[bisect.bisect_right(self.starts, start) - 1]
        following = bisect.bisect_right(self.starts, end)
        line_end = self.starts[following] - 1 if following < len(self.starts) else self.size
        return line_start, line_end


_NEWLINE = re.compile("\n")
_SPACE_RUN = re.compile(r"\s*")
_PUNCT_RUN = re.compile("[" + re.escape(_TRAILING_PUNCT) + "]*")


def _ends_paragraph(text: str, end: int, line_end: int) -> bool:
    """Only punctuation follows on the line, or the next heading starts right there."""
    run = _PUNCT_RUN.match(text, end, line_end)  # a starred run: it always matches
    position = run.end() if run else end
    return position >= line_end or match_marker(text, position) is not None


def _blank_between(text: str, start: int, end: int) -> bool:
    """Only white space in text[start:end] (stops at the first other character, copies nothing)."""
    run = _SPACE_RUN.match(text, start, end)  # a starred run: it always matches
    return (run.end() if run else start) >= end


def _follows_break(text: str, start: int) -> bool:
    """Nothing, or a line break or 。/; (after spaces), comes before ``start``."""
    position = start - 1
    while position >= 0 and text[position] in " \t":
        position -= 1
    return position < 0 or text[position] in "\n。;;"


def _units_content(content: str) -> tuple[str, int]:
    """The part of an annotation naming units: before a time limit or a closing remark.

    '〔责任单位:A、B按职责分工负责。具体任务均涉及各市,下同。〕' names A and B only.
    """
    cut = len(content)
    match = TIME_LABEL_RE.search(content)
    if match:
        cut = match.start()
    depth = 0
    for index, ch in enumerate(content[:cut]):
        if ch in OPENERS:
            depth += 1
        elif ch in CLOSERS:
            depth = max(0, depth - 1)
        elif ch == "。" and depth == 0 and content[index + 1:cut].strip():
            cut = index
            break
    return _NOTE_RE.sub(_blank, content[:cut]), cut


def _blank(match: re.Match) -> str:
    return " " * len(match.group(0))


def _accept(content: str, units: list[ParsedUnit], at_end: bool) -> bool:
    if not units:
        return False
    if LABEL_RE.search(content):
        return True
    if not at_end or "。" in content:
        return False
    org_share = sum(is_org_like(unit.name) for unit in units) / len(units)
    if MARKER_RE.search(content):
        return org_share >= _MIN_ORG_SHARE_WITH_MARKER
    # A bare list with no role word: every name must look like a department.
    return org_share == 1.0


def _bracketed(text: str, groups: list[tuple[int, int]], lines: _Lines) -> list[Annotation]:
    found: list[Annotation] = []
    for index, (start, end) in enumerate(groups):
        tick(index)
        if not 2 <= end - start - 2 <= _MAX_CONTENT:
            continue
        content = text[start + 1 : end - 1]
        line_start, line_end = lines.bounds(start, end)
        at_end = _ends_paragraph(text, end, line_end)
        explicit = LABEL_RE.search(content) is not None
        if not (at_end or explicit):
            continue  # cheap exit: most brackets are inline asides
        unit_text, cut = _units_content(content)
        units = parse_roles(unit_text)
        if not _accept(unit_text, units, at_end):
            continue
        standalone = at_end and _blank_between(text, line_start, start)
        mask_end = start + 1 + cut if cut < len(content) else end
        found.append(Annotation(start, end, content, tuple(units), standalone, explicit, mask_end))
    return found


def _unbracketed(text: str, taken: list[tuple[int, int]], lines: _Lines) -> list[Annotation]:
    """'责任单位:X' written without brackets, at a line start or right after a full stop."""
    found: list[Annotation] = []
    taken_starts = [group_start for group_start, _ in taken]  # groups are sorted and disjoint
    for count, match in enumerate(LABEL_RE.finditer(text)):
        tick(count)
        start = match.start()
        index = bisect.bisect_right(taken_starts, start) - 1
        if index >= 0 and start < taken[index][1]:
            continue
        if found and found[-1].end > start:
            continue  # a second label on the same line belongs to the first annotation
        if not _follows_break(text, start):
            continue
        line_start, line_end = lines.bounds(start, start)
        content = text[start:line_end].rstrip(_TRAILING_PUNCT)
        unit_text, cut = _units_content(content)
        units = parse_roles(unit_text)
        if not units:
            continue
        end = start + len(content)
        standalone = _blank_between(text, line_start, start)
        found.append(Annotation(start, end, content, tuple(units), standalone, True, start + cut))
    return found


def _mark_first_is_lead(annotations: list[Annotation]) -> list[Annotation]:
    """Flag annotations covered by '(列第一位的为牵头单位,下同)'.

    Without 下同 the note covers its own annotation only; with it, every later one too.
    The measure applies it: where none of its units is marked lead, the first one leads.
    """
    result: list[Annotation] = []
    standing = False
    for annotation in annotations:
        note = FIRST_IS_LEAD_RE.search(annotation.content)
        if note is not None and "下同" in annotation.content[note.start():]:
            standing = True
        if standing or note is not None:
            annotation = replace(annotation, first_is_lead=True)
        result.append(annotation)
    return result


def find_annotations(text: str) -> list[Annotation]:
    """All responsibility annotations of the normalised text, in order."""
    groups = bracket_groups(text)
    lines = _Lines(text)
    bracketed = _bracketed(text, groups, lines)
    # '【牵头单位】市数据局': a bracketed label opens an unbracketed annotation.
    taken = [(s, e) for s, e in groups if not LABEL_RE.fullmatch(text, s, e)]
    unbracketed = _unbracketed(text, taken, lines)
    return _mark_first_is_lead(sorted(bracketed + unbracketed, key=lambda annotation: annotation.start))
