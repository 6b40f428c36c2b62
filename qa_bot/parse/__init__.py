"""Gazette text → documents and their clause tree (page breaks repaired, notes and tables structured)."""

from qa_bot.parse.corpus import CorpusParse, parse_corpus, parse_file, parse_text
from qa_bot.parse.model import Clause, Document, Heading, TableRow

__all__ = ["Clause", "CorpusParse", "Document", "Heading", "TableRow", "parse_corpus", "parse_file", "parse_text"]
