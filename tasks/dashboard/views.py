"""Pages of the office and leadership: the dashboard, the list of all assignments behind its
numbers, and the bulletins (通报). Views read the filters and call tasks.dashboard.numbers and
tasks.dashboard.bulletins."""

from __future__ import annotations

from collections.abc import Sequence
from html import escape
from typing import cast

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import OuterRef, Subquery
from django.http import FileResponse, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import ListView, TemplateView

from departments.choices import DepartmentKind
from departments.permissions import RoleRequiredMixin, is_office, reads_dashboards
from departments.roles import get_roles
from tasks.choices import ReportStatus
from tasks.dashboard import bulletin_docx, bulletins, counting, filtering, presentation, windows
from tasks.dashboard import numbers as dashboard
from tasks.filtersets import DashboardAssignmentFilterSet
from tasks.models import Assignment, Bulletin, ProgressReport
from tasks.workflow.filter_memory import remembered
from tasks.workflow.forms import BulletinEditForm
from tasks.workflow.status import describe_rows, with_lights


def has_a_role(roles) -> bool:
    return bool(roles.roles)


DEPARTMENTS_PER_PAGE = 100
"""Rows of the department table per page (a province has 3,000 departments; the API gives all)."""
DOCUMENTS_SHOWN = 50
"""Progress bars shown, newest documents first; the rest are a link away (the documents list)."""


class DashboardView(RoleRequiredMixin, TemplateView):
    """仪表盘: the whole picture for the office and leadership; 400 with the reasons on bad filters."""

    role_check = staticmethod(reads_dashboards)
    template_name = "tasks/dashboard.html"

    def get(self, request, *args, **kwargs):
        today = timezone.localdate()
        filters, form = filtering.read_filters(request.GET, request.user, today)
        context = {"form": form, "today": today, "periods": windows.recent_periods(today),
                   "kinds": DepartmentKind.choices, "sorts": presentation.DEPARTMENT_SORTS,
                   "yellow_days": settings.TRAFFIC_LIGHT_YELLOW_DAYS,
                   "document_options": document_options_html(form, request.GET.get("document", "")),
                   "remembered_query": remembered(request, "dashboard")}
        if filters is None:
            return self.render_to_response(self.get_context_data(**context), status=400)
        board = dashboard.build_cached(request.user, filters, today)
        page = Paginator(board.departments, DEPARTMENTS_PER_PAGE).get_page(request.GET.get("page"))
        shown = list(page.object_list)
        context.update(board=board, summary=board.summary, documents=board.documents,
                       chart_data=charts(board, shown), page_obj=page, department_rows=department_rows_html(shown),
                       document_rows=document_rows_html(board.documents[:DOCUMENTS_SHOWN]),
                       documents_hidden=max(0, len(board.documents) - DOCUMENTS_SHOWN))
        return self.render_to_response(self.get_context_data(**context))


def _percent(value: float | None) -> str:
    return "—" if value is None else f"{value:g}%"


def _e(value: object) -> str:
    return escape(str(value), quote=True)


def department_rows_html(rows: list[presentation.DepartmentRow]) -> SafeString:
    """The department table's rows. Written here rather than in the template: a city has 300
    departments with seven links each, which the template engine renders ten times slower. Every
    value goes through ``escape``."""
    html = []
    for d in rows:
        link = {key: _e(url) for key, url in d.links.items()}
        score = "—" if d.score is None else f"{d.score:g}"
        closure, reports, danger = _percent(d.on_time_closure_rate), _percent(d.on_time_report_rate), ""
        if d.overdue:
            danger = "text-danger"
        html.append(
            f'<tr data-department="{d.id}"><td data-col="rank"><a href="{link["assigned"]}">{d.rank}</a></td>'
            f'<td><a href="{link["assigned"]}">{_e(d.name)}</a></td>'
            f'<td data-col="assigned"><a href="{link["assigned"]}">{d.assigned}</a></td>'
            f'<td data-col="closed"><a href="{link["closed"]}">{d.closed}</a></td>'
            f'<td data-col="overdue"><a class="{danger}" href="{link["overdue"]}">{d.overdue}</a></td>'
            f'<td data-col="acknowledged"><a href="{link["acknowledged"]}">{d.acknowledged}</a></td>'
            f'<td data-col="on_time_closure_rate"><a href="{link["on_time_closure_rate"]}">{closure}</a></td>'
            f'<td data-col="on_time_report_rate"><a href="{link["on_time_report_rate"]}">{reports}</a></td>'
            f'<td data-col="score"><a href="{link["assigned"]}"><strong>{score}</strong></a></td></tr>'
        )
    return mark_safe("\n".join(html))  # noqa: S308 - built from escaped values only


