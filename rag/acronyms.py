"""Acronyms: the ones a text defines for a generic phrase ("federated learning (FL)"), for the question's own words
("hyperparameter optimization (HPO)"), and where a text writes an asked acronym out ("What does MGARD stand for?")."""

from __future__ import annotations

import re

from .terms import terms


ABBREVIATION_RE = re.compile(r"(\b[A-Za-z][\w-]*\s+[a-z][\w-]*\s+)\(([A-Z][A-Za-z]*[A-Z]s?)\)")  # "… optimization (HPO)"


def abbreviations(text: str, question: str) -> set[str]:
    """Acronyms the text introduces for lower-case words of the question ("hyperparameter optimization (HPO)" when the
    question says "hyperparameter optimization"): the question's own generic term, not a new name ("LLMs As Tool Makers
    (LATM)" is one); lower-cased, without a plural s."""
    asked = set(terms(question))
    return {m.group(2).lower().removesuffix("s") for m in ABBREVIATION_RE.finditer(text) if set(terms(m.group(1))) <= asked}


INTRODUCED_RE = re.compile(r"\b(?:introduce|introduces|propose|proposes|present|presents|call|term|dub|named|called|"
                           r"termed|dubbed|develop|develops|design|designs)\b(?:\s+\w+){0,3}\s*$", re.I)
# "multi-agent systems (MAS)": an acronym defined by a lower-case phrase
LOWER_DEFINED_RE = re.compile(r"\b([a-z][\w-]*(?:\s+[a-z][\w-]*){1,3})\s+\(([A-Z][A-Za-z]*[A-Z])s?\)")


def generic_abbreviations(text: str) -> set[str]:
    """Acronyms the text defines for a lower-case phrase whose initials they are ("federated learning (FL)", "multi-agent
    systems (MAS)"): a generic term, no name of a dataset, model or baseline; lower-cased."""
    out = set()  # a sentence's first word is lower-case too ("Class-incremental learning (CIL) aims …")
    for m in LOWER_DEFINED_RE.finditer(re.sub(r"(?:^|(?<=[.!?]\s))([A-Z])(?=[a-z])", lambda c: c.group(1).lower(), text)):
        words = re.split(r"[\s-]+", m.group(1))
        acronym = m.group(2).lower()
        coined = INTRODUCED_RE.search(text[max(0, m.start() - 40): m.start()])  # "we introduce the bounded … (BAPO)"
        if not coined and any("".join(w[0] for w in words[i:]) == acronym for i in range(len(words))):
            out.add(acronym)
    return out


def initials(text: str) -> str:
    """The first letters of the text's words, run together ("partitive partitioning" -> "pp"), to find an acronym
    written out."""
    return "".join(w[0] for w in re.findall(r"[A-Za-z][\w-]*", text.lower()))


EXPANSION_ASK_RE = re.compile(r"\b(?:what|which \w+) (?:does|do|did) (?:the (?:name|acronym|abbreviation) |"
                              r"the (?:\w+ )?(?:letters|initials|parts) (?:of|in) (?:the (?:name|acronym) )?)?([A-Za-z][\w-]*) "
                              r"(?:stand for|abbreviate|mean)\b|\bwhat is ([A-Z][\w-]*) short for\b", re.I)
EXPANSION_FILLERS = frozenset("of and for the to in on with a".split())  # words an expansion skips ("Reduction of Data")
HUMP_RE = re.compile(r"[A-Z]?[a-z]+|[A-Z]+(?![a-z])|\d+")  # "MultiGrid" -> Multi, Grid; "GPU" -> GPU


def asked_expansion(question: str) -> str | None:
    """The acronym a question asks to write out ("What does the name MGARD stand for?" -> MGARD), or None."""
    m = EXPANSION_ASK_RE.search(question)
    word = (m.group(1) or m.group(2)) if m else ""
    return word if len(re.findall(r"[A-Z]", word)) >= 2 else None  # an acronym, not "what does the ratio mean"


def written_out(acronym: str, text: str) -> str | None:
    """Where the text writes the acronym out: words whose first letters (a capitalised word's humps counted apart:
    MultiGrid Adaptive Reduction of Data) spell it, small words skipped, a long one's last letter a few words on;
    or None."""
    letters = re.sub(r"[^a-z]", "", acronym.lower())
    words = re.findall(r"[A-Za-z][\w-]*", text)
    for i in range(len(words)):
        got, j = "", i
        while j < len(words) and len(got) < len(letters):
            w = words[j]
            humps = "".join(h[0] for part in w.split("-") for h in HUMP_RE.findall(part)).lower() or w[0].lower()
            if letters.startswith(got + humps):
                got += humps
            elif letters.startswith(got + w[0].lower()):
                got += w[0].lower()
            elif got and w.lower() in EXPANSION_FILLERS:
                pass
            else:
                break
            j += 1
        if got == letters and j > i + 1:
            return " ".join(words[i:j])
        # the last letter a few words on: "MultiGrid Adaptive Reduction for floating-point scientific Data" (MGARD)
        last = next((k for k in range(j, min(j + 4, len(words))) if words[k][0].lower() == letters[-1:]), None)
        if len(letters) >= 4 and got == letters[:-1] and last is not None:
            return " ".join(words[i: last + 1])
    return None
