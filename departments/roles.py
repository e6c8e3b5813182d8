"""Who a user is in PolicyTrack: their roles and departments, read once per request."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TypeVar

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import IntegerField, Q, QuerySet, Value

from departments.choices import Role

_CACHE_ATTR = "_policytrack_roles"


@dataclass(frozen=True)
class UserRoles:
    """The roles a user holds, the departments they work in (staff or leader) and the leading
    groups whose documents they oversee.

    Office and leadership roles come from two places: a department membership makes a city-wide
    reviewer (the general supervision office, 督查室) or city leadership, who see every group; a
    group membership makes a reviewer of that group's office or leadership chairing that group,
    who see that group's documents only (``group_ids``). Roles are per membership: a leader of one
    department is no leader of another department the same person is staff in
    (``led_department_ids``)."""

    roles: frozenset[str]
    department_ids: frozenset[int]
    group_ids: frozenset[int] = frozenset()
    city_wide: frozenset[str] = frozenset()
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
        """The general office, city leadership and admins read across all departments and groups."""
        return Role.ADMIN in self.roles or bool(self.city_wide & {Role.OFFICE, Role.LEADERSHIP})

    @property
    def is_general_office(self) -> bool:
        """A reviewer of the general supervision office (督查室): every group's work is theirs."""
        return Role.OFFICE in self.city_wide

    @property
    def oversees_groups(self) -> frozenset[int]:
        """Groups whose documents the user oversees beyond their own departments' work (empty
        for those who see everything anyway and for department users)."""
        return frozenset() if self.sees_everything else self.group_ids


NOBODY = UserRoles(frozenset(), frozenset())


def get_roles(user: AbstractBaseUser | AnonymousUser) -> UserRoles:
    """Roles of ``user``, computed with one query (department and group memberships together)
    and cached on the user object."""
    if not user.is_authenticated:
        return NOBODY
    cached = getattr(user, _CACHE_ATTR, None)
    if cached is not None:
        return cached
    roles: set[str] = set()
    city_wide: set[str] = set()
    department_ids: set[int] = set()
    group_ids: set[int] = set()
    led: set[int] = set()
    # order_by(): SQLite allows no ORDER BY inside a UNION, and the order does not matter here
    in_departments = user.memberships.order_by().annotate(in_group=Value(0, output_field=IntegerField())).values_list(
        "department_id", "role", "in_group"
    )
    in_groups = user.group_memberships.order_by().annotate(in_group=Value(1, output_field=IntegerField())).values_list(
        "group_id", "role", "in_group"
    )
    for owner_id, role, in_group in in_departments.union(in_groups, all=True):
        roles.add(role)
        if in_group:
            group_ids.add(owner_id)
        elif role in (Role.STAFF, Role.LEADER):
            department_ids.add(owner_id)
            if role == Role.LEADER:
                led.add(owner_id)
        else:
            city_wide.add(role)
    if user.is_superuser:
        roles.add(Role.ADMIN)
    result = UserRoles(frozenset(roles), frozenset(department_ids), frozenset(group_ids), frozenset(city_wide),
                       frozenset(led))
    setattr(user, _CACHE_ATTR, result)
    return result


_Rows = TypeVar("_Rows", bound=QuerySet)  # a scoping manager's own QuerySet class stays its type

def any_of(queryset: _Rows, *parts: Q | None) -> _Rows:
    """``queryset`` narrowed to the rows that match any of ``parts`` (``None`` parts do not
    apply); nothing at all when no part applies. The scoping managers combine their rules with it."""
    applying = [part for part in parts if part is not None]
    if not applying:
        return queryset.none()
    combined = applying[0]
    for part in applying[1:]:
        combined |= part
    return queryset.filter(combined)
