"""The reminder sweep, notifications and their channels, without outside services."""

import datetime
import json
from io import StringIO
from unittest import mock

import time_machine
from django.core import mail
from django.core.management import CommandError, call_command
from django.test import override_settings
from django.urls import reverse

from departments.choices import Role
from departments.models import Membership
from documents.models import Measure, Milestone
from tasks.choices import AssignmentRole, AssignmentStatus, ReportStatus
from tasks.models import Assignment, ProgressReport
from tasks.notify import reminders
from tasks.notify.delivery import deliver_one
from tasks.notify.models import (
    CalendarToken,
    Delivery,
    DeliveryStatus,
    Notification,
    NotificationPreference,
    Reminder,
    ReminderSettings,
)
from tasks.workflow.reports import urge
from tests.base import BaseTestCase, make_user
from tests.notify_helpers import RobotServer
from tests.services import use_broker

D = datetime.date


def sweep(day: datetime.date, **kwargs):
    return reminders.run_sweep(day, dispatch=False, **kwargs)


class SweepTests(BaseTestCase):
    """The measure is due 2026-06-30 (a Tuesday); assignment A (lead), B (supporting)."""

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        Assignment.objects.filter(pk__in=[cls.assignment_a.pk, cls.assignment_b.pk]).update(
            status=AssignmentStatus.IN_PROGRESS
        )
        cls.staff_a.email = "staff_a@example.com"
        cls.staff_a.save()
        rules = ReminderSettings.load()
        rules.report_due_enabled = rules.unacknowledged_enabled = rules.digest_enabled = False
        rules.save()

    def keys(self):
        return sorted(Reminder.objects.values_list("key", flat=True))

    def move_deadline(self, day):
        """The measure's own deadline changes (its assignments' effective deadline follows)."""
        self.measure.deadline = day
        self.measure.save()

    def test_it_reminds_in_the_7_3_1_day_windows_once_each(self):
        # Tuesday 23: the 7-day window; Friday 26 sends the 3-day one that opens on Saturday 27;
        # Monday 29: the 1-day window.
        for day, created in [(D(2026, 6, 22), 0), (D(2026, 6, 23), 2), (D(2026, 6, 24), 0), (D(2026, 6, 25), 0),
                             (D(2026, 6, 26), 2), (D(2026, 6, 29), 2)]:
            with self.subTest(day=day):
                self.assertEqual(sweep(day).created, created)
        for offset in (7, 3, 1):
            self.assertIn(f"approaching:{self.assignment_a.pk}:2026-06-30:{offset}", self.keys())
        self.assertEqual(sweep(D(2026, 6, 29)).created, 0)
        note = Notification.objects.filter(recipient=self.staff_a).first()
        self.assertIn("临期提醒", note.title)
        self.assertEqual(note.link, f"/tasks/{self.assignment_a.pk}/")

    def test_it_sends_fridays_reminders_for_the_weekend_and_nothing_on_weekends(self):
        self.move_deadline(D(2026, 7, 7))  # a Tuesday
        self.assertEqual(sweep(D(2026, 7, 3)).created, 2)  # Friday: the 3-day window opens on Saturday
        self.assertTrue(all(key.endswith(":3") for key in self.keys()))
        result = sweep(D(2026, 7, 4))
        self.assertTrue(result.skipped_weekend)
        self.assertEqual(result.created, 0)
        self.assertEqual(sweep(D(2026, 7, 6)).created, 2)  # Monday: the 1-day window
        self.move_deadline(D(2026, 7, 13))
        rules = ReminderSettings.load()
        rules.skip_weekends = False
        rules.save()
        self.assertEqual(sweep(D(2026, 7, 11)).created, 2)  # a Saturday, weekends allowed: the 3-day window

    def test_it_escalates_overdue_work_the_day_after_and_then_weekly_to_leaders_and_office(self):
        rules = ReminderSettings.load()
        rules.approaching_enabled = False
        rules.save()
        self.assertEqual(sweep(D(2026, 6, 30)).created, 0)
        self.assertEqual(sweep(D(2026, 7, 1)).created, 2)
        self.assertEqual(sweep(D(2026, 7, 7)).created, 0)
        self.assertEqual(sweep(D(2026, 7, 8)).created, 2)
        recipients = set(Notification.objects.filter(kind="overdue", assignment=self.assignment_a)
                         .values_list("recipient__username", flat=True))
        self.assertEqual(recipients, {"leader_a"})
        # Department B has no leader: its staff hear it.
        self.assertEqual(
            set(Notification.objects.filter(kind="overdue", assignment=self.assignment_b)
                .values_list("recipient__username", flat=True)),
            {"staff_b"},
        )
        # The office gets both escalations of a sweep folded into one message.
        office_notes = Notification.objects.filter(kind="overdue", recipient=self.office)
        self.assertEqual(office_notes.count(), 2)  # 1 July and 8 July
        self.assertIn("共 2 项", office_notes.first().title)
        Assignment.objects.filter(pk=self.assignment_a.pk).update(status=AssignmentStatus.CLOSED)
        self.assertEqual(sweep(D(2026, 7, 15)).created, 1)

    def test_it_crosses_the_turn_of_a_year(self):
        self.move_deadline(D(2027, 1, 1))
        self.assertEqual(sweep(D(2026, 12, 25)).created, 2)  # Friday; 7 days ahead
        self.assertEqual(sweep(D(2026, 12, 31)).created, 2)  # Thursday; the 1-day window
        self.assertEqual(sweep(D(2027, 1, 4)).created, 2)  # Monday after: overdue
        self.assertIn(f"overdue:{self.assignment_a.pk}:2027-01-01:0", self.keys())

    def test_it_reminds_before_milestones(self):
        Milestone.objects.create(measure=self.measure, title="完成设备招标", due_date=D(2026, 5, 15))
        self.assertEqual(sweep(D(2026, 5, 8)).created, 2)
        self.assertTrue(all(key.startswith("milestone:") for key in self.keys()))

    def test_it_asks_for_a_missing_report_before_the_period_ends(self):
        rules = ReminderSettings.load()
        rules.report_due_enabled, rules.approaching_enabled, rules.overdue_enabled = True, False, False
        rules.save()
        self.assertEqual(sweep(D(2026, 3, 26)).created, 0)  # March ends in 5 days; the rule says 3
        ProgressReport.objects.filter(pk=self.report_a.pk).update(status=ReportStatus.SUBMITTED)
        self.assertEqual(sweep(D(2026, 3, 27)).created, 1)  # Friday: A has reported, B has not
        self.assertEqual(self.keys(), [f"report_due:{self.assignment_b.pk}:2026-03-01:3"])

    def test_it_reminds_about_unacknowledged_work_and_sends_the_weekly_digest(self):
        rules = ReminderSettings.load()
        rules.unacknowledged_enabled = rules.digest_enabled = True
        rules.approaching_enabled = rules.overdue_enabled = False
        rules.save()
        with time_machine.travel(datetime.datetime(2026, 3, 2, 1, tzinfo=datetime.UTC)):
            fresh = Assignment.objects.create(
                measure=Measure.objects.create(document=self.document, number="9", title="新任务", order=9,
                                               deadline=D(2026, 12, 31)),
                department=self.dept_a,
            )
        self.assertEqual(sweep(D(2026, 3, 3)).created, 0)  # Tuesday, one day after
        self.assertEqual(sweep(D(2026, 3, 4)).created, 1)
        self.assertEqual(Reminder.objects.get().assignment, fresh)
        self.assertEqual(sweep(D(2026, 3, 9)).created, 1)  # Monday: the digest
        digest = Notification.objects.get(kind="digest")
        self.assertEqual(digest.recipient, self.office)

    def test_it_finishes_a_sweep_that_died_half_way_without_duplicates(self):
        for n in range(2, 8):
            measure = Measure.objects.create(document=self.document, number=str(n), title=f"任务{n}", order=n,
                                             deadline=D(2026, 6, 30))
            Assignment.objects.create(measure=measure, department=self.dept_a, role=AssignmentRole.LEAD,
                                      status=AssignmentStatus.IN_PROGRESS)
        real = reminders.notify_many
        calls = {"n": 0}

        def dies_on_second_batch(*args, **kwargs):
            calls["n"] += 1
            if calls["n"] == 2:
                raise RuntimeError("worker killed")
            return real(*args, **kwargs)

        with mock.patch.object(reminders, "BATCH_SIZE", 3), mock.patch.object(reminders, "notify_many", dies_on_second_batch):
            with self.assertRaises(RuntimeError):
                sweep(D(2026, 6, 29))
        # A department's reminders stay in one batch: department A's seven were written whole,
        # department B's one was lost with the second batch.
        self.assertEqual(Reminder.objects.filter(assignment__department=self.dept_a).count(), 7)
        self.assertEqual(Reminder.objects.count(), 7)
        self.assertEqual(sweep(D(2026, 6, 29)).created, 1)
        self.assertEqual(sweep(D(2026, 6, 29)).created, 0)
        self.assertEqual(Reminder.objects.count(), 8)
        told = list(Notification.objects.values_list("recipient__username", flat=True))
        self.assertEqual(sorted(told), ["leader_a", "staff_a", "staff_b"])  # once each, folded
        self.assertIn("共 7 项", Notification.objects.get(recipient=self.staff_a).title)


