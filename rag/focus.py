"""Reading a question: its content terms and what it asks for (a count, a measure, a name, several papers).

What a sentence must hold to give that answer is rag/slots.py and rag/quantities.py; words and stems are rag/terms.py.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from .phrases import SLOT_STOP, VERBS, head_noun, participle, plural_noun, verb_inside
from .quantities import NUMBER_WORDS
from .terms import STOP, STOP_ALT, question_terms, terms

QUANTITY_WORDS = (r"(?:percentage|percent|fraction|share|proportion|speed-?ups?|accuracy|accuracies|scores?|size|number|rates?|"
                  r"ratio|factor|margin|gains?|improvements?|reductions?|throughput|latency|cost|amount|errors?|savings?|"
                  r"count|times|perplexity|bleu|f1|parameters|utili[sz]ation|exponent|length|gap|energy|power|bandwidth|"
                  r"budget|footprint|overhead|capacity|efficiency|precision|recall|auc|mfu|hours|memory|values?|coefficients?|"
                  r"bit-?widths?|durations?|thresholds?|pass@\w+|(?:si-)?sdr|psnr|ssim|fid|rouge(?:-\w+)?|rmse|mse|mae|wer|"
                  r"iou|r2)")
QUANTITY_RE = re.compile(
    r"\bhow (?:many|much|fast|large|big|long|often|high|low|small|quickly|far|well|accurate(?:ly)?)\b|\bby how\b|\bby what\b|"
    r"\b(?:what|which) (?:(?!(?:of|do|does|did|about|regarding|concerning)\b)[\w-]+ ){0,4}" + QUANTITY_WORDS + r"\b|"
    r"\bhow .{0,40}\b(?:faster|slower|better|larger|smaller|fewer|less|more|cheaper)\b", re.I)
TIME_RE = re.compile(r"\bhow long\b|\bin (?:hours|days|minutes|seconds|weeks|months)\b", re.I)
UNIT_ASK_RE = re.compile(r"\bin (?:us |u\.s\. |total |overall )?(tokens|hours|days|minutes|seconds|milliseconds|gb|mb|tb|"
                         r"gigabytes|watts|joules|dollars|flops|parameters?(?:\s+counts?)?)\b"
                         r"(?=\s*(?:[,?)]|per\b))", re.I)
HOW_MUCH_RE = re.compile(r"\bhow (?:much|long) (?!did|does|do|is|are|was|were|can|could|would|will|has|have|had|more|less|faster|better)"
                         r"((?:[\w/-]+ ){0,2}[\w/-]+)", re.I)
MULTI_RE = re.compile(r"\b(?:which|what) (?:papers|works|studies|articles|publications|approaches|systems|methods)\b|"
                      r"\bwhat (?:work|research) (?:exists|is there)\b|\bpapers? (?:that|which)\b|(?<!many )\bpapers (?:about|on|regarding|"
                      r"covering)\b|\b(?:give|show|list|find|recommend|suggest)(?: me)?(?: some| any| the)? (?:papers|works|studies|"
                      r"articles)\b", re.I)  # "Give me papers about quantum computing and energy."
METHOD_NOUNS = (r"(?:techniques|methods|approaches|strategies|ways|mechanisms|solutions|tricks|"
                r"(?:categories|kinds|types|families|classes) of (?:[\w-]+ )?(?:techniques|methods|approaches))")
BROAD_RE = re.compile(  # "What techniques reduce …?", "What are the main ways to …?": the field's methods, from any paper;
    # not "which two strategies …", "which methods does CO2 add", "which methods is the approach compared against"
    r"^\s*(?:what|which) (?:(?!(?:of|the|this|these|its|their|two|three|four|five)\b)[\w-]+ ){0,2}?(?:[\w-]+ (?:and|or) )?"
    + METHOD_NOUNS + r"\b(?!\s+(?:does|do|did|has|have|had|was|were|is|of)\b)"
    r"(?!.*\b(?:does|do|did) (?!they\b|these\b|those\b|it\b))|"
    r"^\s*what are (?:the |some )?(?:(?!(?:two|three|four|five)\b)[\w-]+ ){0,2}?" + METHOD_NOUNS + r"\b", re.I)
ONE_PAPER_RE = re.compile(r"\b(?:the|this|that|its|their) (?:[\w-]+ ){0,4}?(?:paper|study|work|authors?|survey|article|"
                          r"framework|system|analysis|model)\b|\bspecific\b",
                          re.I)  # "… of the efficient LLM survey": a detail of one paper, not the field


def broad(question: str) -> bool:
    """The question asks for the field's methods for something, not a detail of one paper."""
    return bool(BROAD_RE.search(question)) and not ONE_PAPER_RE.search(question)


