"""View guards by role. Object-level scoping lives in each model's ``visible_to``."""

from collections.abc import Callable

from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from departments.roles import UserRoles, get_roles


class RoleRequiredMixin(LoginRequiredMixin):
    """Allow a logged-in user whose roles pass ``role_check``; others get 403."""

    role_check: Callable[[UserRoles], bool] = staticmethod(lambda roles: False)

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not self.role_check(get_roles(request.user)):
            raise PermissionDenied(who_may(self.role_check))  # the 403 page says who may open it
        return super().dispatch(request, *args, **kwargs)


def who_may(check: Callable[[UserRoles], bool]) -> str:
    """The sentence the 403 page shows for a role check: who may open the page."""
    names = {
        "is_department_user": _("本页面仅供承办单位的填报员和负责人使用。"),
        "is_office": _("本页面仅供督查员使用。"),
        "reads_dashboards": _("本页面仅供督查员和领导查看。"),
        "reads_documents": _("本页面仅供督查员、领导和系统管理员查看。"),
        "is_admin": _("本页面仅供系统管理员使用。"),
        "is_leader": _("本页面仅供部门负责人使用。"),
    }
    return names.get(getattr(check, "__name__", ""), _("本页面仅供已分配相应角色的用户使用。"))


def is_leader(roles: UserRoles) -> bool:
    return roles.is_leader


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
