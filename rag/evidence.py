"""Evidence selection: rank the sentences of the retrieved abstracts by how well they answer the question; gate.

The weak model only phrases what this module selects. Signals (weights in `EvidenceSettings`, tuned on dev):
MiniLM question-to-sentence similarity, IDF-weighted overlap with the question's terms, what the question asks for
(a quantity needs a number in the sentence), how much the sentence says beyond the question (a sentence that
restates the question is not evidence), and the retrieval rank of its paper.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Callable, Iterable, Sequence

from .config import EvidenceSettings
from .types import Evidence, Source

WORD_RE = re.compile(r"[a-z][a-z0-9\-]*|\d+(?:\.\d+)?")
STOP = frozenset("""a an and are as at be been being but by can could did do does doing done for from had has have how if in
into is it its itself may might more most much must no nor not of on once only or other our out over own same should so some
such than that the their them then there these they this those through to too under until up very was we were what when where
which while who whom why will with would you your yes also both each few further here just any all about above after again
against below between during before via per using use used uses based whose onto upon within without across among toward
towards""".split())
ASKING = frozenset("""paper papers work works study studies research researcher researchers author authors propose proposes proposed
approach approaches method methods technique techniques present presents introduce introduces describe describes report
reports reported show shows find finds found exist exists existing anyone something kind way ways help helps get gets give
gives make makes achieve achieves achieved obtain obtained new called named""".split())
QUANTITY_WORDS = (r"(?:percentage|percent|fraction|share|proportion|speed-?ups?|accuracy|accuracies|scores?|size|number|rates?|"
                  r"ratio|factor|margin|gains?|improvements?|reductions?|throughput|latency|cost|amount|errors?|savings?|"
                  r"count|times|perplexity|bleu|f1|parameters|utili[sz]ation|exponent|length|gap|energy|power|bandwidth|"
                  r"budget|footprint|overhead|capacity|efficiency|precision|recall|auc|mfu|hours|memory)")
QUANTITY_RE = re.compile(
    r"\bhow (?:many|much|fast|large|big|long|often|high|low|small|quickly|far|well)\b|\bby how\b|\bby what\b|"
    r"\b(?:what|which) (?:[\w-]+ ){0,4}" + QUANTITY_WORDS + r"\b|"
    r"\bhow .{0,40}\b(?:faster|slower|better|larger|smaller|fewer|less|more|cheaper)\b", re.I)
TIME_RE = re.compile(r"\bhow long\b|\bin (?:hours|days|minutes|seconds|weeks|months)\b", re.I)
HOW_MUCH_RE = re.compile(r"\bhow (?:much|long) (?!did|does|do|is|are|was|were|can|could|would|will|has|have|had|more|less|faster|better)"
                         r"((?:[\w/-]+ ){0,2}[\w/-]+)", re.I)
CONTRIBUTION_RE = re.compile(r"\b(?:we|our|this (?:paper|work|study)|results?|experiments?|evaluations?|shows?|"
                             r"demonstrates?|achiev\w*|outperform\w*|reveals?|finds?|found|improves?|reduces?)\b", re.I)
MULTI_RE = re.compile(r"\b(?:which|what) (?:papers|works|studies|articles|publications|approaches|systems|methods)\b|"
                      r"\bwhat (?:work|research) (?:exists|is there)\b|\bpapers? (?:that|which)\b", re.I)
NUMBER_RE = re.compile(r"\d|\b(?:two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|twenty|thirty|forty|fifty|"
                       r"hundreds?|thousands?|millions?|billions?|trillions?|half|double|twice|triple|tenfold|dozens?)\b", re.I)


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


COUNT_RE = re.compile(r"\bhow many (?:more |distinct |different |separate |individual |total |of the )?((?:[\w/-]+ ){0,2}[\w/-]+)", re.I)
MEASURE_RE = re.compile(r"\b(?:what|which) ((?:[\w/-]+ ){0,4}?" + QUANTITY_WORDS + r")\b", re.I)
NAME_ASK_RE = re.compile(r"\b(?:which|what) (?:[\w-]+ ){0,2}?(models?|llms?|datasets?|benchmarks?|browsers?|chipsets?|boards?|"
                         r"microcontrollers?|hardware|gpus?|librar(?:y|ies)|baselines?|optimizers?|famil(?:y|ies)|compilers?|"
                         r"programming languages?)\b", re.I)
SLOT_STOP = frozenset("did does do is are was were can could would will has have had in on of for to that the a an by with "
                      "it its they their when while and or per each every than as".split())
VERBS = frozenset("took take takes went go goes made make makes ran run runs got get gets came come gave give gives saw see "
                  "found find finds need needs contain contains include includes cover covers span spans remain remains "
                  "appear appears exist exists".split())
SYNONYMS = [{"gpu", "acceler", "chip", "card", "devic"}, {"paramet", "weight"}, {"paper", "public", "studi", "articl", "work"},
            {"llm", "model"}, {"task", "problem", "question", "exampl", "instanc"}, {"hour", "gpu-hour"}, {"household", "home"}, {"app", "applic"},
            {"memori", "byte", "gb", "mb", "kb", "tb", "space", "size", "storag", "disk"}, {"accuraci", "perform", "score"},
            {"particip", "user", "subject", "peopl", "respond"}]


@dataclass(frozen=True)
class Focus:
    """What a question asks for."""

    terms: tuple[str, ...]
    quantity: bool  # a number is asked for
    multi: bool  # several papers are asked for ("Which papers …?")
    count: tuple[str, ...] = ()  # "how many X": the stems of X, which must be what the number counts
    measure: tuple[str, ...] = ()  # "what X" for a quantity X (accuracy, speedup…): stems that must be near the number
    name: tuple[str, ...] = ()  # "which dataset/model/GPU …": a name must be given beside this word


def _asked(match: re.Match | None, question: str) -> re.Match | None:
    """A wh-phrase match only when it is what the question asks: near its start or after a comma or "and"."""
    if match is None:
        return None
    before = question[: match.start()]
    return match if len(before) <= 40 or re.search(r"(?:,|\band)\s*$", before) else None


def focus(question: str) -> Focus:
    """Read what the question asks for from its wording."""
    count = measure = ()
    if m := _asked(COUNT_RE.search(question), question):
        count = _head(m.group(1))  # "how many GPU hours" counts hours
    elif m := MEASURE_RE.search(question):
        measure = tuple(terms(m.group(1)))
    elif m := HOW_MUCH_RE.search(question + " "):
        measure = _head(m.group(1))
    elif TIME_RE.search(question):
        measure = ("hour", "day", "minut", "second", "week", "month", "year", "time")
    name = NAME_ASK_RE.search(question)
    quantity = bool(_asked(QUANTITY_RE.search(question), question))
    return Focus(tuple(question_terms(question)), quantity, bool(MULTI_RE.search(question)),
                 count if quantity else (), measure if quantity else (),
                 tuple(terms(name.group(1))) if name and not MULTI_RE.search(question) else ())


def _head(phrase: str) -> tuple[str, ...]:
    """The stem of a phrase's head noun: its last word before a function word ("GPU hours per run" -> hour)."""
    words = []
    for w in phrase.lower().split():
        if w in SLOT_STOP or w in VERBS or (w.endswith("ed") and len(w) > 4):
            break
        words.append(w)
    return tuple(terms(words[-1]))[-1:] if words else ()


