"""Pages of the tasks app: my tasks, one assignment and its actions, the review queues, the
dashboard and evidence downloads. Views only look objects up (tasks.workflow.access) and call the
service functions (tasks.workflow.reports)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count, OuterRef, Prefetch, Q, Subquery, prefetch_related_objects
from django.http import FileResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import ListView, TemplateView

from departments.permissions import RoleRequiredMixin, is_admin, is_department_user, is_leader, is_office
from departments.roles import get_roles
from documents.choices import ImportStatus
from documents.importing.write import PlanError
from documents.models import DocumentImport
from policytrack.bounds import DAYS_MAX
from policytrack.filters import model_choices
from policytrack.htmx import htmx_partial
from tasks.choices import AssignmentStatus, ExtensionStatus, ReportStatus
from tasks.filtersets import AssignmentFilterSet, latest_report_status
from tasks.models import Assignment, ExtensionRequest, ProgressReport
from tasks.workflow import reports, uploads
from tasks.workflow.access import (
    get_assignment_for_user,
    get_attachment_for_user,
    get_extension_for_user,
    get_report_for_user,
    get_urge_for_user,
)
from tasks.workflow.filter_memory import remembered
from tasks.workflow.forms import (
    URGE_PRESETS,
    BulkAcceptForm,
    BulkUrgeForm,
    DecisionForm,
    ExtensionDecisionForm,
    ExtensionRequestForm,
    ReplyForm,
    ReportForm,
    UrgeForm,
)
from tasks.workflow.imports import import_plan
from tasks.workflow.queues import leader_queue, note_count, office_queue, office_queue_count
from tasks.workflow.status import (
    MEASURE_STATUS_RULE,
    Light,
    assignments_with_lights,
    days_left,
    describe_rows,
    measure_status,
)


def is_anyone_with_a_role(roles) -> bool:
    return bool(roles.roles)


def next_or(request, default: str) -> str:
    """The ``next`` the form carried when it points inside this site, else ``default``."""
    candidate = request.POST.get("next", "")
    allowed = url_has_allowed_host_and_scheme(candidate, {request.get_host()}, require_https=request.is_secure())
    return candidate if candidate and allowed else default


def form_errors(form) -> str:
    return ";".join(str(e) for errors in form.errors.values() for e in errors)


class MyTasksView(RoleRequiredMixin, ListView):
    """我的任务: every assignment of the user's departments, with lights, filters and counts."""

    role_check = staticmethod(is_department_user)
    template_name = "tasks/my_tasks.html"
    paginate_by = 25

    def get_template_names(self):
        return ["tasks/_task_table.html"] if htmx_partial(self.request) else [self.template_name]

    @cached_property
    def base_queryset(self):
        """The user's departments' work with lights and the latest report, built once per request:
        the list, its filters and the counts all start from it (building the lights' expressions
        costs more than running the query)."""
        today = timezone.localdate()
        latest = ProgressReport.objects.filter(assignment=OuterRef("pk")).order_by("-period_start", "-id")
        return assignments_with_lights(today).visible_to(self.request.user).filter(
            department_id__in=get_roles(self.request.user).department_ids
        ).annotate(
            last_report_status=latest_report_status(),
            last_report_at=Subquery(latest.values("updated_at")[:1]),
        )

    def get_queryset(self):
        self.filterset = AssignmentFilterSet(self.request.GET, queryset=self.base_queryset, request=self.request)
        if not self.filterset.is_valid():
            return Assignment.objects.none()
        # the row shows titles: never a measure's or a document's whole text
        queryset = self.filterset.qs.select_related("measure__document__group", "department").defer(
            "measure__content", "measure__document__source_text")
        if self.request.GET.get("o"):
            return queryset
        return queryset.by_urgency()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        today = timezone.localdate()
        describe_rows(context["object_list"], today)
        counts = self.base_queryset.order_by().aggregate(  # one query for the buttons above the list
            pending=Count("id", filter=Q(status=AssignmentStatus.PENDING)),
            returned=Count("id", filter=Q(last_report_status=ReportStatus.RETURNED)),
            **{light.value: Count("id", filter=Q(light=light.value)) for light in Light},
        )
        context.update(
            filterset=self.filterset,
            days_max=DAYS_MAX,
            remembered_query=remembered(self.request, "my-tasks"),
            light_counts=[(light, counts[light.value]) for light in Light],
            pending_count=counts["pending"],
            returned_count=counts["returned"],
            document_choices=model_choices(self.filterset.form.fields["document"]),
            group_choices=model_choices(self.filterset.form.fields["group"]),  # the template both counts and lists them
        )
        return context