OVERVIEW_TERMS = frozenset(terms(
    "problem solve summarize summary tell me about main key result results finding findings find contribution "
    "contributions idea goal aim purpose overview describe explain propose proposes introduce work works used use paper "
    "study approach method new novel core central what who address tackle"))


def overview(question: str, name: str) -> bool:
    """The question asks what a paper it names is or does, nothing more ("What problem does Curator solve?",
    "Summarize the Pathways paper."): no content word but the name and words of that kind."""
    return not set(question_terms(question)) - set(terms(name)) - OVERVIEW_TERMS


REFERRING_RE = re.compile(  # "that" alone is mostly a relative pronoun ("a review that covers …"), not a reference
    r"\b(it|its|they|them|their|this|these|those|(?:that|the) (paper|method|model|approach|work|authors|study|system))\b", re.I)
ELLIPTIC_RE = re.compile(r"^\s*(?:and|also|so|then|why|what about|how about)\b", re.I)  # "And on which GPUs?"


def refers_back(question: str) -> bool:
    """The question continues the conversation (a pronoun, "the paper", "and …?", a few words), not a new topic."""
    return bool(REFERRING_RE.search(question) or ELLIPTIC_RE.match(question)) or len(question.split()) <= 4


EXISTS_RE = re.compile(r"^\s*(?:is|are) there\b|\b(?:which|what) (?:paper|work|study|survey|review|article|publication)\b",
                       re.I)  # "Is there a survey of …?": the paper itself is the answer
FASTER_RE = re.compile(r"\bhow (?:much|many times) (?:faster|quicker|slower)\b", re.I)
HOW_BIG_RE = re.compile(r"\bhow (?:large|big|fast|quickly|small) (?:is|was|are|were|does|do|did) (?:the |a |an |its |their )"
                        r"((?:[\w/-]+ ){0,3}[\w/-]+)", re.I)  # "how large was the image-text pool …": the pool is measured
CHANGE_ASK_RE = re.compile(r"\bhow much (?:does|do|did|has|have|had|will|would|can|could) (?:the |a |an |its |their )?"
                           r"((?:[\w/-]+ ){0,3}?[\w/-]+) (?:change|increase|decrease|drop|improve|rise|fall|grow|shrink|degrade|"
                           r"vary|shift)\w*(?=\s*(?:[?,.]|(?:when|if|after|with|as|under|between|from|across|once|compared|"
                           r"relative|during|at)\b))", re.I)  # not "did X improve inference": there X is no measure
TAIL_RE = re.compile(  # ", and how many X …?": a second question joined to the first
    r"(?:,\s*|\s+)and\s+(?=(?:how|what|which|who|where|why|when|whether)\b|"
    r"(?:within|into|in|by|to|on|for|from|at|under|over|with)\s+(?:what|which|how)\b)", re.I)
NUMBERISH_RE = re.compile(r"\d|\b(?:" + "|".join(NUMBER_WORDS[1:]) + r"|twenty|thirty|forty|fifty|"
                       r"hundreds?|thousands?|millions?|billions?|trillions?|half|double|twice|triple|tenfold|dozens?)\b", re.I)


