"""The lexical checks of a claim against its evidence: numbers, restating the question, reversing the evidence,
stating a study's question as its finding, giving a baseline's result to another system, giving the question's
name a number its evidence gives to something else, the asked key fact.

The answer's text format (markers, sentences, the refusal) is rag/markers.py.
"""

from __future__ import annotations

import re
from typing import Sequence

from .markers import split_sentences, strip_markers
from .quantities import NUM_TOKEN_RE
from .focus import focus
from .slots import NAME_TOKEN_RE, generic_acronym, kind_groups, listed_kinds, mentions, name_like, names, plain_acronym
from .terms import terms

NUMBER_RE = re.compile(r"(?<![\w.])\d+(?:[.,]\d+)*")
NEGATORS = frozenset("not no never none neither nor cannot without fail fails failed failing lack lacks lacking unable".split())
# Words of opposite direction: a claim using one where its evidence uses the other reverses the evidence.
_PAIRS = [("increase", "decrease"), ("improve", "degrade"), ("improve", "worsen"), ("fast", "slow"), ("faster", "slower"),
          ("better", "worse"), ("high", "low"), ("higher", "lower"), ("more", "less"), ("more", "fewer"),
          ("outperform", "underperform"), ("gain", "loss"), ("reduce", "increase"), ("large", "small"),
          ("larger", "smaller"), ("succeed", "fail"), ("success", "failure"), ("fix", "limit"), ("strong", "weak"),
          ("above", "below"), ("positive", "negative"), ("benefit", "harm"), ("help", "hurt"), ("enable", "prevent"),
          ("cheap", "expensive"), ("cheaper", "costlier"), ("easy", "hard"), ("easier", "harder")]


def _forms(word: str) -> frozenset[str]:
    stem = word[:-1] if word.endswith("e") else word
    return frozenset({word, word + "s", stem + "es", stem + "ed", stem + "ing", word + "d", word + "ed"})


OPPOSITES = [(_forms(a), _forms(b)) for a, b in _PAIRS]
WORD_RE = re.compile(r"[a-z]+", re.I)


def claim_numbers(text: str) -> set[str]:
    """Numbers written with digits in a text (thousands separators dropped)."""
    return {n.replace(",", "") for n in NUMBER_RE.findall(text)}


def contained(claim: str, sentence: str, share: float = 1.0) -> bool:
    """At least `share` of the claim's content words, and every number, are in the sentence (read off the evidence)."""
    mine = set(terms(claim))
    if not mine or not claim_numbers(claim) <= claim_numbers(sentence):
        return False
    return len(mine & set(terms(sentence))) >= share * len(mine)


def restates(claim: str, question: str, title: str = "") -> bool:
    """The claim says nothing the question (and the paper's title) did not: no new number, name or content word beyond 15%."""
    claim = strip_markers(claim)
    mine = terms(claim)
    if not mine:
        return True
    if names(claim) - names(question) - names(title):
        return False  # it names something the question did not: that can be the answer ("Which approach …?")
    known = set(terms(question)) | set(terms(title))
    new = [t for t in mine if t not in known]
    return len(new) <= 0.15 * len(mine) and claim_numbers(claim) <= claim_numbers(question + " " + title)


def reverses(claim: str, evidence: str) -> bool:
    """The claim states the opposite of the evidence: a negation added or dropped, or a direction word swapped."""
    c, e = _words(claim), _words(evidence)
    c_neg, e_neg = bool(c & NEGATORS), bool(e & NEGATORS)
    if c_neg != e_neg and _negated_overlap(claim, evidence):
        return True
    for a, b in OPPOSITES:
        for x, y in ((a, b), (b, a)):
            if c & x and not e & x and e & y:
                return True
    return False


def reverses_abstract(claim: str, abstract: str, evidence: str = "", least: int = 3, share: float = 0.2) -> bool:
    """The claim states the opposite of its evidence sentence, or of any abstract sentence about the same thing (>= 3
    shared content words, >= 20% of the claim's): "improved" where the abstract's sentence on it says "degraded"."""
    if evidence and reverses(claim, evidence):
        return True
    mine = set(terms(claim))
    for s in split_sentences(abstract):
        shared = mine & set(terms(s))
        if len(shared) >= least and len(shared) >= share * len(mine) and reverses(claim, s):
            return True
    return False


EMBEDDED_QUESTION_RE = re.compile(r"\b(how well|how much|how far|whether)\s+([^,;:.()]{10,160})", re.I)


