"""A month's work in the browser: staff1 reports with a file, leader1 approves, the office
returns it, staff1 resubmits, the office accepts and signs off, and the dashboard moves."""

from io import StringIO

import pytest
from django.core.management import call_command

from tasks.models import Assignment, ProgressReport
from tests.browser.conftest import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PDF = b"%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n"


def closed_count(page, live_server) -> int:
    page.goto(f"{live_server.url}/dashboard/")
    return int(page.locator("[data-stat=closed]").inner_text())


def decide(page, report, button: str, comment: str = "") -> None:
    form = page.locator(f"form[data-testid=decision-form][action='/reports/{report.pk}/decision/']")
    if comment:
        form.locator("textarea[name=comment]").fill(comment)
    form.locator(f"[data-testid={button}]").click()
    page.wait_for_load_state("networkidle")


def test_it_takes_a_report_from_staff_to_sign_off(page, browser, live_server, shot):
    call_command("seed_demo", stdout=StringIO())
    assignment = Assignment.objects.get(measure__number="1", department__short_name="市发改委")
    url = f"{live_server.url}/tasks/{assignment.pk}/"

    login(page, live_server, "office", "office-demo-2025")
    closed_before = closed_count(page, live_server)
    shot(page, "0-dashboard-before")

    staff = browser.new_context(viewport={"width": 1400, "height": 1000}).new_page()
    login(staff, live_server, "staff1", "staff1-demo-2025")
    staff.goto(url)
    staff.fill("textarea[name=text]", "已完成市级政务云扩容方案编制,正在组织专家评审。")
    staff.fill("input[name=percent]", "35")
    staff.set_input_files("input[name=files]", files=[{"name": "评审通知.pdf", "mimeType": "application/pdf", "buffer": PDF}])
    staff.click("[data-testid=submit-report]")
    staff.wait_for_selector("text=报告已提交")
    shot(staff, "1-staff-submitted")
    report = ProgressReport.objects.get(assignment=assignment)
    assert report.status == "submitted" and report.attachments.count() == 1

    leader = browser.new_context(viewport={"width": 1400, "height": 1000}).new_page()
    login(leader, live_server, "leader1", "leader1-demo-2025")
    leader.goto(f"{live_server.url}/tasks/approvals/")
    decide(leader, report, "accept")
    shot(leader, "2-leader-approved")
    report.refresh_from_db()
    assert report.status == "leader_approved"

    page.goto(f"{live_server.url}/reviews/")
    assert page.locator(f"a[href='/tasks/{assignment.pk}/']").count() >= 1
    page.goto(url)
    decide(page, report, "return", "请补充专家评审的具体时间。")
    page.wait_for_selector("text=已退回")
    shot(page, "3-office-returned")

    staff.goto(url)
    assert staff.locator("[data-testid=review-comment]").first.inner_text().endswith("请补充专家评审的具体时间。")
    staff.fill("textarea[name=text]", "专家评审定于下周三召开,评审后报市政府审定。")
    staff.click("[data-testid=submit-report]")
    staff.wait_for_selector("text=报告已提交")
    shot(staff, "4-staff-resubmitted")

    leader.goto(f"{live_server.url}/tasks/approvals/")
    decide(leader, report, "accept")

    page.goto(url)
    decide(page, report, "accept", "同意。")
    page.wait_for_selector("text=已通过")
    page.once("dialog", lambda dialog: dialog.accept())
    page.click("[data-testid=sign-off]")
    page.wait_for_selector("text=已确认办结")
    shot(page, "5-office-signed-off")
    assignment.refresh_from_db()
    assert assignment.status == "closed"

    assert closed_count(page, live_server) == closed_before + 1
    shot(page, "6-dashboard-after")
