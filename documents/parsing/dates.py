"""Time expressions: deadlines (2020年5月底前), recurrences (每季度), open periods, ongoing work.

The public entry point is ``parse_time_text``. Matching runs on a copy of the text without
spaces ('2020 年 5 月 17 日' is common in published files); phrases are reported as written.
"""

from __future__ import annotations

import bisect
import calendar
import datetime
import re
from array import array
from dataclasses import dataclass

from documents.parsing.numerals import cn_to_int
from documents.parsing.results import KIND_DATE, KIND_ONGOING, KIND_OPEN, KIND_RECURRING, Deadline
from documents.parsing.textutil import book_title_spans

_Y = r"(?:19|20)\d{2}|二[〇零○O][一二三四五六七八九〇零○O]{2}"
_M = r"1[0-2]|0?[1-9]|十[一二]?|[一二三四五六七八九]"
_D = r"3[01]|[12]\d|0?[1-9]|三十一?|二十[一二三四五六七八九]?|十[一二三四五六七八九]?|[一二三四五六七八九]"
_Q = r"[一二三四1-4]"
_CN = "一二三四五六七八九十两几〇零"
_REPORT_NOUNS = r"(?:工作)?(?:调度|通报|报告|报送|会商|例会|督查|督办|总结|分析|评估|讲评|点评|上报|统计)"
_DEADLINE_SUFFIX = r"前|之前|以前|为止|止"
_RELATIVE_VERBS = r"实现|完成|建成|达到|形成|基本|累计|新增|全面|使|推动|努力|取得"

TIME_RE = re.compile(
    rf"""
      (?P<rec>每(?:个|一)?(?P<rec_unit>周|星期|两个月|2个月|二个月|月|季度|季|年度|年)
          (?:(?:{_M})月(?:(?:{_D})[日号]|底|末|中旬|上旬|下旬)?(?:{_DEADLINE_SUFFIX})?)?)
    | (?P<rec_by>按(?P<by_unit>周|月|季度|季|年度|年)(?=度?{_REPORT_NOUNS}))
    | (?P<rec_bare>(?P<bare_unit>年度|季度|月度|双月)(?={_REPORT_NOUNS}))
    | (?P<span>自?(?P<sy>{_Y})年(?:(?P<sm>{_M})月(?:(?P<sd>{_D})[日号])?)?(?:起|开始)
          (?P<sn>[1-9]\d?|[一二两三四五六七八九十]{{1,2}})(?:个)?年内)
    | (?P<range>(?P<r1>{_Y})年?(?:——|[-—–~至到])(?P<r2>{_Y})年(?:底|末)?)
    | (?P<ymd>(?P<y>{_Y})年
          (?:(?P<m>{_M})月(?:(?P<d>{_D})[日号]|(?P<mpart>底|末|中旬|上旬|下旬|初|份))?
            |(?P<ypart>年底|年末|底|末|上半年|下半年|第?(?P<q>{_Q})季度|度))?
          (?P<sfx>{_DEADLINE_SUFFIX})?(?P<open>以后|之后|以来|起|开始)?)
    | (?P<md>(?<![\d年月])(?P<m2>{_M})月(?:(?P<d2>{_D})[日号]|(?P<mpart2>底|末|中旬|上旬|下旬|份))?
          (?P<sfx2>{_DEADLINE_SUFFIX})?)
    | (?P<yl>(?<![\d{_CN}])(?P<yl_word>年底|年末|上半年|下半年|第?(?P<q2>{_Q})季度
          |今年(?:年底|底|年末)?|明年(?:年底|底|年末)?|年内)(?:{_DEADLINE_SUFFIX})?)
    | (?P<rel>(?:(?<=[,;。:、\n])|^)
          (?:(?:用|通过|经过|力争用?|再用|利用)(?P<rel_d>[1-9])
            |(?:用|通过|经过|力争|再用|利用)?(?P<rel_n>[一二两三四五六七八九十]))
          年(?:时间|左右)?内?(?:的?努力)?,?(?={_RELATIVE_VERBS}))
    | (?P<ongo>持续推进|长期坚持|长期推进|持续开展|长期开展|常态化推进|常态化开展|长期执行|持续实施)
    """,
    re.X | re.M,
)
_RECURRENCE = {
    "周": "weekly", "星期": "weekly", "月": "monthly", "月度": "monthly", "两个月": "bimonthly",
    "2个月": "bimonthly", "二个月": "bimonthly", "双月": "bimonthly", "季度": "quarterly", "季": "quarterly",
    "年度": "yearly", "年": "yearly",
}
# Words around a year that make it a reference to the past, not a deadline.
_HISTORY_AFTER = re.compile(
    r"^(?:的|底的|末的)?(?:基础上|以来|同期|水平|相比|同比|数据|为基数|为基期|标准(?!化)|口径|价格|不变价|基准|版本|版)"
)
# A bare year naming an event or a title, not a time limit: 2025年“数据要素×”大赛, 2024年全市技能大赛.
_EVENT_AFTER = re.compile(
    r"^(?:[“\"「『《]|(?:(?!举办|开展|召开|组织|承办|筹办|办好|完成|实现|建成|启动|推进|形成|达到|力争|前|底|内)"
    r"[\u4e00-\u9fff]){0,10}?"
    r"(?:大赛|比赛|竞赛|博览会|交易会|洽谈会|论坛|峰会|运动会|马拉松|文化节|旅游节|艺术节|展览会|年会|评选))"
)
_HISTORY_BEFORE = re.compile(r"(?:截至|截止到?|比|较|相比|相较|对比|同比|自从|与)$")
# '2021年度' followed by a noun (税, 考核, 预算 ...) names a period; followed by nothing, 内 or
# a verb ('2022年度内完成', a cell '2022年度') it is a time limit.
_PERIOD_NOUN_AFTER = re.compile(r"(?!内|前|底|末|完成|实现|达到|建成|全面|基本|力争|起|开始)[\u4e00-\u9fff]")
# A cell holding only an 'ongoing' word: '长期', '持续'.
_ONGOING_CELL = re.compile(r"^(?:长期|持续|常态化|长期坚持|持续推进|长期推进|持续开展|常年|长期有效)[。.]?$")
_SENTENCE_BREAKS = frozenset("。;\n!?")


