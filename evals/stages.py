"""Where answerable questions are lost: the first pipeline stage after which the reference's key facts are gone.

Stages, in the order the pipeline runs them: retrieval (no gold paper among the sources), the refusal floor, the gate
(refused although its evidence held the key facts), selection (the evidence lacks them, answered or refused),
checking (the model's draft held them, the answer shown does not), generation (a written answer that drops them),
quoting (a quoted answer that leaves out the evidence sentence holding them), citation (the facts without the gold
paper's marker). Key facts as in `answers.correct`; for multi questions, half the gold papers.
"""

from __future__ import annotations

from evals.answers import key_facts
from rag.markers import MARKER_RE, marker_numbers

STAGES = ("retrieval", "floor", "gate", "selection", "checking", "generation", "quoting", "citation", "correct")
ANSWERABLE = ("single", "single_hard", "multi")


def _holds(q: dict, text: str) -> bool:
    return key_facts(q, text)[0]


def _cited(text: str, sources: list[str]) -> set[str]:
    return {sources[n - 1] for m in MARKER_RE.finditer(text) for n in marker_numbers(m.group(1)) if 1 <= n <= len(sources)}


def stage_lost(q: dict, rec: dict) -> str:
    """The stage after which this answerable question's answer is lost, or "correct" (rec: a stored eval record, its
    sources as paper ids in marker order, its evidence as {n, paper_id, sentence})."""
    gold = set(q["gold"])
    enough = (lambda found: len(found & gold) * 2 >= len(gold)) if q["kind"] == "multi" else (lambda found: bool(found & gold))
    final = not rec["refused"] and (q["kind"] == "multi" or _holds(q, rec["text"]))
    if final and enough(_cited(rec["text"], rec["sources"])):
        return "correct"  # (a which-papers answer's titles can carry what its quoted sentence does not)
    if not enough(set(rec["sources"])):
        return "retrieval"
    if rec["refused"] and (rec.get("refusal_reason") or "").startswith("retrieval"):
        return "floor"
    evidence = [e for e in rec.get("evidence") or [] if e["paper_id"] in gold]
    held = enough({e["paper_id"] for e in evidence}) and (
        q["kind"] == "multi" or _holds(q, " ".join(e["sentence"] for e in evidence)))
    if rec["refused"]:
        return "gate" if held else "selection"
    if not held:
        return "selection"
    if final:
        return "citation"
    if rec.get("raw") and _holds(q, rec["raw"]):
        return "checking"
    return "generation" if rec.get("mode") == "generated" else "quoting"


def losses(records: list[dict], questions: dict[str, dict]) -> dict[str, dict[str, int]]:
    """Per kind, for the original questions and the sets added later, and for all: how many answerable questions
    each stage loses, and how many are correct."""
    out: dict[str, dict[str, int]] = {}
    for rec in records:
        q = questions[rec["id"]]
        if q["kind"] not in ANSWERABLE:
            continue
        where = stage_lost(q, rec)
        for key in (q["kind"], "original" if not q.get("batch") else "added sets", "all"):
            out.setdefault(key, dict.fromkeys(STAGES, 0))[where] += 1
    return out
