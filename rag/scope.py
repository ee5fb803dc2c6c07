"""Whether evidence speaks of what a question asks about: the side of a setting (training, not inference), a thing the
question excludes ("plain ReLU (not leaky-ReLU)"), the items a question compares ("physics versus biology"), one name
of a list rather than the whole list, a named one rather than the best one.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from .focus import STOP, head_noun, terms, with_synonyms
from .slots import (GENERIC_ACRONYMS, NAME_TOKEN_RE, NUM_TOKEN_RE, capitalised, hardware_names, initials, names,
                    plain_acronym, said_names, says)

SETTINGS = [("real", "synthet"), ("train", "infer"), ("cpu", "gpu"), ("zero-shot", "few-shot"), ("encod", "decod"),
            ("open-sourc", "proprietari"), ("pre-train", "fine-tun")]  # two sides of a setting a figure is reported for
EXCLUDING_RE = re.compile(r"\b(?:rather than|instead of|as opposed to|not|without|before any)\b[^,;?)]*", re.I)
VERSUS_RE = re.compile(r"\s(?:versus|vs\.?)\s", re.I)


def other_setting(question: str, sentence: str) -> str | None:
    """The side of a setting the sentence reports that the question does not ask for ("for inference" when training is
    asked; "on synthetic hypergraphs" when the real-world datasets are asked), or None."""
    asked = EXCLUDING_RE.sub(" ", question)  # "training rather than inference": the words after the marker are unwanted
    q, s = ({t.rstrip("s") or t for t in terms(text)} for text in (asked, sentence))  # GPUs = GPU
    for a, b in SETTINGS:
        for want, got in ((a, b), (b, a)):
            if want in q and got not in q and got in s and want not in s:
                return got
    return None


def excluded(question: str, sentence: str) -> str | None:
    """A named or hyphenated thing the question excludes ("plain ReLU (not leaky-ReLU)") that the sentence speaks of, and
    which the question does not also ask about, or None."""
    asked = EXCLUDING_RE.sub(" ", question).lower()
    for clause in EXCLUDING_RE.findall(question):
        if re.match(r"not\s+[\w-]+ed\s+by\b", clause, re.I):
            continue  # "properties not leveraged by PPO": PPO is who does not use them, not a thing excluded
        for tok in re.findall(r"[\w.+]+(?:-[\w.+]+)+", clause) + NAME_TOKEN_RE.findall(clause):  # leaky-ReLU, GPT-4
            low = tok.lower()
            if low in asked:
                continue
            if says(sentence, low) or (
                    "-" in low and terms(low)[0] in terms(sentence)):  # "fine-tuning" excludes "fine-tuned"
                return tok
    return None


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


OTHER = NAME_TOKEN_RE.pattern.removeprefix(r"\b")  # another name in a list: MoE-Lens, GPT-2


def listed_alone(question: str, text: str, answer: str) -> str | None:
    """A name the question asks about that the text lists beside others ("ToyMix, LargeMix and UltraLarge") while the
    answer sentence gives none of the list: the answer's figure is then for all of them together, or None."""
    for name in NAME_TOKEN_RE.findall(question):
        if plain_acronym(name) or name.lower() in answer.lower():
            continue
        n = re.escape(name)
        join = r"(?:\s*\([^)]*\))?\s*(?:,\s*(?:and\s+|or\s+)?|\s+(?:and|or)\s+)"
        lists = [rf"\b{n}{join}({OTHER})", rf"({OTHER}){join}{n}\b"]
        if any(re.search(p, question) for p in lists):
            continue  # the question lists it itself ("on x86-64, ARM and RISC-V"): context, not a choice
        others = {m.group(1) for p in lists for m in re.finditer(p, text)}
        if others and not any(o.lower() in answer.lower() for o in others):
            return name
    return None


BEST_RE = re.compile(r"\bthe (?:best|top|strongest|leading)\b", re.I)


def named_besides_best(question: str, title: str, answer: str) -> list[str]:
    """Names the question asks about (not the paper's own) that an answer sentence giving "the best one's" figure does
    not give ("the best agent achieved 21%" for "what did AutoGPT score?"); none when the question asks for the best."""
    if not BEST_RE.search(answer) or BEST_RE.search(question):
        return []
    return sorted(n for n in NAME_TOKEN_RE.findall(question)
                  if n.lower() not in title.lower() and n.lower() not in answer.lower())


ASKED_THING_RE = re.compile(r"^(?:[\w'-]+ ){0,3}?(?:which|what) ((?:[\w-]+ ){0,5}?[\w-]+) (?:is|are|was|were|does|do|did|has|"
                            r"have|had|can|could|would|will|should|serves?|allows?|lets?|enables?|produces?|supplie[sd]|"
                            r"achieved?|gave|gives)\b", re.I)  # "Which pruning criterion does FedP3 use …": a criterion
