"""Pages of the documents app: the document list and one document with its measures."""

from django.contrib import messages
from django.db.models import Count, Prefetch, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import FormView, ListView, TemplateView

from departments.permissions import RoleRequiredMixin, is_admin, reads_documents
from departments.roles import get_roles
from documents.choices import DocumentStatus, ImportStatus
from documents.forms import (
    ImportSourceForm,
    IndicatorFormSet,
    MeasureEditForm,
    PlanMetadataForm,
    UnitMappingForm,
    UnitRoleFormSet,
)
from documents.importing import plan
from documents.importing.units import create_unit, map_unit, resolve_units, set_expand
from documents.importing.wizard import parse_time_limit_message, preview_context, start_import
from documents.importing.write import discard
from documents.models import DocumentImport, Measure, PolicyDocument
from documents.parsing import ParseTimeLimitExceeded


class DocumentListView(RoleRequiredMixin, ListView):
    role_check = staticmethod(reads_documents)
    template_name = "documents/document_list.html"
    paginate_by = 25

    def get_queryset(self):
        queryset = (
            PolicyDocument.objects.visible_to(self.request.user)
            .select_related("group")
            .annotate(measure_count=Count("measures"))
            .order_by("-issued_date", "-id")
        )
        if query := self.request.GET.get("q", "").strip():
            queryset = queryset.filter(
                Q(title__icontains=query) | Q(doc_number__icontains=query) | Q(issuer__icontains=query)
            )
        if status := self.request.GET.get("status"):
            queryset = queryset.filter(status=status)
        return queryset

    def get_context_data(self, **kwargs):
        return super().get_context_data(statuses=DocumentStatus.choices, **kwargs)


class DocumentDetailView(RoleRequiredMixin, TemplateView):
    role_check = staticmethod(reads_documents)
    template_name = "documents/document_detail.html"

    def get_context_data(self, **kwargs):
        document = get_object_or_404(PolicyDocument.objects.visible_to(self.request.user), pk=kwargs["pk"])
        # documents may not import tasks: the assignment model is reached through the relation.
        assignments = Measure._meta.get_field("assignments").related_model.objects.select_related("department")
        measures = (
            Measure.objects.filter(document=document)
            .select_related("section")
            .prefetch_related(Prefetch("assignments", queryset=assignments.order_by("role"), to_attr="assignment_list"))
        )
        is_admin = get_roles(self.request.user).is_admin
        return super().get_context_data(document=document, measures=measures, is_admin=is_admin, **kwargs)


# --- Import wizard: paste or upload → check and correct the plan → confirm (tasks app) ---


def get_import_for_user(request, pk: int) -> DocumentImport:
    """Import runs are for admins only: the role guard refuses everyone else first."""
    return get_object_or_404(DocumentImport, pk=pk)


def get_draft(request, pk: int) -> DocumentImport:
    """A run that can still be changed; a confirmed or discarded one is read-only (404 here)."""
    return get_object_or_404(DocumentImport, pk=pk, status=ImportStatus.DRAFT)


def raise_404():
    raise Http404


def form_errors_text(form) -> str:
    return ";".join(str(error) for errors in form.errors.values() for error in errors)


class ImportStartView(RoleRequiredMixin, FormView):
    role_check = staticmethod(is_admin)
    template_name = "documents/import_start.html"
    form_class = ImportSourceForm

    def form_valid(self, form):
        try:
            run = start_import(form.cleaned_data["source_text"], form.cleaned_data["source_name"], self.request.user)
        except ParseTimeLimitExceeded:
            form.add_error(None, parse_time_limit_message())
            return self.form_invalid(form)
        return redirect("documents:import-preview", pk=run.pk)

    def get_context_data(self, **kwargs):
        recent = DocumentImport.objects.select_related("document", "created_by")[:10]
        return super().get_context_data(recent=recent, **kwargs)


class ImportPreviewView(RoleRequiredMixin, TemplateView):
    role_check = staticmethod(is_admin)
    template_name = "documents/import_preview.html"

    def get_context_data(self, **kwargs):
        run = get_import_for_user(self.request, kwargs["pk"])
        return super().get_context_data(**preview_context(run), **kwargs)


class ImportMetadataView(RoleRequiredMixin, View):
    role_check = staticmethod(is_admin)

    def post(self, request, pk):
        run = get_draft(request, pk)
        form = PlanMetadataForm(request.POST)
        if form.is_valid():
            plan.set_metadata(run.plan, **form.cleaned_data)
            run.save(update_fields=["plan", "updated_at"])
            messages.success(request, _("文件信息已更新。"))
        else:
            messages.error(request, _("文件信息有误：%(errors)s") % {"errors": form_errors_text(form)})
        return redirect("documents:import-preview", pk=pk)


