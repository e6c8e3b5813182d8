"""The import plan: a JSON-able picture of what an import will create, which the wizard shows
and the admin corrects before anything is written.

Shape (``version`` 1)::

    {"title", "doc_number", "issuer", "issued_date": "YYYY-MM-DD" | None,
     "upstream": [{"title", "doc_number"}],
     "sections": [{"key", "number", "marker", "title", "level", "parent": key | None}],
     "measures": [{"key", "number", "path", "section": key | None, "title", "text",
                   "units": [{"name", "role"}],
                   "deadlines": [{"phrase", "date", "recurring", "kind", "start", "end"}],
                   "indicators": [{"name", "comparator", "value", "unit", "due", "phrase"}],
                   "ongoing", "dropped"}],
     "units": {name: {"department_id", "create_kind", "match", "suggestions": [{"id", "name", "score"}]}},
     "warnings": [str]}

Deadline ``start``/``end`` are offsets into the measure's ``text`` (the original wording), so
the preview can highlight each phrase where it stands.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterable
from typing import Any

from django.utils.translation import gettext as _

from documents.parsing import ParsedDocument, ParsedSection
from policytrack.bounds import date_message, in_window

PLAN_VERSION = 1
ROLES = ("lead", "responsible", "supporting")


def _iso(day: datetime.date | None) -> str | None:
    return day.isoformat() if day else None


def build_plan(parsed: ParsedDocument, text: str) -> dict[str, Any]:
    """Turn the parser's result into a plan; units are resolved later by ``resolve_units``."""
    sections, section_of = _flatten_sections(parsed.sections)
    measures = []
    for index, measure in enumerate(parsed.measures):
        start = measure.span[0] if measure.span else 0
        original = text[measure.span[0]: measure.span[1]] if measure.span else measure.text
        measures.append(
            {
                "key": f"m{index}",
                "number": measure.number,
                "path": list(measure.path),
                "section": section_of.get(measure.number) or _section_by_path(sections, measure.path),
                "title": measure.title,
                "text": original,
                "units": [{"name": unit.name, "role": unit.role} for unit in measure.units],
                "deadlines": [
                    {
                        "phrase": d.phrase,
                        "date": _iso(d.date),
                        "recurring": d.recurring,
                        "kind": d.kind,
                        "start": d.span[0] - start if d.span else None,
                        "end": d.span[1] - start if d.span else None,
                    }
                    for d in measure.deadlines
                ],
                "indicators": [
                    {
                        "name": ind.name,
                        "comparator": ind.comparator_code,
                        "value": str(ind.value) if ind.value is not None else None,
                        "unit": ind.unit,
                        "due": _iso(ind.due),
                        "phrase": ind.phrase,
                    }
                    for ind in measure.indicators
                ],
                "ongoing": measure.ongoing,
                "dropped": False,
            }
        )
    used = {m["section"] for m in measures}
    return {
        "version": PLAN_VERSION,
        "title": parsed.title or "",
        "doc_number": parsed.doc_number or "",
        "issuer": parsed.issuer or "",
        "issued_date": _iso(parsed.issued_date),
        "upstream": [{"title": u.title, "doc_number": u.doc_number} for u in parsed.upstream],
        "sections": _keep_used_sections(sections, used),
        "measures": measures,
        "units": {},
        "warnings": list(parsed.warnings),
    }


def _flatten_sections(roots: Iterable[ParsedSection]) -> tuple[list[dict], dict[str, str]]:
    """Headings that are not measures become sections; remember each measure's parent."""
    sections: list[dict] = []
    section_of: dict[str, str] = {}

    def walk(nodes: Iterable[ParsedSection], parent: str | None) -> None:
        for node in nodes:
            if node.is_measure:
                if parent is not None:
                    section_of.setdefault(node.number, parent)
                continue
            key = f"s{len(sections)}"
            sections.append(
                {
                    "key": key,
                    "number": node.number,
                    "marker": node.marker,
                    "title": node.title,
                    "heading": node.heading,
                    "level": node.level,
                    "parent": parent,
                }
            )
            walk(node.children, key)

    walk(roots, None)
    return sections, section_of


