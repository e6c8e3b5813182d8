from django.urls import path

from tasks.dashboard import views as dashboard_views
from tasks.notify import views as notification_views
from tasks.spreadsheets import views as spreadsheet_views
from tasks.workflow import views

app_name = "tasks"

urlpatterns = [
    path("notifications/", notification_views.NotificationListView.as_view(), name="notifications"),
    path("notifications/<int:pk>/open/", notification_views.NotificationOpenView.as_view(), name="notification-open"),
    path("notifications/read-all/", notification_views.NotificationReadAllView.as_view(), name="notifications-read-all"),
    path("notifications/settings/", notification_views.NotificationSettingsView.as_view(), name="notification-settings"),
    path("notifications/outbox/", notification_views.OutboxView.as_view(), name="outbox"),
    path("tasks/", views.MyTasksView.as_view(), name="my-tasks"),
    path("tasks/approvals/", views.LeaderQueueView.as_view(), name="approvals"),
    path("tasks/<int:pk>/", views.AssignmentDetailView.as_view(), name="assignment"),
    path("tasks/<int:pk>/acknowledge/", views.AcknowledgeView.as_view(), name="acknowledge"),
    path("tasks/<int:pk>/urge/", views.UrgeView.as_view(), name="urge"),
    path("tasks/<int:pk>/sign-off/", views.SignOffView.as_view(), name="sign-off"),
    path("tasks/<int:pk>/extension/", views.ExtensionRequestView.as_view(), name="extension-request"),
    path("reports/<int:pk>/decision/", views.ReportDecisionView.as_view(), name="report-decision"),
    path("reports/<int:pk>/submit/", views.SubmitReportView.as_view(), name="report-submit"),
    path("reports/<int:pk>/withdraw/", views.WithdrawReportView.as_view(), name="report-withdraw"),
    path("urges/<int:pk>/reply/", views.UrgeReplyView.as_view(), name="urge-reply"),
    path("extensions/<int:pk>/decision/", views.ExtensionDecisionView.as_view(), name="extension-decision"),
    path("files/<int:pk>/", views.AttachmentDownloadView.as_view(), name="attachment"),
    path("reviews/", views.ReviewQueueView.as_view(), name="reviews"),
    path("reviews/urge/", views.BulkUrgeView.as_view(), name="bulk-urge"),
    path("dashboard/", dashboard_views.DashboardView.as_view(), name="dashboard"),
    path("documents/import/<int:pk>/confirm/", views.ImportConfirmView.as_view(), name="import-confirm"),
]

# Spreadsheet import (任务分解表) for admins, and the ledger (台账) export.
urlpatterns += [
    path("documents/<int:pk>/import-spreadsheet/", spreadsheet_views.SpreadsheetUploadView.as_view(),
         name="spreadsheet-import"),
    path("documents/<int:pk>/import-spreadsheet/<int:run_pk>/", spreadsheet_views.SpreadsheetPreviewView.as_view(),
         name="spreadsheet-preview"),
    path("documents/<int:pk>/import-spreadsheet/<int:run_pk>/rows/<int:row>/skip/",
         spreadsheet_views.SpreadsheetRowSkipView.as_view(), name="spreadsheet-skip"),
    path("documents/<int:pk>/import-spreadsheet/<int:run_pk>/units/", spreadsheet_views.SpreadsheetUnitMapView.as_view(),
         name="spreadsheet-unit"),
    path("documents/<int:pk>/import-spreadsheet/<int:run_pk>/units/create/",
         spreadsheet_views.SpreadsheetUnitCreateView.as_view(), name="spreadsheet-unit-create"),
    path("documents/<int:pk>/import-spreadsheet/<int:run_pk>/confirm/",
         spreadsheet_views.SpreadsheetConfirmView.as_view(), name="spreadsheet-confirm"),
    path("documents/<int:pk>/import-spreadsheet/<int:run_pk>/discard/",
         spreadsheet_views.SpreadsheetDiscardView.as_view(), name="spreadsheet-discard"),
    path("ledger/export/", spreadsheet_views.LedgerExportView.as_view(), name="ledger-export"),
]

# The office's and leadership's list of all assignments (behind the dashboard's numbers) and bulletins (通报).
urlpatterns += [
    path("assignments/", dashboard_views.AssignmentListView.as_view(), name="assignments"),
    path("bulletins/", dashboard_views.BulletinListView.as_view(), name="bulletins"),
    path("bulletins/<int:pk>/", dashboard_views.BulletinDetailView.as_view(), name="bulletin"),
    path("bulletins/<int:pk>/docx/", dashboard_views.BulletinDocxView.as_view(), name="bulletin-docx"),
    path("bulletins/<int:pk>/publish/", dashboard_views.BulletinPublishView.as_view(), name="bulletin-publish"),
]
