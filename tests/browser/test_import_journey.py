"""An admin pastes a policy document, fixes one unknown unit, confirms, and finds the measures
and assignments created."""

import pytest
from django.contrib.auth import get_user_model

from documents.models import PolicyDocument
from tasks.models import Assignment
from tests.base import PASSWORD
from tests.browser.conftest import login
from tests.importing import PLAN_TEXT, make_directory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_it_imports_a_pasted_document_end_to_end(page, live_server, shot):
    units = make_directory()
    get_user_model().objects.create_superuser("admin", "admin@example.com", PASSWORD)
    login(page, live_server, "admin", PASSWORD)

    page.goto(f"{live_server.url}/documents/import/")
    page.fill("textarea[name=text]", PLAN_TEXT)
    shot(page, "1-paste")
    page.click("text=识别并预览")
    page.wait_for_selector("[data-testid=measure]")
    assert page.locator("[data-testid=measure]").count() == 5
    assert page.locator("[data-testid=unresolved-count]").inner_text() == "1"
    assert page.locator("[data-testid=confirm-import]").is_disabled()
    shot(page, "2-preview")

    unknown = page.locator("[data-testid=unresolved-unit][data-unit='市教科体局']")
    suggestions = unknown.locator("optgroup").first.locator("option")
    assert "市科学技术和教育体育局" in suggestions.first.inner_text()
    unknown.locator("select[name=department]").select_option(value=str(units["市科教体局"].pk))
    unknown.locator("button[value=map]").click()
    page.wait_for_load_state("networkidle")
    assert page.locator("[data-testid=unresolved-count]").inner_text() == "0"
    shot(page, "3-unit-fixed")

    page.once("dialog", lambda dialog: dialog.accept())
    page.click("[data-testid=confirm-import]")
    page.wait_for_selector("text=新建措施 5 项")
    shot(page, "4-created")

    document = PolicyDocument.objects.get(doc_number="青府办发〔2024〕21号")
    assert document.measures.count() == 5
    assert Assignment.objects.filter(measure__document=document, department__short_name="市科教体局").count() == 2
    assert page.locator("table tbody tr").count() == 5
    assert page.locator("text=市科教体局").count() >= 2
