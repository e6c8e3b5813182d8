from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from policytrack import views
from tasks.api.dashboard import DashboardSummaryView
from tasks.notify.views import CalendarFeedView

urlpatterns = [
    path("", views.home, name="home"),
    path("no-role/", views.no_role, name="no-role"),
    path("status/", views.status, name="status"),
    path("accounts/", include("django.contrib.auth.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("calendar/<str:token>.ics", CalendarFeedView.as_view(), name="calendar-feed"),
    path("documents/", include("documents.urls")),
    path("", include("tasks.urls")),
    path("api/dashboard/summary/", DashboardSummaryView.as_view(), name="api-dashboard-summary"),
    path("api/", include("departments.api.urls")),
    path("api/", include("documents.api.urls")),
    path("api/", include("tasks.api.urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", SpectacularSwaggerSplitView.as_view(url_name="api-schema"), name="api-docs"),
]
