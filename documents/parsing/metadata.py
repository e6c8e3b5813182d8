"""Document metadata: title, 文号, issuer, signing date, plan period and upstream documents."""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, field

from rapidfuzz import fuzz

from documents.parsing.dates import parse_date_line
from documents.parsing.markers import match_marker
from documents.parsing.normalize import iter_lines
from documents.parsing.numerals import cn_to_int
from documents.parsing.results import UpstreamDocument
from documents.parsing.units import is_org_like

DOC_NUMBER_PATTERN = (
    r"[\u4e00-\u9fff]{1,15}\s*[〔\[【(]\s*(?:19|20)\d{2}\s*[〕\]】)]\s*第?\s*\d{1,5}\s*号"
)
DOC_NUMBER_RE = re.compile(DOC_NUMBER_PATTERN)
_DOC_NUMBER_LABELS = r"(?:发文字号|文件编号|发文编号|文号|发文号|字号)"
_DOC_NUMBER_LINE = re.compile(rf"^\s*(?:{_DOC_NUMBER_LABELS}\s*[::]?\s*)?({DOC_NUMBER_PATTERN})\s*$")
# A page-metadata label, alone on its line or followed by its value (and maybe other labels).
_DOC_NUMBER_LABEL = re.compile(rf"(?:^|\s){_DOC_NUMBER_LABELS}\s*[::]?\s*(.*)$")
# Page metadata labels (索引号, 发布日期 ...): a line holding only one, or one with its value.
_META_LABEL = re.compile(
    r"^\s*(?:索引号|主题分类|发布日期|发文字号|文号|效力状态|编辑|审核|发布机构|发文机关|成文日期|发布时间|"
    r"信息时间|更新时间|来源|信息来源|所属栏目|主题词|分类|名称|生效日期|废止日期|浏览次数|有效性|体裁分类|"
    r"组配分类|服务对象|公文种类|作者|责任编辑|时效|文种|点击数)\s*[::]?\s*$"
)
_DOC_TYPE_END = re.compile(
    r"(?:意见|方案|计划|通知|决定|办法|规定|细则|规划|纲要|要点|措施|通告|公告|批复|函|报告|条例|清单|"
    r"指引|安排|政策|规则|决议|通报|指南|目录|分工|分解|台账|任务书)"
    r"\s*(?:\([^()]{1,24}\)|〔[^〔〕]{1,24}〕)?\s*$"
)
_NOT_TITLE_CHARS = re.compile(r"[。;;,,:!?|>]")
# A covering notice: 'X关于印发《Y》的通知' or 'X印发关于Y的通知'; Y is the document's title.
_NOTICE_RE = re.compile(
    r"^(?P<issuer>.*?)(?:关于)?(?:印发|转发|下发|颁发|公布)(?P<inner>.+?)的(?:通知|函)$"
)
# '现将《Y》印发给你们' in the notice body names the published document as printed.
_PUBLISHED_RE = re.compile(r"《(?P<title>[^《》\n]{4,150})》(?:已经[^。\n]{0,20}同意,?)?(?:现)?(?:印发|转发)")
_LEADING_TAG = re.compile(r"^\s*【[^【】]{1,10}】")  # 【规范性文件】 before a page title
_SAME_TITLE_SCORE = 90
_PLAN_PERIOD_RE = re.compile(r"((?:19|20)\d{2})\s*年?\s*(?:——|[-—–~至到])\s*((?:19|20)\d{2})\s*年")
_UPSTREAM_RE = re.compile(
    rf"《(?P<title>[^《》\n]{{2,150}})》\s*(?:[((]\s*(?P<num1>{DOC_NUMBER_PATTERN})\s*[))]|(?P<num2>"
    rf"{DOC_NUMBER_PATTERN}))?"
)
_CLOSER_LINE = re.compile(r"^\s*[((]?\s*此件[^\n]{0,10}?[))]?\s*$|^\s*抄送\s*[::]|^\s*抄\s*送\s*[::]")
# Page metadata '成文日期: 2021-03-24' (the signing date): used when no signature date is printed.
_SIGNED_LABEL_RE = re.compile(
    r"成文日期\s*[::]?\s*((?:19|20)\d{2})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})"
)
# A site banner or column name printed above a title: never part of it.
_BANNER = re.compile(
    r"(?:网站|门户|频道|栏目|专栏|政务公开|信息公开|政府公开|政策文件|政策法规|政策发布|法规文件|文件库|"
    r"通知公告|公告公示|政府文件|规范性文件|政府公报|公报|首页|新闻中心|新闻发布|政务动态|部门动态)$"
    r"|^(?:本网讯|来源|发布者)"
)
# The issue date printed in brackets under a title: '(2023年2月8日)', '(2023年2月8日印发)',
# '(二〇二三年二月八日市人民代表大会通过)'.
_BRACKETED_DATE_LINE = re.compile(r"^\s*[((〔]\s*(?P<date>[^()()〔〕日]{5,20}日)[^()()〔〕]{0,40}[))〕]\s*$")
_BRACKETED_DATE_LOOKAHEAD = 2  # non-empty lines below the title where it may stand
# Words of a news report: its headline and byline ('召开…会议', '记者', '来源:').
_NEWS_WORDS = re.compile(
    r"召开|举行|举办|调研|部署会|推进会|座谈|签约|开幕|闭幕|视察|走访|出席|发布会|记者|本报讯|通讯员|来源\s*[::]|发布时间"
)
_NEWS_SCAN = 3000