class AssignmentDetailView(RoleRequiredMixin, TemplateView):
    """One assignment: the measure, every department on it, reports, urges, extensions, history."""

    role_check = staticmethod(is_anyone_with_a_role)
    template_name = "tasks/assignment_detail.html"

    def get_context_data(self, **kwargs):
        user, today = self.request.user, timezone.localdate()
        bound_form = kwargs.pop("report_form", None)
        assignment = get_assignment_for_user(user, kwargs["pk"], lights_on=today)
        prefetch_related_objects([assignment.measure], "indicators")  # read by the page and by the form
        siblings = list(assignments_with_lights(today).filter(measure_id=assignment.measure_id)
                        .select_related("department", "measure").defer("measure__content").order_by("role"))
        visible = ProgressReport.objects.visible_to(user)
        history = (
            visible.filter(assignment=assignment)
            .select_related("created_by", "submitted_by", "reviewed_by", "leader_approved_by", "assignment__department")
            .prefetch_related("attachments", "indicator_values__indicator",
                              Prefetch("folded_reports", queryset=visible.select_related("assignment__department")))
        )
        period = reports.current_period(assignment, today)
        current = next((r for r in history if r.period_start == period.start), None)
        roles = get_roles(user)
        for report in history:
            if roles.is_office and reports.awaiting_office(report):
                setattr(report, "decide", "office")  # noqa: B010 - read by the template, not a model field
            elif reports.leads(user, assignment) and reports.awaiting_leader(report):
                setattr(report, "decide", "leader")  # noqa: B010 - read by the template, not a model field
        can_report = reports.works_on(user, assignment) and assignment.status != AssignmentStatus.CLOSED and (
            current is None or current.status in reports.EDITABLE
        )
        waiting = current is not None and current.status in reports.WAITING_FOR_OFFICE
        context = {
            "reported_percent": (current.percent if current is not None and waiting and current.percent != assignment.percent
                                 else None),
            "assignment": assignment,
            "measure": assignment.measure,
            "siblings": siblings,
            "measure_status": measure_status(siblings, today),
            "measure_status_rule": MEASURE_STATUS_RULE,
            "reports": history,
            "period": period,
            "current": current,
            "days_left": days_left(assignment.due, today),
            "milestones": assignment.measure.milestones.all(),
            "indicators": assignment.measure.indicators.all(),
            "urges": assignment.urges.select_related("sent_by", "replied_by"),
            "extensions": assignment.extension_requests.select_related("requested_by", "decided_by"),
            "changes": assignment.history.select_related("history_user")[:20],
            "roles": roles,
            "works_here": reports.works_on(user, assignment),
            "leads_here": reports.leads(user, assignment),
        }
        if can_report:
            context["report_form"] = bound_form or self.report_form(assignment, period, current)
        return super().get_context_data(**context, **kwargs)

    @staticmethod
    def report_form(assignment, period, current, data=None, files=None):
        foldable = reports.foldable_reports(assignment, period)
        initial = {}
        if current is not None:
            initial = {"text": current.text, "percent": current.percent,
                       "folded": [str(pk) for pk in current.folded_reports.values_list("pk", flat=True)]}
            initial.update({f"indicator_{v.indicator_id}": v.value for v in current.indicator_values.all()})
        else:
            initial = {"percent": assignment.percent}
        return ReportForm(data, files, initial=initial, indicators=assignment.measure.indicators.all(), foldable=foldable)

    def post(self, request, pk):
        """Save the current period's report as a draft, or submit it."""
        assignment = get_assignment_for_user(request.user, pk)
        period = reports.current_period(assignment)
        current = ProgressReport.objects.filter(assignment=assignment, period_start=period.start).first()
        form = self.report_form(assignment, period, current, request.POST, request.FILES)
        if not form.is_valid():
            messages.error(request, _("报告未保存，请更正标出的错误。"))
            return self.render_to_response(self.get_context_data(pk=pk, report_form=form), status=400)
        submit = "submit" in request.POST
        try:
            with service_errors(request):
                report = reports.save_report(assignment, request.user, form.to_input(), submit=submit)
                messages.success(request, reports.destination(report) if submit else _("草稿已保存。"))
        except uploads.EvidenceStoreUnavailable as error:
            # Nothing was saved: show the form again with what was typed (files must be chosen again).
            messages.error(request, str(error))
            return self.render_to_response(self.get_context_data(pk=pk, report_form=form), status=503)
        return redirect("tasks:assignment", pk=pk)


