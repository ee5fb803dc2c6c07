"""Ingest benchmark: full ingest, no-op re-ingest, one edited abstract — ours vs stock LlamaIndex, in the same run.

    python -m benchmarks.ingest [--runs 5] [--smoke]

Each run starts from a fresh data dir; timings are wall-clock of `python ingest.py --json` (model load included,
as a user experiences it) and the summary's own `seconds` (after start-up). Peak memory is the process's max RSS.
"""

from __future__ import annotations

import argparse
import shutil
import tempfile
from pathlib import Path

from benchmarks.common import ROOT, median, python, run_measured, table


def _seeds(dst: Path, smoke: bool) -> None:
    dst.mkdir(parents=True)
    files = sorted((ROOT / "seeds").glob("*.txt"))
    if smoke:  # the first 12 papers of one compact dump
        lines = files[0].read_text().splitlines()[:26]
        (dst / files[0].name).write_text("\n".join(lines) + "\n")
        return
    for f in files:
        shutil.copy(f, dst / f.name)


def one_run(work: Path, smoke: bool) -> dict:
    seeds, data, stock = work / "seeds", work / "data", work / "stock"
    _seeds(seeds, smoke)
    ours = [python(), str(ROOT / "ingest.py"), "--seeds", str(seeds), "--data-dir", str(data), "--json"]
    full = run_measured(ours)
    noop = run_measured(ours)
    first = sorted(seeds.glob("*.txt"))[0]
    text = first.read_text()
    abstract = text.splitlines()[3]
    first.write_text(text.replace(abstract, abstract + " We also release our code.", 1))
    edit = run_measured(ours)
    stock_full = run_measured([python(), "-m", "benchmarks.stock_llamaindex_ingest", str(seeds), str(stock)])
    stock_again = run_measured([python(), "-m", "benchmarks.stock_llamaindex_ingest", str(seeds), str(stock)])
    return {
        "full_s": full["seconds"], "full_inner_s": full["json"]["seconds"],
        "full_encoder_s": full["json"]["encoder_seconds"],
        "full_other_s": full["json"]["seconds"] - full["json"]["encoder_seconds"], "full_rss_mb": full["peak_rss_mb"],
        "papers": full["json"]["papers"], "chunks": full["json"]["chunks"],
        "noop_s": noop["seconds"], "noop_inner_s": noop["json"]["seconds"], "noop_embedded": noop["json"]["embedded_chunks"],
        "edit_s": edit["seconds"], "edit_inner_s": edit["json"]["seconds"], "edit_updated": edit["json"]["updated"],
        "stock_full_s": stock_full["seconds"], "stock_inner_s": stock_full["json"]["seconds"],
        "stock_rss_mb": stock_full["peak_rss_mb"], "stock_again_s": stock_again["seconds"],
        "stock_chunks_after_again": stock_again["json"]["chunks"],
    }


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark N times and print medians."""
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--smoke", action="store_true", help="one run on 12 papers (CI: proves the script works)")
    args = ap.parse_args(argv)
    runs = 1 if args.smoke else args.runs
    results = []
    for i in range(runs):
        with tempfile.TemporaryDirectory(prefix="paperchat-bench-") as tmp:
            results.append(one_run(Path(tmp), args.smoke))
        print(f"run {i + 1}/{runs}: ours {results[-1]['full_s']:.1f}s, stock {results[-1]['stock_full_s']:.1f}s", flush=True)
    m = {k: median([r[k] for r in results]) for k in results[0]}
    rows = [
        {"work": "full ingest (wall, incl. model load)", "ours": m["full_s"], "stock LlamaIndex": m["stock_full_s"],
         "ratio": m["stock_full_s"] / m["full_s"]},
        {"work": "full ingest (after start-up)", "ours": m["full_inner_s"], "stock LlamaIndex": m["stock_inner_s"],
         "ratio": m["stock_inner_s"] / m["full_inner_s"]},
        {"work": "full ingest: loading and running the encoder", "ours": m["full_encoder_s"], "stock LlamaIndex": None,
         "ratio": None},
        {"work": "full ingest: everything else after start-up", "ours": m["full_other_s"], "stock LlamaIndex": None,
         "ratio": None},
        {"work": "no-op re-ingest (wall)", "ours": m["noop_s"], "stock LlamaIndex": m["stock_again_s"],
         "ratio": m["stock_again_s"] / m["noop_s"]},
        {"work": "no-op re-ingest (after start-up)", "ours": m["noop_inner_s"], "stock LlamaIndex": None, "ratio": None},
        {"work": "one edited abstract (wall)", "ours": m["edit_s"], "stock LlamaIndex": m["stock_again_s"],
         "ratio": m["stock_again_s"] / m["edit_s"]},
        {"work": "peak memory MB (full ingest)", "ours": m["full_rss_mb"], "stock LlamaIndex": m["stock_rss_mb"], "ratio": None},
        {"work": "papers/second (full, after start-up)", "ours": m["papers"] / m["full_inner_s"],
         "stock LlamaIndex": m["papers"] / m["stock_inner_s"], "ratio": None},
    ]
    print(f"\nmedians of {runs} run(s); {m['papers']} papers, {m['chunks']} chunks (ours); "
          f"stock re-run leaves {m['stock_chunks_after_again']} chunks (duplicates: no change detection)\n")
    print(table(rows, ["work", "ours", "stock LlamaIndex", "ratio"]))
    assert m["noop_embedded"] == 0 and m["edit_updated"] == 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
