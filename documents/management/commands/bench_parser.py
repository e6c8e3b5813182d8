"""bench_parser: how fast the document parser is on prose, task tables and PDFs, and that it grows linearly."""

import json
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from documents.parsing.bench import (
    ADVERSARIAL_SIZES,
    DEFAULT_SIZES,
    run_adversarial,
    run_benchmark,
    run_pdf_benchmark,
    run_table_benchmark,
)

# 4× the text may take at most 6× the time.
MAX_GROWTH = 6.0
DEFAULT_PDF = Path(settings.BASE_DIR) / "tests" / "parsing" / "fixtures" / "pdf" / "bench_long.pdf"


class Command(BaseCommand):
    help = (
        "测量政策文件识别速度:30 KB 文件的中位耗时(目标 < 100 ms),从 30 KB 到 1 MB 的耗时随大小线性增长;"
        "刁难输入(密集标签、深层括号、超长单位列表)从 100 KB 到 400 KB 的耗时增长倍数(目标 ≤ 6);"
        "任务分工表(250 到 2000 行)每行耗时;PDF 读取加识别(前 10、25、50 页,目标 50 页 < 5 s)每页耗时。"
        " / Parser benchmark: prose (30 KB to 1 MB), the 100 KB -> 400 KB growth ratio of adversarial inputs "
        "(target at most 6), TAB task tables and a 50-page PDF, with growth per unit."
    )

    def add_arguments(self, parser):
        parser.add_argument("--repeats", type=int, default=5, help="每种大小重复次数(取中位数),默认 5")
        parser.add_argument("--pdf", default=str(DEFAULT_PDF), help="用于 PDF 测量的文件(默认为项目的 50 页测试文件)")
        parser.add_argument("--json", action="store_true", dest="as_json", help="输出 JSON")

    def handle(self, *args, repeats: int, pdf: str, as_json: bool, **options):
        path = Path(pdf)
        if not path.is_file():
            raise CommandError(f"找不到 PDF 文件:{pdf}")
        repeats = max(1, repeats)
        figures = run_benchmark(DEFAULT_SIZES, repeats=repeats)
        adversarial = run_adversarial(ADVERSARIAL_SIZES, repeats=repeats)
        tables = run_table_benchmark(repeats=min(repeats, 3))
        pdfs = run_pdf_benchmark(path.read_bytes())
        if as_json:
            self.stdout.write(json.dumps({
                **figures, "rows": [row.__dict__ for row in figures["rows"]], "adversarial": adversarial,
                "table": {**tables, "rows": [row.__dict__ for row in tables["rows"]]},
                "pdf": {**pdfs, "rows": [row.__dict__ for row in pdfs["rows"]]},
            }, ensure_ascii=False))
            return
        self.stdout.write(f"30 KB 文件中位耗时 median for 30 KB: {figures['median_ms_30kb']} ms （目标 target < 100 ms）")
        self.stdout.write(f"{'size':>10} {'measures':>9} {'median':>11} {'per KB':>12}")
        for row in figures["rows"]:
            self.stdout.write(
                f"{row.size_bytes / 1024:8.0f} KB {row.measures:9d} {row.median_ms:8.1f} ms {row.ms_per_kb:8.3f} ms/KB"
            )
        self.stdout.write(f"每 KB 耗时最大/最小 ms/KB spread (max/min): {figures['ms_per_kb_spread']} （线性增长约为 1)")
        small, large = (size // 1000 for size in ADVERSARIAL_SIZES)
        self.stdout.write(f"刁难输入 adversarial inputs, {small} KB -> {large} KB, 取最快一次 best of {repeats} "
                          f"（增长倍数目标 target ≤ {MAX_GROWTH:g}):")
        for row in adversarial:
            verdict = "ok" if row["ratio"] <= MAX_GROWTH else "超出 over"
            self.stdout.write(
                f"  {row['shape']:24s} {row['small_ms']:8.1f} ms -> {row['large_ms']:8.1f} ms  ×{row['ratio']:<5} {verdict}"
            )
        self._scale("任务分工表 task table (TAB rows)", "rows", tables)
        self._scale(f"PDF 读取加识别 read + parse {path.name}", "pages", pdfs)

    def _scale(self, title: str, unit: str, figures: dict) -> None:
        self.stdout.write(title)
        for row in figures["rows"]:
            self.stdout.write(f"{row.count:8d} {unit:5} {row.measures:6d} measures {row.median_ms:9.1f} ms "
                              f"{row.ms_per_item:8.2f} ms/{unit[:-1]}")
        self.stdout.write(f"每{'行' if unit == 'rows' else '页'}耗时最大/最小 spread (max/min): {figures['spread']}")