def _last_day(year: int, month: int) -> datetime.date:
    return datetime.date(year, month, calendar.monthrange(year, month)[1])


def _safe_date(year: int, month: int, day: int | None = None) -> datetime.date | None:
    if not 1900 <= year <= 2199 or not 1 <= month <= 12:
        return None
    if day is None:
        return _last_day(year, month)
    try:
        return datetime.date(year, month, day)
    except ValueError:
        return None


def compact(text: str) -> tuple[str, array]:
    """Text without spaces/tabs, and for each kept character its index in ``text``."""
    parts: list[str] = []
    index_map = array("q")
    last = 0
    for match in re.finditer(r"[ \t]+", text):
        parts.append(text[last:match.start()])
        index_map.extend(range(last, match.start()))
        last = match.end()
    parts.append(text[last:])
    index_map.extend(range(last, len(text)))
    return "".join(parts), index_map


@dataclass
class _Hit:
    start: int  # compact offsets
    end: int
    date: datetime.date | None
    recurring: str | None
    kind: str
    year: int | None = None  # explicit year, used as context by later phrases
    month: int | None = None  # for phrases that still need a year
    day: int | None = None
    year_part: str | None = None  # 年底 / 上半年 / 一季度 ... for yearless phrases
    year_offset: int = 0  # 明年 -> +1
    needs_year: bool = False


def _month_part_day(part: str | None) -> int | None:
    return {"上旬": 10, "初": 10, "中旬": 20}.get(part or "")


def _year_part_date(year: int, part: str | None) -> datetime.date | None:
    if part is None or part in ("", "度", "底", "末", "年底", "年末", "下半年"):
        return _safe_date(year, 12)
    if part == "上半年":
        return _safe_date(year, 6)
    quarter = cn_to_int(part.removeprefix("第").removesuffix("季度")) if part.endswith("季度") else None
    if quarter and 1 <= quarter <= 4:
        return _safe_date(year, quarter * 3)
    return _safe_date(year, 12)


def _history_before(text: str, start: int) -> bool:
    return bool(_HISTORY_BEFORE.search(text[max(0, start - 3):start]))


def _hit_ymd(text: str, match: re.Match, min_year: int | None) -> _Hit | None:
    year = cn_to_int(match.group("y"))
    if year is None:
        return None
    if match.group("open") == "以来" or _HISTORY_AFTER.match(text[match.end():match.end() + 8]):
        return None
    if _history_before(text, match.start()) or (min_year is not None and year < min_year):
        return None
    bare_year = not (match.group("m") or match.group("ypart") or match.group("sfx") or match.group("open"))
    if bare_year and _EVENT_AFTER.match(text[match.end():match.end() + 16]):
        return None
    if match.group("ypart") == "度" and not match.group("sfx") and _PERIOD_NOUN_AFTER.match(text, match.end()):
        return None  # 2021年度城镇土地使用税: a levy or reporting period, not a time limit
    if match.group("open") in ("起", "开始"):
        return None  # 2021年5月1日起: where a period starts; its end (至…) is the deadline
    if match.group("open"):
        return _Hit(match.start(), match.end(), None, None, KIND_OPEN, year=year)
    month = cn_to_int(match.group("m")) if match.group("m") else None
    if month is not None:
        day = cn_to_int(match.group("d")) if match.group("d") else _month_part_day(match.group("mpart"))
        date = _safe_date(year, month, day)
    else:
        date = _year_part_date(year, match.group("ypart"))
    if date is None:
        return None
    return _Hit(match.start(), match.end(), date, None, KIND_DATE, year=year)


