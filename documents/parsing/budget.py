"""A time budget for one parse: the parser checks it between steps and stops when it is spent.

Every step of the parser is linear in the text, but a web request must still end well before
the worker is killed, whatever was pasted. ``time_budget(seconds)`` opens a budget for the
code inside it (a context variable, so threads and nested parses keep their own);
``check_budget()`` raises ``ParseTimeLimitExceeded`` once the budget is spent. Without an
open budget the checks cost one lookup and never raise (the commands parse without limit).
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

_deadline: ContextVar[float | None] = ContextVar("parse_deadline", default=None)
# Loops call ``tick`` on every item; the clock is read only every this many items.
_TICK_EVERY = 256


class ParseTimeLimitExceeded(Exception):
    """The parse took longer than its budget and was stopped; nothing was produced."""

    def __init__(self, seconds: float):
        super().__init__(f"parse stopped after its time budget of {seconds:g} s")
        self.seconds = seconds


_limit: ContextVar[float] = ContextVar("parse_limit", default=0.0)


@contextmanager
def time_budget(seconds: float | None) -> Iterator[None]:
    """Run the block under a budget of ``seconds`` (None or <= 0: no budget)."""
    if not seconds or seconds <= 0:
        yield
        return
    deadline_token = _deadline.set(time.monotonic() + seconds)
    limit_token = _limit.set(seconds)
    try:
        yield
    finally:
        _deadline.reset(deadline_token)
        _limit.reset(limit_token)


def check_budget() -> None:
    """Raise ``ParseTimeLimitExceeded`` when the open budget is spent."""
    deadline = _deadline.get()
    if deadline is not None and time.monotonic() > deadline:
        raise ParseTimeLimitExceeded(_limit.get())


def tick(index: int) -> None:
    """``check_budget`` every few hundred iterations of a loop (``index`` counts them)."""
    if index % _TICK_EVERY == 0:
        check_budget()
