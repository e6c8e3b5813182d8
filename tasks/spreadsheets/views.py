"""Pages of the spreadsheet import (任务分解表) and the ledger export (台账).

Import, for admins: upload (type, size and header checked; a bad file stores nothing) →
preview (each row with what it will do, every error and warning, paged, unknown units to map or
to create, rows to skip; nothing written) → confirm (all rows or none). The ledger is for anyone with a role,
through ``Assignment.objects.visible_to``. Views only look things up and call
``tasks.spreadsheets``.
"""

from __future__ import annotations

import tempfile

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import FileResponse, HttpResponseBadRequest, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views import View
from django.views.generic import FormView, TemplateView

from departments.choices import DepartmentKind
from departments.models import Department, LeadingGroup
from departments.permissions import RoleRequiredMixin, is_admin
from documents.choices import ImportStatus
from documents.models import PolicyDocument
from tasks.models import SpreadsheetImport
from tasks.spreadsheets import ledger, runs, writers
from tasks.spreadsheets.forms import DocumentGroupForm, SpreadsheetUploadForm, UnitCreateForm, UnitMapForm
from tasks.spreadsheets.plan import SKIP

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PREVIEW_PAGE_SIZE = 100


def get_run(document: PolicyDocument, pk: int, *, draft: bool = True) -> SpreadsheetImport:
    """A run of ``document``; with ``draft``, one that can still change (else 404)."""
    runs_of_document = SpreadsheetImport.objects.filter(document=document)
    return get_object_or_404(runs_of_document.filter(status=ImportStatus.DRAFT) if draft else runs_of_document, pk=pk)


class AdminDocumentMixin(RoleRequiredMixin):
    """Admins only (403 for everyone else); the document from the URL or 404."""

    role_check = staticmethod(is_admin)

    @cached_property
    def document(self) -> PolicyDocument:
        # Read only after the role guard passed: others get 403 whether the document exists or not.
        return get_object_or_404(PolicyDocument, pk=self.kwargs["pk"])

    def to_preview(self, run_pk: int, anchor: str = ""):
        return redirect(reverse("tasks:spreadsheet-preview", args=[self.document.pk, run_pk]) + anchor)


class SpreadsheetUploadView(AdminDocumentMixin, FormView):
    template_name = "tasks/spreadsheet_upload.html"
    form_class = SpreadsheetUploadForm

    def form_valid(self, form):
        upload = form.cleaned_data["file"]
        run = runs.start_run(self.document, upload.name, form.cleaned_data["rows"], self.request.user)
        return self.to_preview(run.pk)

    def get_context_data(self, **kwargs):
        recent = SpreadsheetImport.objects.filter(document=self.document).select_related("created_by")[:10]
        return super().get_context_data(document=self.document, recent=recent, **kwargs)


class SpreadsheetPreviewView(AdminDocumentMixin, TemplateView):
    template_name = "tasks/spreadsheet_preview.html"

    def get_context_data(self, **kwargs):
        run = get_run(self.document, kwargs["run_pk"], draft=False)
        context = super().get_context_data(document=self.document, run=run, **kwargs)
        if run.status != ImportStatus.DRAFT:
            return context
        plan = runs.check_run(run)
        problems_only = self.request.GET.get("problems") == "1"
        rows = [row for row in plan.rows if row.errors or row.warnings] if problems_only else plan.rows
        page = Paginator(rows, PREVIEW_PAGE_SIZE).get_page(self.request.GET.get("page"))
        # Every error and warning is listed, a page at a time.
        errors = Paginator(plan.grouped_errors(), PREVIEW_PAGE_SIZE).get_page(self.request.GET.get("errors_page"))
        warnings = Paginator(plan.all_warnings(), PREVIEW_PAGE_SIZE).get_page(self.request.GET.get("warnings_page"))
        context.update(
            plan=plan, page=page, problems_only=problems_only, counts=plan.counts(), errors=errors,
            warnings=warnings, skip=SKIP, departments=Department.objects.active(), kinds=DepartmentKind.choices,
            leading_groups=LeadingGroup.objects.filter(is_active=True).only("id", "name"),
        )
        return context


class SpreadsheetRowSkipView(AdminDocumentMixin, View):
    def post(self, request, pk, run_pk, row):
        skipped = runs.toggle_skip(get_run(self.document, run_pk), row)
        messages.info(request, (_("第 %(row)d 行将不导入。") if skipped else _("第 %(row)d 行将重新导入。")) % {"row": row})
        return self.to_preview(run_pk, f"#row-{row}")


