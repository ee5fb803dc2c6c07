"""Comparisons a question asks about: the items it compares ("A versus B", "compared with DPO"), which one ranks
first, the baselines a method beats, and what a figure is compared with ("lower than the human performance").
"""

from __future__ import annotations

import re

from typing import TYPE_CHECKING, Sequence

from .acronyms import initials
from .slots import (NAME_TOKEN_RE, capitalised, generic_acronym, hardware_names, named_title, names, plain_acronym,
                    said_names, specific_names)
from .terms import STOP, terms, with_synonyms

if TYPE_CHECKING:
    from .types import Source

VERSUS_RE = re.compile(r"\s(?:versus|vs\.?)\s", re.I)
PAPERS_COMPARED_RE = re.compile(r"\b(?:differ\w*|difference|compare[sd]?|comparison|contrast\w*|versus|vs\.?|similar\w*|"
                                r"relate[sd]?|relation\w*|distinguish\w*)\b|\bboth\b|\bsame\b", re.I)


def papers_named(question: str, sources: Sequence[Source]) -> list[Source]:
    """The sources the question names as their titles name them ("What problem does Curator solve?"), one per paper."""
    return list({src.paper_id: src for src in sources if named_title(question, src.title)}.values())


PAPER_NOUNS = r"(?:paper|work|study|survey|article|benchmark|framework|system|method|approach|technique)"


def paper_described(question: str, sources: Sequence[Source]) -> Source | None:
    """The one source the question names by its title's first three or more words and a word for a paper ("the clinical
    prompt learning work", "the Outrageously Large Neural Networks paper"), when its title gives no short name."""
    flat = " ".join(re.findall(r"[a-z0-9]+", question.lower()))
    hits = {}
    for src in sources:
        words = re.findall(r"[a-z0-9]+", src.title.lower())
        if any(re.search(rf"\bthe {' '.join(words[:n])}(?: \w+)? {PAPER_NOUNS}\b", flat) for n in range(3, len(words) + 1)):
            hits[src.paper_id] = src
    return next(iter(hits.values())) if len(hits) == 1 else None


def compares_papers(question: str, named: Sequence[Source]) -> bool:
    """The question compares two or more papers it names ("How does Splitwise differ from ScaleLLM?")."""
    return len(named) >= 2 and bool(PAPERS_COMPARED_RE.search(question))


def compared(question: str) -> list[set[str]]:
    """The stems of the items a question compares with "versus" ("physics versus chemistry versus biology"): the word
    on each side of each "versus", articles and the like skipped."""
    out = []
    for i, piece in enumerate(pieces := VERSUS_RE.split(question)):
        sides = []
        if i > 0:  # the item after a "versus": its first content word
            sides.append(next((w for w in re.findall(r"[\w-]+", piece) if w.lower() not in STOP), ""))
        if i < len(pieces) - 1:  # the item before one: its last word
            sides.append((re.findall(r"[\w-]+", piece) or [""])[-1])
        out += [set(terms(w)) for w in sides if terms(w)]
    return out


def none_compared(question: str, text: str) -> list[str]:
    """When the question compares items ("A versus B") and the text mentions none of them: their words, else []."""
    items = compared(question)
    own = set(terms(text))
    if not items or any(item & own for item in items):
        return []
    return sorted({t for item in items for t in item})


BEATS = (r"(?:(?:better|worse|faster|slower|cheaper|stronger|weaker|higher|lower|larger|smaller|greater|more \w+|less \w+) "
         r"than|outperform(?:s|ed)?|beats?)")  # "X is faster than Y", "X outperforms Y": Y is what X is compared with
TARGET_RE = re.compile(r"\b(?:(?:compares?|compared|comparison|measured|benchmarked)\s+(?:with|to|against)|" + BEATS + r")\s+"
                       r"(?:that of\s+|those of\s+)?([^?,;]+)", re.I)  # "How does X compare with BLIP-Diffusion in …?",
# "Does OpenCoder outperform DeepSeek-Coder?"


def _target(phrase: str) -> str:
    """What a comparison is made with, without the setting after it ("BLIP-Diffusion in concept alignment")."""
    return re.split(r"\s(?:in|on|for|when|at|across|under|while|during|by)\s", phrase)[0]


