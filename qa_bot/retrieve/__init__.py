"""Hybrid retrieval over the loaded index: BM25 and dense candidates, fused, filtered, one hit per clause."""

from qa_bot.retrieve.citation import Citation
from qa_bot.retrieve.search import Filters, Hit, Retriever, SearchResult

__all__ = ["Citation", "Filters", "Hit", "Retriever", "SearchResult"]
