"""Numbers in text: a new number that counts or measures the asked thing ("trained on 2,048 GPUs" counts GPUs), a
ratio or a share where the question asks for one, the plain values a text writes ("2,048" and "2048" alike), and a
count of the asked things that names none of them ("experiments on eight datasets" for "which eight datasets")."""

from __future__ import annotations

import re
from typing import Sequence

from .terms import same_term, terms

NUMBER_WORDS = "one two three four five six seven eight nine ten eleven twelve".split()  # 1 to 12, in order
NUM_TOKEN_RE = re.compile(r"\d[\d,.]*(?:[%x×]|[kmbt]\b)?|\b(?:" + "|".join(NUMBER_WORDS) + r"|"
                          r"twenty|thirty|forty|fifty|hundreds?|thousands?|millions?|billions?|dozens?|half|double|twice|"
                          r"triple)\b", re.I)
NUMBER_PARTS_RE = re.compile(r"[\d.,]*\d[\d.,]*[%x×kmbtKMBT]?|[A-Za-z]+")  # "3.0x/2yrs" -> 3.0x, 2, yrs
SCALE_RE = re.compile(r"^(?:hundreds?|thousands?|millions?|billions?|trillions?)\W*$", re.I)
YEAR_RE = re.compile(r"^(?:19|20)\d\d$")
RATE_RE = re.compile(r"\d[\d,.]*\s*[kKmM]?\s*(?:(?:tokens?|requests?|queries|samples?|images?|frames?|sequences?|ops)\s*)?"
                     r"(?:/\s*s(?:ec)?\b|per second\b)|\b\d[\d,.]*\s*(?:tps|qps|rps|fps)\b", re.I)  # a rate per second
COMPUTE_RE = re.compile(r"(?:\d[\d,.]*|\b(?:one|a|two|three|ten|several) (?:hundred|thousand|million|billion))\s*(?:[KMB]\s+)?"
                        r"(?:(?:NVIDIA|Nvidia|TPU)\s+)?(?:[A-Z]?\d{2,4}\s+)?(?:GPU|TPU|accelerator|node|core|chip)s?[- ]?"
                        r"(?:hours?|days?|months?|years?)\b|\d[\d.,]*\s*(?:[eE]\+?\d+\s*)?(?:[KMGTPEZ]?FLOPs?\b|PF-?days?\b)",
                        re.I)  # compute spent: "74 GPU hours", "one million NVIDIA H800 GPU hours", "3.14e23 FLOPs"
VAGUE_SCALE_RE = re.compile(r"^(?:dozens|hundreds|thousands|millions|billions|trillions)$", re.I)  # "billions of parameters"


YEAR_BEFORE = frozenset("in since from by until till before after of during to between early late mid".split())


def _answer_number(token: str, given: frozenset[str], counted: bool = False) -> bool:
    """A number token that could answer: not a year (unless `counted`: "2048 TPUs"), not a number the question
    already states."""
    token = token.strip("(~,.;:")
    if not NUM_TOKEN_RE.match(token) or YEAR_RE.match(token) and not counted or VAGUE_SCALE_RE.match(token):
        return False
    values = numbers(token)
    return not (values and values <= given)


INNER_DIGIT_RE = re.compile(r"[A-Za-z]\d+(?!(?:x|×)\W*$)[A-Za-z]|[A-Za-z]{2}\d+\W*$")  # "LLM4SE", "E2E", "Web3": part
# of a name ("sim3x" is 3x)


NAME_DIGITS_RE = re.compile(r"[(\"']?(?![xX×]\d)[A-Za-z][\w.-]*?\d")  # a word that opens with a letter: the digits of a
# name (GPT-4, A100, T5, GRANITE-20B, Octopus v2), not a figure ("x1500" is a ratio)
LATEX_SIM_RE = re.compile(r"(?<![A-Za-z])\\?sim(?=\d)")  # "sim95%": a TeX \sim that lost its backslash, "~95%"


ENUMERATION_RE = re.compile(r"^\(?(?:\d|[ivx]{1,3})\)[,.:;]?$")  # "(1)", "2)", "(iii)": a list's markers, not figures


def _words(sentence: str) -> list[str]:
    """The sentence's words, TeX residue read as meant ("sim50times" is ~50 times, "95\\%" is 95%), without a list's
    markers ("We observe: (1) …, (2) …")."""
    return [w for w in LATEX_SIM_RE.sub("~", sentence).replace("\\%", "%").split() if not ENUMERATION_RE.match(w)]


def new_number(sentence: str, given: frozenset[str] = frozenset()) -> bool:
    """The sentence states a number that could answer (not a year, not one of the question's own numbers, not a digit
    inside a word)."""
    words = _words(sentence)
    return any(_answer_number(t, given, _counts_things(words, i)) for i, w in enumerate(words)
               if not _in_name(w) and not _one_another(words, i) for t in NUMBER_PARTS_RE.findall(w))


