"""The department directory API, the token endpoint, and the pieces every PolicyTrack viewset
shares: role permissions and the mapping of service errors to HTTP status codes.

They live here because ``departments`` is the app every other app may import."""

from __future__ import annotations

from typing import Any

import django_filters
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import transaction
from django.db.models import ProtectedError, Q, QuerySet
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import status, viewsets
from rest_framework.authtoken.views import ObtainAuthToken
from rest_framework.exceptions import APIException, ValidationError
from rest_framework.permissions import SAFE_METHODS, BasePermission
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.serializers import as_serializer_error

from departments.api.serializers import DepartmentSerializer
from departments.choices import DepartmentKind
from departments.models import Department
from departments.roles import get_roles


class Conflict(APIException):
    """409: the object changed under the caller, or its state forbids the action."""

    status_code = status.HTTP_409_CONFLICT
    default_detail = _("操作与当前数据状态冲突，请刷新后重试。")
    default_code = "conflict"


class HasRole(BasePermission):
    """A logged-in user who plays some role in PolicyTrack (like the pages' role guard)."""

    message = _("您还没有被分配角色，请联系管理员。")

    def has_permission(self, request: Request, view: Any) -> bool:
        return bool(get_roles(request.user).roles)


class ReadOnlyForLeadership(BasePermission):
    """Leadership reads everything and changes nothing, whatever the endpoint."""

    message = _("领导账号只能查看，不能修改数据。")

    def has_permission(self, request: Request, view: Any) -> bool:
        if request.method in SAFE_METHODS:
            return True
        roles = get_roles(request.user)
        return not (roles.is_leadership and not (roles.is_office or roles.is_admin or roles.is_department_user))


class AdminWrites(BasePermission):
    """Anyone with a role reads; only admins write."""

    message = _("只有管理员可以修改单位名录。")

    def has_permission(self, request: Request, view: Any) -> bool:
        return request.method in SAFE_METHODS or get_roles(request.user).is_admin


class ServiceErrorsMixin:
    """Turn the service layer's exceptions into HTTP answers: Django's ValidationError → 400 with
    its messages, ``conflict_errors`` → 409 with the service's message. PermissionDenied (403) and
    Http404 (404) are already handled by DRF."""

    conflict_errors: tuple[type[Exception], ...] = ()

    def handle_exception(self, exc: Exception) -> Response:
        if isinstance(exc, DjangoValidationError):
            exc = ValidationError(detail=as_serializer_error(exc))
        elif self.conflict_errors and isinstance(exc, self.conflict_errors):
            exc = Conflict(detail=str(exc))
        return super().handle_exception(exc)  # type: ignore[misc]


class PolicyTrackViewSetMixin(ServiceErrorsMixin):
    """Base of every PolicyTrack viewset: a role is required, leadership is read-only, object ids
    are numbers (so that ``documents/parse/`` is never taken for a detail route)."""

    permission_classes = [HasRole, ReadOnlyForLeadership]
    lookup_value_regex = r"\d+"


class DepartmentFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("搜索（全称、简称、别名）"), method="search")
    kind = django_filters.ChoiceFilter(label=_("类型"), choices=DepartmentKind.choices)
    is_active = django_filters.BooleanFilter(label=_("启用"))

    class Meta:
        model = Department
        fields = ["q", "kind", "is_active"]

    def search(self, queryset: QuerySet[Department], name: str, value: str) -> QuerySet[Department]:
        value = value.strip()
        if not value:
            return queryset
        aliased = Department.objects.filter(aliases__name__icontains=value).values("pk")
        return queryset.filter(Q(name__icontains=value) | Q(short_name__icontains=value) | Q(pk__in=aliased))


@extend_schema_view(
    list=extend_schema(summary="单位名录", tags=["单位"], description="所有有角色的用户都可查看;只有管理员可以修改。"),
    retrieve=extend_schema(summary="查看单位", tags=["单位"]),
    create=extend_schema(summary="新建单位(管理员)", tags=["单位"]),
    update=extend_schema(summary="修改单位(管理员)", tags=["单位"]),
    partial_update=extend_schema(summary="部分修改单位(管理员)", tags=["单位"]),
    destroy=extend_schema(
        summary="删除单位(管理员)",
        tags=["单位"],
        description="已有任务分工、人员或下级单位的单位不能删除(返回 409),请改为停用。",
    ),
)
class DepartmentViewSet(PolicyTrackViewSetMixin, viewsets.ModelViewSet):
    """The department directory: readable by every user with a role, written only by admins."""

    serializer_class = DepartmentSerializer
    filterset_class = DepartmentFilterSet
    permission_classes = [*PolicyTrackViewSetMixin.permission_classes, AdminWrites]

    def get_queryset(self) -> QuerySet[Department]:
        return Department.objects.prefetch_related("aliases", "members").order_by("sort_order", "name")

    def perform_destroy(self, instance: Department) -> None:
        refused = _("该单位已有任务分工、人员或下级单位，不能删除；请改为停用。")
        if instance.memberships.exists():
            raise Conflict(refused)
        try:
            with transaction.atomic():
                instance.delete()
        except ProtectedError as exc:
            raise Conflict(refused) from exc


class ObtainTokenView(ObtainAuthToken):
    """DRF's obtain_auth_token: a script trades a user name and password for its token."""

    @extend_schema(
        summary="获取接口令牌",
        tags=["认证"],
        description="用用户名和密码换取令牌;之后在请求头中携带 `Authorization: Token <令牌>`。"
        "连续输错密码会被暂时锁定(与网页登录相同)。",
    )
    def post(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().post(request, *args, **kwargs)
