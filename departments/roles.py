"""Who a user is in PolicyTrack: their roles and departments, read once per request."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser

from departments.choices import Role

_CACHE_ATTR = "_policytrack_roles"


@dataclass(frozen=True)
class UserRoles:
    """The roles a user holds, the departments they work in (staff or leader) and the
    departments they lead. Roles are per membership: a leader of one department is no leader
    of another department the same person is staff in."""

    roles: frozenset[str]
    department_ids: frozenset[int]
    led_department_ids: frozenset[int] = frozenset()

    @property
    def is_admin(self) -> bool:
        return Role.ADMIN in self.roles

    @property
    def is_office(self) -> bool:
        return Role.OFFICE in self.roles

    @property
    def is_leadership(self) -> bool:
        return Role.LEADERSHIP in self.roles

    @property
    def is_department_user(self) -> bool:
        return bool(self.roles & {Role.STAFF, Role.LEADER})

    @property
    def is_leader(self) -> bool:
        """A leader somewhere: only a gate for pages; decisions use ``leads_department``."""
        return Role.LEADER in self.roles

    def leads_department(self, department_id: int | None) -> bool:
        return department_id in self.led_department_ids

    @property
    def sees_everything(self) -> bool:
        """The office, leadership and admins read across all departments."""
        return bool(self.roles & {Role.OFFICE, Role.LEADERSHIP, Role.ADMIN})


NOBODY = UserRoles(frozenset(), frozenset())


def get_roles(user: AbstractBaseUser | AnonymousUser) -> UserRoles:
    """Roles of ``user``, computed with one query and cached on the user object."""
    if not user.is_authenticated:
        return NOBODY
    cached = getattr(user, _CACHE_ATTR, None)
    if cached is not None:
        return cached
    roles: set[str] = set()
    department_ids: set[int] = set()
    led: set[int] = set()
    for department_id, role in user.memberships.values_list("department_id", "role"):
        roles.add(role)
        if role in (Role.STAFF, Role.LEADER):
            department_ids.add(department_id)
        if role == Role.LEADER:
            led.add(department_id)
    if user.is_superuser:
        roles.add(Role.ADMIN)
    result = UserRoles(frozenset(roles), frozenset(department_ids), frozenset(led))
    setattr(user, _CACHE_ATTR, result)
    return result
