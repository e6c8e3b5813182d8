"""Resolving unit names to departments of a directory: pure, no database.

Resolution is exact name -> alias -> normalised form (only when it names one entry). Close
matches found with rapidfuzz are offered as suggestions with scores and never applied:
'市教科体局' and '市科教体局' are different departments for all the directory knows.
"""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from rapidfuzz import fuzz, process

from documents.parsing.script import to_simplified

KIND_DEPARTMENT = "department"
KIND_GROUP = "group"  # a collective such as 各县(市、区)政府 or 各开发区

METHOD_EXACT = "exact"
METHOD_ALIAS = "alias"
METHOD_NORMALIZED = "normalized"
# '省科技厅、工业和信息化厅': the bare name resolved with the previous unit's prefix (省).
METHOD_PREFIX = "prefix"

_SPACES = re.compile(r"\s+")
_BRACKETED = re.compile(r"[(〔【\[][^()〔〕【】\[\]]*[)〕】\]]")
_PUNCT = re.compile(r"[()〔〕【】\[\]、,,;;.。·\-—]")
# Folds that keep the meaning: 市发展和改革委员会 ≈ 市发展改革委, 各县(市、区)人民政府 ≈ 各县(市、区)政府.
_FOLDS = (("管理委员会", "管委会"), ("委员会", "委"), ("人民政府", "政府"), ("和", ""), ("及", ""))
# A leading 市 / 区 / 县 is dropped only before characters that cannot start a word with it
# (市场监管局 must keep its 市).
_PREFIX = re.compile(r"^[市区县](?![场区县直属委级域民内外])")
_MIN_STRIPPED = 3
# The administrative prefix of a name and its level: 省科技厅 -> 省, 临川市科技局 -> 临川市,
# 东湖区住建局 -> 东湖区, 中共临川市委 -> 中共临川市. 市场监管局 has none (市场 is a word).
_LEVEL_PREFIX = re.compile(
    r"^(?P<prefix>(?:中共)?(?:[\u4e00-\u9fff]{2,8}?)?(?:自治区|自治州|自治县|自治旗|省|市|州|盟|县|区|旗))"
    r"(?![场域])"
)
_LEVEL_ENDINGS = (("自治区", "province"), ("自治州", "city"), ("自治县", "county"), ("自治旗", "county"),
                  ("省", "province"), ("市", "city"), ("州", "city"), ("盟", "city"),
                  ("县", "county"), ("区", "county"), ("旗", "county"))


@dataclass(frozen=True)
class DirectoryEntry:
    """A department (or a group of units) known to the directory."""

    id: object
    name: str
    short_name: str | None = None
    aliases: tuple[str, ...] = ()
    kind: str = KIND_DEPARTMENT


@dataclass(frozen=True)
class Suggestion:
    """A close match offered to a user, with the rapidfuzz score (0..100)."""

    entry: DirectoryEntry
    score: float
    matched: str


@dataclass(frozen=True)
class Resolution:
    """The outcome of resolving one name."""

    query: str
    entry: DirectoryEntry | None = None
    method: str | None = None
    suggestions: tuple[Suggestion, ...] = field(default=())
    via: str | None = None  # the name actually resolved, when the previous unit's prefix was added

    @property
    def resolved(self) -> bool:
        return self.entry is not None

    @property
    def is_group(self) -> bool:
        return self.entry is not None and self.entry.kind == KIND_GROUP


def admin_prefix(name: str) -> str | None:
    """The administrative prefix of a unit name ('省', '临川市'), or None."""
    match = _LEVEL_PREFIX.match(_clean(name))
    return match.group("prefix") if match else None


def admin_level(name: str) -> str | None:
    """'province', 'city' or 'county' from a name's prefix; None when it has none."""
    prefix = admin_prefix(name)
    if prefix is None:
        return None
    return next(level for ending, level in _LEVEL_ENDINGS if prefix.endswith(ending))


def _clean(name: str) -> str:
    """NFKC, no spaces, in Simplified script (a Traditional mirror's 市發改委 is 市发改委)."""
    return to_simplified(_SPACES.sub("", unicodedata.normalize("NFKC", name or "")))


def normalize_name(name: str) -> str:
    """Normalised key: NFKC, no spaces or punctuation, 和 dropped, 委员会 -> 委, 人民政府 -> 政府."""
    key = _clean(name)
    for old, new in _FOLDS:
        key = key.replace(old, new)
    return _PUNCT.sub("", key)


def _variants(name: str) -> set[str]:
    """Normalised keys of a name: as is and without a bracketed alternate name."""
    keys = {normalize_name(name)}
    without = _BRACKETED.sub("", _clean(name))
    if without:
        keys.add(normalize_name(without))
    keys.discard("")
    return keys


