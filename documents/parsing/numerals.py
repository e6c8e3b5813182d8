"""Chinese numerals: parse 一 / 十二 / 二〇二〇 to int and format ints back."""

from __future__ import annotations

CN_DIGITS: dict[str, int] = {
    "零": 0, "〇": 0, "○": 0, "O": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4,
    "五": 5, "六": 6, "七": 7, "八": 8, "九": 9,
}
CN_UNITS: dict[str, int] = {"十": 10, "百": 100, "千": 1000}

# Character class usable inside regexes for a Chinese numeral.
CN_NUM_CLASS = "一二三四五六七八九十百零〇两"


def cn_to_int(text: str) -> int | None:
    """Convert '3', '十二', '一百零五' or digit-by-digit '二〇二〇' to an int (None if not a numeral)."""
    text = text.strip()
    if not text:
        return None
    if text.isascii() and text.isdigit():
        return int(text)
    # Year-style numerals spell every digit: 二〇二〇 -> 2020.
    if len(text) > 1 and all(ch in CN_DIGITS for ch in text):
        return int("".join(str(CN_DIGITS[ch]) for ch in text))
    total = 0
    current = 0
    for ch in text:
        if ch in CN_DIGITS:
            current = CN_DIGITS[ch]
        elif ch in CN_UNITS:
            total += (current or 1) * CN_UNITS[ch]
            current = 0
        else:
            return None
    return total + current


_DIGIT_CHARS = "零一二三四五六七八九"


def int_to_cn(number: int) -> str:
    """Format 1..9999 as a Chinese numeral the way headings print it (十一, 二十, 一百零五)."""
    if number <= 0:
        return _DIGIT_CHARS[0]
    if number < 10:
        return _DIGIT_CHARS[number]
    if number < 20:
        return "十" + (_DIGIT_CHARS[number - 10] if number > 10 else "")
    parts: list[str] = []
    pending_zero = False
    for unit_value, unit_char in ((1000, "千"), (100, "百"), (10, "十"), (1, "")):
        digit = number // unit_value % 10
        if digit:
            if pending_zero and parts:
                parts.append("零")
            parts.append(_DIGIT_CHARS[digit] + unit_char)
            pending_zero = False
        elif parts:
            pending_zero = True
    return "".join(parts)


CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"


def circled_to_int(ch: str) -> int | None:
    """Value of a circled number ① .. ⑳."""
    index = CIRCLED.find(ch)
    return index + 1 if index >= 0 else None
