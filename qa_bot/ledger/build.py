"""Build the task ledger from the indexed documents: units normalised across spellings, one task per unit and clause.

Input is the stored document shape (documents.json, `qa_bot.index.build.document_to_dict`), so a build made
before the ledger existed gets the same ledger on load as a new build writes at index time.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from typing import Any

from qa_bot.ledger.model import Ledger, Role, Task, Unit, default_vocabulary
from qa_bot.text.normalize import split_sentences
from qa_bot.text.patterns import match_heading
from qa_bot.text.unit_names import CITY_PREFIX, UnitNamer, UnitVocabulary, city_of, clean_name
from qa_bot.text.units import find_note_span, stated_deadlines

_MAX_TASK_CHARS = 60


def build_ledger(documents: list[dict[str, Any]], vocabulary: UnitVocabulary | None = None) -> Ledger:
    """The ledger of every clause whose note names a lead or responsible unit."""
    vocabulary = vocabulary or default_vocabulary()
    issuers = [i for d in documents for i in [d.get("issuer") or "", *(d.get("issuers") or [])] if i]
    city = city_of(issuers)
    namer = UnitNamer(vocabulary, city)

    spellings: Counter[str] = Counter()
    references: Counter[str] = Counter()
    for clause in _clauses_with_units(documents):
        names = {clean_name(n) for n in [*clause["lead_units"], *clause["responsible_units"]]} - {""}
        for name in names:
            (references if namer.is_reference(name) else spellings)[name] += 1
    canonical_of = _group_spellings(spellings, namer)

    tasks: list[Task] = []
    for document in documents:
        for clause in document.get("clauses", []):
            tasks += _clause_tasks(document, clause, canonical_of, namer)

    groups: dict[str, list[str]] = defaultdict(list)
    for spelling, canonical in canonical_of.items():
        groups[canonical].append(spelling)
    short_owners: dict[str, set[str]] = defaultdict(set)
    for canonical, spelled in groups.items():
        for name in spelled:
            for form in namer.short_forms(name):
                short_owners[form].add(canonical)
    known = set(canonical_of)
    units = []
    for canonical, spelled in groups.items():
        mine = [t for t in tasks if t.unit == canonical]
        shorts = [f for n in spelled for f in namer.short_forms(n) if short_owners[f] == {canonical} and f not in known]
        kind = namer.kind(canonical)
        units.append(
            Unit(
                name=canonical,
                aliases=tuple(dict.fromkeys(n for n in [*sorted(spelled), *shorts] if n != canonical)),
                spellings=tuple(sorted(spelled, key=lambda n: (n != canonical, n))),
                kind=kind.label,
                kind_key=kind.key,
                lead=sum(t.role == "lead" for t in mine),
                responsible=sum(t.role == "responsible" for t in mine),
                documents=len({t.doc_id for t in mine}),
            )
        )
    return Ledger(
        units=units,
        tasks=tasks,
        references=dict(sorted(references.items())),
        documents=[(d["doc_id"], d.get("doc_no")) for d in documents],
        city=city,
        rules=vocabulary.version,
        vocabulary=vocabulary,
    )


def _clauses_with_units(documents: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [c for d in documents for c in d.get("clauses", []) if c.get("lead_units") or c.get("responsible_units")]


def _group_spellings(spellings: Counter[str], namer: UnitNamer) -> dict[str, str]:
    """spelling → canonical name. Spellings sharing a key are one unit; a bare name (财政局) joins 市财政局 when the
    corpus has it. The canonical name is the fullest spelling (then the most used)."""
    by_key: dict[str, list[str]] = defaultdict(list)
    for spelling in spellings:
        by_key[namer.key(spelling)].append(spelling)
    for key in [k for k in by_key if not k.startswith(CITY_PREFIX) and CITY_PREFIX + k in by_key]:
        by_key[CITY_PREFIX + key] += by_key.pop(key)
    canonical_of = {}
    for names in by_key.values():
        canonical = max(names, key=lambda n: (len(n), spellings[n], n))
        canonical_of.update({n: canonical for n in names})
    return canonical_of


def _clause_tasks(
    document: dict[str, Any], clause: dict[str, Any], canonical_of: dict[str, str], namer: UnitNamer
) -> list[Task]:
    lead = _canonical(clause.get("lead_units") or [], canonical_of)
    responsible = [u for u in _canonical(clause.get("responsible_units") or [], canonical_of) if u not in lead]
    if not lead and not responsible:
        return []
    named = [clean_name(n) for n in [*(clause.get("lead_units") or []), *(clause.get("responsible_units") or [])]]
    references = tuple(dict.fromkeys(n for n in named if n and namer.is_reference(n)))
    text = clause.get("text") or ""
    deadline = clause.get("deadline") or "、".join(stated_deadlines(_without_note(text))) or None
    common = {
        "doc_id": document["doc_id"],
        "doc_no": document.get("doc_no"),
        "title": document.get("plan_title") or document.get("title") or "",
        "date": document.get("date"),
        "issue": document.get("issue"),
        "section": clause.get("section") or "",
        "chunk_id": clause["chunk_id"],
        "task": task_of(clause),
        "references": references,
        "deadline": deadline,
        "text": text,
    }
    tasks = []
    for role, units in (("lead", lead), ("responsible", responsible)):
        for unit in units:
            tasks.append(
                Task(
                    unit=unit,
                    role=_as_role(role),
                    co_lead=tuple(u for u in lead if u != unit),
                    co_responsible=tuple(u for u in responsible if u != unit),
                    **common,
                )
            )
    return tasks


def _canonical(names: list[str], canonical_of: dict[str, str]) -> list[str]:
    return list(dict.fromkeys(canonical_of[c] for n in names if (c := clean_name(n)) in canonical_of))


def _as_role(role: str) -> Role:
    return "lead" if role == "lead" else "responsible"


def _without_note(text: str) -> str:
    span = find_note_span(text)
    return text[: span[0]] if span else text


def task_of(clause: dict[str, Any]) -> str:
    """What the clause asks for: its own heading without the number (强化农村地区邮政体系支撑作用), else its first
    sentence, cut to a readable length."""
    path = clause.get("section_path") or []
    if path and clause.get("kind") in ("item", "paragraph"):
        heading = match_heading(path[-1])
        title = (heading.rest if heading else path[-1]).strip().rstrip("。")
    else:
        sentences = split_sentences(_without_note(clause.get("text") or ""))
        title = sentences[0].strip().rstrip("。；") if sentences else ""
    return title if len(title) <= _MAX_TASK_CHARS else title[: _MAX_TASK_CHARS - 1] + "…"


__all__ = ["build_ledger", "task_of"]
