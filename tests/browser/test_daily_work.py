"""Daily work in the browser: Back after a filtered search shows the whole page with its
filters, every list fits a 390 px phone without sideways scrolling, a report is withdrawn."""

import re
from io import StringIO

import pytest
from django.core.management import call_command

from tests.browser.conftest import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}

# (who, password, list pages they work in)
LISTS = [
    ("staff1", "staff1-demo-2025", ["/tasks/", "/notifications/", "/bulletins/"]),
    ("leader1", "leader1-demo-2025", ["/tasks/approvals/"]),
    ("office", "office-demo-2025", ["/reviews/", "/assignments/", "/dashboard/", "/bulletins/", "/notifications/"]),
]


@pytest.fixture
def demo(db):
    call_command("seed_demo", stdout=StringIO())


def test_back_after_a_filtered_search_shows_the_whole_page(demo, page, live_server, shot):
    login(page, live_server, "staff1", "staff1-demo-2025")
    page.goto(f"{live_server.url}/tasks/")
    everything = page.locator("[data-testid=task-row]").count()
    page.fill("#f-q", "营商环境")
    with page.expect_response(re.compile(r"/tasks/\?.*q=")):
        page.press("#f-q", "Enter")
    page.wait_for_url(re.compile(r"/tasks/\?.*q=%E8%90%A5"))
    filtered = page.locator("[data-testid=task-row]").count()
    assert 0 < filtered < everything
    page.locator("[data-testid=task-row] a").first.click()
    page.wait_for_url(re.compile(r"/tasks/\d+/$"))

    page.go_back()
    page.wait_for_url(re.compile(r"/tasks/\?.*q="))
    page.wait_for_selector("nav.navbar")
    page.wait_for_load_state("networkidle")
    shot(page, "back")
    assert page.locator("link[rel=stylesheet]").count() >= 3  # the page, not the bare partial
    assert page.input_value("#f-q") == "营商环境"
    assert page.locator("[data-testid=task-row]").count() == filtered


@pytest.mark.parametrize(("username", "password", "urls"), LISTS, ids=[who for who, _, _ in LISTS])
def test_no_list_scrolls_sideways_on_a_phone(demo, browser, live_server, shot, username, password, urls):
    context = browser.new_context(viewport=PHONE, locale="zh-CN", is_mobile=True, has_touch=True)
    page = context.new_page()
    try:
        login(page, live_server, username, password)
        for url in urls:
            page.goto(f"{live_server.url}{url}")
            page.wait_for_load_state("networkidle")
            shot(page, f"{username}{url.replace('/', '-')}")
            width = page.evaluate("document.documentElement.scrollWidth")
            assert width <= PHONE["width"], f"{url} is {width} px wide on a 390 px phone"
            if url == "/dashboard/":  # charts keep every label on a phone
                for chart, count in (("chart-deadlines", 12), ("chart-trend", 12)):
                    shown = page.wait_for_function(
                        """(id) => { const c = echarts.getInstanceByDom(document.getElementById(id));
                                     return c && c.getModel().getComponent("xAxis").axis.getViewLabels().length; }""",
                        arg=chart).json_value()
                    assert shown == count, (chart, shown)
            # rows of a list are cards: no table header is shown
            for table in page.locator("table.table-cards").all():
                assert not table.locator("thead").is_visible(), url
            # the filters fold behind one button
            toggle = page.locator(".filter-toggle")
            if toggle.count():
                form_id = toggle.first.get_attribute("data-bs-target")
                assert not page.locator(form_id).is_visible(), url
                toggle.first.click()
                page.wait_for_selector(f"{form_id}.show")
                assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"], url
    finally:
        context.close()


def test_a_staff_member_acknowledges_on_a_phone(demo, browser, live_server):
    context = browser.new_context(viewport=PHONE, locale="zh-CN", is_mobile=True, has_touch=True)
    page = context.new_page()
    try:
        login(page, live_server, "staff1", "staff1-demo-2025")
        page.goto(f"{live_server.url}/tasks/?status=pending")
        button = page.locator("[data-testid=acknowledge]").first
        box = button.bounding_box()
        assert box and box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"]
        button.click()
        page.wait_for_selector("text=已签收")
    finally:
        context.close()


def test_a_report_is_withdrawn_before_anyone_acts(demo, browser, live_server, shot):
    from tasks.models import Assignment, ProgressReport

    assignment = Assignment.objects.get(measure__number="1", department__short_name="市工信局")
    page = browser.new_context(viewport={"width": 1400, "height": 1000}, locale="zh-CN").new_page()
    login(page, live_server, "staff2", "staff2-demo-2025")
    page.goto(f"{live_server.url}/tasks/{assignment.pk}/")
    page.fill("textarea[name=text]", "已完成光网改造方案初稿。")
    page.fill("input[name=percent]", "20")
    page.click("[data-testid=submit-report]")
    page.wait_for_selector("text=报告已提交")
    report = ProgressReport.objects.filter(assignment=assignment).latest("period_start")
    assert report.status == "submitted"
    page.once("dialog", lambda dialog: dialog.accept())
    page.click("[data-testid=withdraw]")
    page.wait_for_selector("text=报告已撤回为草稿")
    shot(page, "withdrawn")
    report.refresh_from_db()
    assert report.status == "draft"
    assert page.input_value("textarea[name=text]") == "已完成光网改造方案初稿。"
    page.context.close()


