"""Province-scale demo data (``seed_demo --scale province``): the small demo's 云川市 as the capital
of a fictional province, 云岭省, with about 3,000 departments (the province's bureaus, thirteen
more prefecture-level cities with their bureaus, zones and counties, the counties' bureaus),
20,000 users, six leading groups, 2,000 documents, 50,000 measures, 200,000 assignments and
2,000,000 progress reports, for performance work at the size of a provincial platform.

Each level of government issues its own documents and gives their work to its own units: the
province to its bureaus and, often, to every city (各设区市人民政府, one assignment per city),
a city to its bureaus, zones and counties, a county to its bureaus. Deadlines are printed as
real plans print them (the last day of a month, 2026年6月底前; a quarter's end, 2026年第三季度末前;
a year's end, 2026年底前; none for ongoing work, 持续推进). Work and reports follow
``tasks.demo.scaled``, as the city-scale demo's do.

Everything comes from one ``random.Random(SEED)`` laid out around ``today``, so two runs on the
same day write the same rows; a second run finds the province and writes nothing. The rows go
to the database with COPY on PostgreSQL and ``bulk_create`` elsewhere (``tasks.demo.sinks``),
streamed in chunks, in one transaction, with no change history. Bulk writes send no signals,
so the dashboard's rollups are counted once from scratch at the end.

``scale`` shrinks every count for tests (``scale=0.005`` is a province of a few hundred
assignments); ``copy=False`` writes with ``bulk_create`` on PostgreSQL too.
"""

from __future__ import annotations

import datetime
import random
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone

from departments.choices import DepartmentKind, GroupRole, Role
from departments.models import Department, DepartmentAlias, GroupMembership, LeadingGroup, Membership, normalize_name
from documents.models import Indicator, Measure, Milestone, PolicyDocument, Section
from tasks.demo import directory, province_names, province_work, sinks
from tasks.demo.province_names import Area, Unit
from tasks.demo.scaled import PASSWORD, Dept, analyze
from tasks.demo.seed import seed_small
from tasks.models import Assignment, ExtensionRequest, ProgressReport, Urge
from tasks.rollups import rebuild

SEED = 20250611

USERS = 20000  # the small demo's included (documents and measures: tasks.demo.province_work)
CAPITAL = "云川市"  # the small demo's city
CAPITAL_PREFIX = "云府字"  # its generated documents' numbers (云府发 is the city-scale demo's)
OFFICE_REVIEWERS, LEADERS, GROUP_REVIEWERS = 10, 5, 3


@dataclass
class ProvinceResult:
    created: dict[str, int] = field(default_factory=dict)
    already_there: bool = False
    password: str = PASSWORD


class Clock:
    """Logs each phase with the seconds it took."""

    def __init__(self, log: Callable[[str], None]):
        self.log = log
        self.last = time.monotonic()

    def __call__(self, line: str) -> None:
        now = time.monotonic()
        self.log(f"{line} — {now - self.last:.1f} s")
        self.last = now


def already_there() -> bool:
    """The province is written in one transaction: its government's row says all of it is there."""
    return Department.objects.filter(name=province_names.GOVERNMENT).exists()


def seed_province(today: datetime.date | None = None, scale: float = 1.0, log: Callable[[str], None] = lambda s: None,
                  copy: bool | None = None) -> ProvinceResult:
    """Write the province (after the small demo) unless it is already there."""
    today = today or timezone.localdate()
    seed_small(today)
    if already_there():
        return ProvinceResult(already_there=True)
    rng = random.Random(SEED)
    result = ProvinceResult()
    clock = Clock(log)
    with transaction.atomic():
        units, areas = _directory(rng, scale, result, copy, clock)
        people = _users(rng, units, scale, result, copy, clock)
        groups = _groups(rng, people, result, clock)
        plans = province_work.documents(rng, today, areas, groups, scale, result.created, copy, clock)
        with sinks.foreign_keys_checked_at_the_end([Assignment, ProgressReport]):
            works = province_work.assignments(rng, today, plans, people.departments, result.created, copy, clock)
            province_work.reports(rng, today, works, result.created, copy, clock)
        clock("foreign keys of assignments and reports checked")
        province_work.follow_up(rng, today, works, result.created, copy, clock)
        rebuild.check(repair=True)  # bulk writes send no signals: the rollups are counted once, from scratch
        clock("rollups counted")
    analyze([Department, Membership, PolicyDocument, Section, Measure, Indicator, Milestone, Assignment,
             ProgressReport, Urge, ExtensionRequest, get_user_model(), *rebuild.ALL_TALLIES], clock)
    return result


