"""Serializers of the documents API: the parser's input and output, documents and measures."""

from django.conf import settings
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from documents.models import Indicator, Measure, Milestone, PolicyDocument, Section


class ParseRequestSerializer(serializers.Serializer):
    text = serializers.CharField(help_text=_("政策文件全文"), trim_whitespace=True, allow_blank=False)
    source = serializers.CharField(required=False, allow_blank=True, max_length=200, help_text=_("来源文件名"))

    def validate_text(self, value: str) -> str:
        limit = settings.DOCUMENT_IMPORT_MAX_BYTES
        if len(value.encode("utf-8")) > limit:
            raise serializers.ValidationError(_("文本过长（上限 %(mb).1f MB），请分多次识别。") % {"mb": limit / 1048576})
        return value


class CorpusDeadlineSerializer(serializers.Serializer):
    phrase = serializers.CharField()
    date = serializers.DateField(allow_null=True)
    recurring = serializers.CharField(allow_null=True)


class CorpusMeasureSerializer(serializers.Serializer):
    number = serializers.CharField()
    path = serializers.ListField(child=serializers.CharField())
    title = serializers.CharField()
    lead = serializers.ListField(child=serializers.CharField())
    responsible = serializers.ListField(child=serializers.CharField())
    supporting = serializers.ListField(child=serializers.CharField())
    deadlines = CorpusDeadlineSerializer(many=True)
    truncated = serializers.BooleanField()


class ParseResultSerializer(serializers.Serializer):
    """The corpus schema, exactly what ``parse_document --json`` prints."""

    source = serializers.CharField(allow_null=True)
    title = serializers.CharField(allow_null=True)
    doc_number = serializers.CharField(allow_null=True)
    issuer = serializers.CharField(allow_null=True)
    issued_date = serializers.DateField(allow_null=True)
    measures = CorpusMeasureSerializer(many=True)


class PolicyDocumentSerializer(serializers.ModelSerializer):
    """A policy document as the lists show it (without its source text)."""

    status_display = serializers.CharField(source="get_status_display", read_only=True, help_text=_("状态名称"))
    measure_count = serializers.IntegerField(read_only=True, help_text=_("措施数"))
    group_name = serializers.CharField(
        source="group.name", read_only=True, default=None, help_text=_("所属领导小组;为空时由督查室统筹")
    )

    class Meta:
        model = PolicyDocument
        fields = [
            "id", "title", "doc_number", "issuer", "issued_date", "status", "status_display", "parent",
            "group", "group_name", "measure_count", "created_at", "updated_at",
        ]
        read_only_fields = fields


class SectionSerializer(serializers.ModelSerializer):
    class Meta:
        model = Section
        fields = ["id", "number", "title", "level"]
        read_only_fields = fields


class MilestoneSerializer(serializers.ModelSerializer):
    class Meta:
        model = Milestone
        fields = ["id", "title", "due_date", "phrase"]
        read_only_fields = fields


class IndicatorSerializer(serializers.ModelSerializer):
    comparator_display = serializers.CharField(source="get_comparator_display", read_only=True)

    class Meta:
        model = Indicator
        fields = ["id", "name", "comparator", "comparator_display", "target_value", "unit", "due_date", "phrase"]
        read_only_fields = fields


class MeasureSerializer(serializers.ModelSerializer):
    """A measure with its heading, milestones and indicators (report indicator values by ``id``)."""

    document_title = serializers.CharField(source="document.title", read_only=True, help_text=_("政策文件标题"))
    section = SectionSerializer(read_only=True, allow_null=True)
    milestones = MilestoneSerializer(many=True, read_only=True)
    indicators = IndicatorSerializer(many=True, read_only=True)

    class Meta:
        model = Measure
        fields = [
            "id", "document", "document_title", "section", "number", "title", "content", "deadline",
            "deadline_text", "is_ongoing", "recurrence", "milestones", "indicators",
        ]
        read_only_fields = fields