class RunRemindersCommandTests(BaseTestCase):
    def test_it_prints_created_and_delivered_and_repeats_nothing(self):
        self.leader_a.email = "leader_a@example.com"
        self.leader_a.save()
        out = StringIO()
        call_command("run_reminders", "--today", "2026-06-29", stdout=out)
        first = json.loads(out.getvalue())
        self.assertGreater(first["created"], 0)
        self.assertEqual(first["delivered"], Notification.objects.count())
        self.assertEqual(len(mail.outbox), first["deliveries_sent"])
        out = StringIO()
        call_command("run_reminders", "--today", "2026-06-29", stdout=out)
        self.assertEqual((json.loads(out.getvalue())["created"], json.loads(out.getvalue())["delivered"]), (0, 0))
        with self.assertRaisesMessage(CommandError, "YYYY-MM-DD"):
            call_command("run_reminders", "--today", "29/06/2026", stdout=StringIO())


    def test_a_rerun_after_a_crash_delivers_what_the_crashed_run_left_pending(self):
        self.leader_a.email = "leader_a@example.com"
        self.leader_a.save()
        with mock.patch("tasks.management.commands.run_reminders.deliver_one", side_effect=RuntimeError("killed")):
            with self.assertRaises(RuntimeError):
                call_command("run_reminders", "--today", "2026-06-29", stdout=StringIO())
        pending = Delivery.objects.filter(status=DeliveryStatus.PENDING).count()
        self.assertGreater(pending, 0)
        self.assertEqual(len(mail.outbox), 0)
        out = StringIO()
        call_command("run_reminders", "--today", "2026-06-29", stdout=out)
        summary = json.loads(out.getvalue())
        self.assertEqual((summary["created"], summary["earlier_deliveries_sent"]), (0, pending))
        self.assertFalse(Delivery.objects.exclude(status=DeliveryStatus.SENT).exists())
        self.assertEqual(len(mail.outbox), Delivery.objects.filter(channel="email").count())