KIND_STEMS = frozenset("model llm dataset benchmark browser chipset board microcontrol hardwar gpu librari baselin optim famili "
                       "compil languag corpus framework system agent suit task devic simul toolkit tool platform architectur "
                       "algorithm packag softwar processor api manufactur vendor solver codec compressor corpora function "
                       "transform licens licenc"
                       .split())  # nouns that name a kind of thing a name can be of
CHANGE_STEMS = frozenset({"gain", "improv", "reduct", "save", "increas", "boost"})
COUNT_RE = re.compile(r"\bhow many (?!times\b)(?:more |distinct |different |separate |individual |total |of the )?"
                      r"((?:(?!(?:" + STOP_ALT + r")\s)[\w/-]+ ){0,3}[\w/-]+)",
                      re.I)  # "how many existing CTR prediction models": models are counted; not "publications from how …"
MEASURE_RE = re.compile(r"\b(?:what|which) ((?:(?!(?:of|do|does|did)\b)[\w/-]+ ){0,4}?" + QUANTITY_WORDS + r")\b",
                        re.I)  # not "what shortcoming of existing capacity measures", "what do the cost-aware variants"
# kinds that also begin compound nouns ("architecture search"): asked only when the phrase ends there ("Which HGNN
# architecture acts …", "Which four routing functions does …"), with a verb, a function word or punctuation after them
ENDS_PHRASE = r"(?=\s*(?:[^\w\s]|$)|\s+(?:" + "|".join(sorted(STOP | {"took", "acts", "serves", "runs", "uses"})) + r")(?![\w-]))"
COMPOUND_ASK = r"(?:functions?|architectures?|frameworks?|transformers?)" + ENDS_PHRASE
DESCRIBED_RE = re.compile(r"(?:\s+(?!(?:" + STOP_ALT + r")(?![\w-]))[\w-]+){0,2}?\s+"
                          r"(?:techniques?|methods?|approach(?:es)?|strateg(?:y|ies)|schemes?|mechanisms?|paradigms?|"
                          r"principles?)\b", re.I)  # "which model compression techniques"
NAME_ASK_RE = re.compile(r"\b(?:which|what) (?:(?!(?:is|are|was|were|do|does|did|has|have|had|the|a|an|of|in|on|for|to|by|and|or|"
                         r"with|it|they|we|you|this|these|those)\b|" + QUANTITY_WORDS + r"\b)[\w-]+ (?:(?:and|or) )?){0,4}?"
                         # up to four modifiers ("commonsense and arithmetic reasoning"), no function or quantity word, no
                         # pronoun ("in what it models")
                         r"(models?|llms?|datasets?|benchmarks?|browsers?|chipsets?|boards?|microcontrollers?|hardware|gpus?|"
                         r"librar(?:y|ies)|baselines?|optimizers?|famil(?:y|ies)|compilers?|"
                         r"programming languages?|packages?|software|devices?|processors?|toolkits?|tools?|systems?|"
                         r"algorithms?|apis?|data sets?|manufacturers?|vendors?|solvers?|codecs?|compressors?|corpus|corpora|"
                         r"simulators?|platforms?|circuits?|backbones?|licen[cs]es?|" + COMPOUND_ASK +
                         r"|(?:prior|previous|existing|earlier|related) works|"
                         r"(?:formal|planning|query|specification|description|modeling|modelling) languages?)"
                         r"\b(?!-|\s+(?:propert(?:y|ies)|features?|components?|aspects?|parts?|settings?|choices?|sizes?|"
                         r"limitations?|constraints?|requirements?|bottlenecks?|changes?|modifications?)\b)", re.I)
# ("algorithm-hardware co-design": a hyphenated first part is no kind; nor is one before the thing asked about: "which
# circuit properties", "what hardware limitation")
TYPES_RE = re.compile(r"\s+(?:types?|kinds?|classes|categor(?:y|ies))\b", re.I)
BESIDES_CLAUSE_RE = re.compile(r"^(?:besides|apart from|aside from|other than|in addition to)\s+([^,?]+),\s*",
                               re.I)  # "Besides JSON and YAML, which …": what it sets aside
