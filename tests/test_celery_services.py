"""Reminders and deliveries against the real things: PostgreSQL, Redis and a Celery worker.

These run in CI (REQUIRE_SERVICES=1) and skip with a reason on a machine without them."""

import datetime
import threading
import time
from contextlib import contextmanager

import pytest
from celery.contrib.testing.worker import start_worker
from django.core import mail
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from departments.choices import Role
from departments.models import Department
from documents.models import Measure, PolicyDocument
from policytrack.celery import app
from tasks.choices import AssignmentRole, AssignmentStatus
from tasks.models import Assignment
from tasks.notify import reminders
from tasks.notify.delivery import due_for_retry
from tasks.notify.models import Delivery, DeliveryStatus, Notification, Reminder
from tasks.notify.outbox import queue_deliveries
from tasks.workflow.reports import urge
from tests.base import PASSWORD, make_user
from tests.notify_helpers import RobotServer
from tests.services import redis_url, use_broker

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

DUE = datetime.date(2026, 6, 30)


@pytest.fixture
def broker(settings):
    """Celery really sends through Redis for the test, and is put back to eager afterwards."""
    url = redis_url()
    use_broker(app, url, eager=False)
    settings.CELERY_TASK_ALWAYS_EAGER = False
    with app.connection_for_write() as conn:
        conn.default_channel.client.flushdb()
    yield url
    use_broker(app, "memory://", eager=True)


@contextmanager
def worker():
    with start_worker(app, pool="solo", concurrency=1, perform_ping_check=False, shutdown_timeout=30):
        yield


def wait_for(condition, seconds=30.0):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.2)
    return condition()


def world(n_assignments=1):
    office_dept = Department.objects.create(name="市推进办")
    dept = Department.objects.create(name="市发展和改革委员会", short_name="市发改委")
    office = make_user("office", office_dept, Role.OFFICE, email="office@example.com")
    staff = make_user("staff", dept, Role.STAFF, email="staff@example.com")
    document = PolicyDocument.objects.create(title="测试方案")
    assignments = []
    for n in range(1, n_assignments + 1):
        measure = Measure.objects.create(document=document, number=str(n), title=f"任务{n}", deadline=DUE, order=n)
        assignments.append(Assignment.objects.create(measure=measure, department=dept, role=AssignmentRole.LEAD,
                                                     status=AssignmentStatus.IN_PROGRESS))
    return office, staff, dept, assignments


@pytest.mark.redis
def test_it_delivers_an_email_and_a_webhook_through_a_real_worker(broker):
    office, staff, dept, (assignment,) = world()
    with RobotServer() as robot, worker():
        dept.webhook_url = robot.url
        dept.save()
        urge(assignment, office, "请本周报送进展。")
        assert wait_for(lambda: not Delivery.objects.exclude(status=DeliveryStatus.SENT).exists())
    assert [m.to for m in mail.outbox] == [["staff@example.com"]]
    assert len(robot.posts) == 1 and "请本周报送进展。" in robot.posts[0]["text"]["content"]


def test_it_sends_each_reminder_once_when_two_sweeps_run_at_once(settings):
    world(n_assignments=40)
    barrier = threading.Barrier(2)
    results, errors = [], []

    def run():
        try:
            barrier.wait()
            results.append(reminders.run_sweep(DUE - datetime.timedelta(days=1), dispatch=False).created)
        except Exception as exc:  # surfaced by the assertion below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert not errors
    # Monday 29 June: 40 approaching, 40 report-due (June ends tomorrow) and the office digest.
    assert sum(results) == Reminder.objects.count() == 81
    # One folded message each for the department's staff member (80 items) and the office (digest).
    messages = list(Notification.objects.values_list("recipient__username", "title"))
    assert sorted(name for name, _title in messages) == ["office", "staff"]
    assert any("共 80 项" in title for _name, title in messages)


@pytest.mark.redis
def test_it_sends_the_rest_and_no_duplicates_after_a_worker_stops_half_way(broker):
    with RobotServer(delay=0.3) as robot:
        ids = [Delivery.objects.create(channel="webhook", address=robot.url, subject=f"消息{n}", body=str(n)).pk
               for n in range(8)]
        queue_deliveries(ids)
        with worker():
            assert wait_for(lambda: len(robot.posts) >= 2)
        half = len(robot.posts)
        assert half < 8
        with worker():
            # The periodic retry finds anything the stopped worker had taken but not finished.
            queue_deliveries(due_for_retry(timezone.now() + datetime.timedelta(minutes=3)))
            assert wait_for(lambda: Delivery.objects.filter(status=DeliveryStatus.SENT).count() == 8)
    bodies = [post["text"]["content"].splitlines()[1] for post in robot.posts]
    assert sorted(bodies) == [str(n) for n in range(8)]


@pytest.mark.redis
def test_it_accepts_work_while_redis_is_down_and_delivers_once_it_is_back(broker, client):
    office, staff, dept, (assignment,) = world()
    use_broker(app, "redis://127.0.0.1:1/0", eager=False)  # nothing listens there
    client.login(username="office", password=PASSWORD)
    started = time.monotonic()
    response = client.post(reverse("tasks:urge", args=[assignment.pk]), {"message": "请报送。"})
    assert response.status_code == 302
    assert time.monotonic() - started < 15
    assert Notification.objects.filter(recipient=staff).exists()
    assert Delivery.objects.get().status == DeliveryStatus.PENDING

    use_broker(app, broker, eager=False)
    with worker():
        queue_deliveries(due_for_retry(timezone.now() + datetime.timedelta(minutes=3)))
        assert wait_for(lambda: Delivery.objects.get().status == DeliveryStatus.SENT)
    assert [m.to for m in mail.outbox] == [["staff@example.com"]]
