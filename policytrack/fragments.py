"""``{% cachefor %}``: a for loop whose body is rendered once per item *content* and then read
from the cache.

A list page shows the same row to everyone who sees that row, until the row changes. The rows of
my tasks, the review queue and the list of all assignments are most of what those pages cost to
render, and a page's rows rarely all change between two visits: at month end the portal changes
every few seconds somewhere in the city, so a cache keyed by a global change counter would rarely
hit, but a given department's rows stay the same between its own reports. So each row is cached
under a key made from everything the row's object holds — every field and annotation loaded,
every attribute the view set on it, the related objects loaded with it (``select_related``) and
its prefetched lists, recursively — with the active language and time zone, the variables named
after ``vary`` and the source of the loop's body. A row whose data changed has a new key: it is
rendered afresh, and the old entry is never read again (it expires after
``FRAGMENT_CACHE_SECONDS``). Nothing shown can be older than the query that fetched the rows.

    {% load fragments %}
    {% cachefor a in object_list vary request.path %}<tr>…{{ a.measure.title }}…</tr>{% empty %}…{% endcachefor %}

The body may use the item, the ``vary`` variables and constants, nothing else of the context
(that is not part of the key). It may hold no ``{% csrf_token %}`` (a token belongs to one user;
put the row's form outside the loop and join it with ``form="…"``) and no ``{% include %}`` (an
edit of the included template would not change the key); both are refused when the template is
compiled. There is no ``forloop``. All rows are read with one ``get_many`` and written with one
``set_many``; an unreachable cache makes every row a miss (policytrack.cache).
"""

from __future__ import annotations

import datetime
import decimal
import hashlib
import secrets
import uuid
from typing import Any

from django import template
from django.conf import settings
from django.core.cache import InvalidCacheBackendError, caches
from django.db.models import Model, QuerySet
from django.template.base import Node, NodeList, TemplateSyntaxError
from django.template.defaulttags import CsrfTokenNode
from django.template.loader_tags import ExtendsNode, IncludeNode
from django.utils import timezone, translation
from django.utils.functional import Promise
from django.utils.safestring import mark_safe

register = template.Library()

DEPTH = 4  # related objects deeper than this are identified by class and primary key only
PLAIN = frozenset({str, int, float, bool, type(None), datetime.date, datetime.datetime, datetime.time,
                   datetime.timedelta, decimal.Decimal, uuid.UUID})


def fingerprint(value: Any, depth: int = 0) -> Any:
    """A plain value (tuples, strings, numbers) holding everything ``value`` shows: for a model
    instance its loaded fields and annotations, the attributes set on it, the related objects
    cached on it and its prefetched lists. An object that cannot be told by value gives its
    ``repr``: at worst (``<… at 0x…>``) a key that never repeats, so a miss, never a stale row."""
    kind = type(value)
    if kind in PLAIN:
        return value
    if isinstance(value, Model):
        return _model(value, depth)
    if isinstance(value, Promise):
        return str(value)
    if isinstance(value, QuerySet):
        if value._result_cache is None:  # what the template would read is unknown: never a hit
            return secrets.token_hex(8)
        return tuple(fingerprint(item, depth) for item in value._result_cache)
    if isinstance(value, dict):
        return tuple(sorted((str(key), fingerprint(item, depth)) for key, item in value.items()))
    if isinstance(value, list | tuple):
        return tuple(fingerprint(item, depth) for item in value)
    if isinstance(value, set | frozenset):
        return tuple(sorted((fingerprint(item, depth) for item in value), key=repr))
    return repr(value)


