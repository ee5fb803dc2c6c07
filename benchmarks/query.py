"""Query benchmark: retrieval latency over the eval questions; time to first token, tokens/s and total answer time
for the LLM; prompt tokens per answer.

    python -m benchmarks.query [--data-dir DIR] [--answers 10] [--smoke]
"""

from __future__ import annotations

import argparse
import time

from benchmarks.common import median, table
from evals.data import load_questions
from evals.metrics import percentile


def main(argv: list[str] | None = None) -> int:
    """Measure in one warm process (models loaded once, as in the app)."""
    from rag.answer import Pipeline
    from rag.cli_common import add_common_args, settings_from_args

    ap = argparse.ArgumentParser(description=__doc__)
    add_common_args(ap)
    ap.add_argument("--answers", type=int, default=10, help="questions answered by the LLM")
    ap.add_argument("--smoke", action="store_true", help="5 retrievals and 1 answer")
    args = ap.parse_args(argv)
    settings = settings_from_args(args)
    t0 = time.perf_counter()
    pipe = Pipeline.build(settings)
    load_s = time.perf_counter() - t0
    questions = load_questions()
    if args.smoke:
        questions = questions[:5]
    retr = {}
    for mode in ("hybrid", "dense", "bm25"):
        pipe.retriever.search("warm up", mode=mode)
        lat = []
        for q in questions:
            t = time.perf_counter()
            pipe.retriever.search(q["question"], mode=mode)
            lat.append(1000 * (time.perf_counter() - t))
        retr[mode] = {"mode": mode, "n": len(lat), "p50 ms": percentile(lat, 50), "p95 ms": percentile(lat, 95)}
    print(f"models + index loaded in {load_s:.1f} s\n")
    print(table(list(retr.values()), ["mode", "n", "p50 ms", "p95 ms"]))
    n = 1 if args.smoke else args.answers
    singles = [q for q in load_questions("dev") if q["kind"] in ("single", "single_hard")][:n]
    pipe.ask("warm up question about transformers")  # prefill the cached prompt prefix, as the app does
    rows = []
    for q in singles:
        a = pipe.ask(q["question"])
        t = a.timings
        gen = t.get("generate_s", 0) - t.get("first_token_s", 0)
        rows.append({"id": q["id"], "mode": a.mode, "prompt tokens": t.get("prompt_tokens"),
                     "first token s": t.get("first_token_s"), "output tokens": t.get("output_tokens"),
                     "tokens/s": (t.get("output_tokens", 0) - 1) / gen if gen > 0 else None, "total s": t.get("total_s")})
    print()
    print(table(rows, ["id", "mode", "prompt tokens", "first token s", "output tokens", "tokens/s", "total s"]))
    gen_rows = [r for r in rows if r["first token s"]]
    summary = {"answers": len(rows), "first token p50 s": median([r["first token s"] for r in gen_rows]),
               "tokens/s p50": median([r["tokens/s"] for r in gen_rows if r["tokens/s"]]),
               "total p50 s": median([r["total s"] for r in rows]), "total p95 s": percentile([r["total s"] for r in rows], 95),
               "first token p95 s": percentile([r["first token s"] for r in gen_rows], 95),
               "prompt tokens p50": median([r["prompt tokens"] for r in gen_rows])}
    print()
    print(table([summary], list(summary)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