GENERIC_THINGS = frozenset(terms("""choice choices mechanism mechanisms technique techniques kind kinds type types way ways
approach approaches strategy strategies method methods idea ideas aspect aspects factor factors component components feature
features property properties design designs trick tricks principle principles insight insights step steps part parts role
roles reason reasons problem problems challenge challenges issue issues limitation limitations benefit benefits advantage
advantages result results finding findings goal goals purpose purposes change changes thing things flaw flaws weakness
weaknesses shortcoming shortcomings drawback drawbacks bottleneck bottlenecks cause causes mistake mistakes failure failures
risk risks lesson lessons observation observations conclusion conclusions claim claims contribution contributions difference
differences trade-off trade-offs range ranges style styles paradigm paradigms scheme schemes pattern patterns form forms
concept concepts notion notions philosophy setting settings quantity quantities operation operations barrier barriers
obstacle obstacles hurdle hurdles resource resources application applications use uses motivation motivations capability
capabilities opportunity opportunities"""))


def unspoken_thing(question: str, text: str) -> str | None:
    """The thing a "which/what X …" question asks for when the text never speaks of any X ("which pruning criterion" of
    an abstract without a criterion; "what bit-width" of one without bits), unless X is a word any description fits
    (technique, mechanism, design choice), or None."""
    question = re.sub(r"\s*\([^)]*\)|,\s*(?:such as|e\.g\.|like)\b[^,]*,", "", question)  # "(e.g., a CNN)", ", such as X,"
    if not (m := ASKED_THING_RE.search(question)) or not (head := head_noun(m.group(1))) or head[-1] in GENERIC_THINGS:
        return None
    word = next((w for w in reversed(m.group(1).split()) if head[-1] in terms(w)), "")
    stems = set(terms(word)) if "-" in word else {head[-1]}  # "bit-width": a text with bits speaks of it
    said = with_synonyms(terms(text))
    asked = (word or head[-1]).lower().removesuffix("s")
    if with_synonyms(stems) & said or len(asked) >= 4 and any(t.startswith(asked) for t in said):
        return None  # "skillsets" speak of skills

    return word or head[-1]


TARGET_RE = re.compile(r"\b(?:compares?|compared|comparison|measured|benchmarked)\s+(?:with|to|against)\s+"
                       r"(?:that of\s+|those of\s+)?([^?,;]+)", re.I)  # "How does X compare with BLIP-Diffusion in …?"


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
    for name in dict.fromkeys(NAME_TOKEN_RE.findall(target) + sorted(capitalised(" " + target))):
        name = re.sub(r"(?:'s|')$", "", name).rstrip(".")
        key = re.sub(r"[^a-z0-9]", "", name.lower())
        if key and key not in flat and not (plain_acronym(name) and key.rstrip("s") in written):
            out.append(name)
    return out


WINNER_ASK_RE = re.compile(r"\bhow (?:do|does|did) [^?]*?(?<![\w-])rank(?:ed)?\b(?!-)|"  # "how do GPT-4o, Claude and Gemini rank"
                           r"(?:^(?:[\w'-]+ ){0,6}?(?:which|what)|\bwhich of the (?:two|three|four|\d+)\b)\b[^?]*?\b"
                           r"(?:best|worst|highest|lowest|on top|longest|shortest|largest|smallest|greatest|biggest|fastest|"
                           r"slowest|strongest|weakest|least|better|worse|"
                           r"(?:most|more) (?:accurate(?:ly)?|effective|robust|efficient))\b",
                           re.I)  # "Which of the six frameworks achieved the highest coverage?"
WINNER_RE = re.compile(r"\b(?:best|worst|highest|lowest|top|longest|shortest|fastest|slowest|strongest|weakest|least|better|"
                       r"worse|higher|lower|most (?:accurate|effective|robust|efficient|successful)|outperform\w*|surpass\w*|"
                       r"superior|inferior|beats?|wins?)\b", re.I)  # "most uses" ranks nothing


def asks_winner(question: str) -> bool:
    """The question asks which one ranks first ("Which of the 20 LLMs achieved the highest score?")."""
    return bool(WINNER_ASK_RE.search(question))


def winner_options(question: str) -> set[str]:
    """The names a "which of A, B and C … best" question offers (GPT-3.5, GPT-4, Llama3), lower-cased, or none."""
    if not (m := re.search(r"\bwhich of\b(.*?)\b(?:best|worst|highest|lowest|better|worse|more|most|top)\b", question, re.I)):
        return set()
    return {n.lower() for n in NAME_TOKEN_RE.findall(m.group(1)) if n.lower().rstrip("s") not in GENERIC_ACRONYMS}


