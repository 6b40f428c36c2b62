"""A Word (.docx) file → text: body paragraphs one per line, tables one tab-separated line per row, in order."""

from __future__ import annotations

from io import BytesIO
from typing import TYPE_CHECKING

from qa_bot.errors import CorpusError

if TYPE_CHECKING:
    from docx.table import Table


def docx_to_text(data: bytes, path: str) -> str:
    """Paragraphs and tables of the document body in reading order (page headers and footers are not body)."""
    from docx import Document as open_docx
    from docx.oxml.ns import qn
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    try:
        document = open_docx(BytesIO(data))
    except Exception as exc:  # python-docx raises several types for broken packages
        raise CorpusError(f"Word 文件已损坏，无法读取（{type(exc).__name__}）", path=path) from None
    lines: list[str] = []
    for element in document.element.body.iterchildren():
        if element.tag == qn("w:p"):
            lines.append(Paragraph(element, document).text)
        elif element.tag == qn("w:tbl"):
            lines.extend(_table_rows(Table(element, document)))
    return "\n".join(lines)


def _table_rows(table: Table) -> list[str]:
    rows = []
    for row in table.rows:
        cells: list[str] = []
        seen: list[object] = []  # the <w:tc> elements listed so far
        for cell in row.cells:
            if seen and cell._tc is seen[-1]:  # a cell merged across columns is listed once per column
                continue
            seen.append(cell._tc)
            cells.append(" ".join(cell.text.split("\n")).strip())
        rows.append("\t".join(cells))
    return rows


__all__ = ["docx_to_text"]
