from django.urls import path

from documents import views

app_name = "documents"

urlpatterns = [
    path("", views.DocumentListView.as_view(), name="list"),
    path("<int:pk>/", views.DocumentDetailView.as_view(), name="detail"),
    path("import/", views.ImportStartView.as_view(), name="import"),
    path("import/<int:pk>/", views.ImportPreviewView.as_view(), name="import-preview"),
    path("import/<int:pk>/metadata/", views.ImportMetadataView.as_view(), name="import-metadata"),
    path("import/<int:pk>/units/", views.ImportUnitView.as_view(), name="import-unit"),
    path("import/<int:pk>/measures/<str:key>/", views.ImportMeasureView.as_view(), name="import-measure"),
    path("import/<int:pk>/measures/<str:key>/drop/", views.ImportMeasureDropView.as_view(), name="import-drop"),
    path("import/<int:pk>/discard/", views.ImportDiscardView.as_view(), name="import-discard"),
]
