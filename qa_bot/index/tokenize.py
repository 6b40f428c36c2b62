"""jieba segmentation with a user dictionary built from the corpus (unit names, title terms) for BM25."""

from __future__ import annotations

import logging
import re
import threading
from collections.abc import Iterable

import jieba

from qa_bot.text.normalize import normalize_text
from qa_bot.text.vocabulary import STOPWORDS, SYNONYM_GROUPS

jieba.setLogLevel(logging.WARNING)

_TOKEN_OK = re.compile(r"[\u4e00-\u9fffA-Za-z0-9]")
_TITLE_AFFIXES = re.compile(
    r"^([\u4e00-\u9fff]{2,3}[市省县区])|"
    r"(关于印发|关于)|“十四五”|“十三五”|（[^）]*）|《|》|"
    r"(综合工作方案|工作方案|实施方案|行动规划纲要|规划纲要|行动计划|规划|纲要|方案|的通知|通知|意见|办法)$"
)
_CORE_PREFIX = re.compile(r"^(加快推进|推进|贯彻落实|进一步|全面|加快|关于)")
_CORE_SUFFIX = re.compile(r"(体系建设|建设|工作|行动)$")
USER_WORD_FREQ = 200_000
_SYNONYM_WEIGHT = 0.5


def title_terms(title: str) -> list[str]:
    """Key terms of a document title:
    '示例市加快推进农村寄递物流体系建设实施方案' → ['农村寄递物流体系建设', '农村寄递物流']."""
    core = normalize_text(title)
    for _ in range(4):
        core = _TITLE_AFFIXES.sub("", core).strip()
    core = _CORE_PREFIX.sub("", core)
    terms = []
    for part in re.split(r"[、，\s]", core):
        if 2 <= len(part) <= 20:
            terms.append(part)
            shorter = _CORE_SUFFIX.sub("", part)
            if shorter != part and len(shorter) >= 2:
                terms.append(shorter)
    return terms


class Segmenter:
    """A private jieba tokenizer that knows the corpus' own words; thread-safe after construction."""

    def __init__(self, user_words: Iterable[str] = ()) -> None:
        self._jieba = jieba.Tokenizer()
        self._lock = threading.Lock()
        self.user_words = sorted({w for w in user_words if 2 <= len(w) <= 30})
        with self._lock:
            self._jieba.initialize()
            for word in self.user_words:
                self._jieba.add_word(word, freq=USER_WORD_FREQ)
            for group in SYNONYM_GROUPS:
                for word in group:
                    if len(word) >= 2:
                        self._jieba.add_word(word)
        self._synonyms = {w: [s for s in group if s != w] for group in SYNONYM_GROUPS for w in group}

    def tokens(self, text: str) -> list[str]:
        """Search-mode tokens of normalised text, stopwords and punctuation dropped (used for passages)."""
        text = normalize_text(text).lower()
        with self._lock:
            pieces = self._jieba.lcut_for_search(text)
        return [p for p in pieces if _TOKEN_OK.search(p) and p not in STOPWORDS and p.strip()]

    def query_terms(self, question: str) -> dict[str, float]:
        """Weighted query terms: the question's own tokens at 1.0, general synonyms at a lower weight."""
        weights: dict[str, float] = {}
        for token in self.tokens(question):
            weights[token] = 1.0
        for token in list(weights):
            for synonym in self._synonyms.get(token, ()):
                for piece in self.tokens(synonym):
                    weights.setdefault(piece, _SYNONYM_WEIGHT)
        return weights


__all__ = ["Segmenter", "title_terms"]