def _section_by_path(sections: list[dict], path: list[str]) -> str | None:
    if not path:
        return None
    for section in reversed(sections):
        if section["heading"] == path[-1]:
            return section["key"]
    return None


def _keep_used_sections(sections: list[dict], used: set[str | None]) -> list[dict]:
    """Keep the headings above at least one measure, so guiding principles do not clutter."""
    by_key = {s["key"]: s for s in sections}
    keep: set[str] = set()
    for key in used:
        while key is not None and key not in keep:
            keep.add(key)
            key = by_key[key]["parent"]
    return [s for s in sections if s["key"] in keep]


def live_measures(plan: dict) -> list[dict]:
    return [m for m in plan["measures"] if not m["dropped"]]


def unit_names(plan: dict) -> list[str]:
    """Every unit named by a measure that will be imported, in first-seen order."""
    names: dict[str, None] = {}
    for measure in live_measures(plan):
        for unit in measure["units"]:
            names.setdefault(unit["name"], None)
    return list(names)


def unresolved_units(plan: dict) -> list[str]:
    units = plan.get("units", {})
    return [
        name for name in unit_names(plan)
        if not (units.get(name, {}).get("department_id") or units.get(name, {}).get("create_kind"))
    ]


def problems(plan: dict) -> list[str]:
    """What stops the plan from being imported, in words an admin can act on."""
    errors = []
    if not plan.get("title", "").strip():
        errors.append(_("请填写文件标题。"))
    measures = live_measures(plan)
    if not measures:
        errors.append(_("没有可导入的措施。"))
    seen: set[str] = set()
    for measure in measures:
        if measure["number"] in seen:
            errors.append(_("措施编号“%(number)s”重复，请修改或删除其中一项。") % {"number": measure["number"]})
        seen.add(measure["number"])
        if not measure["title"].strip():
            errors.append(_("措施“%(number)s”缺少标题。") % {"number": measure["number"]})
        outside = date_outside_window([*measure["deadlines"], measure.get("deadline_override")])
        if outside:
            errors.append(_("措施“%(number)s”的时限“%(date)s”不可用：%(window)s请修改。")
                          % {"number": measure["number"], "date": outside, "window": date_message()})
    unknown = unresolved_units(plan)
    if unknown:
        errors.append(
            _("以下单位尚未对应到单位名录：%(names)s。请选择对应单位或新建。") % {"names": "、".join(unknown)}
        )
    return errors


# Phrases that give only an approximate time: the date shown for them is an estimate.
_APPROXIMATE = re.compile(r"上半年|下半年|年内|年底|年末|季度|上旬|中旬|下旬|初|左右|力争|适时|近期|尽快|逐步|择机|适当时候")
# Phrases that give no time at all but promise one: shown so the admin sets a date.
_VAGUE = re.compile(r"适时|近期|尽快|择机|适当时候|逐步")
COMPARATOR_SYMBOLS = {"gt": ">", "gte": "≥", "eq": "=", "lte": "≤", "lt": "<"}


def date_outside_window(deadlines: Iterable[dict]) -> str | None:
    """The first dated phrase outside the window of sane deadlines (policytrack.bounds), if any:
    such a date would break every calendar and date sum it reaches."""
    for deadline in deadlines:
        if deadline and deadline.get("date") and not in_window(datetime.date.fromisoformat(deadline["date"][:10])):
            return deadline["phrase"] or deadline["date"]
    return None