def looks_like_news(text: str) -> bool:
    """The opening of ``text`` reads like a news report."""
    return bool(_NEWS_WORDS.search(text, 0, _NEWS_SCAN))


# A headline without a document type (a news report) is looked for in the first lines only.
_HEADLINE_LINES = 12
_TIME_LABEL_LINE = re.compile(r"^(?:完成时限|完成时间|时间节点|时限要求|办结时限|完成期限|时限)\s*[::]?$")
_MIN_TITLE = 6
_MAX_TITLE = 120
_MAX_TITLE_LINES = 4
_MAX_SIGNATURE_LINES = 4
_MAX_CONTINUATION = 20  # a second title line such as 实施方案(2020—2022 年)


@dataclass(frozen=True)
class SignatureBlock:
    """A standalone signing date line, with the issuer lines printed above it."""

    date: datetime.date
    date_span: tuple[int, int]
    issuer_lines: tuple[str, ...]
    start: int  # first issuer line (or the date line)
    end: int  # end of the date line


@dataclass
class Metadata:
    """Metadata found in the normalised text (offsets index it)."""

    title: str | None = None
    title_span: tuple[int, int] | None = None
    title_end: int = 0  # end of the document's title as printed (the preamble follows)
    heading_end: int = 0  # end of the first title: a covering notice's date comes after it
    doc_number: str | None = None
    doc_number_span: tuple[int, int] | None = None
    issuer: str | None = None
    issued_date: datetime.date | None = None
    issued_date_span: tuple[int, int] | None = None
    plan_period: tuple[int, int] | None = None
    upstream: list[UpstreamDocument] = field(default_factory=list)
    # The title names no document type (意见, 方案 ...): a headline, as of a news report.
    is_headline: bool = False


def _squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text)


def _is_org_line(line: str) -> bool:
    stripped = line.strip()
    if not 2 <= len(stripped) <= 60 or re.search(r"[。,,;;::]", stripped):
        return False
    return all(is_org_like(token) for token in stripped.split())


