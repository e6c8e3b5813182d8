"""Each role lands on a page made for it and sees only its own navigation entries."""

from django.urls import reverse

from tests.base import PASSWORD, BaseTestCase, make_user

NAV = {
    "我的任务": reverse("tasks:my-tasks"),
    "待审批": reverse("tasks:approvals"),
    "审核": reverse("tasks:reviews"),
    "仪表盘": reverse("tasks:dashboard"),
    "政策文件": reverse("documents:list"),
    "导入文件": reverse("documents:import"),
    "管理后台": reverse("admin:index"),
}


class NavigationTests(BaseTestCase):
    expected = {
        "staff_a": ({"我的任务"}, "tasks:my-tasks"),
        "leader_a": ({"我的任务", "待审批"}, "tasks:my-tasks"),
        "office": ({"审核", "仪表盘", "政策文件"}, "tasks:reviews"),
        "leadership": ({"仪表盘", "政策文件"}, "tasks:dashboard"),
        "admin": ({"政策文件", "导入文件", "管理后台"}, "documents:list"),
    }

    def nav_links(self, response):
        html = response.content.decode()
        nav = html[html.index('data-testid="main-nav"'): html.index("</ul>", html.index('data-testid="main-nav"'))]
        return {label for label, url in NAV.items() if f'href="{url}"' in nav}

    def test_it_sends_each_role_to_its_own_page_with_its_own_menu(self):
        for username, (entries, landing) in self.expected.items():
            with self.subTest(user=username):
                self.client.logout()
                response = self.client.post(
                    reverse("login"), {"username": username, "password": PASSWORD}, follow=True
                )
                self.assertEqual(response.status_code, 200)
                self.assertEqual(response.request["PATH_INFO"], reverse(landing))
                self.assertEqual(self.nav_links(response), entries)

    def test_it_shows_a_clear_message_on_a_wrong_password(self):
        response = self.client.post(reverse("login"), {"username": "staff_a", "password": "wrong"})
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "请输入一个正确的")

    def test_it_asks_anonymous_users_to_log_in(self):
        for url in NAV.values():
            response = self.client.get(url)
            self.assertEqual(response.status_code, 302, url)
            self.assertIn("/login/", response["Location"])

    def test_it_tells_a_user_without_a_role_to_ask_an_admin(self):
        make_user("nobody")
        self.client.login(username="nobody", password=PASSWORD)
        response = self.client.get(reverse("home"), follow=True)
        self.assertContains(response, "尚未分配单位或角色")

    def test_it_refuses_pages_of_other_roles(self):
        cases = [
            ("staff_a", "tasks:reviews"), ("staff_a", "tasks:dashboard"), ("staff_a", "documents:list"),
            ("leadership", "tasks:reviews"), ("office", "tasks:my-tasks"),
        ]
        for username, name in cases:
            with self.subTest(user=username, page=name):
                self.client.login(username=username, password=PASSWORD)
                self.assertEqual(self.client.get(reverse(name)).status_code, 403)

    def test_it_serves_chinese_to_any_browser_until_english_is_chosen(self):
        self.client.force_login(self.staff_a)
        response = self.client.get(reverse("tasks:my-tasks"), HTTP_ACCEPT_LANGUAGE="en-US,en")
        self.assertContains(response, '<html lang="zh-hans">')
        self.assertContains(response, "我的任务")
        self.client.post(reverse("set_language"), {"language": "en", "next": reverse("tasks:my-tasks")})
        response = self.client.get(reverse("tasks:my-tasks"))
        self.assertContains(response, "My tasks")
        self.assertContains(response, '<html lang="en">')
