"""View guards by role. Object-level scoping lives in each model's ``visible_to``."""

from collections.abc import Callable

from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied

from departments.roles import UserRoles, get_roles


class RoleRequiredMixin(LoginRequiredMixin):
    """Allow a logged-in user whose roles pass ``role_check``; others get 403."""

    role_check: Callable[[UserRoles], bool] = staticmethod(lambda roles: False)

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not self.role_check(get_roles(request.user)):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


def is_department_user(roles: UserRoles) -> bool:
    return roles.is_department_user


def is_office(roles: UserRoles) -> bool:
    return roles.is_office


def reads_dashboards(roles: UserRoles) -> bool:
    return roles.is_office or roles.is_leadership


def reads_documents(roles: UserRoles) -> bool:
    return roles.sees_everything or bool(roles.oversees_groups)


def is_admin(roles: UserRoles) -> bool:
    return roles.is_admin