def find_signature_blocks(text: str) -> list[SignatureBlock]:
    """Standalone date lines (2020年5月17日 / 二〇一八年二月七日) with the issuer lines above them.

    A date right under a page-metadata label (发布日期) is a web date, not a signature.
    """
    lines = list(iter_lines(text))
    blocks: list[SignatureBlock] = []
    for index, (start, end) in enumerate(lines):
        date = parse_date_line(text[start:end])
        if date is None:
            continue
        previous = [i for i in range(index - 1, max(-1, index - 8), -1) if text[slice(*lines[i])].strip()]
        above = text[slice(*lines[previous[0]])].strip() if previous else ""
        if _META_LABEL.match(above) or above.endswith((":", ":")) or _TIME_LABEL_LINE.match(above):
            continue  # the value of a label (发布日期, 完成时限), not a signature
        issuer_lines: list[str] = []
        block_start = start
        for i in previous[:_MAX_SIGNATURE_LINES]:
            line = text[slice(*lines[i])]
            if not _is_org_line(line):
                break
            issuer_lines.insert(0, " ".join(line.split()))
            block_start = lines[i][0]
        blocks.append(SignatureBlock(date, (start, end), tuple(issuer_lines), block_start, end))
    return blocks


def closer_lines(text: str, blocks: list[SignatureBlock] | None = None) -> list[tuple[int, int]]:
    """Lines that close the document body: signature blocks, (此件主动公开), 抄送."""
    blocks = find_signature_blocks(text) if blocks is None else blocks
    spans = [(block.start, block.end) for block in blocks]
    for start, end in iter_lines(text):
        if _CLOSER_LINE.match(text[start:end]):
            spans.append((start, end))
    return sorted(spans)


def _is_title_line(line: str) -> bool:
    stripped = line.strip()
    if not 2 <= len(stripped) <= _MAX_TITLE or _NOT_TITLE_CHARS.search(stripped):
        return False
    if _META_LABEL.match(stripped) or parse_date_line(stripped) or _DOC_NUMBER_LINE.match(stripped):
        return False
    if _CLOSER_LINE.match(stripped) or (stripped[0] in "(〔【[" and stripped[-1] in ")〕】]"):
        return False  # (此件公开发布), 【打印】 ...
    return match_marker(stripped, 0) is None


def _extend_up(text: str, lines: list[tuple[int, int]], index: int) -> tuple[list[str], int]:
    """Lines above a title end that continue it (a title printed over several lines)."""
    parts: list[str] = []
    first = lines[index][0]
    blanks = 0
    cursor = index - 1
    while cursor >= 0 and len(parts) < _MAX_TITLE_LINES - 1:
        above = text[slice(*lines[cursor])].strip()
        if not above:
            blanks += 1
            if blanks > 1:
                break
            cursor -= 1
            continue
        value_of_label = cursor > 0 and _META_LABEL.match(text[slice(*lines[cursor - 1])])
        if (not _is_title_line(above) or _DOC_TYPE_END.search(above) or value_of_label
                or above.endswith("文件") or len(above) < _MIN_TITLE or _BANNER.search(above)
                or (blanks and is_org_like(above))):
            break
        parts.insert(0, above)
        first = lines[cursor][0]
        blanks = 0
        cursor -= 1
    return parts, first


def _extend_down(text: str, lines: list[tuple[int, int]], index: int) -> tuple[list[str], int, int]:
    """Lines below a title end that still belong to it.

    A line right below that also ends like a title continues it ('…三年倍增行动' /
    '计划实施方案(2020—2022 年)的通知'); after one blank line only a short completion
    does ('…行动计划' / '实施方案(2020—2022 年)').
    """
    parts: list[str] = []
    end = lines[index][1]
    cursor = index + 1
    while cursor < len(lines) and len(parts) < _MAX_TITLE_LINES - 1:
        below = text[slice(*lines[cursor])].strip()
        if not below:
            break
        if not (_is_title_line(below) and _DOC_TYPE_END.search(below) and "关于" not in below):
            return parts, end, cursor - 1
        parts.append(below)
        end = lines[cursor][1]
        index = cursor
        cursor += 1
    if parts or cursor + 1 >= len(lines):
        return parts, end, index
    below = text[slice(*lines[cursor + 1])].strip()
    if (_is_title_line(below) and _DOC_TYPE_END.search(below) and "关于" not in below
            and len(_squeeze(below)) <= _MAX_CONTINUATION):
        return [below], lines[cursor + 1][1], cursor + 1
    return parts, end, index


