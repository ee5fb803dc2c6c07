"""The question set, the labelled support pairs and the blind relevance judgments of multi-paper questions."""

from __future__ import annotations

import json
from pathlib import Path

HERE = Path(__file__).resolve().parent


def load_questions(split: str | None = None, path: Path = HERE / "questions.jsonl") -> list[dict]:
    """Questions of one split (or all), in file order."""
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    return [r for r in rows if split in (None, "all", r["split"])]


def only_batches(questions: list[dict], names: list[str]) -> list[dict]:
    """The questions of the named batches ("original": those without one); ValueError names a batch with none."""
    wanted = set(names)
    present = {q.get("batch") or "original" for q in questions}
    if missing := sorted(wanted - present):
        raise ValueError(f"no questions in batch {', '.join(missing)}; this split has {', '.join(sorted(present))}")
    return [q for q in questions if (q.get("batch") or "original") in wanted]


def load_labels(path: Path = HERE / "labels.jsonl") -> list[dict]:
    """(sentence, paper_id, supported) pairs; `half` ('calib' or 'holdout') is fixed by a hash of the paper id, so
    thresholds are calibrated on one half and reported on the other, and no paper is in both."""
    import hashlib

    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    for r in rows:
        r["half"] = "calib" if hashlib.sha1(r["paper_id"].encode()).digest()[0] % 2 == 0 else "holdout"
    return rows


def load_answer_labels(path: Path = HERE / "answer_labels.jsonl") -> list[dict]:
    """Sentences of the system's own test-split answers (final and drafts), each labelled supported or not by a blind
    reader who saw only the sentence and its cited abstracts (protocol: ../shared/JUDGING.md)."""
    if not path.exists():
        return []
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def load_relevance(path: Path = HERE / "multi_relevance.jsonl") -> dict[str, dict[str, bool]]:
    """Question id -> paper id -> relevant, for the papers retrieval put before multi-paper questions, judged by a blind
    reader who saw only the question and each paper's title and abstract (gold papers among them, unmarked)."""
    judged: dict[str, dict[str, bool]] = {}
    if path.exists():
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                r = json.loads(line)
                judged.setdefault(r["id"], {})[r["paper_id"]] = bool(r["relevant"])
    return judged
