"""Filters of assignment lists, shared by the pages and the API."""

from __future__ import annotations

import datetime

import django_filters
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from departments.models import Department
from documents.models import PolicyDocument
from tasks.choices import AssignmentRole, AssignmentStatus
from tasks.models import Assignment
from tasks.status import Light


def _documents(request):
    if request is None:
        return PolicyDocument.objects.none()
    visible = Assignment.objects.visible_to(request.user).values("measure__document_id")
    return PolicyDocument.objects.filter(pk__in=visible)


class AssignmentFilterSet(django_filters.FilterSet):
    """Expects a queryset annotated by ``tasks.status.with_lights`` (for ``light`` and ``due``)."""

    q = django_filters.CharFilter(label=_("搜索"), method="search")
    document = django_filters.ModelChoiceFilter(
        label=_("政策文件"), field_name="measure__document", queryset=_documents
    )
    department = django_filters.ModelChoiceFilter(label=_("单位"), queryset=Department.objects.all())
    role = django_filters.ChoiceFilter(label=_("角色"), choices=AssignmentRole.choices)
    status = django_filters.ChoiceFilter(label=_("状态"), choices=AssignmentStatus.choices)
    light = django_filters.ChoiceFilter(label=_("亮灯"), choices=Light.choices)
    due_within = django_filters.NumberFilter(label=_("N天内到期"), method="filter_due_within", min_value=0)
    o = django_filters.OrderingFilter(
        label=_("排序"),
        fields=(("due", "due"), ("measure__number", "number"), ("percent", "percent"), ("created_at", "created")),
        field_labels={
            "due": _("完成时限"), "measure__number": _("编号"), "percent": _("进度"), "created_at": _("分配时间"),
        },
    )

    class Meta:
        model = Assignment
        fields = ["q", "document", "department", "role", "status", "light", "due_within"]

    def search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(measure__title__icontains=value)
            | Q(measure__content__icontains=value)
            | Q(measure__number=value)
            | Q(measure__document__title__icontains=value)
            | Q(department__name__icontains=value)
            | Q(department__short_name__icontains=value)
        )

    def filter_due_within(self, queryset, name, value):
        today = timezone.localdate()
        return queryset.filter(due__gte=today, due__lte=today + datetime.timedelta(days=int(value))).exclude(
            status=AssignmentStatus.CLOSED
        )
