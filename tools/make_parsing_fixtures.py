"""Regenerate the parser's PDF and .docx fixtures from the HTML and code they come from.

    .venv/bin/python tools/make_parsing_fixtures.py [--chromium /usr/bin/chromium]

Every tests/parsing/fixtures/pdf/*.html is printed to a PDF with Chromium's print to PDF
(Playwright's page.pdf()), with a running page header and a page-number footer as government
sites print them. From prose_plan.pdf it also makes the refusal fixtures: an image-only copy
(what a scanner produces: no text layer) and an encrypted copy. bench_long.pdf is 50 pages of
plan text for ``bench_parser``. tables/word_merges.docx is a Word task table with gridSpan and
vMerge merges. Needs the dev requirements (playwright, pypdf) and Chromium with CJK fonts.
"""

from __future__ import annotations

import argparse
import io
import os
import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
FIXTURES = ROOT / "tests" / "parsing" / "fixtures"
HEADER = ('<div style="font-size:9pt;width:100%;text-align:center;font-family:\'Noto Sans CJK SC\';">'
          '云川市人民政府办公室</div>')
FOOTER = ('<div style="font-size:10pt;width:100%;text-align:center;font-family:\'Noto Sans CJK SC\';">'
          '— <span class="pageNumber"></span> —</div>')
BENCH_CHAPTERS = 32  # 50 pages or more


def _pdf(page, html: str, target: Path) -> None:
    page.set_content(html, wait_until="load")
    page.pdf(path=str(target), display_header_footer=True, header_template=HEADER, footer_template=FOOTER,
             prefer_css_page_size=True, print_background=True)


def _bench_html(prose: str) -> str:
    """A long plan: the prose plan's measures repeated under numbered chapters."""
    start, end = prose.index('<p class="h1">二、重点任务</p>'), prose.index('<p class="h1">三、保障措施</p>')
    body = prose[start + len('<p class="h1">二、重点任务</p>'):end]
    from documents.parsing.numerals import int_to_cn

    chapters = [f'<p class="h1">{int_to_cn(index + 2)}、第{index + 1}部分重点任务</p>{body}'
                for index in range(BENCH_CHAPTERS)]
    return prose[:start] + "".join(chapters) + prose[end:]


def _scanned(pdf_path: Path, target: Path, chromium_page) -> None:
    """An image-only PDF: screenshots of the printed pages, saved as pictures."""
    from PIL import Image

    chromium_page.goto(pdf_path.with_suffix(".html").as_uri())
    chromium_page.set_viewport_size({"width": 794, "height": 1123})
    images = [Image.open(io.BytesIO(chromium_page.screenshot(full_page=True))).convert("L")]
    images[0].save(target, "PDF", resolution=72.0)


def _encrypted(pdf_path: Path, target: Path) -> None:
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(str(pdf_path)))
    writer.encrypt(user_password="yunchuan", owner_password="yunchuan-owner", algorithm="AES-128")
    with target.open("wb") as handle:
        writer.write(handle)


def _word_merges(target: Path) -> None:
    import docx

    document = docx.Document()
    document.add_paragraph("附件")
    document.add_paragraph("云川市城市更新三年行动重点任务清单")
    rows = [
        ["序号", "重点任务", "", "牵头单位", "配合单位", "完成时限"],
        ["一、完善城市功能"],
        ["1", "实施老旧小区改造", "改造2000年前建成的老旧小区120个。同步完善养老托育设施。", "市住房城乡建设局",
         "各县（市、区）人民政府", "2026年12月底前"],
        ["2", "", "推进完整社区建设。每年建成完整社区示范点10个。", "", "市民政局", "每年"],
        ["3", "补齐基础设施短板", "改造城市燃气管网200公里。", "市城市管理局", "市应急管理局、市财政局", "2027年6月底前"],
        ["4", "", "新建改造雨污管网150公里。消除易涝积水点。", "市水务局", "市生态环境局", "2026年10月底前"],
        ["二、提升城市品质"],
        ["5", "推进历史文化保护", "完成历史文化街区保护规划编制。", "市自然资源局", "市文化广电旅游局", "2026年6月底前"],
        ["6", "", "修缮历史建筑30处。", "市住房城乡建设局", "—", "持续推进"],
        ["7", "建设口袋公园", "新建口袋公园50个。打造15分钟生活圈。", "市城市管理局", "市自然资源局、市住房城乡建设局",
         "2026年12月底前"],
    ]
    table = document.add_table(rows=len(rows), cols=6)
    table.style = "Table Grid"
    for index, values in enumerate(rows):
        for column, text in enumerate(values):
            if text:
                table.cell(index, column).text = text
        if len(values) == 1:
            table.cell(index, 0).merge(table.cell(index, 5))  # a category over the row (gridSpan)
    table.cell(0, 1).merge(table.cell(0, 2))  # 重点任务 over the group and task columns
    for top in (2, 4, 7):  # the group down two rows (vMerge)
        table.cell(top, 1).merge(table.cell(top + 1, 1))
    table.cell(2, 3).merge(table.cell(3, 3))  # one lead for both rows
    document.save(target)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--chromium", default=os.environ.get("CHROMIUM_PATH") or shutil.which("chromium"))
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    folder = FIXTURES / "pdf"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=args.chromium, args=["--no-sandbox", "--headless"])
        page = browser.new_page()
        for html in sorted(folder.glob("*.html")):
            _pdf(page, html.read_text(encoding="utf-8"), html.with_suffix(".pdf"))
            print(f"wrote {html.with_suffix('.pdf').relative_to(ROOT)}")
        prose = folder / "prose_plan.pdf"
        _pdf(page, _bench_html((folder / "prose_plan.html").read_text(encoding="utf-8")), folder / "bench_long.pdf")
        _scanned(prose, folder / "scanned.pdf", page)
        browser.close()
    _encrypted(prose, folder / "encrypted.pdf")
    _word_merges(FIXTURES / "tables" / "word_merges.docx")
    for name in ("bench_long.pdf", "scanned.pdf", "encrypted.pdf"):
        print(f"wrote {(folder / name).relative_to(ROOT)}")
    print(f"wrote {(FIXTURES / 'tables' / 'word_merges.docx').relative_to(ROOT)}")


if __name__ == "__main__":
    main()
