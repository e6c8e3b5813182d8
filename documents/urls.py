from django.urls import path

from documents import views

app_name = "documents"

urlpatterns = [
    path("", views.DocumentListView.as_view(), name="list"),
    path("<int:pk>/", views.DocumentDetailView.as_view(), name="detail"),
]
