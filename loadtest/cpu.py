"""Where the CPU of a load test goes: the server (gunicorn and its workers), the database backends
serving the test's copy, Locust, and everything else on the machine (other work that shares it).

A thread reads /proc once a second (Linux only; elsewhere it records nothing). Each process's CPU
is kept from the last time it was seen, so a database backend that closes its connection keeps
counting what it spent.
"""

from __future__ import annotations

import bisect
import os
import threading
import time
from pathlib import Path

GROUPS = ("server", "database", "locust")
TICKS = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100


class Sampler(threading.Thread):
    def __init__(self, server_pid: int, database: str) -> None:
        super().__init__(daemon=True)
        self.server_pid, self.database = server_pid, database
        self.seen: dict[int, tuple[str, int]] = {}  # pid → (group, ticks so far)
        self.samples: list[tuple[float, dict[str, int]]] = []
        self.done = threading.Event()

    def run(self) -> None:
        while not self.done.is_set():
            self.sample()
            self.done.wait(1)

    def stop(self) -> None:
        self.done.set()
        self.join(timeout=5)

    def sample(self) -> None:
        for entry in Path("/proc").iterdir() if Path("/proc/stat").exists() else ():
            if entry.name.isdigit():
                self._read(int(entry.name))
        totals = dict.fromkeys(GROUPS, 0)
        for group, ticks in self.seen.values():
            totals[group] += ticks
        totals["machine"] = machine_busy()
        self.samples.append((time.time(), totals))

    def _read(self, pid: int) -> None:
        try:
            stat = Path(f"/proc/{pid}/stat").read_text()
            command = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
        except OSError:
            return
        fields = stat.rpartition(")")[2].split()
        parent, ticks = int(fields[1]), int(fields[11]) + int(fields[12])
        if pid == self.server_pid or parent == self.server_pid:
            group = "server"
        elif command.startswith("postgres:") and f" {self.database} " in command:
            group = "database"
        elif "locustfile.py" in command and parent == os.getpid():
            group = "locust"
        else:
            return
        self.seen[pid] = (group, ticks)

    def between(self, started: float, ended: float) -> dict[str, float] | None:
        """CPU seconds each group (and the whole machine) spent from ``started`` to ``ended``."""
        times = [moment for moment, _totals in self.samples]
        first, last = bisect.bisect_left(times, started), bisect.bisect_right(times, ended) - 1
        if first >= last:
            return None
        before, after = self.samples[first][1], self.samples[last][1]
        return {group: (after[group] - before[group]) / TICKS for group in (*GROUPS, "machine")}


def machine_busy() -> int:
    """Ticks every CPU spent on anything but idling since boot."""
    try:
        values = [int(value) for value in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    except OSError:
        return 0
    return sum(values) - values[3] - (values[4] if len(values) > 4 else 0)  # minus idle and iowait