class ChannelTests(BaseTestCase):
    def test_it_urges_at_once_in_app_by_email_and_to_the_department_robot(self):
        self.staff_a.email = "staff_a@example.com"
        self.staff_a.save()
        with RobotServer() as robot:
            self.dept_a.webhook_url = robot.url
            self.dept_a.save()
            with self.captureOnCommitCallbacks(execute=True):
                urge(self.assignment_a, self.office, "请本周五前报送进展。")
            self.assertEqual(len(robot.posts), 1)
        self.assertEqual(robot.posts[0]["msgtype"], "text")
        self.assertIn("请本周五前报送进展。", robot.posts[0]["text"]["content"])
        self.assertEqual(Notification.objects.filter(kind="urge").count(), 2)  # staff_a and leader_a
        self.assertEqual([m.to for m in mail.outbox], [["staff_a@example.com"]])
        self.assertIn("催办", mail.outbox[0].subject)
        self.assertEqual(mail.outbox[0].alternatives[0][1], "text/html")
        self.assertFalse(Delivery.objects.exclude(status=DeliveryStatus.SENT).exists())

    def test_it_respects_a_user_turning_email_off(self):
        self.staff_a.email = "staff_a@example.com"
        self.staff_a.save()
        NotificationPreference.objects.create(user=self.staff_a, email=False)
        with self.captureOnCommitCallbacks(execute=True):
            urge(self.assignment_a, self.office, "请报送。")
        self.assertEqual(len(mail.outbox), 0)
        self.assertTrue(Notification.objects.filter(recipient=self.staff_a).exists())

    def test_it_retries_a_failing_robot_with_backoff_and_gives_up_on_a_refusal(self):
        with RobotServer(status=503) as robot:
            delivery = Delivery.objects.create(channel="webhook", address=robot.url, subject="s", body="b")
            self.assertFalse(deliver_one(delivery.pk))
        delivery.refresh_from_db()
        self.assertEqual((delivery.status, delivery.attempts), (DeliveryStatus.FAILED, 1))
        self.assertIsNotNone(delivery.next_attempt_at)
        self.assertIn("503", delivery.last_error)
        with RobotServer(reply={"errcode": 93000, "errmsg": "invalid webhook url"}) as robot:
            Delivery.objects.filter(pk=delivery.pk).update(address=robot.url)
            self.assertFalse(deliver_one(delivery.pk))
        delivery.refresh_from_db()
        self.assertEqual(delivery.status, DeliveryStatus.DEAD)
        self.assertIn("invalid webhook url", delivery.last_error)
        self.assertFalse(deliver_one(delivery.pk))  # a dead delivery is not tried again

    def test_it_sends_a_delivery_only_once(self):
        with RobotServer() as robot:
            delivery = Delivery.objects.create(channel="webhook", address=robot.url, subject="s", body="b")
            self.assertTrue(deliver_one(delivery.pk))
            self.assertFalse(deliver_one(delivery.pk))
            self.assertEqual(len(robot.posts), 1)

    def test_it_notifies_the_author_of_a_returned_report_and_the_leader_of_a_waiting_one(self):
        from tasks.workflow.reports import ReportInput, review, save_report

        self.dept_a.requires_leader_approval = True
        self.dept_a.save()
        with time_machine.travel(datetime.datetime(2026, 3, 10, 2, tzinfo=datetime.UTC)):
            report = save_report(self.assignment_a, self.staff_a, ReportInput("进展", 30, {}, [], []), submit=True)
        self.assertTrue(Notification.objects.filter(recipient=self.leader_a, kind="report_waiting").exists())
        report.status = ReportStatus.LEADER_APPROVED
        report.save()
        review(report, self.office, accept=False, comment="请补充数据", expected_version=report.version)
        returned = Notification.objects.get(recipient=self.staff_a, kind="report_returned")
        self.assertIn("请补充数据", returned.body)


