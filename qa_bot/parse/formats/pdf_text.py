"""A PDF with a text layer → text: running headers, footers and page numbers removed, wrapped lines rejoined into
paragraphs (a new paragraph starts indented, after a short line or a wider gap), table rows tab-separated.

Pages are joined by a blank line; a paragraph cut by a page break is joined back by the text parser's page-break
repair (qa_bot.parse.paragraphs), exactly as for a .txt copy of the gazette. A PDF without any text is a scan and is
refused ("扫描件，没有文字层"): indexing it would add an empty issue.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from itertools import pairwise
from statistics import median
from typing import TYPE_CHECKING

from qa_bot.errors import CorpusError

if TYPE_CHECKING:
    from pypdfium2 import PdfPage

MARGIN_SHARE = 0.09  # top and bottom share of the page where running headers and page numbers stand
_PAGE_NUMBER = re.compile(
    r"^[\s\-—–－·]*(?:第\s*)?\d{1,4}(?:\s*页)?(?:\s*[/／]\s*\d{1,4}|\s*共\s*\d{1,4}\s*页)?[\s\-—–－·]*$"
)
_CELL_GAP = 1.5  # a horizontal gap wider than this many character heights separates table cells
_PARAGRAPH_GAP = 1.8  # a vertical gap wider than this many usual line pitches starts a new paragraph
_GRAPHICS = (2, 3)  # page object types: FPDF_PAGEOBJ_PATH, FPDF_PAGEOBJ_IMAGE


@dataclass(frozen=True)
class _Run:
    left: float
    bottom: float
    right: float
    top: float
    text: str


@dataclass
class _Line:
    runs: list[_Run]

    @property
    def left(self) -> float:
        return min(r.left for r in self.runs)

    @property
    def right(self) -> float:
        return max(r.right for r in self.runs)

    @property
    def top(self) -> float:
        return max(r.top for r in self.runs)

    @property
    def bottom(self) -> float:
        return min(r.bottom for r in self.runs)

    @property
    def height(self) -> float:
        return median(r.top - r.bottom for r in self.runs)

    def cells(self) -> list[tuple[float, str]]:
        """(left edge, text) of the line's runs, split where a gap wider than a few characters separates them."""
        runs = sorted(self.runs, key=lambda r: r.left)
        cells = [(runs[0].left, runs[0].text)]
        for previous, run in pairwise(runs):
            if run.left - previous.right > _CELL_GAP * self.height:
                cells.append((run.left, run.text))
            else:
                cells[-1] = (cells[-1][0], _join(cells[-1][1], run.text))
        return cells

    @property
    def text(self) -> str:
        return "".join(text for _, text in self.cells())


def _join(left: str, right: str) -> str:
    """Join two pieces of one line or paragraph: Latin words keep a space between them; Chinese and numbers
    wrapped at the line end ("3" + "3号") do not."""
    if left and right and left[-1].isascii() and left[-1].isalpha() and right[0].isascii() and right[0].isalpha():
        return f"{left} {right}"
    return left + right


def _page_lines(page: PdfPage) -> tuple[list[_Line], float]:
    """The page's text runs grouped into visual lines, top to bottom, and the page height."""
    textpage = page.get_textpage()
    try:
        runs = []
        for k in range(textpage.count_rects()):
            left, bottom, right, top = textpage.get_rect(k)
            text = textpage.get_text_bounded(left, bottom, right, top).replace("\r", "").replace("\n", "").strip()
            if text:
                runs.append(_Run(left, bottom, right, top, text))
    finally:
        textpage.close()
    lines: list[_Line] = []
    for run in sorted(runs, key=lambda r: (-(r.top + r.bottom) / 2, r.left)):
        middle = (run.top + run.bottom) / 2
        if lines and abs(middle - (lines[-1].top + lines[-1].bottom) / 2) < 0.5 * max(
            lines[-1].height, run.top - run.bottom
        ):
            lines[-1].runs.append(run)
        else:
            lines.append(_Line([run]))
    return lines, page.get_height()


def _margin_key(line: _Line) -> str:
    return re.sub(r"\d+", "#", line.text)