def _same(a: str, b: str) -> bool:
    a, b = a.rstrip("s") or a, b.rstrip("s") or b
    return a == b or any(a in group and b in group for group in SYNONYMS)


NUM_TOKEN_RE = re.compile(r"\d[\d,.]*(?:[%x×]|[kmbt]\b)?|\b(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|"
                          r"twenty|thirty|forty|fifty|hundreds?|thousands?|millions?|billions?|dozens?|half|double|twice|"
                          r"triple)\b", re.I)


def counts(sentence: str, what: Sequence[str]) -> bool:
    """Some number in the sentence counts `what` (one of its stems is among the three words after the number)."""
    words = re.findall(r"\S+", sentence)
    for i, w in enumerate(words):
        if NUM_TOKEN_RE.match(w.strip("(~")):
            after = terms(" ".join(words[i + 1 : i + 5]))[:4]
            if any(_same(a, b) for a in after for b in what):
                return True
    return False


def number_context(sentences: Iterable[str], ask: dict[str, float], window: int = 8) -> float:
    """The best IDF-weighted share of the asked terms found within `window` words of a number, over the sentences."""
    total = sum(ask.values()) or 1.0
    best = 0.0
    for sent in sentences:
        words = re.findall(r"\S+", sent)
        for i, w in enumerate(words):
            if NUM_TOKEN_RE.search(w):
                near = set(terms(" ".join(words[max(0, i - window) : i + window + 1])))
                best = max(best, sum(v for t, v in ask.items() if t in near) / total)
    return best


RATIO_STEMS = frozenset({"speedup", "speed-up", "factor", "time", "fold"})
SHARE_STEMS = frozenset({"percentag", "percent", "fraction", "share", "proport"})
RATIO_RE = re.compile(r"\d[\d.,]*\s?(?:x|×)(?!\w)|\d[\d.,]*-?\s?(?:times|fold)\b", re.I)
SHARE_RE = re.compile(r"\d[\d.,]*\s?%|\bpercent\b|\bout of\b|\bhalf\b", re.I)


