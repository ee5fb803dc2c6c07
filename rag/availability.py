"""Questions about where to get a paper's code, data or weights, and the sentences that answer them (a link, or the
paper saying it releases or open-sources something)."""
from __future__ import annotations

import re

POINTER_RE = re.compile(r"https?://|\bgithub\.com\b|\bwww\.", re.I)  # "our code is at https://…" answers nothing else
ASKS_POINTER_RE = re.compile(  # the question asks where to get something: then a link can answer it
    r"\b(?:github|url|urls|website|repositor\w*|download\w*|availab\w*|"
    r"(?:releas|open[- ]?sourc)\w*\s+(?:the\s+|its\s+|their\s+)?(?:code|data\w*|models?|weights|implementation))\b", re.I)
_RELEASED = r"(?:code|weights|data(?:sets?)?|models?|checkpoints?|implementation)"
ASKS_RELEASED_RE = re.compile(  # a yes/no question whether it is released: "Is ScaleLLM open source?"
    r"^(?:is|are|was|were|did|do|does|has|have|will)\b[^?]*?(?:\bopen[- ]?sourced?\s*(?:\?|$|,|\bor\b)"
    rf"|\b(?:release|publish|share|open[- ]?source)[ds]?\b[^?]{{0,30}}\b{_RELEASED}\b"
    rf"|\b{_RELEASED}\b[^?]{{0,20}}\b(?:available|released|public)\b)", re.I)
RELEASED_RE = re.compile(  # the paper says it releases something: "is open-sourced", "we release", "available at"
    r"\bopen[- ]?sourced\b|\bopen[- ]?source (?:contribution|release)s?\b|\b(?:we|authors)\s+(?:(?:also|will|further|"
    r"publicly|openly)\s+)?(?:release|open[- ]?source|publish|share)\s+(?:our|the|its|all|this|these|both)\b|\bmake\s+"
    r"(?:\w+\s+){0,4}?(?:publicly\s+|freely\s+|openly\s+)?available\b|\b(?:is|are|will be|has been|have been)\s+(?:made\s+)?"
    r"(?:publicly\s+|freely\s+|openly\s+)?(?:available|released|open[- ]?sourced?)\b|\bavailable (?:at|on|from|via)\b", re.I)


def asks_released(question: str) -> bool:
    """The question asks whether the paper's code, data or model is released ("did they release their data?")."""
    return bool(ASKS_RELEASED_RE.search(question))


def says_released(sentence: str) -> bool:
    """The sentence links to the work or says it is released, open-sourced or available."""
    return bool(POINTER_RE.search(sentence) or RELEASED_RE.search(sentence))