def _hit_span(match: re.Match) -> _Hit | None:
    """自2012年起5年内 -> 2016-12-31; 自2021年5月1日起3年内 -> 2024-04-30."""
    year, count = cn_to_int(match.group("sy")), cn_to_int(match.group("sn"))
    if year is None or not count:
        return None
    if not match.group("sm"):
        date = _safe_date(year + count - 1, 12)
    else:
        month = cn_to_int(match.group("sm"))
        day = cn_to_int(match.group("sd")) if match.group("sd") else 1
        start = _safe_date(year + count, month or 0, day)
        date = start - datetime.timedelta(days=1) if start else None
    if date is None:
        return None
    return _Hit(match.start(), match.end(), date, None, KIND_DATE, year=date.year)


def _hit_range(text: str, match: re.Match, min_year: int | None) -> _Hit | None:
    first, last = cn_to_int(match.group("r1")), cn_to_int(match.group("r2"))
    if first is None or last is None or last < first:
        return None
    if min_year is not None and last < min_year:
        return None
    return _Hit(match.start(), match.end(), _safe_date(last, 12), None, KIND_DATE, year=last)


def _hit_month_day(match: re.Match) -> _Hit | None:
    if not (match.group("d2") or match.group("mpart2") or match.group("sfx2")):
        return None  # a bare '6月' is too often not a deadline
    month = cn_to_int(match.group("m2"))
    day = cn_to_int(match.group("d2")) if match.group("d2") else _month_part_day(match.group("mpart2"))
    if month is None or not 1 <= month <= 12:
        return None
    return _Hit(match.start(), match.end(), None, None, KIND_DATE, month=month, day=day, needs_year=True)


def _hit_yearless(text: str, match: re.Match) -> _Hit | None:
    if _HISTORY_AFTER.match(text[match.end():match.end() + 8]):
        return None  # 今年以来 / 上半年以来
    word = match.group("yl_word")
    offset = 1 if word.startswith("明年") else 0
    part = word.removeprefix("今年").removeprefix("明年") or None
    if part == "年内":
        part = None
    return _Hit(match.start(), match.end(), None, None, KIND_DATE, year_part=part or "年底",
                year_offset=offset, needs_year=True)


def _hit(text: str, match: re.Match, min_year: int | None, plan_start: int | None,
         context_year: int | None) -> _Hit | None:
    kind = match.lastgroup
    if kind in ("rec", "rec_by", "rec_bare"):
        unit = match.group("rec_unit") or match.group("by_unit") or match.group("bare_unit")
        return _Hit(match.start(), match.end(), None, _RECURRENCE[unit], KIND_RECURRING)
    if kind == "range":
        return _hit_range(text, match, min_year)
    if kind == "span":
        return _hit_span(match)
    if kind == "ymd":
        return _hit_ymd(text, match, min_year)
    if kind == "md":
        return _hit_month_day(match)
    if kind == "yl":
        return _hit_yearless(text, match)
    if kind == "rel":
        digits = "rel_d" if match.group("rel_d") else "rel_n"
        count = cn_to_int(match.group(digits))
        base = plan_start or context_year
        date = _safe_date(base + count - 1, 12) if base and count else None
        return _Hit(match.start(digits), match.start(digits) + 2, date, None, KIND_DATE)
    if kind == "ongo":
        return _Hit(match.start(), match.end(), None, None, KIND_ONGOING)
    return None


def _sentence_id(breaks: list[int], position: int) -> int:
    return bisect.bisect_right(breaks, position)


