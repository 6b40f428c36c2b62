"""Parse one gazette file or a whole corpus folder into documents; one bad file never stops the others."""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field
from pathlib import Path

from qa_bot.errors import CorpusError
from qa_bot.parse.basis import find_basis, first_article_basis
from qa_bot.parse.formats import GAZETTE_SUFFIXES, format_for_name
from qa_bot.parse.header import Header, Masthead, header_start, read_header, read_masthead
from qa_bot.parse.metadata import metadata_line_set
from qa_bot.parse.model import Clause, Document
from qa_bot.parse.paragraphs import (
    Line,
    Paragraph,
    blank_non_text,
    build_paragraphs,
    contents_lines,
    drop_cell_bars,
    drop_field_labels,
    holds_run_together_articles,
    is_heading_like,
    split_lines,
    split_run_together,
)
from qa_bot.parse.reader import read_gazette_with_notes
from qa_bot.parse.report import WARNING_TEXT, FileReport, ParseWarning, make_warning
from qa_bot.parse.starts import DocStart, find_body_start, find_doc_starts, find_title_start
from qa_bot.parse.structure import build_structure
from qa_bot.text.normalize import compact, normalize_text
from qa_bot.text.patterns import ISSUER_MASTHEAD, LOOSE_DOC_START, match_heading, parse_date

_PAGE_LABEL_MAX = 4  # a line this short under a title is the page's label ("政策"), not the document's text
_RUN_TOGETHER_PARTS = 5  # parts of a long line that make it a whole document run together
_MASTHEAD_LINE_MAX = 40  # a masthead or contents line is short; a longer line before the first document is text
_PART_RANK = 4  # "一、": the outermost numbered parts of a document

log = logging.getLogger(__name__)


@dataclass
class CorpusParse:
    """Every document parsed from a corpus folder, and the errors of the files that could not be parsed."""

    documents: list[Document] = field(default_factory=list)
    errors: list[CorpusError] = field(default_factory=list)
    files: list[Path] = field(default_factory=list)
    reports: list[FileReport] = field(default_factory=list)  # one per file, in file order

    @property
    def warnings(self) -> list[ParseWarning]:
        return [w for r in self.reports for w in r.warnings]

    def by_id(self) -> dict[str, Document]:
        return {d.doc_id: d for d in self.documents}


def doc_id_for(doc_no: str | None, source: str, position: int) -> str:
    """A URL-safe, stable id: 锦政办发〔2022〕20号 → 锦政办发-2022-20; no 文号 → file stem and position."""
    if doc_no:
        m = re.match(r"(.+?)〔(\d{4})〕第?(\d+)号", doc_no)
        if m:
            return f"{m.group(1)}-{m.group(2)}-{m.group(3)}"
        m = re.match(r"(.+?令)第(\d+)号", doc_no)  # 内蒙古自治区人民政府令第82号 → 内蒙古自治区人民政府令-82
        if m:
            return f"{m.group(1)}-{m.group(2)}"
        m = re.match(r"（(\d{2,4})）(.+?)第?(\d+)号", doc_no)  # （78）交公路字412号 → 交公路字-78-412
        if m:
            return f"{m.group(2)}-{m.group(1)}-{m.group(3)}"
    return f"{Path(source).stem}-{position}"


def _run_together_after(lines: list[Line], starts: list[DocStart], metadata: set[int]) -> bool:
    """The one document's 文号 (or title) read from the page's fields, and the document itself after them — past the
    page's own fields and labels ("政策", "发布时间:…") — on one long line that lost its line breaks (addressees, text,
    signature and body separated by spaces): it is split as one without a header is."""
    if len(starts) != 1:
        return False
    below = next(
        (
            line
            for i, line in enumerate(lines[starts[0].line + 1 :], start=starts[0].line + 1)
            if not line.is_blank and i not in metadata and len(line.text.strip()) > _PAGE_LABEL_MAX
        ),
        None,
    )
    return below is not None and len(split_run_together([below])) >= _RUN_TOGETHER_PARTS


def parse_text(text: str, source: str) -> list[Document]:
    """Parse the text of one gazette issue. Raises CorpusError when no document header is found."""
    return parse_text_with_warnings(text, source)[0]


