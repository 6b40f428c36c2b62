"""A unit's tasks as a spreadsheet: .xlsx (openpyxl: frozen header, widths for Chinese, wrap, a link per row back
to the clause on the chat page) and .csv (UTF-8 with BOM, so Excel reads the Chinese), one row per task."""

from __future__ import annotations

import csv
import io
import math
import re
import unicodedata
from collections.abc import Callable, Sequence
from datetime import date
from urllib.parse import quote

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.properties import PageSetupProperties

from qa_bot.ledger.model import ROLE_LABELS, Task

LINK_LABEL = "查看原文"
_SHEET_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")
_FILE_FORBIDDEN = re.compile(r"[\\/:*?\"<>|\s]+")
_MAX_SHEET_TITLE = 31  # Excel's limit
_LINE_POINTS = 15  # one wrapped line of 11-point text
_MAX_ROW_POINTS = 409  # Excel's limit


def clause_url(base_url: str, doc_id: str, chunk_id: str) -> str:
    """The chat page's source view at the clause (the page's own #/doc/<doc_id>?chunk=<chunk_id> route)."""
    return f"{base_url.rstrip('/')}/#/doc/{quote(doc_id, safe='')}?chunk={quote(chunk_id, safe='')}"


# (header, value of a task, column width cap in Excel character units); widths count a Chinese character as 2.
Column = tuple[str, Callable[[Task, int, str], str], int]
COLUMNS: tuple[Column, ...] = (
    ("序号", lambda t, n, url: str(n), 6),
    ("文件", lambda t, n, url: t.title, 36),
    ("文号", lambda t, n, url: t.doc_no or "", 22),
    ("成文日期", lambda t, n, url: t.date or "", 12),
    ("章节", lambda t, n, url: t.section, 40),
    ("任务", lambda t, n, url: t.task, 40),
    ("角色", lambda t, n, url: ROLE_LABELS[t.role], 6),
    ("共同牵头单位", lambda t, n, url: "、".join(t.co_lead), 30),
    ("共同责任单位", lambda t, n, url: "、".join(t.co_responsible + t.references), 40),
    ("完成时限", lambda t, n, url: t.deadline or "", 20),
    ("条款原文", lambda t, n, url: t.text, 80),
    ("原文链接", lambda t, n, url: url, 12),
)
HEADERS = tuple(c[0] for c in COLUMNS)


def _rows(tasks: Sequence[Task], base_url: str) -> list[list[str]]:
    return [
        [value(t, n, clause_url(base_url, t.doc_id, t.chunk_id)) for _, value, _ in COLUMNS]
        for n, t in enumerate(tasks, 1)
    ]


def tasks_csv(tasks: Sequence[Task], base_url: str) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(HEADERS)
    writer.writerows(_rows(tasks, base_url))
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def _display_width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def tasks_xlsx(tasks: Sequence[Task], unit: str, base_url: str) -> bytes:
    """One sheet named after the unit: a bold frozen header with a filter, wrapped cells, a link per row."""
    workbook = Workbook()
    sheet = workbook.worksheets[0]  # a new workbook has this one sheet
    sheet.title = _SHEET_FORBIDDEN.sub("_", unit)[:_MAX_SHEET_TITLE] or "任务台账"
    workbook.properties.title = f"{unit}任务台账"
    sheet.append(list(HEADERS))
    rows = _rows(tasks, base_url)
    for row in rows:
        sheet.append([int(row[0]), *row[1:]])  # 序号 as a number, so it sorts as one
    header_fill = PatternFill("solid", fgColor="DDE4EE")
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        cell.fill = header_fill
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    link_column = len(COLUMNS)
    for r, row in enumerate(rows, start=2):
        for c in range(1, len(COLUMNS) + 1):
            sheet.cell(row=r, column=c).alignment = Alignment(vertical="top", wrap_text=True)
        link = sheet.cell(row=r, column=link_column)
        link.hyperlink = row[link_column - 1]
        link.value = LINK_LABEL
        link.style = "Hyperlink"
        link.alignment = Alignment(vertical="top")
    widths = []
    for c, (header, _, cap) in enumerate(COLUMNS, start=1):
        widest = max([_display_width(header)] + [_display_width(row[c - 1]) for row in rows])
        if c == link_column:
            widest = _display_width(LINK_LABEL)
        widths.append(min(widest, cap) + 2)
        sheet.column_dimensions[get_column_letter(c)].width = widths[-1]
    # Row heights set here: spreadsheet programs do not all grow a wrapped row by themselves when opening a file.
    for r, row in enumerate(rows, start=2):
        lines = max(
            math.ceil(_display_width(value) / (width - 1))
            for value, width in zip(row[: link_column - 1], widths, strict=False)
        )
        sheet.row_dimensions[r].height = min(max(lines, 1) * _LINE_POINTS + 4, _MAX_ROW_POINTS)
    sheet.freeze_panes = "A2"
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(COLUMNS))}{len(rows) + 1}"
    sheet.print_title_rows = "1:1"
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def export_filename(unit: str, extension: str, today: date | None = None) -> str:
    """'市邮政管理局-任务台账-2026-11-29.xlsx'."""
    day = (today or date.today()).isoformat()
    return f"{_FILE_FORBIDDEN.sub('_', unit)}-任务台账-{day}.{extension}"


__all__ = ["COLUMNS", "HEADERS", "LINK_LABEL", "clause_url", "export_filename", "tasks_csv", "tasks_xlsx"]
