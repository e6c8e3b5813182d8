"""The office's month end in the browser: the dashboard draws its charts from the app's own
files, a card and a chart bar open the list behind them with as many rows as they say, and a
bulletin is drafted, published and read by a department."""

import json
import re
from io import StringIO

import pytest
from django.core.management import call_command

from tasks.models import Bulletin
from tests.browser.conftest import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CHARTS = ("chart-status", "chart-deadlines", "chart-ranking", "chart-trend")


def listed(page) -> int:
    """The number of assignments the list says it holds ("共 N 项")."""
    return int(re.search(r"\d+", page.locator("h1 small").inner_text())[0])


def test_the_dashboard_charts_lists_and_a_bulletin(page, browser, live_server, shot):
    call_command("seed_demo", stdout=StringIO())
    requested = []
    page.on("request", lambda request: requested.append(request.url))

    login(page, live_server, "office", "office-demo-2025")
    page.goto(f"{live_server.url}/dashboard/")
    for chart in CHARTS:
        page.wait_for_selector(f"#{chart} canvas")
    shot(page, "0-dashboard")
    data = json.loads(page.locator("#dashboard-data").text_content())

    # a card opens the list behind it
    overdue = int(page.locator("[data-stat=overdue]").inner_text())
    assert overdue > 0
    page.locator("[data-stat=overdue]").click()
    page.wait_for_url(re.compile(r"/assignments/\?.*state=overdue"))
    assert listed(page) == overdue
    shot(page, "1-overdue-list")

    # so does a bar of the deadlines chart, clicked where ECharts drew it
    page.goto(f"{live_server.url}/dashboard/")
    page.wait_for_selector("#chart-deadlines canvas")
    month = next(i for i, bar in enumerate(data["due"]) if bar["value"] > 0)
    page.locator("#chart-deadlines").scroll_into_view_if_needed()
    bar_centre = """(month) => {
        const element = document.getElementById("chart-deadlines");
        const chart = echarts.getInstanceByDom(element);
        const bar = chart.getModel().getSeriesByIndex(0).getData().getItemLayout(month);
        const [x, y] = [bar.x + bar.width / 2, bar.y + bar.height / 2];
        if (!chart.getZr().handler.findHover(x, y).target) { return null; }  // still growing in
        const box = element.getBoundingClientRect();
        const spot = {x: box.left + x, y: box.top + y};
        // the same spot on two frames running: the bars have stopped growing and moving
        const previous = window.lastBarSpot;
        window.lastBarSpot = spot;
        return previous && previous.x === spot.x && previous.y === spot.y ? spot : null;
    }"""
    where = page.wait_for_function(bar_centre, arg=month).json_value()
    page.mouse.click(where["x"], where["y"])
    page.wait_for_url(re.compile(r"/assignments/\?.*due_from="))
    assert listed(page) == data["due"][month]["value"]
    shot(page, "2-due-that-month")

    # a bulletin: drafted for this month, published, read by a department
    page.goto(f"{live_server.url}/bulletins/")
    page.locator("[data-testid=bulletin-form] button[type=submit]").click()
    page.wait_for_selector("[data-testid=bulletin]")
    bulletin = Bulletin.objects.get()
    assert page.locator("[data-testid=bulletin] h1").inner_text() == bulletin.title
    shot(page, "3-bulletin-draft")

    staff = browser.new_context(viewport={"width": 1400, "height": 1000}).new_page()
    login(staff, live_server, "staff1", "staff1-demo-2025")
    staff.goto(f"{live_server.url}/bulletins/")
    assert staff.locator(f"a[href='/bulletins/{bulletin.pk}/']").count() == 0  # a draft stays with the office

    page.once("dialog", lambda dialog: dialog.accept())
    page.locator("[data-testid=publish]").click()
    page.wait_for_selector("text=通报已发布")
    bulletin.refresh_from_db()
    assert bulletin.is_published
    shot(page, "4-bulletin-published")

    staff.goto(f"{live_server.url}/bulletins/")
    staff.locator(f"a[href='/bulletins/{bulletin.pk}/']").first.click()
    staff.wait_for_selector("[data-testid=bulletin]")
    assert staff.locator("[data-testid=publish]").count() == 0
    shot(staff, "5-department-reads-it")

    # everything the office's pages asked for came from the portal itself (no CDN)
    assert requested and all(url.startswith((live_server.url, "data:", "blob:")) for url in requested), [
        url for url in requested if not url.startswith((live_server.url, "data:", "blob:"))]
