"""seed_demo: write the demo city, its action plan, users for every role and sample reports;
with --scale large, the city grown to about 20,000 assignments, and with --scale province, a
province of about 200,000 assignments around it, for performance work."""

import time

from django.core.management.base import BaseCommand

from tasks.demo.large import seed_large
from tasks.demo.province import seed_province
from tasks.demo.seed import seed_small

# scale → (generator, what it writes, the generated accounts' user names)
SCALED = {
    "large": (seed_large, "城市规模", "office01…、leadership01…、dept001.leader、dept001.staff1…"),
    "province": (seed_province, "省级规模",
                 "prov.office01…、prov.leadership01…、prov.group1.office1…、p0001.leader、p0001.staff1…"),
}


class Command(BaseCommand):
    help = (
        "写入演示数据:云川市的单位名录(含别名和集合单位)、一份数字政府建设行动方案(12项措施,督查室统筹)、"
        "一份优化营商环境行动方案(8项措施,属云川市优化营商环境领导小组,办公室账号 office2)、"
        "任务分工、各状态的进展报告,以及每种角色的演示账号。可重复运行,不会产生重复数据。"
        " / Write demo data; safe to run twice."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--scale",
            choices=["small", "large", "province"],
            default="small",
            help="small:两份文件、约30个单位(默认);large:城市规模的性能测试数据(2万项分工);"
                 "province:省级规模(约3000个单位、20万项分工、200万份报告)。",
        )

    def handle(self, *args, scale: str, **options):
        if scale in SCALED:
            self.handle_scaled(*SCALED[scale])
            return
        result = seed_small()
        made = ", ".join(f"{label} {n}" for label, n in sorted(result.created.items()))
        self.stdout.write(self.style.SUCCESS(f"演示数据已就绪(本次新建：{made})"))
        self.stdout.write("演示账号 / demo accounts:")
        for demo, created in result.users:
            password = demo.password if created else "(已存在,密码未改动 / unchanged)"
            self.stdout.write(f"  {demo.username:<11} {password:<22} {demo.full_name}")

    def handle_scaled(self, seed, label: str, accounts: str) -> None:
        started = time.monotonic()
        result = seed(log=lambda line: self.stdout.write(f"  {line}  ({time.monotonic() - started:.1f} s)"))
        if result.already_there:
            self.stdout.write(self.style.SUCCESS(f"{label}演示数据已存在,未重复写入 / already there"))
            return
        made = ", ".join(f"{what} {n}" for what, n in result.created.items())
        self.stdout.write(self.style.SUCCESS(
            f"{label}演示数据已写入(本次新建：{made}；用时 {time.monotonic() - started:.1f} 秒)"
        ))
        self.stdout.write(f"生成的账号（{accounts}）密码均为 {result.password}(仅用于演示数据)")
