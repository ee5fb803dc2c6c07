"""Evidence selection: rank the sentences of the retrieved abstracts by how well they answer the question; gate.

The weak model only phrases what this module selects. Signals (weights in `EvidenceSettings`, tuned on dev):
MiniLM question-to-sentence similarity, IDF-weighted overlap with the question's terms, what the question asks for
(a quantity needs a number in the sentence), how much the sentence says beyond the question (a sentence that
restates the question is not evidence), whether it states what the paper does or finds, its place in the abstract,
and the retrieval rank of its paper. The gate (rag/gate.py) refuses what the evidence does not cover.
A second sentence joins the evidence when the answer needs one: for each part of a two-part question, or, when no number
or name is asked, the sentence after the best one ("How does …?": the one that says by what means).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from typing import Callable, Sequence

from .availability import ASKS_POINTER_RE, POINTER_RE
from .compare import compares_papers, paper_described, papers_named
from .config import EvidenceSettings
from .slots import named_title, says
from .focus import NUMBERISH_RE, REFERRING_RE, Focus, focus, parts
from .focus import overview as asks_overview
from .gate import Gate
from .limits import asks_own_limits
from .scope import none_offered, without_examples
from .terms import Vocabulary, covered, terms, with_synonyms
from .types import Evidence, Source

CONTRIBUTION_RE = re.compile(r"\b(?:we|our|this (?:paper|work|study)|results?|experiments?|evaluations?|shows?|"
                             r"demonstrates?|achiev\w*|outperform\w*|reveals?|finds?|found|improves?|reduces?)\b", re.I)

HOW_RE = re.compile(r"\s*(?:how (?:does|do|can|could|is|are)\b(?!.*\bcompare)|what (?:mechanisms?|techniques?|strateg))",
                    re.I)  # the question asks by what means
MEANS_RE = re.compile(r"\bby (?:(?:either|first|jointly|directly|simply|also) )?\w+ing\b|\bby means of\b|\bvia\b|\bthrough\b"
                      r"|\bkey idea\b|\bleverag|\bemploy", re.I)  # a sentence that says by what means
INTRO_RE = re.compile(r"\b(?:we|this (?:paper|work|article)) (?:present|propose|introduce|develop|design)s?\b",
                      re.I)  # where a paper introduces itself
PROBLEM_ASK_RE = re.compile(r"\b(?:problems?|challenges?|issues?|gaps?|limitations?|motivat\w*)\b|\bwhy\b|"
                            r"\b(?:solve|address|tackle|overcome|fix)\w*\b", re.I)  # what a paper sets out to solve
CONTRACTION_RE = re.compile(r"\b(what|which|how|where|who)'s\b", re.I)
PLURAL_RE = re.compile(r"\b(?:they|them|their|these|those|each)\b", re.I)  # a follow-up about every listed paper
WHICH_OF_RE = re.compile(r"\b(?:which|what|how many)(?: ones?)? of (?:them|these|those|the (?:papers|above|listed))\b", re.I)
PART_WINDOW = 6  # a second part's count may stand further from its noun ("20 leading open-source and proprietary LLMs"):
# the gate has passed by then, so this refuses nothing
PART_SHARE = 0.5  # a second part's sentence is chosen by its fit to that part and, at this weight, to the whole question
ASKS_FINDING_RE = re.compile(r"\b(?:does|did|do) (?:it|they|the \w+) (?:find|identify|reveal|observe)\b", re.I)  # "… does it find?"
STATES_FINDING_RE = re.compile(r"\b(?:we|they|the study|the authors) (?:find|found|identify|identified|reveal|observe|observed)"
                               r"\b|\bresults? (?:show|reveal|indicate)|\bfindings?\b", re.I)


@dataclass
class Scored:
    """One candidate sentence with its signals."""

    source: Source
    index: int
    sentence: str
    dense: float
    overlap: float  # IDF-weighted share of the question's terms in the sentence (or the paper's title)
    novelty: float  # share of the sentence's terms that are not the question's
    number: bool
    contribution: bool  # states what the paper does or finds ("we", "our", "results", "outperforms"…)
    position: float  # 0 for the abstract's first sentence, 1 for its last
    score: float = 0.0
    stock: float | None = None  # similarity in the stock vectors, when the selector ranks with tuned ones


@dataclass
class Selection:
    """The chosen evidence and what the gate decided."""

    evidence: list[Evidence]
    candidates: list[Scored] = field(default_factory=list)
    answerable: bool = True
    reason: str = ""  # why the gate refused
    focus: Focus | None = None
    answer_sentence: str = ""  # the sentence that gives the asked number or name, when the question asks for one
    second_sentence: str = ""  # a second sentence the answer needs (EvidenceSelector.second)
    two_part: bool = False  # the second sentence answers the second part of a two-part question

    @property
    def best_n(self) -> int | None:
        """Source number of the best evidence."""
        return max(self.evidence, key=lambda e: e.score).n if self.evidence else None


class EvidenceSelector(Gate):
    """Ranks and selects evidence sentences; sentence vectors come from the tuned encoder's cache (rag/tuning.py) or,
    with the stock vectors, from the citation checker's."""

    def __init__(self, embedder, sentence_vectors: Callable[[Source], tuple[list[str], list[list[float]]]],
                 vocabulary: Vocabulary, settings: EvidenceSettings, stock: tuple | None = None):
        self.embedder, self.sentence_vectors, self.vocab, self.settings = embedder, sentence_vectors, vocabulary, settings
        self.stock = stock  # (embedder, sentence_vectors) of the stock vectors min_score is calibrated on, if not these

    def candidates(self, question: str, sources: Sequence[Source]) -> list[Scored]:
        """Every sentence of the sources, scored (the question embedded by this selector's encoder, never by another)."""
        f = focus(question)
        qvec = self.embedder.embed([question])[0]
        weights = self.vocab.weights(f.terms)
        out = []
        pointers_wanted = bool(ASKS_POINTER_RE.search(question))
        for src in sources:
            sents, vecs = self.sentence_vectors(src)
            title = set(terms(src.title))
            for i, (sent, vec) in enumerate(zip(sents, vecs)):
                # a link to code or data is not evidence, unless a result runs into it (the abstract lost a full stop:
                # "… can fall as low as 52.50% ACPBench collection is available at https://…")
                link = POINTER_RE.search(sent)
                if link and not pointers_wanted and not NUMBERISH_RE.search(sent[: link.start()]):
                    continue
                st = terms(sent)
                own = set(st) | title
                overlap = covered(weights, own)
                novelty = sum(1 for t in st if t not in weights) / max(1, len(st))
                dense = _dot(qvec, vec)
                out.append(Scored(src, i, sent, dense, overlap, novelty, bool(NUMBERISH_RE.search(sent)),
                                  bool(CONTRIBUTION_RE.search(sent)), i / max(1, len(sents) - 1)))
        if self.stock is not None and out:
            stock_q = self.stock[0].embed([question])[0]
            vectors = {src.n: self.stock[1](src)[1] for src in sources}
            for c in out:
                c.stock = _dot(stock_q, vectors[c.source.n][c.index])
        for c in out:
            c.score = self.score(c, f)
        out.sort(key=lambda c: -c.score)
        return out

    def strength(self, cands: Sequence[Scored]) -> float:
        """The best candidate's score on the scale min_score is calibrated on (the stock vectors' similarity)."""
        w = self.settings
        return max(c.score if c.stock is None else c.score + w.dense_weight * c.stock - w.tuned_weight * c.dense
                   for c in cands)

    def number_term(self, c: Scored, f: Focus) -> float:
        """The part of the score that rewards (or penalises) a number when the question asks for a quantity."""
        return (self.settings.number_weight if c.number else -self.settings.number_weight) if f.quantity else 0.0

    def score(self, c: Scored, f: Focus) -> float:
        """Weighted sum of the signals (weights tuned on dev)."""
        w = self.settings
        similarity = (w.dense_weight if c.stock is None else w.tuned_weight) * c.dense
        s = (similarity + w.overlap_weight * c.overlap - w.rank_weight * (c.source.n - 1)
             + w.contribution_weight * c.contribution + w.position_weight * c.position)
        s += self.number_term(c, f)
        if c.novelty < w.min_novelty:
            s -= w.restate_penalty
        return s

    def select(self, question: str, sources: Sequence[Source], carried: int = 0) -> Selection:
        """The best 1–4 evidence sentences (at most max_per_paper each unless one paper dominates), and the gate.
        The first `carried` sources are the papers a follow-up carries over from the previous answer. Papers the
        question names as their titles do are its papers: compared, each is quoted; one, its sentences are the evidence."""
        question = CONTRACTION_RE.sub(lambda m: m.group(1) + " is", question)  # "What's the latency …": what is asked
        f = focus(question)
        named = papers_named(question, sources)
        if compares_papers(question, named):  # "How does Splitwise differ from ScaleLLM?"
            f, sources, carried = replace(f, multi=True, compared=True), named, 0
        elif carried >= 2 and PLURAL_RE.search(question) and asks_overview(question, ""):  # "What problem do they address?"
            f, sources, carried = replace(f, multi=True, compared=True), sources[:carried], 0  # after a list: each one
        elif len(named) >= 2 and asks_overview(question, " ".join(named_title(question, s.title) or "" for s in named)):
            f, sources, carried = replace(f, multi=True, compared=True), named, 0  # "Summarize FedDisco, LEAF and FedP3."
        elif carried >= 2 and WHICH_OF_RE.search(question):  # "Which of them uses pruning?": of the listed papers only
            f, sources, carried = replace(f, multi=True), sources[:carried], 0
        ranked = sources[carried:]  # in the retrieval's order
        if ranked and none_offered(question, f"{ranked[0].title} {ranked[0].abstract}"):  # "such as an LSTM": a guess
            cands = self.candidates(without_examples(question), sources)  # that must not pick another paper's sentence
        else:
            cands = self.candidates(question, sources)
        one = named[0] if len(named) == 1 and not f.multi and not (f.value and _shared(question, named[0], sources)) else None
        # "What problem does Curator solve?", "How many parameters does Octopus v2 have?" (not when another title uses
        # the name: "the DiLoCo variant that …" may be Streaming DiLoCo's)
        if one is None and not named and not f.multi and carried == 0 and sources and (
                described := paper_described(question, sources)) is sources[0]:  # "the clinical prompt learning work",
            one = described  # when retrieval ranks it first ("the on-device language model study" may be another one's)
        named_one = one is not None
        followed = (one is None and carried == 1 and not f.multi and bool(REFERRING_RE.search(question))
                    and not PLURAL_RE.search(question))  # "How many parameters does the model have?" after Octopus v2
        if followed:
            one = sources[0]  # the paper the last answer cited: its sentences, as for a paper named
        if one is None and (not f.multi and len(ranked) > 1 and cands and cands[0].source.n != ranked[0].n
                            and ranked[0].score - ranked[1].score >= self.settings.dominance):
            one = ranked[0]  # retrieval is sure of the paper
        if one is not None:  # its sentences (and a follow-up's carried papers')
            keep = {src.n for src in sources[:carried]} | {one.n}
            cands = [c for c in cands if c.source.n in keep]
        if not cands:
            return Selection([], cands, False, "no sentences", f)
        s = self.settings
        chosen: list[Scored] = []
        per_paper: dict[str, int] = {}
        top = cands[0].score
        for c in cands:
            most, margin = (s.multi_max_papers, s.multi_margin) if f.multi else (s.max_evidence, s.keep_margin)
            if (len(chosen) >= most or c.score < top - margin) and not f.compared:
                break
            if f.multi and chosen and c.source.score < s.multi_min_retrieval and not f.compared:
                continue  # a paper retrieval ranks far below the best is seldom one of the papers asked for
            limit = s.max_per_paper if f.multi or _others_close(cands, c, s.keep_margin) else s.max_per_paper + 1
            if per_paper.get(c.source.paper_id, 0) >= (1 if f.multi else limit):
                continue
            per_paper[c.source.paper_id] = per_paper.get(c.source.paper_id, 0) + 1
            chosen.append(c)
        # the best paper's sentences with their scores, less the number term: a part may ask for no number
        # (links are not candidates)
        scored = {c.sentence: c.score - self.number_term(c, f) for c in cands if c.source.paper_id == chosen[0].source.paper_id}
        # a paper named, followed up on or compared is what is asked about, however weak its best sentence
        strength = float("inf") if named_one or followed or f.compared else self.strength(cands)
        answerable, reason, answer = self.gate(f, chosen, question, set(scored), strength)  # words the two share
        if f.multi:  # a listed paper is quoted where it says what it does, not where it reports a late result
            def quoted(c: Scored) -> float:
                return c.score + (s.multi_position_weight - s.position_weight) * c.position

            chosen = [max((o for o in cands if o.source.paper_id == c.source.paper_id), key=quoted) for c in chosen]
        if f.compared:  # a compared paper where it first names itself ("DistServe improves …", "We then propose ScaleLLM")
            chosen = [_introduction(cands, c.source, question) or c for c in chosen]
        top = chosen[0].source
        if answerable and asks_own_limits(question, top.title, top.abstract):  # "What are the limitations of Splitwise?":
            limits = self.own_limits(question, top)  # the sentences that state them, not results beside them
            chosen = [c for c in cands if c.source.paper_id == top.paper_id and c.sentence in limits]
            chosen = chosen[: s.max_evidence]
        two = parts(question)
        second = self.second(f, two, question, chosen[0], cands, scored, answer) if answerable and not f.multi else ""
        for x in (answer, second):  # the sentences with the asked numbers or names join the evidence
            if x and all(c.sentence != x for c in chosen):
                extra = next(c for c in cands if c.sentence == x and c.source.paper_id == chosen[0].source.paper_id)
                keep = [c for c in chosen if c.sentence in (answer, second)]
                chosen = [c for c in chosen if c not in keep][: max(0, s.max_evidence - 1 - len(keep))] + keep + [extra]
        if named and named_one and asks_overview(question, named[0].title.partition(":")[0]) and (
                intro := _introduction(cands, one, question)):  # "What is WildIFEval?": where the paper says what it is
            before = [c for c in cands if c.source.paper_id == one.paper_id and c.index == intro.index - 1]
            extra = [intro] + (before if PROBLEM_ASK_RE.search(question) else [])  # "What problem does vTrain solve?":
            # the problem is stated just before the paper introduces itself
            chosen = [x for x in extra if x not in chosen] + chosen
            while len(chosen) > s.max_evidence and (drop := min(
                    (c for c in chosen if c.sentence not in (answer, second) and c not in extra), key=lambda c: c.score,
                    default=None)):
                chosen.remove(drop)
        chosen.sort(key=lambda c: (c.source.n, c.index))
        if f.compared:  # in the question's order: "How does Splitwise differ from DistServe?" lists Splitwise first
            chosen.sort(key=lambda c: question.find(named_title(question, c.source.title) or ""))
        evidence = [Evidence(c.source.n, c.source.paper_id, c.source.title, c.sentence, round(c.score, 4)) for c in chosen]
        return Selection(evidence, cands, answerable, reason, f, answer, second, len(two) == 2 and second != "")

    def second(self, f: Focus, two: tuple[str, ...], question: str, best: Scored, cands: Sequence[Scored],
               scores: dict[str, float], answer: str) -> str:
        """A second sentence of the best paper the answer needs: for a two-part question, the one answering the part
        the first sentence does not; when no number or name is asked, the one after the best sentence (an abstract
        states what it does, then how or with what result: "We develop a method to distribute circuits …" / "We
        reduce it to …"), or for "How does/can …?" the best sentence that says by what means when neither of those does.
        `two` is parts(question)."""
        taken = answer or best.sentence
        if len(two) == 2:
            x = self.part(two[1], question, best.source, scores)
            if x == taken:  # the first sentence answers the second part: then the first part needs its own
                x = self.part(two[0], question, best.source, {k: v for k, v in scores.items() if k != taken})
            return "" if x == taken else x
        if answer or f.value:  # the sentence with the asked number or name is the answer
            return ""
        after = next((c.sentence for c in cands if c.source.paper_id == best.source.paper_id and c.index == best.index + 1), "")
        if HOW_RE.match(question) and not MEANS_RE.search(after):  # "How does it …?": say by what means
            mine = [c for c in cands if c.source.paper_id == best.source.paper_id]
            intro = min((c.index for c in mine if INTRO_RE.search(c.sentence)), default=-1)  # "this paper presents X"
            mine = [c for c in mine if c.sentence != taken and c.index > intro]  # what comes before is the problem
            means = [c for c in mine if MEANS_RE.search(c.sentence)]
            told = next((c.sentence for c in mine if c.index == intro + 1), "") if intro >= 0 else ""
            if means or told:
                return means[0].sentence if means else told
        return after

    def part(self, asked: str, question: str, best: Source, scores: dict[str, float]) -> str:
        """The best paper's sentence that answers one part (`asked`) of a two-part question, or "" when none does.
        `scores` are the sentences' scores for the whole question (links are not among them)."""
        f = focus(asked)
        mine, vecs = self.sentence_vectors(best)
        pool = [(x, v) for x, v in zip(mine, vecs) if x in scores]
        for test, _ in self._checks(f, best, question, [x for x, _ in pool], window=PART_WINDOW):
            pool = [(x, v) for x, v in pool if test(x)]
        weights = self.vocab.weights(f.terms)
        if not pool or not weights:
            return ""
        overlap = {x: covered(weights, with_synonyms(terms(x))) for x, _ in pool}
        if ASKS_FINDING_RE.search(asked):  # "which gaps does it find?": the sentence that says what was found answers
            overlap = {x: o + (1.0 if STATES_FINDING_RE.search(x) else 0.0) for x, o in overlap.items()}
        pool = [(x, v) for x, v in pool if overlap[x] > 0]  # it shares a word with the part it answers
        if not pool:
            return ""
        qvec = self.embedder.embed([asked])[0]

        def fit(x: str, v: Sequence[float]) -> float:
            return _dot(qvec, v) + self.settings.overlap_weight * overlap[x] + PART_SHARE * scores[x]

        return max(pool, key=lambda p: fit(*p))[0]

def _dot(a: Sequence[float], b: Sequence[float]) -> float:
    return sum(x * y for x, y in zip(a, b))


def _others_close(cands: Sequence[Scored], c: Scored, margin: float) -> bool:
    """Another paper has a sentence within margin of the best: no single paper dominates."""
    top = cands[0].score
    return any(o.source.paper_id != c.source.paper_id and o.score >= top - margin for o in cands)


def _shared(question: str, one: Source, sources: Sequence[Source]) -> bool:
    """Another source's title uses the name the question gives `one` ("Streaming DiLoCo" beside "DiLoCo")."""
    name = (named_title(question, one.title) or "").lower()
    return any(name in src.title.lower() for src in sources if src.paper_id != one.paper_id)


def _introduction(cands: Sequence[Scored], source: Source, question: str) -> Scored | None:
    """The first sentence where a paper the question names introduces itself ("We then propose ScaleLLM, …")."""
    name = named_title(question, source.title) or ""
    mine = [c for c in cands if c.source.paper_id == source.paper_id
            and (INTRO_RE.search(c.sentence) or (name and says(c.sentence, name)))]
    return min(mine, key=lambda c: c.index, default=None)
