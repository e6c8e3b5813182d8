"""bench_parser: how fast the document parser is, and that its time grows linearly with size."""

import json

from django.core.management.base import BaseCommand

from documents.parsing.bench import DEFAULT_SIZES, run_benchmark


class Command(BaseCommand):
    help = (
        "测量政策文件识别速度:30 KB 文件的中位耗时(目标 < 100 ms),以及从 30 KB 到 1 MB 的耗时随大小线性增长"
        "(每 KB 耗时的最大/最小比接近 1)。 / Parser benchmark: median ms for 30 KB and growth up to 1 MB."
    )

    def add_arguments(self, parser):
        parser.add_argument("--repeats", type=int, default=5, help="每种大小重复次数(取中位数),默认 5")
        parser.add_argument("--json", action="store_true", dest="as_json", help="输出 JSON")

    def handle(self, *args, repeats: int, as_json: bool, **options):
        figures = run_benchmark(DEFAULT_SIZES, repeats=max(1, repeats))
        if as_json:
            rows = [row.__dict__ for row in figures["rows"]]
            self.stdout.write(json.dumps({**figures, "rows": rows}, ensure_ascii=False))
            return
        self.stdout.write(f"30 KB 文件中位耗时 median for 30 KB: {figures['median_ms_30kb']} ms （目标 target < 100 ms）")
        self.stdout.write(f"{'size':>10} {'measures':>9} {'median':>11} {'per KB':>12}")
        for row in figures["rows"]:
            self.stdout.write(
                f"{row.size_bytes / 1024:8.0f} KB {row.measures:9d} {row.median_ms:8.1f} ms {row.ms_per_kb:8.3f} ms/KB"
            )
        self.stdout.write(f"每 KB 耗时最大/最小 ms/KB spread (max/min): {figures['ms_per_kb_spread']} （线性增长约为 1）")
