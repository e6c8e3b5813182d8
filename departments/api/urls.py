"""Routes of the department directory API and the token endpoint (mounted under /api/)."""

from django.urls import path
from rest_framework.routers import SimpleRouter

from departments.api import views

router = SimpleRouter()
router.register("departments", views.DepartmentViewSet, basename="api-department")

urlpatterns = [
    path("auth/token/", views.ObtainTokenView.as_view(), name="api-token"),
    *router.urls,
]