# --- the directory ------------------------------------------------------------------------------


def _directory(rng: random.Random, scale: float, result: ProvinceResult, copy: bool | None, clock
               ) -> tuple[list[Unit], list[Area]]:
    """The province's units (parents before their children) and the areas that issue documents,
    their units' ids resolved; the capital's area is the small demo's directory."""
    existing = Department.objects.count()
    units, areas = province_names.directory(rng, min(1.0, scale), set(Department.objects.values_list("name", flat=True)))
    ids: dict[str, int] = {}
    first = sinks.reserve_ids(Department, len(units))
    with sinks.rows(Department, ["id", "name", "short_name", "kind", "parent_id", "requires_leader_approval",
                                 "sort_order"], copy=copy) as rows:
        for n, unit in enumerate(units):
            ids[unit.name] = first + n
            rows.add((first + n, normalize_name(unit.name), normalize_name(unit.short_name), unit.kind,
                      ids[unit.parent] if unit.parent else None, unit.works and rng.random() < 0.05, existing + n + 1))
    with sinks.rows(DepartmentAlias, ["department_id", "name"], copy=copy) as aliases:
        for unit in units:
            if unit.kind == DepartmentKind.COUNTY:  # 青山区 for 青山区人民政府
                aliases.add((ids[unit.name], normalize_name(unit.name.removesuffix("人民政府"))))
    province = areas[0]
    province.members.insert(0, directory.GOVERNMENT)  # the capital is one of the province's cities
    capital_counties, capital_members = directory.GROUPS[0][0], directory.GROUPS[0][2]  # the small demo's 各县(市、区)
    areas.insert(1, Area(CAPITAL, "city", directory.GOVERNMENT, CAPITAL_PREFIX, list(CAPITAL_UNITS),
                         collective=capital_counties, members=list(capital_members), word="字"))
    ids.update(Department.objects.filter(name__in=[*CAPITAL_UNITS, capital_counties, directory.GOVERNMENT])
               .values_list("name", "pk"))
    with sinks.rows(Department.members.through, ["from_department_id", "to_department_id"], copy=copy) as members:
        for area in areas:
            area.unit_ids = [ids[name] for name in area.units]
            area.member_ids = [ids[name] for name in area.members]
            if area.name != CAPITAL:  # the small demo wrote the capital's collective
                for member in area.member_ids:
                    members.add((ids[area.collective], member))
    result.created["departments"] = len(units)
    clock(f"departments {len(units)} in {len(areas)} governments that issue documents")
    return units, areas


# the capital's units that documents give work to: the small demo's directory, less its seats
CAPITAL_UNITS = tuple(name for name, _short, _aliases, _kind in directory.DEPARTMENTS
                      if name not in (directory.OFFICE, directory.GOVERNMENT))


# --- people -------------------------------------------------------------------------------------


@dataclass
class People:
    departments: dict[int, Dept]  # every unit that works, by id, with its diligence
    in_groups: dict[int, list[tuple[int, str]]]  # a leading group's number → (user id, role in it)