def _one_another(words: Sequence[str], i: int, window: int = 4) -> bool:
    """words[i] is the "one" of "one another" or "from one language to another": it counts nothing."""
    return words[i].lower() == "one" and any(x.lower().startswith("another") for x in words[i + 1 : i + 2 + window])


def _counts_things(words: Sequence[str], i: int) -> bool:
    """words[i], if a year's digits, counts the plural noun after it ("over 2048 TPUs"), not a date ("in 2023 papers")."""
    after = words[i + 1].strip("(),.;:") if i + 1 < len(words) else ""
    return (bool(re.fullmatch(r"[A-Za-z]{2,}[A-Za-rt-z]s", after)) and not words[i].endswith((",", ".", ";", ":", ")"))
            and (i == 0 or words[i - 1].lower() not in YEAR_BEFORE))


def stated_numbers(text: str) -> set[str]:
    """The numbers a text states, not a name's digits ("How many parameters does Octopus v2 have?" states none)."""
    return numbers(" ".join(w for w in text.split() if not NAME_DIGITS_RE.match(w)))


def _in_name(word: str) -> bool:
    """The word's digits are part of a name ("LLM4SE", "GPT-4", "A100", "Octopus v2"), not a figure."""
    return bool(INNER_DIGIT_RE.search(word) or NAME_DIGITS_RE.match(word))


ATTACHED_RE = re.compile(r"^[~(]?\d[\d,.]*(?:[kmbt]|-?(?:thousand|million|billion|trillion))?-([a-z][a-z-]*)", re.I)
UNIT_NOUNS = frozenset("fold bit byte time point percent percentage x".split())  # "10-fold", "4-bit": units, not things


def attached(word: str) -> str | None:
    """The noun a number is hyphen-joined to ("3B-parameter", "560-billion-parameter" -> parameter): what it counts."""
    m = ATTACHED_RE.match(word)
    return m.group(1) if m and m.group(1).lower().rstrip("s") not in UNIT_NOUNS else None


COMPARATIVES = frozenset("more less larger smaller bigger heavier costlier".split())


def _compared_name(words: Sequence[str], i: int) -> bool:
    """words[i] ("6-stem") describes a named system the sentence compares with: "the significantly more complex 6-stem
    Hybrid Transformer Demucs" counts the baseline's stems, not the paper's."""
    return (i + 1 < len(words) and words[i + 1][:1].isupper()
            and any(x.lower() in COMPARATIVES for x in words[max(0, i - 3): i]))


def counts(sentence: str, what: Sequence[str], given: frozenset[str] = frozenset(), window: int = 4) -> bool:
    """Some new number in the sentence counts `what` (one of its stems is among the `window` words after the number,
    or the number is hyphen-joined to it)."""
    words = _words(sentence)
    for i, w in enumerate(words):
        if SCALE_RE.match(w) and i and re.search(r"\d", words[i - 1]):
            continue  # "2.75 million": the scale word is part of the number before it
        if (noun := attached(w)) is not None:
            if (_answer_number(w, given) and any(same_term(a, b) for a in terms(noun) for b in what)
                    and not _compared_name(words, i)):
                return True
            continue  # "a 560-billion-parameter Mixture-of-Experts model" counts parameters, not experts
        if _one_another(words, i, window):
            continue
        if (re.search(r"\d\s?%|\d(?:x|×)$", w) and not {"point", "percent", "percentag", "time"} & set(what)
                and not re.match(r"(?:more|fewer|less)\b", " ".join(words[i + 1 : i + 2]), re.I)):
            continue  # "88.7% reduction in single-machine time" counts no machines; "30% more servers" counts servers
        if _answer_number(w, given, _counts_things(words, i)):
            after = words[i + 1 : i + 1 + window]  # the next words ("10K real-world JSON schemas")
            if _inside_brackets(words, i):  # "(7b to 33b) fully instruction-tuned": the brackets' end ends its words
                after = [] if w.endswith(")") else after[: next((k + 1 for k, x in enumerate(after) if ")" in x), None)]
            if any(_counted(after, k, what) for k in range(len(after))):
                return True
    return False


GENERIC_HEAD_RE = re.compile(r"(?:method|approach|technique|algorithm|variant|system|solution|model)s$")  # "10 baseline
# methods" counts baselines


