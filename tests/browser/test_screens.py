"""Screens of each role at desktop and phone size, for the README.

Run with SCREENS_DIR=docs/screens to refresh the committed PNGs; otherwise they go to
test-artifacts/. Either way the test checks each screen loads, fits its width and stays small."""

import os
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

from tests.browser.conftest import ARTIFACTS, login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ROLES = [  # (file name, user, password, page)
    ("staff", "staff1", "staff1-demo-2025", "/tasks/"),
    ("leader", "leader1", "leader1-demo-2025", "/tasks/approvals/"),
    ("office", "office", "office-demo-2025", "/reviews/"),
    ("leadership", "leadership", "leadership-demo-2025", "/dashboard/"),
    ("admin", "admin", "admin-demo-2025", "/documents/"),
]
SIZES = {"desktop": {"width": 1024, "height": 640}, "phone": {"width": 390, "height": 780}}
MAX_BYTES = 250_000


def test_it_takes_a_screen_of_each_role_at_desktop_and_phone_size(browser, live_server):
    call_command("seed_demo", stdout=StringIO())
    folder = Path(os.environ.get("SCREENS_DIR") or ARTIFACTS / "screens")
    folder.mkdir(parents=True, exist_ok=True)
    for size, viewport in SIZES.items():
        for name, username, password, url in ROLES:
            context = browser.new_context(viewport=viewport, locale="zh-CN", device_scale_factor=1,
                                          is_mobile=size == "phone")
            page = context.new_page()
            try:
                login(page, live_server, username, password)
                page.goto(f"{live_server.url}{url}")
                page.wait_for_load_state("networkidle")
                page.wait_for_timeout(300)  # charts finish their entrance animation
                path = folder / f"{name}-{size}.png"
                page.screenshot(path=str(path), animations="disabled")
                assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"], path.name
                assert 0 < path.stat().st_size <= MAX_BYTES, (path.name, path.stat().st_size)
            finally:
                context.close()
