"""django-axes locks a user name out from one address after repeated failures; behind the reverse
proxy the address is the client's (from X-Forwarded-For), not the proxy's."""

from django.test import RequestFactory, override_settings
from django.urls import reverse

from policytrack.client_ip import client_ip
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


@override_settings(AXES_ENABLED=True, AXES_FAILURE_LIMIT=3, TRUSTED_PROXY_COUNT=1)
class BehindTheProxyTests(BaseTestCase):
    """Every request comes from the proxy (127.0.0.1); the client is in X-Forwarded-For."""

    def login(self, password, forwarded):
        return self.client.post(reverse("login"), {"username": "staff_a", "password": password},
                                REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR=forwarded)

    def test_an_attacker_does_not_lock_out_the_user_elsewhere(self):
        for _ in range(3):
            self.login("wrong", "203.0.113.9")
        self.assertContains(self.login(PASSWORD, "203.0.113.9"), "登录失败次数过多", status_code=429)
        self.assertEqual(self.login(PASSWORD, "198.51.100.4").status_code, 302)

    def test_a_forged_left_entry_does_not_escape_the_lockout(self):
        for n in range(3):
            self.login("wrong", f"10.9.9.{n}, 203.0.113.9")
        self.assertContains(self.login(PASSWORD, "10.1.1.1, 203.0.113.9"), "登录失败次数过多", status_code=429)


@override_settings(TRUSTED_PROXY_COUNT=0)
class WithoutAProxyTests(BaseTestCase):
    def test_it_ignores_x_forwarded_for_without_a_proxy(self):
        request = RequestFactory().get("/", REMOTE_ADDR="192.0.2.1", HTTP_X_FORWARDED_FOR="203.0.113.9")
        self.assertEqual(client_ip(request), "192.0.2.1")
        with self.settings(TRUSTED_PROXY_COUNT=2):
            request.META["HTTP_X_FORWARDED_FOR"] = "1.1.1.1, 203.0.113.9, 10.0.0.2"
            self.assertEqual(client_ip(request), "203.0.113.9")
            request.META["HTTP_X_FORWARDED_FOR"] = "not-an-address, 10.0.0.2"
            self.assertEqual(client_ip(request), "192.0.2.1")
