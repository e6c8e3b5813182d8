"""import_measures PATH (--document ID | --document-title TITLE) [--dry-run]: import a task sheet."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from departments.resources import SpreadsheetError
from documents.models import PolicyDocument
from tasks.spreadsheets.plan import HEADING, ImportPlan
from tasks.spreadsheets.reading import read_sheet
from tasks.spreadsheets.resource import MeasureSheetResource

ACTION_LABELS = {"create": "新建", "update": "更新", "unchanged": "无变化", "skip": "跳过", "error": "错误"}


class Command(BaseCommand):
    help = (
        "导入任务分解表(.xlsx 或 .csv)到一个政策文件:全部行校验通过才一次性写入,否则列出带行号的错误并以"
        "退出码 1 结束;同一表格再次导入按(文件, 序号)更新措施,不会重复创建。"
        " / Import a task spreadsheet into a document, all rows or none."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", help="表格路径(.xlsx 或 .csv)")
        target = parser.add_mutually_exclusive_group(required=True)
        target.add_argument("--document", type=int, help="政策文件 ID")
        target.add_argument("--document-title", help="政策文件标题(完全一致)")
        parser.add_argument("--dry-run", action="store_true", help="只校验和预览,不写数据库")

    def handle(self, *args, path: str, document=None, document_title=None, dry_run=False, **options):
        target = self._document(document, document_title)
        file = Path(path)
        if not file.is_file():
            raise CommandError(f"找不到文件：{path}")
        if file.stat().st_size > settings.SPREADSHEET_IMPORT_MAX_BYTES:
            raise CommandError(f"文件超过 {settings.SPREADSHEET_IMPORT_MAX_BYTES / 1024 / 1024:g} MB 的上限，请拆分后导入。")
        try:
            rows = read_sheet(file.name, file.read_bytes())
        except SpreadsheetError as exc:
            raise CommandError(str(exc)) from exc
        plan = MeasureSheetResource(document=target).import_sheet(rows, dry_run=dry_run, source_name=file.name)
        self._report(plan, target, verbose=options.get("verbosity", 1) > 1)
        if not plan.ok:
            # Each unit missing from the directory is named once, with the rows it occurs in.
            raise CommandError("表格有错误，未导入任何数据：\n  " + "\n  ".join(plan.grouped_errors()))
        if dry_run:
            self.stdout.write(self.style.WARNING("试运行(--dry-run):未写入任何数据。"))
            return
        written = plan.written
        self.stdout.write(
            self.style.SUCCESS(
                f"已导入《{target.title}》：新建措施 {written['measures_created']} 项，"
                f"更新 {written['measures_updated']} 项，新建任务分工 {written['assignments_created']} 项，"
                f"调整角色 {written['roles_changed']} 项"
            )
        )

    def _document(self, pk: int | None, title: str | None) -> PolicyDocument:
        if pk is not None:
            found = PolicyDocument.objects.filter(pk=pk).first()
            if found is None:
                raise CommandError(f"找不到政策文件 #{pk}。")
            return found
        matches = list(PolicyDocument.objects.filter(title=(title or "").strip())[:5])
        if not matches:
            raise CommandError(f"找不到标题为《{title}》的政策文件。")
        if len(matches) > 1:
            ids = "、".join(f"#{d.pk}" for d in matches)
            raise CommandError(f"有多个标题为《{title}》的政策文件({ids})，请用 --document 指定 ID。")
        return matches[0]

    def _report(self, plan: ImportPlan, document: PolicyDocument, verbose: bool) -> None:
        counts = plan.counts()
        self.stdout.write(
            f"《{document.title}》(#{document.pk})：新建 {counts['create']} 项，更新 {counts['update']} 项，"
            f"无变化 {counts['unchanged']} 项，跳过 {counts['skip']} 项，有错误 {counts['error']} 项；"
            f"新建任务分工 {counts['assignments']} 项"
        )
        for row in plan.rows:
            if row.action == HEADING:
                continue
            if verbose or row.action in ("create", "update"):
                label = "错误" if row.blocks else ACTION_LABELS.get(row.action, row.action)
                self.stdout.write(f"  第 {row.row} 行 [{label}] {row.number} {row.title[:40]}:{row.summary()}")
        for warning in plan.all_warnings():
            self.stdout.write(self.style.WARNING(f"  提示：{warning}"))
