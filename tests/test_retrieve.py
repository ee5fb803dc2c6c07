"""Hybrid retrieval on the real corpus index: ranking, filters, and hybrid vs dense-only vs BM25-only on dev questions."""

from __future__ import annotations

import json

import pytest

from rag.retrieve import HybridRetriever, feedback_words
from rag.schema import Filters
from rag.terms import Vocabulary
from tests.conftest import ROOT


@pytest.fixture(scope="module")
def full(corpus_settings, real_embedder):
    """The retriever over the whole shipped corpus (its real dump files and dates)."""
    return HybridRetriever(corpus_settings, embedder=real_embedder)



def test_a_paraphrased_question_finds_its_paper_first(retriever):
    """On the fast tier's 60-paper slice."""
    sources = retriever.search("How can the memory of stored activations be cut so GPT-3 sized models need no recomputation?")
    assert sources[0].paper_id == "reducing-activation-recomputation-in-large-trans-d90bd815"
    assert [s.n for s in sources] == list(range(1, 6))
    assert len({s.paper_id for s in sources}) == len(sources)  # one entry per paper
    assert sources[0].dense and sources[0].dense > 0.4 and sources[0].abstract.startswith("Training large transformer")


@pytest.mark.slow
def test_filters_by_date_and_seed_file(full):
    retriever = full
    dated = retriever.search("scaling laws for language models", k=8, filters=Filters(date_from="2024-01-01"))
    assert dated and all(s.metadata.get("date", "") >= "2024-01-01" for s in dated)
    only = retriever.search("LLM serving", k=8, filters=Filters(seed_files=("003_f0546aa0d2b15f29.txt",)))
    assert only and all("003_f0546aa0d2b15f29.txt" in s.metadata["seed_files"] for s in only)
    early = retriever.search("LLM serving", k=8, filters=Filters(date_to="2020-12-31"))
    assert all(s.metadata["date"] <= "2020-12-31" for s in early)


def test_queries_without_known_words_still_return(retriever):
    assert retriever.bm25("zzqx wwvy", 5) == []
    assert len(retriever.search("zzqx wwvy", k=3)) == 3  # dense still ranks something; the refusal floor decides


def _recall_at(retriever, questions, mode="hybrid", k=5, **search):
    total = 0.0
    for q in questions:
        got = [s.paper_id for s in retriever.search(q["question"], k=k, mode=mode, **search)]
        total += len(set(q["gold"]) & set(got)) / len(q["gold"])
    return total / len(questions)


def test_feedback_words_are_the_papers_weightiest_words_the_question_lacks():
    vocab = Vocabulary(["model training data", "model merging weights", "model data", "sparse attention kernels"])
    papers = [{"title": "Model merging", "abstract": "We merge the weights of fine-tuned models; merging beats training."},
              {"title": "Task arithmetic", "abstract": "Task vectors add weights; merged models keep skills."}]
    words = feedback_words("Which papers combine fine-tuned models?", papers, vocab, 3)
    assert len(words) == 3 and len({w.rstrip("s") for w in words}) == 3
    assert "merging" in words and not {"models", "model", "fine-tuned", "combine"} & set(words)


@pytest.mark.slow
def test_feedback_lifts_which_papers_recall_on_dev_and_leaves_other_questions_alone(full):
    rows = [json.loads(line) for line in (ROOT / "evals" / "questions.jsonl").read_text().splitlines()]
    multi = [q for q in rows if q["split"] == "dev" and q["kind"] == "multi"]
    original = [q for q in multi if not q.get("batch")]  # the 26 it was tuned on

    with_feedback, without = _recall_at(full, original, k=10), _recall_at(full, original, k=10, feedback=False)
    print("dev multi recall@10 with / without feedback", with_feedback, without)
    assert with_feedback >= without + 0.02  # measured 0.949 / 0.922
    assert _recall_at(full, multi, k=10) >= _recall_at(full, multi, k=10, feedback=False)  # 0.925 / 0.912 with the later sets (78)
    single = "How can the memory of stored activations be cut so GPT-3 sized models need no recomputation?"
    assert [s.paper_id for s in full.search(single, k=10)] == [s.paper_id for s in full.search(single, k=10, feedback=False)]


@pytest.mark.slow
def test_hybrid_recall_at_5_is_at_least_dense_and_bm25_on_dev(full):
    retriever = full
    rows = [json.loads(line) for line in (ROOT / "evals" / "questions.jsonl").read_text().splitlines()]
    dev = [q for q in rows if q["split"] == "dev" and q["kind"] in ("single", "single_hard", "multi")]
    assert len(dev) >= 30
    recall = {mode: _recall_at(retriever, dev, mode) for mode in ("hybrid", "dense", "bm25")}
    print("dev recall@5", recall)
    assert recall["hybrid"] >= recall["dense"] and recall["hybrid"] >= recall["bm25"]
    assert recall["hybrid"] >= 0.9


@pytest.mark.slow
def test_dense_search_returns_the_exact_nearest_chunks(corpus_settings, real_embedder):
    """Chroma's HNSW with its default search breadth (100) missed a question's best chunk in about half the processes
    on the shipped index; with `chroma.ef_search` the 40 candidates are the exact 40 nearest, in every process."""
    import numpy as np

    from rag.store import Store

    store = Store(corpus_settings, create=False)
    assert store.collection.configuration_json["hnsw"]["ef_search"] == corpus_settings.chroma.ef_search
    got = store.collection.get(include=["embeddings"])
    ids, vectors = got["ids"], np.asarray(got["embeddings"], dtype=np.float64)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    rows = [json.loads(line) for line in (ROOT / "evals" / "questions.jsonl").read_text().splitlines()][:60]
    for row in rows:
        q = np.asarray(real_embedder.embed([row["question"]])[0], dtype=np.float64)
        exact = np.argsort(-(vectors @ (q / np.linalg.norm(q))))[:40]
        hits = store.query(q.tolist(), 40, known=set(ids))
        assert {h.chunk_id for h in hits} == {ids[i] for i in exact}, row["id"]


@pytest.mark.slow
def test_a_rare_name_of_the_question_puts_its_paper_first(full):
    """The name "Languini" is in one paper; the question's other words ("how many tokens a model gets to train on") fit a
    memorisation paper better, which fusion ranked first. The named paper goes first, unless the name is a guess
    ("such as MCTS") or the question asks for papers (a name there is a topic)."""
    languini = "In Languini, how do they decide how many tokens a model gets to train on?"
    assert full.search(languini)[0].paper_id.startswith("the-languini-kitchen")
    guess = "Which search algorithm, such as MCTS or beam search, does the survey find most compute-efficient for LLM reasoning?"
    assert not full.search(guess)[0].paper_id.startswith("deeparchitect")
    topic = "What papers use GFlowNets to fine-tune language models, for example to sample diverse reasoning chains?"
    assert not full.search(topic)[0].paper_id.startswith("let-the-flows-tell")