def measures(sentence: str, what: Sequence[str], window: int = 8) -> bool:
    """The sentence gives the asked measure: a ratio for a speed-up, a percentage for a share, else a number near its word."""
    if RATIO_STEMS & set(what) and RATIO_RE.search(sentence):
        return True
    if SHARE_STEMS & set(what) and SHARE_RE.search(sentence):
        return True
    words = re.findall(r"\S+", sentence)
    for i, w in enumerate(words):
        if NUM_TOKEN_RE.search(w):
            near = terms(" ".join(words[max(0, i - window) : i + window + 1]))
            if any(_same(a, b) for a in near for b in what):
                return True
    return False


class Vocabulary:
    """Document frequencies of stems over the index's chunks: IDF for term overlap."""

    def __init__(self, texts: Iterable[str]):
        self.df: dict[str, int] = {}
        self.n = 0
        for text in texts:
            self.n += 1
            for t in set(terms(text)):
                self.df[t] = self.df.get(t, 0) + 1

    def idf(self, stem: str) -> float:
        """BM25-style inverse document frequency (unknown stems count as rare)."""
        df = self.df.get(stem, 0)
        return math.log(1 + (self.n - df + 0.5) / (df + 0.5))


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


@dataclass
class Selection:
    """The chosen evidence and what the gate decided."""

    evidence: list[Evidence]
    candidates: list[Scored] = field(default_factory=list)
    answerable: bool = True
    reason: str = ""  # why the gate refused
    focus: Focus | None = None
    answer_sentence: str = ""  # the sentence that gives the asked number or name, when the question asks for one

    @property
    def best_n(self) -> int | None:
        """Source number of the best evidence."""
        return max(self.evidence, key=lambda e: e.score).n if self.evidence else None


class EvidenceSelector:
    """Ranks and selects evidence sentences; sentence vectors come from the citation checker's cache."""

    def __init__(self, embedder, sentence_vectors: Callable[[Source], tuple[list[str], list[list[float]]]],
                 vocabulary: Vocabulary, settings: EvidenceSettings):
        self.embedder, self.sentence_vectors, self.vocab, self.settings = embedder, sentence_vectors, vocabulary, settings

    def candidates(self, question: str, sources: Sequence[Source], qvec: Sequence[float] | None = None) -> list[Scored]:
        """Every sentence of the sources, scored."""
        f = focus(question)
        qvec = qvec if qvec is not None else self.embedder.embed([question])[0]
        weights = {t: self.vocab.idf(t) for t in f.terms}
        total = sum(weights.values()) or 1.0
        out = []
        for src in sources:
            sents, vecs = self.sentence_vectors(src)
            title = set(terms(src.title))
            for i, (sent, vec) in enumerate(zip(sents, vecs)):
                st = terms(sent)
                own = set(st) | title
                overlap = sum(w for t, w in weights.items() if t in own) / total
                novelty = sum(1 for t in st if t not in weights) / max(1, len(st))
                dense = sum(a * b for a, b in zip(qvec, vec))
                out.append(Scored(src, i, sent, dense, overlap, novelty, bool(NUMBER_RE.search(sent)),
                                  bool(CONTRIBUTION_RE.search(sent)), i / max(1, len(sents) - 1)))
        for c in out:
            c.score = self.score(c, f)
        out.sort(key=lambda c: -c.score)
        return out

    def score(self, c: Scored, f: Focus) -> float:
        """Weighted sum of the signals (weights tuned on dev)."""
        w = self.settings
        s = (w.dense_weight * c.dense + w.overlap_weight * c.overlap - w.rank_weight * (c.source.n - 1)
             + w.contribution_weight * c.contribution + w.position_weight * c.position)
        if f.quantity:
            s += w.number_weight if c.number else -w.number_weight
        if c.novelty < w.min_novelty:
            s -= w.restate_penalty
        return s

    def select(self, question: str, sources: Sequence[Source], qvec: Sequence[float] | None = None) -> Selection:
        """The best 1–4 evidence sentences (at most max_per_paper each unless one paper dominates), and the gate."""
        f = focus(question)
        cands = self.candidates(question, sources, qvec)
        if not cands:
            return Selection([], cands, False, "no sentences", f)
        s = self.settings
        chosen: list[Scored] = []
        per_paper: dict[str, int] = {}
        top = cands[0].score
        for c in cands:
            if len(chosen) >= s.max_evidence or c.score < top - s.keep_margin:
                break
            limit = s.max_per_paper if f.multi or _others_close(cands, c, s.keep_margin) else s.max_per_paper + 1
            if per_paper.get(c.source.paper_id, 0) >= (1 if f.multi else limit):
                continue
            per_paper[c.source.paper_id] = per_paper.get(c.source.paper_id, 0) + 1
            chosen.append(c)
        answerable, reason, answer = self.gate(f, chosen, question)
        if answer and all(c.sentence != answer for c in chosen):  # the sentence with the asked number joins the evidence
            extra = next(c for c in cands if c.sentence == answer and c.source.paper_id == chosen[0].source.paper_id)
            chosen = chosen[: s.max_evidence - 1] + [extra]
        chosen.sort(key=lambda c: (c.source.n, c.index))
        evidence = [Evidence(c.source.n, c.source.paper_id, c.source.title, c.sentence, round(c.score, 4)) for c in chosen]
        return Selection(evidence, cands, answerable, reason, f, answer)

    def gate(self, f: Focus, chosen: Sequence[Scored], question: str = "") -> tuple[bool, str, str]:
        """(answerable, why not, the best paper's sentence that gives the asked number or name, if one is asked)."""
        best = chosen[0]
        if best.score < self.settings.min_score:
            return False, "the evidence is too weak", ""
        if f.multi:
            return True, "", ""  # "which papers …": every selected paper is an answer
        own = f"{best.source.title} {best.source.abstract}"
        missing = _unmentioned(question, own)
        if missing:
            return False, f"the best paper does not mention {', '.join(sorted(missing))}", ""
        numbers = _numbers(question) - _numbers(own)
        if numbers:
            return False, f"the best paper does not mention {', '.join(sorted(numbers))}", ""
        mine, _ = self.sentence_vectors(best.source)  # the asked slot may be filled anywhere in the best paper's abstract
        order = sorted(mine, key=lambda x: x not in {c.sentence for c in chosen})  # prefer a sentence already chosen
        checks = []
        if f.quantity:
            checks.append((lambda x: bool(NUMBER_RE.search(x)), "asked for a number the evidence lacks"))
        if f.count:
            checks.append((lambda x: counts(x, f.count), f"no number in the evidence counts {' '.join(f.count)}"))
        if f.measure:
            checks.append((lambda x: measures(x, f.measure), f"no number in the evidence measures {' '.join(f.measure)}"))
        if f.name:
            names = _name_like(question) | _name_like(best.source.title)
            checks.append((lambda x: bool(_name_like(x) - names) and _mentions(x, f.name),
                           f"asked for a {' '.join(f.name)} the evidence does not name"))
        answer = ""
        for test, why in checks:
            hits = [x for x in order if test(x)]
            if not hits:
                return False, why, ""
            answer = hits[0] if not answer or answer not in hits else answer
        return True, "", answer


