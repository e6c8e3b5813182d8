"""export_ledger PATH [--document ID]: the ledger (台账) as .xlsx or .csv, by the file's extension."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from documents.models import PolicyDocument
from tasks.spreadsheets import ledger, writers


class Command(BaseCommand):
    help = (
        "导出台账(每项措施一行:牵头/责任/配合单位、完成时限、状态、亮灯、进度、最新进展),格式由扩展名决定"
        "(.xlsx 或 .csv);内容与督查室看到的一致(不含各单位的草稿)。 / Export the ledger."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", help="输出文件路径(.xlsx 或 .csv)")
        parser.add_argument("--document", type=int, help="只导出这个政策文件(ID)")

    def handle(self, *args, path: str, document=None, **options):
        target = Path(path)
        suffix = target.suffix.lower()
        if suffix not in (".xlsx", ".csv"):
            raise CommandError("输出文件的扩展名须为 .xlsx 或 .csv。")
        scope = ledger.office_scope()
        assignments = ledger.filtered(scope)
        if document is not None:
            if not PolicyDocument.objects.filter(pk=document).exists():
                raise CommandError(f"找不到政策文件 #{document}。")
            assignments = assignments.filter(measure__document_id=document)
        rows = ledger.ledger_rows(assignments, scope)
        if suffix == ".xlsx":
            with target.open("wb") as out:
                count = writers.write_xlsx(ledger.COLUMNS, rows, out)
        else:
            with target.open("w", encoding="utf-8", newline="") as out:
                count = writers.write_csv(ledger.COLUMNS, rows, out)
        self.stdout.write(self.style.SUCCESS(f"已导出台账 {count} 行：{target}"))
