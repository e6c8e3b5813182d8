"""NFKC normalisation with a map back to original offsets, and removal of web-page noise.

Every later stage works on ``NormalizedText.text``; ``to_original`` turns its offsets back
into offsets of the text as the user supplied it, so spans can be highlighted there.
"""

from __future__ import annotations

import re
import unicodedata
from array import array
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from typing import overload

from documents.parsing.numerals import CIRCLED
from documents.parsing.script import is_traditional, printed_map, to_printed, to_simplified

# Characters that NFKC leaves alone and that make up nearly all of a Chinese document:
# printable ASCII, CJK unified ideographs and the common CJK punctuation. Runs of them are
# copied in bulk; only the rest goes through the (cached) per-character mapping.
_UNSAFE_CHAR = re.compile(
    r"[^\x20-\x7e\n\t\u4e00-\u9fff\u3001\u3002\u300a-\u300f\u3010\u3011\u3014\u3015"
    r"\u201c\u201d\u2018\u2019\u2014]"
)
# Circled numbers are heading markers (①); NFKC would turn them into plain digits.
_KEEP = frozenset(CIRCLED)
_DROP = frozenset("\u200b\u200c\u200d\u2060\ufeff\u00ad")
_LINE_BREAKS = frozenset("\v\f\x1c\x1d\x1e\x85\u2028\u2029")
_char_cache: dict[str, str] = {}


def _map_char(ch: str) -> str:
    mapped = _char_cache.get(ch)
    if mapped is not None:
        return mapped
    if ch in _KEEP:
        mapped = ch
    elif ch in _DROP:
        mapped = ""
    elif ch in _LINE_BREAKS:
        mapped = "\n"
    else:
        mapped = unicodedata.normalize("NFKC", ch)
        # NFKC turns U+3000 and NBSP into spaces already; other exotic spaces too.
        if mapped.isspace() and mapped not in "\n\t":
            mapped = " "
    _char_cache[ch] = mapped
    return mapped


@dataclass(frozen=True)
class NormalizedText:
    """Normalised text plus, for each of its characters, the index of its source character."""

    text: str
    offsets: array  # len(text) + 1 entries; the last one is len(original)
    original: str
    # A Traditional-script text is read in Simplified (``text``); this maps the Simplified
    # characters back to the printed ones (empty for a Simplified text).
    printed_chars: dict[str, str] = field(default_factory=dict)

    @overload
    def printed(self, value: str) -> str: ...

    @overload
    def printed(self, value: None) -> None: ...

    def printed(self, value: str | None) -> str | None:
        """A string of ``text`` in the characters the document was printed in."""
        return to_printed(value, self.printed_chars)

    def to_original(self, start: int, end: int) -> tuple[int, int]:
        """Map a [start, end) span of the normalised text to the original text."""
        size = len(self.text)
        start = max(0, min(start, size))
        end = max(start, min(end, size))
        if end == start:
            point = self.offsets[start]
            return point, point
        return self.offsets[start], self.offsets[end - 1] + 1


def nfkc_with_offsets(original: str) -> NormalizedText:
    """NFKC-normalise character by character, keeping the offset map.

    Per-character NFKC differs from whole-string NFKC only for combining sequences, which
    policy documents do not use. CR LF and lone CR become LF.
    """
    parts: list[str] = []
    offsets = array("q")
    last = 0
    for match in _UNSAFE_CHAR.finditer(original):
        index = match.start()
        if index > last:
            parts.append(original[last:index])
            offsets.extend(range(last, index))
        ch = original[index]
        if ch == "\r":
            mapped = "" if original.startswith("\n", index + 1) else "\n"
        else:
            mapped = _map_char(ch)
        if mapped:
            parts.append(mapped)
            offsets.extend([index] * len(mapped))
        last = index + 1
    if last < len(original):
        parts.append(original[last:])
        offsets.extend(range(last, len(original)))
    offsets.append(len(original))
    return NormalizedText("".join(parts), offsets, original)


def iter_lines(text: str, start: int = 0, end: int | None = None) -> Iterator[tuple[int, int]]:
    """Yield (start, end) of each line of text[start:end], without the newline."""
    stop = len(text) if end is None else end
    position = start
    while position <= stop:
        newline = text.find("\n", position, stop)
        if newline < 0:
            if position < stop:
                yield position, stop
            return
        yield position, newline
        position = newline + 1