def deadline_fields(measure: dict) -> dict[str, Any]:
    """The measure's deadline, its milestones and recurrence, from its time phrases: the
    latest dated phrase is the deadline (unless the admin set one), earlier ones are milestones."""
    dated = sorted(
        (d for d in measure["deadlines"] if d["date"] and d["kind"] == "date"), key=lambda d: d["date"]
    )
    recurring = next((d for d in measure["deadlines"] if d["recurring"]), None)
    final = measure.get("deadline_override") or (dated[-1] if dated else None)
    earlier = [d for d in dated if final and final.get("date") and d["date"] < final["date"]]
    if final:
        deadline_text = final["phrase"]
    else:
        deadline_text = recurring["phrase"] if recurring else ""
    vague = _VAGUE.search(measure.get("text") or "")
    return {
        "deadline": datetime.date.fromisoformat(final["date"]) if final and final.get("date") else None,
        "deadline_text": deadline_text,
        # 下半年 / 年内: the date is the last day the phrase can mean, not one the text names.
        "approximate": bool(final and not measure.get("deadline_override") and _APPROXIMATE.search(deadline_text)),
        "vague_phrase": vague.group(0) if vague and not final else "",
        "recurrence": recurring["recurring"] if recurring else "",
        "is_ongoing": bool(measure["ongoing"]),
        "milestones": [
            (clause_around(measure["text"], d), datetime.date.fromisoformat(d["date"]), d["phrase"])
            for d in earlier
        ],
    }


def clause_around(text: str, deadline: dict, limit: int = 120) -> str:
    """The clause of ``text`` that holds a deadline phrase: a readable milestone title."""
    start, end = deadline.get("start"), deadline.get("end")
    if start is None or end is None or not 0 <= start <= end <= len(text):
        return deadline["phrase"]
    left = max((text.rfind(ch, 0, start) for ch in "。;;\n"), default=-1) + 1
    rights = [i for i in (text.find(ch, end) for ch in "。;;\n,,") if i != -1]
    right = min(rights) if rights else len(text)
    clause = text[left:right].strip(" ,,、")
    return clause[:limit] or deadline["phrase"]


def find_measure(plan: dict, key: str) -> dict | None:
    return next((m for m in plan["measures"] if m["key"] == key), None)


def set_metadata(plan: dict, *, title: str, doc_number: str, issuer: str, issued_date: datetime.date | None,
                 **group) -> None:
    """The document's metadata as the admin corrected it; ``group`` (a LeadingGroup or None), when
    given, is the leading group the document will belong to."""
    plan.update(title=title, doc_number=doc_number, issuer=issuer, issued_date=_iso(issued_date))
    if "group" in group:
        set_group(plan, group["group"])


def set_group(plan: dict, group) -> None:
    """Give the document to leading group ``group`` (None: the general office). A plan that never
    names a group keeps the group a re-imported document already has."""
    plan["group_id"] = group.pk if group is not None else None


def update_measure(
    measure: dict,
    *,
    number: str,
    title: str,
    deadline: datetime.date | None,
    deadline_text: str,
    ongoing: bool,
    units: list[tuple[str, str]],
    indicators: list[dict] | None = None,
) -> None:
    """Apply the admin's corrections to one measure of the plan (``indicators``: the kept and
    corrected ones, each {name, comparator, value, unit}; None leaves them as they are)."""
    measure.update(number=number, title=title, ongoing=ongoing, units=[{"name": n, "role": r} for n, r in units])
    if indicators is not None:
        previous = {ind["name"]: ind for ind in measure.get("indicators", [])}
        measure["indicators"] = [
            {**previous.get(ind["name"], {"due": None, "phrase": ""}), **ind,
             "value": str(ind["value"]) if ind.get("value") is not None else None}
            for ind in indicators
        ]
    # Once edited, the admin's deadline rules, including none at all.
    measure["deadline_override"] = {
        "date": deadline.isoformat() if deadline else None,
        "phrase": deadline_text or (deadline.isoformat() if deadline else ""),
    }


def set_dropped(measure: dict, dropped: bool) -> None:
    measure["dropped"] = dropped