TYPE_OF_RE = re.compile(r"\b(what|which) (?:type|kind|sort|make|model) of (?=(?:gpus?|cpus?|accelerators?|processors?|"
                        r"chips?)\b)", re.I)  # a product is named (A100); "what kind of model" asks a description
FAMILY_OF_RE = re.compile(r"\b(what|which) (?:famil(?:y|ies)|series) of (?=(?:[\w-]+ ){0,2}?(?:" + "|".join(
    ("models?", "llms?", "optimizers?", "algorithms?", "gpus?", "processors?", "datasets?", "benchmarks?", "architectures?")) +
    r")\b)", re.I)
OF_PHRASE_RE = re.compile(r"\s+of (?:the |a |an |its |their )?((?:[\w/-]+ ){0,3}[\w/-]+)")  # "… value of the X": X
LISTED_ASK_RE = re.compile(r"\s+(?:are|were|is|was)\s+(?:given|listed|named|mentioned|cited|described|discussed|covered|"
                           r"included|highlighted|identified)\b", re.I)
TIME_UNITS = ("hour", "day", "minut", "second", "week", "month", "year", "time")
GENERIC_MEASURES = frozenset({"percentag", "percent", "fraction", "share", "proport", "factor", "time", "ratio", "amount",
                              "number", "margin", "gain", "improv", "reduct", "save", "much"})
CHANGED_OBJECT = (r"(?!(?:compared|relative|versus|vs|than|by|with|when|in|on|at|for|from|to|across|while|as|over)\b)"
                  r"((?:[\w-]+\s+){0,2}[\w-]+)")  # what a verb of change acts on; "save compared to LoRA": no object
CHANGE_OBJECT_RE = re.compile(r"\b(?:cut|cuts|reduce|reduces|lower|lowers|decrease|decreases|shrink|shrinks|save|saves)\s+"
                              r"(?:the\s+|its\s+)?" + CHANGED_OBJECT, re.I)
RAISE_OBJECT_RE = re.compile(r"\b(?:how much|by how much|by what (?:factor|margin|percentage))\b[^?]{0,60}?\b(?:raise|increase|"
                             r"boost|lift)s?\s+(?:the\s+|its\s+|their\s+)?" + CHANGED_OBJECT,
                             re.I)  # "how much does ResponsibleTA raise the task success rate": the rate is measured
# ("improve inference" names no quantity)
SPECIFIC_RE = re.compile(r"\b(?:which|what) (?:specific|particular|exact) ((?:[\w-]+ ){0,4}[\w-]+)", re.I)
CHANGED_SUBJECT_RE = re.compile(r"\bby (?:what factor|how much)\b[^,?]*?\b(?:has|have|had|did|does|do|is|are|was|were)\s+"
                                r"(?:the\s+|its\s+|their\s+)?([^,?]+?)\s+(?:grow|grown|grew|increased?|rise|risen|rose|scaled?|"
                                r"improved?|dropp?e?d?|fall|fallen|fell|declined?|shrunk|shrink)\s*\?*$", re.I)  # what changed
VAGUE = frozenset("set sets data result results one ones it model models system systems method approach thing".split())


@dataclass(frozen=True)
class Focus:
    """What a question asks for."""

    terms: tuple[str, ...]
    quantity: bool  # a number is asked for
    multi: bool  # several papers are asked for ("Which papers …?")
    count: tuple[str, ...] = ()  # "how many X": the stems of X, which must be what the number counts
    measure: tuple[str, ...] = ()  # "what X" for a quantity X (accuracy, speedup…): stems that must be near the number
    name: tuple[str, ...] = ()  # "which dataset/model/GPU …": a name must be given beside this word
    exists: bool = False  # "Is there a survey of …?", "Which paper …?": the answer names the paper
    whose: str | None = None  # "what window size": the stem of what the size is of, which the answer must speak of
    compared: bool = False  # papers the question names by their titles are compared: each is quoted (with multi)

    @property
    def value(self) -> bool:
        """A number or a name is asked for (else the question asks for a description)."""
        return bool(self.quantity or self.name or self.count or self.measure)


