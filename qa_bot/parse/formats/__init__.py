"""Gazette files in any supported format → plain text in the layout the text parser reads.

One line per paragraph, tables as tab-separated rows, pages joined by a blank line (the page-break repair of
qa_bot.parse.paragraphs joins a paragraph cut by a page). The format is decided by the file's content, never by its
name alone; a name that promises another format is refused.
"""

from __future__ import annotations

import zipfile
from io import BytesIO

from qa_bot.errors import CorpusError

FORMAT_SUFFIXES = {
    "text": (".txt", ".text"),
    "pdf": (".pdf",),
    "docx": (".docx",),
    "html": (".html", ".htm"),
}
GAZETTE_SUFFIXES = frozenset(s for suffixes in FORMAT_SUFFIXES.values() for s in suffixes)
FORMAT_NAMES = {"text": "文本", "pdf": "PDF", "docx": "Word（.docx）", "html": "网页（HTML）"}

_HTML_MARKS = (b"<!doctype html", b"<html", b"<head", b"<body", b"<meta", b"<div", b"<p>", b"<p ", b"<table")
_FRAGMENT_MARKS = (b"<p>", b"<p ", b"</p>", b"<div", b"</div>", b"<br", b"<table", b"</tr>")
_FRAGMENT_MIN_TAGS = 3


def sniff_format(data: bytes) -> str | None:
    """"pdf", "docx", "html" or "text" from the bytes themselves; None for other binary content (zip, image …)."""
    head = data[:2048]
    if head.lstrip()[:5] == b"%PDF-":
        return "pdf"
    if head.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(BytesIO(data)) as archive:
                return "docx" if "word/document.xml" in archive.namelist() else None
        except zipfile.BadZipFile:
            return None
    lowered = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if lowered.startswith(b"<") and any(mark in lowered for mark in _HTML_MARKS):
        return "html"
    # A fragment saved from a page: a few plain lines ("发文机关:……") before the paragraphs' markup.
    if sum(lowered.count(mark) for mark in _FRAGMENT_MARKS) >= _FRAGMENT_MIN_TAGS:
        return "html"
    if b"\x00" in head and not head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return None
    return "text"


def format_for_name(name: str) -> str | None:
    lowered = name.lower()
    return next((kind for kind, suffixes in FORMAT_SUFFIXES.items() if lowered.endswith(suffixes)), None)


def check_format(data: bytes, path: str) -> str:
    """The file's format from its content. Raises CorpusError naming the file when the content is not a supported
    format or not what the file's name says (a .pdf that is a zip, a .docx that is text)."""
    claimed = format_for_name(path)
    found = sniff_format(data)
    if found is None and claimed == "text":
        return "text"  # the text reader names the line where the binary content starts
    if found is None:
        raise CorpusError("不是可识别的公报文件（支持 .txt、.pdf、.docx、.html）", path=path)
    if claimed is not None and claimed != found and not (claimed == "text" and found == "html"):
        raise CorpusError(
            f"文件内容与扩展名不符：扩展名表示{FORMAT_NAMES[claimed]}，内容却是{FORMAT_NAMES[found]}", path=path
        )
    return "text" if claimed == "text" else found


def convert(kind: str, data: bytes, path: str) -> tuple[str, list[tuple[int, str]]]:
    """Text of a PDF, Word or HTML file, laid out as the text parser reads it, and (line, note) for what of the
    file could not be read (a scanned page in a PDF)."""
    if kind == "pdf":
        from qa_bot.parse.formats.pdf_text import pdf_to_text_with_notes

        return pdf_to_text_with_notes(data, path)
    if kind == "docx":
        from qa_bot.parse.formats.word_text import docx_to_text

        return docx_to_text(data, path), []
    if kind == "html":
        from qa_bot.parse.formats.html_text import html_to_text

        return html_to_text(data, path), []
    raise ValueError(f"no converter for {kind!r}")


__all__ = [
    "FORMAT_NAMES",
    "FORMAT_SUFFIXES",
    "GAZETTE_SUFFIXES",
    "check_format",
    "convert",
    "format_for_name",
    "sniff_format",
]
