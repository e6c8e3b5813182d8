from django.conf import settings
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers


class ParseRequestSerializer(serializers.Serializer):
    text = serializers.CharField(help_text=_("政策文件全文"), trim_whitespace=True, allow_blank=False)
    source = serializers.CharField(required=False, allow_blank=True, max_length=200, help_text=_("来源文件名"))

    def validate_text(self, value: str) -> str:
        limit = settings.DOCUMENT_IMPORT_MAX_BYTES
        if len(value.encode("utf-8")) > limit:
            raise serializers.ValidationError(_("文本过长(上限 %(mb).1f MB),请分多次识别。") % {"mb": limit / 1048576})
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