class NotificationPagesTests(BaseTestCase):
    def test_it_shows_unread_counts_and_marks_read(self):
        note = Notification.objects.create(recipient=self.staff_a, kind="urge", title="催办", body="请报送",
                                           link=f"/tasks/{self.assignment_a.pk}/")
        Notification.objects.create(recipient=self.staff_b, kind="urge", title="别人的", body="x")
        self.client.force_login(self.staff_a)
        response = self.client.get(reverse("tasks:notifications"))
        self.assertContains(response, 'data-testid="unread-count">1<')
        self.assertNotContains(response, "别人的")
        response = self.client.post(reverse("tasks:notification-open", args=[note.pk]))
        self.assertRedirects(response, note.link)
        note.refresh_from_db()
        self.assertIsNotNone(note.read_at)
        other = Notification.objects.get(recipient=self.staff_b)
        self.assertEqual(self.client.post(reverse("tasks:notification-open", args=[other.pk])).status_code, 404)
        Notification.objects.create(recipient=self.staff_a, kind="urge", title="二", body="")
        self.client.post(reverse("tasks:notifications-read-all"))
        self.assertFalse(Notification.objects.filter(recipient=self.staff_a, read_at__isnull=True).exists())

    def test_it_lets_a_user_choose_channels(self):
        self.client.force_login(self.staff_a)
        self.client.post(reverse("tasks:notification-settings"), {})
        self.assertFalse(NotificationPreference.objects.get(user=self.staff_a).email)
        self.client.post(reverse("tasks:notification-settings"), {"email": "on"})
        self.assertTrue(NotificationPreference.objects.get(user=self.staff_a).email)

    @time_machine.travel(datetime.datetime(2026, 6, 1, 9, 0, tzinfo=datetime.UTC), tick=False)
    def test_it_serves_a_calendar_feed_and_revokes_it_on_renewal(self):
        self.client.force_login(self.staff_a)
        self.client.get(reverse("tasks:notification-settings"))
        token = CalendarToken.objects.get(user=self.staff_a).token
        self.client.logout()
        response = self.client.get(reverse("calendar-feed", args=[token]))
        self.assertEqual(response["Content-Type"], "text/calendar; charset=utf-8")
        body = response.content.decode()
        self.assertIn("BEGIN:VCALENDAR", body)
        self.assertIn("DTSTART;VALUE=DATE:20260630", body)
        self.assertIn("建设算力中心", body)
        self.assertEqual(self.client.get(reverse("calendar-feed", args=["not-a-token"])).status_code, 404)
        self.client.force_login(self.staff_a)
        self.client.post(reverse("tasks:notification-settings"), {"renew_calendar": "1"})
        self.client.logout()
        self.assertEqual(self.client.get(reverse("calendar-feed", args=[token])).status_code, 404)
        fresh = CalendarToken.objects.get(user=self.staff_a).token
        self.assertEqual(self.client.get(reverse("calendar-feed", args=[fresh])).status_code, 200)

    def test_it_shows_the_office_how_deliveries_went(self):
        Delivery.objects.create(channel="email", address="x@example.com", subject="已放弃的消息", body="b",
                                status=DeliveryStatus.DEAD, last_error="550 no such user")
        self.client.force_login(self.office)
        response = self.client.get(reverse("tasks:outbox"), {"status": "dead"})
        self.assertContains(response, "550 no such user")
        self.client.force_login(self.staff_a)
        self.assertEqual(self.client.get(reverse("tasks:outbox")).status_code, 403)


