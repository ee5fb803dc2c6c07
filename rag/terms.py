"""Words of a text: content-word stems (Snowball, stopwords dropped) and the synonyms the gate treats as one term
(an LLM is a model, a GPU an accelerator)."""

from __future__ import annotations

import math
import re
from collections import Counter
from functools import lru_cache
from typing import Iterable

WORD_RE = re.compile(r"[a-z][a-z0-9\-]*|\d+(?:\.\d+)?")

STOP = frozenset("""a an and are as at be been being but by can could did do does doing done for from had has have how if in
into is it its itself may might more most much must no nor not of on once only or other our out over own same should so some
such than that the their them then there these they this those through to too under until up very was we were what when where
which while who whom why will with would you your yes also both each few further here just any all about above after again
against below between during before via per using use used uses based whose onto upon within without across among toward
towards""".split())

STOP_ALT = "|".join(sorted(STOP))  # the stopwords as a regex alternation

ASKING = frozenset("""paper papers work works study studies research researcher researchers author authors propose proposes proposed
approach approaches method methods technique techniques present presents introduce introduces describe describes report
reports reported show shows find finds found exist exists existing anyone something kind way ways help helps get gets give
gives make makes achieve achieves achieved obtain obtained new called named""".split())


@lru_cache(maxsize=1)
def _stemmer():
    import Stemmer

    return Stemmer.Stemmer("english")


@lru_cache(maxsize=50_000)
def _stem(word: str) -> str:
    return _stemmer().stemWord(word)


def terms(text: str) -> list[str]:
    """Content-word stems of a text (stopwords dropped, hyphenated words split too)."""
    out = []
    for w in WORD_RE.findall(text.lower()):
        for part in [w, *w.split("-")] if "-" in w else (w,):
            if part and part not in STOP and len(part) > 1:
                out.append(_stem(part))
    return out


def question_terms(question: str) -> list[str]:
    """The question's content stems without the words every question uses ("paper", "propose", "method"…)."""
    asking = {_stem(w) for w in ASKING}
    return list(dict.fromkeys(t for t in terms(question) if t not in asking))

SYNONYMS = [{"gpu", "acceler", "chip", "card", "devic"}, {"faster", "speed", "speedup", "speed-up", "fast", "quicker"},
            {"paramet", "weight"}, {"paper", "public", "studi", "articl", "work"},
            {"llm", "model"}, {"task", "problem", "question", "exampl"}, {"hour", "gpu-hour"}, {"household", "home"}, {"app", "applic"},
            {"memori", "byte", "gb", "mb", "kb", "tb", "space", "size", "storag", "disk"}, {"accuraci", "perform", "score"},
            {"particip", "user", "subject", "peopl", "respond"}, {"interfac", "api"}, {"step", "iter"}]


def _unplural(stem: str) -> str:
    """A stem without a plural s ("llms" is "llm")."""
    return stem.rstrip("s") or stem


def with_synonyms(stems: Iterable[str]) -> set[str]:
    """The stems, without their plural too, and their synonyms (an LLM is a model)."""
    out = {x for t in stems for x in (t, _unplural(t))}
    return out | {x for group in SYNONYMS if out & group for x in group}


def same_term(a: str, b: str) -> bool:
    """Two stems name the same thing: equal up to a plural, or synonyms (GPU/accelerator, LLM/model)."""
    a, b = _unplural(a), _unplural(b)
    return a == b or any(a in group and b in group for group in SYNONYMS)


class Vocabulary:
    """Document frequencies of stems over the index's chunks (IDF for term overlap), and the everyday words: those
    (plurals folded) in at least `share` of the chunks (LLM, GPU…), which are no names."""

    def __init__(self, texts: Iterable[str], share: float = 0.02):
        self.df: dict[str, int] = {}
        self.n = 0
        words: Counter[str] = Counter()
        for text in texts:
            self.n += 1
            for t in set(terms(text)):
                self.df[t] = self.df.get(t, 0) + 1
            words.update(vocab(text))
        floor = max(3, share * self.n)
        self.common = {w for w, n in words.items() if n >= floor}

    def count(self, stem: str) -> int:
        """How many chunks use the stem."""
        return self.df.get(stem, 0)

    def idf(self, stem: str) -> float:
        """BM25-style inverse document frequency (unknown stems count as rare)."""
        df = self.df.get(stem, 0)
        return math.log(1 + (self.n - df + 0.5) / (df + 0.5))

    def weights(self, stems: Iterable[str]) -> dict[str, float]:
        """Each stem's IDF: how much it counts in an overlap."""
        return {t: self.idf(t) for t in stems}

    def coverage(self, question: str, text: str) -> float:
        """IDF-weighted share of the question's content stems that the text uses (1.0 for a question without any)."""
        weights = self.weights(question_terms(question))
        return covered(weights, set(terms(text))) if weights else 1.0


def covered(weights: dict[str, float], stems: set[str]) -> float:
    """The IDF-weighted share of the question's terms (`weights`) among the stems."""
    return sum(w for t, w in weights.items() if t in stems) / (sum(weights.values()) or 1.0)


def singular(word: str) -> str:
    """A plural folded to its singular ("LLMs" = "LLM"), for words longer than three letters."""
    return word[:-1] if len(word) > 3 and word.endswith("s") else word


def vocab(text: str) -> set[str]:
    """Lowercased words of a text, plurals folded ("LLMs" = "LLM")."""
    return {singular(w) for w in re.findall(r"[a-z0-9][\w\-]*", text.lower())}
