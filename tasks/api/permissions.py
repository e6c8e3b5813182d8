"""Role gates of the tasks API, checked before the object is looked up. They only say who may
try an action at all; the service functions in tasks.workflow.reports decide on the object itself."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from rest_framework.permissions import BasePermission
from rest_framework.request import Request

from departments.roles import get_roles


class IsDepartmentUser(BasePermission):
    message = _("只有承办单位的填报员或负责人可以执行此操作。")

    def has_permission(self, request: Request, view: Any) -> bool:
        return get_roles(request.user).is_department_user


class IsLeader(BasePermission):
    message = _("只有部门负责人可以执行此操作。")

    def has_permission(self, request: Request, view: Any) -> bool:
        return get_roles(request.user).is_leader


class IsOffice(BasePermission):
    message = _("只有督查员可以执行此操作。")

    def has_permission(self, request: Request, view: Any) -> bool:
        return get_roles(request.user).is_office