def _resolve_years(hits: list[_Hit], text: str, context_year: int | None) -> None:
    """Give yearless phrases a year: same sentence first, then the text, then context_year."""
    if not any(hit.needs_year for hit in hits):
        return
    breaks = [index for index, ch in enumerate(text) if ch in _SENTENCE_BREAKS]
    explicit = [hit for hit in hits if hit.year is not None and hit.kind == KIND_DATE]
    starts = [hit.start for hit in explicit]
    for hit in hits:
        if not hit.needs_year:
            continue
        index = bisect.bisect_left(starts, hit.start)
        before = explicit[index - 1] if index > 0 else None
        after = explicit[index] if index < len(explicit) else None
        sentence = _sentence_id(breaks, hit.start)
        chosen = None
        for candidate in (before, after):
            if candidate is not None and _sentence_id(breaks, candidate.start) == sentence:
                chosen = candidate
                break
        chosen = chosen or before or after
        year = chosen.year if chosen is not None else context_year
        if year is None:
            continue
        year += hit.year_offset
        if hit.month is not None:
            hit.date = _safe_date(year, hit.month, hit.day)
        else:
            hit.date = _year_part_date(year, hit.year_part)


def _dedupe_key(deadline: Deadline) -> tuple:
    """A recurrence is listed once; a dated phrase once per date and wording."""
    if deadline.recurring is not None:
        return (deadline.kind, deadline.recurring)
    return (deadline.kind, deadline.date, re.sub(r"^(?:到|至|于|在)", "", deadline.phrase.replace(" ", "")))


def parse_time_text(
    text: str,
    context_year: int | None = None,
    *,
    min_year: int | None = None,
    plan_start: int | None = None,
    not_before: datetime.date | None = None,
    offset: int = 0,
    unique: bool = True,
) -> list[Deadline]:
    """Find the time expressions of ``text``.

    - ``context_year`` dates phrases without a year ('7月底前', '年底前') when no explicit
      year is written earlier in the same sentence or in the text;
    - ``min_year`` (usually the issue year): a year before it is a reference to the past;
    - ``plan_start``: first year of the plan period, the base of '三年实现...';
    - ``not_before`` (usually the issue date): an explicit date ending before it is history
      ('2020年3月,省政府印发了…' in a text signed in May 2020);
    - ``offset`` is added to the returned spans (offsets of ``text`` otherwise);
    - ``unique=False`` keeps every occurrence (to find the phrase governing each sentence).

    Each result has the phrase as written, the last day it denotes (or None), and its
    recurrence. A phrase denoting the same thing twice is listed once. Dates inside
    《titles》 are ignored.

    >>> [(d.phrase, str(d.date)) for d in parse_time_text('2026年6月底前')]
    [('2026年6月底前', '2026-06-30')]
    """
    text = text or ""
    if not text.strip():
        return []
    squeezed, index_map = compact(text)
    titles = book_title_spans(squeezed)
    hits: list[_Hit] = []
    for match in TIME_RE.finditer(squeezed):
        if titles and any(start <= match.start() < end for start, end in titles):
            continue
        hit = _hit(squeezed, match, min_year, plan_start, context_year)
        if hit is None:
            continue
        if not_before and hit.year is not None and hit.date is not None and hit.date < not_before:
            continue
        hits.append(hit)
    if not hits and _ONGOING_CELL.match(squeezed.strip()):
        hits.append(_Hit(0, len(squeezed.strip()), None, None, KIND_ONGOING))
    _resolve_years(hits, squeezed, context_year)
    results: list[Deadline] = []
    for hit in hits:
        start, end = index_map[hit.start], index_map[hit.end - 1] + 1
        results.append(Deadline(
            phrase=text[start:end].strip(),
            date=hit.date,
            recurring=hit.recurring,
            kind=hit.kind,
            span=(start + offset, end + offset),
        ))
    return unique_deadlines(results) if unique else results


def unique_deadlines(deadlines: list[Deadline]) -> list[Deadline]:
    """Deadlines without repeats, first occurrence kept: a recurrence once, a date once per wording."""
    results: list[Deadline] = []
    seen: set[tuple] = set()
    for deadline in deadlines:
        key = _dedupe_key(deadline)
        if key not in seen:
            seen.add(key)
            results.append(deadline)
    return results


# --- dates of signature lines (metadata) -----------------------------------------------

DATE_LINE_RE = re.compile(
    rf"^\s*(?:(?P<label>成文日期|印发日期|签发日期)\s*[::]?)?\s*(?P<y>{_Y})\s*年\s*(?P<m>{_M})\s*月"
    rf"\s*(?P<d>{_D})\s*日\s*$"
)


def parse_date_line(line: str) -> datetime.date | None:
    """The date of a line that holds only a date such as '2020 年 5 月 17 日' or '二〇一八年二月七日'."""
    match = DATE_LINE_RE.match(line)
    if match is None:
        return None
    year, month, day = (cn_to_int(match.group(name)) for name in ("y", "m", "d"))
    if year is None or month is None or day is None:
        return None
    return _safe_date(year, month, day)
