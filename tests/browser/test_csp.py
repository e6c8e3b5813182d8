"""The Content-Security-Policy holds in a real browser: every main page, visited as each role,
raises no CSP violation (securitypolicyviolation events and console reports), and the header is
the strict one. A page with an inline script is the control: its violation is seen."""

import re
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.utils import timezone

from tasks.dashboard import bulletins, windows
from tasks.models import Assignment, ProgressReport
from tests.browser.conftest import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WATCH = """
window.__csp = [];
document.addEventListener("securitypolicyviolation", (e) => {
  window.__csp.push(`${e.violatedDirective} ${e.blockedURI} ${e.sourceFile}:${e.lineNumber}`);
});
"""

PAGES = {
    "office": ["/dashboard/", "/reviews/", "/assignments/", "/documents/", "/bulletins/", "/bulletins/{bulletin}/",
               "/tasks/{assignment}/", "/notifications/", "/notifications/settings/", "/notifications/outbox/", "/api/docs/"],
    "leadership": ["/dashboard/", "/documents/", "/bulletins/{bulletin}/", "/tasks/{assignment}/"],
    "admin": ["/documents/", "/documents/import/", "/documents/{document}/", "/api/docs/"],
    "staff1": ["/tasks/", "/tasks/{assignment}/", "/bulletins/", "/notifications/"],
    "leader1": ["/tasks/", "/tasks/approvals/", "/tasks/{assignment}/"],
}


# What must have been drawn on a page, so that its scripts are known to have run under the policy.
DRAWN = {"/dashboard/": "#chart-status canvas", "/api/docs/": "#swagger-ui .info"}


def visit_and_collect(page, url: str, drawn: str | None = None) -> list[str]:
    console: list[str] = []
    page.on("console", lambda message: console.append(message.text)
            if "Content Security Policy" in message.text else None)
    response = page.goto(url)
    assert response is not None and response.status == 200, url
    page.wait_for_load_state("networkidle")
    if drawn:
        page.wait_for_selector(drawn)
    page.wait_for_timeout(150)  # let late scripts (charts, Swagger UI) run
    return [*page.evaluate("window.__csp"), *console]


def test_no_page_raises_a_csp_violation_for_any_role(browser, live_server):
    call_command("seed_demo", stdout=StringIO())
    office = get_user_model().objects.get(username="office")
    today = timezone.localdate()
    bulletin = bulletins.draft_bulletin(office, windows.month_window(today), "本月通报", today)
    bulletins.publish_bulletin(bulletin, office)
    staff_assignment = Assignment.objects.filter(department__name="市发展和改革委员会").first()
    ids = {"bulletin": bulletin.pk, "assignment": staff_assignment.pk,
           "document": staff_assignment.measure.document_id}
    passwords = {"office": "office-demo-2025", "leadership": "leadership-demo-2025", "admin": "admin-demo-2025",
                 "staff1": "staff1-demo-2025", "leader1": "leader1-demo-2025"}
    found = {}
    for role, paths in PAGES.items():
        context = browser.new_context(viewport={"width": 1400, "height": 1000}, locale="zh-CN")
        context.add_init_script(WATCH)
        page = context.new_page()
        page.set_default_timeout(15_000)
        login(page, live_server, role, passwords[role])
        for path in paths:
            url = f"{live_server.url}{path.format(**ids)}"
            header = page.request.get(url).headers.get("content-security-policy", "")
            assert "script-src 'self'" in header and "frame-ancestors 'none'" in header, (url, header)
            violations = visit_and_collect(page, url, DRAWN.get(path))
            if violations:
                found[f"{role} {path}"] = violations
        context.close()
    assert found == {}
    assert ProgressReport.objects.exists()  # the demo data was there to be shown


def test_the_watch_sees_an_inline_script_being_blocked(browser, live_server):
    """The control: an inline script injected into a portal page is refused and reported."""
    context = browser.new_context()
    context.add_init_script(WATCH)
    page = context.new_page()
    page.goto(f"{live_server.url}/accounts/login/")
    page.evaluate("""() => { const s = document.createElement("script"); s.textContent = "window.ran = 1";
                             document.body.appendChild(s); }""")
    page.wait_for_timeout(100)
    assert page.evaluate("window.ran") is None
    assert any(re.match(r"script-src", v) for v in page.evaluate("window.__csp"))
    context.close()