def _asked(match: re.Match | None, question: str) -> re.Match | None:
    """A wh-phrase match only when it is what the question asks: near its start or after a comma or "and"."""
    if match is None:
        return None
    before = question[: match.start()]
    if re.search(r"(?:,|\band)\s*$", before):
        return match
    if re.match(r"\s*(?:what|which)\b", before, re.I) and match.group().lower().startswith("how"):
        return None  # "What novel notion does the result on how many rankings … rely on?": a notion is asked
    if re.search(r"\b(?:decid|determin|choos|chose|select|pick|adjust|adapt|control|tun)\w*\s*$", before, re.I):
        return None  # "how do they decide how many tokens a model gets?": how they decide is asked
    return match if len(before) <= 40 else None


@lru_cache(maxsize=4096)  # pure: selection, its gate, its parts and the pipeline all read the same question
def focus(question: str) -> Focus:
    """Read what the question asks for from its wording."""
    count = measure = ()
    whose = None
    if m := _asked(COUNT_RE.search(question), question):
        again = re.search(r"\bhow many\b", question[m.start(1):], re.I)  # "how many papers from how many venues": venues
        count = (() if again else head_noun(m.group(1))) or plural_noun(question[m.start(1):])  # "how many GPU hours" counts
        # hours; "how many total and per-token activated parameters" counts parameters
    elif m := UNIT_ASK_RE.search(question):
        measure = tuple(terms(m.group(1)))  # "…, in tokens, …": the number must be of that unit
    elif m := MEASURE_RE.search(question):
        rest, words = question[m.end() :], m.group(1).split()
        whose = _whose(words)
        while more := re.match(r"\s+" + QUANTITY_WORDS + r"\b", rest, re.I):  # "throughput speedup": the last word is asked
            words.append(more.group().strip())
            rest = rest[more.end() :]
        if words[-1].lower().startswith("value"):  # "what capacity value" measures capacity, "what value of the X …" X
            of = OF_PHRASE_RE.match(rest)
            words = words[-2:-1] if len(words) > 1 and re.fullmatch(QUANTITY_WORDS, words[-2], re.I) else []
            subject = re.match(r"\s+(?:is|are|was|were) (?:the |a |an |its |their )?((?:[\w/-]+ ){0,2}?[\w/-]+)"
                               r"(?= (?:set|fixed|chosen|tuned)\b)", rest)  # "what value is the similarity threshold set to"
            words = words or (list(head_noun(of.group(1))) if of else list(head_noun(subject.group(1))) if subject else [])
        measure = tuple(terms(words[-1])) if words else ()  # the quantity word itself, not its modifiers ("context length")
        if measure == ("number",) and (of := OF_PHRASE_RE.match(rest)):
            count, measure = head_noun(of.group(1)), ()  # "what is the largest number of tasks merged": tasks are counted
        if measure and measure[0] in CHANGE_STEMS | {"ratio", "rate"} and len(words) > 1:
            measure = tuple(terms(words[-2])) + measure  # "throughput gain": the gain is measured in throughput
    elif re.search(r"\bhow much of (?:a|an|the|its|their|[\w-]+'s)\b", question, re.I):
        measure = ("share",)  # "how much of a fixed budget should go to …": a part of a whole
    elif m := CHANGE_ASK_RE.search(question):
        measure = _object(m.group(1), names=False)  # "how much does validation perplexity change": perplexity
    elif m := HOW_MUCH_RE.search(question + " "):
        measure = head_noun(m.group(1))
        measure = TIME_UNITS if measure == ("time",) else measure  # "how much time does it add": a duration, not "1.98x"
    elif re.search(r"\bhow accurate(?:ly)?\b", question, re.I):
        measure = ("accuraci",)  # "how accurately do the schemes predict …": an accuracy figure
    elif m := HOW_BIG_RE.search(question + " "):
        measure = _object(m.group(1), names=False)
    elif FASTER_RE.search(question):
        measure = ("faster",)  # "how much faster is inference …": a speed-up
    elif TIME_RE.search(question):
        measure = TIME_UNITS
    if (not measure or set(measure) <= GENERIC_MEASURES) and (m := CHANGE_OBJECT_RE.search(question)
                                                               or RAISE_OBJECT_RE.search(question)):
        measure = _object(m.group(1)) or measure  # "by what percentage does X cut energy consumption": energy is measured
    if (not measure or set(measure) <= GENERIC_MEASURES) and (m := CHANGED_SUBJECT_RE.search(question)):
        measure = _object(m.group(1), names=False) or measure  # "by what factor has the training compute … grown": compute
    asked = BESIDES_CLAUSE_RE.sub("", question)  # "Apart from choosing which LLM answers, what other part …": no LLM
    asked = TYPE_OF_RE.sub(r"\1 ", asked)  # "what type of GPU were they run on": a GPU is named
    asked = FAMILY_OF_RE.sub(r"\1 ", asked)  # "which family of memory-saving optimizers": an optimizer family is named
    name = NAME_ASK_RE.search(asked)
    if name and _embedded(name, asked):
        name = None
    if name and re.match(r"\s+" + QUANTITY_WORDS + r"\b", asked[name.end():], re.I):
        name = None  # "what benchmark score": a score is asked, the benchmark only qualifies it
    if name and _headed_before(name):
        name = None  # "what benefits motivate deploying LLMs …": benefits are asked, LLMs are in a clause
    if name and TYPES_RE.match(asked[name.end():]) and not re.match(r"gpu|hardware|processor|chip|device", name.group(1), re.I):
        name = None  # "which Transformer model types": the types are described (encoder, decoder); GPU types are named
    if name and DESCRIBED_RE.match(asked[name.end():]):
        name = None  # "which model compression techniques …": techniques are described, not named
    kind = _kind(name, asked) if name else _specific(asked)  # "which specific graph problems …": named ones
    q = _asked(QUANTITY_RE.search(question), question)
    if q and re.match(r"(?:what|which)\b", q.group(), re.I) and (verb_inside(q.group()) or re.match(
            r"\s+(?:dimensions?|aspects?|axes|metrics?|factors?|trade-?offs?|characteristics?)\b", question[q.end():], re.I)):
        q = None  # "which technique narrowed the gap": a verb in between; "which cost dimensions": no number is asked
    if q and re.match(r"(?:what|which)\b", q.group(), re.I) and LISTED_ASK_RE.match(question[q.end():]):
        q = None  # "which algorithm-level improvements are given as examples": the improvements are named
    field = broad(question)
    if q and field:
        q = None  # "what techniques reduce the memory footprint": techniques are asked, not a number
    quantity = bool(q) or bool(UNIT_ASK_RE.search(question))  # "the largest model, in parameters," asks a number
    multi = field or bool(MULTI_RE.search(question))  # the answer is a list of papers
    return Focus(tuple(question_terms(question)), quantity, multi, count if quantity else (), measure if quantity else (),
                 kind if not multi else (), bool(EXISTS_RE.search(question)), whose if quantity and measure else None)


