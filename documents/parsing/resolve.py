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

_SPACES = re.compile(r"\s+")
_BRACKETED = re.compile(r"[(〔【\[][^()〔〕【】\[\]]*[)〕】\]]")
_PUNCT = re.compile(r"[()〔〕【】\[\]、,,;;.。·\-—]")
# Folds that keep the meaning: 市发展和改革委员会 ≈ 市发展改革委, 各县(市、区)人民政府 ≈ 各县(市、区)政府.
_FOLDS = (("管理委员会", "管委会"), ("委员会", "委"), ("人民政府", "政府"), ("和", ""), ("及", ""))
# A leading 市 / 区 / 县 is dropped only before characters that cannot start a word with it
# (市场监管局 must keep its 市).
_PREFIX = re.compile(r"^[市区县](?![场区县直属委级域民内外])")
_MIN_STRIPPED = 3


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

    @property
    def resolved(self) -> bool:
        return self.entry is not None

    @property
    def is_group(self) -> bool:
        return self.entry is not None and self.entry.kind == KIND_GROUP


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

    def resolve(self, name: str, *, limit: int = 5, min_score: float = 70.0) -> Resolution:
        """Resolve ``name``; when that fails, offer up to ``limit`` suggestions scoring >= min_score."""
        query = _clean(name)
        if not query:
            return Resolution(query)
        for table, method in ((self._exact, METHOD_EXACT), (self._alias, METHOD_ALIAS)):
            found = table.get(query, [])
            if len(found) == 1:
                return Resolution(query, found[0], method)
        keys = _variants(query)
        # Full normalised keys first; a 市/区 prefix is only ignored when that is still unambiguous.
        for table, wanted in ((self._normalized, keys), (self._stripped, _stripped_variants(keys))):
            candidates = {entry.id: entry for key in wanted for entry in table.get(key, [])}
            if len(candidates) == 1:
                return Resolution(query, next(iter(candidates.values())), METHOD_NORMALIZED)
            if candidates:
                break  # ambiguous: let a person choose among the suggestions
        return Resolution(query, None, None, self.suggest(query, limit=limit, min_score=min_score))

    def suggest(self, name: str, *, limit: int = 5, min_score: float = 70.0) -> tuple[Suggestion, ...]:
        """Close matches of ``name`` (rapidfuzz ratio on normalised keys), best first, one per entry."""
        query = normalize_name(name)
        if not query or not self._choices:
            return ()
        keys = {choice: normalize_name(choice) for choice in self._choices}
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
