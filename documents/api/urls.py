"""Routes of the documents API (mounted under /api/). The parser comes first, and detail routes
only take numbers, so ``documents/parse/`` is never read as a document id."""

from django.urls import path
from rest_framework.routers import SimpleRouter

from documents.api import views

router = SimpleRouter()
router.register("documents", views.PolicyDocumentViewSet, basename="api-document")
router.register("measures", views.MeasureViewSet, basename="api-measure")

urlpatterns = [
    path("documents/parse/", views.ParseDocumentView.as_view(), name="api-document-parse"),
    *router.urls,
]