@override_settings(CELERY_TASK_ALWAYS_EAGER=False)
class BrokerAwayTests(BaseTestCase):
    def test_it_keeps_the_web_working_when_the_broker_is_unreachable(self):
        from policytrack.celery import app

        use_broker(app, "redis://127.0.0.1:1/0", eager=False)
        try:
            self.client.force_login(self.office)
            with self.captureOnCommitCallbacks(execute=True):
                response = self.client.post(reverse("tasks:urge", args=[self.assignment_a.pk]), {"message": "请报送"})
            self.assertEqual(response.status_code, 302)
        finally:
            use_broker(app, "memory://", eager=True)
        self.assertTrue(Notification.objects.filter(kind="urge").exists())
        self.assertEqual(Delivery.objects.filter(status=DeliveryStatus.PENDING).count(),
                         Delivery.objects.count())


class MembershipHelpersTests(BaseTestCase):
    def test_it_gives_overdue_escalations_to_staff_when_a_department_has_no_leader(self):
        Membership.objects.filter(user=self.leader_a).update(role=Role.STAFF)
        make_user("other_office", self.office_dept, Role.OFFICE)
        Assignment.objects.filter(pk=self.assignment_a.pk).update(status=AssignmentStatus.IN_PROGRESS)
        sweep(D(2026, 7, 1))
        got = set(Notification.objects.filter(kind="overdue").values_list("recipient__username", flat=True))
        self.assertEqual(got, {"staff_a", "leader_a", "staff_b", "office", "other_office"})