def test_a_staff_member_sees_the_notice_of_new_work_after_an_import(demo, page, live_server, tmp_path, shot):
    from documents.models import PolicyDocument
    from tests.sheets import HEADER, csv_bytes

    document = PolicyDocument.objects.order_by("pk").first()
    sheet = tmp_path / "新增任务.csv"
    sheet.write_bytes(csv_bytes([HEADER, [91, "建设城市级数据要素流通平台", "市发改委", "市工信局", "2027年6月", "", ""],
                                 [92, "开展公共数据授权运营试点", "市发改委", "", "2027年12月", "", ""]]))
    call_command("import_measures", str(sheet), "--document", str(document.pk), stdout=StringIO())

    login(page, live_server, "staff1", "staff1-demo-2025")
    assert int(page.locator("[data-testid=unread-count]").inner_text()) >= 1
    page.click("[data-testid=bell]")
    notice = page.locator("[data-testid=notifications] li", has_text="新任务").first
    assert "分配给本单位 2 项" in notice.inner_text()
    assert "91 建设城市级数据要素流通平台" in notice.inner_text()
    assert "92 开展公共数据授权运营试点" in notice.inner_text()
    shot(page, "new-work")
    notice.locator("button[type=submit]").click()
    page.wait_for_url(re.compile(rf"/tasks/\?document={document.pk}"))
    assert page.locator("[data-testid=task-row]", has_text="建设城市级数据要素流通平台").count() == 1


def test_the_bulletin_is_an_a4_official_document_with_page_numbers(demo, page, live_server, shot):
    import docx

    login(page, live_server, "office", "office-demo-2025")
    page.goto(f"{live_server.url}/bulletins/")
    page.click("[data-testid=bulletin-form] button[type=submit]")
    page.wait_for_selector("[data-testid=bulletin]")
    page.click("[data-testid=bulletin-edit] summary")
    page.fill("#id_doc_number", "云督通〔2026〕1号")
    page.fill("#id_foreword", "现将本月重点任务推进情况通报如下，请各单位对照整改。")
    page.fill("#id_next_steps", "一是逐项销号逾期事项。\n二是按月报送进展。")
    page.click("[data-testid=save-bulletin]")
    page.wait_for_selector("text=通报已保存")
    assert page.locator("[data-testid=foreword]").inner_text() == "现将本月重点任务推进情况通报如下，请各单位对照整改。"
    shot(page, "bulletin")
    with page.expect_download() as download:
        page.click("[data-testid=docx]")
    document = docx.Document(download.value.path())
    section = document.sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
    assert 'w:instr="PAGE"' in section.footer.paragraphs[0]._p.xml
    texts = [p.text for p in document.paragraphs]
    assert texts[1] == "云督通〔2026〕1号"
    assert "二是按月报送进展。" in texts


CONTRAST = """() => {
  const rgb = (text) => text.match(/[\\d.]+/g).map(Number);
  const lum = ([r, g, b]) => {
    const c = [r, g, b].map((v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; });
    return 0.2126 * c[0] + 0.7152 * c[1] + 0.0722 * c[2];
  };
  const back = rgb(getComputedStyle(document.querySelector("nav.navbar")).backgroundColor);
  return [...document.querySelectorAll("nav.navbar .nav-link")].map((link) => {
    const [r, g, b, a = 1] = rgb(getComputedStyle(link).color);
    const shown = [r, g, b].map((v, i) => v * a + back[i] * (1 - a));
    const [hi, lo] = [lum(shown), lum(back)].sort((x, y) => y - x);
    return (hi + 0.05) / (lo + 0.05);
  });
}"""


def test_the_menu_is_readable_and_the_page_has_a_skip_link_and_an_icon(demo, page, live_server):
    login(page, live_server, "office", "office-demo-2025")
    page.goto(f"{live_server.url}/reviews/")
    ratios = page.evaluate(CONTRAST)
    assert ratios and min(ratios) >= 4.5, ratios
    assert page.locator("[data-testid=nav-count][data-for='tasks:reviews']").inner_text().isdigit()
    page.keyboard.press("Tab")
    skip = page.locator(".skip-link")
    assert skip.is_visible() and skip.inner_text() == "跳到正文"
    icon = page.locator("link[rel=icon]").get_attribute("href")
    assert page.request.get(f"{live_server.url}{icon}").ok
    page.goto(f"{live_server.url}/assignments/?light=red")
    label = page.locator(".light").first.get_attribute("aria-label")
    assert label == "红灯 · 已逾期"


def test_a_report_typed_when_the_session_ran_out_is_restored_after_logging_in(demo, page, live_server, shot):
    from tasks.models import Assignment, ProgressReport

    assignment = Assignment.objects.get(measure__number="1", department__short_name="市工信局")
    login(page, live_server, "staff2", "staff2-demo-2025")
    page.goto(f"{live_server.url}/tasks/{assignment.pk}/")
    typed = "本月完成光网改造12处，下月推进剩余8处。"
    page.fill("textarea[name=text]", typed)
    page.fill("input[name=percent]", "45")
    page.context.clear_cookies(name="sessionid")  # the session has expired meanwhile (the CSRF cookie stays)
    page.click("[data-testid=submit-report]")
    page.wait_for_url("**/accounts/login/**")
    assert not ProgressReport.objects.filter(assignment=assignment).exists()
    page.fill("#id_username", "staff2")
    page.fill("#id_password", "staff2-demo-2025")
    page.click("button[type=submit]")
    page.wait_for_url(f"**/tasks/{assignment.pk}/")
    page.wait_for_selector("[data-draft-restored]:not([hidden])")
    shot(page, "restored")
    assert page.input_value("textarea[name=text]") == typed
    assert page.input_value("input[name=percent]") == "45"
    page.click("[data-testid=save-draft]")
    page.wait_for_selector("text=草稿已保存")
    assert ProgressReport.objects.get(assignment=assignment).text == typed
    assert page.evaluate("Object.keys(localStorage).filter(k => k.startsWith('policytrack:')).length") == 0
