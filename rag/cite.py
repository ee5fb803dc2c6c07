"""Citation checking: parse [n] markers, verify each claim against the cited abstract, re-cite or flag."""

from __future__ import annotations

import re
from collections import OrderedDict
from dataclasses import dataclass, field
from typing import Sequence

from .claims import claim_numbers, contained, problem
from .config import CiteSettings
from .markers import abstract_sentences, is_refusal, parse_markers, split_sentences, strip_markers
from .slots import claim_entities, unknown_names
from .terms import Vocabulary, singular, terms, vocab
from .types import Citation, Source

LEADING_PRONOUN_RE = re.compile(r"^(?:it|they|this (?:paper|work|method|model|approach)|the (?:paper|authors|method|approach|work))\s+", re.I)


@dataclass
class SentenceCheck:
    """One sentence of the answer after checking."""

    sentence: str  # the claim without markers
    cited: list[int]
    citations: list[Citation] = field(default_factory=list)
    problem: str = ""  # why a supported-looking sentence was still rejected (restates, reverses, misplaced number)

    @property
    def supported(self) -> bool:
        """True when at least one citation was verified and no lexical check rejected the sentence."""
        return not self.problem and any(c.verified for c in self.citations)


@dataclass
class CheckResult:
    """The checked answer: text to show (supported sentences, clean markers), citations, flagged sentences."""

    text: str
    citations: list[Citation]
    unsupported: list[str]
    sentences: list[SentenceCheck]
    said_refusal: bool


