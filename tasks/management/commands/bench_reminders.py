"""bench_reminders: time and count the queries of one reminder sweep over many open assignments."""

import datetime
import json
import time

from django.core.management.base import BaseCommand
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from departments.choices import Role
from departments.models import Department, Membership
from documents.models import Measure, PolicyDocument
from tasks.choices import AssignmentRole, AssignmentStatus
from tasks.models import Assignment
from tasks.notify.reminders import BATCH_SIZE, run_sweep


class Rollback(Exception):
    pass


class Command(BaseCommand):
    help = (
        "提醒扫描性能测试:在一个最终回滚的事务里生成 N 条未办结分工(默认 20000),运行一次扫描,"
        f"输出耗时、SQL 查询数和新建提醒数；查询数应随批次(每批 {BATCH_SIZE} 条)而非行数增长。"
        " / Sweep benchmark over N open assignments, rolled back afterwards."
    )

    def add_arguments(self, parser):
        parser.add_argument("--assignments", type=int, default=20000, help="未办结分工数,默认 20000")
        parser.add_argument("--departments", type=int, default=300, help="单位数,默认 300")

    def handle(self, *args, assignments: int, departments: int, **options):
        today = datetime.date(2026, 6, 29)  # a Monday: approaching, overdue, report-due and the digest all fire
        figures = {}
        try:
            with transaction.atomic():
                self._generate(assignments, departments, today)
                with CaptureQueriesContext(connection) as queries:
                    started = time.perf_counter()
                    result = run_sweep(today, dispatch=False)
                    figures = {
                        "assignments": assignments,
                        "sweep_seconds": round(time.perf_counter() - started, 3),
                        "queries": len(queries),
                        "reminders_created": result.created,
                        "notifications": len(result.notifications),
                        "batches": -(-result.created // BATCH_SIZE),
                    }
                raise Rollback
        except Rollback:
            pass
        self.stdout.write(json.dumps(figures, ensure_ascii=False))

    @staticmethod
    def _generate(count: int, department_count: int, today: datetime.date) -> None:
        from django.contrib.auth import get_user_model

        User = get_user_model()
        depts = Department.objects.bulk_create(
            Department(name=f"基准测试单位{n:04d}", short_name=f"基准{n:04d}") for n in range(department_count)
        )
        users = User.objects.bulk_create(
            User(username=f"bench-{n:05d}", email=f"bench-{n:05d}@example.com") for n in range(department_count * 2)
        )
        Membership.objects.bulk_create(
            Membership(user=user, department=depts[n // 2], role=Role.STAFF if n % 2 else Role.LEADER)
            for n, user in enumerate(users)
        )
        document = PolicyDocument.objects.create(title="提醒扫描基准测试文件")
        measures = Measure.objects.bulk_create(
            (Measure(document=document, number=str(n), title=f"基准任务{n}", order=n,
                     deadline=today + datetime.timedelta(days=(n % 60) - 20)) for n in range(count)),
            batch_size=2000,
        )
        Assignment.objects.bulk_create(
            (Assignment(measure=measure, department=depts[n % department_count], role=AssignmentRole.LEAD,
                        status=AssignmentStatus.IN_PROGRESS, due=measure.deadline) for n, measure in enumerate(measures)),
            batch_size=2000,
        )