class _UnknownUnitView(AdminDocumentMixin, View):
    """Say what an unknown unit name is (``form_class``), then back to the preview's unit list."""

    form_class: type = UnitMapForm
    invalid_message = ""

    def post(self, request, pk, run_pk):
        run = get_run(self.document, run_pk)
        form = self.form_class(request.POST)
        if form.is_valid():
            messages.success(request, self.apply(run, form.cleaned_data))
        else:
            messages.error(request, self.invalid_message)
        return self.to_preview(run_pk, "#units")

    def apply(self, run: SpreadsheetImport, data: dict) -> str:
        raise NotImplementedError


class SpreadsheetUnitMapView(_UnknownUnitView):
    form_class = UnitMapForm
    invalid_message = _lazy("请选择对应的单位。")

    def apply(self, run, data):
        runs.map_unit(run, data["name"], data["department"])
        return _("“%(name)s”已对应到 %(department)s。") % data


class SpreadsheetUnitCreateView(_UnknownUnitView):
    form_class = UnitCreateForm
    invalid_message = _lazy("请选择新单位的类型。")

    def apply(self, run, data):
        runs.create_unit(run, data["name"], data["kind"])
        return _("“%(name)s”将在确认导入时新建到单位名录。") % data


class SpreadsheetConfirmView(AdminDocumentMixin, View):
    def post(self, request, pk, run_pk):
        group_form = DocumentGroupForm(request.POST)
        if not group_form.is_valid():
            messages.error(request, _("所选领导小组不存在,未导入任何数据。"))
            return self.to_preview(run_pk)
        try:
            plan = runs.confirm_run(self.document, run_pk, request.user, **group_form.chosen())
        except SpreadsheetImport.DoesNotExist:
            messages.warning(request, _("这次导入已经确认或放弃过了。"))
            return redirect("documents:detail", pk=self.document.pk)
        if not plan.written:
            for error in plan.all_errors()[:20]:
                messages.error(request, error)
            messages.error(request, _("表格有错误，未导入任何数据。"))
            return self.to_preview(run_pk)
        messages.success(
            request,
            _("已导入：新建措施 %(measures_created)d 项，更新 %(measures_updated)d 项，新建任务分工 "
              "%(assignments_created)d 项，调整角色 %(roles_changed)d 项。") % plan.written,
        )
        return redirect("documents:detail", pk=self.document.pk)


class SpreadsheetDiscardView(AdminDocumentMixin, View):
    def post(self, request, pk, run_pk):
        runs.discard_run(get_run(self.document, run_pk))
        messages.info(request, _("已放弃本次导入，未写入任何数据。"))
        return redirect("tasks:spreadsheet-import", pk=self.document.pk)


class LedgerExportView(RoleRequiredMixin, View):
    """台账 of what the filters show, as .xlsx or .csv, for anyone with a role (scoped)."""

    role_check = staticmethod(lambda roles: bool(roles.roles))

    def get(self, request):
        fmt = request.GET.get("format", "xlsx")
        if fmt not in ("xlsx", "csv"):
            return HttpResponseBadRequest(_("导出格式只能是 xlsx 或 csv。"))
        params = request.GET.copy()
        params.pop("format", None)
        scope = ledger.scope_for(request.user)
        try:
            assignments = ledger.filtered(scope, params, request)
        except ledger.LedgerFilterError as exc:
            return HttpResponseBadRequest(_("筛选条件无效：%(errors)s") % {"errors": ";".join(exc.messages)})
        rows = ledger.ledger_rows(assignments, scope)
        if fmt == "csv":
            response = StreamingHttpResponse(writers.iter_csv(ledger.COLUMNS, rows), content_type="text/csv; charset=utf-8")
            response["Content-Disposition"] = content_disposition_header(True, ledger.export_name("csv"))
            return response
        # Rows stream into openpyxl's write-only sheet; the file stays in memory only while small.
        out = tempfile.SpooledTemporaryFile(max_size=8 * 1024 * 1024)
        writers.write_xlsx(ledger.COLUMNS, rows, out)
        out.seek(0)
        return FileResponse(out, as_attachment=True, filename=ledger.export_name("xlsx"), content_type=XLSX_TYPE)
