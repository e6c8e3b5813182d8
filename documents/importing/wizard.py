"""Steps of the import wizard that are not about HTTP: start a run, and what its preview shows."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from departments.models import Department, LeadingGroup
from documents.choices import Recurrence
from documents.importing import plan as plans
from documents.importing.units import resolve_units
from documents.importing.write import find_existing
from documents.models import DocumentImport
from documents.parsing import parse_document


def parse_time_limit_message() -> str:
    """What the wizard and the parse API say when a parse ran past its time budget."""
    return _(
        "识别超过 %(seconds)s 秒仍未完成，已停止，未保存任何内容。请删去网页导航、附表等无关内容，"
        "或将文件分成几部分分别导入。"
    ) % {"seconds": settings.DOCUMENT_PARSE_TIME_LIMIT}


def start_import(text: str, source_name: str, user) -> DocumentImport:
    """Parse ``text`` and keep the plan for the admin to check; nothing else is written.

    The parse runs under ``DOCUMENT_PARSE_TIME_LIMIT``: past it, ``ParseTimeLimitExceeded``
    is raised before anything is saved.
    """
    parsed = parse_document(text, source=source_name or None, time_limit=settings.DOCUMENT_PARSE_TIME_LIMIT)
    plan = resolve_units(plans.build_plan(parsed, text))
    return DocumentImport.objects.create(source_name=source_name, source_text=text, plan=plan, created_by=user)


@dataclass(frozen=True)
class Segment:
    """A piece of a measure's text; ``deadline`` is set where a time phrase stands."""

    text: str
    deadline: dict | None = None


def segments(measure: dict) -> list[Segment]:
    """Split the measure text around its deadline phrases so the preview can highlight them."""
    text, pieces, position = measure["text"], [], 0
    spans = sorted(
        (d for d in measure["deadlines"] if d.get("start") is not None and d.get("end") is not None),
        key=lambda d: d["start"],
    )
    for deadline in spans:
        start, end = deadline["start"], deadline["end"]
        if start < position or end > len(text):
            continue
        if start > position:
            pieces.append(Segment(text[position:start]))
        pieces.append(Segment(text[start:end], deadline))
        position = end
    if position < len(text):
        pieces.append(Segment(text[position:]))
    return pieces


def preview_context(run: DocumentImport, today: datetime.date | None = None) -> dict:
    """What the preview shows; a deadline before ``today`` is flagged (it would be red at once)."""
    today = today or timezone.localdate()
    plan = run.plan
    existing = find_existing(plan, run.source_text) if run.status == "draft" else run.document
    sections = {s["key"]: s for s in plan["sections"]}
    rows = []
    for measure in plan["measures"]:
        fields = plans.deadline_fields(measure)
        heading = sections.get(measure["section"])
        rows.append(
            {
                "measure": measure,
                "path": " › ".join(measure["path"]) if measure["path"] else (heading or {}).get("heading", ""),
                "segments": segments(measure),
                "units": [{**u, **plan["units"].get(u["name"], {})} for u in measure["units"]],
                "fields": fields,
                "past_deadline": bool(fields["deadline"] and fields["deadline"] < today),
                "indicators": [
                    {**ind, "symbol": plans.COMPARATOR_SYMBOLS.get(ind["comparator"], ind["comparator"])}
                    for ind in measure.get("indicators", [])
                ],
                "recurrence_label": Recurrence(fields["recurrence"]).label if fields["recurrence"] else "",
            }
        )
    unresolved = plans.unresolved_units(plan)
    past = [row["measure"]["number"] for row in rows if row["past_deadline"] and not row["measure"]["dropped"]]
    return {
        "past_deadlines": past,
        "run": run,
        "plan": plan,
        "rows": rows,
        "unresolved": [{"name": n, **plan["units"].get(n, {})} for n in unresolved],
        "groups": [
            {"name": name, **unit} for name, unit in plan["units"].items()
            if unit.get("group") and name in set(plans.unit_names(plan))
        ],
        "problems": plans.problems(plan),
        "existing": existing,
        "departments": Department.objects.active().only("id", "name", "short_name"),
        "live_count": len(plans.live_measures(plan)),
        "leading_groups": LeadingGroup.objects.filter(is_active=True).only("id", "name"),
        # the group chosen in this run, else the one a re-imported document keeps
        "group_id": plan["group_id"] if "group_id" in plan else getattr(existing, "group_id", None),
    }
