"""Retrieval quality per question kind for hybrid, dense-only and BM25-only rankings."""

from __future__ import annotations

import time

from evals.metrics import mean, mrr_at, ndcg_at, percentile, recall_at

MODES = ("hybrid", "hybrid_rrf", "dense", "bm25")  # hybrid = score fusion (the default); hybrid_rrf = reciprocal rank fusion
KINDS = ("single", "single_hard", "multi")  # the answerable kinds; unanswerable and nearmiss have no gold paper


def run(retriever, questions: list[dict], modes: tuple[str, ...] = MODES) -> tuple[dict, list[dict]]:
    """(summary[mode][kind] -> metrics, per-question rows) over the answerable questions."""
    rows = []
    for q in questions:
        if q["kind"] not in KINDS:
            continue
        gold = set(q["gold"])
        for mode in modes:
            t0 = time.perf_counter()
            if mode == "hybrid_rrf":
                found = retriever.search(q["question"], k=10, mode="hybrid", fusion="rrf")
            else:
                found = retriever.search(q["question"], k=10, mode=mode, fusion="score")
            ranked = [s.paper_id for s in found]
            dt = time.perf_counter() - t0
            rows.append({"id": q["id"], "kind": q["kind"], "mode": mode, "ranked": ranked, "seconds": dt,
                         "recall@1": recall_at(ranked, gold, 1), "recall@5": recall_at(ranked, gold, 5),
                         "recall@10": recall_at(ranked, gold, 10), "mrr@10": mrr_at(ranked, gold),
                         "ndcg@10": ndcg_at(ranked, gold)})
    summary: dict = {}
    for mode in modes:
        summary[mode] = {}
        for kind in (*KINDS, "all"):
            sel = [r for r in rows if r["mode"] == mode and kind in ("all", r["kind"])]
            if not sel:
                continue
            summary[mode][kind] = {m: mean([r[m] for r in sel]) for m in ("recall@1", "recall@5", "recall@10", "mrr@10", "ndcg@10")}
            summary[mode][kind]["n"] = len(sel)
        lat = [r["seconds"] for r in rows if r["mode"] == mode]
        summary[mode]["latency_ms"] = {"p50": 1000 * percentile(lat, 50), "p95": 1000 * percentile(lat, 95)}
    return summary, rows
