from django.urls import path

from tasks import views

app_name = "tasks"

urlpatterns = [
    path("tasks/", views.MyTasksView.as_view(), name="my-tasks"),
    path("tasks/<int:pk>/", views.AssignmentDetailView.as_view(), name="assignment"),
    path("reviews/", views.ReviewQueueView.as_view(), name="reviews"),
    path("dashboard/", views.DashboardView.as_view(), name="dashboard"),
    path("documents/import/<int:pk>/confirm/", views.ImportConfirmView.as_view(), name="import-confirm"),
]
