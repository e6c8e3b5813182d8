"""The navigation entries each role sees, and the page each role lands on after login."""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from departments.choices import Role
from departments.roles import get_roles


@dataclass(frozen=True)
class NavEntry:
    label: str | Promise
    url_name: str
    icon: str
    roles: frozenset[str]


# Order matters: the first entry a user may see is their landing page.
ENTRIES = (
    NavEntry(_("我的任务"), "tasks:my-tasks", "bi-list-check", frozenset({Role.STAFF, Role.LEADER})),
    NavEntry(_("待审批"), "tasks:approvals", "bi-person-check", frozenset({Role.LEADER})),
    NavEntry(_("审核"), "tasks:reviews", "bi-clipboard-check", frozenset({Role.OFFICE})),
    NavEntry(_("仪表盘"), "tasks:dashboard", "bi-speedometer2", frozenset({Role.OFFICE, Role.LEADERSHIP})),
    NavEntry(
        _("政策文件"),
        "documents:list",
        "bi-file-earmark-text",
        frozenset({Role.OFFICE, Role.LEADERSHIP, Role.ADMIN}),
    ),
    NavEntry(_("导入文件"), "documents:import", "bi-upload", frozenset({Role.ADMIN})),
    # Last, so that it is nobody's landing page: the office drafts bulletins, everyone reads them.
    NavEntry(
        _("通报"),
        "tasks:bulletins",
        "bi-megaphone",
        frozenset({Role.STAFF, Role.LEADER, Role.OFFICE, Role.LEADERSHIP, Role.ADMIN}),
    ),
)


def entries_for(user) -> list[NavEntry]:
    roles = get_roles(user).roles
    return [entry for entry in ENTRIES if entry.roles & roles]


def navigation_for(user, current_path: str) -> list[dict]:
    items = []
    for entry in entries_for(user):
        url = reverse(entry.url_name)
        items.append({"label": entry.label, "url": url, "icon": entry.icon, "name": entry.url_name,
                      "active": current_path.startswith(url)})
    if user.is_staff:
        items.append({"label": _("管理后台"), "url": reverse("admin:index"), "icon": "bi-gear", "name": "admin:index",
                      "active": False})
    return items


def home_url(user) -> str:
    """Where a user lands after login: the first page made for one of their roles."""
    entries = entries_for(user)
    if entries:
        return reverse(entries[0].url_name)
    if user.is_staff:
        return reverse("admin:index")
    return reverse("no-role")
