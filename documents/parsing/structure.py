"""The heading tree: 一、 / (一) / 1. / (1) / ① / 第一条 in any mix.

A heading's level is learned from where each marker kind first appears, not fixed by
style: a new kind ranks right below the heading it first appears under. In the usual
'一、 / (一) / 1.' order each new kind simply goes one level deeper; a document whose first
part has '一、 / 1.' and whose second part brings '(一)' above its items still nests the
items under '(一)'. A marker is only taken as a heading when its number continues the
count of its kind (or restarts at 1), so '二、三产业' at a line start is not a heading
after '三、'.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field

from documents.parsing.annotations import Annotation
from documents.parsing.budget import tick
from documents.parsing.markers import Marker, match_marker
from documents.parsing.normalize import iter_lines

# A heading number may skip ahead (misprints, excerpts); further jumps are body text. Lines
# starting with Chinese numerals ('三、四季度') are more often prose than arabic ones.
_MAX_GAP = {"cn_dun": 3, "cn_dot": 3, "cn_paren": 5}
_DEFAULT_MAX_GAP = 30
_ATTACHMENT_LINE = re.compile(r"^\s*附\s*件\s*\d*\s*[::]?")
_ATTACHMENT_ONLY = re.compile(r"^\s*附\s*件\s*\d*\s*[::]?\s*$")
_ATTACHMENT_ITEM_MAX = 60


@dataclass(eq=False)
class Node:
    """A heading and the text up to the next heading of the same or a higher level."""

    marker: Marker
    level: int  # depth in the tree, 0 for a top-level heading
    line_end: int  # end of the heading's own line (or line segment)
    title_end: int  # end of the heading title: first 。, an annotation, or the line end
    parent: Node | None = None
    children: list[Node] = field(default_factory=list)
    end: int = 0
    annotations: list[Annotation] = field(default_factory=list)

    @property
    def start(self) -> int:
        return self.marker.start

    @property
    def own_end(self) -> int:
        """End of the text that belongs to this node itself, before its first child."""
        return self.children[0].start if self.children else self.end

    def ancestors(self) -> list[Node]:
        chain: list[Node] = []
        node = self.parent
        while node is not None:
            chain.insert(0, node)
            node = node.parent
        return chain

    def descendants(self) -> list[Node]:
        found: list[Node] = []
        for child in self.children:
            found.append(child)
            found.extend(child.descendants())
        return found


class _LevelTracker:
    """Learns the ranking of marker kinds and checks numbering continuity."""

    def __init__(self) -> None:
        self.order: list[str] = []  # marker kinds, outermost first
        self.last: dict[str, int] = {}

    def accept(self, marker: Marker) -> bool:
        last = self.last.get(marker.kind)
        if marker.glued:  # '11.121人才…' after item 10 is item 11; anywhere else a decimal
            return last is not None and marker.value == last + 1
        gap = _MAX_GAP.get(marker.kind, _DEFAULT_MAX_GAP)
        return last is None or marker.value == 1 or last < marker.value <= last + gap

    def take(self, marker: Marker, under: str | None) -> None:
        """Record a heading; a kind seen for the first time ranks right below ``under``."""
        self.last[marker.kind] = marker.value
        if marker.kind not in self.order:
            position = self.order.index(under) + 1 if under in self.order else len(self.order)
            self.order.insert(position, marker.kind)

    def rank(self, kind: str) -> int:
        return self.order.index(kind)


def _segments(text: str, start: int, end: int, splits: list[int]) -> list[tuple[int, int]]:
    """The line [start, end) cut after annotations that a heading follows on the same line."""
    index = bisect.bisect_right(splits, start)
    cuts = []
    while index < len(splits) and splits[index] < end:
        cuts.append(splits[index])
        index += 1
    bounds = [start, *cuts, end]
    return [(bounds[i], bounds[i + 1]) for i in range(len(bounds) - 1)]


def _split_points(text: str, annotations: list[Annotation]) -> list[int]:
    points = []
    for annotation in annotations:
        position = annotation.end
        while position < len(text) and text[position] in " \t。.;;":
            position += 1
        if position < len(text) and text[position] != "\n" and match_marker(text, position):
            points.append(position)
    return points


def _title_end(text: str, marker: Marker, line_end: int, annotation_starts: list[int]) -> int:
    stop = text.find("。", marker.end, line_end)
    stop = line_end if stop < 0 else stop
    index = bisect.bisect_left(annotation_starts, marker.end)
    if index < len(annotation_starts) and annotation_starts[index] < stop:
        stop = annotation_starts[index]
    while stop > marker.end and text[stop - 1] in " \t::":
        stop -= 1
    return stop


class _TreeBuilder:
    def __init__(self, text: str, annotations: list[Annotation], closers: list[tuple[int, int]]):
        self.text = text
        self.closers = closers
        self.splits = _split_points(text, annotations)
        self.annotation_starts = [annotation.start for annotation in annotations]
        self.tracker = _LevelTracker()
        self.stack: list[Node] = []
        self.roots: list[Node] = []
        self.nodes: list[Node] = []
        self.in_attachment_list = False

    def close_all(self, position: int) -> None:
        for node in self.stack:
            node.end = position
        self.stack.clear()

    def _is_closer(self, start: int, pointer: int) -> tuple[bool, int]:
        while pointer < len(self.closers) and self.closers[pointer][1] <= start:
            pointer += 1
        inside = pointer < len(self.closers) and self.closers[pointer][0] <= start < self.closers[pointer][1]
        return inside, pointer

    def add(self, marker: Marker, segment_end: int) -> None:
        self.tracker.take(marker, self.stack[-1].marker.kind if self.stack else None)
        rank = self.tracker.rank(marker.kind)
        while self.stack and self.tracker.rank(self.stack[-1].marker.kind) >= rank:
            self.stack.pop().end = marker.start
        title_end = _title_end(self.text, marker, segment_end, self.annotation_starts)
        parent = self.stack[-1] if self.stack else None
        node = Node(marker, len(self.stack), segment_end, title_end, parent)
        (parent.children if parent else self.roots).append(node)
        self.stack.append(node)
        self.nodes.append(node)

    def _attachment_item(self, line: str) -> bool:
        """'附件:' followed by a numbered list of attachment titles: not headings."""
        if _ATTACHMENT_LINE.match(line):
            self.in_attachment_list = True
            return False
        if self.in_attachment_list and len(line.strip()) <= _ATTACHMENT_ITEM_MAX and "。" not in line:
            return True
        self.in_attachment_list = False
        return False

    def build(self) -> None:
        pointer = 0
        for count, (line_start, line_end) in enumerate(iter_lines(self.text)):
            tick(count)
            closer, pointer = self._is_closer(line_start, pointer)
            line = self.text[line_start:line_end]
            if closer or _ATTACHMENT_ONLY.match(line):
                # The body ended (signature, 附件): a following part numbers afresh.
                self.close_all(line_start)
                self.tracker = _LevelTracker()
                self.in_attachment_list = bool(_ATTACHMENT_ONLY.match(line))
                continue
            if not line.strip():
                continue
            skip = self._attachment_item(line)
            for seg_start, seg_end in _segments(self.text, line_start, line_end, self.splits):
                position = seg_start
                while position < seg_end and self.text[position] in " \t":
                    position += 1
                marker = match_marker(self.text, position, glued=True) if position < seg_end else None
                if marker is None or skip or marker.end > seg_end or not self.tracker.accept(marker):
                    continue
                self.add(marker, seg_end)
        self.close_all(len(self.text))


def build_tree(
    text: str, annotations: list[Annotation], closers: list[tuple[int, int]]
) -> tuple[list[Node], list[Node]]:
    """Build the heading tree of the normalised text: (roots, all nodes in document order).

    ``closers`` are line spans (signature blocks, 抄送) where every open heading ends.
    """
    builder = _TreeBuilder(text, annotations, sorted(closers))
    builder.build()
    return builder.roots, builder.nodes


def assign_annotations(nodes: list[Node], annotations: list[Annotation]) -> list[Annotation]:
    """Give each annotation to the deepest node whose text holds it; return the orphans."""
    starts = [node.start for node in nodes]
    orphans: list[Annotation] = []
    for annotation in annotations:
        index = bisect.bisect_right(starts, annotation.start) - 1
        owner = nodes[index] if index >= 0 else None
        while owner is not None and annotation.start >= owner.end:
            owner = owner.parent
        if owner is None:
            orphans.append(annotation)
        else:
            owner.annotations.append(annotation)
    return orphans
