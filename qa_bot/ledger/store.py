"""The ledger in a build folder (ledger.json, written by `qa-bot index`), and reading it back.

A build made before the ledger existed, or with other naming rules (unit_vocabulary.toml changed since), gets
its ledger rebuilt from documents.json on load — in memory, logged once — so an old index keeps working.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Sequence
from pathlib import Path

from qa_bot.errors import IndexNotReady
from qa_bot.index.manifest import FIX_COMMAND, current_build, read_documents, read_manifest
from qa_bot.ledger.build import build_ledger
from qa_bot.ledger.model import LEDGER_VERSION, Ledger, default_vocabulary
from qa_bot.parse.model import Document

log = logging.getLogger(__name__)
LEDGER_FILE = "ledger.json"


def save_ledger(ledger: Ledger, folder: Path) -> Path:
    path = folder / LEDGER_FILE
    path.write_text(json.dumps(ledger.to_dict(), ensure_ascii=False), encoding="utf-8")
    return path


def load_ledger(folder: Path, documents: Sequence[Document] | Callable[[], list[Document]]) -> Ledger:
    """The build's ledger; rebuilt from its documents (or what `documents()` reads) when the build has none or one
    made with other rules."""
    vocabulary = default_vocabulary()
    path = folder / LEDGER_FILE
    if path.is_file():
        data = json.loads(path.read_text(encoding="utf-8"))
        if data.get("version") == LEDGER_VERSION and data.get("rules") == vocabulary.version:
            return Ledger.from_dict(data, vocabulary)
        log.info("task ledger of build %s was made with other naming rules: rebuilt on load", folder.name)
    else:
        log.info("build %s predates the task ledger: built on load (run `%s` to store it)", folder.name, FIX_COMMAND)
    return build_ledger(list(documents() if callable(documents) else documents), vocabulary)


def read_current_ledger(index_dir: Path) -> Ledger:
    """The ledger of index_dir's current build, without loading vectors or postings (for `qa-bot units/tasks`)."""
    folder = current_build(index_dir)
    read_manifest(folder)
    try:
        return load_ledger(folder, lambda: read_documents(folder))
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise IndexNotReady(f"任务台账无法读取（{exc.__class__.__name__}）。请运行：{FIX_COMMAND}") from None


__all__ = ["LEDGER_FILE", "load_ledger", "read_current_ledger", "save_ledger"]
