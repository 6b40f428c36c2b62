"""Real PDF, Word and HTML files made from a text gazette, laid out as offices publish them: a PDF in a CJK font
from Debian's fonts-noto-cjk with a running header and page numbers, first lines indented, paragraphs wrapped
and cut by page breaks; a Word file with paragraphs and real tables; a portal article page with navigation."""

from __future__ import annotations

import html
from pathlib import Path

CJK_FONT = Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc")
RUNNING_HEADER = "锦州市人民政府公报"
_BODY_PT = 11
_TABLE_PT = 7
_MARGIN_MM = 22
_COLUMN_GAP_MM = 7
_PT_MM = 0.3528


def _source_lines(text: str) -> list[str]:
    """The gazette's non-blank lines (a blank line only separates paragraphs or marks a page break)."""
    return [line.rstrip("\r") for line in text.split("\n") if line.strip()]


def _blocks(text: str) -> list[tuple[str, list[list[str]]]]:
    """The gazette as ("paragraph", [[line]]) and ("table", rows of cells) blocks in order."""
    blocks: list[tuple[str, list[list[str]]]] = []
    for line in _source_lines(text):
        if "\t" in line:
            cells = [cell.strip() for cell in line.split("\t")]
            if blocks and blocks[-1][0] == "table":
                blocks[-1][1].append(cells)
            else:
                blocks.append(("table", [cells]))
        else:
            blocks.append(("paragraph", [[line.strip()]]))
    return blocks


def _printable(text: str) -> str:
    """Subscript digits the CJK font has no glyph for are printed as digits (the parser reads both alike)."""
    return text.translate(str.maketrans("₀₁₂₃₄₅₆₇₈₉", "0123456789"))


def text_to_pdf(text: str, path: Path, running_header: str = RUNNING_HEADER, scanned_pages: int = 0) -> Path:
    """Lay out a text gazette as an A4 PDF: each paragraph wrapped with a two-character first-line indent, table
    rows in columns, a running header on top and "— N —" at the bottom of every page; then `scanned_pages` pages
    that show their content only as drawing (like a scanned page: no text layer)."""
    from fpdf import FPDF

    class Gazette(FPDF):
        def header(self) -> None:
            self.set_font("cjk", size=9)
            self.set_xy(_MARGIN_MM, 9)
            self.cell(self.w - 2 * _MARGIN_MM, 5, running_header, align="C")

        def footer(self) -> None:
            self.set_font("cjk", size=9)
            self.set_xy(_MARGIN_MM, self.h - 13)
            self.cell(self.w - 2 * _MARGIN_MM, 5, f"— {self.page_no()} —", align="C")

    pdf = Gazette(format="A4")
    pdf.add_font("cjk", fname=str(CJK_FONT))
    pdf.set_auto_page_break(False)
    pdf.add_page()
    width = pdf.w - 2 * _MARGIN_MM
    bottom = pdf.h - 22
    y = 24.0
    for kind, rows in _blocks(_printable(text)):
        if kind == "table":
            y = _draw_table(pdf, rows, y, width, bottom)
        else:
            y = _draw_paragraph(pdf, rows[0][0], y, width, bottom)
    for _ in range(scanned_pages):
        pdf.add_page()
        for k in range(30):
            pdf.rect(_MARGIN_MM, 28 + 7 * k, width * (0.6 + 0.4 * (k % 3 != 2)), 2.5, style="F")
    pdf.output(str(path))
    return path


def _new_page_if_needed(pdf, y: float, height: float, bottom: float) -> float:  # type: ignore[no-untyped-def]
    if y + height > bottom:
        pdf.add_page()
        return 24.0
    return y


