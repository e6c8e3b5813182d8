"""DRF permissions by role, the API twin of departments.permissions."""

from rest_framework.permissions import BasePermission

from departments.roles import get_roles


class IsAdminOrOffice(BasePermission):
    message = "仅管理员和督查员可以使用此接口。"

    def has_permission(self, request, view) -> bool:
        roles = get_roles(request.user)
        return roles.is_admin or roles.is_office
