from django.urls import path

from tasks import views

app_name = "tasks"

urlpatterns = [
    path("tasks/", views.MyTasksView.as_view(), name="my-tasks"),
    path("tasks/approvals/", views.LeaderQueueView.as_view(), name="approvals"),
    path("tasks/<int:pk>/", views.AssignmentDetailView.as_view(), name="assignment"),
    path("tasks/<int:pk>/acknowledge/", views.AcknowledgeView.as_view(), name="acknowledge"),
    path("tasks/<int:pk>/urge/", views.UrgeView.as_view(), name="urge"),
    path("tasks/<int:pk>/sign-off/", views.SignOffView.as_view(), name="sign-off"),
    path("tasks/<int:pk>/extension/", views.ExtensionRequestView.as_view(), name="extension-request"),
    path("reports/<int:pk>/decision/", views.ReportDecisionView.as_view(), name="report-decision"),
    path("reports/<int:pk>/submit/", views.SubmitReportView.as_view(), name="report-submit"),
    path("urges/<int:pk>/reply/", views.UrgeReplyView.as_view(), name="urge-reply"),
    path("extensions/<int:pk>/decision/", views.ExtensionDecisionView.as_view(), name="extension-decision"),
    path("files/<int:pk>/", views.AttachmentDownloadView.as_view(), name="attachment"),
    path("reviews/", views.ReviewQueueView.as_view(), name="reviews"),
    path("dashboard/", views.DashboardView.as_view(), name="dashboard"),
    path("documents/import/<int:pk>/confirm/", views.ImportConfirmView.as_view(), name="import-confirm"),
]