def asserts_the_question(claim: str, evidence: str) -> bool:
    """The claim states as a finding what the evidence only asks or studies ("a study of how well methods scale to
    these settings" made "methods scale well to these settings")."""
    low, mine = claim.lower(), set(terms(claim))
    for m in EMBEDDED_QUESTION_RE.finditer(evidence):
        asked = set(terms(m.group(2)))
        if m.group(1).lower() not in low and len(asked) >= 2 and asked <= mine:
            return True
    return False


BASELINE_RE = re.compile(r"\b(?:compared (?:to|with)|than|over|versus|vs\.?|against|outperform(?:s|ing)?|beats?|surpass(?:es|ing)?)"
                         r"\s+(?:the\s+)?(?:[\w-]+\s+){0,2}?(" + NAME_TOKEN_RE.pattern[2:] + r")")


def swaps_baseline(claim: str, evidence: str) -> bool:
    """The claim makes the evidence's baseline its subject ("Megatron-LM achieved 55.2%" where the evidence says
    "MegaScale achieves 55.2% … compared to Megatron-LM"), and the evidence's own subject is not in the claim."""
    def norm(name: str) -> str:
        return name.lower().rstrip(".,;:")

    baselines = {norm(m.group(1)) for m in BASELINE_RE.finditer(evidence)}
    claim_names = NAME_TOKEN_RE.findall(" ".join(claim.split()[:6]))
    ev_names = NAME_TOKEN_RE.findall(evidence)
    if not baselines or not claim_names or not ev_names:
        return False
    subject, own = norm(claim_names[0]), norm(ev_names[0])
    return subject in baselines and own not in baselines and own not in claim.lower()


def _words(text: str) -> set[str]:
    return {w.lower() for w in WORD_RE.findall(text.replace("n't", " not"))}


def _negated_overlap(claim: str, evidence: str) -> bool:
    """The negated side's negation governs words the other side also states (so the negation matters here)."""
    for neg_text, other in ((claim, evidence), (evidence, claim)):
        words = WORD_RE.findall(neg_text.lower().replace("n't", " not"))
        other_terms = set(terms(other))
        for i, w in enumerate(words):
            if w in NEGATORS and set(terms(" ".join(words[i + 1 : i + 4]))) & other_terms:
                return True
    return False


def misplaced_numbers(claim: str, evidence: str) -> list[str]:
    """Numbers the claim attaches to a different quantity than the evidence does.

    The words before a number name what it measures ("memory by 5x"), or the words after it ("5x less memory"). A claim
    whose words around the number share nothing with the evidence's words before it (or after it, when the claim's
    follow the number) put the number on something else: "execution overhead falls by 5x" where the evidence says
    "reduces activation memory by 5x, while reducing execution time overhead by over 90%".
    """
    bad = []
    for num in claim_numbers(claim):
        mine, theirs = _sides(claim, num), _sides(evidence, num)
        if theirs is None or mine is None:
            continue  # not in this evidence sentence: the support check decides
        (cl, cr), (el, er) = mine, theirs
        if (cl or cr) and not (cl & el or cr & er or cr & el):
            bad.append(num)
    return bad


RESPECTIVELY_RE = re.compile(r"\brespectively\b", re.I)


def merges_respective(claim: str, evidence: str) -> bool:
    """The claim gives together two or more figures that its evidence pairs one by one with things ("1.69x and 1.48x
    speedups compared to ANT and OliVe, respectively"), without the pairing: "1.69x and 1.48x speedups compared to
    OliVe"."""
    m = RESPECTIVELY_RE.search(evidence)
    if not m or RESPECTIVELY_RE.search(claim):
        return False
    clause = re.split(r"[;:]", evidence[: m.start()])[-1]
    return len(claim_numbers(claim) & claim_numbers(clause)) >= 2


def _sides(text: str, num: str, before: int = 4, after: int = 2) -> tuple[set[str], set[str]] | None:
    """Content stems just before and just after the number's occurrences (None when it does not occur)."""
    words = re.findall(r"\S+", text)
    found, left, right = False, set(), set()
    for i, w in enumerate(words):
        if num in {n.replace(",", "") for n in NUMBER_RE.findall(w)}:
            found = True
            left |= {t for t in terms(" ".join(words[:i]))[-before:] if not NUM_TOKEN_RE.fullmatch(t)}
            right |= {t for t in terms(" ".join(words[i + 1 :]))[:after] if not NUM_TOKEN_RE.fullmatch(t)}
            unit = terms(w)  # "5x", "8B": the unit glued to the number counts as the word after it
            right |= {t for t in unit if not t[0].isdigit()}
    return (left, right) if found else None


