"""Splitting a responsibility list into units and giving each its role.

``split_units`` is public: the spreadsheet importer calls it on a single cell such as
'市发改委牵头,市财政局、市工信局按职责分工负责'.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import replace

from documents.parsing.results import ROLE_RESPONSIBLE, ParsedUnit
from documents.parsing.roles import MARKER_ROLES, label_role
from documents.parsing.script import printed_map, to_printed, to_simplified
from documents.parsing.textutil import CLOSERS, OPENERS, split_top_level

# Labels that open a clause: 牵头单位:X;责任单位:Y. Any '…单位:' / '…部门:' label counts;
# its role comes from the words in it (roles.label_role: 牵头责任单位 -> lead, 协同责任单位 ->
# supporting, 支撑单位 -> supporting); a label naming a person (牵头市领导) is not a unit label.
LABEL_RE = re.compile(
    r"[【\[]?(?<![\u4e00-\u9fff])(?P<label>(?!各)[\u4e00-\u9fff]{0,6}(?:单位|部门)|责任主体|牵头|配合|协办)"
    r"(?:[】\]]\s*[::]?|\s*[::])"
)
# A role marker closes a run of unit names: 'X、Y牵头', 'Z等按照职责分工负责', 'W(牵头)'.
# It must be followed by punctuation or the end, so that '负责组织实施' is not a marker.
_MARKER_ROLES = MARKER_ROLES
_MARKER_WORDS = "|".join(sorted(_MARKER_ROLES, key=len, reverse=True))
MARKER_RE = re.compile(
    r"(?P<etc>等有关单位|等相关单位|等有关部门|等相关部门|等单位|等部门|等)?\s*"
    r"[(〔【\[]?(?P<marker>" + _MARKER_WORDS + r")[)〕】\]]?"
    r"(?=\s*(?:[,,;;、。.:]|$))"
)

# Name endings of an organisation: used to decide whether 及 / 和 / a space separate two units
# ('市发改委和市财政局') or sit inside one name ('市发展和改革委员会').
_ORG_LAST_CHARS = frozenset("局委办厅部院署心司团行关所站队会处室社馆台区县市镇乡道位门构组园校府军庭")
_ORG_ENDINGS = ("企业", "党组", "大学", "学院", "中心", "集团", "银行", "协会", "商会", "妇联", "残联",
                "科协", "工商联", "团委", "街道", "机关", "管委", "公安", "海关", "法院", "检察院")
_GENERIC_BODIES = ("人民政府", "政府", "党委", "管委会", "人大常委会", "人大", "政协", "纪委", "监委",
                   "党工委", "组织部", "宣传部", "统战部", "政法委", "编办")
# '各县', '市', '区', '县区', '各设区市', '各市(州)': pieces of a collective such as 各县、市、区政府,
# 各设区市、县(市、区)人民政府 or 各市(州)、县(市、区)人民政府.
_LEVEL_WORD = (r"(?:设区市|地级以上市|地级市|县级市|盟市|旗县市区|旗县区|旗县|县市区|县市|县区|市区|乡镇|街道|"
               r"县|市|区|乡|镇|旗|州|盟)(?:\([^()]{1,8}\))?")
_ADMIN_RUN = re.compile(rf"^各?(?:有关|相关)?{_LEVEL_WORD}(?:、{_LEVEL_WORD})*$")
# 'X等市级相关单位': X, then the collective of the level's other units (市级相关单位).
_ETC_COLLECTIVE = re.compile(
    r"^(?P<named>.+?)等(?P<collective>(?:省|市|州|盟|县|区|旗)(?:级|直)(?:其他)?(?:相关|有关)?(?:单位|部门))$"
)
# A piece that continues a collective: a level, maybe with the body of the whole (区政府).
_ADMIN_TAIL = re.compile(rf"^{_LEVEL_WORD}(?:$|" + "|".join(_GENERIC_BODIES) + ")")
_CONJUNCTIONS = ("以及", "及", "和", "与", "并", " ")
_TRAILING = re.compile(
    r"(?:等有关单位|等相关单位|等有关部门|等相关部门|等单位|等部门|等)\s*$"
    r"|(?:" + _MARKER_WORDS + r")\s*$"
)
_LEADING = re.compile(r"^(?:由|请|其中|以及|及|和)")
_EDGE_PUNCT = " \t\n:::,,;;、。."  # stripped from both ends of a unit name
_CHUNK_PUNCT = " ,,;;、。"
_MAX_NAME = 40
# Notes and time limits that slip into a unit list ('下同', '不再做分工', '2023年底前完成'):
# never a unit.
_NOT_A_UNIT = re.compile(
    r"下同|不再|涉及|为准|第一位|列第一|排第一|如下|[::]"
    r"|(?:19|20)\d{2}\s*年|\d{1,2}\s*月(?:底|末|\d)|年底前|年内完成|前完成"  # a time limit, not a unit
)
_EMPTY_CELLS = frozenset({"", "无", "暂无", "/", "-", "—", "--", "——", "无。", "空", "null", "none", "n/a"})
_SEPARATORS = "、,,;;/\n\t"


def is_org_like(name: str) -> bool:
    """True when ``name`` ends like an organisation ('市发改委', '各开发区', '赣州海关')."""
    name = name.strip()
    if len(name) < 2:
        return False
    # An alternate name in brackets does not change what the unit is: 市编办〔市审改办〕.
    while name and name[-1] in CLOSERS:
        depth = 0
        for index in range(len(name) - 1, -1, -1):
            if name[index] in CLOSERS:
                depth += 1
            elif name[index] in OPENERS:
                depth -= 1
                if depth == 0:
                    name = name[:index].strip()
                    break
        else:
            return False
    if len(name) < 2:
        return False
    return name[-1] in _ORG_LAST_CHARS or name.endswith(_ORG_ENDINGS) or name.endswith(_GENERIC_BODIES)


def _merge_admin_pieces(pieces: list[str]) -> list[str]:
    """Re-join collectives that the 、 split broke: 各县 / 市 / 区政府 -> 各县、市、区政府.

    Only a level (县, 县级市, 县(市、区)) or a level with its body (区政府) continues the run;
    各乡镇(街道)、县直有关单位 are two units.
    """
    merged: list[str] = []
    for piece in pieces:
        if (merged and merged[-1].startswith("各") and _ADMIN_RUN.match(merged[-1])
                and _ADMIN_TAIL.match(piece)):
            merged[-1] = merged[-1] + "、" + piece
        else:
            merged.append(piece)
    return merged


def _split_conjunctions(name: str) -> list[str]:
    """Split on 及 / 和 / 与 / space only where both sides are whole organisation names."""
    depth = 0
    for index, ch in enumerate(name):
        if ch in OPENERS:
            depth += 1
        elif ch in CLOSERS:
            depth = max(0, depth - 1)
        if depth:
            continue
        for conj in _CONJUNCTIONS:
            if name.startswith(conj, index):
                left = name[:index].strip()
                right = name[index + len(conj):].strip()
                if is_org_like(left) and is_org_like(right) and len(right) >= 2:
                    return [left, *_split_conjunctions(right)]
                break
    return [name]


_INNER_SPACE = re.compile(r"(?<=[\u4e00-\u9fff)〕】\]])\s+(?=[\u4e00-\u9fff(〔【\[])")


def _clean(name: str) -> str:
    name = _INNER_SPACE.sub("", name.strip(_EDGE_PUNCT))
    previous = None
    while previous != name:
        previous = name
        name = _TRAILING.sub("", name).strip()
        name = _LEADING.sub("", name).strip()
    return name.strip(_EDGE_PUNCT)


def _is_name(name: str) -> bool:
    return (bool(name) and name.lower() not in _EMPTY_CELLS and len(name) <= _MAX_NAME
            and not _NOT_A_UNIT.search(name))


def _expand_generic(names: list[str]) -> list[str]:
    """'各县(市、区)党委、政府' names two units: give the bare 政府 the prefix of 党委."""
    result: list[str] = []
    for name in names:
        if result and name in _GENERIC_BODIES:
            previous = result[-1]
            for body in _GENERIC_BODIES:
                if previous.endswith(body) and len(previous) > len(body):
                    name = previous[: -len(body)] + name
                    break
        result.append(name)
    return result


def _split_etc_collectives(pieces: list[str]) -> list[str]:
    """'市科技局等市级相关单位' -> '市科技局', '市级相关单位' (a bare 等有关单位 is dropped later)."""
    result: list[str] = []
    for piece in pieces:
        match = _ETC_COLLECTIVE.match(piece)
        result.extend([match.group("named"), match.group("collective")] if match else [piece])
    return result


def split_names(text: str) -> list[str]:
    """Split a run of unit names (no role words) into names, in order, without duplicates."""
    text = unicodedata.normalize("NFKC", text or "")
    pieces = [piece.strip() for piece in split_top_level(text, _SEPARATORS)]
    pieces = _merge_admin_pieces([piece for piece in pieces if piece])
    names: list[str] = []
    for piece in _split_etc_collectives(pieces):
        for part in _split_conjunctions(piece):
            cleaned = _clean(part)
            if _is_name(cleaned):
                names.append(cleaned)
    return _expand_generic(names)


def _clauses(text: str) -> list[tuple[str | None, str]]:
    """Cut the text at role labels: [(label role or None, clause text), ...]."""
    clauses: list[tuple[str | None, str]] = []
    role: str | None = None
    last = 0
    for match in LABEL_RE.finditer(text):
        if match.start() > last:
            clauses.append((role, text[last:match.start()]))
        role = label_role(match.group("label"))
        last = match.end()
    clauses.append((role, text[last:]))
    return clauses


def parse_roles(text: str) -> list[ParsedUnit]:
    """Parse a responsibility list into units with roles (no spans).

    Inside a clause, a marker (牵头 / 按职责分工负责 / 配合 ...) gives its role to every name
    written since the previous marker; names after the last marker take the clause label's
    role (牵头单位: -> lead, 配合单位: -> supporting) and otherwise 'responsible'.
    """
    text = unicodedata.normalize("NFKC", text or "").strip()
    if text.lower() in _EMPTY_CELLS:
        return []
    units: list[ParsedUnit] = []
    seen: set[str] = set()

    def add(chunk: str, role: str) -> None:
        for name in split_names(chunk):
            if name not in seen:
                seen.add(name)
                units.append(ParsedUnit(name=name, role=role))

    for clause_role, clause in _clauses(text):
        last = 0
        for match in MARKER_RE.finditer(clause):
            chunk = clause[last:match.start()]
            last = match.end()
            if chunk.strip(_CHUNK_PUNCT):
                add(chunk, _MARKER_ROLES[match.group("marker")])
        add(clause[last:], clause_role or ROLE_RESPONSIBLE)
    return units


def split_units(text: str) -> list[ParsedUnit]:
    """Split one responsibility text (an annotation or a spreadsheet cell) into units.

    >>> [(u.name, u.role) for u in split_units('市发改委牵头,市财政局、市工信局按职责分工负责')]
    [('市发改委', 'lead'), ('市财政局', 'responsible'), ('市工信局', 'responsible')]
    >>> split_units('无')
    []

    A cell in Traditional script (牽頭單位:市發改委) is read through its Simplified view and
    its names are reported as printed.
    """
    simple = to_simplified(text or "")
    if simple == (text or ""):
        return parse_roles(text)
    chars = printed_map(text, simple)
    return [replace(unit, name=to_printed(unit.name, chars)) for unit in parse_roles(simple)]

