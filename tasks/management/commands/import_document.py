"""import_document PATH [--dry-run] [--group NAME]: parse a policy document and create it as tracked work."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db.models import Q

from departments.choices import DepartmentKind
from departments.models import LeadingGroup, normalize_name
from documents.importing import plan as plans
from documents.importing.units import create_unit, resolve_units
from documents.importing.write import PlanError, find_existing
from documents.management.commands.parse_document import read_path
from documents.parsing import parse_document
from tasks.workflow.imports import import_plan


class Command(BaseCommand):
    help = (
        "识别政策文件并在一个事务中创建文件、章节、措施、时间节点、指标和任务分工。"
        "未对应到单位名录的单位会逐一列出并中止(可用 --create-missing 新建);"
        "同一文件(文号或全文相同)再次导入时需加 --update,按编号更新措施而不重复创建。"
        "--group 指定文件所属的领导小组(全称或简称),不指定时再次导入保留原有小组。"
        " / Import a policy document as tracked work, all or nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", help="文件路径(.txt、.docx 或 .pdf)")
        parser.add_argument("--dry-run", action="store_true", help="只识别和检查,不写数据库")
        parser.add_argument("--create-missing", action="store_true", help="把未知单位新建到单位名录")
        parser.add_argument("--update", action="store_true", help="文件已存在时更新它")
        parser.add_argument("--group", metavar="NAME", help="文件所属的领导小组(全称或简称);不指定时为督查室统筹")

    def handle(self, *args, path, dry_run=False, create_missing=False, update=False, group=None, **options):
        leading_group = self._group(group) if group else None
        text = read_path(path, settings.DOCUMENT_IMPORT_MAX_BYTES)
        plan = resolve_units(plans.build_plan(parse_document(text, source=Path(path).name), text))
        if leading_group is not None:
            plans.set_group(plan, leading_group)
            self.stdout.write(f"领导小组:{leading_group.name}")
        unknown = plans.unresolved_units(plan)
        if unknown and create_missing:
            for name in unknown:
                kind = DepartmentKind.GROUP if name.startswith("各") else DepartmentKind.BUREAU
                create_unit(plan, name, kind)
        self._report(plan, unknown)
        existing = find_existing(plan, text)
        if existing and not update:
            raise CommandError(f"该文件已导入(#{existing.pk}《{existing.title}》)；如需更新请加 --update。")
        problems = plans.problems(plan)
        if problems:
            raise CommandError("无法导入:\n  " + "\n  ".join(problems))
        if dry_run:
            self.stdout.write(self.style.WARNING("试运行(--dry-run):未写入任何数据。"))
            return
        try:
            result = import_plan(plan, text, user=None)
        except PlanError as exc:  # pragma: no cover - problems() above catches the same cases
            raise CommandError("无法导入:" + ";".join(exc.messages)) from exc
        self.stdout.write(
            self.style.SUCCESS(
                f"{'已更新' if result.updated else '已导入'}《{result.document.title}》(#{result.document.pk}):"
                f"新建措施 {result.measures_created} 项，更新 {result.measures_updated} 项，"
                f"新建任务分工 {result.assignments_created} 项"
                + (f"，新建单位 {len(result.departments_created)} 个" if result.departments_created else "")
            )
        )

    def _group(self, name: str) -> LeadingGroup:
        key = normalize_name(name)
        found = LeadingGroup.objects.filter(Q(name=key) | Q(short_name=key)).first()
        if found is None:
            known = "、".join(LeadingGroup.objects.values_list("name", flat=True)) or "(尚未建立领导小组)"
            raise CommandError(f"未知领导小组:{name}。现有:{known}")
        return found

    def _report(self, plan: dict, unknown: list[str]) -> None:
        measures = plans.live_measures(plan)
        self.stdout.write(f"《{plan['title'] or '（无标题）'}》{plan['doc_number']}：措施 {len(measures)} 项")
        for name, unit in plan["units"].items():
            if unit.get("via") and unit.get("department_name"):
                self.stdout.write(f"  “{name}”按前一单位的前缀理解为“{unit['via']}”（{unit['department_name']}）")
        for name in unknown:
            suggestions = plan["units"].get(name, {}).get("suggestions") or []
            hint = f"（相近：{'、'.join(s['name'] for s in suggestions[:3])}）" if suggestions else ""
            self.stdout.write(self.style.WARNING(f"  未知单位：{name}{hint}"))