OWN_RE = re.compile(r"\b(?:we|this (?:paper|work))\s+(?:\w+\s+)?(?:propose|present|introduce|develop|design|build|release|"
                    r"describe|offer|create)s?\b", re.I)  # the sentence that names the paper's own system


def _names(text: str) -> set[str]:
    """Names, whole and in parts (CORE-Agent: coreagent, core), lower-cased; not plain acronyms (AST, GPU), generic
    acronyms or bare numbers."""
    parts = {t.lower() for t in re.findall(r"[A-Za-z0-9]+", text)
             if re.search(r"\d|.[A-Z]", t) and not t.isdigit() and not plain_acronym(t)}
    whole = {re.sub(r"[^a-z0-9]", "", t.lower()) for t in NAME_TOKEN_RE.findall(text) if not plain_acronym(t)}
    return {n for n in parts | whole if not generic_acronym(n)}


def borrows_question_name(claim: str, evidence: str, question: str, title: str = "", abstract: str = "") -> set[str]:
    """Names the claim takes from the question, or from the abstract where it is not the paper's own system, and puts
    beside a number of an evidence sentence that does not name them: "AutoGPT achieved 21%" for "which accuracy did
    AutoGPT score?" where the evidence says "the best agent achieved 21%", or "CORE-Agent achieved 21%" where the
    abstract names CORE-Agent only as a baseline (the title, or a "we propose X" sentence, may name the paper's own)."""
    if not claim_numbers(claim) & claim_numbers(evidence):
        return set()
    own = " ".join([title, *(x for x in split_sentences(abstract) if OWN_RE.search(x))])
    asked = _names(question) | (_names(abstract) - _names(own))
    given = name_like(evidence) | name_like(title) | names(evidence) | names(title)  # plain acronyms too: "iOS" is in "AIOS"
    return {n for n in _names(claim) & asked if not any(n in g for g in given)}  # "CodeBERTER" is built on CodeBERT


def miscasts(claim: str, evidence: str, question: str) -> set[str]:
    """Names the claim gives as the question's asked kind that its evidence lists as another kind, when the claim never
    calls them that: "the backbone architectures were PASCALContext and NYUDv2" where the evidence says "three
    benchmarks (PASCALContext, NYUDv2, …) with diverse backbone architectures"."""
    asked = focus(question).name if question else ()
    want, listed = kind_groups(asked), listed_kinds(evidence)
    if not want or not listed or not mentions(claim, asked):
        return set()
    called = kind_groups(terms(claim))
    return {t for t in re.findall(r"[a-z0-9]+", claim.lower()) if listed.get(t, "") not in {"", *want, *called}}


def problem(claim: str, cited: Sequence[tuple[str, str]], question: str = "", title: str = "") -> str:
    """Why a claim whose citations verified must still go, or "": `cited` holds (evidence sentence, abstract) per citation."""
    if question and restates(claim, question, title):
        return "restates the question"
    for evidence, abstract in cited:
        if reverses_abstract(claim, abstract, evidence):
            return "states the opposite of its source"
        if evidence and asserts_the_question(claim, evidence):
            return "states the study's question as its finding"
        if evidence and swaps_baseline(claim, evidence):
            return "gives the baseline's result to another system"
        if evidence and misplaced_numbers(claim, evidence):
            return "puts a number on a different quantity than its source"
        if evidence and merges_respective(claim, evidence):
            return "gives together figures its source gives one to each thing (respectively)"
        if evidence and miscasts(claim, evidence, question):
            return "gives names its source lists as another kind of thing"
        if evidence and borrows_question_name(claim, evidence, question, title, abstract):
            return "gives a name a number its source gives to something else"
    return ""


def key_facts(sentences: Sequence[str], question: str) -> set[str]:
    """Numbers and names the evidence gives that the question does not: what an answer must carry."""
    q_nums, q_names = claim_numbers(question), {n.lower() for n in NAME_TOKEN_RE.findall(question)}
    facts: set[str] = set()
    for s in sentences:
        facts |= claim_numbers(s) - q_nums
        facts |= {n.lower() for n in NAME_TOKEN_RE.findall(s)} - q_names
    return facts


def carries(text: str, facts: set[str]) -> bool:
    """The text states at least one of the facts (or there are none to carry)."""
    if not facts:
        return True
    return bool(facts & (claim_numbers(text) | {n.lower() for n in NAME_TOKEN_RE.findall(text)}))
