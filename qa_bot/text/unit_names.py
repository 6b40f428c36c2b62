"""Unit names in responsibility notes: references vs units, the kind of a unit, the key its spellings share.

The rules are data (unit_vocabulary.toml, reviewed by hand and general to Chinese government documents); the
city comes from the corpus. For the gazettes of 测试市:

    >>> namer = UnitNamer(UnitVocabulary.load(), city="测试市")
    >>> namer.key("测试市发展和改革委员会") == namer.key("市发改委")
    True
    >>> namer.is_reference("各有关部门"), namer.kind("市财政局").label
    (True, '市直部门')
"""

from __future__ import annotations

import hashlib
import re
import tomllib
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from qa_bot.text.normalize import normalize_text

VOCABULARY_FILE = Path(__file__).with_name("unit_vocabulary.toml")
CITY_PREFIX = "市"  # how a city-level unit is named inside its own city's documents: 市财政局
# The issuer line names the city: 某某市人民政府 / 某某市人民政府办公室.
_CITY_ISSUER = re.compile(r"^([\u4e00-\u9fff]{1,6}?[市州盟])人民政府")
_SPACES = re.compile(r"\s+")


@dataclass(frozen=True)
class UnitKind:
    """A group of units: a stable key for code and clients (city, county, central, enterprise, other), a label."""

    key: str
    label: str


@dataclass(frozen=True)
class UnitVocabulary:
    """The reviewed rules of unit_vocabulary.toml; `version` changes whenever the file does."""

    abbreviations: tuple[tuple[str, str], ...]  # (full form, short form), longest full form first
    optional_prefixes: tuple[str, ...]
    legal_forms: tuple[str, ...]  # longest first
    government_suffixes: tuple[str, ...]
    references: tuple[re.Pattern[str], ...]
    kinds: tuple[tuple[str, str, re.Pattern[str]], ...]  # (key, label template, pattern)
    default_kind: UnitKind
    display_order: tuple[str, ...]  # kind keys in the order lists show them
    version: str

    @classmethod
    def load(cls, path: Path = VOCABULARY_FILE) -> UnitVocabulary:
        raw = path.read_bytes()
        data = tomllib.loads(raw.decode("utf-8"))
        pairs = [(full, short) for short, fulls in data["abbreviations"].items() for full in fulls]
        names = data["names"]
        return cls(
            abbreviations=tuple(sorted(pairs, key=lambda pair: -len(pair[0]))),
            optional_prefixes=tuple(names["optional_prefixes"]),
            legal_forms=tuple(sorted(names["optional_legal_forms"], key=len, reverse=True)),
            government_suffixes=tuple(sorted(names["optional_government_suffixes"], key=len, reverse=True)),
            references=tuple(re.compile(p) for p in data["references"]["patterns"]),
            kinds=tuple((k["key"], k["label"], re.compile(k["pattern"])) for k in data["kinds"]),
            default_kind=UnitKind(data["default_kind"]["key"], data["default_kind"]["label"]),
            display_order=tuple(data["display"]["order"]),
            version=hashlib.sha256(raw).hexdigest()[:16],
        )


def city_of(issuers: Iterable[str]) -> str | None:
    """The city the gazettes belong to, from their issuers: ['某某市人民政府', '某某市人民政府办公室'] → '某某市'."""
    found = Counter(m.group(1) for issuer in issuers if (m := _CITY_ISSUER.match(normalize_text(issuer))))
    return found.most_common(1)[0][0] if found else None


# Two characters left of a unit's name that are a common word, not a name (市政府 → 政府).
_GENERIC_WORD = re.compile(r"政府|部门|单位|机关|直属")
# What a city, county or district body's name looks like where a person types it (市民政局, 县水务局, 团市委): a level
# at the start of a word, a few characters, a body's ending. Read in questions, to notice a unit no document names.
UNIT_SHAPE = re.compile(
    r"(?:(?<=[是们的在和跟与找问让给对，,、：:\s])|^)团?[市县区][^\W\d里的给在和与要对是了把从将被为什么取般建立]{0,6}?"
    r"(?:局|委员会|委|办公室|办|厅|联合会|中心|分局|支行)"
)


def clean_name(name: str) -> str:
    """A unit name as written, widths normalised and spaces removed."""
    return _SPACES.sub("", normalize_text(name))