def _running_lines(pages: list[tuple[list[_Line], float]]) -> set[str]:
    """Texts (digits masked) that stand in a page's top or bottom margin on at least half of the pages."""
    counts: Counter[str] = Counter()
    for lines, height in pages:
        keys = {_margin_key(line) for line in lines if _in_margin(line, height)}
        counts.update(keys)
    needed = max(2, len(pages) // 2)
    return {key for key, count in counts.items() if count >= needed}


def _in_margin(line: _Line, height: float) -> bool:
    return line.bottom > height * (1 - MARGIN_SHARE) or line.top < height * MARGIN_SHARE


def _columns(lefts: list[float], size: float) -> list[float]:
    starts: list[float] = []
    for left in sorted(lefts):
        if not starts or left - starts[-1] > size:
            starts.append(left)
    return starts


def _table_rows(rows: list[_Line], size: float, carried: list[float]) -> tuple[list[str], list[float]]:
    """Consecutive table lines → tab-separated rows with an empty cell where a column is blank in that row.
    A table continued from the previous page keeps that page's columns (carried)."""
    starts = _columns(carried + [left for row in rows for left, _ in row.cells()], size)
    out = []
    for row in rows:
        cells = [""] * len(starts)
        for left, text in row.cells():
            column = max(k for k, start in enumerate(starts) if start <= left + size)
            cells[column] = _join(cells[column], text)
        out.append("\t".join(cells))
    return out, starts


@dataclass(frozen=True)
class _Edges:
    """The text block's left and right edges over the whole document (a page may hold only indented lines)."""

    left: float
    right: float


def _paragraphs(lines: list[_Line], edges: _Edges, carried: list[float]) -> tuple[list[str], list[float]]:
    """Rejoin a page's wrapped lines into paragraphs; each table row stays one tab-separated line. Returns the
    paragraphs and, when the page ends inside a table, that table's columns."""
    if not lines:
        return [], carried
    size = median(line.height for line in lines)
    gaps = [a.bottom - b.top for a, b in pairwise(lines) if a.bottom > b.top]
    usual_gap = median(gaps) if gaps else size
    paragraphs: list[str] = []
    table: list[_Line] = []
    columns: list[float] = []
    previous: _Line | None = None
    for line in [*lines, None]:
        if line is not None and len(line.cells()) > 1:
            table.append(line)
            previous = line
            continue
        if table:
            rows, columns = _table_rows(table, size, carried if not paragraphs else [])
            paragraphs += rows
            table = []
        if line is None:
            break
        columns = []
        starts = (
            previous is None
            or len(previous.cells()) > 1
            or line.left > edges.left + size  # indented first line, or a centred title
            or previous.right < edges.right - 2 * size  # the line above ended short
            or (previous.bottom - line.top) > _PARAGRAPH_GAP * max(usual_gap, 0.1 * size) + 0.5 * size
        )
        if starts:
            paragraphs.append(line.text)
        else:
            paragraphs[-1] = _join(paragraphs[-1], line.text)
        previous = line
    return paragraphs, columns


def pdf_to_text(data: bytes, path: str) -> str:
    """Text of every page without running headers, footers and page numbers; pages joined by a blank line."""
    return pdf_to_text_with_notes(data, path)[0]


def pdf_to_text_with_notes(data: bytes, path: str) -> tuple[str, list[tuple[int, str]]]:
    """The text, and (line, note) for each page that shows something but has no text layer (a scanned page in an
    otherwise typeset issue): its content is missing from the text and the parse report says where."""
    import pypdfium2 as pdfium

    try:
        document = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        raise CorpusError(f"PDF 文件已损坏或已加密，无法读取（{exc}）", path=path) from None
    try:
        pages = []
        drawn: list[bool] = []  # the page shows an image or a drawing (a scan is an image; text is not counted)
        for index in range(len(document)):
            page = document[index]
            try:
                pages.append(_page_lines(page))
                drawn.append(any(obj.type in _GRAPHICS for obj in page.get_objects()))
            finally:
                page.close()
    finally:
        document.close()
    if not any(lines for lines, _ in pages):
        raise CorpusError(
            "扫描件，没有文字层（PDF 中没有可提取的文字），已跳过；请提供带文字层的 PDF 或文本文件", path=path
        )
    running = _running_lines(pages)
    bodies = [
        [
            line
            for line in lines
            if not (_in_margin(line, height) and (_PAGE_NUMBER.match(line.text) or _margin_key(line) in running))
        ]
        for lines, height in pages
    ]
    text_lines = [line for body in bodies for line in body if len(line.cells()) == 1]
    edges = _Edges(
        min((line.left for line in text_lines), default=0.0), max((line.right for line in text_lines), default=0.0)
    )
    texts: list[str] = []
    notes: list[tuple[int, str]] = []
    columns: list[float] = []
    for number, (body, shows) in enumerate(zip(bodies, drawn, strict=True), start=1):
        if not body and shows:
            line = sum(t.count("\n") + 2 for t in texts) + 1
            notes.append((line, f"PDF 第 {number} 页没有文字层（扫描页），该页内容未收录"))
        paragraphs, columns = _paragraphs(body, edges, columns)
        texts.append("\n".join(paragraphs))
    return "\n\n".join(texts), notes


__all__ = ["pdf_to_text", "pdf_to_text_with_notes"]
