"""Writers for generated rows: PostgreSQL's COPY, ``bulk_create`` on other databases.

A province of demo data is millions of rows. Built as model instances and saved with
``bulk_create`` they cost minutes and gigabytes; streamed to ``COPY … FROM STDIN`` in chunks of
text they cost seconds and a few megabytes. ``rows(model, columns)`` gives either writer behind
one interface: ``add()`` a tuple of values in the order of ``columns`` (attribute names, so
``measure_id``, not ``measure``), ``close()`` at the end. Columns not named get the field's
default (``auto_now`` and ``auto_now_add`` fields: the time of writing), so that both writers
store the same rows.

Foreign keys that point at rows written in the same run need their ids before those rows are
written; ``reserve_ids`` takes a block of primary keys from the table's sequence, so that a
generator can number rows itself instead of reading them back.

Neither writer makes change history (the history tables would double the work) nor runs
``save()``: a generator fills every stored value itself. COPY is not seen by the database
execute wrappers, so its writer reports the change to ``tasks.changes`` itself.
"""

from __future__ import annotations

import datetime
import io
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from decimal import Decimal
from typing import Any

from django.db import connection
from django.db.models import DateField, Model
from django.utils import timezone

from tasks import changes

CHUNK_ROWS = 20_000  # rows per COPY statement: a few megabytes of text
BATCH = 2000  # rows per INSERT of bulk_create
_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})


def copy_supported() -> bool:
    return connection.vendor == "postgresql"


def reserve_ids(model: type[Model], count: int) -> int:
    """The first of ``count`` consecutive primary keys that nobody else will take; the table is
    locked against other writers until the transaction ends, so the block stays ours."""
    table = connection.ops.quote_name(model._meta.db_table)
    column = model._meta.pk.column
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(f"LOCK TABLE {table} IN SHARE ROW EXCLUSIVE MODE")
            cursor.execute("SELECT pg_get_serial_sequence(%s, %s)", [model._meta.db_table, column])
            sequence = cursor.fetchone()[0]
            cursor.execute(f"SELECT GREATEST(nextval(%s), COALESCE(MAX({column}), 0) + 1) FROM {table}", [sequence])
            first = cursor.fetchone()[0]
            cursor.execute("SELECT setval(%s, %s)", [sequence, first + max(count, 1) - 1])
            return first
        cursor.execute(f"SELECT COALESCE(MAX({column}), 0) FROM {table}")
        highest = cursor.fetchone()[0]
        if connection.vendor == "sqlite":  # AUTOINCREMENT never hands out an id twice, even a deleted one's
            cursor.execute("SELECT seq FROM sqlite_sequence WHERE name = %s", [model._meta.db_table])
            found = cursor.fetchone()
            highest = max(highest, found[0] if found else 0)
        return highest + 1


@contextmanager
def foreign_keys_checked_at_the_end(models: Iterable[type[Model]]) -> Iterator[None]:
    """Check the foreign keys of the rows ``models`` get inside this block with one join per key at
    its end, instead of one lookup per row. PostgreSQL checks a deferred foreign key row by row at
    the commit, locking the row each one points at: two million reports cost minutes that way and
    seconds this way (the way PostgreSQL's guide to populating a database describes). The keys are
    dropped and added again in the caller's transaction, so a failure restores them untouched;
    the checks already pending run first (PostgreSQL alters no table with pending checks, and
    dropping a key alters the table it points at too). On other databases nothing changes."""
    if connection.vendor != "postgresql":
        yield
        return
    quote = connection.ops.quote_name
    dropped: list[tuple[str, str, str]] = []
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        for model in models:
            table = model._meta.db_table
            cursor.execute("SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint "
                           "WHERE conrelid = %s::regclass AND contype = 'f' ORDER BY conname", [quote(table)])
            for name, definition in cursor.fetchall():
                cursor.execute(f"ALTER TABLE {quote(table)} DROP CONSTRAINT {quote(name)}")
                dropped.append((table, name, definition))
        cursor.execute("SET CONSTRAINTS ALL DEFERRED")  # as Django declares its keys
    yield
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        for table, name, definition in dropped:
            cursor.execute(f"ALTER TABLE {quote(table)} ADD CONSTRAINT {quote(name)} {definition}")
        cursor.execute("SET CONSTRAINTS ALL DEFERRED")


