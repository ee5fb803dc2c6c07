"""Answer quality: run a system over the questions, then score citations (ALCE-style), gold papers, refusals, latency."""

from __future__ import annotations

import re
from typing import Callable, Sequence

from evals.judge import supported_by_any
from evals.metrics import content_recall, fact_recall, mean, percentile, token_f1
from rag import prompts
from rag.claims import restates
from rag.markers import MARKER_RE, claims, is_refusal, marker_numbers, strip_markers
from rag.types import Source

ANSWERABLE = ("single", "single_hard", "multi")
UNANSWERABLE = ("unanswerable", "nearmiss")

REFUSAL_HINTS = re.compile(
    r"(corpus does not answer|sources? (do|does) not (contain|provide|mention|answer)|no (relevant )?information"
    r"|cannot answer|can't answer|not (mentioned|provided|specified) in the (provided )?sources|none of the sources)", re.I)


def run_ours(pipeline, questions: list[dict], log: Callable[[str], None]) -> list[dict]:
    """Ask the paperchat pipeline; keep both the checked answer and the model's raw text."""
    out = []
    for i, q in enumerate(questions, 1):
        a = pipeline.ask(q["question"])
        out.append({"id": q["id"], "system": "paperchat", "text": a.text, "raw": a.raw, "refused": a.refused,
                    "mode": a.mode, "refusal_reason": a.refusal_reason, "sources": list(a.sources), "timings": a.timings,
                    "standalone": a.standalone_question, "unsupported": list(a.unsupported),
                    "evidence": [{"n": e.n, "paper_id": e.paper_id, "sentence": e.sentence} for e in a.evidence]})
        log(f"[paperchat {i}/{len(questions)}] {q['id']} {a.mode} {a.timings.get('total_s', 0):.1f}s")
    return out


def run_peer(peer, questions: list[dict], log: Callable[[str], None]) -> list[dict]:
    """Ask LlamaIndex's CitationQueryEngine."""
    out = []
    for i, q in enumerate(questions, 1):
        r = peer.answer(q["question"])
        refused = bool(REFUSAL_HINTS.search(r["text"])) or not r["text"].strip()
        out.append({"id": q["id"], "system": peer.name, "text": r["text"], "raw": r["text"], "refused": refused,
                    "sources": r["sources"], "timings": r["timings"]})
        log(f"[peer {i}/{len(questions)}] {q['id']} refused={refused} {r['timings']['total_s']:.1f}s")
    return out


def peer_ids(path: str) -> set[str]:
    """Question ids answered by the peer in an earlier results.json."""
    import json

    return {r["id"] for r in json.load(open(path))["answers"]["llamaindex-citation"]["records"]}


def load_peer(path: str, settings) -> list[dict]:
    """Peer records from an earlier results.json, sources rebuilt from the seeds (to re-score with the current judge)."""
    import json

    from rag.seeds import load_seeds

    papers = load_seeds(settings.seeds_dir).papers
    out = []
    for r in json.load(open(path))["answers"]["llamaindex-citation"]["records"]:
        srcs = [Source(i, pid, papers[pid].title, papers[pid].abstract, "", 0.0) for i, pid in enumerate(r["sources"], start=1)]
        out.append({**r, "sources": srcs})
    return out


def _sentences(text: str, k: int) -> list[tuple[str, list[int], int, int]]:
    """(claim, valid cited numbers, markers written, valid markers written) per claim sentence (rag.markers' definition)."""
    out = []
    for sent in claims(text, prompts.refusal()):
        written = [n for m in MARKER_RE.finditer(sent) for n in marker_numbers(m.group(1))]
        valid = [n for n in written if 1 <= n <= k]
        out.append((strip_markers(sent), sorted(set(valid)), len(written), len(valid)))
    return out


def correct(q: dict, text: str, cited: set[str]) -> tuple[bool, float | None]:
    """Automatic correctness against the reference answer: (correct, key-fact recall or None).

    single kinds: the gold paper is cited and at least half of the reference's key facts (numbers, names) are stated,
    or, when the reference has none, 30% of its content words; multi: at least half of the gold papers are cited.
    """
    gold = set(q["gold"])
    if q["kind"] == "multi":
        return len(cited & gold) / len(gold) >= 0.5, None
    enough, recall = key_facts(q, text)
    return bool(cited & gold) and enough, recall


def key_facts(q: dict, text: str) -> tuple[bool, float | None]:
    """(the text states at least half of the reference's key facts, or 30% of its content words when it has none;
    the key-fact recall or None)."""
    recall = fact_recall(strip_markers(text), q["reference"], q["question"])
    enough = recall >= 0.5 if recall is not None else content_recall(strip_markers(text), q["reference"], q["question"]) >= 0.3
    return enough, recall