def parse_text_with_warnings(text: str, source: str) -> tuple[list[Document], list[ParseWarning]]:
    """Documents of one gazette issue and the parse warnings (file and line of what was only half understood)."""
    lines = blank_non_text(drop_cell_bars(drop_field_labels(split_lines(text))))
    metadata = metadata_line_set(lines)
    starts = _doc_starts(lines, None, metadata)
    run_together = holds_run_together_articles(lines) or _run_together_after(lines, starts, metadata)
    if not starts or starts[0].headerless or run_together:
        # Found by nothing but its text, or articles run together: a document that lost its line breaks may show its
        # 文号 and articles once split — or, found by nothing at all, its addressees and signature date on lines of
        # their own.
        split = split_run_together(lines)
        split_metadata = metadata_line_set(split)
        split_starts = _doc_starts(split, None, split_metadata)
        if split_starts and (not split_starts[0].headerless or not starts):
            lines, metadata, starts = split, split_metadata, split_starts
    if not starts:
        raise CorpusError(
            "未找到任何公文头（单独成行的文号如“锦政发〔2022〕17号”，或首行的公文标题），无法切分文件",
            path=source,
            line=1,
        )
    first_header = header_start(lines, starts[0], 0, metadata)
    masthead = read_masthead(lines, first_header)
    starts = _doc_starts(lines, masthead.toc_lines, metadata)
    header_starts = []
    floor = floor_of(masthead)
    for s in starts:
        header_starts.append(header_start(lines, s, floor, metadata))
        floor = s.line + 1
    documents = []
    warnings = _orphan_text(lines, source, floor_of(masthead), header_starts[0])
    for k, (start, doc_start) in enumerate(zip(header_starts, starts, strict=True)):
        stop = header_starts[k + 1] if k + 1 < len(starts) else len(lines)
        header = read_header(lines, start, doc_start, stop, metadata, floor_of(masthead) if k == 0 else None)
        doc_id = doc_id_for(header.doc_no, source, k + 1)
        body_lines = lines[header.body_line : stop]
        contents = contents_lines(body_lines)
        body_lines = [
            Line("", ln.start, ln.start, ln.number) if n in contents else ln for n, ln in enumerate(body_lines)
        ]
        body_paragraphs = build_paragraphs(body_lines)
        notice_paragraphs = build_paragraphs([lines[i] for i in header.notice])
        no_body = not any(not ln.is_blank for ln in body_lines)
        if header.addressees is None and no_body and _has_parts(notice_paragraphs):
            # A 通告 (to no addressee) whose whole text stands above its signature, in parts ("一、禁火时间" /
            # "2024年9月30日至…"): its parts are sections, as a body's are
            body_paragraphs, notice_paragraphs = notice_paragraphs, []
        headings, clauses, other_spans = build_structure(doc_id, body_paragraphs, header.title)
        notice_clauses = [_notice_clause(doc_id, n, p) for n, p in enumerate(notice_paragraphs, start=1)]
        toc = masthead.toc.get(header.doc_no or "")
        documents.append(
            Document(
                doc_id=doc_id,
                doc_no=header.doc_no,
                title=header.title,
                plan_title=header.plan_title,
                signers=tuple(header.signers),
                issuer="、".join(header.issuers),
                issuers=tuple(header.issuers),
                addressees=header.addressees,
                date=header.date,
                publicity=header.publicity,
                source=source,
                gazette=masthead.gazette,
                issue=masthead.issue,
                year=document_year(header.date, masthead.issue, header.doc_no),
                category=toc.category if toc else None,
                page=toc.page if toc else None,
                span=(lines[start].start, lines[stop - 1].end if stop > 0 else 0),
                body_start=lines[header.body_line].start if header.body_line < len(lines) else len(text),
                header_text=text[
                    lines[start].start : lines[header.body_line].start if header.body_line < len(lines) else len(text)
                ],
                header_spans=tuple(header.spans)
                + tuple((body_lines[n].start, lines[header.body_line + n].end) for n in contents)
                + tuple(other_spans),
                headings=headings,
                clauses=notice_clauses + clauses,
                basis=find_basis(
                    [c.text for c in notice_clauses + clauses if c.kind in ("notice", "preamble")][:4],
                    [header.title, header.plan_title],
                )
                or first_article_basis([c.text for c in clauses[:2]], [header.title, header.plan_title]),
                # an order's note under the title may say it ("(…令第184号发布自2013年12月1日起施行)")
                in_force=header.in_force
                or stated_in_force(
                    [c.text for c in notice_clauses + clauses] + [normalize_text(lines[doc_start.line].text)]
                ),
                expires=header.expires,
                published=header.published,
            )
        )
        warnings += _document_warnings(lines, source, doc_start, header, documents[-1], stop, metadata)
    return documents, warnings


