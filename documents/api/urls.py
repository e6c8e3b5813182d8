from django.urls import path

from documents.api import views

urlpatterns = [
    path("documents/parse/", views.ParseDocumentView.as_view(), name="api-document-parse"),
]
