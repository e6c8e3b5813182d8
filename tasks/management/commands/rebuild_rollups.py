"""rebuild_rollups [--check]: every rollup recomputed from scratch, drift reported and repaired."""

from django.core.management.base import BaseCommand, CommandError

from tasks.rollups import rebuild


class Command(BaseCommand):
    help = (
        "从任务分工和进展报告重新计算驾驶舱汇总表（与每晚定时任务相同），逐表报告偏差（行数和不一致的键）并修复；"
        "加 --check 只检查不修复，有偏差时以非零状态退出。"
        " / Recompute the dashboard's rollups from scratch, report any drift and repair it (--check: report only)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--check", action="store_true", help="只检查，不修复；有偏差时退出码为 1")
        parser.add_argument("--show", type=int, default=5, help="每张表最多列出多少个不一致的键（默认 5）")

    def handle(self, *args, check: bool = False, show: int = 5, **options):
        if show < 0:
            raise CommandError("--show 不能为负数")
        drift = rebuild.check(repair=not check)
        for name in drift.counted:
            differing = drift.differing.get(name, [])
            self.stdout.write(f"{name}: 应有 {drift.counted[name]} 行，现有 {drift.stored[name]} 行，不一致 {len(differing)} 个")
            for key in differing[:show]:
                self.stdout.write(f"    {key}")
        if not drift.total:
            self.stdout.write(self.style.SUCCESS("汇总表与重新计算一致，没有偏差。"))
        elif drift.repaired:
            self.stdout.write(self.style.WARNING(f"发现 {drift.total} 处偏差，已按重新计算的结果修复。"))
        else:
            self.stdout.write(self.style.ERROR(f"发现 {drift.total} 处偏差（未修复：--check）。"))
            raise SystemExit(1)