def _draw_paragraph(pdf, text: str, y: float, width: float, bottom: float) -> float:  # type: ignore[no-untyped-def]
    pdf.set_font("cjk", size=_BODY_PT)
    line_height = _BODY_PT * _PT_MM * 1.6
    indent = 2 * _BODY_PT * _PT_MM
    pieces: list[tuple[float, str]] = []
    current, used, room = "", 0.0, width - indent
    for char in text:
        w = pdf.get_string_width(char)
        if used + w > room and current:
            pieces.append((indent if not pieces else 0.0, current))
            current, used, room = "", 0.0, width
        current += char
        used += w
    pieces.append((indent if not pieces else 0.0, current))
    for offset, piece in pieces:
        y = _new_page_if_needed(pdf, y, line_height, bottom)
        pdf.set_xy(_MARGIN_MM + offset, y)
        pdf.cell(width - offset, line_height, piece)
        y += line_height
    return y + 1.5


def _draw_table(pdf, rows: list[list[str]], y: float, width: float, bottom: float) -> float:  # type: ignore[no-untyped-def]
    columns = max(len(r) for r in rows)
    rows = [r + [""] * (columns - len(r)) for r in rows]
    pdf.set_font("cjk", size=_TABLE_PT)
    natural = [max(pdf.get_string_width(r[c]) for r in rows) + 1 for c in range(columns)]
    room = width - _COLUMN_GAP_MM * (columns - 1)
    scale = min(1.0, room / sum(natural))
    widths = [w * scale for w in natural]
    line_height = _TABLE_PT * _PT_MM * 1.8
    for row in rows:
        y = _new_page_if_needed(pdf, y, line_height, bottom)
        x = _MARGIN_MM
        for cell, w in zip(row, widths, strict=True):
            size = _TABLE_PT
            pdf.set_font("cjk", size=size)
            while cell and pdf.get_string_width(cell) > w and size > 3:
                size -= 0.5
                pdf.set_font("cjk", size=size)
            pdf.set_xy(x, y)
            pdf.cell(w, line_height, cell)
            x += w + _COLUMN_GAP_MM
        y += line_height
    return y + 1.5


def text_to_docx(text: str, path: Path) -> Path:
    """Lay out a text gazette as a Word file: one paragraph per line with a first-line indent, tables as tables."""
    from docx import Document as new_docx
    from docx.shared import Pt

    document = new_docx()
    for kind, rows in _blocks(text):
        if kind == "table":
            table = document.add_table(rows=len(rows), cols=max(len(r) for r in rows))
            for r, row in enumerate(rows):
                for c, cell in enumerate(row):
                    table.cell(r, c).text = cell
        else:
            paragraph = document.add_paragraph(rows[0][0])
            paragraph.paragraph_format.first_line_indent = Pt(2 * _BODY_PT)
    section = document.sections[0]
    section.header.paragraphs[0].text = RUNNING_HEADER  # page headers are not body text
    document.save(str(path))
    return path


def text_to_html(text: str, path: Path, site: str = "锦州市人民政府") -> Path:
    """A portal article page: navigation, breadcrumb, the document as paragraphs and tables, a footer."""
    body: list[str] = []
    for kind, rows in _blocks(text):
        if kind == "table":
            cells = ["".join(f"<td>{html.escape(c)}</td>" for c in row) for row in rows]
            body.append("<table border='1'>" + "".join(f"<tr>{c}</tr>" for c in cells) + "</table>")
        else:
            body.append(f"<p>{html.escape(rows[0][0])}</p>")
    page = f"""<!DOCTYPE html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>{site}</title></head>
<body>
<div class="top-nav"><a href="/">首页</a> <a href="/zwgk/">政务公开</a> <a href="/zwfw/">政务服务</a>
<a href="/hdjl/">互动交流</a></div>
<div class="crumb">当前位置：首页 &gt; 政务公开 &gt; 政府公报</div>
<div class="article">{''.join(body)}</div>
<div class="footer"><p>主办：{site}办公室　版权所有</p><p>网站标识码 2107000001　ICP备案号 12345678号</p></div>
</body></html>"""
    path.write_text(page, encoding="utf-8")
    return path


__all__ = ["CJK_FONT", "RUNNING_HEADER", "text_to_docx", "text_to_html", "text_to_pdf"]