def _counted(words: Sequence[str], k: int, what: Sequence[str]) -> bool:
    """words[k] is one of `what` and the head of its phrase, not a singular word before the plural noun that is counted
    ("two GPU clusters" counts clusters, not GPUs)."""
    if not any(same_term(a, b) for a in terms(words[k]) for b in what):
        return False
    word, after = words[k].strip("(),.;:"), words[k + 1].strip("(),.;:") if k + 1 < len(words) else ""
    return not (word[-1:].lower() != "s" and re.fullmatch(r"[a-z]+[^s]s", after) and not GENERIC_HEAD_RE.match(after)
                and not any(same_term(a, b) for a in terms(after) for b in what))


def none_of(sentence: str, what: Sequence[str], window: int = 6) -> bool:
    """The sentence counts `what` as zero: "no extra parameters", "zero GPUs", "failed attempts (there were none)"."""
    words = _words(sentence)
    for i, w in enumerate(words):
        near = (words[i + 1 : i + 3] if w.lower() in {"no", "zero"} else
                words[max(0, i - window) : i] if w.lower().strip("().,;:") == "none" else [])
        if near and near[0].lower() in {"single", "one"} and w.lower() == "no":
            continue  # "no single model can optimally address all tasks" says none is best, not that none was used
        if near and set(terms(" ".join(near))) & set(what):  # the asked word itself: "no extra parameters"
            return True
    return False


def _inside_brackets(words: Sequence[str], i: int) -> bool:
    """Word i stands inside round brackets."""
    text = " ".join(words[: i + 1])
    return text.rfind("(") > text.rfind(")", 0, len(text) - 1)


RATIO_STEMS = frozenset({"speedup", "speed-up", "factor", "time", "fold", "ratio", "faster", "slower"})
SHARE_STEMS = frozenset({"percentag", "percent", "fraction", "share", "proport"})
RATIO_RE = re.compile(r"\d[\d.,]*\s?(?:x|×)(?!\w)|\d[\d.,]*-?\s?(?:times|fold)\b", re.I)
SHARE_RE = re.compile(r"\d[\d.,]*\s?%|\bpercent\b|\bout of\b|\bhalf\b", re.I)
RATIO_ASK_RE = re.compile(r"\b(?:by )?what (?:factor|percentage|percent)\b|\bhow many times\b", re.I)
MULTIPLE_RE = re.compile(r"\b(?:twice|double[sd]?|triple[sd]?|halve[sd]?|tenfold|hundredfold|orders? of magnitude)\b", re.I)


def asks_ratio(question: str) -> bool:
    """The question asks by what factor, percentage or how many times: a ratio or share answers it, a count does not."""
    return bool(RATIO_ASK_RE.search(question))


def ratio_form(sentence: str) -> bool:
    """The sentence states a ratio, a share or a multiple ("3.0x", "10 times", "by 75%", "an order of magnitude")."""
    return bool(RATIO_RE.search(sentence) or SHARE_RE.search(sentence) or MULTIPLE_RE.search(sentence))


# what a number right before them measures
MEASURE_NOUNS = frozenset("compress memori energi speed faster slower speedup speed-up latenc throughput accuraci cost paramet "
                          "storag bandwidth power flop price error perplex bleu f1 recal precis util mfu score".split())


def _tied(after: Sequence[str], what: Sequence[str]) -> bool | None:
    """What the words right after a number tie it to: the asked measure (True: "55.2% Model FLOPs Utilization"),
    another measure (False: "10x faster" is no energy figure), or neither (None)."""
    if after and re.fullmatch(r"[KMBT]|thousands?|millions?|billions?|trillions?", after[0], re.I):
        after = after[1:]  # "24.9 M trainable parameters": the scale is part of the number
    cut = next((k for k, w in enumerate(after) if w.lower() in ("and", "or", "while", "with", "but") or w[-1:] in ",;"), None)
    after = after[: cut + 1 if cut is not None and after[cut][-1:] in ",;" else cut]  # "30%, and accuracy": stop at the join
    if any(same_term(a, b) for a in terms(" ".join(after)) for b in what):
        return True
    return False if any(a in MEASURE_NOUNS for a in terms(" ".join(after[:2]))) else None