# "现予公布，自2002年1月1日起施行", "本办法自二〇一九年七月一日起实施", "定于一九七八年四月一日起试行"
_TAKES_EFFECT = re.compile(r"(自|从|定于)\s*(?P<date>[^，。；,起]{6,20}?日)\s*起\s*(施行|实施|执行|生效|试行)")


def stated_in_force(texts: list[str]) -> str | None:
    """The date a document's text says it takes effect (ISO), the first one it states."""
    for text in texts:
        for m in _TAKES_EFFECT.finditer(text):
            if date := parse_date(m["date"]):
                return date
    return None


def _doc_starts(lines: list[Line], toc_lines: tuple[int, int] | None, metadata: set[int]) -> list[DocStart]:
    """Each document's 文号 line; a file without any 文号 is one document, found by the title on its first line, or —
    with neither — by its first line, when it reads as a government document (addressees, a date, numbered items)."""
    starts = find_doc_starts(lines, toc_lines)
    if not starts and (titled := find_title_start(lines, metadata)) is not None:
        starts = [titled]
    if not starts and (bare := find_body_start(lines, metadata)) is not None:
        starts = [bare]
    return starts


def document_year(date: str | None, issue: str | None, doc_no: str | None) -> int | None:
    """2022 from "2022-12-09", else from "2022年第4期", else from "锦政发〔2022〕17号"."""
    for text in (date, issue, doc_no):
        m = re.search(r"(19|20)\d{2}", text or "")
        if m:
            return int(m.group(0))
    return None


def floor_of(masthead: Masthead) -> int:
    return (masthead.toc_lines[1] + 1) if masthead.toc_lines else 0


def _orphan_text(lines: list[Line], source: str, floor: int, first_header: int) -> list[ParseWarning]:
    """Sentences before the first document (after the masthead and contents) belong to no document."""
    warnings: list[ParseWarning] = []
    previous_orphan = False
    for line in lines[floor:first_header]:
        text = normalize_text(line.text)
        orphan = bool(text) and ("。" in text or "；" in text or len(text) > _MASTHEAD_LINE_MAX)
        if orphan and not previous_orphan:
            warnings.append(make_warning(source, line.number, "orphan_text", text))
        previous_orphan = orphan or (previous_orphan and not text)
    return warnings


def _document_warnings(
    lines: list[Line], source: str, start: DocStart, header: Header, document: Document, stop: int, metadata: set[int]
) -> list[ParseWarning]:
    number = lines[start.line].number
    warnings = [make_warning(source, lines[i].number, "header_line", lines[i].text) for i in header.unknown]
    for code, missing in (
        ("no_doc_no", not header.doc_no),
        ("no_title", not header.title),
        ("no_issuer", not header.issuers),
        ("no_date", not header.date),
    ):
        if missing:
            # A text found by its first line alone was found by no title either: the message says so.
            text = WARNING_TEXT["no_header"] if code == "no_doc_no" and start.headerless else None
            warnings.append(make_warning(source, number, code, header.doc_no, message=text))
    if not document.clauses:
        warnings.append(make_warning(source, number, "no_clauses", header.doc_no))
    for line in lines[header.body_line : stop]:
        if len(line.text.strip()) <= _MASTHEAD_LINE_MAX and (
            LOOSE_DOC_START.match(line.text) or ISSUER_MASTHEAD.match(line.text)
        ):
            warnings.append(make_warning(source, line.number, "missed_doc_no", line.text))
    return warnings