class CitationChecker:
    """Scores claims against abstracts with sentence embeddings plus a numbers check."""

    def __init__(self, embedder, settings: CiteSettings, refusal: str, cache_size: int = 512,
                 vocabulary: Vocabulary | None = None):
        self.embedder, self.settings, self.refusal = embedder, settings, refusal
        self.vocabulary = vocabulary  # corpus document frequencies: words rare in the corpus must come from the sources
        self._units: OrderedDict[str, tuple[list[str], list[list[float]]]] = OrderedDict()
        self._cache_size = cache_size

    @property
    def common(self) -> set[str]:
        """Words frequent in the corpus (LLM, GPU…): not treated as names."""
        return self.vocabulary.common if self.vocabulary is not None else set()

    def _abstract_units(self, source: Source) -> tuple[list[str], list[list[float]]]:
        """Abstract sentences followed by adjacent sentence pairs, with embeddings (cached per paper)."""
        key = source.paper_id + ":" + str(hash(source.abstract))
        if key in self._units:
            self._units.move_to_end(key)
            return self._units[key]
        sents = abstract_sentences(source.abstract)
        units = sents + [f"{a} {b}" for a, b in zip(sents, sents[1:])]
        value = (units, self.embedder.embed(units))
        self._units[key] = value
        if len(self._units) > self._cache_size:
            self._units.popitem(last=False)
        return value

    def sentence_vectors(self, source: Source) -> tuple[list[str], list[list[float]]]:
        """The abstract's sentences and their embeddings (shared with the checker's cache)."""
        units, vecs = self._abstract_units(source)
        n = (len(units) + 1) // 2  # k sentences give k-1 pairs
        return units[:n], vecs[:n]

    def score(
        self, claim: str, source: Source, claim_vec: Sequence[float] | None = None, others: Sequence[Source] = (),
        cited: Sequence[Source] = (),
    ) -> tuple[float, str, bool]:
        """(best cosine similarity, supporting abstract unit, names and numbers found in the source) for one source."""
        units, vecs = self._abstract_units(source)
        vec = claim_vec if claim_vec is not None else self.embedder.embed([claim])[0]
        sims = [sum(a * b for a, b in zip(vec, u)) for u in vecs]
        if LEADING_PRONOUN_RE.match(claim):  # "It reduces ..." is scored as "<title> reduces ..." too
            named = self.embedder.embed([LEADING_PRONOUN_RE.sub(source.title + " ", claim, count=1)])[0]
            sims = [max(s, sum(a * b for a, b in zip(named, u))) for s, u in zip(sims, vecs)]
        best = max(range(len(units)), key=sims.__getitem__)
        nums = claim_numbers(claim)
        if nums and not nums <= claim_numbers(units[best]):  # prefer evidence that shows the claim's numbers
            floor = min(sims[best] - 0.1, self.settings.support_threshold - 0.07)  # int8 vectors: -0.05 was at the edge
            with_nums = [i for i in range(len(units)) if nums <= claim_numbers(units[i]) and sims[i] >= floor]
            if with_nums:
                top = max(with_nums, key=sims.__getitem__)
                return sims[best], units[top], self._grounded(claim, source, others, cited)
        return sims[best], units[best], self._grounded(claim, source, others, cited)

    def _grounded(self, claim: str, source: Source, others: Sequence[Source], cited: Sequence[Source] = ()) -> bool:
        """Numbers and names in the claim appear in the cited sources, and no name comes only from an uncited one."""
        mine = [source] + [c for c in cited if c.paper_id != source.paper_id]
        text = " ".join(f"{c.title} {c.abstract}" for c in mine)
        if self.settings.check_numbers and not claim_numbers(claim) <= claim_numbers(text):
            return False
        if self.vocabulary is not None:  # two or more words that are rare in the corpus and absent from the sources
            here, rare = set(terms(text)), max(2.0, 0.01 * self.vocabulary.n)
            if sum(1 for t in set(terms(claim)) if t not in here and self.vocabulary.df.get(t, 0) < rare) >= 2:
                return False
        if not self.settings.check_entities:
            return True
        lowered = text.lower()
        entities = {e for e in claim_entities(claim) if singular(e) not in self.common}
        if not all(e in lowered or singular(e) in lowered for e in entities):
            return False
        ids = {c.paper_id for c in mine}
        uncited = [o for o in others if o.paper_id not in ids]
        if not uncited:
            return True
        pool = " ".join(f"{o.title} {o.abstract}" for o in others) + " " + text
        theirs = vocab(" ".join(f"{o.title} {o.abstract}" for o in uncited))
        own = vocab(text)
        return not any(w in theirs and w not in own for w in unknown_names(claim, pool) - self.common)

    def supports(
        self, claim: str, source: Source, claim_vec: Sequence[float] | None = None, others: Sequence[Source] = (),
        cited: Sequence[Source] = (),
    ) -> tuple[bool, float, str]:
        """Whether the source (read together with the sentence's other cited sources) supports the claim."""
        sim, evidence, numbers_ok = self.score(claim, source, claim_vec, others, cited)
        if numbers_ok and sim >= self.settings.support_threshold and self.settings.min_lexical_share:
            sents, _ = self.sentence_vectors(source)
            mine = set(terms(claim))
            share = max((len(mine & set(terms(u))) / len(mine) for u in sents), default=0.0) if mine else 1.0
            if share < self.settings.min_lexical_share:  # similar in embedding space, but in words of its own
                return False, sim, evidence
        if numbers_ok and sim < self.settings.support_threshold:
            units, _ = self._abstract_units(source)
            held = next((u for u in units if contained(claim, u, self.settings.lexical_share)), None)
            if held is not None:  # a claim read straight off one sentence can score low on embeddings: it passes
                return True, max(sim, self.settings.support_threshold), held
        return sim >= self.settings.support_threshold and numbers_ok, sim, evidence

    def check(self, answer: str, sources: Sequence[Source], question: str = "") -> CheckResult:
        """Verify every sentence's citations; move failed ones to a supporting source, flag the rest.

        A sentence that restates the question, reverses its evidence or attaches a number to another quantity is rejected
        even when its citation verifies.
        """
        k = len(sources)
        by_n = {s.n: s for s in sources}
        checks: list[SentenceCheck] = []
        said_refusal = False
        for raw in split_sentences(answer):
            claim = strip_markers(raw)
            if is_refusal(claim, self.refusal):
                said_refusal = True
                continue
            if len(re.findall(r"\w+", claim)) < 2 or _is_source_line(claim, sources):
                continue  # fragments and echoed titles are not claims
            checks.append(SentenceCheck(claim, parse_markers(raw, k)))
        if checks and sources:
            vecs = self.embedder.embed([c.sentence for c in checks])
            for chk, vec in zip(checks, vecs):
                self._check_sentence(chk, vec, by_n, sources)
                chk.problem = _problem(chk, question, by_n)
        kept = [c for c in checks if c.supported]
        text = " ".join(_render(c) for c in kept)
        return CheckResult(
            text=text,
            citations=[cit for c in kept for cit in c.citations if cit.verified],
            unsupported=[c.sentence + (f" ({c.problem})" if c.problem else "") for c in checks if not c.supported],
            sentences=checks,
            said_refusal=said_refusal,
        )

    def _check_sentence(self, chk: SentenceCheck, vec, by_n: dict[int, Source], sources: Sequence[Source]) -> None:
        failed: list[int] = []
        cocited = [by_n[n] for n in chk.cited]
        for n in chk.cited:
            ok, sim, evidence = self.supports(chk.sentence, by_n[n], vec, sources, cocited)
            if ok:
                chk.citations.append(Citation(n, by_n[n].paper_id, by_n[n].title, chk.sentence, True, evidence, sim))
            else:
                failed.append(n)
        if chk.supported:
            return
        # No cited source supports it: the best-supporting source, if any passes, takes the citation.
        best = max(((self.supports(chk.sentence, s, vec, sources), s) for s in sources), key=lambda x: (x[0][0], x[0][1]))
        (ok, sim, evidence), src = best
        if ok:
            chk.citations.append(
                Citation(src.n, src.paper_id, src.title, chk.sentence, True, evidence, sim,
                         moved_from=failed[0] if failed else None, added=not failed)
            )
        else:
            for n in failed:
                _, sim_n, ev_n = self.supports(chk.sentence, by_n[n], vec, sources, cocited)
                chk.citations.append(Citation(n, by_n[n].paper_id, by_n[n].title, chk.sentence, False, ev_n, sim_n))


def _render(chk: SentenceCheck) -> str:
    marks = "".join(f"[{n}]" for n in sorted({c.n for c in chk.citations if c.verified}))
    body = chk.sentence.rstrip()
    end = body[-1] if body and body[-1] in ".!?" else "."
    body = body[:-1] if body and body[-1] in ".!?" else body
    return f"{body} {marks}{end}"


def _problem(chk: SentenceCheck, question: str, by_n: dict[int, Source]) -> str:
    """Why a sentence whose citation verified must still go, or "" (rag/claims.py's tests on each verified citation)."""
    good = [c for c in chk.citations if c.verified]
    if not good:
        return ""
    return problem(chk.sentence, [(c.evidence, by_n[c.n].abstract) for c in good], question, by_n[good[0].n].title)


def _norm(text: str) -> str:
    return " ".join(re.findall(r"\w+", text.lower()))


def _is_source_line(claim: str, sources: Sequence[Source]) -> bool:
    c = _norm(claim)
    return any(c == _norm(s.title) for s in sources)