def _title_candidates(text: str, limit: int) -> list[tuple[str, int, int]]:
    """Titles (possibly printed over several lines) before ``limit``: (title, start, end)."""
    lines = list(iter_lines(text, 0, limit))
    found: list[tuple[str, int, int]] = []
    index = 0
    while index < len(lines):
        start, end = lines[index]
        line = text[start:end].strip()
        if not _is_title_line(line) or not _DOC_TYPE_END.search(line):
            index += 1
            continue
        above, first = _extend_up(text, lines, index)
        below, last, index = _extend_down(text, lines, index)
        title = "".join([*above, line, *below])
        if len(_squeeze(title)) >= _MIN_TITLE:
            found.append((title, first, last))
        index += 1
    return found


def _find_printed(text: str, wanted: list[str], after: int, limit: int) -> tuple[str, int, int] | None:
    """The title as printed below a notice: the candidate matching one of ``wanted``."""
    targets = [_squeeze(title) for title in wanted if title]
    for title, start, end in _title_candidates(text, limit):
        if start < after:
            continue
        squeezed = _squeeze(title)
        if any(squeezed == target or fuzz.ratio(squeezed, target) >= _SAME_TITLE_SCORE for target in targets):
            return title, start, end
    return None


def _notice_title(text: str, notice: re.Match, end: int, body_start: int, meta: Metadata) -> None:
    """Title of the document a covering notice publishes, preferring the printed heading."""
    inner = notice.group("inner").strip().strip("《》")
    published = _PUBLISHED_RE.search(text, end, body_start)
    named = published.group("title") if published else None
    printed = _find_printed(text, [named or "", inner], end, body_start)
    if printed is not None:
        meta.title, meta.title_span = printed[0], (printed[1], printed[2])
    elif named and published:
        meta.title, meta.title_span = named, published.span("title")
    else:
        meta.title, meta.title_span = inner, (notice.start(), end)
    meta.title_end = max(end, meta.title_span[1])


def _headline(text: str, limit: int) -> tuple[str, int, int] | None:
    """The first title-like line of a text whose title names no document type (a news report)."""
    seen = 0
    for start, end in iter_lines(text, 0, limit):
        line = text[start:end].strip()
        if not line:
            continue
        seen += 1
        if seen > _HEADLINE_LINES:
            return None
        if _is_title_line(line) and len(_squeeze(line)) >= _MIN_TITLE and not _BANNER.search(line):
            offset = text.index(line, start)
            return line, offset, offset + len(line)
    return None


def _title_and_issuer(text: str, body_start: int, meta: Metadata) -> str | None:
    """Set title and its span; return the issuer named before 关于 in the title, if any."""
    candidates = _title_candidates(text, body_start)
    if not candidates:
        headline = _headline(text, body_start)
        if headline is not None:
            meta.title, start, end = headline
            meta.title_span = (start, end)
            meta.is_headline = True
            meta.title_end = meta.heading_end = end
        return None
    title, start, end = candidates[0]
    title = _LEADING_TAG.sub("", title).strip()
    meta.title_end = meta.heading_end = end
    notice = _NOTICE_RE.match(title)
    if notice and (notice.group("issuer") == "" or is_org_like(notice.group("issuer"))):
        _notice_title(text, notice, end, body_start, meta)
        if meta.title_span == (notice.start(), end):
            meta.title_span = (start, end)
        return notice.group("issuer").strip() or None
    meta.title = title
    meta.title_span = (start, end)
    prefix = title.split("关于", 1)[0].strip() if "关于" in title else ""
    return prefix if prefix and is_org_like(prefix) else None


