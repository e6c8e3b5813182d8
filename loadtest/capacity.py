"""How fast the simulated people work, and the search for the stack's capacity.

Every user of locustfile.py thinks ``between(5, 15) / pace`` seconds between two actions, so
``pace`` scales the load without changing the mix or the number of sessions (no new logins). A
controller running inside Locust (``run``) moves through the phases and writes a marker line
into the request log at the start and end of each measured step, from which run.py reports:

1. arrival: every user logs in through the login form as they arrive (not measured);
2. month-end: the month-end mix at its real pace (1) for ``measure`` seconds;
3. mix: the same users at higher paces (``× FACTOR`` per step, lower when already too slow)
   until p95 passes ``LIMIT_MS`` or a request fails, then twice the pace halfway (geometric
   mean) between the last step that held and the first that did not;
4. trivial: the same users, the same sessions, every action replaced by the status view (one
   authenticated request, one query, the same middleware), searched the same way.

A step holds when its p95 is at most LIMIT_MS and no request failed. The capacity of a phase is
the highest requests per second among the steps that held: the month-end mix's capacity over the
trivial view's is a share of what this stack can serve at all, which carries from one machine to
another where a bare requests-per-second figure does not. Each step first lets ``settle``
seconds pass, so that requests queued by the step before do not count against it.
"""

from __future__ import annotations

import math
import random
import time
from dataclasses import dataclass, field

LIMIT_MS = 500.0
FACTOR = 1.5
REFINE = 2
LOWEST_PACE, HIGHEST_PACE = 1 / 8, 512.0
STEP = "#step"  # marker lines in the request log: STEP, phase, pace, start, end


def percentile(values: list[float], share: float) -> float:
    """Nearest-rank percentile."""
    ordered = sorted(values)
    return ordered[max(0, min(len(ordered) - 1, round(share * len(ordered) + 0.5) - 1))]


@dataclass
class Result:
    phase: str
    pace: float
    requests: int
    seconds: float
    p95: float
    errors: int

    @property
    def per_second(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0

    @property
    def holds(self) -> bool:
        return self.requests > 0 and self.p95 <= LIMIT_MS and self.errors == 0


@dataclass
class Plan:
    """What every simulated user reads: how fast to work, and whether to do the month-end work or
    only ask for the status view."""

    pace: float = 1.0
    trivial: bool = False
    arrived: int = 0
    samples: list[tuple[float, int]] = field(default_factory=list)
    measuring: bool = False

    def think(self, low: float = 5, high: float = 15) -> float:
        return random.uniform(low, high) / self.pace

    def record(self, elapsed_ms: float, failed: bool) -> None:
        if self.measuring:
            self.samples.append((elapsed_ms, int(failed)))


PLAN = Plan()


@dataclass
class Controller:
    """Moves PLAN through the phases (see the module docstring); ``sleep`` is gevent's in Locust."""

    users: int
    measure: float
    step: float
    settle: float
    capacity: bool
    write_marker: object  # callable(line: str)
    sleep: object = time.sleep
    results: list[Result] = field(default_factory=list)

    def run(self, arrival_timeout: float = 600) -> list[Result]:
        deadline = time.monotonic() + arrival_timeout
        while PLAN.arrived < self.users and time.monotonic() < deadline:
            self.sleep(0.5)
        self.sleep(self.settle)
        window = self.measure_step("month-end", 1.0, self.measure, settle=False)
        if self.capacity:
            mix = self.search("mix", window)
            best = max((r.per_second for r in mix if r.holds), default=window.per_second)
            # start the trivial view near twice the mix's capacity: it is many times cheaper
            start = max(1.0, 2 * best * 10 / max(1, self.users))
            self.search("trivial", self.measure_step("trivial", start, self.step))
        return self.results

    def measure_step(self, phase: str, pace: float, seconds: float, settle: bool = True) -> Result:
        PLAN.pace, PLAN.trivial = pace, phase == "trivial"
        if settle:
            self.sleep(self.settle)
        PLAN.samples, PLAN.measuring = [], True
        started = time.time()
        self.sleep(seconds)
        PLAN.measuring = False
        ended = time.time()
        samples = PLAN.samples
        result = Result(phase, pace, len(samples), ended - started,
                        percentile([s[0] for s in samples], 0.95) if samples else 0.0, sum(s[1] for s in samples))
        self.write_marker(f"{STEP}\t{phase}\t{pace:.4g}\t{started:.3f}\t{ended:.3f}")
        self.results.append(result)
        return result

    def search(self, phase: str, first: Result) -> list[Result]:
        """Step the pace up (or down) from ``first`` until it stops (or starts) holding, then
        refine between the two paces; answer every step of the phase."""
        steps = [first]
        holding = first.pace if first.holds else None
        failing = None if first.holds else first.pace
        pace = first.pace * FACTOR if first.holds else first.pace / FACTOR
        while (holding is None or failing is None) and LOWEST_PACE <= pace <= HIGHEST_PACE:
            result = self.measure_step(phase, pace, self.step)
            steps.append(result)
            if result.holds:
                holding = pace
                pace = pace * FACTOR if failing is None else pace
            else:
                failing = pace
                pace = pace / FACTOR if holding is None else pace
        for _round in range(REFINE if holding is not None and failing is not None else 0):
            pace = math.sqrt(holding * failing)
            result = self.measure_step(phase, pace, self.step)
            steps.append(result)
            holding, failing = (pace, failing) if result.holds else (holding, pace)
        return steps