def uncompared(question: str, text: str) -> list[str]:
    """Names the question compares the work with ("… compare with those of DPO?") that the text never mentions whole
    (BLIP-Diffusion is not mentioned by "diffusion"; DPO is by "direct preference optimization"), else []."""
    if not (m := TARGET_RE.search(question)):
        return []
    toks = [re.sub(r"[^a-z0-9]", "", t) for t in re.findall(r"[\w.+-]+", text.lower())]
    flat = set(toks) | {a + b for a, b in zip(toks, toks[1:])} | {a + b + c for a, b, c in zip(toks, toks[1:], toks[2:])}
    written = initials(text)
    out = []
    target = _target(m.group(1))
    dotted = re.findall(r"(?<![\w.])[a-z][\w-]*\.[a-z]+\b", target)  # llama.cpp
    for name in dict.fromkeys(NAME_TOKEN_RE.findall(target) + sorted(capitalised(" " + target)) + dotted):
        name = re.sub(r"(?:'s|')$", "", name).rstrip(".")
        key = re.sub(r"[^a-z0-9]", "", name.lower())
        if key and key not in flat and not (plain_acronym(name) and key.rstrip("s") in written):
            out.append(name)
    return out


WINNER_ASK_RE = re.compile(r"\bhow (?:do|does|did) [^?]*?(?<![\w-])rank(?:ed)?\b(?!-)|"  # "how do GPT-4o, Claude and Gemini rank"
                           r"(?:^(?:[\w'-]+ ){0,6}?(?:which|what)|\bwhich of the (?:two|three|four|\d+)\b)\b[^?]*?\b"
                           r"(?:best|worst|highest|lowest|on top|longest|shortest|largest|smallest|greatest|biggest|fastest|"
                           r"slowest|strongest|weakest|least|fewest|better|worse|"
                           r"(?:most|more) (?:accurate(?:ly)?|effective|robust|efficient))\b"
                           r"|\bwhich (?:one |of them |of the two )?(?:is|was|are|were|runs?|performs?) (?:the )?"
                           r"(?:faster|slower|cheaper|smaller|larger)\b",
                           re.I)  # "Which of the six frameworks achieved the highest coverage?", "which is faster, A or B?"

WINNER_RE = re.compile(r"\b(?:best(?! known| knowledge)|worst|highest|lowest|top|longest|shortest|fastest|slowest|strongest|"
                       r"weakest|least|(?<!\bto )better(?! understand)|worse|higher|lower|most (?:accurate|effective|robust|"
                       r"efficient|successful)|outperform\w*|surpass\w*|superior|inferior|beats?|wins?)\b",
                       re.I)  # "most uses" ranks nothing, nor "(to) better understand(ing)", "to our best knowledge"


def asks_winner(question: str) -> bool:
    """The question asks which one ranks first ("Which of the 20 LLMs achieved the highest score?")."""
    return bool(WINNER_ASK_RE.search(question))


def winner_options(question: str) -> set[str]:
    """The names a "which of A, B and C … best" question offers (GPT-3.5, GPT-4, Llama3), lower-cased, or none."""
    if not (m := re.search(r"\bwhich of\b(.*?)\b(?:best|worst|highest|lowest|better|worse|more|most|top)\b", question, re.I)):
        return set()
    return {n.lower() for n in NAME_TOKEN_RE.findall(m.group(1)) if not generic_acronym(n)}


def ranks(sentence: str) -> bool:
    """The sentence ranks something ("yields the best performance", "outperforms"), so it can say which one wins."""
    return bool(WINNER_RE.search(sentence))


BASELINE_ASK_RE = re.compile(r"^(?:[\w'-]+ ){0,3}?(?:which|what)\b[^?]*?\b(?:outperforms?|outperformed|beats?|beaten|"
                             r"surpass(?:es|ed)?|compared (?:against|with|to)|measured against|improve[sd]? (?:up)?on)\b"
                             r"(?:\s+(?:by|on|in|across|when|where|while)\b[^?]*)?\?$",
                             re.I)  # "Which system does MoE-Lens outperform by 4.6x?", "… compared against when …?"

BASELINE_WORD_RE = re.compile(r"\b(?:compared|measured|benchmarked) (?:with|to|against) (?:which|what)\b|"
                              r"\b(?:is|are|was|were|serves?|served) (?:used )?as (?:the |a |an )?(?:main |primary )?"
                              r"baselines?\b|"  # "which … encoder is used as the main baseline"
                              r"\b(?:which|what) (?:state-of-the-art|sota|previous|prior|existing|competing|baseline|earlier) "
                              r"(?:[\w-]+ ){0,3}?(?:methods?|approaches|approach|systems?|models?|techniques?|baselines?|"
                              r"works?)\b",
                              re.I)  # "Compared with which previous search method …", "Which state-of-the-art methods …"


