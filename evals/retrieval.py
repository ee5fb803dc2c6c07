"""Retrieval quality per question kind for hybrid, dense-only and BM25-only rankings."""

from __future__ import annotations

import time

from evals.metrics import mean, mrr_at, ndcg_at, percentile, pooled_at, recall_at

MODES = ("hybrid", "hybrid_rrf", "dense", "bm25")  # hybrid = score fusion (the default); hybrid_rrf = reciprocal rank fusion
KINDS = ("single", "single_hard", "multi")  # the answerable kinds; unanswerable and nearmiss have no gold paper


POOLED = ("pooled_recall@10", "pooled_precision@10", "judged@10")


def run(retriever, questions: list[dict], modes: tuple[str, ...] = MODES,
        judged: dict[str, dict[str, bool]] | None = None) -> tuple[dict, list[dict]]:
    """(summary[mode][kind] -> metrics, per-question rows) over the answerable questions; multi-paper questions with
    blind relevance judgments (evals/multi_relevance.jsonl) are also scored against them (kind `multi_pooled`)."""
    judged = judged or {}
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
            if q["kind"] == "multi" and q["id"] in judged:
                rows[-1].update(pooled_at(ranked, gold, judged[q["id"]]))
    summary: dict = {}
    for mode in modes:
        summary[mode] = {}
        for kind in (*KINDS, "all"):
            sel = [r for r in rows if r["mode"] == mode and kind in ("all", r["kind"])]
            if not sel:
                continue
            summary[mode][kind] = {m: mean([r[m] for r in sel]) for m in ("recall@1", "recall@5", "recall@10", "mrr@10", "ndcg@10")}
            summary[mode][kind]["n"] = len(sel)
        if pooled := [r for r in rows if r["mode"] == mode and "judged@10" in r]:
            summary[mode]["multi_pooled"] = {m: mean([r[m] for r in pooled]) for m in POOLED} | {"n": len(pooled)}
        lat = [r["seconds"] for r in rows if r["mode"] == mode]
        summary[mode]["latency_ms"] = {"p50": 1000 * percentile(lat, 50), "p95": 1000 * percentile(lat, 95)}
    return summary, rows