def _users(rng: random.Random, units: list[Unit], scale: float, result: ProvinceResult, copy: bool | None, clock
           ) -> People:
    """Reviewers of the province's supervision office, its leadership, each leading group's
    reviewers and chair, and a leader and staff in every working unit; every one with the same
    password, hashed once (a slow hash per user would take minutes)."""
    User = get_user_model()
    wanted = max(10, round((USERS - User.objects.count()) * scale))
    password = make_password(PASSWORD)
    capital = [*CAPITAL_UNITS, directory.GOVERNMENT]  # the capital's government works for the province
    by_name = dict(Department.objects.filter(name__in=[u.name for u in units] + capital).values_list("name", "pk"))
    working = [by_name[u.name] for u in units if u.works]
    departments = {pk: Dept(pk, round(rng.uniform(0.55, 0.98), 2)) for pk in [*working, *map(by_name.get, capital)]}
    plan: list[tuple[str, str, int | None, str, int]] = []  # (username, full name, department, role, group)
    supervision, government = by_name[province_names.SUPERVISION], by_name[province_names.GOVERNMENT]
    plan += [(f"prov.office{i:02d}", f"省政府督查室 督查员{i}", supervision, Role.OFFICE, 0)
             for i in range(1, OFFICE_REVIEWERS + 1)]
    plan += [(f"prov.leadership{i:02d}", f"省领导{i}", government, Role.LEADERSHIP, 0) for i in range(1, LEADERS + 1)]
    for g in range(1, len(province_names.GROUPS) + 1):  # their role is held in the group, not in a department
        plan += [(f"prov.group{g}.office{k}", f"领导小组{g} 督查员{k}", None, GroupRole.OFFICE, g)
                 for k in range(1, GROUP_REVIEWERS + 1)]
        plan.append((f"prov.group{g}.leadership", f"领导小组{g} 组长", None, GroupRole.LEADERSHIP, g))
    per_department, extra = divmod(max(0, wanted - len(plan)), len(working))  # a leader in each, then staff
    for n, pk in enumerate(working, start=1):
        plan.append((f"p{n:04d}.leader", f"单位{n:04d} 负责人", pk, Role.LEADER, 0))
        staff = per_department + (1 if n <= extra else 0) - 1
        plan += [(f"p{n:04d}.staff{k}", f"单位{n:04d} 填报员{k}", pk, Role.STAFF, 0) for k in range(1, staff + 1)]
    first = sinks.reserve_ids(User, len(plan))
    in_groups: dict[int, list[tuple[int, str]]] = {}
    with (sinks.rows(User, ["id", "username", "first_name", "email", "password"], copy=copy) as users,
          sinks.rows(Membership, ["user_id", "department_id", "role"], copy=copy) as memberships):
        for n, (username, name, department, role, group) in enumerate(plan):
            users.add((first + n, username, name, f"{username}@example.com", password))
            if department is not None:
                memberships.add((first + n, department, role))
            if group:
                in_groups.setdefault(group, []).append((first + n, role))
    result.created.update(users=users.written, memberships=memberships.written)
    clock(f"users {users.written} (the password hashed once), memberships {memberships.written}")
    return People(departments, in_groups)


def _groups(rng: random.Random, people: People, result: ProvinceResult, clock) -> list[LeadingGroup]:
    """The province's leading groups, their offices seated in the first bureaus, with their people."""
    seats = dict(Department.objects.filter(name__in=[province_names.BUREAUS[i][0] for *_n, i in province_names.GROUPS])
                 .values_list("name", "pk"))
    LeadingGroup.objects.bulk_create([
        LeadingGroup(name=name, short_name=short, office_department_id=seats[province_names.BUREAUS[seat][0]],
                     notify_general_office=rng.random() < 0.5)
        for name, short, seat in province_names.GROUPS
    ])
    by_name = LeadingGroup.objects.in_bulk([name for name, _s, _i in province_names.GROUPS], field_name="name")
    groups = [by_name[name] for name, _s, _i in province_names.GROUPS]
    memberships = GroupMembership.objects.bulk_create([
        GroupMembership(group=group, user_id=user, role=role)
        for g, group in enumerate(groups, start=1) for user, role in people.in_groups.get(g, [])
    ])
    result.created.update(leading_groups=len(groups), group_memberships=len(memberships))
    clock(f"leading groups {len(groups)}, their reviewers and chairs {len(memberships)}")
    return groups
