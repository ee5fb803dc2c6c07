"""Reading a question: its content terms, what it asks for (a count, a measure, a name, several papers), and the
lexical tests that a sentence gives it (a number that counts or measures the asked thing, a name beside the asked word).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Sequence

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
UNIT_ASK_RE = re.compile(r"\bin (tokens|hours|days|minutes|seconds|milliseconds|gb|mb|tb|gigabytes|watts|joules|dollars)\b"
                         r"(?=\s*[,?)])", re.I)
HOW_MUCH_RE = re.compile(r"\bhow (?:much|long) (?!did|does|do|is|are|was|were|can|could|would|will|has|have|had|more|less|faster|better)"
                         r"((?:[\w/-]+ ){0,2}[\w/-]+)", re.I)
MULTI_RE = re.compile(r"\b(?:which|what) (?:papers|works|studies|articles|publications|approaches|systems|methods)\b|"
                      r"\bwhat (?:work|research) (?:exists|is there)\b|\bpapers? (?:that|which)\b", re.I)
NUMBERISH_RE = re.compile(r"\d|\b(?:two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|twenty|thirty|forty|fifty|"
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
    elif m := UNIT_ASK_RE.search(question):
        measure = tuple(terms(m.group(1)))  # "…, in tokens, …": the number must be of that unit
    elif m := MEASURE_RE.search(question):
        rest, words = question[m.end() :], m.group(1).split()
        while more := re.match(r"\s+" + QUANTITY_WORDS + r"\b", rest, re.I):  # "throughput speedup": the last word is asked
            words.append(more.group().strip())
            rest = rest[more.end() :]
        measure = tuple(terms(words[-1]))  # the quantity word itself, not its modifiers ("context length" -> length)
        if measure and measure[0] in CHANGE_STEMS and len(words) > 1:
            measure = tuple(terms(words[-2])) + measure  # "throughput gain": the gain is measured in throughput
    elif m := HOW_MUCH_RE.search(question + " "):
        measure = _head(m.group(1))
    elif TIME_RE.search(question):
        measure = ("hour", "day", "minut", "second", "week", "month", "year", "time")
    name = NAME_ASK_RE.search(question)
    if name and re.match(r"\s+" + QUANTITY_WORDS + r"\b", question[name.end():], re.I):
        name = None  # "what benchmark score": a score is asked, the benchmark only qualifies it
    q = _asked(QUANTITY_RE.search(question), question)
    if q and re.match(r"(?:what|which)\b", q.group(), re.I) and _verb_inside(q.group()):
        q = None  # "which technique narrowed the gap": a verb in between, no quantity is asked
    quantity = bool(q)
    return Focus(tuple(question_terms(question)), quantity, bool(MULTI_RE.search(question)),
                 count if quantity else (), measure if quantity else (),
                 tuple(terms(name.group(1))) if name and not MULTI_RE.search(question) else ())


def _verb_inside(phrase: str) -> bool:
    """A verb among the words between "what/which" and the quantity word ("which technique narrowed the gap")."""
    return any(w in VERBS or (w.endswith("ed") and len(w) > 4) for w in phrase.lower().split()[1:-1])


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


SCALE_RE = re.compile(r"^(?:hundreds?|thousands?|millions?|billions?|trillions?)\W*$", re.I)
YEAR_RE = re.compile(r"^(?:19|20)\d\d$")


def _answer_number(token: str, given: frozenset[str]) -> bool:
    """A number token that could answer: not a year, not a number the question already states."""
    token = token.strip("(~,.;:")
    if not NUM_TOKEN_RE.match(token) or YEAR_RE.match(token):
        return False
    return not (numbers(token) and numbers(token) <= given)


def new_number(sentence: str, given: frozenset[str] = frozenset()) -> bool:
    """The sentence states a number that could answer (not a year, not one of the question's own numbers)."""
    return any(_answer_number(t, given) for t in re.findall(r"[\d.,]*\d[\d.,]*[%x×kmbtKMBT]?|[A-Za-z]+", sentence))


def counts(sentence: str, what: Sequence[str], given: frozenset[str] = frozenset()) -> bool:
    """Some new number in the sentence counts `what` (one of its stems is among the three words after the number)."""
    words = re.findall(r"\S+", sentence)
    for i, w in enumerate(words):
        if SCALE_RE.match(w) and i and re.search(r"\d", words[i - 1]):
            continue  # "2.75 million": the scale word is part of the number before it
        if _answer_number(w, given):
            after = terms(" ".join(words[i + 1 : i + 5]))  # the next four words ("10K real-world JSON schemas")
            if any(_same(a, b) for a in after for b in what):
                return True
    return False


CHANGE_STEMS = frozenset({"gain", "improv", "reduct", "save", "increas", "boost"})
RATIO_STEMS = frozenset({"speedup", "speed-up", "factor", "time", "fold"})
SHARE_STEMS = frozenset({"percentag", "percent", "fraction", "share", "proport"})
RATIO_RE = re.compile(r"\d[\d.,]*\s?(?:x|×)(?!\w)|\d[\d.,]*-?\s?(?:times|fold)\b", re.I)
SHARE_RE = re.compile(r"\d[\d.,]*\s?%|\bpercent\b|\bout of\b|\bhalf\b", re.I)


def measures(sentence: str, what: Sequence[str], window: int = 8, given: frozenset[str] = frozenset()) -> bool:
    """The sentence gives the asked measure: a ratio for a speed-up, a percentage for a share, else a new number near its word."""
    if RATIO_STEMS & set(what) and any(not numbers(m) <= given for m in RATIO_RE.findall(sentence)):
        return True
    if SHARE_STEMS & set(what) and SHARE_RE.search(sentence):
        return True
    words = re.findall(r"\S+", sentence)
    for i, w in enumerate(words):
        if any(_answer_number(t, given) for t in re.findall(r"[\d.,]*\d[\d.,]*[%x×kmbtKMBT]?|[A-Za-z]+", w)):
            near = terms(" ".join(words[max(0, i - window) : i + window + 1]))
            if any(_same(a, b) for a in near for b in what):
                return True
    return False


NAME_TOKEN_RE = re.compile(r"\b(?:[A-Za-z]*[A-Z][a-z0-9]*[A-Z0-9][\w.+-]*|[A-Za-z]+-?\d[\w.+-]*|[A-Z][a-z]+-?[A-Z][\w.+-]*)")


def names(text: str) -> set[str]:
    """Name-like tokens (acronyms, CamelCase, letters with digits), as lower-case alphanumeric parts joined."""
    return {re.sub(r"[^a-z0-9]", "", n.lower()) for n in NAME_TOKEN_RE.findall(text)} - {""}


def name_like(text: str) -> set[str]:
    """Tokens that look like names or model numbers: a capital after the first letter, or a digit (RTX, 3090, GPT-4)."""
    return {t.lower() for t in re.findall(r"[A-Za-z0-9]+", text) if re.search(r"\d|.[A-Z]", t)}


GENERIC_ACRONYMS = frozenset("llm gpu cpu tpu npu api ai ml dl nlp dnn cnn gnn rnn moe sota rl vlm mllm lm qa flop tflop gflop "
                             "pflop qp tp fp".split())
KIND_STEMS = frozenset("model llm dataset benchmark browser chipset board microcontrol hardwar gpu librari baselin optim famili "
                       "compil languag corpus framework system agent suit task devic simul".split())
UNITISH_RE = re.compile(r"^(?:x\d+|\d+(?:x|[kmbgt]|bits?|yrs?|gb|mb|tb|ms|s|h|k|m)|\d{3,})$", re.I)


def new_names(sentence: str, kind: Sequence[str], known: set[str]) -> set[str]:
    """Names the sentence gives that could be of the asked kind: not known, not a number or unit, not a generic acronym
    (LLMs, GPUs), not labelled as another kind ("the MultiWOZ dataset" is no LLM)."""
    toks = re.findall(r"[A-Za-z0-9]+", sentence)
    known = known | {k.rstrip("s") for k in known}
    out = set()
    for i, t in enumerate(toks):
        low = t.lower()
        if not re.search(r"\d|.[A-Z]", t) or low in known or low.rstrip("s") in known or UNITISH_RE.match(t):
            continue
        if low.rstrip("s") in GENERIC_ACRONYMS:
            continue
        label = terms(toks[i + 1]) if i + 1 < len(toks) else []
        if label and label[0] in KIND_STEMS and not any(_same(label[0], k) for k in kind):
            continue
        out.add(low)
    return out


def numbers(text: str) -> set[str]:
    """Numbers written with digits, as plain values ("2,048" and "2048" alike; "530B" is 530; "100,200" is also 100, 200)."""
    out = set()
    for n in re.findall(r"(?<![\d.])\d+(?:[.,]\d+)*", text):
        for v in {n.replace(",", ""), *n.split(",")}:
            out.add(v.rstrip("0").rstrip(".") if "." in v else v)
    return out


def mentions(sentence: str, what: Sequence[str]) -> bool:
    return any(_same(a, b) for a in terms(sentence) for b in what)


def unmentioned(question: str, text: str) -> set[str]:
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
