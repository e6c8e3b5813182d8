"""django-axes locks a user name out from one address after repeated failures."""

from django.test import override_settings
from django.urls import reverse

from tests.base import PASSWORD, BaseTestCase


@override_settings(AXES_ENABLED=True, AXES_FAILURE_LIMIT=3)
class LoginThrottlingTests(BaseTestCase):
    def login(self, password):
        return self.client.post(reverse("login"), {"username": "staff_a", "password": password}, REMOTE_ADDR="10.0.0.7")

    def test_it_locks_out_after_repeated_failures_even_with_the_right_password(self):
        for _ in range(2):
            self.assertContains(self.login("wrong"), "请输入一个正确的")
        self.assertContains(self.login("wrong"), "登录失败次数过多", status_code=429)
        response = self.login(PASSWORD)
        self.assertContains(response, "登录失败次数过多", status_code=429)
        self.assertNotIn("_auth_user_id", self.client.session)

    def test_it_forgets_failures_after_a_successful_login(self):
        self.login("wrong")
        self.assertEqual(self.login(PASSWORD).status_code, 302)
        self.client.logout()
        for _ in range(2):
            self.login("wrong")
        self.assertEqual(self.login(PASSWORD).status_code, 302)