# --- web-page noise -------------------------------------------------------------------

# Lines that only a web page carries: navigation, share / print buttons, footers.
_STRONG_NOISE = re.compile(
    r"当前位置|您现在的位置|现在的位置|所在位置|欢迎您|欢迎访问|欢迎光临|分享到|打印本页|打印此页|"
    r"关闭窗口|关闭本页|扫一扫|字号\s*[::]?\s*[\[【(]?\s*大|【\s*[大中小]\s*】|站点地图|网站地图|版权所有|"
    r"版权说明|隐私保护|隐私声明|ICP备|ICP证|公网安备|网站标识码|网站识别码|技术支持\s*[::]|"
    r"^\s*主办\s*[::]|^\s*承办\s*[::]|联系电话\s*[::]|联系我们|浏览次数|访问次数|阅读次数|返回顶部|收藏本页|"
    r"加入收藏|设为首页|上一篇|下一篇|【\s*打印\s*】|【\s*关闭\s*】|\[\s*打印\s*\]|\[\s*关闭\s*\]|"
    r"首页\s*[>»›]|[>»›]\s*正文\s*$|^\s*(?:打印|关闭|收藏|返回|顶部)\s*$"
)
_SENTENCE_PUNCT = re.compile(r"[。;;]")
_NOISE_MAX_LEN = 80  # a longer line is content, even if it mentions 扫一扫
_FRAGMENT_MAX_LEN = 30  # short footer fragments: 官方微信, 手机版, 政务服务 ...


def _is_strong_noise(line: str) -> bool:
    stripped = line.strip()
    if not stripped or len(stripped) > _NOISE_MAX_LEN:
        return False
    if "。" in stripped:
        return False
    return bool(_STRONG_NOISE.search(stripped))


def _is_fragment(line: str) -> bool:
    stripped = line.strip()
    return len(stripped) <= _FRAGMENT_MAX_LEN and not _SENTENCE_PUNCT.search(stripped)


def noise_lines(text: str) -> list[tuple[int, int]]:
    """Line spans (with their newline) that are web-page noise.

    A noise line anywhere is dropped; from the first noise line after which only noise and
    short fragments follow, the whole tail (the page footer) is dropped.
    """
    lines = list(iter_lines(text))
    flags = [_is_strong_noise(text[s:e]) for s, e in lines]
    drop = list(flags)
    # Footer zone: walk back from the end over fragments / noise; it starts at a noise line.
    tail_start = None
    content_before = False
    for index in range(len(lines) - 1, -1, -1):
        start, end = lines[index]
        line = text[start:end]
        if flags[index]:
            tail_start = index
        elif line.strip() and not _is_fragment(line):
            content_before = True
            break
    # Without real content before it, the 'footer' would be the whole text: keep it.
    if tail_start is not None and content_before:
        for index in range(tail_start, len(lines)):
            drop[index] = True
    spans = []
    for (start, end), dropped in zip(lines, drop, strict=True):
        if dropped:
            spans.append((start, min(end + 1, len(text))))
    return spans


def remove_spans(norm: NormalizedText, spans: list[tuple[int, int]]) -> NormalizedText:
    """Drop the given sorted, non-overlapping spans of the normalised text, keeping the map."""
    if not spans:
        return norm
    parts: list[str] = []
    offsets = array("q")
    last = 0
    for start, end in spans:
        if start > last:
            parts.append(norm.text[last:start])
            offsets.extend(norm.offsets[last:start])
        last = max(last, end)
    parts.append(norm.text[last:])
    offsets.extend(norm.offsets[last:])  # includes the final sentinel
    return NormalizedText("".join(parts), offsets, norm.original, norm.printed_chars)


def simplified_view(norm: NormalizedText) -> NormalizedText:
    """A Traditional-script text as Simplified, same length and offsets; others unchanged."""
    if not is_traditional(norm.text):
        return norm
    simple = to_simplified(norm.text)
    return replace(norm, text=simple, printed_chars=printed_map(norm.text, simple))


def normalize(original: str) -> NormalizedText:
    """NFKC-normalise ``original``, read Traditional script in Simplified and drop web-page
    noise lines, keeping the offset map."""
    norm = simplified_view(nfkc_with_offsets(original or ""))
    return remove_spans(norm, noise_lines(norm.text))
