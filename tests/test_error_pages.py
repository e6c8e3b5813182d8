"""403, 404 and 500 use the portal's layout, in Chinese, with a way back; the 403 says who may
open the page, the 404 does not tell a missing object from a hidden one, and the 500 renders
without a request (Django renders it with an empty context)."""

from __future__ import annotations

from django.template import loader
from django.test import override_settings
from django.urls import reverse

from tests.base import BaseTestCase


@override_settings(DEBUG=False)
class ErrorPageTests(BaseTestCase):
    def test_the_403_page_says_who_may_open_it(self):
        self.client.force_login(self.staff_a)
        response = self.client.get(reverse("tasks:dashboard"))
        self.assertContains(response, "督查员和领导", status_code=403)
        self.assertContains(response, 'lang="zh-hans"', status_code=403)
        self.assertContains(response, reverse("home"), status_code=403)
        self.assertNotContains(response, "403 Forbidden", status_code=403)

    def test_the_404_page_is_the_same_for_missing_and_hidden_objects(self):
        self.client.force_login(self.staff_b)
        hidden = self.client.get(reverse("tasks:assignment", args=[self.assignment_a.pk]))
        missing = self.client.get(reverse("tasks:assignment", args=[999999]))
        for response in (hidden, missing):
            self.assertContains(response, "找不到此页面", status_code=404)
            self.assertContains(response, "返回首页", status_code=404)
            self.assertNotContains(response, "建设算力中心", status_code=404)

    def test_the_500_page_renders_without_a_request(self):
        html = loader.get_template("500.html").render()
        self.assertIn("服务器暂时出错", html)
        self.assertIn('lang="zh-hans"', html)
        self.assertIn("返回首页", html)