GENERIC_DIMENSION_RE = re.compile(r"(?:sizes?|lengths?|costs?|bit-?widths?|budgets?|capacity)", re.I)
MODIFIER_STOP = frozenset("average total overall maximum minimum max min peak final exact typical mean median best highest "
                          "lowest top largest smallest relative absolute reported achieved resulting required expected "
                          "additional extra approximate estimated new specific time compute computational token "
                          "storage".split())  # and resources a budget or cost is counted in ("what time budget")


def _whose(words: list[str]) -> str | None:
    """Of "what window size": window, the stem of what a generic dimension is asked of (not of "what response latency":
    a latency is a latency; nor of "what average size")."""
    if (len(words) < 2 or not GENERIC_DIMENSION_RE.fullmatch(words[-1]) or re.fullmatch(QUANTITY_WORDS, words[-2], re.I)
            or words[-2].lower() in MODIFIER_STOP or re.search(r"\d|[A-Z].*[A-Z]|'s$", words[-2])):
        return None
    return (terms(words[-2]) or [None])[-1]


@lru_cache(maxsize=4096)
def parts(question: str) -> tuple[str, ...]:
    """The two questions of a two-part question ("How many …, and how many models were tested?"), else the question."""
    m = TAIL_RE.search(question)
    return (question[: m.start()].strip() + "?", question[m.end():].strip()) if m else (question,)


