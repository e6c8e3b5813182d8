"""Choosing the measures among the headings, and numbering them as printed.

A measure is a leaf work item: a heading that carries a responsibility annotation (and has
no annotated heading below it), or any 'N.' item even without one, except under
guiding-principle headings (指导思想, 基本原则, 发展目标 ...).
"""

from __future__ import annotations

import re
from collections import Counter

from documents.parsing.markers import ITEM_KINDS, RESTARTING_KINDS
from documents.parsing.structure import Node

_GUIDING = re.compile(
    r"指导思想|基本原则|总体要求|发展目标|总体目标|主要目标|工作目标|行动目标|目标任务|总体思路|工作原则|"
    r"重要意义|适用范围|基本思路|目标要求|编制依据|背景|发展现状|现状"
)
_GUIDING_MAX_TITLE = 12  # a short heading naming one of these; a long one is a real task


def heading_title(text: str, node: Node) -> str:
    """Heading text after the marker, up to the first 。 (or an annotation, or the line end)."""
    return text[node.marker.end:node.title_end].strip()


def heading_line(text: str, node: Node) -> str:
    """Marker plus title as printed: '二、工作重点', '(一)优化经开区统筹布局'."""
    return text[node.start:node.title_end].strip()


def _is_guiding(text: str, node: Node) -> bool:
    title = heading_title(text, node)
    return len(title) <= _GUIDING_MAX_TITLE and bool(_GUIDING.search(title))


def _annotated(node: Node) -> bool:
    return bool(node.annotations) or any(child.annotations for child in node.descendants())


def promote_trailing_annotations(nodes: list[Node]) -> None:
    """An annotation on its own line after a list of sub-points belongs to their parent.

    '(一)…\\n(1)…\\n(2)…\\n〔责任单位:X〕' names the units of (一), not of (2).
    """
    for node in nodes:
        children = node.children
        if node.annotations or len(children) < 2:
            continue
        last = children[-1]
        if last.marker.kind in ITEM_KINDS or last.children or not last.annotations:
            continue
        if not all(annotation.standalone for annotation in last.annotations):
            continue
        if any(_annotated(child) for child in children[:-1]):
            continue
        node.annotations.extend(last.annotations)
        last.annotations.clear()


def select_measures(text: str, roots: list[Node]) -> list[Node]:
    """The measure nodes, in document order."""
    measures: list[Node] = []

    def visit(node: Node, guided: bool) -> bool:
        """Collect measures under node; return True if node or a descendant is a measure."""
        guided = guided or _is_guiding(text, node)
        below = False
        for child in node.children:
            below = visit(child, guided) or below
        if below:
            return True
        qualifies = bool(node.annotations) or (node.marker.kind in ITEM_KINDS and not guided)
        if qualifies:
            measures.append(node)
        return qualifies

    for root in roots:
        visit(root, False)
    measures.sort(key=lambda node: node.start)
    return measures


def number_nodes(nodes: list[Node], measures: list[Node]) -> dict[int, str]:
    """Printed numbers, keyed by id(node): '1', or '四.(一)' where numbering restarts.

    A label is qualified by its parent's number when its kind restarts under every parent
    ((一), (1), ①) or when the same label occurs twice among the measures (1. restarting
    in every section); items under guiding principles do not count. A label that still
    repeats among the measures (two top-level '1.' in a damaged paste) gets '-2', '-3' ..., so
    every measure's number is unique within the document.
    """
    counts = Counter((node.marker.kind, node.marker.label) for node in (measures or nodes))
    duplicated_kinds = {kind for (kind, _label), count in counts.items() if count > 1}
    numbers: dict[int, str] = {}
    for node in nodes:  # document order: a parent is numbered before its children
        label = node.marker.label
        kind = node.marker.kind
        if node.parent is not None and (kind in RESTARTING_KINDS or kind in duplicated_kinds):
            numbers[id(node)] = f"{numbers[id(node.parent)]}.{label}"
        else:
            numbers[id(node)] = label
    seen: Counter[str] = Counter()
    for node in measures:
        number = numbers[id(node)]
        seen[number] += 1
        if seen[number] > 1:
            while f"{number}-{seen[number]}" in seen:
                seen[number] += 1
            numbers[id(node)] = f"{number}-{seen[number]}"
            seen[numbers[id(node)]] += 1
    return numbers


def inherited_annotation_owner(node: Node) -> Node | None:
    """The nearest ancestor whose annotation covers an unannotated measure."""
    for ancestor in reversed(node.ancestors()):
        if ancestor.annotations:
            return ancestor
    return None
