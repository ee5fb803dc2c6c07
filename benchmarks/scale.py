"""Scale benchmark: synthetic corpora (5k, 20k, 100k abstracts made by recombining sentences of the real ones;
generated into a temp dir, never committed): ingest time per 1k papers, index size on disk, retrieval p50/p95 and
memory at each size, plus a PNG of the growth curve.

    python -m benchmarks.scale [--sizes 5000 20000 100000] [--embed mean|model] [--smoke]

--embed mean (default) embeds every distinct sentence of the real corpus once with MiniLM and gives each synthetic
chunk the normalised mean of its sentences' vectors, so the run measures the store, sync and retrieval at scale
without spending hours in the embedding model; the model's own cost per chunk is measured separately and reported
(it is linear in the number of chunks). --embed model uses the real model for everything (slow: ~15 chunks/s).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

from benchmarks.common import ROOT, table

OUT = ROOT / "benchmarks" / "out"


def synthesize(n: int, dst: Path, seed: int = 13) -> None:
    """Write n synthetic papers (compact layout, 5k per dump) from recombined real sentences and title words."""
    from rag.markers import split_sentences
    from rag.seeds import load_seeds

    papers = list(load_seeds(ROOT / "seeds").papers.values())
    pool = [s for p in papers for s in split_sentences(p.abstract) if len(s) > 30]
    words = sorted({w for p in papers for w in p.title.replace(":", " ").split() if w.isalpha() and len(w) > 3})
    rng = random.Random(seed)
    dst.mkdir(parents=True, exist_ok=True)
    for start in range(0, n, 5000):
        lines = []
        for i in range(start, min(n, start + 5000)):
            title = " ".join(rng.sample(words, 6)) + f" {i}"
            lines += [title, " ".join(rng.sample(pool, rng.randint(5, 9)))]
        (dst / f"synthetic_{start // 5000:03d}.txt").write_text("\n".join(lines) + "\n")


class SentenceMeanEmbedder:
    """Vectors as the normalised mean of per-sentence MiniLM vectors (each distinct sentence embedded once)."""

    def __init__(self, model):
        from rag.markers import split_sentences

        self.model, self.name, self.split, self.cache = model, model.name, split_sentences, {}

    def embed(self, texts):
        out = []
        need = sorted({s for t in texts for s in self.split(t.split("\n", 1)[-1]) if s not in self.cache})
        for s, v in zip(need, self.model.embed(need) if need else []):
            self.cache[s] = v
        for t in texts:
            vecs = [self.cache[s] for s in self.split(t.split("\n", 1)[-1])] or [self.model.embed([t])[0]]
            m = np.mean(np.asarray(vecs, dtype=np.float32), axis=0)
            out.append((m / (np.linalg.norm(m) or 1.0)).tolist())
        return out


def rss_mb() -> float:
    """Current resident memory of this process."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def one_size(n: int, work: Path, embed: str, queries: int) -> dict:
    """Ingest n synthetic papers and measure (runs in its own process)."""
    from evals.data import load_questions
    from evals.metrics import percentile
    from rag.config import load_settings
    from rag.embeddings import get_embedder
    from rag.retrieve import HybridRetriever
    from rag.sync import sync

    seeds, data = work / "seeds", work / "data"
    synthesize(n, seeds)
    settings = load_settings(data_dir=str(data), seeds_dir=str(seeds))
    model = get_embedder(settings.embed)
    embedder = SentenceMeanEmbedder(model) if embed == "mean" else model
    prime_s = 0.0
    if embed == "mean":  # embed the sentence pool once, outside the timed ingest (it is the same at every size)
        from rag.markers import split_sentences

        t = time.perf_counter()
        abstracts = [line for f in sorted(seeds.glob("*.txt")) for line in f.read_text().splitlines()[1::2]]
        embedder.embed(sorted({s for a in abstracts for s in split_sentences(a)}))
        prime_s = time.perf_counter() - t
    t0 = time.perf_counter()
    summary = sync(settings, embedder=embedder)
    ingest_s = time.perf_counter() - t0
    t1 = time.perf_counter()
    noop = sync(settings, embedder=embedder)
    noop_s = time.perf_counter() - t1
    size_mb = sum(f.stat().st_size for f in data.rglob("*") if f.is_file()) / 1e6
    t2 = time.perf_counter()
    retriever = HybridRetriever(settings, embedder=model)
    load_s = time.perf_counter() - t2
    qs = [q["question"] for q in load_questions()][:queries]
    for q in qs[:3]:
        retriever.search(q)
    lat = []
    for q in qs:
        t = time.perf_counter()
        retriever.search(q)
        lat.append(1000 * (time.perf_counter() - t))
    which = [q["question"] for q in load_questions() if q["kind"] == "multi"][: max(10, queries // 5)]
    lat_which = []
    for q in which:
        t = time.perf_counter()
        retriever.search(q)
        lat_which.append(1000 * (time.perf_counter() - t))
    return {"papers": summary.papers, "chunks": summary.chunks, "ingest_s": ingest_s,
            "ingest_s_per_1k": 1000 * ingest_s / summary.papers, "noop_s": noop_s, "pool_embed_s": prime_s, "noop_embedded": noop.embedded_chunks,
            "index_mb": size_mb, "retriever_load_s": load_s, "retrieval_p50_ms": percentile(lat, 50),
            "retrieval_p95_ms": percentile(lat, 95), "which_papers_p50_ms": percentile(lat_which, 50),
            "which_papers_p95_ms": percentile(lat_which, 95), "rss_mb": rss_mb(), "embed": embed}


def model_rate(chunks: int = 256) -> float:
    """Chunks per second of the real embedding model on real abstracts (for the linear embedding cost)."""
    from rag.config import load_settings
    from rag.embeddings import get_embedder
    from rag.seeds import load_seeds

    texts = [f"{p.title}\n{p.abstract}" for p in list(load_seeds(ROOT / "seeds").papers.values())[:chunks]]
    model = get_embedder(load_settings().embed)
    model.embed(texts[:8])
    t = time.perf_counter()
    model.embed(texts)
    return len(texts) / (time.perf_counter() - t)


def chart(rows: list[dict], path: Path) -> None:
    """Growth curve: ingest seconds per 1k papers, retrieval p50/p95, index size and memory against corpus size."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    xs = [r["papers"] for r in rows]
    fig, ax = plt.subplots(1, 3, figsize=(13, 3.8))
    ax[0].plot(xs, [r["ingest_s_per_1k"] for r in rows], marker="o")
    ax[0].set(title="ingest s per 1k papers (store + sync)", xscale="log", ylim=(0, None))
    ax[1].plot(xs, [r["retrieval_p50_ms"] for r in rows], marker="o", label="p50")
    ax[1].plot(xs, [r["retrieval_p95_ms"] for r in rows], marker="o", label="p95")
    ax[1].set(title="hybrid retrieval ms", xscale="log", ylim=(0, None))
    ax[1].legend()
    ax[2].plot(xs, [r["index_mb"] for r in rows], marker="o", label="index on disk MB")
    ax[2].plot(xs, [r["rss_mb"] for r in rows], marker="o", label="process RSS MB")
    ax[2].set(title="size", xscale="log", yscale="log")
    ax[2].legend()
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


def main(argv: list[str] | None = None) -> int:
    """Run each size in a fresh process, then print the table and write the chart."""
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--sizes", type=int, nargs="+", default=[5000, 20000, 100000])
    ap.add_argument("--embed", choices=["mean", "model"], default="mean")
    ap.add_argument("--queries", type=int, default=100)
    ap.add_argument("--smoke", action="store_true", help="one tiny size (CI: proves the script works)")
    ap.add_argument("--one", type=int, help=argparse.SUPPRESS)
    ap.add_argument("--work", help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.one:
        print(json.dumps(one_size(args.one, Path(args.work), args.embed, args.queries)))
        return 0
    sizes = [300] if args.smoke else args.sizes
    rows = []
    for n in sizes:
        with tempfile.TemporaryDirectory(prefix=f"paperchat-scale-{n}-") as tmp:
            proc = subprocess.run([sys.executable, "-m", "benchmarks.scale", "--one", str(n), "--work", tmp, "--embed", args.embed,
                                   "--queries", str(10 if args.smoke else args.queries)], cwd=ROOT, capture_output=True, text=True,
                                  env={**os.environ})
            if proc.returncode != 0:
                raise SystemExit(proc.stderr[-3000:])
            rows.append(json.loads(proc.stdout.strip().splitlines()[-1]))
            print(f"{n}: {rows[-1]}", flush=True)
    rate = model_rate(32 if args.smoke else 256)
    print()
    print(table(rows, ["papers", "chunks", "ingest_s", "ingest_s_per_1k", "noop_s", "index_mb", "retriever_load_s",
                       "retrieval_p50_ms", "retrieval_p95_ms", "which_papers_p50_ms", "rss_mb"]))
    print(f"\nembedding model: {rate:.1f} chunks/s on this machine -> add {1000 / rate:.0f} s per 1k chunks for real embeddings")
    OUT.mkdir(parents=True, exist_ok=True)
    chart(rows, OUT / ("scale-smoke.png" if args.smoke else "scale.png"))
    (OUT / ("scale-smoke.json" if args.smoke else "scale.json")).write_text(json.dumps({"rows": rows, "model_chunks_per_s": rate}, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