def score(records: list[dict], questions: dict[str, dict], judge, embed=None, use_raw: bool = False,
          judged: dict[str, dict[str, bool]] | None = None) -> tuple[dict, list[dict]]:
    """Per-question scores and the system summary. use_raw scores the model's text before checking and composing;
    judged (blind relevance of multi questions' papers) adds the share of a list's papers that fit the question."""
    judged = judged or {}
    rows = []
    for r in records:
        q = questions[r["id"]]
        sources: Sequence[Source] = r["sources"]
        by_n = {s.n: s for s in sources}
        text = r["raw"] if use_raw else r["text"]
        refused = r["refused"] if not use_raw else (not text.strip() or is_refusal(text, prompts.refusal()) or not r["raw"])
        row = {"id": r["id"], "kind": q["kind"], "refused": refused, "mode": r.get("mode"), "total_s": r["timings"].get("total_s"),
               "first_token_s": r["timings"].get("first_token_s"), "prompt_tokens": r["timings"].get("prompt_tokens"),
               "refusal_reason": r.get("refusal_reason"), "batch": q.get("batch") or "original"}
        if not refused:
            sents = _sentences(text, len(sources))
            markers = sum(w for _, _, w, _ in sents)
            valid = sum(vw for _, _, _, vw in sents)
            sup = [supported_by_any(judge, c, [by_n[n] for n in v]) for c, v, _, _ in sents]
            precise = [judge.supports(c, by_n[n]) for c, v, _, _ in sents for n in v]
            cited = {by_n[n].paper_id for _, v, _, _ in sents for n in v}
            gold = set(q["gold"])
            ok, recall = correct(q, text, cited) if q["kind"] in ANSWERABLE else (False, None)
            row.update(sentences=len(sents), supported=sum(sup), citations=len(precise), precise=sum(precise),
                       markers=markers, valid_markers=valid, cited_papers=sorted(cited), correct=ok, fact_recall=recall,
                       restated=sum(restates(c, q["question"]) for c, _, _, _ in sents),
                       gold_precision=len(cited & gold) / len(cited) if cited and gold else None,
                       gold_recall=len(cited & gold) / len(gold) if gold else None,
                       f1_reference=token_f1(strip_markers(text), q["reference"]) if q["reference"] else None)
            if q["kind"] == "multi" and r["id"] in judged and cited:
                fits = gold | {pid for pid, ok in judged[r["id"]].items() if ok}
                row["list_precision_pooled"] = len(cited & fits) / len(cited)
            if embed is not None and q["reference"]:
                a, b = embed([strip_markers(text), q["reference"]])
                row["sim_reference"] = sum(x * y for x, y in zip(a, b))
        rows.append(row)
    return summarise(rows), rows


