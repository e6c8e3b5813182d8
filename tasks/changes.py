"""Which version of the tracked work a cached dashboard was computed from.

The dashboards (tasks.dashboard.numbers.build_cached) are cached under a key that includes a counter of
committed changes to the tables they count: assignments, reports, extension requests, measures,
documents and departments. Every INSERT, UPDATE or DELETE on one of those tables, however it
is made (``save()``, ``QuerySet.update()``, ``bulk_create``, the admin, an import, a migration),
is seen by a database execute wrapper, which adds one to the counter once the transaction has
committed; so no dashboard computed before a change is served after it. The counter is a row in
the database, so every process of the server reads the same value whatever the cache backend is.

The increment runs after the commit, in a statement of its own, so that writers never wait for
each other on the counter's row. A reader that reads the counter between the commit and the
increment may cache the new numbers under the old value; readers after the increment compute
again. Should the process die in that instant, ``DASHBOARD_CACHE_SECONDS`` bounds how long the
old numbers can be served.
"""

from __future__ import annotations

import logging
import re
from functools import cache

from django.apps import apps
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.db.backends.signals import connection_created

logger = logging.getLogger(__name__)

COUNTER = "work"
# What the dashboards count: a change to any of these tables makes cached dashboards old.
COUNTED_MODELS = ("tasks.Assignment", "tasks.ProgressReport", "tasks.ExtensionRequest", "documents.Measure",
                  "documents.PolicyDocument", "departments.Department")
WRITE = re.compile(r'^\s*(?:INSERT\s+INTO|UPDATE|DELETE\s+FROM)\s+[`"]?(\w+)', re.IGNORECASE)


@cache
def counted_tables() -> frozenset[str]:
    return frozenset(apps.get_model(label)._meta.db_table for label in COUNTED_MODELS)


def writes_counted_table(sql: str) -> bool:
    match = WRITE.match(sql)
    return match is not None and match[1] in counted_tables()


def version(using: str = DEFAULT_DB_ALIAS) -> int:
    """The number of committed changes so far (0 before the first)."""
    from tasks.models import ChangeCounter

    value = ChangeCounter.objects.using(using).filter(pk=COUNTER).values_list("value", flat=True).first()
    return value or 0


def bump(using: str = DEFAULT_DB_ALIAS) -> None:
    """Add one to the counter, creating its row the first time: one statement (an upsert, in
    PostgreSQL and SQLite alike), so it needs no transaction of its own and races with nobody."""
    from tasks.models import ChangeCounter

    table = connections[using].ops.quote_name(ChangeCounter._meta.db_table)
    with connections[using].cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (name, value) VALUES (%s, 1) "
            f"ON CONFLICT (name) DO UPDATE SET value = {table}.value + 1",
            [COUNTER],
        )


def _bump_after_commit(using: str) -> None:
    try:
        bump(using)
    except Exception:  # the change itself is committed: never fail the request that made it
        logger.exception("could not count a change for the dashboards; cached ones expire by themselves")


def changed(using: str = DEFAULT_DB_ALIAS) -> None:
    """Note that the current transaction changed counted data: bump the counter once it commits
    (at once outside a transaction). Several writes in one transaction bump it once."""
    connection = connections[using]
    if not connection.in_atomic_block:
        _bump_after_commit(using)
        return
    if any(getattr(entry[1], "changes_using", None) == using for entry in connection.run_on_commit):  # (sids, callback, robust)
        return

    def callback() -> None:
        _bump_after_commit(using)

    setattr(callback, "changes_using", using)  # noqa: B010 - a mark on a function, seen above
    transaction.on_commit(callback, using=using)


def watch_writes(execute, sql, params, many, context):
    """Execute wrapper: run the statement, then note it when it wrote to a counted table."""
    result = execute(sql, params, many, context)
    if isinstance(sql, str) and writes_counted_table(sql):
        changed(context["connection"].alias)
    return result


def install(sender, connection, **kwargs) -> None:
    """connection_created receiver: put the wrapper on every database connection (once)."""
    if watch_writes not in connection.execute_wrappers:
        connection.execute_wrappers.append(watch_writes)


def connect() -> None:
    """Called from TasksConfig.ready(): watch the connections opened from now on and any already open."""
    connection_created.connect(install, dispatch_uid="tasks.changes.install")
    for connection in connections.all(initialized_only=True):
        install(None, connection)