def rows(model: type[Model], columns: Sequence[str], *, copy: bool | None = None) -> Rows:
    """A writer of ``model`` rows: COPY on PostgreSQL (unless ``copy=False``), bulk_create elsewhere."""
    use_copy = copy_supported() if copy is None else copy
    if use_copy and not copy_supported():
        raise ValueError("COPY needs PostgreSQL")
    return (CopyRows if use_copy else BulkRows)(model, columns)


class Rows:
    """Rows of one model, written a chunk at a time; a context manager closes it on success."""

    chunk = CHUNK_ROWS

    def __init__(self, model: type[Model], columns: Sequence[str]):
        self.model = model
        self.columns = list(columns)
        fields = {field.attname: field for field in model._meta.concrete_fields}
        unknown = set(self.columns) - set(fields)
        if unknown:
            raise ValueError(f"{model.__name__} has no column {', '.join(sorted(unknown))}")
        now = timezone.now()
        self.defaults: dict[str, Any] = {
            name: now if isinstance(field, DateField) and (field.auto_now or field.auto_now_add) else field.get_default()
            for name, field in fields.items() if name not in self.columns and not field.primary_key
        }
        self.written = 0
        self._pending: list = []

    def add(self, values: Sequence[Any]) -> None:
        self._pending.append(self._row(values))
        if len(self._pending) >= self.chunk:
            self.flush()

    def flush(self) -> None:
        if self._pending:
            self._write(self._pending)
            self.written += len(self._pending)
            self._pending = []

    def close(self) -> int:
        """Write what is left; answer how many rows were written in all."""
        self.flush()
        return self.written

    def __enter__(self) -> Rows:
        return self

    def __exit__(self, kind, error, trace) -> None:
        if kind is None:
            self.close()

    def _row(self, values: Sequence[Any]) -> Any:
        raise NotImplementedError

    def _write(self, pending: list) -> None:
        raise NotImplementedError


def copy_text(value: Any) -> str:
    """One value in COPY's text format: numbers, dates and aware datetimes (with their offset) as
    ``str`` writes them, text escaped, None as \\N."""
    write = _TEXT.get(type(value))
    if write is not None:
        return write(value)
    if isinstance(value, str):
        return value.translate(_ESCAPES)
    return str(value)


_TEXT: dict[type, Callable[[Any], str]] = {
    type(None): lambda value: "\\N", bool: lambda value: "t" if value else "f", int: str, datetime.date: str,
    datetime.datetime: str, Decimal: str,
}


class CopyRows(Rows):
    """COPY … FROM STDIN, a chunk of text lines at a time."""

    def __init__(self, model: type[Model], columns: Sequence[str]):
        super().__init__(model, columns)
        quote = connection.ops.quote_name
        fields = {field.attname: field for field in model._meta.concrete_fields}
        names = ", ".join(quote(fields[name].column) for name in [*self.columns, *self.defaults])
        self.statement = f"COPY {quote(model._meta.db_table)} ({names}) FROM STDIN"
        self.tail = "".join("\t" + copy_text(value) for value in self.defaults.values()) + "\n"

    def _row(self, values: Sequence[Any]) -> str:
        return "\t".join([copy_text(value) for value in values]) + self.tail

    def _write(self, pending: list) -> None:
        with connection.cursor() as cursor:
            cursor.copy_expert(self.statement, io.StringIO("".join(pending)))
        changes.changed()  # COPY passes by the execute wrapper that notes writes for the dashboards


class BulkRows(Rows):
    """Model instances saved with bulk_create, a chunk at a time. bulk_create stamps
    ``auto_now_add`` fields with the time of writing; where the generator gave such a column a
    value of its own, one UPDATE per distinct value puts it back."""

    chunk = BATCH * 5

    def __init__(self, model: type[Model], columns: Sequence[str]):
        super().__init__(model, columns)
        self.stamped = [
            field.attname for field in model._meta.concrete_fields
            if field.attname in self.columns and isinstance(field, DateField) and (field.auto_now or field.auto_now_add)
        ]

    def _row(self, values: Sequence[Any]) -> Model:
        return self.model(**self.defaults, **dict(zip(self.columns, values, strict=True)))

    def _write(self, pending: list) -> None:
        wanted = [{name: getattr(row, name) for name in self.stamped} for row in pending]
        created = self.model.objects.bulk_create(pending, batch_size=BATCH)
        for name in self.stamped:
            by_value: dict[Any, list[int]] = {}
            for row, values in zip(created, wanted, strict=True):
                by_value.setdefault(values[name], []).append(row.pk)
            for value, pks in by_value.items():
                for start in range(0, len(pks), BATCH):
                    self.model.objects.filter(pk__in=pks[start:start + BATCH]).update(**{name: value})
