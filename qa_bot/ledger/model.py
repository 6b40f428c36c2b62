"""The task ledger's records (Unit, Task, Resolution) and the Ledger itself: lookups by any alias of a unit.

    >>> ledger.resolve_unit("人民银行某某市中心支行").name        # doctest: +SKIP
    '中国人民银行某某市中心支行'
    >>> [t.doc_no for t in ledger.tasks("邮政管理局", role="lead")]  # doctest: +SKIP
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from functools import lru_cache
from typing import Any, Literal

from qa_bot.errors import BadInput, NotFound, UnknownUnit
from qa_bot.text.normalize import normalize_text
from qa_bot.text.unit_names import CITY_PREFIX, UnitNamer, UnitVocabulary, clean_name

Role = Literal["lead", "responsible"]
ROLES: tuple[Role, ...] = ("lead", "responsible")
ROLE_LABELS: dict[str, str] = {"lead": "牵头", "responsible": "负责"}
LEDGER_VERSION = 3  # bump when qa_bot.ledger.build changes what a ledger holds: stored ones are then rebuilt on load
_CLOSEST = 5
_MIN_PARTIAL = 3  # a typed name this long may match the one unit whose name contains it (海事局 → 某某海事局)
_MAX_ECHO = 40
MAX_NAME_CHARS = 100  # longer than any unit name: not looked up, not compared


@lru_cache(maxsize=1)
def default_vocabulary() -> UnitVocabulary:
    return UnitVocabulary.load()


@dataclass(frozen=True)
class Unit:
    """One unit under its canonical name: every other name that resolves to it, its kind, its task counts."""

    name: str
    aliases: tuple[str, ...]  # every other name that resolves to this unit (spellings and short forms)
    spellings: tuple[str, ...]  # the names as written in the gazettes' notes, canonical one included
    kind: str  # label: 市直部门, 县区政府, 中直/驻X单位, 企业, 其他单位
    kind_key: str  # city | county | central | enterprise | other
    lead: int  # clauses in which it leads
    responsible: int  # clauses in which it is responsible (and does not lead)
    documents: int  # documents that give it a task

    @property
    def total(self) -> int:
        return self.lead + self.responsible

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["aliases"] = list(self.aliases)
        data["spellings"] = list(self.spellings)
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Unit:
        return cls(**{**data, "aliases": tuple(data["aliases"]), "spellings": tuple(data["spellings"])})


@dataclass(frozen=True)
class Task:
    """One clause that assigns a unit a task, with where it is, who shares it and by when."""

    unit: str  # canonical name
    role: Role
    doc_id: str
    doc_no: str | None
    title: str
    date: str | None
    issue: str | None
    section: str
    chunk_id: str
    task: str  # the clause's heading, or its first sentence
    co_lead: tuple[str, ...]  # other units leading this clause (canonical names)
    co_responsible: tuple[str, ...]  # other units responsible for it
    references: tuple[str, ...]  # generic phrases of the note (各有关部门), not units
    deadline: str | None  # 完成时限 of the note, or the deadlines / year targets the clause states
    text: str

    @property
    def co_units(self) -> tuple[str, ...]:
        return self.co_lead + self.co_responsible

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        for name in ("co_lead", "co_responsible", "references"):
            data[name] = list(data[name])
        data["co_units"] = list(self.co_units)
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Task:
        fields = {k: v for k, v in data.items() if k != "co_units"}
        for name in ("co_lead", "co_responsible", "references"):
            fields[name] = tuple(fields[name])
        return cls(**fields)


@dataclass(frozen=True)
class Resolution:
    """What a typed unit name resolves to: the canonical name (None when unknown) and the closest known names."""

    name: str | None
    closest: tuple[str, ...] = ()


class Ledger:
    """Every unit's tasks across all documents, built once at index time (qa_bot.ledger.build)."""

    def __init__(
        self,
        *,
        units: Iterable[Unit],
        tasks: Iterable[Task],
        references: dict[str, int],
        documents: Iterable[tuple[str, str | None]],
        city: str | None,
        rules: str,
        vocabulary: UnitVocabulary | None = None,
    ) -> None:
        self._units = {u.name: u for u in units}
        self._tasks = tuple(tasks)
        self.references = dict(references)  # generic phrase → clauses it appears in
        self.documents = tuple(documents)  # (doc_id, doc_no) of every document, in corpus order
        self.city = city
        self.rules = rules  # version of the vocabulary it was built with
        self._namer = UnitNamer(vocabulary or default_vocabulary(), city)
        self._by_unit: dict[str, list[Task]] = {name: [] for name in self._units}
        for task in self._tasks:
            self._by_unit.setdefault(task.unit, []).append(task)
        self._names: dict[str, str] = {}  # any known name → canonical
        self._keys: dict[str, str] = {}
        for unit in self._units.values():
            for name in (unit.name, *unit.spellings, *unit.aliases):
                self._names.setdefault(clean_name(name), unit.name)
            self._keys.setdefault(self._namer.key(unit.name), unit.name)
        self._longest_first = sorted(self._names, key=len, reverse=True)

    # -- lookups ------------------------------------------------------------------------------------------------
    def units(self) -> list[Unit]:
        """Every unit, grouped by kind (in the vocabulary's order), most tasks first."""
        order = {key: n for n, key in enumerate(self._namer.vocabulary.display_order)}
        return sorted(
            self._units.values(), key=lambda u: (order.get(u.kind_key, len(order)), -u.total, -u.lead, u.name)
        )

    def unit(self, name: str) -> Unit | None:
        resolved = self.resolve_unit(name).name
        return self._units[resolved] if resolved else None

    def resolve_unit(self, name: str) -> Resolution:
        """Canonical name for any alias (中国人民银行X = 人民银行X, 市发改委 = 市发展改革委, 财政局 = 市财政局), or None
        with the closest known names."""
        cleaned = clean_name(name)
        if not cleaned or len(cleaned) > MAX_NAME_CHARS:
            return Resolution(None)
        if cleaned in self._names:
            return Resolution(self._names[cleaned])
        key = self._namer.key(cleaned)
        for candidate in (key, CITY_PREFIX + key):
            if candidate in self._keys:
                return Resolution(self._keys[candidate])
        partial = sorted({canonical for known, canonical in self._names.items() if cleaned in known})
        if len(partial) == 1 and len(cleaned) >= _MIN_PARTIAL:
            return Resolution(partial[0])
        close = difflib.get_close_matches(cleaned, list(self._names), n=_CLOSEST * 3, cutoff=0.5)
        # names holding every typed character in order (邮政局 → 市邮政管理局) before names merely alike (市财政局)
        close.sort(key=lambda known: not _in_order(cleaned, known))
        closest = list(dict.fromkeys(partial + [self._names[c] for c in close]))
        return Resolution(None, tuple(closest[:_CLOSEST]))

    def tasks(self, unit: str, role: str | None = None, doc: str | None = None) -> list[Task]:
        """The unit's tasks in document order; `role` lead|responsible, `doc` a 文号 or document id.

        UnknownUnit (with the closest names) for a name that is no unit; BadInput for another role; NotFound for a
        document that is not indexed."""
        resolution = self.resolve_unit(unit)
        if resolution.name is None:
            raise UnknownUnit(_unknown_message(unit, resolution.closest), closest=resolution.closest)
        tasks = self._by_unit.get(resolution.name, [])
        if role:
            tasks = [t for t in tasks if t.role == _role(role)]
        if doc:
            doc_id = self._doc_id(doc)
            tasks = [t for t in tasks if t.doc_id == doc_id]
        return list(tasks)

    def all_tasks(self) -> tuple[Task, ...]:
        return self._tasks

    def mentions(self, text: str) -> list[Unit]:
        """Units named in a text (a question), in order of appearance; the longest name wins where names overlap."""
        cleaned = clean_name(text)
        taken = [False] * len(cleaned)
        found: list[tuple[int, str]] = []
        for name in self._longest_first:
            start = cleaned.find(name)
            while start != -1:
                if not any(taken[start : start + len(name)]):
                    taken[start : start + len(name)] = [True] * len(name)
                    found.append((start, self._names[name]))
                start = cleaned.find(name, start + 1)
        ordered = dict.fromkeys(canonical for _, canonical in sorted(found))
        return [self._units[name] for name in ordered]

    def _doc_id(self, doc: str) -> str:
        wanted = normalize_text(doc.strip())
        for doc_id, doc_no in self.documents:
            if wanted in (doc_id, doc_no):
                return doc_id
        known = "、".join(doc_no or doc_id for doc_id, doc_no in self.documents)
        raise NotFound(f"没有文号为“{_echo(doc)}”的文件。已收录：{known}")

    # -- stored form --------------------------------------------------------------------------------------------
    def to_dict(self) -> dict[str, Any]:
        return {
            "version": LEDGER_VERSION,
            "rules": self.rules,
            "city": self.city,
            "documents": [list(d) for d in self.documents],
            "units": [u.to_dict() for u in self.units()],
            "references": self.references,
            "tasks": [t.to_dict() for t in self._tasks],
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any], vocabulary: UnitVocabulary | None = None) -> Ledger:
        return cls(
            units=[Unit.from_dict(u) for u in data["units"]],
            tasks=[Task.from_dict(t) for t in data["tasks"]],
            references=data["references"],
            documents=[(d[0], d[1]) for d in data["documents"]],
            city=data["city"],
            rules=data["rules"],
            vocabulary=vocabulary,
        )


def _in_order(typed: str, known: str) -> bool:
    rest = iter(known)
    return all(ch in rest for ch in typed)


def _role(role: str) -> Role:
    if role not in ROLES:
        raise BadInput(f"角色“{_echo(role)}”无效，只能是 lead（牵头）或 responsible（负责）。")
    return role


def _echo(text: str) -> str:
    return text if len(text) <= _MAX_ECHO else text[:_MAX_ECHO] + "…"


def _unknown_message(name: str, closest: tuple[str, ...]) -> str:
    message = f"没有找到单位“{_echo(name.strip())}”。"
    return message + (
        f"您要找的是不是：{'、'.join(closest)}？" if closest else "可用 qa-bot units 或 GET /api/units 查看全部单位。"
    )


__all__ = [
    "LEDGER_VERSION",
    "Ledger",
    "ROLES",
    "ROLE_LABELS",
    "Resolution",
    "Role",
    "Task",
    "Unit",
    "default_vocabulary",
]
