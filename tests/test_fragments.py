"""Rows cached by their content ({% cachefor %}, policytrack/fragments.py): they render as a plain
loop would, are read from the cache while unchanged, and a change to what a row shows (a report
submitted, reviewed, the language) is on the next page at once: no cached row is ever stale."""

from __future__ import annotations

import datetime

import time_machine
from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.template import Context, Engine, TemplateSyntaxError, engines
from django.test import SimpleTestCase, override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from policytrack.fragments import fingerprint
from tasks.choices import ReportStatus
from tasks.models import Assignment, ProgressReport
from tests.base import BaseTestCase

TODAY = datetime.datetime(2026, 4, 15, 9, 0, tzinfo=datetime.UTC)
LOCAL = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "fragments-test"}}


def render(source: str, **context) -> str:
    return engines["django"].from_string("{% load fragments %}" + source).render(context)


class Row:
    """Something with a value and an address that changes when the object is rebuilt."""

    def __init__(self, value):
        self.value = value


@override_settings(CACHES=LOCAL)
class CacheForTagTests(BaseTestCase):
    def setUp(self):
        cache.clear()

    def test_it_renders_what_a_plain_loop_renders(self):
        rows = list(Assignment.objects.select_related("department", "measure").order_by("pk"))
        body = "<li>{{ a.pk }} {{ a.department.name }} {{ a.measure.title }}</li>"
        plain = render("{% for a in rows %}" + body + "{% endfor %}", rows=rows)
        cached = render("{% cachefor a in rows %}" + body + "{% endcachefor %}", rows=rows)
        self.assertEqual(cached, plain)
        self.assertIn("市发展和改革委员会", cached)
        self.assertEqual(render("{% cachefor a in rows %}x{% empty %}无{% endcachefor %}", rows=[]), "无")

    def test_it_reads_an_unchanged_row_from_the_cache_and_renders_a_changed_one_afresh(self):
        source = "{% cachefor a in rows %}[{{ a.percent }}]{% endcachefor %}"
        rows = list(Assignment.objects.order_by("pk"))
        self.assertEqual(render(source, rows=rows), "[0][0]")
        with CaptureQueriesContext(connection) as queries:
            self.assertEqual(render(source, rows=rows), "[0][0]")
        self.assertEqual(len(queries), 0)
        # the cache is what answered: replace what it holds and the second row shows it
        keys = list(cache._cache)
        self.assertEqual(len(keys), 2)
        Assignment.objects.filter(pk=rows[1].pk).update(percent=70)
        fresh = list(Assignment.objects.order_by("pk"))
        self.assertEqual(render(source, rows=fresh), "[0][70]")
        self.assertEqual(len(cache._cache), 3)  # one new entry, for the changed row only

    def test_the_key_holds_related_objects_prefetched_lists_and_attributes_set_by_the_view(self):
        row = Assignment.objects.select_related("department").prefetch_related("reports").get(pk=self.assignment_a.pk)
        before = fingerprint(row)
        row.department.name = "改名后的单位"
        self.assertNotEqual(fingerprint(row), before)
        renamed = fingerprint(row)
        row._prefetched_objects_cache["reports"][0].text = "改过的报告"
        self.assertNotEqual(fingerprint(row), renamed)
        prefetched = fingerprint(row)
        row.days_left = 3  # what describe_rows sets
        self.assertNotEqual(fingerprint(row), prefetched)

    def test_what_it_cannot_tell_by_value_never_repeats(self):
        unread = Assignment.objects.all()
        self.assertNotEqual(fingerprint(unread), fingerprint(unread))  # a queryset the body would read
        first, second = Row(1), Row(1)
        self.assertNotEqual(fingerprint(first), fingerprint(second))  # <Row object at 0x…>
        self.assertEqual(fingerprint(Row), fingerprint(Row))

    def test_the_language_the_vary_variables_and_the_body_are_part_of_the_key(self):
        rows = list(Assignment.objects.order_by("pk"))[:1]
        source = "{% load i18n %}{% cachefor a in rows vary scope %}{% translate '进度' %}:{{ scope }}{% endcachefor %}"
        self.assertEqual(render(source, rows=rows, scope="A"), "进度:A")
        self.assertEqual(render(source, rows=rows, scope="B"), "进度:B")
        with translation.override("en"):
            self.assertEqual(render(source, rows=rows, scope="A"), "Progress:A")
        other_body = "{% load i18n %}{% cachefor a in rows vary scope %}{{ a.pk }}{% endcachefor %}"
        self.assertEqual(render(other_body, rows=rows, scope="A"), str(rows[0].pk))

    def test_it_refuses_a_token_an_include_and_a_wrong_call_when_the_template_is_compiled(self):
        engine = Engine(libraries={"fragments": "policytrack.fragments"})
        for source, reason in (
            ("{% cachefor a in rows %}{% csrf_token %}{% endcachefor %}", "csrf_token"),
            ("{% cachefor a in rows %}{% include 'x.html' %}{% endcachefor %}", "include"),
            ("{% cachefor a rows %}{% endcachefor %}", "用法"),
            ("{% cachefor a in rows vary %}{% endcachefor %}", "用法"),
            ("{% cachefor a in rows by x %}{% endcachefor %}", "用法"),
            ("{% cachefor a in rows %}x", "endcachefor"),
        ):
            with self.subTest(source=source), self.assertRaisesMessage(TemplateSyntaxError, reason):
                engine.from_string("{% load fragments %}" + source)

    def test_an_unreachable_cache_makes_every_row_a_miss(self):
        down = {"default": {"BACKEND": "policytrack.cache.DegradingRedisCache", "LOCATION": "redis://127.0.0.1:1/0",
                            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1}}}
        rows = list(Assignment.objects.order_by("pk"))
        with override_settings(CACHES=down):
            self.assertEqual(render("{% cachefor a in rows %}<{{ a.role }}>{% endcachefor %}", rows=rows),
                             "<lead><supporting>")


