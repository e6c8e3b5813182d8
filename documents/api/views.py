"""Documents API: read-only documents and measures (scoped by ``visible_to``) and the parser."""

from __future__ import annotations

import django_filters
from django.conf import settings
from django.db.models import Count, Q, QuerySet
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import status, viewsets
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from departments.api.permissions import IsAdminOrOffice
from departments.api.views import PolicyTrackViewSetMixin
from documents.api.serializers import (
    MeasureSerializer,
    ParseRequestSerializer,
    ParseResultSerializer,
    PolicyDocumentSerializer,
)
from documents.choices import DocumentStatus
from documents.importing.wizard import parse_time_limit_message
from documents.models import Measure, PolicyDocument
from documents.parsing import ParseTimeLimitExceeded, parse_document, to_corpus_dict
from policytrack.filters import IdFilter

DOCUMENTS_SEEN = "督查员、领导和管理员可见全部政策文件;单位用户只见本单位有任务分工的文件。只读。"
MEASURES_SEEN = "可见范围同政策文件:单位用户只见本单位有任务分工的措施。填报指标实际值时用 `indicators[].id`。只读。"


class ParseDocumentView(APIView):
    """Parse posted text and return measures, units and deadlines; nothing is saved.

    A parse that runs past ``DOCUMENT_PARSE_TIME_LIMIT`` is stopped: 422 with ``detail``.
    """

    permission_classes = [IsAdminOrOffice]

    @extend_schema(
        request=ParseRequestSerializer,
        responses={
            200: ParseResultSerializer,
            422: OpenApiResponse(description="识别超过时间上限（DOCUMENT_PARSE_TIME_LIMIT 秒），已停止；detail 说明原因。"),
        },
        summary="识别政策文件",
        tags=["政策文件"],
    )
    def post(self, request):
        payload = ParseRequestSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        try:
            parsed = parse_document(
                payload.validated_data["text"],
                source=payload.validated_data.get("source") or None,
                time_limit=settings.DOCUMENT_PARSE_TIME_LIMIT,
            )
        except ParseTimeLimitExceeded:
            return Response({"detail": parse_time_limit_message()}, status=status.HTTP_422_UNPROCESSABLE_ENTITY)
        return Response(to_corpus_dict(parsed))


class PolicyDocumentFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("搜索（标题、文号、发文机关）"), method="search")
    status = django_filters.ChoiceFilter(label=_("状态"), choices=DocumentStatus.choices)
    group = IdFilter(label=_("领导小组"), field_name="group_id")

    class Meta:
        model = PolicyDocument
        fields = ["q", "status", "group"]

    def search(self, queryset: QuerySet[PolicyDocument], name: str, value: str) -> QuerySet[PolicyDocument]:
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(Q(title__icontains=value) | Q(doc_number__icontains=value) | Q(issuer__icontains=value))


class MeasureFilterSet(django_filters.FilterSet):
    document = IdFilter(label=_("政策文件 id"), field_name="document_id")
    q = django_filters.CharFilter(label=_("搜索（编号、标题、内容）"), method="search")

    class Meta:
        model = Measure
        fields = ["document", "q"]

    def search(self, queryset: QuerySet[Measure], name: str, value: str) -> QuerySet[Measure]:
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(Q(number=value) | Q(title__icontains=value) | Q(content__icontains=value))


@extend_schema_view(
    list=extend_schema(summary="政策文件列表", tags=["政策文件"], description=DOCUMENTS_SEEN),
    retrieve=extend_schema(summary="查看政策文件", tags=["政策文件"], description=DOCUMENTS_SEEN),
)
class PolicyDocumentViewSet(PolicyTrackViewSetMixin, viewsets.ReadOnlyModelViewSet):
    """Documents the user may see: all for the office, leadership and admins, otherwise those on
    which the user's departments have work."""

    serializer_class = PolicyDocumentSerializer
    filterset_class = PolicyDocumentFilterSet

    def get_queryset(self) -> QuerySet[PolicyDocument]:
        request: Request = self.request
        return (
            PolicyDocument.objects.visible_to(request.user)
            .select_related("group")
            .annotate(measure_count=Count("measures"))
            .order_by("-issued_date", "-id")
        )


@extend_schema_view(
    list=extend_schema(summary="措施列表", tags=["措施"], description=MEASURES_SEEN),
    retrieve=extend_schema(summary="查看措施", tags=["措施"], description=MEASURES_SEEN),
)
class MeasureViewSet(PolicyTrackViewSetMixin, viewsets.ReadOnlyModelViewSet):
    """Measures the user may see, with their milestones and indicators."""

    serializer_class = MeasureSerializer
    filterset_class = MeasureFilterSet

    def get_queryset(self) -> QuerySet[Measure]:
        request: Request = self.request
        return (
            Measure.objects.visible_to(request.user)
            .select_related("document", "section")
            .prefetch_related("milestones", "indicators")
            .order_by("document_id", "order", "id")
        )
