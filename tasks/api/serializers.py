"""Serializers of the tasks API: what assignments, reports, urges and extension requests look
like to a client, and the checked input of every action. Input serializers only check shape and
ranges; the rules about who may do what and when stay in tasks.workflow.reports."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from departments.roles import get_roles
from policytrack.bounds import date_validators
from tasks.choices import AssignmentStatus
from tasks.models import Assignment, Attachment, ExtensionRequest, IndicatorValue, ProgressReport, Urge
from tasks.workflow.reports import ReportInput
from tasks.workflow.status import Light, days_left


@extend_schema_field(OpenApiTypes.STR)
class PersonField(serializers.Field):
    """A user shown by name (full name, else user name); never the account's other details."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(read_only=True, allow_null=True, **kwargs)

    def to_representation(self, value: Any) -> str:
        return value.get_full_name() or value.get_username()


@extend_schema_field(
    {
        "type": "string",
        "enum": list(AssignmentStatus.values),
        "description": "\n".join(f"* `{value}` - {label}" for value, label in AssignmentStatus.choices),
    },
    component_name="AssignmentStatusEnum",
)
class AssignmentStatusField(serializers.ChoiceField):
    """The assignment's status. Its own schema component: the list and the detail share it, and
    several other choice sets are also called ``status``."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(choices=AssignmentStatus.choices, read_only=True, **kwargs)


class UrgeSerializer(serializers.ModelSerializer):
    sent_by = PersonField(help_text=_("催办人"))
    replied_by = PersonField(help_text=_("回复人"))

    class Meta:
        model = Urge
        fields = ["id", "assignment", "message", "sent_by", "sent_at", "reply", "replied_by", "replied_at"]
        read_only_fields = fields


class ExtensionRequestSerializer(serializers.ModelSerializer):
    department = serializers.IntegerField(source="assignment.department_id", read_only=True, help_text=_("单位 id"))
    department_name = serializers.CharField(source="assignment.department.name", read_only=True)
    measure_number = serializers.CharField(source="assignment.measure.number", read_only=True)
    measure_title = serializers.CharField(source="assignment.measure.title", read_only=True)
    status_display = serializers.CharField(source="get_status_display", read_only=True)
    requested_by = PersonField(help_text=_("申请人"))
    decided_by = PersonField(help_text=_("审批人"))

    class Meta:
        model = ExtensionRequest
        fields = [
            "id", "assignment", "department", "department_name", "measure_number", "measure_title",
            "requested_by", "requested_at", "previous_deadline", "requested_deadline", "reason",
            "status", "status_display", "decided_by", "decided_at", "decision_comment",
        ]
        read_only_fields = fields


class AssignmentSerializer(serializers.ModelSerializer):
    """An assignment with its measure, department, effective deadline (``due``) and light."""

    measure_number = serializers.CharField(source="measure.number", read_only=True)
    measure_title = serializers.CharField(source="measure.title", read_only=True)
    document = serializers.IntegerField(source="measure.document_id", read_only=True, help_text=_("政策文件 id"))
    document_title = serializers.CharField(source="measure.document.title", read_only=True)
    department_name = serializers.CharField(source="department.name", read_only=True)
    role_display = serializers.CharField(source="get_role_display", read_only=True)
    status = AssignmentStatusField(help_text=_("状态"))
    status_display = serializers.CharField(source="get_status_display", read_only=True)
    due = serializers.DateField(read_only=True, allow_null=True, help_text=_("生效时限：批准延期后的时限，否则为措施时限"))
    days_left = serializers.SerializerMethodField(help_text=_("距时限天数，逾期为负数"))
    light = serializers.ChoiceField(choices=Light.choices, read_only=True, help_text=_("亮灯"))
    light_display = serializers.SerializerMethodField(help_text=_("亮灯说明"))

    class Meta:
        model = Assignment
        fields = [
            "id", "measure", "measure_number", "measure_title", "document", "document_title", "department",
            "department_name", "role", "role_display", "status", "status_display", "percent", "deadline", "due",
            "days_left", "light", "light_display", "acknowledged_at", "closed_at", "created_at",
        ]
        read_only_fields = fields

    def get_days_left(self, assignment: Assignment) -> int | None:
        return days_left(assignment.due, self.context["today"])  # type: ignore[attr-defined]

    def get_light_display(self, assignment: Assignment) -> str:
        return str(Light(assignment.light).label)  # type: ignore[attr-defined]


class AssignmentDetailSerializer(AssignmentSerializer):
    """One assignment with its urges and extension requests."""

    urges = UrgeSerializer(many=True, read_only=True)
    extension_requests = ExtensionRequestSerializer(many=True, read_only=True)

    class Meta(AssignmentSerializer.Meta):
        fields = [*AssignmentSerializer.Meta.fields, "urges", "extension_requests"]
        read_only_fields = fields


class IndicatorValueSerializer(serializers.ModelSerializer):
    name = serializers.CharField(source="indicator.name", read_only=True)
    unit = serializers.CharField(source="indicator.unit", read_only=True)

    class Meta:
        model = IndicatorValue
        fields = ["indicator", "name", "unit", "value"]
        read_only_fields = fields


class AttachmentSerializer(serializers.ModelSerializer):
    name = serializers.CharField(source="original_name", read_only=True)
    download_url = serializers.SerializerMethodField(help_text=_("下载地址（按权限检查，以附件形式下载）"))

    class Meta:
        model = Attachment
        fields = ["id", "name", "content_type", "size", "uploaded_at", "download_url"]
        read_only_fields = fields

    def get_download_url(self, attachment: Attachment) -> str:
        url = reverse("tasks:attachment", args=[attachment.pk])
        request = self.context.get("request")
        return request.build_absolute_uri(url) if request is not None else url


class ReportSerializer(serializers.ModelSerializer):
    """A progress report. A lead department also sees the sent reports of the other departments on
    the measures it leads (to fold them in); of those it gets the text, percent and indicator
    values, as the pages show them: their evidence files and review comments stay with their own
    department and the office (``attachments`` empty, comments null)."""

    department = serializers.IntegerField(source="assignment.department_id", read_only=True, help_text=_("单位 id"))
    department_name = serializers.CharField(source="assignment.department.name", read_only=True)
    measure = serializers.IntegerField(source="assignment.measure_id", read_only=True, help_text=_("措施 id"))
    status_display = serializers.CharField(source="get_status_display", read_only=True)
    created_by = PersonField(help_text=_("填报人"))
    submitted_by = PersonField(help_text=_("提交人"))
    leader_approved_by = PersonField(help_text=_("审批负责人"))
    reviewed_by = PersonField(help_text=_("审核人"))
    review_comment = serializers.CharField(read_only=True, allow_null=True, help_text=_("督查室审核意见"))
    leader_comment = serializers.CharField(read_only=True, allow_null=True, help_text=_("负责人意见"))
    indicator_values = IndicatorValueSerializer(many=True, read_only=True)
    folded_report_ids = serializers.SerializerMethodField(help_text=_("汇总进本报告的配合单位报告 id"))
    attachments = AttachmentSerializer(many=True, read_only=True, help_text=_("佐证材料（接口暂不支持上传）"))

    class Meta:
        model = ProgressReport
        fields = [
            "id", "assignment", "department", "department_name", "measure", "period_start", "period_end",
            "text", "percent", "status", "status_display", "version", "created_by", "created_at", "updated_at",
            "submitted_by", "submitted_at", "leader_approved_by", "leader_approved_at", "reviewed_by",
            "reviewed_at", "review_comment", "leader_comment", "indicator_values", "folded_report_ids",
            "attachments",
        ]
        read_only_fields = fields

    def get_folded_report_ids(self, report: ProgressReport) -> list[int]:
        return [folded.pk for folded in report.folded_reports.all()]

    def to_representation(self, instance: ProgressReport) -> dict[str, Any]:
        data = super().to_representation(instance)
        request = self.context.get("request")
        roles = get_roles(request.user) if request is not None else None
        if roles is None or not (
            roles.sees_everything or instance.assignment.department_id in roles.department_ids
            or getattr(instance, "document_group_id", None) in roles.oversees_groups
        ):
            data.update(attachments=[], review_comment=None, leader_comment=None)
        return data


# --- Input of the actions ---


class IndicatorValuesField(serializers.DictField):
    """``{indicator_id: value}``; keys arrive as strings in JSON and are turned into ids."""

    child = serializers.DecimalField(max_digits=18, decimal_places=4)

    def to_internal_value(self, data: Any) -> dict[int, Decimal]:
        values = super().to_internal_value(data)
        converted: dict[int, Decimal] = {}
        for key, value in values.items():
            try:
                converted[int(key)] = value
            except (TypeError, ValueError):
                raise serializers.ValidationError(
                    _("指标编号“%(key)s”不是整数；请用 /api/measures/ 中指标的 id。") % {"key": key}
                ) from None
        return converted


class ReportInputSerializer(serializers.Serializer):
    """The current period's report of one assignment: a draft, or with ``submit`` sent on."""

    assignment = serializers.IntegerField(
        min_value=1, help_text=_("任务分工 id（须为本单位的任务）"),
        error_messages={"required": _("请指定任务分工（assignment）。"), "invalid": _("任务分工 id 必须是整数。")},
    )
    text = serializers.CharField(
        max_length=20000, help_text=_("进展情况"),
        error_messages={
            "required": _("请填写进展情况。"), "blank": _("请填写进展情况。"),
            "max_length": _("进展情况不能超过 20000 字。"),
        },
    )
    percent = serializers.IntegerField(
        min_value=0, max_value=100, help_text=_("完成进度（0–100）"),
        error_messages={
            "required": _("请填写完成进度。"), "invalid": _("完成进度必须是 0 到 100 之间的整数。"),
            "min_value": _("完成进度不能小于 0。"), "max_value": _("完成进度不能超过 100。"),
        },
    )
    indicator_values = IndicatorValuesField(
        required=False, default=dict, help_text=_("指标实际值，键为指标 id"),
    )
    folded_report_ids = serializers.ListField(
        child=serializers.IntegerField(min_value=1), required=False, default=list,
        help_text=_("牵头单位汇总的配合单位报告 id"),
    )
    submit = serializers.BooleanField(required=False, default=False, help_text=_("为 true 时保存后直接提交"))

    def to_report_input(self) -> ReportInput:
        data = self.validated_data
        return ReportInput(
            text=data["text"].strip(),
            percent=data["percent"],
            indicator_values=data["indicator_values"],
            files=[],
            folded_report_ids=data["folded_report_ids"],
        )