class LightTagTests(SimpleTestCase):
    def test_it_names_each_light_for_screen_readers(self):
        html = Engine(libraries={"worklist": "tasks.templatetags.worklist"}).from_string(
            "{% load worklist %}{% light value %}")
        self.assertInHTML('<span class="light light-red" role="img" title="红灯 · 已逾期" aria-label="红灯 · 已逾期"></span>',
                          html.render(Context({"value": "red"})))
        self.assertIn('title="灰灯 · 已办结或持续推进"', html.render(Context({"value": "grey"})))
        self.assertIn("light-&lt;b&gt;", html.render(Context({"value": "<b>"})))

    def test_select_options_mark_the_chosen_value_and_escape_labels(self):
        html = Engine(libraries={"worklist": "tasks.templatetags.worklist"}).from_string(
            "{% load worklist %}{% select_options choices chosen %}").render(
            Context({"choices": [("", "全部"), ("7", "《方案》<2026>")], "chosen": 7}))
        self.assertEqual(html, '<option value="">全部</option><option value="7" selected>《方案》&lt;2026&gt;</option>')


@override_settings(CACHES=LOCAL)
@time_machine.travel(TODAY, tick=False)
class NoStaleRowTests(BaseTestCase):
    """Through the pages: what one user does shows on everyone's next page, cached rows or not."""

    def setUp(self):
        cache.clear()

    def submit(self):
        self.client.force_login(self.staff_a)
        with self.captureOnCommitCallbacks(execute=True):
            response = self.client.post(reverse("tasks:assignment", args=[self.assignment_a.pk]),
                                        {"text": "完成机房土建。", "percent": "40", "submit": "1"})
        self.assertEqual(response.status_code, 302)
        return ProgressReport.objects.get(assignment=self.assignment_a, period_start=datetime.date(2026, 4, 1))

    def queue(self, user):
        self.client.force_login(user)
        response = self.client.get(reverse("tasks:reviews"))
        self.assertEqual(response.status_code, 200)
        return response

    def test_the_review_queue_and_its_menu_count_show_a_report_as_soon_as_it_is_sent_and_drop_it_once_decided(self):
        before = self.queue(self.office)
        self.assertEqual(before.context["nav_counts"]["tasks:reviews"], 0)
        self.assertNotContains(before, 'data-testid="review-row"')
        report = self.submit()
        after = self.queue(self.office)
        self.assertEqual(after.context["nav_counts"]["tasks:reviews"], 1)
        self.assertContains(after, f'data-report="{report.pk}"')
        self.assertContains(after, 'data-testid="nav-count" data-for="tasks:reviews">1<', html=False)
        self.client.post(reverse("tasks:report-decision", args=[report.pk]),
                         {"decision": "return", "comment": "请补充进度数据", "version": report.version})
        decided = self.queue(self.office)
        self.assertNotContains(decided, f'data-report="{report.pk}"')
        self.assertEqual(decided.context["nav_counts"]["tasks:reviews"], 0)

    def test_my_tasks_shows_the_latest_report_of_a_row_after_it_changes(self):
        self.client.force_login(self.staff_a)
        self.assertContains(self.client.get(reverse("tasks:my-tasks")), "草稿 · 04-15")  # March's draft
        report = self.submit()
        self.assertContains(self.client.get(reverse("tasks:my-tasks")), "已提交 · 04-15")
        self.client.force_login(self.office)
        self.client.post(reverse("tasks:report-decision", args=[report.pk]),
                         {"decision": "return", "comment": "请补充进度数据", "version": report.version})
        self.client.force_login(self.staff_a)
        returned = self.client.get(reverse("tasks:my-tasks"))
        self.assertContains(returned, 'data-testid="returned-mark"')
        self.assertEqual(ProgressReport.objects.get(pk=report.pk).status, ReportStatus.RETURNED)

    def test_a_cached_row_carries_no_ones_token_and_the_acknowledge_button_posts_with_the_users_own(self):
        self.client.force_login(self.staff_a)
        page = self.client.get(reverse("tasks:my-tasks")).content.decode()
        self.assertEqual(page.count('name="csrfmiddlewaretoken"'), 3)  # language, logout and the one 签收 form
        self.assertIn(f'form="acknowledge" formaction="{reverse("tasks:acknowledge", args=[self.assignment_a.pk])}"',
                      page)
        response = self.client.post(reverse("tasks:acknowledge", args=[self.assignment_a.pk]),
                                    {"next": reverse("tasks:my-tasks")})
        self.assertRedirects(response, reverse("tasks:my-tasks"))
        self.assertNotContains(self.client.get(reverse("tasks:my-tasks")), 'data-testid="acknowledge"')

    def test_a_row_is_shown_in_the_language_of_the_reader(self):
        self.client.force_login(self.staff_a)
        self.assertContains(self.client.get(reverse("tasks:my-tasks")), "草稿 · 04-15")
        self.client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
        english = self.client.get(reverse("tasks:my-tasks"))
        self.assertNotContains(english, "草稿")
        self.assertContains(english, "Draft · 04-15")


class QueueCountTests(BaseTestCase):
    def test_a_queue_page_counts_its_queue_once_for_the_pager_and_the_menu(self):
        self.client.force_login(self.office)
        with CaptureQueriesContext(connection) as queries:
            response = self.client.get(reverse("tasks:reviews"))
        counts = [q["sql"] for q in queries if "tasks_waitingtally" in q["sql"]
                  or (q["sql"].startswith('SELECT COUNT(*)') and "tasks_progressreport" in q["sql"])]
        self.assertEqual(len(counts), 1, counts)
        self.assertIn("tasks_waitingtally", counts[0])  # the office's whole queue: summed, not counted
        self.assertEqual(response.context["nav_counts"]["tasks:reviews"], response.context["paginator"].count)
        # other pages still count it for the menu
        self.assertEqual(self.client.get(reverse("no-role")).context["nav_counts"], {"tasks:reviews": 0})