def ranks(sentence: str) -> bool:
    """The sentence ranks something ("yields the best performance", "outperforms"), so it can say which one wins."""
    return bool(WINNER_RE.search(sentence))


def _counted(text: str) -> dict[str, set[str]]:
    """The nouns the text counts, each with its numbers ("from 15.9% with one sample to 56% with 250 samples" ->
    {sampl: {one, 250}})."""
    out: dict[str, set[str]] = {}
    words = re.findall(r"[\w.,%-]+", text)
    for i, w in enumerate(words[:-1]):
        w = w.strip(",.")
        if NUM_TOKEN_RE.fullmatch(w) and not w.endswith("%") and (t := terms(words[i + 1])):
            out.setdefault(t[0].rstrip("s") or t[0], set()).add(w.lower())
    return out


def other_count(question: str, sentence: str) -> str | None:
    """A count the question sets ("when given only five samples") that the sentence gives only with other numbers ("with
    one sample", "with 250 samples"): its figure is for another setting; the sentence's count, or None."""
    asked, got = _counted(question), _counted(sentence)
    for noun, nums in asked.items():
        if noun in got and not nums & got[noun]:
            return f"{', '.join(sorted(got[noun]))} {noun}"
    return None


BASELINE_ASK_RE = re.compile(r"^(?:[\w'-]+ ){0,3}?(?:which|what)\b[^?]*?\b(?:outperforms?|outperformed|beats?|beaten|"
                             r"surpass(?:es|ed)?|compared (?:against|with|to)|measured against|improve[sd]? (?:up)?on)\b"
                             r"(?:\s+(?:by|on|in)\b[^?]*)?\?$", re.I)  # "Which system does MoE-Lens outperform by 4.6x?"


BASELINE_WORD_RE = re.compile(r"\b(?:compared|measured|benchmarked) (?:with|to|against) (?:which|what)\b|"
                              r"\b(?:which|what) (?:state-of-the-art|sota|previous|prior|existing|competing|baseline|earlier) "
                              r"(?:[\w-]+ ){0,3}?(?:methods?|approaches|approach|systems?|models?|techniques?|baselines?|"
                              r"works?)\b",
                              re.I)  # "Compared with which previous search method …", "Which state-of-the-art methods …"


COMPLEXITY_ASK_RE = re.compile(r"\b(?:time|space|computational|sample|query|memory|communication|asymptotic)\s+complexit"
                               r"(?:y|ies)\b|\basymptotic (?:running )?(?:time|cost|runtime)\b", re.I)
COMPLEXITY_RE = re.compile(r"\bO\s*\(|\b(?:near[- ])?(?:linear|quadratic|cubic|polynomial|logarithmic|exponential|sublinear|"
                           r"superlinear|log-linear|constant)(?:ly)?(?:\s+[\w-]+){0,2}?\s+"
                           r"(?:time|complexity|cost|runtime|scaling|in|with)\b|\bn\s*log\s*n\b|"
                           r"\bscales? (?:linearly|quadratically|logarithmically)\b", re.I)


def asks_complexity(question: str) -> bool:
    """The question asks an asymptotic complexity ("What is the time complexity of MMA …?"): an O(·) or a named growth
    ("near linear time") answers it, "bounded complexity" does not."""
    return bool(COMPLEXITY_ASK_RE.search(question))


def gives_complexity(sentence: str) -> bool:
    """The sentence states a complexity: O(n log n), "runs in linear time", "scales quadratically"."""
    return bool(COMPLEXITY_RE.search(sentence))


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
    return {n for n in names(sentence) if n not in known and n.removesuffix("s") not in GENERIC_ACRONYMS}


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


EXAMPLES_RE = re.compile(r"\((?:e\.g\.|such as|like|for example)[,:]?\s+([^)]*)\)|(?:,\s*|\s)(?:such as|e\.g\.,?|"
                         r"for example,?|for instance,?)\s+([^?(]+)|,\s*like\s+([^?(]+)",
                         re.I)  # "Which TEE, such as Intel SGX or AMD SEV, …"
EXAMPLE_FILLER = frozenset(terms("particular specific variant variants version versions method methods model models one ones"))
JOINED_RE = re.compile(r"\s+(?:or|and)\s+")


