"""The Milvus side of an index: its collections and their incremental filling (where it is: settings.MilvusTarget).

One row per passage: the dense vector, the BM25 sparse vector (qa_bot.index.sparse, from the same jieba tokens as the
local store) and the fields citations and filters need. A second, tiny collection `<name>_meta` remembers what the
rows were built with (embedder, BM25 length normalisation) and which catalog build they match.

A path (./index/milvus.db) runs Milvus Lite inside the process — one process at a time per file; `http://host:19530`
reaches a Milvus server or cluster, which any number of replicas share.
"""

from __future__ import annotations

import hashlib
import json
import logging
import threading
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from qa_bot.errors import BadInput, IndexNotReady
from qa_bot.index.vectors import EXACT_SEARCH_MAX, HNSW_EF_CONSTRUCTION, HNSW_M
from qa_bot.parse.model import Clause, Document
from qa_bot.settings import MilvusTarget

if TYPE_CHECKING:
    from qa_bot.index.passages import Record

log = logging.getLogger(__name__)

SCHEMA_VERSION = 1
BATCH = 500
MAX_VARCHAR = 4096
MAX_UNITS = 64
MAX_ISSUERS = 16
LITE_KEEPALIVE_MS = 600_000  # above gRPC servers' default minimum ping interval (5 min)
INSTALL_HINT = "Milvus 存储需要 pymilvus 与 milvus-lite：pip install 'qa-bot[milvus]'"


# -- clients ----------------------------------------------------------------------------------------
_clients: dict[str, Any] = {}
_clients_lock = threading.Lock()


def client_for(target: MilvusTarget) -> Any:
    """One MilvusClient per URI and process (Milvus Lite allows one opener per file)."""
    try:
        from pymilvus import MilvusClient
    except ImportError:
        raise BadInput(INSTALL_HINT) from None
    key = f"{target.uri}|{target.token}"
    with _clients_lock:
        client = _clients.get(key)
        if client is None:
            if target.is_lite:
                Path(target.uri).parent.mkdir(parents=True, exist_ok=True)
            try:
                options: dict[str, Any] = {"token": target.token} if target.token else {}
                if target.is_lite:  # its in-process gRPC server refuses pymilvus' 10 s keep-alive pings (GOAWAY)
                    options["grpc_options"] = {"grpc.keepalive_time_ms": LITE_KEEPALIVE_MS}
                client = MilvusClient(uri=target.uri, **options)
            except Exception as exc:  # pymilvus raises its own tree, plus OSError/RuntimeError from Milvus Lite
                hint = (
                    "；Milvus Lite 的数据库文件同一时间只能由一个进程打开（是否有 qa-bot serve 或 index"
                    " 正在使用它？多个进程请用 Milvus 服务器）"
                    if target.is_lite
                    else ""
                )
                raise IndexNotReady(
                    f"无法打开 Milvus（{target.display()}）：{exc.__class__.__name__}: {str(exc)[:200]}{hint}"
                ) from None
            _clients[key] = client
        return client


def close_clients() -> None:
    with _clients_lock:
        for client in _clients.values():
            try:
                client.close()
            except Exception:  # closing is best effort
                pass
        _clients.clear()


# -- rows -------------------------------------------------------------------------------------------
def row_key(chunk_id: str, passage_text: str) -> str:
    """Primary key of a passage row: changes exactly when the clause's id or text (incl. its context) changes."""
    return hashlib.sha1(f"{chunk_id}\n{passage_text}".encode()).hexdigest()


