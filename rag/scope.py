"""Whether evidence speaks of what a question asks about: the side of a setting (training, not inference), a thing the
question excludes ("plain ReLU (not leaky-ReLU)"), the items a question compares ("physics versus biology"), one name
of a list rather than the whole list, a named one rather than the best one.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from .focus import BESIDES_CLAUSE_RE
from .phrases import head_noun
from .quantities import NUM_TOKEN_RE
from .slots import NAME_TOKEN_RE, capitalised, plain_acronym, says
from .terms import STOP, terms, with_synonyms

SETTINGS = [("real", "synthet"), ("train", "infer"), ("cpu", "gpu"), ("zero-shot", "few-shot"), ("encod", "decod"),
            ("open-sourc", "proprietari"), ("pre-train", "fine-tun")]  # two sides of a setting a figure is reported for
EXCLUDING_RE = re.compile(r"\b(?:rather than|instead of|as opposed to|not|without|before any)\b[^,;?)]*", re.I)


def other_setting(question: str, sentence: str) -> str | None:
    """The side of a setting the sentence reports that the question does not ask for ("for inference" when training is
    asked; "on synthetic hypergraphs" when the real-world datasets are asked), or None."""
    asked = EXCLUDING_RE.sub(" ", question)  # "training rather than inference": the words after the marker are unwanted
    asked = re.sub(r"\b[A-Z][a-z]+(?:\s+[A-Z][a-z]+)+", " ", asked)  # "Continual Inference Networks": a name, no setting
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


OTHER = NAME_TOKEN_RE.pattern.removeprefix(r"\b")  # another name in a list: MoE-Lens, GPT-2
LIST_JOIN = r"(?:\s*\([^)]*\))?\s*(?:,\s*(?:and\s+|or\s+)?|\s+(?:and|or)\s+)"  # ", " / " and " / ", or " between list items


def listed_alone(question: str, text: str, answer: str) -> str | None:
    """A name the question asks about that the text lists beside others ("ToyMix, LargeMix and UltraLarge") while the
    answer sentence gives none of the list: the answer's figure is then for all of them together, or None."""
    for name in NAME_TOKEN_RE.findall(question):
        if plain_acronym(name) or name.lower() in answer.lower():
            continue
        n = re.escape(name)
        lists = [rf"\b{n}{LIST_JOIN}({OTHER})", rf"({OTHER}){LIST_JOIN}{n}\b"]
        if any(re.search(p, question) for p in lists):
            continue  # the question lists it itself ("on x86-64, ARM and RISC-V"): context, not a choice
        others = {m.group(1) for p in lists for m in re.finditer(p, text)}
        if others and not any(o.lower() in answer.lower() for o in others):
            return name
    return None


NAME_LIST_RE = re.compile(rf"(?:(?<![\w-]){OTHER}{LIST_JOIN})+(?<![\w-]){OTHER}")  # "HumanEval+, MBPP+, and LiveCodeBench"


def _family(name: str) -> str:
    """A name's letters before its version or size ("GPT" of GPT-3.5, "LLaMA" of LLaMA-2-7B), or "" when it has none."""
    m = re.match(r"([A-Za-z]{2,})[- ]?v?\d", name)
    return m.group(1).lower() if m else ""


def _key(text: str) -> str:
    """A name or text compared loosely: lower case, letters and digits only, TeX's "8times7B" as "8x7B"."""
    return re.sub(r"[^a-z0-9+]", "", re.sub(r"(?<=\d)\\?times(?=\d)", "x", text.lower()))


def sibling_named(question: str, title: str, text: str, answer: str) -> str | None:
    """A name the question asks about (GPT-3.5, HumanEval+) that the answer sentence does not give while it gives a
    sibling that the question does not: a name of the same family (GPT-4) or one the text lists with it (LiveCodeBench
    of "HumanEval+, MBPP+, and LiveCodeBench"): the answer's figure is the sibling's. Returns "sibling, not name"."""
    key_q, key_a, key_t = _key(question), _key(answer), _key(title)
    given = [m.rstrip(".") for m in NAME_TOKEN_RE.findall(answer) if _key(m) not in key_q and not plain_acronym(m)]
    for name in NAME_TOKEN_RE.findall(question):
        name = name.rstrip(".")
        if plain_acronym(name) or _key(name) in key_a or _key(name) in key_t:
            continue
        lists = [{_key(n) for n in NAME_TOKEN_RE.findall(m.group())} for m in NAME_LIST_RE.finditer(text) if name in m.group()]
        for other in given:
            if (_family(name) and _family(other) == _family(name)) or any(_key(other) in group for group in lists):
                return f"{other}, not {name}"
    return None