def _has_parts(paragraphs: list[Paragraph]) -> bool:
    """Two headings or more of the outermost numbered form, each a short title ("一、禁火时间", "二、禁火区域")."""
    texts = [normalize_text(p.raw) for p in paragraphs]
    heads = [t for t in texts if (m := match_heading(t)) is not None and m.rank == _PART_RANK and is_heading_like(t)]
    return len(heads) >= 2


def _notice_clause(doc_id: str, number: int, paragraph: Paragraph) -> Clause:
    from qa_bot.text.normalize import normalize_text

    return Clause(
        chunk_id=f"{doc_id}/notice-p{number}",
        doc_id=doc_id,
        section_path=(),
        text=normalize_text(paragraph.raw),
        kind="notice",
        span=(paragraph.start, paragraph.end),
        joins=paragraph.joins,
    )


def parse_file(path: Path) -> list[Document]:
    return parse_file_with_report(path)[0]


def parse_file_with_report(path: Path, name: str | None = None) -> tuple[list[Document], FileReport]:
    """Documents of one file of any supported format and its parse report; CorpusError when it cannot be read."""
    text, how, notes = read_gazette_with_notes(path)
    if how != "utf-8":
        log.info("%s: read as %s", path, how)
    documents, warnings = parse_text_with_warnings(text, path.name)
    unread = [make_warning(path.name, line, "unreadable_part", message=note) for line, note in notes]
    return documents, FileReport.of(name or path.name, how, documents, unread + warnings)


def corpus_files(corpus_dir: Path) -> list[Path]:
    """The gazette files of a corpus folder, sorted by name (hidden files ignored)."""
    if not corpus_dir.is_dir():
        raise CorpusError("语料目录不存在或不是目录", path=str(corpus_dir))
    return sorted(
        p
        for p in corpus_dir.rglob("*")
        if p.is_file()
        and p.suffix.lower() in GAZETTE_SUFFIXES
        and not any(part.startswith(".") for part in p.relative_to(corpus_dir).parts)
    )


def parse_corpus(corpus_dir: Path) -> CorpusParse:
    """Parse every gazette file in corpus_dir. Document ids are made unique across issues."""
    result = CorpusParse(files=corpus_files(corpus_dir))
    seen: set[str] = set()
    first_by_no: dict[str, Document] = {}
    for path in result.files:
        name = path.relative_to(corpus_dir).as_posix()
        try:
            documents, report = parse_file_with_report(path, name)
        except CorpusError as exc:
            log.warning("%s", exc)
            result.errors.append(exc)
            result.reports.append(
                FileReport(path=name, format=format_for_name(path.name), error=exc.reason, error_line=exc.line)
            )
            continue
        result.reports.append(report)
        for document in documents:
            first = first_by_no.get(document.doc_no or "")
            if first is not None and is_reprint(first, document):
                report.reprints.append(document.doc_no or document.doc_id)
                continue
            if document.doc_no:
                first_by_no.setdefault(document.doc_no, document)
            if document.doc_id in seen:
                base, k = f"{document.doc_id}~{Path(document.source).stem}", 2
                candidate = base
                while candidate in seen:
                    candidate, k = f"{base}-{k}", k + 1
                _rename(document, candidate)
            seen.add(document.doc_id)
            result.documents.append(document)
    return result


def is_reprint(first: Document, other: Document) -> bool:
    """The same document printed again (another issue, a collection): same 文号, title and clause texts."""
    return (
        first.doc_no == other.doc_no
        and compact(first.display_title) == compact(other.display_title)
        and [compact(c.text) for c in first.clauses] == [compact(c.text) for c in other.clauses]
    )


def _rename(document: Document, new_id: str) -> None:
    """Give a document that repeats another issue's 文号 an id of its own (its clause ids follow)."""
    from dataclasses import replace

    old = document.doc_id
    document.doc_id = new_id
    document.clauses = [replace(c, doc_id=new_id, chunk_id=new_id + c.chunk_id[len(old) :]) for c in document.clauses]


__all__ = [
    "CorpusParse",
    "corpus_files",
    "doc_id_for",
    "parse_corpus",
    "parse_file",
    "parse_file_with_report",
    "parse_text",
    "parse_text_with_warnings",
]
