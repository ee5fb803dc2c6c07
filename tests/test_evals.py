"""The eval suite: data validation, metric functions, scoring logic, and the CI retrieval gate on dev."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from evals import answers, metrics, stages
from evals.data import load_labels, load_questions, load_relevance, only_batches
from rag.types import Source
from tests.conftest import ROOT


def test_question_set_and_labels_validate():
    proc = subprocess.run([sys.executable, "evals/check_data.py"], cwd=ROOT, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    qs = load_questions()
    kinds = {k: sum(q["kind"] == k for q in qs) for k in ("single", "single_hard", "multi", "unanswerable", "nearmiss")}
    assert len(qs) >= 300 and kinds["single"] >= 80 and kinds["multi"] >= 44 and kinds["unanswerable"] >= 30
    assert kinds["single_hard"] >= 60 and kinds["nearmiss"] >= 30
    labels = load_labels()
    assert len(labels) >= 150 and {r["half"] for r in labels} == {"calib", "holdout"}
    assert len(load_relevance()) >= 60  # multi questions with blind relevance judgments (check_data validates them)


def test_ranking_metrics():
    ranked = ["a", "b", "c", "d"]
    assert metrics.recall_at(ranked, {"b", "z"}, 1) == 0 and metrics.recall_at(ranked, {"b", "z"}, 2) == 0.5
    assert metrics.mrr_at(ranked, {"c"}) == pytest.approx(1 / 3)
    assert metrics.ndcg_at(ranked, {"a"}) == 1.0 and 0 < metrics.ndcg_at(ranked, {"d"}) < 1
    assert metrics.percentile([1, 2, 3, 4], 50) == 2 and metrics.percentile([1, 2, 3, 4], 95) == 4


def test_pooled_relevance_scores_judged_papers_and_says_how_much_is_judged():
    judged = {"a": True, "b": False, "c": True}
    m = metrics.pooled_at(["a", "b", "g", "x"], {"g"}, judged, k=4)
    # relevant: g (gold), a and c (judged); two of them in the first four, one unjudged paper (x) among them
    assert m["pooled_recall@4"] == pytest.approx(2 / 3) and m["pooled_precision@4"] == 0.5 and m["judged@4"] == 0.75
    assert metrics.pooled_at(["a", "c", "g"], {"g"}, judged, k=2)["pooled_recall@2"] == 1.0  # over min(k, relevant)


def test_agreement_and_kappa():
    a = metrics.agreement([True, True, False, False], [True, False, False, False])
    assert a["accuracy"] == 0.75 and a["precision"] == 0.5 and a["recall"] == 1.0
    assert metrics.agreement([True, False], [True, False])["kappa"] == 1.0
    assert metrics.token_f1("the cat sat", "a cat sat down") == pytest.approx(2 * (2 / 3) * 0.5 / (2 / 3 + 0.5))


class KeywordJudge:
    """Supports a claim when the abstract contains the claim's last word (pure logic for scoring tests)."""

    name = "keyword"

    def supports(self, claim, source):
        return claim.rstrip(".").split()[-1] in source.abstract


def test_alce_style_scoring():
    srcs = [Source(1, "p1", "T1", "alpha beta", "", 0), Source(2, "p2", "T2", "gamma delta", "", 0)]
    qs = {"q": {"kind": "single", "gold": ["p1"], "reference": "about beta", "question": "What is it about?"}}
    rec = {"id": "q", "text": "It is about beta [1][2]. It is about delta [1]. Uncited gamma. Bad marker [7].",
           "raw": "", "refused": False, "sources": srcs, "timings": {"total_s": 1.0}}
    summary, rows = answers.score([rec], qs, KeywordJudge())
    # sentences: beta(1,2) supported; delta(1) unsupported; gamma uncited; marker(7 invalid) uncited
    assert rows[0]["sentences"] == 4 and rows[0]["supported"] == 1
    assert summary["citation_recall"] == 0.25
    assert summary["citation_precision"] == pytest.approx(1 / 3)  # [1] for beta is precise; [2] for beta and [1] for delta are not
    assert summary["citation_validity"] == pytest.approx(3 / 4)
    assert summary["gold_citation_precision"] == 0.5 and summary["gold_citation_recall"] == 1.0


def test_a_lists_papers_are_scored_against_gold_and_judged_relevance():
    srcs = [Source(n, f"p{n}", f"T{n}", "alpha", "", 0) for n in (1, 2, 3, 4)]
    qs = {"m": {"kind": "multi", "gold": ["p1", "p2"], "reference": "", "question": "Which papers study alpha?"}}
    rec = {"id": "m", "text": "T1 studies alpha [1]. T3 studies alpha [3]. T4 studies alpha [4].", "raw": "", "refused": False,
           "sources": srcs, "timings": {"total_s": 1.0}}
    judged = {"m": {"p1": True, "p2": True, "p3": True, "p4": False}}
    summary, rows = answers.score([rec], qs, KeywordJudge(), judged=judged)
    assert rows[0]["gold_precision"] == pytest.approx(1 / 3) and summary["multi_list_precision_pooled"] == pytest.approx(2 / 3)
    assert answers.score([rec], qs, KeywordJudge())[0]["multi_list_precision_pooled"] is None  # no judgments, no figure


