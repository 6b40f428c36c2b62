"""Shared helpers for the parser tests: source offsets → line numbers, span checks, and small gazette builders."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from qa_bot.parse.model import Document
from qa_bot.text.normalize import compact

REPO = Path(__file__).resolve().parents[1]
GAZETTE = REPO / "corpus" / "jinzhou-gazette-2022-04.txt"

_CJK = re.compile(r"[\u4e00-\u9fff]")


def has_cjk(text: str) -> bool:
    return bool(_CJK.search(text))


def line_of(text: str, offset: int) -> int:
    """1-based line number of a character offset in text."""
    return text.count("\n", 0, offset) + 1


def join_lines(text: str, joins: tuple[int, ...]) -> list[int]:
    return [line_of(text, j) for j in joins]


def joined_source(text: str, span: tuple[int, int]) -> str:
    """The source text of a span with its line breaks (and the blank lines of page breaks) removed."""
    return "".join(part.strip() for part in text[span[0] : span[1]].split("\n"))


def span_problems(text: str, document: Document) -> list[str]:
    """What is wrong with how the header spans and clause spans cover the document (empty list: nothing).

    The spans, sorted, must not overlap, must stay inside the document, and everything between them
    must be whitespace, so that together they reproduce the document's text.
    """
    problems: list[str] = []
    spans = sorted([tuple(s) for s in document.header_spans] + [c.span for c in document.clauses])
    start, end = document.span
    pos = start
    for s, e in spans:
        if s < start or e > end:
            problems.append(f"span {s}-{e} (line {line_of(text, s)}) outside document {start}-{end}")
        if s < pos:
            problems.append(f"span {s}-{e} (line {line_of(text, s)}) overlaps the previous span ending at {pos}")
        elif text[pos:s].strip():
            problems.append(f"text not covered by any span at line {line_of(text, pos)}: {text[pos:s].strip()[:40]!r}")
        pos = max(pos, e)
    if text[pos:end].strip():
        problems.append(f"text not covered by any span at line {line_of(text, pos)}: {text[pos:end].strip()[:40]!r}")
    covered = "".join(text[s:e] for s, e in spans)
    if not problems and re.sub(r"\s+", "", covered) != re.sub(r"\s+", "", text[start:end]):
        problems.append("concatenated spans differ from the document text")
    return problems


def without_non_text(text: str) -> str:
    """The text with the lines the parser reads as no text (page numbers, a portal's buttons) blanked, offsets kept."""
    from qa_bot.parse.paragraphs import blank_non_text, split_lines

    lines = split_lines(text)
    kept = {line.number for line in blank_non_text(lines) if line.text}
    return "\n".join(line.text if line.number in kept or not line.text else " " * len(line.text) for line in lines)


def clause_text_problems(text: str, document: Document) -> list[str]:
    """Clauses (other than table rows) whose text is not the normalised source of their span."""
    problems = []
    for clause in document.clauses:
        if clause.kind == "table_row":
            continue
        if compact(joined_source(text, clause.span)) != re.sub(r"\s+", "", clause.text):
            problems.append(f"{clause.chunk_id} (line {line_of(text, clause.span[0])}): {clause.text[:30]!r}")
    return problems


# ---------------------------------------------------------------------------------------------
# Small gazettes written inside the tests. Paragraphs are separated by one blank line, as in the
# real gazette; a page break inside a paragraph is simply a paragraph cut in two.


def page(*paragraphs: str) -> str:
    return "\n\n".join(paragraphs) + "\n"


@dataclass
class Doc:
    """One document of a test gazette."""

    doc_no: str = "某政发〔2023〕1号"
    body: list[str] = field(
        default_factory=lambda: [
            "为做好测试工作，制定本方案。",
            "一、工作任务",
            "（一）加强组织领导。成立工作专班，明确责任分工。",
        ]
    )
    plan: str | None = "某市安全生产专项整治实施方案"
    title: str | None = None
    issuers: tuple[str, ...] = ("某市人民政府",)
    masthead: str | None = "某市人民政府文件"
    addressees: str | None = "各区人民政府，市政府有关部门："
    notice: str | None = None
    date: str = "2023年3月1日"
    publicity: str | None = "（此件公开发布）"
    category: str = "市政府文件"
    toc_page: int = 3

    @property
    def full_title(self) -> str:
        return self.title or f"某市人民政府关于印发{self.plan}的通知"

    def paragraphs(self) -> list[str]:
        out = [self.masthead] if self.masthead else []
        out += [self.doc_no, self.full_title]
        if self.addressees:
            out.append(self.addressees)
        out.append(self.notice or f"现将《{self.plan}》印发给你们，请认真贯彻执行。")
        out += [*self.issuers, self.date]
        if self.publicity:
            out.append(self.publicity)
        if self.plan:
            out.append(self.plan)
        return out + list(self.body)


def gazette(*docs: Doc, toc: bool = True, issue: str = "2023年第2期（总第8期）") -> str:
    """A whole gazette issue: masthead, table of contents (optional) and the documents."""
    paragraphs: list[str] = []
    if toc:
        paragraphs += ["某市人民政府公报", issue, "某市人民政府办公室主办", "目 录"]
        category = None
        for d in docs:
            if d.category != category:
                paragraphs.append(f"【{d.category}】")
                category = d.category
            paragraphs += [d.full_title, f"({d.doc_no}) ({d.toc_page})"]
    for d in docs:
        paragraphs += d.paragraphs()
    return page(*paragraphs)


def write(path: Path, content: str | bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    return path


def parse_one(folder: Path, text: str) -> Document:
    """The one document of a gazette text written to a file in folder."""
    from qa_bot.parse import parse_file

    [document] = parse_file(write(folder / "doc.txt", text))
    return document


def check_batch_file(batch: Path, name: str, document: Document) -> None:
    """A batch file's one document: header and clause spans together are its text as read, none twice."""
    from qa_bot.parse.reader import read_gazette

    text = without_non_text(read_gazette(batch / name)[0])
    assert span_problems(text, document) == []
    assert clause_text_problems(text, document) == []


def clause_by_section(document: Document, section: str, kind: str | None = None):
    found = [c for c in document.clauses if c.section == section and (kind is None or c.kind == kind)]
    assert len(found) == 1, (
        f"expected one clause in {section!r}, found {[c.chunk_id for c in found]} among"
        f" {[c.section for c in document.clauses]}"
    )
    return found[0]


def clause_containing(document: Document, words: str):
    found = [c for c in document.clauses if compact(words) in compact(c.text)]
    assert len(found) == 1, f"expected one clause containing {words!r}, found {[c.chunk_id for c in found]}"
    return found[0]


# --- a batch's documents against a person's reading (tests/fixtures/cities*/expected.json) ---------------------------


def check_document_reading(document: Document, reading: dict) -> None:
    """文号, title, issuer, date, the attached title and (where read) the basis 文号 as a person reads them: a 文号
    in its one form (泰政发[2007]23号 is 泰政发〔2007〕23号), a traditional copy's words in simplified characters, a
    title printed over two lines read as one."""
    from qa_bot.parse.starts import canonical_doc_no
    from qa_bot.text.normalize import in_simplified, normalize_text, without_pinyin

    def read(text: str) -> str:
        return in_simplified(normalize_text(without_pinyin(text)))

    assert document.doc_no == (canonical_doc_no(compact(read(reading["doc_no"]))) if reading["doc_no"] else None)
    assert document.title == re.sub(r"\s", "", read(reading["title"]))
    assert document.issuer == read(reading["issuer"])
    assert document.date == (reading["date"] or None)
    if "attached_title" in reading:  # the notice prints no title of its own: the document is known by this one
        assert document.display_title == read(reading["attached_title"])
    if "basis" in reading:
        assert [b.doc_no for b in document.basis if b.doc_no] == reading["basis"]


def check_note_reading(document: Document, example: dict) -> None:
    """The clause starting with the example's text has the lead and responsible units a person reads in its note (a
    copy's words in the simplified characters it is read in)."""
    from qa_bot.text.normalize import in_simplified, normalize_text, without_pinyin

    def read(text: str) -> str:
        return in_simplified(normalize_text(without_pinyin(text)))

    start = compact(read(example["text_start"]))
    [clause] = [c for c in document.clauses if compact(c.text).startswith(start)]
    assert clause.lead_units == tuple(read(u) for u in example["lead"])
    assert clause.responsible_units == tuple(read(u) for u in example["responsible"])


def check_units_in_sentence(document: Document, example: dict) -> None:
    """Units a sentence names are no responsibility note: the clause saying it is found whole, names in its text."""
    from qa_bot.text.normalize import normalize_text

    start = compact(normalize_text(example["text_start"]))
    [clause] = [c for c in document.clauses if start in compact(c.text)]
    for unit in example["lead"] + example["responsible"]:
        assert compact(normalize_text(unit)) in compact(clause.text)
