"""Pages of the documents app: the document list and one document with its measures."""

from django.db.models import Count, Prefetch, Q
from django.shortcuts import get_object_or_404
from django.views.generic import ListView, TemplateView

from departments.permissions import RoleRequiredMixin, reads_documents
from documents.choices import DocumentStatus
from documents.models import Measure, PolicyDocument


class DocumentListView(RoleRequiredMixin, ListView):
    role_check = staticmethod(reads_documents)
    template_name = "documents/document_list.html"
    paginate_by = 25

    def get_queryset(self):
        queryset = PolicyDocument.objects.annotate(measure_count=Count("measures")).order_by("-issued_date", "-id")
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
        document = get_object_or_404(PolicyDocument, pk=kwargs["pk"])
        measures = (
            Measure.objects.filter(document=document)
            .select_related("section")
            .prefetch_related(Prefetch("assignments", to_attr="assignment_list"), "assignments__department")
        )
        return super().get_context_data(document=document, measures=measures, **kwargs)
