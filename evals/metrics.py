"""Metric functions: ranking (recall@k, MRR, nDCG, pooled relevance), agreement (accuracy, Cohen's kappa), percentiles."""

from __future__ import annotations

import math
from typing import Sequence


def recall_at(ranked: Sequence[str], gold: set[str], k: int) -> float:
    """Share of gold ids among the first k."""
    return len(gold & set(ranked[:k])) / len(gold) if gold else 0.0


def mrr_at(ranked: Sequence[str], gold: set[str], k: int = 10) -> float:
    """Reciprocal rank of the first gold id within k (0 if none)."""
    return next((1.0 / (i + 1) for i, pid in enumerate(ranked[:k]) if pid in gold), 0.0)


def ndcg_at(ranked: Sequence[str], gold: set[str], k: int = 10) -> float:
    """Binary-relevance nDCG@k."""
    dcg = sum(1.0 / math.log2(i + 2) for i, pid in enumerate(ranked[:k]) if pid in gold)
    ideal = sum(1.0 / math.log2(i + 2) for i in range(min(len(gold), k)))
    return dcg / ideal if ideal else 0.0


def pooled_at(ranked: Sequence[str], gold: set[str], judged: dict[str, bool], k: int = 10) -> dict[str, float]:
    """Ranking against pooled relevance (gold, or judged relevant): recall@k over min(k, relevant), precision@k, and the
    share of the first k that is judged at all (gold counts as judged; a low share means the pool needs judging again)."""
    relevant = gold | {pid for pid, ok in judged.items() if ok}
    top = list(ranked[:k])
    hits = sum(pid in relevant for pid in top)
    return {f"pooled_recall@{k}": hits / min(k, len(relevant)) if relevant else 0.0, f"pooled_precision@{k}": hits / k,
            f"judged@{k}": sum(pid in gold or pid in judged for pid in top) / len(top) if top else 0.0}


def mean(xs: Sequence[float]) -> float | None:
    """Mean, or None for an empty list."""
    return sum(xs) / len(xs) if xs else None


def percentile(xs: Sequence[float], p: float) -> float | None:
    """Nearest-rank percentile (p in 0..100)."""
    if not xs:
        return None
    s = sorted(xs)
    return s[min(len(s) - 1, max(0, math.ceil(p / 100 * len(s)) - 1))]


def agreement(pred: Sequence[bool], gold: Sequence[bool]) -> dict[str, float]:
    """Accuracy, precision/recall of 'supported', and Cohen's kappa."""
    n = len(gold)
    tp = sum(p and g for p, g in zip(pred, gold))
    tn = sum(not p and not g for p, g in zip(pred, gold))
    fp = sum(p and not g for p, g in zip(pred, gold))
    fn = sum(not p and g for p, g in zip(pred, gold))
    acc = (tp + tn) / n if n else 0.0
    pe = ((tp + fp) * (tp + fn) + (fn + tn) * (fp + tn)) / (n * n) if n else 0.0
    kappa = (acc - pe) / (1 - pe) if pe < 1 else 0.0
    return {"n": n, "accuracy": acc, "precision": tp / (tp + fp) if tp + fp else 0.0,
            "recall": tp / (tp + fn) if tp + fn else 0.0, "kappa": kappa}


def token_f1(a: str, b: str) -> float:
    """SQuAD-style token F1 between two texts."""
    import re

    ta, tb = re.findall(r"\w+", a.lower()), re.findall(r"\w+", b.lower())
    if not ta or not tb:
        return 0.0
    common = 0
    pool = list(tb)
    for t in ta:
        if t in pool:
            pool.remove(t)
            common += 1
    if not common:
        return 0.0
    p, r = common / len(ta), common / len(tb)
    return 2 * p * r / (p + r)


def facts(text: str, question: str = "") -> set[str]:
    """Key facts of a text: its numbers (normalised) and names, minus those the question already states."""
    import re

    from rag.slots import names

    def nums(t: str) -> set[str]:
        out = set()
        for n in re.findall(r"(?<![\w.])\d+(?:[.,]\d+)*", t):
            n = n.replace(",", "")
            out.add(n.rstrip("0").rstrip(".") if "." in n else n)
        return out

    return (nums(text) | names(text)) - (nums(question) | names(question))


def fact_recall(answer: str, reference: str, question: str) -> float | None:
    """Share of the reference answer's key facts that the answer states; None when it has none.

    Key facts are the reference's numbers, and its names when the question asks for one ("Which …?").
    """
    import re

    from rag.focus import focus

    want = facts(reference, question)
    if not (focus(question).name or re.match(r"\s*which\b", question, re.I)):
        want = {f for f in want if re.fullmatch(r"[\d.]+", f)}
    if not want:
        return None
    have = facts(answer)
    return len(want & have) / len(want)


def content_recall(answer: str, reference: str, question: str) -> float:
    """Share of the reference's content words (stems, beyond the question's) that the answer uses."""
    from rag.terms import terms

    want = set(terms(reference)) - set(terms(question))
    return len(want & set(terms(answer))) / len(want) if want else 0.0
