"""A paper's own limitations: whether a question asks for them, and the sentences where an abstract states them.

"What are the limitations of Splitwise?" is answered by where the paper says what its own work cannot do or costs
("However, splitting an inference request across machines requires state transfer …"), not by its results, nor by the
problems of the earlier work it sets out from ("To address these limitations, we propose …").
"""

from __future__ import annotations

import re
from typing import Sequence

from .slots import named_title, plain_acronym

LIMIT_WORDS = r"(?:limitations?|drawbacks?|weakness(?:es)?|shortcomings?|downsides?|disadvantages?|caveats?)"
OWN_LIMITS_ASK_RE = re.compile(  # "What are the limitations of Splitwise?", "Does it have any drawbacks?"
    r"\b" + LIMIT_WORDS + r"\s+(?:do|did|does)\s+(?P<admits>the authors|they)\s+(?:admit|acknowledge|concede)\b|"  # "what
    # limitations do the authors admit" (not "note about how earlier improvements had been evaluated")
    r"\b(?:" + LIMIT_WORDS + r"|failure modes?)\s+"
    r"(?:(?:or|and)\s+(?:[\w-]+\s+){1,2}?)?(?:of|does|do|has|have)\s+(?P<of>(?:(?:the|this)\s+)?[\w.+-]+(?:\s+v?\d[\w.]*)?)|"
    r"\b(?:does|do|has|have)\s+(?P<has>(?:(?:the|this)\s+)?[\w.+-]+(?:\s+[\w.+-]+){0,2}?)\s+(?:have\s+)?(?:any\s+)?"
    + LIMIT_WORDS + r"|\b(?P<whose>its|[\w.+-]+(?:\s+v?\d[\w.]*)?'s)\s+(?:main\s+|key\s+)?" + LIMIT_WORDS + r"|"
    r"\bwhat (?:can't|can ?not) (?P<cant>[\w.+-]+(?:\s+[\w.+-]+){0,2}?) do\b|"
    r"\bwhat (?:is|are) (?P<unable>[\w.+-]+(?:\s+[\w.+-]+){0,2}?) (?:not able|unable) to do\b|"
    r"\b(?:when|where|in what (?:cases|settings|situations)) (?:does|do|did|would|might|could|can) "
    r"(?P<fails>[\w.+-]+(?:\s+[\w.+-]+){0,2}?) (?:fail|break(?: down)?|struggle|fall short)\b", re.I)
OWN_REFERENCE_RE = re.compile(r"^(?:it|its|(?:this|the) (?:paper|work|method|approach|model|system|framework|"
                              r"technique|study)|the proposed(?: \w+)?)$", re.I)
LIMIT_SAID_RE = re.compile(r"\b(?:limit(?:s|ed|ation|ations)?|drawbacks?|weakness\w*|shortcomings?|downsides?|"
                           r"disadvantages?|caveats?|fails?|failures?|cannot|unable|struggles?|however|at the (?:cost|"
                           r"expense) of|comes? with|slow-?downs?|incurs?|degrad\w*|sacrific\w*|challeng\w*|future work|"
                           r"(?:may|might|could|potential|inherent) (?:\w+ )?trade-?offs?|only (?:works?|applies|handles|"
                           r"supports))\b", re.I)  # what its work cannot do or costs
OTHERS_LIMIT_RE = re.compile(  # "To address these limitations, we …", "the limitations of existing quantization methods"
    r"\b(?:address|overcom|tackl|alleviat|mitigat|solv|fix|remed|circumvent|avoid|resolv|bridg|eliminat|handl|remov|"
    r"reliev|investigat)\w*\s+(?:[\w-]+\s+){0,3}?(?:limit|challeng|drawback|weakness|shortcoming|bottleneck|issue|"
    r"problem|obstacle)|\b(?:existing|prior|previous|conventional|traditional|current|state-of-the-art)\s+(?:[\w-]+\s+)"
    r"{0,2}?(?:methods?|approach(?:es)?|works?|systems?|techniques?|solutions?|models?|frameworks?|benchmarks?)\b", re.I)
MENTIONS_LIMITS_RE = re.compile(r"\b(?:delves? into|discuss\w*|explor\w*|examin\w*|outlin\w*|review\w*|consider\w*|"
                                r"highlight\w*)\s+(?:[\w-]+\s+){0,4}?limitations\b", re.I)  # "delves into potential
# applications and limitations": it speaks of them without stating one
PROPOSES_RE = re.compile(r"\bwe (?:\w+ )?(?:propose|present|introduce|develop|design)s?\b", re.I)  # a paper introduces itself
OWN_WORK_RE = re.compile(r"\b(?:we|our|this (?:paper|work|study)|the proposed)\b", re.I)  # where a paper speaks of its own work


def asks_own_limits(question: str, title: str, abstract: str = "") -> bool:
    """The question asks for the limitations of the paper itself ("What are the limitations of Splitwise?", "Does it
    have any drawbacks?"), not of earlier work ("What weakness of early-exiting frameworks does CBNet point out?")."""
    m = OWN_LIMITS_ASK_RE.search(question)
    if not m:
        return False
    owner = re.sub(r"'s$|^(?:the|this)\s+(?=\S+$)", "", next(g for g in m.groups() if g is not None))
    name = named_title(question, title)
    head, colon, _ = title.partition(":")  # "Sparse Upcycling: Inference Inefficient Finetuning"
    at = question.lower().find(head.strip().lower(), m.start()) if colon and len(head.split()) <= 4 else -1
    return bool(m.group("admits") or OWN_REFERENCE_RE.match(next(g for g in m.groups() if g is not None))
                or OWN_REFERENCE_RE.match(owner)
                or name and owner.lower() == name.lower() or 0 <= at - m.start() <= 40
                or bool(re.search(rf"\({re.escape(owner)}\)", title))  # "Probabilistic Partitive Partitioning (PPP)"
                or owner[:1].isupper() and not plain_acronym(owner)  # the abstract's own name for its work, not its
                and len(re.findall(rf"(?<![\w-]){re.escape(owner)}(?![\w-])", abstract)) >= 2)  # title's ("Accordion can …")


def own_limits(sentences: Sequence[str], name: str = "") -> list[str]:
    """The abstract's sentences (in order) that state a limit of its own work: from where the paper first speaks of
    itself (we, our, this paper, its `name`) on, not the problems of the earlier work before it ("This limitation has
    led to …"), nor those it addresses ("To address these limitations, we …")."""
    start = next((i for i, x in enumerate(sentences) if OWN_WORK_RE.search(x) or name and name in x), len(sentences))
    intro = next((i for i, x in enumerate(sentences) if PROPOSES_RE.search(x)), 0)  # "We thus propose FedDisco": what
    # comes before is the problem it sets out from ("However, … we find that the dataset size is not optimal")
    return [x for x in sentences[max(start, intro):]
            if LIMIT_SAID_RE.search(MENTIONS_LIMITS_RE.sub(" ", x)) and not OTHERS_LIMIT_RE.search(x)]