def _stripped_variants(keys: set[str]) -> set[str]:
    """Keys without a leading 市 / 区 / 县, where that cannot cut a word."""
    stripped = {_PREFIX.sub("", key) for key in keys}
    return {key for key in stripped | keys if len(key) >= _MIN_STRIPPED}


class DepartmentDirectory:
    """Resolves unit names against a list of entries."""

    def __init__(self, entries: Iterable[DirectoryEntry]):
        self.entries = list(entries)
        self._exact: dict[str, list[DirectoryEntry]] = defaultdict(list)
        self._alias: dict[str, list[DirectoryEntry]] = defaultdict(list)
        self._normalized: dict[str, list[DirectoryEntry]] = defaultdict(list)
        self._stripped: dict[str, list[DirectoryEntry]] = defaultdict(list)
        self._choices: dict[str, DirectoryEntry] = {}
        for entry in self.entries:
            names = [entry.name] + ([entry.short_name] if entry.short_name else [])
            for name in names:
                _add(self._exact, _clean(name), entry)
            for alias in entry.aliases:
                _add(self._alias, _clean(alias), entry)
            for name in names + list(entry.aliases):
                keys = _variants(name)
                for key in keys:
                    _add(self._normalized, key, entry)
                for key in _stripped_variants(keys):
                    _add(self._stripped, key, entry)
                self._choices.setdefault(_clean(name), entry)

    def resolve(
        self, name: str, *, previous: str | None = None, limit: int = 5, min_score: float = 70.0
    ) -> Resolution:
        """Resolve ``name``; when that fails, offer up to ``limit`` suggestions scoring >= min_score.

        ``previous`` is the unit named just before in the same list: a bare name that is not
        in the directory is tried with its prefix ('省科技厅、工业和信息化厅' -> 省工业和信息化厅),
        and the result says so (method 'prefix', ``via`` the name resolved).
        """
        query = _clean(name)
        if not query:
            return Resolution(query)
        found = self._by_name(query)
        if found is not None:
            return found
        # Before the bare name's own normalised forms (which would drop to any level's
        # 财政局), the prefix of the unit before it: 省市场监管局、财政局 -> 省财政局.
        prefix = admin_prefix(previous or "")
        if prefix and admin_prefix(query) is None and not query.startswith("各"):
            prefixed = self._by_name(prefix + query) or self._by_key(prefix + query)
            if prefixed is not None:
                return Resolution(query, prefixed.entry, METHOD_PREFIX, via=prefix + query)
        found = self._by_key(query)
        if found is not None:
            return found
        return Resolution(query, None, None, self.suggest(query, limit=limit, min_score=min_score))

    def _by_name(self, query: str) -> Resolution | None:
        """Exact name or alias, when it names one entry."""
        for table, method in ((self._exact, METHOD_EXACT), (self._alias, METHOD_ALIAS)):
            found = table.get(query, [])
            if len(found) == 1:
                return Resolution(query, found[0], method)
        return None

    def _by_key(self, query: str) -> Resolution | None:
        """Normalised forms, when they name one entry."""
        keys = _variants(query)
        # Full normalised keys first; a 市/区 prefix is only ignored when that is still unambiguous.
        for table, wanted in ((self._normalized, keys), (self._stripped, _stripped_variants(keys))):
            candidates = {entry.id: entry for key in wanted for entry in table.get(key, [])}
            if len(candidates) == 1:
                return Resolution(query, next(iter(candidates.values())), METHOD_NORMALIZED)
            if candidates:
                break  # ambiguous: let a person choose among the suggestions
        return None

    def suggest(self, name: str, *, limit: int = 5, min_score: float = 70.0) -> tuple[Suggestion, ...]:
        """Close matches of ``name`` (rapidfuzz ratio on normalised keys), best first, one per entry.

        A suggestion never crosses an administrative level: a 省 name is not 'close to' a 市
        department (names without a level prefix may match either).
        """
        query = normalize_name(name)
        if not query or not self._choices:
            return ()
        level = admin_level(name)
        keys = {choice: normalize_name(choice) for choice in self._choices
                if level is None or admin_level(choice) in (None, level)}
        matches = process.extract(query, keys, scorer=fuzz.ratio, score_cutoff=min_score, limit=limit * 3)
        suggestions: list[Suggestion] = []
        seen: set[object] = set()
        for _key, score, choice in matches:
            entry = self._choices[choice]
            if entry.id in seen:
                continue
            seen.add(entry.id)
            suggestions.append(Suggestion(entry, round(float(score), 1), choice))
            if len(suggestions) == limit:
                break
        return tuple(suggestions)


def _add(table: dict[str, list[DirectoryEntry]], key: str, entry: DirectoryEntry) -> None:
    if key and all(existing.id != entry.id for existing in table[key]):
        table[key].append(entry)
