"""The dashboard's filters (document, department kind, leading group, period, sort), the work
and the work they scope."""


from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any, cast

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from departments.choices import DepartmentKind
from departments.models import LeadingGroup
from documents.models import PolicyDocument
from tasks.dashboard.presentation import DEPARTMENT_SORTS
from tasks.dashboard.windows import Window, parse_period
from tasks.models import Assignment

# --- filters -------------------------------------------------------------------------------------


class DashboardFilterForm(forms.Form):
    """The dashboard's (and its API's and bulletins') filters: document, department kind, period."""

    document = forms.ModelChoiceField(
        label=gettext_lazy("政策文件"), queryset=PolicyDocument.objects.none(), required=False,
        error_messages={"invalid_choice": gettext_lazy("所选政策文件不存在或您无权查看。")},
    )
    department_kind = forms.ChoiceField(
        label=gettext_lazy("单位类型"), choices=[("", gettext_lazy("全部类型")), *DepartmentKind.choices],
        required=False,
        error_messages={"invalid_choice": gettext_lazy("单位类型“%(value)s”不存在。")},
    )
    period = forms.CharField(label=gettext_lazy("期间"), required=False, max_length=10)
    sort = forms.CharField(required=False)
    group = forms.ModelChoiceField(
        label=gettext_lazy("领导小组"), queryset=LeadingGroup.objects.none(), required=False,
        error_messages={"invalid_choice": gettext_lazy("所选领导小组不存在或您无权查看。")},
    )

    def __init__(self, data, *, user, today: datetime.date) -> None:
        super().__init__(data)
        self.today = today
        visible = PolicyDocument.objects.visible_to(user)
        # a choice list: the documents' texts stay in the database
        cast(forms.ModelChoiceField, self.fields["document"]).queryset = (
            visible.only("id", "title", "doc_number", "issued_date").order_by("-issued_date", "-id")
        )
        groups = LeadingGroup.objects.filter(pk__in=visible.values("group_id"))
        cast(forms.ModelChoiceField, self.fields["group"]).queryset = groups

    def clean_period(self) -> Window:
        try:
            return parse_period(self.cleaned_data["period"], self.today)
        except ValueError as exc:
            raise forms.ValidationError(str(exc)) from exc

    def clean_sort(self) -> str:
        value = self.cleaned_data["sort"] or "rank"
        if value.lstrip("-") not in DEPARTMENT_SORTS:
            raise forms.ValidationError(
                _("无法按“%(value)s”排序，可选：%(keys)s。") % {"value": value, "keys": "、".join(DEPARTMENT_SORTS)}
            )
        return value


@dataclass(frozen=True)
class Filters:
    window: Window
    document: PolicyDocument | None = None
    department_kind: str = ""
    sort: str = "rank"
    group: LeadingGroup | None = None

    def query(self) -> dict[str, str]:
        """The list filters these dashboard filters stand for."""
        query = {}
        if self.document is not None:
            query["document"] = str(self.document.pk)
        if self.group is not None:
            query["group"] = str(self.group.pk)
        if self.department_kind:
            query["department_kind"] = self.department_kind
        return query

    def as_json(self) -> dict[str, Any]:
        return {
            "document": self.document.pk if self.document else None,
            "group": self.group.pk if self.group else None,
            "department_kind": self.department_kind or None,
            "period": self.window.key,
            "period_start": self.window.start.isoformat(),
            "period_end": self.window.end.isoformat(),
            "sort": self.sort,
        }


def read_filters(data, user, today: datetime.date) -> tuple[Filters | None, DashboardFilterForm]:
    """Filters from a query string; None (and the form with its errors) when they are invalid."""
    form = DashboardFilterForm(data, user=user, today=today)
    if not form.is_valid():
        return None, form
    cleaned = form.cleaned_data
    return Filters(cleaned["period"], cleaned["document"], cleaned["department_kind"], cleaned["sort"],
                   group=cleaned.get("group")), form


def scoped(user, filters: Filters) -> QuerySet[Assignment]:
    """The assignments every number counts: what ``user`` may see, narrowed by the filters."""
    queryset = Assignment.objects.visible_to(user)
    if filters.document is not None:
        queryset = queryset.filter(measure__document=filters.document)
    if filters.group is not None:
        queryset = queryset.filter(measure__document__group=filters.group)
    if filters.department_kind:
        queryset = queryset.filter(department__kind=filters.department_kind)
    return queryset
