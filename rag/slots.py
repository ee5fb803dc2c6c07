"""What fills a question's asked slot: a new number that counts or measures the asked thing, a name of the asked kind;
and the names, numbers and everyday words a text has (the lexical tests behind the gate and the citation checks).
"""

from __future__ import annotations

import re
from collections import Counter
from typing import Sequence

from .focus import same_term, terms

NUM_TOKEN_RE = re.compile(r"\d[\d,.]*(?:[%x×]|[kmbt]\b)?|\b(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|"
                          r"twenty|thirty|forty|fifty|hundreds?|thousands?|millions?|billions?|dozens?|half|double|twice|"
                          r"triple)\b", re.I)
NUMBER_PARTS_RE = re.compile(r"[\d.,]*\d[\d.,]*[%x×kmbtKMBT]?|[A-Za-z]+")  # "3.0x/2yrs" -> 3.0x, 2, yrs
SCALE_RE = re.compile(r"^(?:hundreds?|thousands?|millions?|billions?|trillions?)\W*$", re.I)
YEAR_RE = re.compile(r"^(?:19|20)\d\d$")


def _answer_number(token: str, given: frozenset[str]) -> bool:
    """A number token that could answer: not a year, not a number the question already states."""
    token = token.strip("(~,.;:")
    if not NUM_TOKEN_RE.match(token) or YEAR_RE.match(token):
        return False
    values = numbers(token)
    return not (values and values <= given)


def new_number(sentence: str, given: frozenset[str] = frozenset()) -> bool:
    """The sentence states a number that could answer (not a year, not one of the question's own numbers)."""
    return any(_answer_number(t, given) for t in NUMBER_PARTS_RE.findall(sentence))


def counts(sentence: str, what: Sequence[str], given: frozenset[str] = frozenset()) -> bool:
    """Some new number in the sentence counts `what` (one of its stems is among the three words after the number)."""
    words = re.findall(r"\S+", sentence)
    for i, w in enumerate(words):
        if SCALE_RE.match(w) and i and re.search(r"\d", words[i - 1]):
            continue  # "2.75 million": the scale word is part of the number before it
        if _answer_number(w, given):
            after = terms(" ".join(words[i + 1 : i + 5]))  # the next four words ("10K real-world JSON schemas")
            if any(same_term(a, b) for a in after for b in what):
                return True
    return False


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
        if any(_answer_number(t, given) for t in NUMBER_PARTS_RE.findall(w)):
            near = terms(" ".join(words[max(0, i - window) : i + window + 1]))
            if any(same_term(a, b) for a in near for b in what):
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
    """Names the sentence gives that could be of the asked kind: not known, not a number ("(1)", "70%") or unit, not a
    generic acronym (LLMs, GPUs), not labelled as another kind ("the MultiWOZ dataset" is no LLM)."""
    toks = re.findall(r"[A-Za-z0-9]+", sentence)
    skip = known | {k.rstrip("s") for k in known} | GENERIC_ACRONYMS
    out = set()
    for i, t in enumerate(toks):
        low = t.lower()
        if not re.search(r"\d|.[A-Z]", t) or t.isdigit() or low.rstrip("s") in skip or UNITISH_RE.match(t):
            continue
        label = terms(toks[i + 1]) if i + 1 < len(toks) else []
        if label and label[0] in KIND_STEMS and not any(same_term(label[0], k) for k in kind):
            continue
        out.add(low)
    return out


def own_name(title: str, kind: Sequence[str]) -> set[str]:
    """The name a paper gives its own artifact when its title says it is of the asked kind ("X: A Benchmark for …")."""
    head, colon, rest = title.partition(":")
    return name_like(head) if colon and mentions(rest, kind) else set()


def numbers(text: str) -> set[str]:
    """Numbers written with digits, as plain values ("2,048" and "2048" alike; "530B" is 530; "100,200" is also 100, 200)."""
    out = set()
    for n in re.findall(r"(?<![\d.])\d+(?:[.,]\d+)*", text):
        for v in {n.replace(",", ""), *n.split(",")}:
            out.add(v.rstrip("0").rstrip(".") if "." in v else v)
    return out


def mentions(sentence: str, what: Sequence[str]) -> bool:
    """The sentence uses one of the stems (or a synonym)."""
    return any(same_term(a, b) for a in terms(sentence) for b in what)


def plain_acronym(token: str) -> bool:
    """Capital letters only, maybe a plural s (GPU, LLMs, AST): no name of one system."""
    return token.rstrip("s").isupper() and token.rstrip("s").isalpha()


def unmentioned(question: str, text: str) -> set[str]:
    """Names in the question (HumanEval+, VQAv2, GH200; not plain acronyms) that the text never mentions."""
    flat = re.sub(r"[^a-z0-9]", "", text.lower())
    out = set()
    for name in NAME_TOKEN_RE.findall(question):
        if plain_acronym(name):
            continue  # a plain acronym (GPU, LLMs, GNN) may be written out in the abstract
        parts = [p for p in re.split(r"[^A-Za-z0-9]+", name) if re.search(r"[A-Za-z]", p) and re.search(r"\d|[A-Z]", p)]
        if parts and not any(p.lower() in flat for p in parts):
            out.add(name)
    return out


# Names that must come from the abstract: acronyms and mixed-case or digit-bearing names (GPT-4, CIFAR-10, MiKV).
ENTITY_RE = re.compile(r"\b(?:[A-Za-z]*[A-Z][A-Za-z]*[A-Z0-9][\w.]*(?:-[A-Z0-9][\w.]*)*|[A-Za-z]+-?\d[\w.]*(?:-[A-Za-z0-9][\w.]*)*)\b")


def claim_entities(text: str) -> set[str]:
    """Acronyms and model/dataset-like names in a text, lowercased."""
    return {e.lower().rstrip(".") for e in ENTITY_RE.findall(text)}


def singular(word: str) -> str:
    """A plural folded to its singular ("LLMs" = "LLM"), for words longer than three letters."""
    return word[:-1] if len(word) > 3 and word.endswith("s") else word


def common_words(texts: Sequence[str], share: float = 0.02) -> set[str]:
    """Words (plurals folded) found in at least `share` of the texts: the corpus's everyday vocabulary."""
    df: Counter[str] = Counter()
    for text in texts:
        df.update(vocab(text))
    floor = max(3, share * len(texts))
    return {w for w, n in df.items() if n >= floor}


def vocab(text: str) -> set[str]:
    """Lowercased words of a text, plurals folded ("LLMs" = "LLM")."""
    return {singular(w) for w in re.findall(r"[a-z0-9][\w\-]*", text.lower())}


def unknown_names(claim: str, pool: str) -> set[str]:
    """Capitalised words of the claim that the sources never write in lower case (names like "Locret", "BottleFit")."""
    words = re.findall(r"\b[A-Z][\w\-]{2,}", claim)
    first = claim.split(" ", 1)[0].strip("\"'(")
    out = set()
    for w in words:
        if w == first and not ENTITY_RE.fullmatch(w):
            continue  # sentence-initial capital says nothing
        if re.search(r"\b" + re.escape(w.lower()) + r"\b", pool):
            continue  # the sources use it as an ordinary word
        out.add(singular(w.lower()))
    return out