NAME_TOKEN_RE = re.compile(r"\b(?:[A-Za-z]*[A-Z][a-z0-9]*[A-Z0-9][\w.+-]*|[A-Za-z]+-?\d[\w.+-]*|[A-Z][a-z]+[A-Z]\w*)")


def names(text: str) -> set[str]:
    """Name-like tokens (acronyms, CamelCase, letters with digits), as lower-case alphanumeric parts joined."""
    return {re.sub(r"[^a-z0-9]", "", n.lower()) for n in NAME_TOKEN_RE.findall(text)} - {""}


def _name_like(text: str) -> set[str]:
    """Tokens that look like names or model numbers: a capital after the first letter, or a digit (RTX, 3090, GPT-4)."""
    return {t.lower() for t in re.findall(r"[A-Za-z0-9]+", text) if re.search(r"\d|.[A-Z]", t)}


def _numbers(text: str) -> set[str]:
    """Numbers written with digits, as plain values ("2,048" and "2048" alike; "530B" is 530; "100,200" is also 100, 200)."""
    out = set()
    for n in re.findall(r"(?<![\d.])\d+(?:[.,]\d+)*", text):
        for v in {n.replace(",", ""), *n.split(",")}:
            out.add(v.rstrip("0").rstrip(".") if "." in v else v)
    return out


def _mentions(sentence: str, what: Sequence[str]) -> bool:
    return any(_same(a, b) for a in terms(sentence) for b in what)


def _unmentioned(question: str, text: str) -> set[str]:
    """Names in the question (HumanEval+, VQAv2, GH200; not plain acronyms) that the text never mentions."""
    flat = re.sub(r"[^a-z0-9]", "", text.lower())
    out = set()
    for name in NAME_TOKEN_RE.findall(question):
        if name.rstrip("s").isupper() and name.rstrip("s").isalpha():
            continue  # a plain acronym (GPU, LLMs, GNN) may be written out in the abstract
        parts = [p for p in re.split(r"[^A-Za-z0-9]+", name) if re.search(r"[A-Za-z]", p) and re.search(r"\d|[A-Z]", p)]
        if parts and not any(p.lower() in flat for p in parts):
            out.add(name)
    return out


def _others_close(cands: Sequence[Scored], c: Scored, margin: float) -> bool:
    """Another paper has a sentence within margin of the best: no single paper dominates."""
    top = cands[0].score
    return any(o.source.paper_id != c.source.paper_id and o.score >= top - margin for o in cands)