def measures(sentence: str, what: Sequence[str], window: int = 8, given: frozenset[str] = frozenset()) -> bool:
    """The sentence gives the asked measure: a ratio for a speed-up, a percentage for a share, else a new number near its
    word; a number that the next words tie to another measure ("7.988x compression" for a speed-up) does not count."""
    if SHARE_STEMS & set(what):  # a share is a percentage, "half", "out of" ("sharing these blocks" near "(3)" is none)
        return bool(SHARE_RE.search(" ".join(_words(sentence))))
    if "throughput" in what and RATE_RE.search(sentence):  # "over 100 tokens per second": a throughput
        return True
    if "comput" in what and COMPUTE_RE.search(sentence):  # "trained on a mere 74 GPU hours"
        return True
    if "dollar" in what and re.search(r"\$\s?\d|\d\s?(?:usd|dollars?)\b", sentence, re.I):
        return True
    words = _words(sentence)
    for i, w in enumerate(words):
        if (noun := attached(w)) is not None and not any(same_term(a, b) for a in terms(noun) for b in what):
            continue  # "a 3B-parameter model" measures parameters, whatever words stand near it
        if _in_name(w) or not any(_answer_number(t, given) for t in NUMBER_PARTS_RE.findall(w)):
            continue
        if (tied := _tied(words[i + 1 : i + 4], what)) is False:
            continue
        if tied is None and _counts_other(words, i):  # "two key obstacles to low-bit PTQ" gives no bit-width
            continue
        ratio = set(what) <= RATIO_STEMS | {"speed"}  # a speed-up, not a "compression ratio"
        if tied or (ratio and RATIO_RE.search(" ".join(words[i : i + 2]))):
            return True
        near = terms(" ".join(words[max(0, i - window) : i + window + 1]))
        if any(same_term(a, b) for a in near for b in what):
            return True
    return False


NOT_COUNTED = frozenset("times orders points bits bytes percent percentage folds".split())  # units, not things counted


def _counts_other(words: Sequence[str], i: int) -> bool:
    """words[i] is a number word that counts the plural noun right after it or one word on ("two key obstacles")."""
    if words[i].lower() not in NUMBER_WORDS:
        return False
    after = [w.strip("(),.;:").lower() for w in words[i + 1 : i + 3]]
    return any(re.fullmatch(r"[a-z-]{3,}[a-rt-z]s", w) and w not in NOT_COUNTED for w in after)


def numbers(text: str) -> set[str]:
    """Numbers written with digits, as plain values ("2,048" and "2048" alike; "530B" is 530; "100,200" is also 100, 200)."""
    out = set()
    for n in re.findall(r"(?<![\d.])\d+(?:[.,]\d+)*", text):
        for v in {n.replace(",", ""), *n.split(",")}:
            out.add(v.rstrip("0").rstrip(".") if "." in v else v)
    return out


COUNTED_ASK_RE = re.compile(r"\b(?:which|what)(?:\s+(?:are|were))?(?:\s+the)?(?:\s+names\s+of(?:\s+the)?)?\s+"
                            r"(" + "|".join(NUMBER_WORDS[1:]) + r"|\d{1,2})\s+((?:[\w-]+\s+){0,3}?)([A-Za-z-]+s)\b",
                            re.I)  # "which eight hypergraph datasets …", "the names of the seven tasks"
LIST_AFTER_RE = re.compile(r"^[^.;]{0,80}?(?::|\(|\s--?\s|\s[–—]\s?|\bnamely\b|\bsuch as\b|\bincluding\b|\bthose being\b|"
                           r"\bi\.e\.|\be\.g\.)", re.I)  # "two steps: (i) …", "strategies, namely …", "categories -- A, B"
# "four strategies with data augmentation, hyperparameter tuning and …"
ITEMS_AFTER_RE = re.compile(r"^\s+(?:(?:with|of|in|on|for|like)\s+)?(?!(?:across|over|at|to|from|by|than|within)\b)[\w-]+"
                            r"(?:\s[\w-]+){0,2},\s[\w-]+(?:\s[\w-]+){0,3},?\s(?:and|or)\s", re.I)
LIST_BEFORE_RE = re.compile(r"\band\b[^,.;:]{1,60},\s*(?:the\s+)?$", re.I)  # "barcodes and matchings, two constructions"


def counted_not_listed(question: str, sentences: Sequence[str]) -> str | None:
    """For "which N Xs", the Xs when some sentence counts them ("experiments on eight hypergraph datasets") and none
    that does lists them after the count ("two subsets: LimitGen-Syn … and LimitGen-Human") or before it ("fibered
    barcodes and exact matchings, two constructions"): the abstract counts what is asked, but names none."""
    m = COUNTED_ASK_RE.search(question)
    stem = terms(m.group(3)) if m else []
    if not stem:
        return None
    n, noun = m.group(1).lower(), m.group(3)
    count = rf"(?:{n}|{NUMBER_WORDS.index(n) + 1})" if n in NUMBER_WORDS else re.escape(n)
    phrase = re.compile(rf"\b{count}\s+(?:[\w-]+\s+){{0,3}}?({re.escape(noun[:max(3, len(stem[0]))])}\w*)", re.I)
    counting = [(x, p) for x in sentences for p in phrase.finditer(x)
                if any(same_term(t, stem[0]) for t in terms(p.group(1))[:1])]
    if not counting or any(LIST_AFTER_RE.search(x[p.end():]) or ITEMS_AFTER_RE.search(x[p.end():])
                           or LIST_BEFORE_RE.search(x[:p.start()]) for x, p in counting):
        return None
    return noun.lower()
