"""The answers a question offers to choose from ("… grid search, random, or Bayesian optimization?", "… step counts,
heart rate, or both?"): a paper that mentions none of them cannot say which it is."""
from __future__ import annotations

import re

from .terms import STOP, terms, with_synonyms

CHOICE_TAIL_RE = re.compile(r"[:—–]\s*([^:?—–]+\bor\b[^:?—–]+)\?\s*$")  # "…: grid search, random, or Bayesian optimization?"
YES_NO_RE = re.compile(r"^(?:does|do|did|is|are|was|were|can|could|will|would|has|have)\b", re.I)
NOT_OPTIONS = frozenset("both neither either none all something else other others".split())
FUNCTION_START_RE = re.compile(r"^(?:(?:is|are|was|were|does|do|did|can|could|will|would|has|have|it|they|only|just|"
                               r"the|a|an|its|their)\b\s*)+", re.I)  # every function word an option starts with


def alternatives(question: str) -> list[str]:
    """The options a question offers to choose between, else []."""
    if m := CHOICE_TAIL_RE.search(question):
        items = re.split(r",\s*(?:or\s+)?|\s+or\s+", m.group(1))
    elif YES_NO_RE.match(question) and re.search(r"\sor\s[^,?]+\?\s*$", question):  # "… step counts, heart rate, or both?"
        head, _, last = question.rstrip("? ").rpartition(" or ")
        pieces = [p for p in re.split(r",\s*", head.strip()) if p]
        if not pieces or any(len(x.split()) > 4 for x in [last] + pieces[1:]):
            return []  # "Is there a survey, aimed at newcomers, of … less data, time, storage or energy instead of …?"
        items = pieces[1:] + [last]
        width = min(3, max(len(x.split()) for x in [last] + pieces[1:]))  # the first option is as long as the others
        items = [" ".join(pieces[0].split()[-width:])] + items
    else:
        return []
    out = []
    for item in items:
        item = FUNCTION_START_RE.sub("", item.strip())
        if item and item.lower() not in NOT_OPTIONS and len(item.split()) <= 4:
            out.append(item)
    return out if len(out) >= 2 else []


def none_chosen(question: str, text: str) -> list[str]:
    """The offered options when the text mentions none of them (every content word of an option, not counting the
    question's other words), else []."""
    if not (options := alternatives(question)):
        return []
    rest = question
    for o in options:
        rest = rest.replace(o, " ")
    said, other = with_synonyms(terms(text)), set(terms(rest))
    for o in options:
        words = {t for t in terms(o) if t not in STOP} - other
        if not words or words <= said:
            return []
    return options
