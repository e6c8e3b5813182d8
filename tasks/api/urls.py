"""Routes of the tasks API (mounted under /api/)."""

from rest_framework.routers import SimpleRouter

from tasks.api import views

router = SimpleRouter()
router.register("assignments", views.AssignmentViewSet, basename="api-assignment")
router.register("reports", views.ReportViewSet, basename="api-report")
router.register("extension-requests", views.ExtensionRequestViewSet, basename="api-extension-request")

urlpatterns = router.urls
