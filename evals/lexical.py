"""Lexical overlap between a question and its gold papers: the test that a paraphrase question is really paraphrased.

A word of a paper is *rare* when its stem occurs in fewer than `share` of the corpus's papers (title + abstract).
A paraphrase question (`single_hard`, and `multi` with `"paraphrase": true`) may use no rare stem of its gold
papers, and no name-like token (acronym, CamelCase, letters with digits) of their titles or abstracts that is
uncommon in the corpus (under 2%: "GPU" is a common word here, a method's name is not).
Stems are PyStemmer's English stems, as BM25 sees them.
"""

from __future__ import annotations

import re
from collections import Counter
from functools import lru_cache
from typing import Iterable

WORD_RE = re.compile(r"[a-z0-9]+")
NAME_RE = re.compile(r"\b(?:[A-Za-z]*[A-Z][a-z0-9]*[A-Z0-9][\w]*|[A-Za-z]+\d[\w]*)\b")


@lru_cache(maxsize=1)
def _stemmer():
    import Stemmer

    return Stemmer.Stemmer("english")


def stems(text: str) -> set[str]:
    """Lower-cased, stemmed words of a text."""
    return set(_stemmer().stemWords(WORD_RE.findall(text.lower())))


class RareWords:
    """Document frequencies of stems over the corpus's papers; rare = in fewer than `share` of them."""

    def __init__(self, texts: Iterable[str], share: float = 0.01):
        self.df: Counter[str] = Counter()
        n = 0
        for text in texts:
            self.df.update(stems(text))
            n += 1
        self.floor = share * n

    def rare(self, text: str) -> set[str]:
        """Stems of text found in fewer than share of the papers."""
        return {s for s in stems(text) if self.df[s] < self.floor}

    def violations(self, question: str, gold_texts: Iterable[str]) -> list[str]:
        """Rare stems and name-like tokens the question shares with its gold papers (empty = a fair paraphrase)."""
        gold = list(gold_texts)
        rare = set().union(*(self.rare(t) for t in gold)) if gold else set()
        bad = sorted(stems(question) & rare)
        names = {n.lower() for t in gold for n in NAME_RE.findall(t)}
        bad += sorted({n for n in NAME_RE.findall(question)
                       if n.lower() in names and any(self.df[s] < 2 * self.floor for s in stems(n))})
        return bad
