"""Answer quality: run a system over the questions, then score citations (ALCE-style), gold papers, refusals, latency."""

from __future__ import annotations

import re
import time
from typing import Callable, Sequence

from evals.judge import supported_by_any
from evals.metrics import mean, percentile, token_f1
from rag import prompts
from rag.cite import MARKER_RE, marker_numbers, split_sentences, strip_markers
from rag.types import Source

REFUSAL_HINTS = re.compile(
    r"(corpus does not answer|sources? (do|does) not (contain|provide|mention|answer)|no (relevant )?information"
    r"|cannot answer|can't answer|not (mentioned|provided|specified) in the (provided )?sources|none of the sources)", re.I)


def run_ours(pipeline, questions: list[dict], log: Callable[[str], None]) -> list[dict]:
    """Ask the paperchat pipeline; keep both the checked answer and the model's raw text."""
    out = []
    for i, q in enumerate(questions, 1):
        a = pipeline.ask(q["question"])
        out.append({"id": q["id"], "system": "paperchat", "text": a.text, "raw": a.raw, "refused": a.refused,
                    "sources": list(a.sources), "timings": a.timings, "standalone": a.standalone_question})
        log(f"[paperchat {i}/{len(questions)}] {q['id']} refused={a.refused} {a.timings.get('total_s', 0):.1f}s")
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


def _sentences(text: str, k: int) -> list[tuple[str, list[int], int]]:
    """(claim, valid cited numbers, number of markers written) per sentence."""
    out = []
    refusal = prompts.refusal().lower()
    for sent in split_sentences(text):
        claim = strip_markers(sent)
        if len(re.findall(r"\w+", claim)) < 2 or refusal in claim.lower():
            continue
        written = [n for m in MARKER_RE.finditer(sent) for n in marker_numbers(m.group(1))]
        valid = sorted({n for n in written if 1 <= n <= k})
        out.append((claim, valid, len(written)))
    return out


def score(records: list[dict], questions: dict[str, dict], judge, embed=None, use_raw: bool = False) -> tuple[dict, list[dict]]:
    """Per-question scores and the system summary. use_raw scores the model's text before citation checking."""
    rows = []
    for r in records:
        q = questions[r["id"]]
        sources: Sequence[Source] = r["sources"]
        by_n = {s.n: s for s in sources}
        text = r["raw"] if use_raw else r["text"]
        refused = r["refused"] if not use_raw else (not text.strip() or prompts.refusal().lower() in text.lower())
        row = {"id": r["id"], "kind": q["kind"], "refused": refused, "total_s": r["timings"].get("total_s"),
               "first_token_s": r["timings"].get("first_token_s"), "prompt_tokens": r["timings"].get("prompt_tokens")}
        if not refused:
            sents = _sentences(text, len(sources))
            markers = sum(w for _, _, w in sents)
            valid = sum(len(v) for _, v, _ in sents)
            sup = [supported_by_any(judge, c, [by_n[n] for n in v]) for c, v, _ in sents]
            precise = [judge.supports(c, by_n[n]) for c, v, _ in sents for n in v]
            cited = {by_n[n].paper_id for _, v, _ in sents for n in v}
            gold = set(q["gold"])
            row.update(sentences=len(sents), supported=sum(sup), citations=len(precise), precise=sum(precise),
                       markers=markers, valid_markers=valid, cited_papers=sorted(cited),
                       gold_precision=len(cited & gold) / len(cited) if cited and gold else None,
                       gold_recall=len(cited & gold) / len(gold) if gold else None,
                       f1_reference=token_f1(strip_markers(text), q["reference"]) if q["reference"] else None)
            if embed is not None and q["reference"]:
                a, b = embed([strip_markers(text), q["reference"]])
                row["sim_reference"] = sum(x * y for x, y in zip(a, b))
        rows.append(row)
    return summarise(rows), rows


def summarise(rows: list[dict]) -> dict:
    """Micro-averaged citation metrics, gold-paper metrics, refusal metrics and latency."""
    ans = [r for r in rows if not r["refused"]]
    answerable = [r for r in rows if r["kind"] != "unanswerable"]
    unanswerable = [r for r in rows if r["kind"] == "unanswerable"]
    refused = [r for r in rows if r["refused"]]
    s_total, c_total, m_total = (sum(r.get(k, 0) for r in ans) for k in ("sentences", "citations", "markers"))
    lat = [r["total_s"] for r in rows if r["total_s"] is not None]
    ftt = [r["first_token_s"] for r in rows if r.get("first_token_s")]
    return {
        "questions": len(rows), "answered": len(ans),
        "citation_validity": sum(r.get("valid_markers", 0) for r in ans) / m_total if m_total else 1.0,
        "citation_recall": sum(r.get("supported", 0) for r in ans) / s_total if s_total else None,
        "citation_precision": sum(r.get("precise", 0) for r in ans) / c_total if c_total else None,
        "gold_citation_precision": mean([r["gold_precision"] for r in ans if r.get("gold_precision") is not None]),
        "gold_citation_recall": mean([r["gold_recall"] if not r["refused"] else 0.0 for r in answerable
                                      if r["refused"] or r.get("gold_recall") is not None]),
        "refusal_recall": sum(r["refused"] for r in unanswerable) / len(unanswerable) if unanswerable else None,
        "refusal_precision": sum(r["kind"] == "unanswerable" for r in refused) / len(refused) if refused else None,
        "over_refusal": sum(r["refused"] for r in answerable) / len(answerable) if answerable else None,
        "answer_f1_reference": mean([r["f1_reference"] for r in ans if r.get("f1_reference") is not None]),
        "answer_sim_reference": mean([r["sim_reference"] for r in ans if r.get("sim_reference") is not None]),
        "latency_p50_s": percentile(lat, 50), "latency_p95_s": percentile(lat, 95),
        "first_token_p50_s": percentile(ftt, 50), "prompt_tokens_p50": percentile([r["prompt_tokens"] for r in rows if r.get("prompt_tokens")], 50),
    }


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


def now() -> float:
    """Wall clock for stamping results."""
    return time.time()