class service_errors:  # noqa: N801 - used as a context manager, reads like a statement
    """Turn a refused or conflicting action into a message on the next page instead of a 500."""

    def __init__(self, request):
        self.request = request

    def __enter__(self):
        return self

    def __exit__(self, kind, error, traceback):
        if isinstance(error, reports.ConflictError):
            messages.warning(self.request, str(error))
            return True
        if isinstance(error, ValidationError):
            messages.error(self.request, ";".join(error.messages))
            return True
        return False


class AssignmentActionView(RoleRequiredMixin, View):
    """Base of the small POST-only actions on one assignment; they redirect back to it."""

    role_check = staticmethod(is_anyone_with_a_role)

    def post(self, request, pk):
        assignment = get_assignment_for_user(request.user, pk)
        with service_errors(request):
            self.act(request, assignment)
        return redirect(next_or(request, reverse("tasks:assignment", args=[pk])))

    def act(self, request, assignment):  # pragma: no cover - abstract
        raise NotImplementedError


class AcknowledgeView(AssignmentActionView):
    def act(self, request, assignment):
        reports.acknowledge(assignment, request.user)
        messages.success(request, _("已签收。"))


class UrgeView(AssignmentActionView):
    def act(self, request, assignment):
        form = UrgeForm(request.POST)
        if not form.is_valid():
            raise ValidationError(form_errors(form))
        reports.urge(assignment, request.user, form.cleaned_data["message"])
        messages.success(request, _("已催办%(department)s。") % {"department": assignment.department})


class SignOffView(AssignmentActionView):
    def act(self, request, assignment):
        reports.sign_off(assignment, request.user)
        messages.success(request, _("已确认办结。"))


class ExtensionRequestView(AssignmentActionView):
    def act(self, request, assignment):
        form = ExtensionRequestForm(request.POST)
        if not form.is_valid():
            raise ValidationError(form_errors(form))
        reports.request_extension(assignment, request.user, form.cleaned_data["requested_deadline"],
                                  form.cleaned_data["reason"])
        messages.success(request, _("延期申请已提交督查室。"))


class ReportDecisionView(RoleRequiredMixin, View):
    """Office review (accept / return) or leader approval (approve / return) of one report."""

    role_check = staticmethod(is_anyone_with_a_role)

    def post(self, request, pk):
        report = get_report_for_user(request.user, pk)
        form = DecisionForm(request.POST)
        with service_errors(request):
            if not form.is_valid():
                raise ValidationError(form_errors(form))
            accept = form.cleaned_data["decision"] == "accept"
            args = {"comment": form.cleaned_data["comment"], "expected_version": form.cleaned_data["version"]}
            if get_roles(request.user).is_office:
                reports.review(report, request.user, accept=accept, **args)
                messages.success(request, _("已通过。") if accept else _("已退回。"))
            else:
                reports.leader_decide(report, request.user, approve=accept, **args)
                messages.success(request, _("已审批，报送督查室。") if accept else _("已退回填报员。"))
        return redirect(next_or(request, reverse("tasks:assignment", args=[report.assignment_id])))


