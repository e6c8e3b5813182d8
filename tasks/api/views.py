"""Tasks API: assignments, progress reports and extension requests.

Every queryset starts from the model's scoping function (``visible_to``), so an object outside
it is a 404. Every change is one call to a service function of tasks.workflow.reports, whose
PermissionDenied, ValidationError and ConflictError become 403, 400 and 409. After a change the
object is read back through the same scoping function inside the change's transaction, so that
a write can never leave the caller holding something it may not see."""

from __future__ import annotations

from typing import Any

import django_filters
from django.db import transaction
from django.db.models import F, Prefetch, Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.permissions import BasePermission
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.serializers import BaseSerializer

from departments.api.views import PolicyTrackViewSetMixin
from policytrack.filters import IdFilter, WindowDateFilter
from tasks.api.permissions import IsDepartmentUser, IsLeader, IsOffice
from tasks.api.serializers import (
    AssignmentDetailSerializer,
    AssignmentSerializer,
    DecisionInputSerializer,
    ExtensionDecisionInputSerializer,
    ExtensionRequestInputSerializer,
    ExtensionRequestSerializer,
    ReportInputSerializer,
    ReportSerializer,
    ReturnInputSerializer,
    UrgeInputSerializer,
    UrgeSerializer,
)
from tasks.choices import ExtensionStatus, ReportStatus
from tasks.filtersets import AssignmentFilterSet
from tasks.models import Assignment, ExtensionRequest, IndicatorValue, ProgressReport, Urge
from tasks.workflow import reports
from tasks.workflow.access import get_assignment_for_user
from tasks.workflow.status import with_lights

NO_FILES = _("接口暂不支持上传佐证材料，请在网页上传。")
ASSIGNMENTS_SEEN = (
    "督查员、领导和管理员可见全部任务分工,单位用户只见本单位的。`due` 为生效时限(批准延期后的时限优先于措施时限),"
    "`light` 为亮灯:red 逾期、yellow 临期或缺报、green 正常、grey 已办结或持续推进。领导账号只读。"
)
REPORTS_SEEN = (
    "单位用户可见本单位的报告(含草稿),以及本单位牵头的措施上其他单位已提交的报告(供汇总,只含进展、进度和指标,"
    "不含佐证材料和审核意见);督查员、领导和管理员可见所有已提交的报告,看不到任何草稿。"
    "佐证材料本版本接口不支持上传,`attachments[].download_url` 为按权限检查的下载地址。"
)
EXTENSIONS_SEEN = "可见范围与任务分工相同;延期申请由部门负责人提出,督查员审批。"


def errors(*codes: int) -> dict[int, OpenApiResponse]:
    """The error answers an action may give, described once for the schema."""
    described = {
        400: _("输入有误：按字段返回错误信息，业务规则的错误在 non_field_errors 中。"),
        403: _("无权执行此操作（例如领导账号的任何修改，或不是本单位的任务）。"),
        404: _("对象不存在或不在您的可见范围内。"),
        409: _("数据已被他人处理或状态不允许此操作，返回的信息说明了当前状态。"),
    }
    return {code: OpenApiResponse(description=str(described[code])) for code in codes}


class TasksViewSetMixin(PolicyTrackViewSetMixin):
    """Adds the service layer's ConflictError (→ 409) and per-action role gates."""

    conflict_errors = (reports.ConflictError,)
    action_permissions: dict[str, tuple[type[BasePermission], ...]] = {}

    def get_permissions(self) -> list[BasePermission]:
        gates = self.action_permissions.get(self.action, ())  # type: ignore[attr-defined]
        return [*super().get_permissions(), *(gate() for gate in gates)]  # type: ignore[misc]


# --- Assignments ---


# What AssignmentSerializer reads of a listed assignment and its relations: the list's sort joins
# every row the user may see, so the measures' and documents' texts stay out of it.
LIST_COLUMNS = [
    *(f.name for f in Assignment._meta.concrete_fields),
    "measure__number", "measure__title", "measure__document_id", "measure__document__title", "department__name",
]
ASSIGNMENT_WRITES = {
    "acknowledge": (IsDepartmentUser,),
    "urge": (IsOffice,),
    "sign_off": (IsOffice,),
    "extension_requests": (IsLeader,),
}