def _model(instance: Model, depth: int) -> tuple:
    """The instance's attributes in the order the query set them (the same query, the same order;
    another order is only another key)."""
    if depth >= DEPTH:
        return instance._meta.label, instance.pk
    parts: list[Any] = [instance._meta.label]
    for name, value in instance.__dict__.items():
        if name[0] != "_":
            parts += (name, value if type(value) in PLAIN else fingerprint(value, depth + 1))
        elif name == "_state":
            for field, related in value.fields_cache.items():
                parts += (field, fingerprint(related, depth + 1))
        elif name == "_prefetched_objects_cache":
            for lookup, rows in value.items():
                parts += (lookup, tuple(fingerprint(row, depth + 1) for row in rows))
        # other private attributes are caches of what the fields say
    return tuple(parts)


def digest(*values: Any) -> str:
    return hashlib.md5(repr(values).encode(), usedforsecurity=False).hexdigest()


def fragment_cache():
    try:
        return caches["template_fragments"]
    except InvalidCacheBackendError:
        return caches["default"]


class CacheForNode(Node):
    child_nodelists = ("nodelist_loop", "nodelist_empty")

    def __init__(self, name: str, sequence, vary: list, nodelist_loop: NodeList, nodelist_empty: NodeList,
                 source: str) -> None:
        self.name = name
        self.sequence = sequence
        self.vary = vary
        self.nodelist_loop = nodelist_loop
        self.nodelist_empty = nodelist_empty
        self.source = source  # the body's tokens: an edit of the template changes every key

    def __repr__(self) -> str:
        return f"<CacheForNode: {self.name} in {self.sequence}>"

    def render(self, context) -> str:
        items = self.sequence.resolve(context, ignore_failures=True)
        items = list(items) if items is not None else []
        if not items:
            return self.nodelist_empty.render(context)
        base = digest(self.source, translation.get_language(), timezone.get_current_timezone_name(),
                      fingerprint([variable.resolve(context, ignore_failures=True) for variable in self.vary]))
        keys = [f"row:{digest(base, fingerprint(item))}" for item in items]
        cache = fragment_cache()
        found = cache.get_many(keys)
        rendered, missing = [], {}
        with context.push():
            for item, key in zip(items, keys, strict=True):
                html = found.get(key)
                if html is None:
                    context[self.name] = item
                    html = missing[key] = self.nodelist_loop.render(context)
                rendered.append(html)
        if missing:
            cache.set_many(missing, settings.FRAGMENT_CACHE_SECONDS)
        return mark_safe("".join(rendered))  # noqa: S308 - each part is a rendered template


@register.tag
def cachefor(parser, token):
    """{% cachefor item in items [vary var …] %}…[{% empty %}…]{% endcachefor %}; see the module."""
    bits = token.split_contents()
    if len(bits) < 4 or bits[2] != "in" or (len(bits) > 4 and (bits[4] != "vary" or len(bits) == 5)):
        raise TemplateSyntaxError("用法:{% cachefor 变量 in 列表 [vary 变量 …] %}")
    pending = list(parser.tokens)
    nodelist_loop = parser.parse(("empty", "endcachefor"))
    body = pending[len(parser.tokens):]  # the tokens the body consumed (the list is kept reversed)
    _refuse(nodelist_loop, bits[0])
    nodelist_empty = NodeList()
    if parser.next_token().contents == "empty":
        nodelist_empty = parser.parse(("endcachefor",))
        parser.delete_first_token()
    source = digest(*[(item.token_type, item.contents) for item in reversed(body)])
    return CacheForNode(bits[1], parser.compile_filter(bits[3]), [parser.compile_filter(bit) for bit in bits[5:]],
                        nodelist_loop, nodelist_empty, source)


def _refuse(nodelist: NodeList, tag: str) -> None:
    for kind, reason in ((CsrfTokenNode, "csrf_token 属于单个用户,不能放进按内容缓存的行;请把表单放在循环外并用 form=\"…\" 关联"),
                         (IncludeNode, "include 的模板改动不会改变缓存键,行内不能使用 include"),
                         (ExtendsNode, "行内不能使用 extends")):
        if nodelist.get_nodes_by_type(kind):
            raise TemplateSyntaxError(f"{tag}: {reason}")
