"""parse_document PATH [--json]: read a policy document and show what the parser finds."""

import json
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from documents.parsing import DocumentReadError, parse_document, read_document, to_corpus_dict


def read_path(path: str, max_bytes: int) -> str:
    """The text of a .txt, .docx or .pdf file, or a CommandError that says what is wrong."""
    file = Path(path)
    if not file.is_file():
        raise CommandError(f"找不到文件：{path}")
    try:
        return read_document(file.name, file.read_bytes(), max_bytes=max_bytes)
    except DocumentReadError as exc:
        raise CommandError(f"{path}:{exc}") from exc


class Command(BaseCommand):
    help = (
        "识别政策文件(.txt、.docx 或 .pdf,含其中的任务分工表)中的措施、牵头/责任/配合单位和完成时限。"
        "加 --json 按语料格式输出 JSON。不写数据库。"
        " / Parse a policy document; --json prints the corpus schema."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", help="文件路径(.txt UTF-8/GB18030、.docx 或 .pdf)")
        parser.add_argument("--json", action="store_true", dest="as_json", help="按语料格式输出 JSON")

    def handle(self, *args, path: str, as_json: bool = False, **options):
        text = read_path(path, settings.DOCUMENT_IMPORT_MAX_BYTES)
        parsed = parse_document(text, source=Path(path).name)
        if as_json:
            self.stdout.write(_dumps(to_corpus_dict(parsed)))
            return
        self.stdout.write(f"标题：{parsed.title or '—'}  文号：{parsed.doc_number or '—'}  "
                          f"发文机关：{parsed.issuer or '—'}  成文日期：{parsed.issued_date or '—'}")
        self.stdout.write(f"措施 {len(parsed.measures)} 项")
        for measure in parsed.measures:
            by_role = (("牵头", measure.lead), ("责任", measure.responsible), ("配合", measure.supporting))
            roles = "; ".join(f"{label}:{'、'.join(names)}" for label, names in by_role if names)
            dates = "、".join(d.phrase for d in measure.deadlines)
            self.stdout.write(f"  {measure.number} {measure.title}  [{roles or '未标注单位'}]  {dates}")


def _dumps(data) -> str:
    return json.dumps(data, ensure_ascii=False, indent=1)
