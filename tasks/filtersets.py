"""Filters of assignment lists, shared by the pages and the API, and those of the list behind the
dashboard's numbers."""

from __future__ import annotations

import datetime

import django_filters
from django.db.models import Exists, OuterRef, Q, Subquery
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from departments.choices import DepartmentKind
from departments.models import Department, LeadingGroup
from documents.models import PolicyDocument
from policytrack.filters import DaysFilter, IdChoiceFilter, WindowDateFilter
from tasks.choices import AssignmentRole, AssignmentStatus, ReportStatus
from tasks.dashboard.counting import ACKNOWLEDGED_Q, STATES, any_of, assessed_q, state_q
from tasks.dashboard.windows import expected_periods, parse_period, start_of_day_after
from tasks.models import Assignment, ProgressReport
from tasks.workflow.status import Light


def _documents(request):
    if request is None:
        return PolicyDocument.objects.none()
    visible = Assignment.objects.visible_to(request.user).values("measure__document_id")
    # what the option's label needs: never a document's whole text, for every page of the list
    return PolicyDocument.objects.filter(pk__in=visible).only("pk", "title", "doc_number")


class ChineseOrderingFilter(django_filters.OrderingFilter):
    """Sort choices named in Chinese both ways (django-filter appends "(descending)")."""

    def build_choices(self, fields, labels):
        choices = []
        for field, param in fields.items():
            label = labels.get(field, param)
            choices.append((param, _("%(field)s（升序）") % {"field": label}))
            choices.append((f"-{param}", _("%(field)s（降序）") % {"field": label}))
        return choices


def latest_report_status():
    """The status of an assignment's latest report (by period), as a subquery."""
    latest = ProgressReport.objects.filter(assignment=OuterRef("pk")).order_by("-period_start", "-id")
    return Subquery(latest.values("status")[:1])


def _groups(request):
    """The leading groups of the documents the user has work on or oversees."""
    if request is None:
        return LeadingGroup.objects.none()
    return LeadingGroup.objects.filter(pk__in=_documents(request).values("group_id"))


class AssignmentFilterSet(django_filters.FilterSet):
    """Expects a queryset annotated by ``tasks.workflow.status.with_lights`` (for ``light`` and ``due``)."""

    q = django_filters.CharFilter(label=_("搜索"), method="search")
    document = IdChoiceFilter(label=_("政策文件"), field_name="measure__document", queryset=_documents)
    group = IdChoiceFilter(label=_("领导小组"), field_name="measure__document__group", queryset=_groups)
    department = IdChoiceFilter(label=_("单位"), queryset=Department.objects.all())
    role = django_filters.ChoiceFilter(label=_("角色"), choices=AssignmentRole.choices)
    status = django_filters.ChoiceFilter(label=_("状态"), choices=AssignmentStatus.choices)
    light = django_filters.ChoiceFilter(label=_("亮灯"), choices=Light.choices)
    due_within = DaysFilter(label=_("N天内到期"), method="filter_due_within")
    returned = django_filters.BooleanFilter(label=_("被退回"), method="filter_returned")
    o = ChineseOrderingFilter(
        label=_("排序"), empty_label=_("按紧急程度"),
        fields=(("due", "due"), ("measure__number", "number"), ("percent", "percent"), ("created_at", "created")),
        field_labels={
            "due": _("完成时限"), "measure__number": _("编号"), "percent": _("进度"), "created_at": _("分配时间"),
        },
    )

    class Meta:
        model = Assignment
        fields = ["q", "document", "group", "department", "role", "status", "light", "due_within", "returned"]

    def filter_returned(self, queryset, name, value):
        """Assignments whose latest report was returned (by the leader or the office), or not."""
        queryset = queryset.alias(latest_report=latest_report_status())
        if value:
            return queryset.filter(latest_report=ReportStatus.RETURNED)
        return queryset.exclude(latest_report=ReportStatus.RETURNED)

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


class DashboardAssignmentFilterSet(AssignmentFilterSet):
    """AssignmentFilterSet (the task list's filters) plus those the dashboard links use. Expects a
    queryset annotated by ``tasks.workflow.status.with_lights`` and ``counting.with_closed_on``."""

    department_kind = django_filters.ChoiceFilter(
        label=_("单位类型"), field_name="department__kind", choices=DepartmentKind.choices
    )
    state = django_filters.ChoiceFilter(label=_("状态分类"), choices=STATES, method="filter_state")
    acknowledged = django_filters.BooleanFilter(label=_("已签收"), method="filter_acknowledged")
    assessed = django_filters.BooleanFilter(label=_("已办结或已过时限"), method="filter_assessed")
    due_from = WindowDateFilter(label=_("时限不早于"), field_name="due", lookup_expr="gte")
    due_to = WindowDateFilter(label=_("时限不晚于"), field_name="due", lookup_expr="lte")
    closed_to = WindowDateFilter(label=_("办结不晚于"), method="filter_closed_to")
    reporting = django_filters.CharFilter(label=_("应报告期间"), method="filter_reporting")
    report = django_filters.ChoiceFilter(
        label=_("报告情况"),
        choices=(("missing", _("有缺报")), ("received", _("已报送"))),
        method="filter_report",
    )

    class Meta(AssignmentFilterSet.Meta):
        fields = [*AssignmentFilterSet.Meta.fields, "department_kind", "state", "acknowledged", "assessed",
                  "due_from", "due_to", "closed_to", "reporting", "report"]

    def __init__(self, *args, today: datetime.date | None = None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.today = today or timezone.localdate()

    def filter_state(self, queryset, name, value):
        return queryset.filter(state_q(value, self.today))

    def filter_acknowledged(self, queryset, name, value):
        return queryset.filter(ACKNOWLEDGED_Q) if value else queryset.exclude(ACKNOWLEDGED_Q)

    def filter_assessed(self, queryset, name, value):
        return queryset.filter(assessed_q(self.today)) if value else queryset.exclude(assessed_q(self.today))

    def filter_closed_to(self, queryset, name, value):
        return queryset.filter(status=AssignmentStatus.CLOSED, closed_at__lt=start_of_day_after(value))

    def filter_reporting(self, queryset, name, value):
        expected = expected_periods(parse_period(value, self.today))  # checked in is_valid
        report_choice = self.form.cleaned_data.get("report")
        terms = []
        for item in expected:
            term = item.eligible()
            if report_choice:
                sent = Exists(ProgressReport.objects.filter(assignment=OuterRef("pk"), period_start=item.period.start)
                              .exclude(status=ReportStatus.DRAFT))
                term &= Q(sent) if report_choice == "received" else ~Q(sent)
            terms.append(term)
        return queryset.filter(any_of(terms))

    def filter_report(self, queryset, name, value):
        """Applied by ``filter_reporting``, which knows the period (``is_valid`` demands one)."""
        return queryset

    def clean_reporting_value(self) -> None:
        """Check ``reporting`` up front so that a bad period is a form error, not an empty list."""
        value = self.form.cleaned_data.get("reporting")
        if value:
            try:
                parse_period(value, self.today)
            except ValueError as exc:
                self.form.add_error("reporting", str(exc))

    def is_valid(self) -> bool:
        if not super().is_valid():
            return False
        self.clean_reporting_value()
        if self.form.cleaned_data.get("report") and not self.form.cleaned_data.get("reporting"):
            self.form.add_error("report", _("“报告情况”需要同时指定应报告期间（reporting）。"))
        return not self.form.errors