def _doc_number(text: str, body_start: int, meta: Metadata) -> None:
    lines = list(iter_lines(text, 0, body_start))
    for index, (start, end) in enumerate(lines):
        line = text[start:end]
        labelled = _DOC_NUMBER_LABEL.search(line)
        if labelled is None:
            continue
        value_span = (start + labelled.start(1), end)
        if not labelled.group(1).strip():
            following = [(s, e) for s, e in lines[index + 1: index + 3] if text[s:e].strip()]
            if not following:
                continue
            value_span = following[0]
        match = DOC_NUMBER_RE.search(text, value_span[0], value_span[1])
        if match:
            meta.doc_number, meta.doc_number_span = match.group(0), match.span()
            return
    for start, end in lines:
        match = _DOC_NUMBER_LINE.match(text[start:end])
        if match:
            meta.doc_number = match.group(1)
            meta.doc_number_span = (start + match.start(1), start + match.end(1))
            return


def _upstream(text: str, start: int, end: int, title: str | None) -> list[UpstreamDocument]:
    found: list[UpstreamDocument] = []
    own = _squeeze(title or "")
    seen: set[str] = set()
    for match in _UPSTREAM_RE.finditer(text, start, end):
        name = match.group("title").strip()
        key = _squeeze(name)
        if key == own or key in seen:
            continue
        seen.add(key)
        number = match.group("num1") or match.group("num2")
        found.append(UpstreamDocument(name, number, match.span()))
    return found


def plan_period(title: str | None) -> tuple[int, int] | None:
    """(first, last) year of a plan period printed in the title: '(2020—2022 年)'."""
    match = _PLAN_PERIOD_RE.search(title or "")
    if match is None:
        return None
    first, last = cn_to_int(match.group(1)), cn_to_int(match.group(2))
    if first is None or last is None or last < first:
        return None
    return first, last


def _signed_label(text: str, body_start: int, meta: Metadata) -> None:
    match = _SIGNED_LABEL_RE.search(text, 0, body_start)
    if match is None:
        return
    try:
        meta.issued_date = datetime.date(*(int(group) for group in match.groups()))
    except ValueError:
        return
    meta.issued_date_span = match.span()


def _bracketed_date(text: str, after: int, body_start: int) -> tuple[datetime.date, tuple[int, int]] | None:
    """'(2023年2月8日)' on one of the first lines under the title: the issue date."""
    seen = 0
    for start, end in iter_lines(text, after, body_start):
        line = text[start:end]
        if not line.strip():
            continue
        seen += 1
        if seen > _BRACKETED_DATE_LOOKAHEAD:
            return None
        match = _BRACKETED_DATE_LINE.match(line)
        date = parse_date_line(match.group("date")) if match else None
        if match and date is not None:
            return date, (start + match.start("date"), start + match.end("date"))
    return None


def extract_metadata(text: str, body_start: int, blocks: list[SignatureBlock] | None = None) -> Metadata:
    """Metadata of the normalised text; ``body_start`` is where the first heading starts."""
    meta = Metadata()
    body_start = max(0, min(body_start, len(text)))
    title_issuer = _title_and_issuer(text, body_start, meta)
    _doc_number(text, body_start, meta)
    blocks = find_signature_blocks(text) if blocks is None else blocks
    chosen = next((block for block in blocks if block.start >= meta.heading_end), None)
    chosen = chosen or (blocks[0] if blocks else None)
    under_title = _bracketed_date(text, meta.title_end, body_start) if meta.title else None
    if under_title is not None:
        meta.issued_date, meta.issued_date_span = under_title
    elif chosen is not None:
        meta.issued_date, meta.issued_date_span = chosen.date, chosen.date_span
    else:
        _signed_label(text, body_start, meta)
    signature_issuer = " ".join(chosen.issuer_lines) if chosen and chosen.issuer_lines else None
    meta.issuer = signature_issuer or title_issuer
    meta.plan_period = plan_period(meta.title)
    meta.upstream = _upstream(text, meta.title_end, body_start, meta.title)
    return meta