BEST_RE = re.compile(r"\bthe (?:best|top|strongest|leading)\b", re.I)


def named_besides_best(question: str, title: str, answer: str) -> list[str]:
    """Names the question asks about (not the paper's own) that an answer sentence giving "the best one's" figure does
    not give ("the best agent achieved 21%" for "what did AutoGPT score?"); none when the question asks for the best."""
    if not BEST_RE.search(answer) or BEST_RE.search(question):
        return []
    asked = [n for n in NAME_TOKEN_RE.findall(question) if n.lower() not in title.lower()]
    if any(n.lower() in answer.lower() for n in asked):
        return []  # "the best LLM OpenAI o1-preview … 10%" gives o1-preview's figure
    return sorted(asked)


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
capabilities opportunity opportunities name names category categories class classes group groups"""))


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


STUDY_ASK_RE = re.compile(r"^(?:did|do|does|have|has|was|were)\b[^?]*?\b(?:run|ran|conduct(?:ed)?|perform(?:ed)?|"
                          r"carr(?:y|ied) out|include[sd]?)\s+(?:an?\s+|any\s+)?((?:[\w-]+\s+){1,2}?)(?:stud(?:y|ies)|"
                          r"experiments?|evaluations?|trials?)\b", re.I)  # "Did the authors run a user study …?"
STUDY_HEADS = r"(?:stud|experiment|evaluat|analys|trial|survey|test)"


def unrun_study(question: str, text: str) -> str | None:
    """The kind of study a yes/no question asks whether the paper ran ("a user study") when the text never names one of
    that kind (the modifier's words, then a study, experiment or evaluation), or None."""
    if not (m := STUDY_ASK_RE.search(question)):
        return None
    words = m.group(1).split()
    pattern = r"\b" + r"\w*\W+".join(re.escape(w[: max(4, len(w) - 2)]) for w in words) + r"\w*\W+" + STUDY_HEADS
    return None if re.search(pattern, text, re.I) else f"{' '.join(words)} study"


def _counted(text: str) -> dict[str, set[str]]:
    """The nouns the text counts, each with its numbers ("from 15.9% with one sample to 56% with 250 samples" ->
    {sampl: {one, 250}})."""
    out: dict[str, set[str]] = {}
    words = re.findall(r"[\w.,%/-]+", re.sub(r"(\d/\d+)-(?=[A-Za-z])", r"\1 ", text))  # "2/4-bit" as "2/4 bit"
    for i, w in enumerate(words[:-1]):
        nums = w.strip(",.").split("/")
        if all(NUM_TOKEN_RE.fullmatch(n) and not n.endswith("%") for n in nums) and (t := terms(words[i + 1])):
            out.setdefault(t[0].rstrip("s") or t[0], set()).update(n.lower() for n in nums)
    return out


def other_count(question: str, sentence: str) -> str | None:
    """A count the question sets ("when given only five samples") that the sentence gives only with other numbers ("with
    one sample", "with 250 samples"): its figure is for another setting; the sentence's count, or None."""
    asked, got = _counted(question), _counted(sentence)
    for noun, nums in asked.items():
        if noun in got and not nums & got[noun]:
            return f"{', '.join(sorted(got[noun]))} {noun}"
    return None


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


EXAMPLES_RE = re.compile(r"\((?:e\.g\.|such as|like|for example)[,:]?\s+([^)]*)\)|(?:,\s*|\s)(?:such as|e\.g\.,?|"
                         r"for example,?|for instance,?)\s+([^?(]+)|,\s*like\s+([^?(]+)|"
                         r"\b(?:[a-z-]{3,}s|hardware)\s+like\s+((?-i:[A-Z])[^?(]*)",
                         re.I)  # "Which TEE, such as Intel SGX or AMD SEV, …", "open-source models like Llama"
EXAMPLE_FILLER = frozenset(terms("particular specific variant variants version versions method methods model models one ones"))
JOINED_RE = re.compile(r"\s+(?:or|and)\s+")


def _examples(question: str) -> list[tuple[int, int, list[str]]]:
    """(start, end, items) of each list of examples the question offers; after "such as", a list ends at its item joined
    by "or"/"and" ("such as additive, selective or reparameterized methods, does")."""
    out = []
    for m in EXAMPLES_RE.finditer(question):
        g = next(i for i in (1, 2, 3, 4) if m.group(i) is not None)
        pieces, end = re.split(r",\s*", m.group(g)), m.end()
        if g > 1:
            last = next((i for i, p in enumerate(pieces[:5]) if JOINED_RE.search(p)), 0)
            pieces = pieces[:last + 1]
            end = m.start(g) + len(", ".join(pieces))
        out.append((m.start(), end, [x.strip() for p in pieces for x in JOINED_RE.split(p) if x.strip()]))
    return out


def offered(question: str) -> list[str]:
    """The examples a question offers of what it asks ("such as Intel SGX or AMD SEV", "(e.g., a CNN)")."""
    return [x for _, _, items in _examples(question) for x in items
            if not re.match(r"(?:because|when|if|since|where|while)\b", x, re.I)]  # "for instance because …": a reason


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
    rest = set(terms(without_examples(question)))  # "what kind of constraint, such as a matroid constraint": the asked
    for item in items:  # word itself is no sign of the example
        words = [t for t in terms(item) if t not in EXAMPLE_FILLER and t not in STOP]
        named = NAME_TOKEN_RE.findall(item) + sorted(capitalised(" " + item))
        if any(says(low, n) for n in named + [item.strip()]) or (  # "T-NLG" whole, where its name token is NLG
                not named and with_synonyms(set(words) - rest) & own):
            return []
    return items


BESIDES_RE = re.compile(BESIDES_CLAUSE_RE.pattern + r"(?:which|what)\b", re.I)
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
    return (bool(re.search(LISTED_RE + r"\s*\x00|\x00\s*" + LISTED_RE, marked))
            or bool(OTHERS_RE.search(sentence))  # "expanded to other components, such as the selection of …"
            or bool(AS_WELL_RE.search(sentence))  # "puts a constraint on storage space as well."
            or bool(ADDED_RE.match(sentence))  # "Furthermore, the few public datasets … are scattered": one more
            or "\x00" not in marked and any(_clause_then_more(sentence, item) for item in aside))


def _clause_then_more(sentence: str, clause: str) -> bool:
    """A set-aside clause ("directing a user query to a vertical model") said in other forms ("direct user queries to the
    most appropriate vertical model") and followed by "and"/a comma and more ("… and reformat the query")."""
    want = set(terms(clause)) - STOP
    if len(want) < 3:
        return False
    words = re.findall(r"[\w-]+|[,;]", sentence)
    last, span = terms(clause)[-1], len(clause.split()) + 2
    for i, w in enumerate(words):  # where the clause ends, three quarters of its words said close before
        if last in terms(w) and len({t for x in words[max(0, i - span + 1): i + 1] for t in terms(x)} & want) >= 0.75 * len(want):
            after = words[i + 1: i + 3]
            if len(after) == 2 and after[0] in (",", ";", "and", "or") and after[1][0].isalnum():
                return True
    return False


ADDED_RE = re.compile(r"\s*(?:Furthermore|Moreover|In addition|Additionally|What is more)\b")  # a sentence adding one
AS_WELL_RE = re.compile(r"\bas well\W*$", re.I)
OTHERS_RE = re.compile(r"\b(?:other|beyond|additional|further)\b[^.;]*?(?:,\s*)?\b(?:such as|including|e\.g\.|like)\s+\w",
                       re.I)