class UnitNamer:
    """The vocabulary applied to one corpus (its city): what a name is, and which spellings name the same unit."""

    def __init__(self, vocabulary: UnitVocabulary, city: str | None) -> None:
        self.vocabulary = vocabulary
        self.city = city
        # The city without its 市 (某某): 某某海事局 is a 驻地 office, 某某市财政局 is the city's own 市财政局.
        self.city_stem = city[:-1] if city and len(city) > 2 else None

    def is_reference(self, name: str) -> bool:
        """'各有关部门', '重点领域牵头单位', '相关单位' point at units without naming one."""
        cleaned = clean_name(name)
        return any(p.search(cleaned) for p in self.vocabulary.references)

    def kind(self, name: str) -> UnitKind:
        cleaned = self.local_name(name)
        abbr = self.city[0] if self.city else "地"
        for key, label, pattern in self.vocabulary.kinds:
            if pattern.search(cleaned):
                return UnitKind(key, label.format(city_abbr=abbr))
        if self.city_stem and cleaned.startswith(self.city_stem):
            central = next((k for k in self.vocabulary.kinds if k[0] == "central"), None)
            if central is not None:
                return UnitKind("central", central[1].format(city_abbr=abbr))
        return self.vocabulary.default_kind

    def local_name(self, name: str) -> str:
        """The name as the city's own documents write it: 某某市财政局 → 市财政局."""
        cleaned = clean_name(name)
        if self.city and cleaned.startswith(self.city) and len(cleaned) > len(self.city):
            return CITY_PREFIX + cleaned[len(self.city) :]
        return cleaned

    def key(self, name: str) -> str:
        """What every spelling of one unit shares: local name, optional prefixes dropped, abbreviations applied,
        a county government's 人民政府 ending dropped. A bare name (财政局) is matched to 市财政局 by the caller."""
        text = self.local_name(name)
        for prefix in self.vocabulary.optional_prefixes:
            if text.startswith(prefix) and len(text) > len(prefix) + 1:
                text = text[len(prefix) :]
        for full, short in self.vocabulary.abbreviations:
            text = text.replace(full, short)
        if self.kind(name).key == "county":
            for suffix in self.vocabulary.government_suffixes:
                if text.endswith(suffix) and len(text) > len(suffix) + 1:
                    text = text[: -len(suffix)]
                    break
        return text

    def short_forms(self, name: str) -> list[str]:
        """Other names a person types for the unit: without 中国, without the city, without 市, abbreviated."""
        local = self.local_name(name)
        forms = [local]
        for prefix in self.vocabulary.optional_prefixes:
            if local.startswith(prefix):
                forms.append(local[len(prefix) :])
        if self.city_stem:
            forms += [
                f[len(self.city_stem) :]
                for f in list(forms)
                if f.startswith(self.city_stem) and not (self.city and f.startswith(self.city))
            ]
        if self.city:
            forms += [self.city + f[len(CITY_PREFIX) :] for f in list(forms) if f.startswith(CITY_PREFIX)]
        # a national body's branch by the body's name: 人民银行某某市中心支行 → 人民银行
        if self.city:
            forms += [f[: f.index(self.city)] for f in list(forms) if self.city in f and not f.startswith(self.city)]
        # an enterprise's legal form is left out before its branch, whole or in part: 中国邮政集团有限公司X分公司 →
        # 中国邮政X分公司, 中国邮政集团X分公司
        for f in list(forms):
            cut = [f.replace(g, "", 1) for g in self.vocabulary.legal_forms if g in f and not f.endswith(g)]
            forms += [c for c in cut if not c.endswith(tuple(self.vocabulary.legal_forms))]  # not 中国X有限公司
        # bracketed qualifiers and a leading 各 are left out when typed: 各县（市）区政府（管委会） → 县区政府
        forms += [re.sub(r"（[^）]*）", "", f) for f in list(forms) if "（" in f]
        forms += [f[1:] for f in list(forms) if f.startswith("各")]
        # 市财政局 → 财政局, 市妇联 → 妇联, but not 市委组织部 → 委组织部
        bare = [f[1:] for f in forms if f.startswith(CITY_PREFIX) and f[1:2] != "委"]
        # a party committee's office by its own name: 市委组织部 → 组织部, 市委网信办 → 网信办 (three characters up)
        bare += [f[2:] for f in forms if f.startswith(CITY_PREFIX + "委") and len(f) >= 5]
        forms += bare
        abbreviated = [
            f.replace(full, short) for full, short in self.vocabulary.abbreviations for f in forms if full in f
        ]
        forms += abbreviated
        typed = set(bare + abbreviated)  # two characters are a name only as these (妇联, 人行), never generic words
        return [
            f
            for f in dict.fromkeys(forms)
            if (len(f) >= 3 or (f in typed and len(f) == 2 and not _GENERIC_WORD.search(f))) and f != clean_name(name)
        ]


__all__ = [
    "CITY_PREFIX",
    "UNIT_SHAPE",
    "UnitKind",
    "UnitNamer",
    "UnitVocabulary",
    "VOCABULARY_FILE",
    "city_of",
    "clean_name",
]