@extend_schema_view(
    list=extend_schema(summary="任务分工列表(含亮灯与生效时限)", tags=["任务分工"], description=ASSIGNMENTS_SEEN),
    retrieve=extend_schema(summary="查看任务分工(含催办与延期申请)", tags=["任务分工"], description=ASSIGNMENTS_SEEN),
)
class AssignmentViewSet(TasksViewSetMixin, viewsets.ReadOnlyModelViewSet):
    """Assignments the user may see, with ``due`` and ``light`` computed in the database."""

    filterset_class = AssignmentFilterSet
    action_permissions = ASSIGNMENT_WRITES

    def get_queryset(self) -> QuerySet[Assignment]:
        request: Request = self.request
        queryset = with_lights(Assignment.objects.visible_to(request.user), timezone.localdate())
        queryset = queryset.select_related("measure__document", "department")
        if self.action == "list":
            queryset = queryset.only(*LIST_COLUMNS)
        else:
            queryset = queryset.prefetch_related(
                Prefetch("urges", queryset=Urge.objects.select_related("sent_by", "replied_by")),
                Prefetch(
                    "extension_requests",
                    queryset=ExtensionRequest.objects.select_related(
                        "assignment__department", "assignment__measure", "requested_by", "decided_by"
                    ),
                ),
            )
        return queryset.by_deadline()

    def get_serializer_class(self) -> type[BaseSerializer]:
        return AssignmentSerializer if self.action == "list" else AssignmentDetailSerializer

    def get_serializer_context(self) -> dict[str, Any]:
        return {**super().get_serializer_context(), "today": timezone.localdate()}

    def _answer(self, code: int = status.HTTP_200_OK) -> Response:
        """The assignment as the caller now sees it, read back through ``visible_to``."""
        return Response(self.get_serializer(self.get_object()).data, status=code)

    @extend_schema(summary="签收任务", tags=["任务分工"], request=None,
                   responses={200: AssignmentDetailSerializer, **errors(403, 404)})
    @action(detail=True, methods=["post"])
    def acknowledge(self, request: Request, pk: str | None = None) -> Response:
        assignment = self.get_object()
        with transaction.atomic():
            reports.acknowledge(assignment, request.user)
            return self._answer()

    @extend_schema(summary="催办(督查员)", tags=["任务分工"], request=UrgeInputSerializer,
                   responses={201: UrgeSerializer, **errors(400, 403, 404)})
    @action(detail=True, methods=["post"])
    def urge(self, request: Request, pk: str | None = None) -> Response:
        assignment = self.get_object()
        payload = UrgeInputSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        with transaction.atomic():
            urge = reports.urge(assignment, request.user, payload.validated_data["message"])
            self.get_object()
        return Response(UrgeSerializer(urge).data, status=status.HTTP_201_CREATED)

    @extend_schema(summary="确认办结(督查员)", tags=["任务分工"], request=None,
                   responses={200: AssignmentDetailSerializer, **errors(403, 404, 409)})
    @action(detail=True, methods=["post"], url_path="sign-off")
    def sign_off(self, request: Request, pk: str | None = None) -> Response:
        assignment = self.get_object()
        with transaction.atomic():
            reports.sign_off(assignment, request.user)
            return self._answer()

    @extend_schema(summary="申请延期(部门负责人)", tags=["任务分工"], request=ExtensionRequestInputSerializer,
                   responses={201: ExtensionRequestSerializer, **errors(400, 403, 404)})
    @action(detail=True, methods=["post"], url_path="extension-requests")
    def extension_requests(self, request: Request, pk: str | None = None) -> Response:
        assignment = self.get_object()
        payload = ExtensionRequestInputSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        with transaction.atomic():
            extension = reports.request_extension(
                assignment, request.user, payload.validated_data["requested_deadline"], payload.validated_data["reason"]
            )
            self.get_object()
        extension = ExtensionRequest.objects.select_related(
            "assignment__department", "assignment__measure", "requested_by", "decided_by"
        ).get(pk=extension.pk)
        return Response(ExtensionRequestSerializer(extension).data, status=status.HTTP_201_CREATED)


# --- Progress reports ---


