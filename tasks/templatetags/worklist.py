"""Template filters and tags of the work lists: days left as people say it, a traffic light."""

import functools

from django import template
from django.utils import translation
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from policytrack.filters import model_choices as read_model_choices
from tasks.workflow import queues

register = template.Library()

LIGHT_TITLES = {
    "red": gettext_lazy("红灯 · 已逾期"),
    "yellow": gettext_lazy("黄灯 · 临期或缺报"),
    "green": gettext_lazy("绿灯 · 正常"),
}
GREY_TITLE = gettext_lazy("灰灯 · 已办结或持续推进")


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


@register.simple_tag
def light(value: str) -> str:
    """The traffic light (亮灯) of a row, named for screen readers: a tag rather than an included
    template, since every row of a list has one; the few there are are written once per language."""
    return _light(str(value), translation.get_language())


@functools.lru_cache(maxsize=32)
def _light(value: str, language: str | None) -> str:
    title = LIGHT_TITLES.get(value, GREY_TITLE)
    return format_html('<span class="light light-{}" role="img" title="{}" aria-label="{}"></span>', value, title, title)


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


@register.filter
def badge(count: int) -> str:
    """A menu count as its badge shows it: "99+" beyond ``queues.MENU_COUNT_CAP``."""
    cap = queues.MENU_COUNT_CAP
    return f"{cap}+" if count > cap else str(count)


@register.filter
def model_choices(field) -> list[tuple[str, str]]:
    """A filter form's model choices (documents, groups) read with one plain query."""
    return read_model_choices(field)


@register.simple_tag
def select_options(choices, chosen) -> str:
    """The ``<option>`` elements of a select, the chosen value marked: written here rather than as
    a template loop, since a city's document filter has some two hundred of them."""
    chosen = "" if chosen is None else str(chosen)
    return format_html_join("", '<option value="{}"{}>{}</option>',
                            ((value, " selected" if str(value) == chosen else "", label) for value, label in choices))