def asks_baseline(question: str) -> bool:
    """The question asks which named baseline the work beats or is compared against."""
    return bool(BASELINE_ASK_RE.search(question) or BASELINE_WORD_RE.search(question))


COMPARING_RE = re.compile(r"\b(?:than|over|compared|comparison|outperform\w*|against|versus|vs|baselines?|beats?|surpass\w*|"
                          r"relative to|superior|inferior|on par|match(?:es|ed|ing)?)\b", re.I)


def baseline_names(sentence: str, question: str, title: str) -> set[str]:
    """Names in a sentence that compares ("outperforms X by 4.6x") that are neither the question's nor the title's (nor
    generic acronyms): the baselines'."""
    if not COMPARING_RE.search(sentence):
        return set()
    known = said_names(question, title) | names(question) | names(title) | {w.lower() for w in capitalised(" " + title)}
    known |= hardware_names(sentence)  # "on 32 NVIDIA A100 GPUs" names the testbed, not a baseline
    return specific_names(sentence) - known


STAND_INS = frozenset(terms("""existing previous prior latter former baseline baselines state-of-the-art sota other others
conventional traditional standard naive vanilla current leading competing alternative alternatives method methods approach
approaches implementation implementations system systems solution solutions work works technique techniques model models
random one ones it them those that"""))

THAN_RE = re.compile(r"\bthan\s+(?:on|in|for|with|at|that of|those of)?\s*([^,;?.(]+)", re.I)


def other_than(question: str, sentence: str) -> str | None:
    """What the sentence compares with when the question compares with something else ("lower than on the original
    tasks" asked, "lower than the human performance" given): the sentence's, or None."""
    if not (q := THAN_RE.search(question)) or not (s := THAN_RE.search(sentence)):
        return None
    asked, given = set(terms(q.group(1))), {t for t in terms(s.group(1)) if not t[0].isdigit()}  # not "of 97%"
    if not given - STAND_INS:  # "than existing implementations", "than the latter": it may be the asked one
        return None
    return None if not asked or asked & given else s.group(1).strip()


COMPARED_WITH_RE = re.compile(r"\b(?:compar\w*|benchmark\w*)\b[^.;]{0,40}?\b(?:with|to|against)\s+([^.;,(]+)", re.I)


def described_baseline(sentence: str, question: str) -> bool:
    """The sentence compares the work with a baseline it describes in words of its own ("we compare our framework with
    one-step model generation methods"), not with a stand-in ("existing methods")."""
    m = COMPARED_WITH_RE.search(sentence)
    return bool(m and set(terms(m.group(1))) - STAND_INS - set(terms(question)))


COMPARE_ASK_RE = re.compile(r"^(?:how|in what ways?)\b[^?]*?\b(?:compares?|compared|differs?|differed)\s+"
                            r"(?:with|to|against|from)\s+(?:that of\s+|those of\s+)?([^?,;]+)|"
                            r"^(?:does|do|did|is|are|was|were|can|could|will|would)\b[^?]*?\b" + BEATS +
                            r"\s+(?:that of\s+|those of\s+)?([^?,;]+)", re.I)  # "How does FedMef's memory compare with
# that of …?", "Does Octopus v4 score higher than GPT-4?"

COMPARES_RE = re.compile(r"\b(?:than|over|compared|comparison|compar\w+|outperform\w*|against|versus|vs|beats?|surpass\w*|"
                         r"relative|superior|inferior|on par|match\w*|outpac\w*|differ\w*|unlike|whereas|while|same|"
                         r"similar\w*|equal\w*|better|worse|higher|lower|faster|slower|more|less|fewer|best|worst)\b|"
                         r"\d\s?(?:%|x\b|×)", re.I)


def compared_side(question: str, text: str) -> set[str] | None:
    """For "how does A compare with B": the words of B (not A's, not stand-ins like "existing methods") that the text
    uses, which a sentence answering the comparison must also use (empty when the text words B otherwise), else None."""
    if not (m := COMPARE_ASK_RE.search(question)):
        return None
    g = 1 if m.group(1) is not None else 2
    target = _target(m.group(g))
    own = set(terms(question[:m.start(g)])) | STAND_INS
    words = with_synonyms({t for t in terms(target) if t not in own and not t[0].isdigit()})
    return words & set(terms(text))


def compares(sentence: str, side: set[str]) -> bool:
    """The sentence compares (than, outperforms, 2x, unlike…) and, when given, speaks of the compared side's words."""
    return bool(COMPARES_RE.search(sentence)) and (not side or bool(side & set(terms(sentence))))
