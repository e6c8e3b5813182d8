"""The one vocabulary of responsibility roles: which words make a unit lead, responsible or supporting.

Prose annotations (〔牵头单位:X;配合单位:Y〕, 'X牵头,Y配合') and table headers (牵头单位 /
配合单位 columns of a 任务分解表) name roles with the same words, so both read them here:

- ``label_role(label)``: the role of a clause label or column title ('支撑单位' -> supporting,
  '主办单位' -> lead, '推进单位' / '责任单位' -> responsible);
- ``header_role(header)``: the same for a table header, or None when it names no units;
- ``MARKER_ROLES``: role words written after the names ('X牵头', 'Y等配合', 'Z负责').

A bare '…负责' or a '责任单位' list with no 牵头 anywhere is responsible, not lead.
"""

from __future__ import annotations

import re

from documents.parsing.results import ROLE_LEAD, ROLE_RESPONSIBLE, ROLE_SUPPORTING

# Words inside a label that give it its role; supporting first ('协同牵头' does not occur,
# but '牵头配合' reads as supporting work), then lead; anything else is responsible.
SUPPORTING_WORDS = ("配合", "协办", "协助", "参与", "协同", "协作", "提供", "支持", "支撑", "参加", "辅助")
LEAD_WORDS = ("牵头", "主责", "主办", "主要责任", "主抓", "总负责")

# Whole labels and column titles people write, by role (used by tables and in messages).
LEAD_LABELS = ("牵头单位", "牵头部门", "主办单位", "主责单位", "主责部门", "牵头责任单位", "主要责任单位")
RESPONSIBLE_LABELS = ("责任单位", "责任部门", "承办单位", "推进单位", "实施单位", "落实单位", "责任主体")
SUPPORTING_LABELS = ("配合单位", "配合部门", "协办单位", "协同单位", "参与单位", "支撑单位", "支持单位",
                     "协助单位", "协作单位")

# A role word written after a run of unit names: 'X、Y牵头', 'Z等按照职责分工负责', 'W(配合)'.
MARKER_ROLES: dict[str, str] = {
    "牵头负责": ROLE_LEAD, "牵头": ROLE_LEAD, "主责": ROLE_LEAD, "总牵头": ROLE_LEAD,
    "分别牵头": ROLE_LEAD, "共同牵头": ROLE_LEAD, "联合牵头": ROLE_LEAD, "主办": ROLE_LEAD,
    "按照职责分工负责": ROLE_RESPONSIBLE, "按职责分工负责": ROLE_RESPONSIBLE,
    "按照职能分工负责": ROLE_RESPONSIBLE, "按职能分工负责": ROLE_RESPONSIBLE,
    "按照职责负责": ROLE_RESPONSIBLE, "按职责负责": ROLE_RESPONSIBLE, "分工负责": ROLE_RESPONSIBLE,
    "各负其责": ROLE_RESPONSIBLE, "共同负责": ROLE_RESPONSIBLE, "具体负责": ROLE_RESPONSIBLE,
    "分别负责": ROLE_RESPONSIBLE, "负责落实": ROLE_RESPONSIBLE, "负责": ROLE_RESPONSIBLE,
    "按职责落实": ROLE_RESPONSIBLE, "按照职责落实": ROLE_RESPONSIBLE,
    "结合实际落实": ROLE_RESPONSIBLE, "抓好落实": ROLE_RESPONSIBLE, "组织实施": ROLE_RESPONSIBLE,
    "配合实施": ROLE_SUPPORTING, "协同配合": ROLE_SUPPORTING, "配合": ROLE_SUPPORTING,
    "协助": ROLE_SUPPORTING, "协同": ROLE_SUPPORTING, "参与": ROLE_SUPPORTING, "协办": ROLE_SUPPORTING,
    "支撑": ROLE_SUPPORTING,
}

_UNIT_WORDS = re.compile(r"单位|部门|责任主体")


def label_role(label: str) -> str:
    """Role named by a clause label such as 牵头单位, 配合部门, 支撑单位, 责任单位."""
    if any(word in label for word in SUPPORTING_WORDS):
        return ROLE_SUPPORTING
    if any(word in label for word in LEAD_WORDS):
        return ROLE_LEAD
    return ROLE_RESPONSIBLE


def header_role(header: str) -> str | None:
    """Role of a table column titled ``header``; None when the title names no units.

    '牵头单位' -> lead, '配合单位(协办)' -> supporting, '责任单位' -> responsible,
    '牵头' alone -> lead; '任务内容' -> None.
    """
    title = re.sub(r"\s+", "", header or "")
    if not title:
        return None
    if _UNIT_WORDS.search(title) or title in MARKER_ROLES:
        return label_role(title)
    return None