class DecisionInputSerializer(serializers.Serializer):
    """Accept or approve: an optional comment and the report version the decision was made on."""

    comment = serializers.CharField(
        required=False, allow_blank=True, default="", max_length=2000, help_text=_("意见"),
        error_messages={"max_length": _("意见不能超过 2000 字。")},
    )
    version = serializers.IntegerField(
        min_value=1, help_text=_("所依据的报告版本号（报告的 version），防止覆盖他人刚做的处理"),
        error_messages={"required": _("请提供报告的版本号（version）。"), "invalid": _("版本号必须是整数。")},
    )


class ReturnInputSerializer(DecisionInputSerializer):
    """Return: the comment is required, it tells the department what to change."""

    comment = serializers.CharField(
        max_length=2000, help_text=_("退回意见（必填）"),
        error_messages={
            "required": _("退回时请填写意见。"), "blank": _("退回时请填写意见。"),
            "max_length": _("意见不能超过 2000 字。"),
        },
    )


class UrgeInputSerializer(serializers.Serializer):
    message = serializers.CharField(
        max_length=1000, help_text=_("催办内容"),
        error_messages={
            "required": _("请填写催办内容。"), "blank": _("请填写催办内容。"),
            "max_length": _("催办内容不能超过 1000 字。"),
        },
    )


class ExtensionRequestInputSerializer(serializers.Serializer):
    requested_deadline = serializers.DateField(
        help_text=_("申请延至（YYYY-MM-DD），须在 2000-01-01 至 2100-12-31 之间"),
        validators=date_validators(),
        error_messages={"required": _("请填写申请延至的日期。"), "invalid": _("日期格式应为 YYYY-MM-DD。")},
    )
    reason = serializers.CharField(
        max_length=2000, help_text=_("申请理由"),
        error_messages={
            "required": _("请填写延期理由。"), "blank": _("请填写延期理由。"),
            "max_length": _("延期理由不能超过 2000 字。"),
        },
    )


class ExtensionDecisionInputSerializer(serializers.Serializer):
    approve = serializers.BooleanField(
        help_text=_("true 批准，false 不批准"),
        error_messages={"required": _("请说明是否批准（approve）。"), "invalid": _("approve 必须是 true 或 false。")},
    )
    comment = serializers.CharField(
        required=False, allow_blank=True, default="", max_length=2000, help_text=_("审批意见（不批准时必填）"),
        error_messages={"max_length": _("审批意见不能超过 2000 字。")},
    )