class SubmitReportView(RoleRequiredMixin, View):
    role_check = staticmethod(is_department_user)

    def post(self, request, pk):
        report = get_report_for_user(request.user, pk)
        with service_errors(request):
            report = reports.submit_report(report, request.user)
            messages.success(request, reports.destination(report))
        return redirect("tasks:assignment", pk=report.assignment_id)


class WithdrawReportView(RoleRequiredMixin, View):
    """撤回 a submitted report nobody has acted on yet; it becomes the draft again."""

    role_check = staticmethod(is_department_user)

    def post(self, request, pk):
        report = get_report_for_user(request.user, pk)
        version = request.POST.get("version", "")
        with service_errors(request):
            if not version.isdigit():
                raise ValidationError(_("请求缺少报告版本，请刷新页面后重试。"))
            reports.withdraw_report(report, request.user, expected_version=int(version))
            messages.success(request, _("报告已撤回为草稿，可修改后重新提交。"))
        return redirect("tasks:assignment", pk=report.assignment_id)


class UrgeReplyView(RoleRequiredMixin, View):
    role_check = staticmethod(is_department_user)

    def post(self, request, pk):
        urge = get_urge_for_user(request.user, pk)
        form = ReplyForm(request.POST)
        with service_errors(request):
            if not form.is_valid():
                raise ValidationError(form_errors(form))
            reports.reply_to_urge(urge, request.user, form.cleaned_data["reply"])
            messages.success(request, _("已回复催办。"))
        return redirect("tasks:assignment", pk=urge.assignment_id)


class ExtensionDecisionView(RoleRequiredMixin, View):
    role_check = staticmethod(is_office)

    def post(self, request, pk):
        extension = get_extension_for_user(request.user, pk)
        form = ExtensionDecisionForm(request.POST)
        with service_errors(request):
            if not form.is_valid():
                raise ValidationError(form_errors(form))
            approve = form.cleaned_data["decision"] == "approve"
            reports.decide_extension(extension, request.user, approve=approve, comment=form.cleaned_data["comment"])
            messages.success(request, _("已批准延期。") if approve else _("已不予批准。"))
        return redirect(next_or(request, reverse("tasks:reviews")))


class AttachmentDownloadView(RoleRequiredMixin, View):
    """Evidence is served only to users who may see its report, always as a download."""

    role_check = staticmethod(is_anyone_with_a_role)

    def get(self, request, pk):
        attachment = get_attachment_for_user(request.user, pk)
        try:
            handle = uploads.open_for_download(attachment)
        except uploads.EvidenceStoreUnavailable as error:
            unavailable = render(request, "tasks/evidence_unavailable.html",
                                 {"message": str(error), "attachment": attachment}, status=503)
            unavailable["Retry-After"] = "60"
            return unavailable
        response = FileResponse(handle, as_attachment=True, filename=attachment.original_name,
                                content_type="application/octet-stream")
        response["X-Content-Type-Options"] = "nosniff"
        response["Content-Security-Policy"] = "default-src 'none'; sandbox"
        return response