def _examples(question: str) -> list[tuple[int, int, list[str]]]:
    """(start, end, items) of each list of examples the question offers; after "such as", a list ends at its item joined
    by "or"/"and" ("such as additive, selective or reparameterized methods, does")."""
    out = []
    for m in EXAMPLES_RE.finditer(question):
        g = next(i for i in (1, 2, 3) if m.group(i) is not None)
        pieces, end = re.split(r",\s*", m.group(g)), m.end()
        if g > 1:
            last = next((i for i, p in enumerate(pieces[:5]) if JOINED_RE.search(p)), 0)
            pieces = pieces[:last + 1]
            end = m.start(g) + len(", ".join(pieces))
        out.append((m.start(), end, [x.strip() for p in pieces for x in JOINED_RE.split(p) if x.strip()]))
    return out


def offered(question: str) -> list[str]:
    """The examples a question offers of what it asks ("such as Intel SGX or AMD SEV", "(e.g., a CNN)")."""
    return [x for _, _, items in _examples(question) for x in items]


def without_examples(question: str) -> str:
    """The question without the examples it offers: they are the asker's guesses, not what the paper must speak of."""
    for start, end, _ in reversed(_examples(question)):
        question = question[:start] + question[end:]
    return question


def none_offered(question: str, text: str) -> list[str]:
    """The examples a question offers when the text mentions none of them (an abstract naming no TEE for "such as
    Intel SGX or AMD SEV"), else []: what the question hopes for is then not in the paper."""
    if not (items := offered(question)):
        return []  # most questions offer none: the text is not read
    low, own = text.lower(), with_synonyms(terms(text))
    for item in items:
        words = [t for t in terms(item) if t not in EXAMPLE_FILLER and t not in STOP]
        named = NAME_TOKEN_RE.findall(item) + sorted(capitalised(" " + item))
        if any(says(low, n) for n in named) or (
                not named and with_synonyms(set(words)) & own):
            return []
    return items


COMPARE_ASK_RE = re.compile(r"^(?:how|in what ways?)\b[^?]*?\b(?:compares?|compared|differs?|differed)\s+"
                            r"(?:with|to|against|from)\s+(?:that of\s+|those of\s+)?([^?,;]+)",
                            re.I)  # "How does FedMef's memory compare with that of …?"
COMPARES_RE = re.compile(r"\b(?:than|over|compared|comparison|compar\w+|outperform\w*|against|versus|vs|beats?|surpass\w*|"
                         r"relative|superior|inferior|on par|match\w*|outpac\w*|differ\w*|unlike|whereas|while|same|"
                         r"similar\w*|equal\w*|better|worse|higher|lower|faster|slower|more|less|fewer|best|worst)\b|"
                         r"\d\s?(?:%|x\b|×)", re.I)


def compared_side(question: str, text: str) -> set[str] | None:
    """For "how does A compare with B": the words of B (not A's, not stand-ins like "existing methods") that the text
    uses, which a sentence answering the comparison must also use (empty when the text words B otherwise), else None."""
    if not (m := COMPARE_ASK_RE.search(question)):
        return None
    target = _target(m.group(1))
    own = set(terms(question[:m.start(1)])) | STAND_INS
    words = with_synonyms({t for t in terms(target) if t not in own and not t[0].isdigit()})
    return words & set(terms(text))


def compares(sentence: str, side: set[str]) -> bool:
    """The sentence compares (than, outperforms, 2x, unlike…) and, when given, speaks of the compared side's words."""
    return bool(COMPARES_RE.search(sentence)) and (not side or bool(side & set(terms(sentence))))


BESIDES_RE = re.compile(r"^(?:besides|apart from|aside from|other than|in addition to)\s+([^,?]+),\s*(?:which|what)\b", re.I)
LISTED_RE = r"(?:,|;|/|\band\b|\bor\b|\bas well as\b)"


def besides(question: str) -> list[str]:
    """What "Besides JSON and YAML, which other …?" sets aside (JSON, YAML): the answer is something else, or []."""
    m = BESIDES_RE.search(question)
    return [x for x in JOINED_RE.split(re.sub(r"^(?:the|a|an)\s+", "", m.group(1).strip(), flags=re.I)) if x] if m else []


def lists_beside(sentence: str, aside: Sequence[str]) -> bool:
    """The sentence lists something beside the set-aside ones ("JSON, YAML and XML"); "several problems like graph
    reachability" lists nothing else, nor does "DSLs such as JSON and YAML"."""
    marked = sentence
    for item in aside:
        marked = re.sub(r"\b" + r"\W+".join(map(re.escape, item.split())) + r"\b", "\x00", marked, flags=re.I)
    marked = re.sub(r"\x00(?:\s*" + LISTED_RE + r"\s*\x00)+", "\x00", marked)  # "JSON and YAML": one set-aside run
    return bool(re.search(LISTED_RE + r"\s*\x00|\x00\s*" + LISTED_RE, marked))
