"""The evidence selector's tuned encoder: its training data, its fingerprint, and (real weights) that it selects better."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from rag.config import load_settings
from rag.markers import abstract_sentences
from rag.tuning import Item, encoder_dir, fingerprint, trained_fingerprint, training_items

ROOT = Path(__file__).resolve().parent.parent


def _questions(path: Path, rows: list[dict]) -> Path:
    path.write_text("\n".join(json.dumps(r) for r in rows) + "\n", encoding="utf-8")
    return path


def test_training_items_mark_the_quoted_sentence(tmp_path, corpus_papers):
    pid = "routerbench-a-benchmark-for-multi-llm-67bb6300"
    paper = corpus_papers[pid]
    sents = abstract_sentences(paper.abstract)
    (tmp_path / "seeds").mkdir()
    (tmp_path / "seeds" / "one.txt").write_text(f"{paper.title}\n\n{paper.abstract}\n", encoding="utf-8")
    quote = sents[2][5:80]
    rows = [
        {"id": "s1", "split": "dev", "kind": "single", "question": "q1", "gold": [pid], "evidence": [{"paper_id": pid, "quote": quote}]},
        {"id": "s2", "split": "test", "kind": "single", "question": "q2", "gold": [pid], "evidence": [{"paper_id": pid, "quote": quote}]},
        {"id": "n1", "split": "dev", "kind": "nearmiss", "question": "q3", "gold": [], "near": pid, "evidence": []},
        {"id": "s3", "split": "dev", "kind": "single", "question": "q4", "gold": [pid], "evidence": [{"paper_id": pid, "quote": "not in it"}]},
    ]
    items = training_items(_questions(tmp_path / "q.jsonl", rows), tmp_path / "seeds")
    assert [(it.question, it.positives) for it in items] == [("q1", [2])]  # dev only, answerable, quote found
    assert items[0].sentences == sents


def test_tuning_without_the_shipped_papers_says_so_and_trains_nothing(tmp_path):
    """A user whose seeds are their own corpus still gets through `make setup`: the stock vectors select."""
    from rag.tuning import train

    (tmp_path / "seeds").mkdir()
    (tmp_path / "seeds" / "mine.txt").write_text("A Title\n\nAn abstract of one sentence here.\n", encoding="utf-8")
    settings = load_settings(data_dir=str(tmp_path / "d"), seeds_dir=str(tmp_path / "seeds"),
                             **{"embed.cache_dir": str(tmp_path / "cache")})
    said: list[str] = []
    assert train(settings, ROOT / "evals" / "questions.jsonl", said.append) is None
    assert "not tuned" in said[0] and not (tmp_path / "cache").exists()


def test_fingerprint_follows_the_training_items():
    a = [Item("what?", ["One.", "Two."], [1])]
    assert fingerprint(a) == fingerprint([Item("what?", ["One.", "Two."], [1])])
    assert fingerprint(a) != fingerprint([Item("what?", ["One.", "Two."], [0])])


def test_stock_setting_or_no_encoder_keeps_the_stock_vectors(tmp_path, real_embedder):
    from rag.tuning import selector_encoder

    vectors = object()
    stock = load_settings(data_dir=str(tmp_path / "d"), **{"evidence.selector": "stock"})
    assert selector_encoder(stock, real_embedder, vectors) == (real_embedder, vectors)
    untrained = load_settings(data_dir=str(tmp_path / "d"), **{"embed.cache_dir": str(tmp_path / "empty")})
    assert selector_encoder(untrained, real_embedder, vectors) == (real_embedder, vectors)


@pytest.mark.slow
def test_tuned_encoder_puts_the_test_questions_quote_first_more_often(tmp_path, real_embedder):
    """On the test split's questions (never trained on), the tuned vectors rank the quoted sentence of the gold abstract
    first far more often than the stock ones (measured: 145 and 271 of 330)."""
    from rag.tuning import SelectorEncoder

    settings = load_settings()
    path = encoder_dir(settings)
    assert trained_fingerprint(path), f"no tuned selector encoder at {path}: run `python -m rag tune` (make setup does)"
    tuned = SelectorEncoder(path, settings.embed)
    rows = [json.loads(line) for line in (ROOT / "evals" / "questions.jsonl").read_text().splitlines()]
    test = [dict(r, split="dev") for r in rows if r["split"] == "test"]  # read them as training_items reads dev
    items = training_items(_questions(tmp_path / "test.jsonl", test), settings.seeds_dir)
    assert len(items) >= 300

    def first(embedder) -> float:
        hits = 0
        for it in items:
            q = embedder.embed([it.question])[0]
            sims = [sum(a * b for a, b in zip(q, v)) for v in embedder.embed(it.sentences)]
            hits += max(range(len(sims)), key=sims.__getitem__) in it.positives
        return hits / len(items)

    stock, ours = first(real_embedder), first(tuned)
    assert ours >= 0.65 and ours >= stock + 0.15, (stock, ours)


def test_the_tuned_encoder_selects_on_onnx_with_its_torch_vectors_and_no_torch(corpus_papers):
    """The app never loads torch for the tuned encoder: its fp32 ONNX export (made at setup) gives the vectors torch
    gives (cosine >= 0.9999 on a real abstract's sentences)."""
    import os
    import subprocess
    import sys

    from rag.embeddings import MiniLMEmbedder
    from rag.tuning import ONNX_FILE

    settings = load_settings()
    path = encoder_dir(settings)
    assert trained_fingerprint(path), f"no tuned selector encoder at {path}: run `python -m rag tune` (make setup does)"
    pid = "routerbench-a-benchmark-for-multi-llm-67bb6300"
    code = (
        "import json, sys; from rag.config import load_settings; from rag.tuning import selector_encoder;"
        "from rag.types import Source;"
        "enc, vectors = selector_encoder(load_settings(), None, None);"
        "sents, vecs = vectors(Source(1, sys.argv[1], 't', sys.argv[2], '', 0.0));"
        "assert 'torch' not in sys.modules and 'sentence_transformers' not in sys.modules, 'torch was imported';"
        "print(json.dumps([sents, vecs, type(enc.encoder).__name__]))"
    )
    out = subprocess.run([sys.executable, "-c", code, pid, corpus_papers[pid].abstract], cwd=ROOT, capture_output=True,
                         text=True, timeout=600, env={**os.environ, "HF_HUB_OFFLINE": "1"})
    assert out.returncode == 0, out.stderr[-2000:]
    sents, vecs, runtime = json.loads(out.stdout.splitlines()[-1])
    assert runtime == "OnnxMiniLM" and (path / ONNX_FILE).is_file()
    want = MiniLMEmbedder(model_dir=path).embed(sents)
    assert min(sum(a * b for a, b in zip(g, w)) for g, w in zip(vecs, want)) >= 0.9999