class ReviewQueueView(RoleRequiredMixin, ListView):
    """审核: the office's queue, extension requests and assignments nobody has acknowledged."""

    role_check = staticmethod(is_office)
    template_name = "tasks/review_queue.html"
    paginate_by = 25

    def get_queryset(self):
        return office_queue(self.request.user)

    def get_paginator(self, *args, **kwargs):
        paginator = super().get_paginator(*args, **kwargs)
        paginator.count = office_queue_count(self.request.user)  # from the rollups: a province waits 165,000
        return paginator

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        note_count(self.request, "tasks:reviews", context["paginator"].count)
        visible = Assignment.objects.visible_to(self.request.user)
        context["extensions"] = ExtensionRequest.objects.filter(
            status=ExtensionStatus.PENDING, assignment__in=visible
        ).select_related("assignment__measure", "assignment__department", "requested_by").defer(
            "assignment__measure__content")
        unacknowledged = visible.filter(status=AssignmentStatus.PENDING)
        context["unacknowledged"] = list(
            unacknowledged.select_related("measure", "department").defer("measure__content").order_by("created_at")[:20]
        )
        context["unacknowledged_count"] = unacknowledged.count()
        context["urge_presets"] = URGE_PRESETS
        today = timezone.localdate()
        for assignment in context["unacknowledged"]:
            assignment.waiting_days = (today - timezone.localtime(assignment.created_at).date()).days
        return context

    def post(self, request):
        """Bulk accept the checked reports."""
        return decide_checked(request, self.get_queryset(), reports.bulk_accept, _("已通过 %(n)d 份报告。"),
                              "tasks:reviews")


def decide_checked(request, queue, decide, done: str, back: str):
    """The checked reports of ``queue`` (refused unless all are still in it) decided at once by
    ``decide``; what succeeded and each problem are reported as messages."""
    form = BulkAcceptForm(request.POST, report_ids=queue.values_list("pk", flat=True))
    if not form.is_valid():
        messages.error(request, form_errors(form))
        return redirect(back)
    decided, problems = decide(form.cleaned_data["reports"], request.user)
    if decided:
        messages.success(request, done % {"n": len(decided)})
    for problem in problems:
        messages.warning(request, problem)
    return redirect(back)


class LeaderQueueView(RoleRequiredMixin, ListView):
    """待审批: reports of the leader's departments waiting for the leader."""

    role_check = staticmethod(is_leader)
    template_name = "tasks/leader_queue.html"
    paginate_by = 25

    def get_queryset(self):
        return leader_queue(self.request.user)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        note_count(self.request, "tasks:approvals", context["paginator"].count)
        return context

    def post(self, request):
        """Approve the checked reports at once (each is sent on to the office)."""
        return decide_checked(request, self.get_queryset(), reports.bulk_leader_approve,
                              _("已审批通过 %(n)d 份报告，已报送督查室。"), "tasks:approvals")


class BulkUrgeView(RoleRequiredMixin, View):
    """催办 the checked assignments with a preset message or the office's own."""

    role_check = staticmethod(is_office)

    def post(self, request):
        wanted = [int(pk) for pk in request.POST.getlist("assignments") if pk.isdigit()]
        visible = Assignment.objects.visible_to(request.user).filter(pk__in=wanted)
        form = BulkUrgeForm(request.POST, assignment_ids=visible.values_list("pk", flat=True))
        if not form.is_valid():
            messages.error(request, form_errors(form))
            return redirect(next_or(request, reverse("tasks:reviews")))
        chosen = visible.filter(pk__in=form.cleaned_data["assignments"]).select_related("measure", "department")
        with service_errors(request):
            sent = reports.bulk_urge(chosen, request.user, form.cleaned_data["message"])
            messages.success(request, _("已催办 %(n)d 项任务。") % {"n": len(sent)})
        return redirect(next_or(request, reverse("tasks:reviews")))


class ImportConfirmView(RoleRequiredMixin, View):
    """The import wizard's last step: write the checked plan, with its assignments, at once."""

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
            _("%(verb)s《%(title)s》：新建措施 %(created)d 项，更新 %(updated)d 项，新建任务分工 %(assignments)d 项。")
            % {
                "verb": verb, "title": result.document.title, "created": result.measures_created,
                "updated": result.measures_updated, "assignments": result.assignments_created,
            },
        )
        return redirect("documents:detail", pk=result.document.pk)