class ReportFilterSet(django_filters.FilterSet):
    assignment = IdFilter(label=_("任务分工 id"), field_name="assignment_id")
    status = django_filters.ChoiceFilter(label=_("状态"), choices=ReportStatus.choices)
    period = WindowDateFilter(label=_("报告期包含该日期（YYYY-MM-DD）"), method="in_period")
    q = django_filters.CharFilter(label=_("搜索（进展情况、单位）"), method="search")

    class Meta:
        model = ProgressReport
        fields = ["assignment", "status", "period", "q"]

    def in_period(self, queryset: QuerySet[ProgressReport], name: str, value: Any) -> QuerySet[ProgressReport]:
        return queryset.filter(period_start__lte=value, period_end__gte=value)

    def search(self, queryset: QuerySet[ProgressReport], name: str, value: str) -> QuerySet[ProgressReport]:
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(text__icontains=value)
            | Q(assignment__department__name__icontains=value)
            | Q(assignment__department__short_name__icontains=value)
        )


REPORT_WRITES = {
    "create": (IsDepartmentUser,),
    "submit": (IsDepartmentUser,),
    "accept": (IsOffice,),
    "return_report": (IsOffice,),
    "leader_approve": (IsLeader,),
    "leader_return": (IsLeader,),
}


@extend_schema_view(
    list=extend_schema(summary="进展报告列表", tags=["进展报告"], description=REPORTS_SEEN),
    retrieve=extend_schema(summary="查看进展报告", tags=["进展报告"], description=REPORTS_SEEN),
)
class ReportViewSet(TasksViewSetMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Reports the user may see: their departments' own (drafts too), the sent reports of other
    departments on measures they lead, and for the office, leadership and admins every sent report."""

    serializer_class = ReportSerializer
    filterset_class = ReportFilterSet
    action_permissions = REPORT_WRITES

    def get_queryset(self) -> QuerySet[ProgressReport]:
        request: Request = self.request
        visible = ProgressReport.objects.visible_to(request.user)
        return (
            visible.select_related(
                "assignment__department", "created_by", "submitted_by", "leader_approved_by", "reviewed_by"
            )
            .prefetch_related(
                "attachments",
                Prefetch("indicator_values", queryset=IndicatorValue.objects.select_related("indicator")),
                Prefetch("folded_reports", queryset=ProgressReport.objects.visible_to(request.user).only("id")),
            )
            .annotate(document_group_id=F("assignment__measure__document__group_id"))
            .order_by("-period_start", "-id")
        )

    def _answer(self, pk: int, code: int = status.HTTP_200_OK) -> Response:
        """The report as the caller now sees it, read back through ``visible_to``."""
        report = get_object_or_404(self.get_queryset(), pk=pk)
        return Response(self.get_serializer(report).data, status=code)

    @extend_schema(
        summary="填写本期报告(保存草稿或提交)",
        tags=["进展报告"],
        description=(
            "为本单位的一项任务分工填写当前报告期的报告:没有则新建(201),已有草稿或被退回的报告则更新(200);"
            "`submit` 为 true 时保存后直接提交。佐证材料为可选项,本版本接口不支持上传文件,请在网页上传;"
            "已上传的材料以 `attachments[].download_url` 给出下载地址。"
        ),
        request=ReportInputSerializer,
        responses={201: ReportSerializer, 200: ReportSerializer, **errors(400, 403, 404, 409)},
    )
    def create(self, request: Request) -> Response:
        if request.FILES:
            raise ValidationError({"files": [NO_FILES]})
        payload = ReportInputSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        assignment = get_assignment_for_user(request.user, payload.validated_data["assignment"])
        period = reports.current_period(assignment)
        existed = ProgressReport.objects.filter(assignment=assignment, period_start=period.start).exists()
        with transaction.atomic():
            report = reports.save_report(
                assignment, request.user, payload.to_report_input(), submit=payload.validated_data["submit"],
                period=period,
            )
            return self._answer(report.pk, status.HTTP_200_OK if existed else status.HTTP_201_CREATED)

    @extend_schema(summary="提交报告", tags=["进展报告"], request=None,
                   responses={200: ReportSerializer, **errors(403, 404, 409)})
    @action(detail=True, methods=["post"])
    def submit(self, request: Request, pk: str | None = None) -> Response:
        report = self.get_object()
        with transaction.atomic():
            reports.submit_report(report, request.user)
            return self._answer(report.pk)

    def _review(self, request: Request, *, accept: bool) -> Response:
        report = self.get_object()
        payload = (DecisionInputSerializer if accept else ReturnInputSerializer)(data=request.data)
        payload.is_valid(raise_exception=True)
        with transaction.atomic():
            reports.review(report, request.user, accept=accept, comment=payload.validated_data["comment"],
                           expected_version=payload.validated_data["version"])
            return self._answer(report.pk)

    def _leader(self, request: Request, *, approve: bool) -> Response:
        report = self.get_object()
        payload = (DecisionInputSerializer if approve else ReturnInputSerializer)(data=request.data)
        payload.is_valid(raise_exception=True)
        with transaction.atomic():
            reports.leader_decide(report, request.user, approve=approve, comment=payload.validated_data["comment"],
                                  expected_version=payload.validated_data["version"])
            return self._answer(report.pk)

    @extend_schema(summary="审核通过(督查员)", tags=["进展报告"], request=DecisionInputSerializer,
                   responses={200: ReportSerializer, **errors(400, 403, 404, 409)})
    @action(detail=True, methods=["post"])
    def accept(self, request: Request, pk: str | None = None) -> Response:
        return self._review(request, accept=True)

    @extend_schema(summary="退回报告(督查员)", tags=["进展报告"], request=ReturnInputSerializer,
                   responses={200: ReportSerializer, **errors(400, 403, 404, 409)})
    @action(detail=True, methods=["post"], url_path="return", url_name="return")
    def return_report(self, request: Request, pk: str | None = None) -> Response:
        return self._review(request, accept=False)

    @extend_schema(summary="负责人审批通过", tags=["进展报告"], request=DecisionInputSerializer,
                   responses={200: ReportSerializer, **errors(400, 403, 404, 409)})
    @action(detail=True, methods=["post"], url_path="leader-approve")
    def leader_approve(self, request: Request, pk: str | None = None) -> Response:
        return self._leader(request, approve=True)

    @extend_schema(summary="负责人退回", tags=["进展报告"], request=ReturnInputSerializer,
                   responses={200: ReportSerializer, **errors(400, 403, 404, 409)})
    @action(detail=True, methods=["post"], url_path="leader-return")
    def leader_return(self, request: Request, pk: str | None = None) -> Response:
        return self._leader(request, approve=False)


# --- Extension requests ---


class ExtensionRequestFilterSet(django_filters.FilterSet):
    assignment = IdFilter(label=_("任务分工 id"), field_name="assignment_id")
    status = django_filters.ChoiceFilter(label=_("状态"), choices=ExtensionStatus.choices)

    class Meta:
        model = ExtensionRequest
        fields = ["assignment", "status"]


@extend_schema_view(
    list=extend_schema(summary="延期申请列表", tags=["延期申请"], description=EXTENSIONS_SEEN),
    retrieve=extend_schema(summary="查看延期申请", tags=["延期申请"], description=EXTENSIONS_SEEN),
)
class ExtensionRequestViewSet(TasksViewSetMixin, viewsets.ReadOnlyModelViewSet):
    """Extension requests on the assignments the user may see; the office decides them."""

    serializer_class = ExtensionRequestSerializer
    filterset_class = ExtensionRequestFilterSet
    action_permissions = {"decide": (IsOffice,)}

    def get_queryset(self) -> QuerySet[ExtensionRequest]:
        request: Request = self.request
        return (
            ExtensionRequest.objects.filter(assignment__in=Assignment.objects.visible_to(request.user))
            .select_related("assignment__department", "assignment__measure", "requested_by", "decided_by")
            .order_by("-requested_at", "-id")
        )

    @extend_schema(summary="审批延期申请(督查员)", tags=["延期申请"], request=ExtensionDecisionInputSerializer,
                   responses={200: ExtensionRequestSerializer, **errors(400, 403, 404, 409)})
    @action(detail=True, methods=["post"])
    def decide(self, request: Request, pk: str | None = None) -> Response:
        extension = self.get_object()
        payload = ExtensionDecisionInputSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        with transaction.atomic():
            reports.decide_extension(extension, request.user, approve=payload.validated_data["approve"],
                                     comment=payload.validated_data["comment"])
            return Response(self.get_serializer(self.get_object()).data)