class ImportMeasureView(RoleRequiredMixin, TemplateView):
    """Edit one measure of the plan: number, title, deadline and its units with their roles."""

    role_check = staticmethod(is_admin)
    template_name = "documents/import_measure_edit.html"

    def get_context_data(self, **kwargs):
        run = get_import_for_user(self.request, kwargs["pk"])
        measure = plan.find_measure(run.plan, kwargs["key"]) or raise_404()
        fields = plan.deadline_fields(measure)
        form = kwargs.pop("form", None) or MeasureEditForm(
            initial={
                "number": measure["number"], "title": measure["title"], "deadline": fields["deadline"],
                "deadline_text": fields["deadline_text"], "ongoing": measure["ongoing"],
            }
        )
        units = kwargs.pop("units", None) or UnitRoleFormSet(initial=measure["units"], prefix="units")
        indicators = kwargs.pop("indicators", None) or IndicatorFormSet(
            initial=measure.get("indicators") or [], prefix="indicators"
        )
        return super().get_context_data(
            run=run, measure=measure, form=form, units=units, indicators=indicators, **kwargs
        )

    def post(self, request, pk, key):
        run = get_draft(request, pk)
        measure = plan.find_measure(run.plan, key) or raise_404()
        form, units = MeasureEditForm(request.POST), UnitRoleFormSet(request.POST, prefix="units")
        # A post without the indicator rows (an older form, a script) leaves the indicators alone.
        edits_indicators = "indicators-TOTAL_FORMS" in request.POST
        indicators = IndicatorFormSet(request.POST if edits_indicators else None, prefix="indicators")
        if not (form.is_valid() and units.is_valid() and (not edits_indicators or indicators.is_valid())):
            return self.render_to_response(
                self.get_context_data(pk=pk, key=key, form=form, units=units, indicators=indicators)
            )
        chosen = [
            (row["name"].strip(), row["role"])
            for row in units.cleaned_data
            if row and row.get("name", "").strip() and not row.get("DELETE")
        ]
        kept = [
            {"name": row["name"].strip(), "comparator": row["comparator"], "value": row["value"], "unit": row["unit"]}
            for row in indicators.cleaned_data
            if row and (row.get("name") or "").strip() and not row.get("DELETE")
        ] if edits_indicators else None
        plan.update_measure(measure, units=chosen, indicators=kept, **form.cleaned_data)
        resolve_units(run.plan)
        run.save(update_fields=["plan", "updated_at"])
        messages.success(request, _("措施“%(number)s”已更新。") % {"number": measure["number"]})
        return redirect(reverse("documents:import-preview", args=[pk]) + f"#{key}")


class ImportMeasureDropView(RoleRequiredMixin, View):
    role_check = staticmethod(is_admin)

    def post(self, request, pk, key):
        run = get_draft(request, pk)
        measure = plan.find_measure(run.plan, key) or raise_404()
        plan.set_dropped(measure, request.POST.get("dropped") == "1")
        run.save(update_fields=["plan", "updated_at"])
        return redirect(reverse("documents:import-preview", args=[pk]) + f"#{key}")


class ImportUnitView(RoleRequiredMixin, View):
    role_check = staticmethod(is_admin)

    def post(self, request, pk):
        run = get_draft(request, pk)
        form = UnitMappingForm(request.POST)
        if not form.is_valid():
            messages.error(request, _("单位对应有误：%(errors)s") % {"errors": form_errors_text(form)})
        else:
            action, name = form.cleaned_data["action"], form.cleaned_data["name"]
            if action == "map":
                map_unit(run.plan, name, form.cleaned_data["department"])
            elif action == "create":
                create_unit(run.plan, name, form.cleaned_data["kind"])
            else:
                set_expand(run.plan, name, action == "expand")
            run.save(update_fields=["plan", "updated_at"])
        return redirect(reverse("documents:import-preview", args=[pk]) + "#units")


class ImportDiscardView(RoleRequiredMixin, View):
    role_check = staticmethod(is_admin)

    def post(self, request, pk):
        run = get_draft(request, pk)
        discard(run)
        messages.info(request, _("已放弃本次导入，未写入任何数据。"))
        return redirect("documents:import")