def _clip(value: str | None, limit: int = MAX_VARCHAR) -> str:
    value = value or ""
    while len(value.encode("utf-8")) > limit:
        value = value[: max(len(value) // 2, limit // 4)]
    return value


def passage_row(
    *,
    key: str,
    record: Record,
    document: Document,
    clause: Clause | None,
    dense: Sequence[float],
    sparse: dict[int, float],
) -> dict[str, Any]:
    units = list(dict.fromkeys([*clause.lead_units, *clause.responsible_units])) if clause is not None else []
    issuers = list(document.issuing_bodies)
    return {
        "pk": key,
        "chunk_id": _clip(record.chunk_id, 512),
        "doc_id": _clip(record.doc_id, 256),
        "doc_no": _clip(document.doc_no, 256),
        "issuer": _clip(document.issuer, 1024),
        "issuers": [_clip(i, 256) for i in issuers[:MAX_ISSUERS]],
        "date": _clip(document.date, 16),
        "kind": _clip(record.kind, 32),
        "section": _clip(record.section),
        "units": [_clip(u, 256) for u in units[:MAX_UNITS]],
        "dense": [float(x) for x in dense],
        "sparse": sparse or {},
    }


# -- collections ------------------------------------------------------------------------------------
def _create_collection(client: Any, target: MilvusTarget, dim: int, expected_rows: int) -> None:
    from pymilvus import DataType

    schema = client.create_schema(auto_id=False, enable_dynamic_field=False, description="qa-bot passages")
    schema.add_field("pk", DataType.VARCHAR, is_primary=True, max_length=64)
    schema.add_field("chunk_id", DataType.VARCHAR, max_length=512)
    schema.add_field("doc_id", DataType.VARCHAR, max_length=256)
    schema.add_field("doc_no", DataType.VARCHAR, max_length=256)
    schema.add_field("issuer", DataType.VARCHAR, max_length=1024)
    schema.add_field("issuers", DataType.ARRAY, element_type=DataType.VARCHAR, max_capacity=MAX_ISSUERS, max_length=256)
    schema.add_field("date", DataType.VARCHAR, max_length=16)
    schema.add_field("kind", DataType.VARCHAR, max_length=32)
    schema.add_field("section", DataType.VARCHAR, max_length=MAX_VARCHAR)
    schema.add_field("units", DataType.ARRAY, element_type=DataType.VARCHAR, max_capacity=MAX_UNITS, max_length=256)
    schema.add_field("dense", DataType.FLOAT_VECTOR, dim=dim)
    schema.add_field("sparse", DataType.SPARSE_FLOAT_VECTOR)
    params = client.prepare_index_params()
    if expected_rows <= EXACT_SEARCH_MAX:
        params.add_index("dense", index_type="FLAT", metric_type="IP")
    else:
        hnsw = {"M": HNSW_M, "efConstruction": HNSW_EF_CONSTRUCTION}
        params.add_index("dense", index_type="HNSW", metric_type="IP", params=hnsw)
    params.add_index("sparse", index_type="SPARSE_INVERTED_INDEX", metric_type="IP")
    params.add_index("chunk_id", index_type="INVERTED")
    params.add_index("doc_id", index_type="INVERTED")
    client.create_collection(target.collection, schema=schema, index_params=params)


def _create_meta(client: Any, target: MilvusTarget) -> None:
    from pymilvus import DataType

    schema = client.create_schema(auto_id=False, enable_dynamic_field=False, description="qa-bot index metadata")
    schema.add_field("key", DataType.VARCHAR, is_primary=True, max_length=64)
    schema.add_field("value", DataType.VARCHAR, max_length=65535)
    schema.add_field("unused", DataType.FLOAT_VECTOR, dim=2)  # Milvus wants a vector field in every collection
    params = client.prepare_index_params()
    params.add_index("unused", index_type="FLAT", metric_type="L2")
    client.create_collection(target.meta_collection, schema=schema, index_params=params)


def read_meta(client: Any, target: MilvusTarget) -> dict[str, Any]:
    if not client.has_collection(target.meta_collection):
        return {}
    client.load_collection(target.meta_collection)
    rows = client.query(target.meta_collection, filter='key != ""', output_fields=["key", "value"], limit=100)
    return {row["key"]: json.loads(row["value"]) for row in rows}


def write_meta(client: Any, target: MilvusTarget, values: dict[str, Any]) -> None:
    rows = [{"key": k, "value": json.dumps(v, ensure_ascii=False), "unused": [0.0, 0.0]} for k, v in values.items()]
    client.upsert(target.meta_collection, rows)


def existing_keys(client: Any, target: MilvusTarget) -> set[str]:
    keys: set[str] = set()
    client.load_collection(target.collection)
    iterator = client.query_iterator(target.collection, batch_size=10_000, filter='pk != ""', output_fields=["pk"])
    try:
        while True:
            batch = iterator.next()
            if not batch:
                break
            keys.update(row["pk"] for row in batch)
    finally:
        iterator.close()
    return keys


def _batches(items: Sequence[Any], size: int) -> Iterator[Sequence[Any]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


@dataclass(frozen=True)
class SyncReport:
    rows: int
    inserted: int
    deleted: int
    recreated: bool
    avg_length: float


def prepare(
    target: MilvusTarget, *, embedder_id: str, dim: int, avg_length: float, expected_rows: int, k1: float, b: float
) -> tuple[float, bool]:
    """Make sure the collection exists for this embedder; returns the BM25 average length its rows use, and
    whether it was (re)created. Rows keep the length normalisation of the build that created the collection,
    so later builds only add and remove rows (`qa-bot index --full` starts it afresh)."""
    client = client_for(target)
    meta = read_meta(client, target)
    built_with = {"schema": SCHEMA_VERSION, "embedder_id": embedder_id, "dim": dim, "k1": k1, "b": b}
    recreate = not client.has_collection(target.collection) or any(meta.get(k) != v for k, v in built_with.items())
    if recreate:
        if client.has_collection(target.collection):
            log.warning(
                "Milvus collection %s was built differently (%s): recreating it",
                target.collection,
                {k: meta.get(k) for k in built_with},
            )
            client.drop_collection(target.collection)
        if not client.has_collection(target.meta_collection):
            _create_meta(client, target)
        _create_collection(client, target, dim, expected_rows)
        write_meta(client, target, {**built_with, "avg_length": avg_length, "synced_build": None})
        return avg_length, True
    return float(meta.get("avg_length") or avg_length), False


def sync(
    target: MilvusTarget,
    rows: Iterable[tuple[str, Any]],
    *,
    wanted: set[str],
    build_id: str,
    recreated: bool,
    progress: bool = False,
) -> SyncReport:
    """Delete rows whose key is not wanted, insert the rows not there yet (rows: (key, lazily built row) pairs)."""
    client = client_for(target)
    present = set() if recreated else existing_keys(client, target)
    stale = sorted(present - wanted)
    for batch in _batches(stale, 1000):
        quoted = ", ".join(json.dumps(k) for k in batch)
        client.delete(target.collection, filter=f"pk in [{quoted}]")
    missing = [(key, make) for key, make in rows if key not in present]
    bar = None
    if progress and missing:
        from tqdm import tqdm

        bar = tqdm(total=len(missing), desc="写入 Milvus", unit="段")
    for batch in _batches(missing, BATCH):
        client.insert(target.collection, [make() for _, make in batch])
        if bar is not None:
            bar.update(len(batch))
    if bar is not None:
        bar.close()
    _flush(client, target.collection)
    write_meta(client, target, {"synced_build": build_id})
    total = len(present) - len(stale) + len(missing)
    meta = read_meta(client, target)
    return SyncReport(
        rows=total,
        inserted=len(missing),
        deleted=len(stale),
        recreated=recreated,
        avg_length=float(meta.get("avg_length") or 0),
    )


def _flush(client: Any, collection: str) -> None:
    """Seal what was written (a Milvus server); Milvus Lite writes through and does not implement flush."""
    try:
        client.flush(collection)
    except NotImplementedError:
        pass
    except Exception as exc:  # pymilvus reports "not implemented" from Milvus Lite as its own exception
        if "not implemented" not in str(exc).lower():
            raise


def drop(target: MilvusTarget) -> None:
    client = client_for(target)
    for name in (target.collection, target.meta_collection):
        if client.has_collection(name):
            client.drop_collection(name)


__all__ = [
    "MilvusTarget",
    "SyncReport",
    "client_for",
    "close_clients",
    "drop",
    "passage_row",
    "prepare",
    "read_meta",
    "row_key",
    "sync",
    "write_meta",
]
