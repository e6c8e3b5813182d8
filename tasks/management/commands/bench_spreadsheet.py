"""bench_spreadsheet: this sheet importer against a plain django-import-export ModelResource."""

from __future__ import annotations

import json

from django.core.management.base import BaseCommand
from django.db import connection

from tasks.spreadsheets.bench import run_benchmark


class Command(BaseCommand):
    help = (
        "生成一个 5000 行(或 --rows 行)的任务分解表,分别测量本导入器与普通 django-import-export ModelResource 的"
        "预览(dry-run)和导入耗时、两者之比(目标:5000 行合计 < 15 秒且快 5 倍以上;20000 行 SQLite < 60 秒、"
        "PostgreSQL < 30 秒)及峰值内存;全部在回滚的事务中进行,不留下数据。"
        " / Benchmark of the spreadsheet importer; the database is left unchanged."
    )

    def add_arguments(self, parser):
        parser.add_argument("--rows", type=int, default=5000, help="表格行数,默认 5000")
        parser.add_argument("--skip-plain", action="store_true", help="不测普通 ModelResource(它很慢)")
        parser.add_argument("--json", action="store_true", dest="as_json", help="输出 JSON")

    def handle(self, *args, rows: int, skip_plain: bool, as_json: bool, **options):
        figures = run_benchmark(max(1, rows), with_plain=not skip_plain)
        summary = {
            **figures.__dict__, "ours_total_s": figures.ours_total_s, "plain_total_s": figures.plain_total_s,
            "ratio": figures.ratio,
        }
        if as_json:
            self.stdout.write(json.dumps({k: round(v, 3) if isinstance(v, float) else v for k, v in summary.items()}))
            return
        self.stdout.write(f"行数 rows: {figures.rows}")
        self.stdout.write(
            f"本导入器 this importer: 预览 dry-run {figures.ours_dry_run_s:.2f} s + 导入 import "
            f"{figures.ours_import_s:.2f} s = {figures.ours_total_s:.2f} s ({connection.vendor}；目标 target: "
            f"5,000 行 rows < 15 s, 20,000 行 rows < 60 s SQLite / 30 s PostgreSQL);"
            f"导入的查询数 queries {figures.ours_queries}"
        )
        if not skip_plain:
            self.stdout.write(
                f"普通 ModelResource plain resource: 预览 dry-run {figures.plain_dry_run_s:.2f} s + 导入 import "
                f"{figures.plain_import_s:.2f} s = {figures.plain_total_s:.2f} s"
            )
            self.stdout.write(f"倍数 ratio (plain / ours): {figures.ratio:.1f}× （目标 target ≥ 5×）")
        self.stdout.write(
            f"峰值内存 peak memory （tracemalloc, 预览+导入）： {figures.ours_peak_mb:.1f} MB;"
            f"五分之一行数时 at a fifth of the rows: {figures.ours_peak_fifth_mb:.1f} MB"
        )
