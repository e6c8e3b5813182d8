from drf_spectacular.utils import extend_schema
from rest_framework.response import Response
from rest_framework.views import APIView

from departments.api.permissions import IsAdminOrOffice
from documents.api.serializers import ParseRequestSerializer, ParseResultSerializer
from documents.parsing import parse_document, to_corpus_dict


class ParseDocumentView(APIView):
    """Parse posted text and return measures, units and deadlines; nothing is saved."""

    permission_classes = [IsAdminOrOffice]

    @extend_schema(request=ParseRequestSerializer, responses=ParseResultSerializer, summary="识别政策文件")
    def post(self, request):
        payload = ParseRequestSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        parsed = parse_document(payload.validated_data["text"], source=payload.validated_data.get("source") or None)
        return Response(to_corpus_dict(parsed))