def test_each_lost_answer_is_put_on_the_stage_that_lost_it():
    q = {"kind": "single", "gold": ["g"], "question": "What accuracy does X reach?", "reference": "X reaches 91.5% accuracy."}
    good, bad = "X reaches 91.5% accuracy on the test set.", "X is evaluated on the test set."

    def rec(text="", raw="", refused=False, reason="", sources=("g", "o"), ev=good, mode="extractive"):
        return {"text": text, "raw": raw, "refused": refused, "refusal_reason": reason, "sources": list(sources),
                "evidence": [{"n": 1, "paper_id": "g", "sentence": ev}], "mode": mode}

    cases = {
        "retrieval": rec(sources=("o", "p"), refused=True, reason="gate: …"),
        "floor": rec(refused=True, reason="retrieval: nothing close enough"),
        "gate": rec(refused=True, reason="gate: asked for a number the evidence lacks"),
        "selection": rec(text=f"{bad} [1]", ev=bad),
        "checking": rec(text=f"{bad} [1]", raw=f"{good} [1]"),
        "generation": rec(text=f"{bad} [1]", raw=f"{bad} [1]", mode="generated"),
        "quoting": rec(text=f"{bad} [1]"),
        "citation": rec(text=f"{good} [2]"),
        "correct": rec(text=f"{good} [1]"),
    }
    assert {want: stages.stage_lost(q, r) for want, r in cases.items()} == {want: want for want in cases}
    assert stages.stage_lost(q, rec(refused=True, reason="gate: …", ev=bad)) == "selection"  # nothing to refuse wrongly
    lost = stages.losses([{"id": "a", **cases["gate"]}, {"id": "b", **cases["correct"]}], {"a": q, "b": q})
    assert lost["all"]["gate"] == 1 and lost["original"]["correct"] == 1 and sum(lost["single"].values()) == 2


def test_refusal_metrics():
    qs = {"a": {"kind": "single", "gold": ["p"], "reference": ""}, "u": {"kind": "unanswerable", "gold": [], "reference": ""}}
    recs = [{"id": "a", "text": "x", "raw": "x", "refused": True, "sources": [], "timings": {}},
            {"id": "u", "text": "x", "raw": "x", "refused": True, "sources": [], "timings": {}}]
    summary, _ = answers.score(recs, qs, KeywordJudge())
    assert summary["refusal_recall"] == 1.0 and summary["over_refusal"] == 1.0 and summary["refusal_precision"] == 0.5
    assert not any("[" in k for k in summary)  # one question set: no per-set figures


def test_added_question_sets_are_also_reported_apart():
    qs = {"n1": {"kind": "nearmiss", "gold": [], "reference": ""},
          "n2": {"kind": "nearmiss", "gold": [], "reference": "", "batch": "holdout"},
          "n3": {"kind": "nearmiss", "gold": [], "reference": "", "batch": "holdout"}}
    recs = [{"id": i, "text": "x", "raw": "x", "refused": i != "n3", "sources": [], "timings": {}} for i in qs]
    summary, _ = answers.score(recs, qs, KeywordJudge())
    assert summary["refusal_recall_nearmiss"] == pytest.approx(2 / 3)
    assert summary["refusal_recall_nearmiss[original]"] == 1.0 and summary["refusal_recall_nearmiss[holdout]"] == 0.5


def test_batch_selects_question_sets_and_names_an_unknown_one():
    dev = load_questions("dev")
    fresh = only_batches(dev, ["dev-1220"])
    assert len(fresh) == 80 and {q["batch"] for q in fresh} == {"dev-1220"}
    original = only_batches(dev, ["original"])
    assert original and not any(q.get("batch") for q in original)
    with pytest.raises(ValueError, match="no questions in batch dev-9999; this split has .*dev-1220"):
        only_batches(dev, ["dev-1220", "dev-9999"])
    proc = subprocess.run([sys.executable, "-m", "evals", "--batch", "dev-9999", "--retrieval-only"], cwd=ROOT,
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 2 and "no questions in batch dev-9999" in proc.stderr


@pytest.mark.slow
def test_retrieval_gate_on_dev_passes_and_writes_outputs(corpus_settings, tmp_path):
    out = tmp_path / "evals"
    proc = subprocess.run(
        [sys.executable, "-m", "evals", "--split", "dev", "--retrieval-only", "--check", "--data-dir",
         str(corpus_settings.data_dir), "--out", str(out)],
        cwd=ROOT, capture_output=True, text=True, timeout=900,
    )
    assert proc.returncode == 0, proc.stdout[-2000:] + proc.stderr[-2000:]
    result = json.loads((out / "results.json").read_text())
    assert all(c["ok"] for c in result["check"])
    assert (out / "chart.png").stat().st_size > 10_000 and "| hybrid | single |" in (out / "report.md").read_text()