def document_options_html(form: filtering.DashboardFilterForm, chosen: str) -> SafeString:
    """The document filter's options (a city has some two hundred documents; see above)."""
    html = []
    documents = cast(forms.ModelChoiceField, form.fields["document"]).queryset  # set by the form's __init__
    for pk, title in documents.values_list("pk", "title") if documents is not None else []:
        selected = " selected" if str(pk) == chosen else ""
        html.append(f'<option value="{pk}"{selected}>{_e(title)}</option>')
    return mark_safe("".join(html))  # noqa: S308 - built from escaped values only


def document_rows_html(rows: list[presentation.DocumentRow]) -> SafeString:
    """The progress bar of each document (written here for the same reason as the table)."""
    html = []
    for d in rows:
        overdue = (f' · <a class="text-danger" href="{_e(d.links["overdue"])}">{_e(_("逾期 %(n)d") % {"n": d.overdue})}</a>'
                   if d.overdue else "")
        width = round(100 * d.closed / d.total) if d.total else 0
        html.append(
            f'<li class="list-group-item"><div class="d-flex justify-content-between">'
            f'<a href="{_e(d.links["total"])}">{_e(d.title)}</a><span class="small">'
            f'<a href="{_e(d.links["closed"])}" data-doc-closed="{d.id}">{d.closed}</a> / '
            f'<a href="{_e(d.links["total"])}">{d.total}</a>{overdue}</span></div>'
            f'<div class="progress mt-1" role="progressbar" aria-valuenow="{d.closed}" aria-valuemin="0" '
            f'aria-valuemax="{d.total}"><div class="progress-bar" style="width: {width}%"></div></div></li>'
        )
    return mark_safe("\n".join(html))  # noqa: S308 - built from escaped values only


def charts(board: dashboard.Dashboard, departments: Sequence[presentation.DepartmentRow]) -> dict:
    """What static/js/dashboard.js draws; every segment carries the URL of its list. The ranking
    shows the departments of the table's page (``departments``), in rank order."""
    s = board.summary
    return {
        "status": [{"name": str(label), "value": getattr(s, state), "url": s.links[state]}
                   for state, label in counting.STATES],
        "months": [m.month for m in board.months],
        "due": [{"value": m.due, "url": m.links["due"]} for m in board.months],
        "due_closed": [{"value": m.due_closed, "url": m.links["due_closed"]} for m in board.months],
        "trend_months": [point.month for point in board.trend],
        "trend": [{"value": point.completion, "url": point.link} for point in board.trend],
        # the page's departments, in rank order; one without a score is drawn at 0 and labelled "—"
        "ranking": [{"name": d.name, "value": d.score or 0, "label": "—" if d.score is None else f"{d.score:g}",
                     "url": d.links["assigned"]}
                    for d in sorted(departments, key=lambda d: d.rank)],
        "labels": {"due": _("到期"), "due_closed": _("其中已办结"), "trend": _("累计办结率（%）"), "score": _("得分")},
    }


# Filters the list's form does not show as fields but keeps when it is submitted again.
HIDDEN_FILTERS = ("department", "status", "acknowledged", "assessed", "due_from", "due_to", "closed_to", "reporting",
                  "report", "o")


class AssignmentListView(RoleRequiredMixin, ListView):
    """全部任务: every assignment with lights and the task list's filters (read-only), the list
    behind each number of the dashboard."""

    role_check = staticmethod(reads_dashboards)
    template_name = "tasks/assignment_list.html"
    paginate_by = 50

    def get_queryset(self):
        today = timezone.localdate()
        latest = ProgressReport.objects.filter(assignment=OuterRef("pk")).exclude(status=ReportStatus.DRAFT).order_by(
            "-period_start", "-id")
        queryset = counting.with_closed_on(with_lights(Assignment.objects.visible_to(self.request.user), today)).annotate(
            last_report_status=Subquery(latest.values("status")[:1]),
            last_report_at=Subquery(latest.values("submitted_at")[:1]),
        )
        self.filterset = DashboardAssignmentFilterSet(
            self.request.GET, queryset=queryset, request=self.request, today=today
        )
        if not self.filterset.is_valid():
            return Assignment.objects.none()
        queryset = self.filterset.qs.select_related("measure__document", "department")
        return queryset if self.request.GET.get("o") else queryset.by_deadline()

    def get(self, request, *args, **kwargs):
        response = super().get(request, *args, **kwargs)
        if self.filterset.errors:
            response.status_code = 400
        return response

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        today = timezone.localdate()
        describe_rows(context["object_list"], today)
        hidden = [(name, self.request.GET[name]) for name in HIDDEN_FILTERS if self.request.GET.get(name)]
        context.update(filterset=self.filterset, kinds=DepartmentKind.choices, states=counting.STATES,
                       hidden_filters=hidden, remembered_query=remembered(self.request, "assignments"))
        return context