def _kind(match: re.Match, question: str) -> tuple[str, ...]:
    """The asked kind's stems with the nouns that follow it ("which LLM data-processing toolkit offers" -> llm, toolkit)."""
    nouns, ended = [], False
    for w in re.findall(r"[\w-]+|[^\w\s]", question[match.end():])[:3]:
        if w.lower() in SLOT_STOP or w.lower() in VERBS or not w[0].isalnum():
            ended = True
            break  # "which dataset were the simulations run on": the kind ends at the verb
        nouns.append(w)
    # "which software ecosystem were …": one noun after the kind's word, then the phrase ends: an ecosystem is named (not
    # a verb: "which LLM powered the …", "which processor handles the …")
    head = tuple(terms(nouns[0]))[-1:] if ended and len(nouns) == 1 and not re.search(r"(?:s|ed)$", nouns[0]) else ()
    kinds = [t for t in terms(" ".join(nouns)) if t in KIND_STEMS]
    return tuple(terms(match.group(1))) + tuple(dict.fromkeys([*kinds, *head]))


def _headed_before(match: re.Match) -> bool:
    """A plural noun among a name ask's modifiers that does not stand just before the kind's word is the asked thing
    ("What benefits motivate deploying LLMs": benefits), unlike "Which existing books dataset"."""
    mods = match.group(0).split()[1:-1]
    return any(re.fullmatch(r"[a-z][a-z-]+(?<!ic)(?<![su'])s", w) for w in mods[:-1])


def _embedded(match: re.Match, question: str) -> bool:
    """A "which X" that asks nothing: a relative clause before the real question ("X, which evaluates LLMs …, what is
    …?") or an embedded one ("selecting which LLM to fine-tune")."""
    rest = question[match.end():]
    relative = re.search(r",\s*$", question[: match.start()]) and re.search(r",\s*(?:what|which|how)\b", rest, re.I)
    return bool(relative or re.match(r"\s+to\s", rest))


def _specific(question: str) -> tuple[str, ...]:
    """The head noun of "which specific X …" (the question wants X named: "which specific graph problems did …" ->
    problem), or ()."""
    m = SPECIFIC_RE.search(question)
    return head_noun(m.group(1)) if m else ()


def _object(phrase: str, names: bool = True) -> tuple[str, ...]:
    """The content stems of a verb's object up to its first function word ("energy consumption on the edge");
    without `names`, only its head noun and none when that is a name ("how fast does GraphVite …")."""
    words = []
    for w in phrase.split():
        if w.lower() in SLOT_STOP or w.lower() in VERBS or (words and not names and participle(w)):
            break
        words.append(w)
    if not names:
        generic = bool(words) and set(terms(words[-1])) <= GENERIC_MEASURES  # "the accuracy gap": accuracy is measured
        words = [w for w in words[-2 if generic else -1:]
                 if not re.search(r".[A-Z]|\d", w) and not w[0].isupper() and w.lower() not in VAGUE]
    return tuple(t for t in terms(" ".join(words)) if t not in GENERIC_MEASURES)
