"""Template filters of the work lists: days left as people say it."""

from django import template
from django.utils.translation import gettext as _

register = template.Library()


@register.filter
def days_left_label(days: int | None, status: str = "") -> str:
    """逾期 N 天 / 今天到期 / 剩 N 天, "已办结" for closed work and "—" without a deadline."""
    if status == "closed":
        return _("已办结")
    if days is None:
        return "—"
    if days < 0:
        return _("逾期 %(n)d 天") % {"n": -days}
    if days == 0:
        return _("今天到期")
    return _("剩 %(n)d 天") % {"n": days}


@register.filter
def person(user) -> str:
    """A person as colleagues know them: the full name, the user name only when there is none."""
    if not user:
        return ""
    return user.get_full_name() or user.get_username()


@register.filter
def count_for(counts: dict | None, name: str) -> int:
    """The count a menu entry shows (``nav_counts`` by URL name); 0 when it has none."""
    return (counts or {}).get(name, 0)