class BulletinListView(RoleRequiredMixin, ListView):
    """通报: the office's drafts and published bulletins (and the form to draft one); everyone
    else with a role the published ones."""

    role_check = staticmethod(has_a_role)
    template_name = "tasks/bulletin_list.html"
    paginate_by = 25

    def get_queryset(self):
        return Bulletin.objects.visible_to(self.request.user).select_related("created_by", "published_by", "group")

    def get_context_data(self, **kwargs):
        today = timezone.localdate()
        return super().get_context_data(
            can_draft=get_roles(self.request.user).is_office, periods=windows.recent_periods(today),
            default_period=windows.month_window(today).key, **kwargs,
        )

    def post(self, request):
        """Draft a bulletin for the chosen period (the office only)."""
        if not is_office(get_roles(request.user)):
            raise PermissionDenied
        today = timezone.localdate()
        try:
            window = windows.parse_period(request.POST.get("period", ""), today)
            bulletin = bulletins.draft_bulletin(request.user, window, request.POST.get("title", "")[:200], today)
        except (ValueError, ValidationError) as exc:
            messages.error(request, "".join(getattr(exc, "messages", None) or [str(exc)]))
            self.object_list = self.get_queryset()
            return self.render_to_response(self.get_context_data(), status=400)
        messages.success(request, _("已生成通报草稿，请核对后发布。"))
        return redirect("tasks:bulletin", pk=bulletin.pk)


def get_bulletin_for_user(user, pk: int) -> Bulletin:
    """404 for a bulletin the user may not see (a draft, for anyone but the office)."""
    return get_object_or_404(Bulletin.objects.visible_to(user).select_related("created_by", "published_by", "group"), pk=pk)


class BulletinDetailView(RoleRequiredMixin, TemplateView):
    """One bulletin as a printable page."""

    role_check = staticmethod(has_a_role)
    template_name = "tasks/bulletin_detail.html"

    def get_context_data(self, **kwargs):
        bulletin = get_bulletin_for_user(self.request.user, kwargs["pk"])
        can_publish = get_roles(self.request.user).is_office
        form = kwargs.pop("form", None)
        if form is None and can_publish and not bulletin.is_published:
            form = BulletinEditForm(instance=bulletin)
        return super().get_context_data(
            bulletin=bulletin, official=bulletins.official_document(bulletin), can_publish=can_publish, form=form,
            **kwargs,
        )

    def post(self, request, pk: int) -> HttpResponse:
        """Save the office's own words of a draft (red header, number, recipients, 按语, 下一步工作)."""
        if not get_roles(request.user).is_office:
            raise PermissionDenied
        bulletin = get_bulletin_for_user(request.user, pk)
        form = BulletinEditForm(request.POST, instance=Bulletin.objects.get(pk=bulletin.pk))
        if not form.is_valid():
            messages.error(request, _("通报未保存，请更正标出的错误。"))
            return self.render_to_response(self.get_context_data(pk=pk, form=form), status=400)
        try:
            bulletins.edit_bulletin(bulletin, request.user, **form.cleaned_data)
        except ValidationError as exc:
            messages.warning(request, "".join(exc.messages))
        else:
            messages.success(request, _("通报已保存。"))
        return redirect("tasks:bulletin", pk=pk)


class BulletinDocxView(RoleRequiredMixin, View):
    """The bulletin as .docx, written from its snapshot."""

    role_check = staticmethod(has_a_role)

    def get(self, request, pk: int) -> FileResponse:
        bulletin = get_bulletin_for_user(request.user, pk)
        from io import BytesIO

        content = bulletin_docx.write(bulletins.official_document(bulletin))
        return FileResponse(
            BytesIO(content), as_attachment=True, filename=f"{bulletin.title}.docx",
            content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        )


class BulletinPublishView(RoleRequiredMixin, View):
    """Publish a draft (the page asks for confirmation first)."""

    role_check = staticmethod(is_office)

    def post(self, request, pk: int) -> HttpResponse:
        bulletin = get_bulletin_for_user(request.user, pk)
        try:
            bulletins.publish_bulletin(bulletin, request.user)
            messages.success(request, _("通报已发布，各单位现在可以查看。"))
        except ValidationError as exc:
            messages.warning(request, "".join(exc.messages))
        return redirect("tasks:bulletin", pk=pk)
