"""Encoder benchmark: the reference MiniLM (fp32 torch, sentence-transformers) against the project's ONNX Runtime
export in fp32, its shipped int8 variant (the default: `rag.onnx_encoder.quantize_int8`), the int8 recipe before it
and two int8 variants that were not kept, so the speed/quality trade is measured before anything is adopted.
Times embedding the corpus's chunks and single questions; compares vectors (min cosine to the reference) and
dense-only retrieval on the dev questions (brute-force cosine, papers deduplicated).

    python -m benchmarks.onnx_embed [--smoke]
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

import numpy as np

from benchmarks.common import table


def _int8(source: Path, out: Path, keep_fp32_layers: tuple[int, ...]) -> Path:
    """Dynamic int8 of every MatMul (the variants not kept), some layers left in fp32."""
    from rag.onnx_encoder import quantize_int8

    return quantize_int8(source, out, lambda name: any(f"layer.{i}/" in name for i in keep_fp32_layers))


def _dense_metrics(qvecs: np.ndarray, cvecs: np.ndarray, chunk_papers: list[str], questions: list[dict]) -> dict:
    from evals.metrics import mrr_at, recall_at

    rows = {"single": [], "multi": []}
    sims = qvecs @ cvecs.T
    for q, row in zip(questions, sims):
        ranked: list[str] = []
        for i in np.argsort(-row):
            if chunk_papers[i] not in ranked:
                ranked.append(chunk_papers[i])
            if len(ranked) == 10:
                break
        gold = set(q["gold"])
        rows[q["kind"]].append((recall_at(ranked, gold, 5), recall_at(ranked, gold, 10), mrr_at(ranked, gold, 10)))
    return {
        "single R@5": float(np.mean([r[0] for r in rows["single"]])),
        "single MRR@10": float(np.mean([r[2] for r in rows["single"]])),
        "multi R@10": float(np.mean([r[1] for r in rows["multi"]])),
    }


def main(argv: list[str] | None = None) -> int:
    """Time each encoder on the corpus chunks and compare vectors and dev retrieval."""
    from evals.data import load_questions
    from rag.chunking import chunk_paper
    from rag.config import load_settings
    from rag.embeddings import MiniLMEmbedder, minilm_dir
    from rag.onnx_encoder import OnnxMiniLM, _stays_fp32, ensure_onnx, max_seq_length, quantize_int8
    from rag.seeds import load_seeds

    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--smoke", action="store_true", help="40 chunks, 10 questions (CI: proves the script works)")
    args = ap.parse_args(argv)
    s = load_settings()
    chunks = [c for p in load_seeds(s.seeds_dir).papers.values() for c in chunk_paper(p, s.chunk)]
    questions = [q for q in load_questions("dev") if q["kind"] in ("single", "multi")]
    if args.smoke:
        chunks, questions = chunks[:40], questions[:10]
    texts, papers = [c.text for c in chunks], [c.paper_id for c in chunks]
    model_dir, window = minilm_dir(), max_seq_length(minilm_dir())
    fp32 = ensure_onnx(model_dir, s.embed.cache_dir)
    rows, reference = [], None
    with tempfile.TemporaryDirectory() as tmp:
        encoders = [("fp32 torch (reference)", MiniLMEmbedder()),
                    ("fp32 ONNX Runtime", OnnxMiniLM(fp32, model_dir, window)),
                    ("int8, feed-forward output fp32 in layers 0 and 2 (default)",
                     OnnxMiniLM(quantize_int8(fp32, Path(tmp) / "default.onnx"), model_dir, window)),
                    ("int8, feed-forward output fp32 in every layer (the recipe before)",
                     OnnxMiniLM(quantize_int8(fp32, Path(tmp) / "before.onnx", lambda n: _stays_fp32(n, range(6))),
                                model_dir, window))]
        for label, layers in (("int8 every MatMul, layers 0 and 5 fp32", (0, 5)), ("int8 every MatMul", ())):
            encoders.append((label, OnnxMiniLM(_int8(fp32, Path(tmp) / f"{len(encoders)}.onnx", layers), model_dir, window)))
        for name, enc in encoders:
            enc.embed(texts[:8])
            t0 = time.perf_counter()
            cvecs = np.asarray(enc.embed(texts), dtype=np.float32)
            corpus_s = time.perf_counter() - t0
            lat = []
            for q in questions[:50]:
                t = time.perf_counter()
                enc.embed([q["question"]])
                lat.append(1000 * (time.perf_counter() - t))
            qvecs = np.asarray(enc.embed([q["question"] for q in questions]), dtype=np.float32)
            reference = cvecs if reference is None else reference
            rows.append({"encoder": name, "corpus s": corpus_s, "chunks/s": len(texts) / corpus_s,
                         "min cos to reference": float((cvecs * reference).sum(1).min()),
                         "question ms p50": float(np.median(lat)), **_dense_metrics(qvecs, cvecs, papers, questions)})
    print(f"{len(texts)} chunks, {len(questions)} dev questions (dense-only retrieval)\n")
    print(table(rows, list(rows[0])))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