def summarise(rows: list[dict]) -> dict:
    """Correctness, citation metrics (micro-averaged), gold-paper metrics, refusals per kind, modes and latency."""
    ans = [r for r in rows if not r["refused"]]
    answerable = [r for r in rows if r["kind"] in ANSWERABLE]
    refused = [r for r in rows if r["refused"]]
    s_total, c_total, m_total = (sum(r.get(k, 0) for r in ans) for k in ("sentences", "citations", "markers"))
    lat = [r["total_s"] for r in rows if r["total_s"] is not None]
    ftt = [r["first_token_s"] for r in rows if r.get("first_token_s")]
    out = {
        "questions": len(rows), "answered": len(ans),
        "correct": sum(bool(r.get("correct")) for r in answerable) / len(answerable) if answerable else None,
        "citation_validity": sum(r.get("valid_markers", 0) for r in ans) / m_total if m_total else 1.0,
        "citation_recall": sum(r.get("supported", 0) for r in ans) / s_total if s_total else None,
        "citation_precision": sum(r.get("precise", 0) for r in ans) / c_total if c_total else None,
        "restated_sentences": sum(r.get("restated", 0) for r in ans) / s_total if s_total else None,
        "gold_citation_precision": mean([r["gold_precision"] for r in ans if r.get("gold_precision") is not None]),
        "gold_citation_recall": mean([r["gold_recall"] if not r["refused"] else 0.0 for r in answerable
                                      if r["refused"] or r.get("gold_recall") is not None]),
        "fact_recall": mean([r["fact_recall"] for r in answerable if r.get("fact_recall") is not None]),
        "multi_list_precision_pooled": mean([r["list_precision_pooled"] for r in ans if "list_precision_pooled" in r]),
        "refusal_precision": sum(r["kind"] in UNANSWERABLE for r in refused) / len(refused) if refused else None,
        "over_refusal": sum(r["refused"] for r in answerable) / len(answerable) if answerable else None,
        "answer_f1_reference": mean([r["f1_reference"] for r in ans if r.get("f1_reference") is not None]),
        "answer_sim_reference": mean([r["sim_reference"] for r in ans if r.get("sim_reference") is not None]),
        "latency_p50_s": percentile(lat, 50), "latency_p95_s": percentile(lat, 95),
        "first_token_p50_s": percentile(ftt, 50), "prompt_tokens_p50": percentile([r["prompt_tokens"] for r in rows if r.get("prompt_tokens")], 50),
    }
    for kind in UNANSWERABLE:
        sel = [r for r in rows if r["kind"] == kind]
        out[f"refusal_recall_{kind}"] = sum(r["refused"] for r in sel) / len(sel) if sel else None
    unans = [r for r in rows if r["kind"] in UNANSWERABLE]
    out["refusal_recall"] = sum(r["refused"] for r in unans) / len(unans) if unans else None
    batches = sorted({r.get("batch", "original") for r in rows})
    if len(batches) > 1:  # question sets added later are also shown apart from the original ones
        for batch in batches:
            part = [r for r in rows if r.get("batch", "original") == batch]
            nearmiss, answerable_part = [r for r in part if r["kind"] == "nearmiss"], [r for r in part if r["kind"] in ANSWERABLE]
            out[f"refusal_recall_nearmiss[{batch}]"] = sum(r["refused"] for r in nearmiss) / len(nearmiss) if nearmiss else None
            if unans_part := [r for r in part if r["kind"] == "unanswerable"]:  # off-corpus (original) or on-topic (-1224 …)
                out[f"refusal_recall_unanswerable[{batch}]"] = sum(r["refused"] for r in unans_part) / len(unans_part)
            out[f"over_refusal[{batch}]"] = (sum(r["refused"] for r in answerable_part) / len(answerable_part)
                                             if answerable_part else None)
            out[f"correct[{batch}]"] = (sum(bool(r.get("correct")) for r in answerable_part) / len(answerable_part)
                                        if answerable_part else None)
    for kind in ANSWERABLE:
        sel = [r for r in rows if r["kind"] == kind]
        out[f"correct_{kind}"] = sum(bool(r.get("correct")) for r in sel) / len(sel) if sel else None
    for mode in ("generated", "extractive", "refused"):
        out[f"mode_{mode}"] = sum(r.get("mode") == mode for r in rows) / len(rows) if rows else None
    return out


def judge_agreement(judge, labels: list[dict], papers: dict) -> dict:
    """How often the judge agrees with the hand labels, on each half of labels.jsonl."""
    from evals.metrics import agreement

    out = {}
    for half in ("calib", "holdout", None):
        sel = [r for r in labels if half in (None, r["half"])]
        pred = []
        for r in sel:
            p = papers[r["paper_id"]]
            pred.append(judge.supports(r["sentence"], Source(1, p.paper_id, p.title, p.abstract, p.abstract, 0.0)))
        out[half or "all"] = agreement(pred, [r["supported"] for r in sel])
    return out


def checker_vs_blind(checker, labels: list[dict], papers: dict) -> dict:
    """The citation checker's verdicts on blind-labelled answer sentences (evals/answer_labels.jsonl): precision, recall, κ.

    A sentence is verified when one of its cited papers supports it and it neither restates its question, reverses its
    evidence nor puts a number on another quantity (the checks rag.cite applies to every answer sentence).
    """
    from evals.metrics import agreement
    from rag.claims import misplaced_numbers, restates, reverses

    out = {}
    for stage in ("final", "draft", None):
        sel = [r for r in labels if stage in (None, r["stage"])]
        pred = []
        for r in sel:
            srcs = [Source(i, pid, papers[pid].title, papers[pid].abstract, "", 0.0) for i, pid in enumerate(r["paper_ids"], 1)]
            ok = False
            for src in srcs:
                good, _, ev = checker.supports(r["sentence"], src, None, srcs, srcs)
                if good and not restates(r["sentence"], r["question"], src.title) and not reverses(r["sentence"], ev) \
                        and not misplaced_numbers(r["sentence"], ev):
                    ok = True
            pred.append(ok)
        out[stage or "all"] = agreement(pred, [r["supported"] for r in sel])
    return out
