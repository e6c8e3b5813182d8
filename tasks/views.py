"""Pages of the tasks app: my tasks, one assignment, the review queue and the dashboard."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.db.models import OuterRef, Q, Subquery
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import ListView, TemplateView

from departments.permissions import RoleRequiredMixin, is_admin, is_department_user, is_office, reads_dashboards
from departments.roles import get_roles
from documents.choices import ImportStatus
from documents.importing.write import PlanError
from documents.models import DocumentImport, PolicyDocument
from tasks import dashboard
from tasks.choices import ReportStatus
from tasks.imports import import_plan
from tasks.models import Assignment, ProgressReport
from tasks.status import days_left, traffic_light


def with_light(assignments, today):
    for assignment in assignments:
        assignment.light = traffic_light(assignment, today)
        assignment.days_left = days_left(assignment, today)
    return assignments


class MyTasksView(RoleRequiredMixin, ListView):
    """我的任务: every assignment of the user's departments, across all documents."""

    role_check = staticmethod(is_department_user)
    template_name = "tasks/my_tasks.html"
    paginate_by = 25

    def get_queryset(self):
        latest = ProgressReport.objects.filter(assignment=OuterRef("pk")).order_by("-period_start", "-id")
        queryset = (
            Assignment.objects.visible_to(self.request.user)
            .filter(department_id__in=get_roles(self.request.user).department_ids)
            .select_related("measure__document", "department")
            .annotate(
                last_report_status=Subquery(latest.values("status")[:1]),
                last_report_at=Subquery(latest.values("updated_at")[:1]),
            )
        )
        if query := self.request.GET.get("q", "").strip():
            queryset = queryset.filter(
                Q(measure__title__icontains=query) | Q(measure__content__icontains=query)
                | Q(measure__number=query) | Q(measure__document__title__icontains=query)
            )
        if document := self.request.GET.get("document", "").strip():
            queryset = queryset.filter(measure__document_id=document if document.isdigit() else 0)
        return queryset.order_by("measure__deadline", "measure__document_id", "measure__order")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        labels = dict(ReportStatus.choices)
        for assignment in with_light(context["object_list"], timezone.localdate()):
            assignment.last_report_label = labels.get(assignment.last_report_status)
        context["documents"] = PolicyDocument.objects.filter(
            measures__assignments__in=self.get_queryset().values("pk")
        ).distinct()
        return context


class AssignmentDetailView(RoleRequiredMixin, TemplateView):
    """One assignment: the measure, every department on it, and the report history."""

    role_check = staticmethod(lambda roles: bool(roles.roles))
    template_name = "tasks/assignment_detail.html"

    def get_context_data(self, **kwargs):
        assignment = get_object_or_404(
            Assignment.objects.visible_to(self.request.user).select_related(
                "measure__document", "measure__section", "department"
            ),
            pk=kwargs["pk"],
        )
        today = timezone.localdate()
        with_light([assignment], today)
        siblings = with_light(
            list(assignment.measure.assignments.select_related("department").order_by("role", "department__name")),
            today,
        )
        reports = (
            ProgressReport.objects.visible_to(self.request.user)
            .filter(assignment=assignment)
            .select_related("created_by", "reviewed_by")
        )
        return super().get_context_data(assignment=assignment, siblings=siblings, reports=reports, **kwargs)


class ReviewQueueView(RoleRequiredMixin, ListView):
    """审核: reports waiting for the office, oldest first."""

    role_check = staticmethod(is_office)
    template_name = "tasks/review_queue.html"
    paginate_by = 25

    def get_queryset(self):
        return (
            ProgressReport.objects.visible_to(self.request.user)
            .filter(status__in=[ReportStatus.SUBMITTED, ReportStatus.LEADER_APPROVED])
            .select_related("assignment__measure__document", "assignment__department", "submitted_by")
            .order_by("submitted_at", "id")
        )


class DashboardView(RoleRequiredMixin, TemplateView):
    """仪表盘: the whole picture for the office and leadership."""

    role_check = staticmethod(reads_dashboards)
    template_name = "tasks/dashboard.html"

    def get_context_data(self, **kwargs):
        assignments = Assignment.objects.visible_to(self.request.user)
        today = timezone.localdate()
        return super().get_context_data(
            summary=dashboard.summary(assignments, today),
            documents=dashboard.document_progress(assignments),
            today=today,
            yellow_days=settings.TRAFFIC_LIGHT_YELLOW_DAYS,
            **kwargs,
        )


class ImportConfirmView(RoleRequiredMixin, View):
    """The wizard's last step: write the checked plan, with its assignments, in one transaction."""

    role_check = staticmethod(is_admin)

    def post(self, request, pk):
        run = get_object_or_404(DocumentImport, pk=pk, status=ImportStatus.DRAFT)
        try:
            result = import_plan(run.plan, run.source_text, request.user, run)
        except PlanError as exc:
            for problem in exc.messages:
                messages.error(request, problem)
            return redirect("documents:import-preview", pk=pk)
        verb = _("已更新") if result.updated else _("已导入")
        messages.success(
            request,
            _("%(verb)s《%(title)s》:新建措施 %(created)d 项,更新 %(updated)d 项,新建任务分工 %(assignments)d 项。")
            % {
                "verb": verb, "title": result.document.title, "created": result.measures_created,
                "updated": result.measures_updated, "assignments": result.assignments_created,
            },
        )
        return redirect("documents:detail", pk=result.document.pk)
