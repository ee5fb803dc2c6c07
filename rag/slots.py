"""What fills a question's asked name slot: a name of the asked kind beside its kind's word; and the names a text has
(the lexical tests behind the gate and the citation checks; numbers are in rag/quantities.py, a corpus's everyday
words in rag/terms.py).
"""

from __future__ import annotations

import re
from typing import Callable, Sequence

from .acronyms import initials
from .focus import KIND_STEMS
from .terms import same_term, singular, terms
from .quantities import numbers

NAME_TOKEN_RE = re.compile(r"\b(?:[A-Za-z]*[A-Z][a-z0-9]*[A-Z0-9][\w.+-]*|[A-Za-z]+-?\d[\w.+-]*|[A-Z][a-z]+-?[A-Z][\w.+-]*|"
                           r"[a-z]+[A-Z][a-z]{2,}\w*)")  # the last: vTrain, eBay


def names(text: str) -> set[str]:
    """Name-like tokens (acronyms, CamelCase, letters with digits), as lower-case alphanumeric parts joined."""
    return {re.sub(r"[^a-z0-9]", "", n.lower()) for n in NAME_TOKEN_RE.findall(text)} - {""}


def name_like(text: str) -> set[str]:
    """Tokens that look like names or model numbers: a capital after the first letter, or a digit (RTX, 3090, GPT-4)."""
    return {t.lower() for t in re.findall(r"[A-Za-z0-9]+", text) if re.search(r"\d|.[A-Z]", t)}


HARDWARE_RE = re.compile(r"\b(?:(?:NVIDIA|Nvidia|Intel|AMD|Apple|Qualcomm)\s+)?(?:(?:RTX|GTX|Tesla|Xeon|EPYC|Ryzen|Jetson|Orin|"
                         r"Snapdragon|Gaudi|Core)\s+)?(?:[A-Z]{0,4}\d{2,}[\w-]*|i\d\b[\w-]*)(?=\s+(?:(?:Tensor\s+Core\s+)?"
                         r"GPUs?|CPUs?|TPUs?|NPUs?|chips?|cards?|SoCs?|accelerators?|processors?)\b)|"
                         r"\b(?:NVIDIA|Nvidia|Intel|AMD|Qualcomm)\s+(?:RTX|GTX|Tesla|Xeon|EPYC|Ryzen|Jetson|Orin|Snapdragon|Gaudi|"
                         r"[A-Z]{0,4}\d{2,})[\w-]*|"
                         r"\b(?:Xilinx|Altera|Intel|AMD|Lattice)\s+(?:[A-Z][\w+-]*\s+){0,2}FPGAs?\b")
# "NVIDIA A100 GPUs", "Intel Xeon", "RTX 3090 GPU", "Xilinx FPGAs", not "NVIDIA's TensorRT"


MODEL_RE = re.compile(r"\b(GPT|ChatGPT|LLaMA|Llama|Mistral|Mixtral|Vicuna|Alpaca|Claude|Gemini|PaLM|BERT|RoBERTa|T5|Flan-T5|"
                      r"Falcon|Qwen|Gemma|BLOOM|ERNIE|GLM|Codex|StarCoder|CodeLlama|DeepSeek|OLMoE?|Chinchilla|Gopher|Pythia|"
                      r"InternLM|Baichuan)(?:[- ]?v?\d[\w.]*)*\b")  # well-known model families: "outperforms GPT-3 175B"


def hardware_names(text: str) -> set[str]:
    """Names of hardware in a text ("32 NVIDIA A100 GPUs", "Intel Xeon"): a baseline is none of them."""
    return {n for m in HARDWARE_RE.finditer(text) for n in names(m.group(0))}


VENDOR_HW_RE = re.compile(r"\b(?:CPUs?|GPUs?|NPUs?|TPUs?|FPGAs?|processors?|chips?)\s+(?:and\s+\w+\s+)?(?:from|by)\s+"
                          r"(ARM|Arm|Intel|AMD|NVIDIA|Nvidia|Qualcomm|Apple|Google|Xilinx|Huawei)\b")  # "GPUs from ARM, …"


def new_hardware(text: str, known: set[str]) -> bool:
    """The text names hardware ("128 A100 GPUs", "targeting Xilinx FPGAs", "CPUs and GPUs from ARM") that is not `known`
    (the question's names)."""
    if any(m.group(1).lower() not in known for m in VENDOR_HW_RE.finditer(text)):
        return True
    return any({w for w in re.findall(r"[a-z0-9]+", m.group(0).lower()) if re.search("[a-z]", w)} - known - HARDWARE_WORDS
               for m in HARDWARE_RE.finditer(text))  # "12,000 GPU hours" names none


HARDWARE_WORDS = frozenset(w + s for w in "gpu cpu tpu npu fpga chip card soc accelerator processor".split() for s in ("", "s")
                           ) | {"tensor", "core", "nvidia", "intel", "amd"}  # no name of one piece of hardware alone


def model_names(text: str, known: set[str]) -> set[str]:
    """Well-known models the text names ("gpt-3 175b", "ernie", "llama-405b"), lower-cased, whose family is not `known`."""
    return {m.group(0).lower() for m in MODEL_RE.finditer(text) if m.group(1).lower() not in known}


def said_names(question: str, title: str) -> set[str]:
    """The names the question or the title already say (name-like tokens of both, the question's capitalised words),
    lower-cased: an asked name or a baseline is none of them."""
    return name_like(question) | name_like(title) | {w.lower() for w in capitalised(question)} | run_initials(question)


def run_initials(text: str) -> set[str]:
    """The initials of each run of two or more capitalised words ("Feasible Learning" -> "fl"): the acronym the abstract
    may use for a name the text says."""
    runs = re.findall(r"\b[A-Z][a-z]+(?:[ -][A-Z][a-z]+)+\b", text)
    return {"".join(w[0] for w in re.split(r"[ -]", r)).lower() for r in runs}


GENERIC_ACRONYMS = frozenset("llm gpu cpu tpu npu api ai ml dl nlp dnn cnn gnn rnn moe sota rl vlm mllm lm qa flop tflop gflop "
                             "pflop qp tp fp np kv dram".split())  # np: NP-hard
DECIMAL_UNIT_RE = re.compile(r"\b\d+\.\d+[a-z]{1,2}\b")


def generic_acronym(name: str) -> bool:
    """An acronym of the field, singular or plural ("LLMs", "GPU", "APIs"), that names no particular thing."""
    return name.lower().removesuffix("s") in GENERIC_ACRONYMS


def specific_names(text: str) -> set[str]:
    """The text's names that are not generic acronyms ("GPT-3", "Flan-T5"; not "LLMs", "certain APIs")."""
    return {n for n in names(text) if not generic_acronym(n)}


UNITISH_RE = re.compile(r"^(?:v\d+(?:\.\d+)*|x\d+|\d+(?:x|[kmbgt]|bits?|yrs?|gb|mb|tb|ms|s|h|k|m)|\d{3,})$", re.I)


def new_names(sentence: str, kind: Sequence[str], known: set[str], window: int | None = None,
              said: frozenset[str] = frozenset()) -> set[str]:
    """Names the sentence gives that could be of the asked kind: not known, not a number ("(1)", "70%") or unit, not a
    generic acronym (LLMs, GPUs), not labelled as another kind ("the MultiWOZ dataset" is no LLM); with `window`, only
    names within that many words of the kind's word ("NVIDIA A100 GPUs", not "MFU … on 12,288 GPUs"); see _gap for
    `said`, the question's words (lower case)."""
    skip = known | {k.rstrip("s") for k in known} | GENERIC_ACRONYMS | {"transformer"}  # "Transformer models" names none
    # "Mixtral-8times7B" when the question said Mixtral: a said name's variant is no new name
    sentence = re.sub(r"\b([A-Za-z][A-Za-z0-9]*)((?:-[\w.]+)+)",
                      lambda m: m.group(1) if m.group(1).lower() in skip else m.group(0), sentence)
    sentence = DECIMAL_UNIT_RE.sub(" ", sentence)  # "5.5w vertices": a quantity, not a name
    asked = kind_groups(kind)
    listed = listed_kinds(sentence) if asked else {}  # "benchmarks (NYUDv2, …)" names no backbone
    toks = re.findall(r"[A-Za-z0-9]+", sentence)
    at = [i for i, t in enumerate(toks) if any(same_term(a, b) for a in terms(t) for b in kind)]
    out = set()
    for i, t in enumerate(toks):
        low = t.lower()
        # a plain capitalised word alone beside the kind word: "the Alibaba dataset", not "Large Language Models"
        plain = (window is not None and 0 < i < len(toks) - 1 and re.fullmatch(r"[A-Z][a-z]{2,}", t) and low not in skip
                 and not toks[i - 1][0].isupper() and not toks[i + 1][0].isupper())
        if not plain and (not re.search(r"\d|.[A-Z]", t) or t.isdigit() or low.rstrip("s") in skip or UNITISH_RE.match(t)):
            continue
        if any(same_term(a, b) for a in terms(t) for b in kind):
            continue  # "(2) Model compression": the kind's own word is no name of it
        if asked and low in listed and listed[low] not in asked:
            continue  # listed under another kind's word
        label = terms(toks[i + 1]) if i + 1 < len(toks) else []
        if label and label[0] in KIND_STEMS and not any(same_term(label[0], k) for k in kind):
            continue
        if window is not None and not any(_gap(toks, i, j, said) <= (min(window, 2) if plain else window)
                                          or not plain and 0 < i - j <= LIST_REACH and _lists(toks, j) for j in at):
            continue
        out.add(low)
    if set(kind) & HARDWARE_KINDS:  # "which GPU": a model number (A100, RTX 3090) or a hardware family (Xeon), not "GEMM"
        out = {n for n in out if re.search(r"\d", n)} | (out & hardware_names(sentence))
    return out


def _gap(toks: Sequence[str], i: int, j: int, said: frozenset[str]) -> int:
    """How far a name (toks[i]) is from its kind's word (toks[j]): 1 when only the question's own words stand between
    them, before the kind ("the Buildroot embedded cross-compiler tool" asked as "which embedded cross-compiler tool")."""
    between = toks[i + 1: j]  # a version's digits are part of the name ("Apache 2.0 license")
    return 1 if i < j and all(t.lower() in said or t.isdigit() for t in between) else abs(i - j)


HARDWARE_KINDS = frozenset({"gpu", "hardwar", "chipset", "processor", "board", "microcontrol"})
LIST_REACH = 12  # "six frameworks, including Guidance, Outlines, Llamacpp, XGrammar, …": the list's names are of the kind
LIST_MARKERS = (("including",), ("such", "as"), ("namely",), ("like",), ("e", "g"), ("i", "e"))


def _lists(toks: Sequence[str], j: int) -> bool:
    """The kind's word at toks[j] introduces a list of its instances ("frameworks, including …", "models such as …")."""
    after = tuple(t.lower() for t in toks[j + 1: j + 3])
    return any(after[: len(m)] == m for m in LIST_MARKERS)


def kind_groups(stems: Sequence[str]) -> set[str]:
    """What the kinds' words are of: data (datasets, benchmarks), models and software, or hardware."""
    return {KIND_GROUPS[s] for s in stems if s in KIND_GROUPS}


def listed_kinds(sentence: str) -> dict[str, str]:
    """The names a sentence lists in parentheses after a kind's word, lower-cased, with that kind's group: "three
    benchmarks (PASCALContext, NYUDv2, and CIFAR100-MTL)" lists pascalcontext, nyudv2, cifar100 and mtl as data."""
    out: dict[str, str] = {}
    for m in PAREN_LIST_RE.finditer(sentence):
        stems = terms(m.group(1))
        if group := KIND_GROUPS.get(stems[-1]) if stems else None:
            for t in re.findall(r"[A-Za-z0-9]+", m.group(2)):
                if re.search(r"\d|.[A-Z]", t) and not t.isdigit():
                    out.setdefault(t.lower(), group)
    return out


ARTIFACT_KINDS = frozenset("system framework toolkit tool packag softwar librari platform".split())  # a paper's own thing
MODEL_KINDS = frozenset({"model", "llm"})
SOFTWARE_KINDS = frozenset("framework toolkit tool packag softwar librari".split())  # one kind: "which libraries" is
# answered by "six … frameworks, including Guidance, Outlines …"
DATA_KINDS = frozenset({"dataset", "benchmark", "data", "set", "corpus", "corpora"})  # named after "evaluated on" too
KIND_GROUPS = {**dict.fromkeys(DATA_KINDS | {"suit"}, "data"),  # what a kind's word is of: a name listed under one
               **dict.fromkeys(MODEL_KINDS | ARTIFACT_KINDS | set("architectur famili baselin transform algorithm agent "
                                                                  "compil optim solver codec compressor".split()), "model"),
               **dict.fromkeys(HARDWARE_KINDS | {"devic"}, "hardware")}  # group is no name of another
PAREN_LIST_RE = re.compile(r"\b([A-Za-z][\w-]*)\s*\(([^()]{2,200})\)")  # "three benchmarks (PASCALContext, NYUDv2)"


def own_name(title: str, kind: Sequence[str]) -> set[str]:
    """The name a paper gives its own artifact when its title says it is of the asked kind ("X: A Benchmark for …"), or
    when a system, framework or tool is asked ("MoE-Lens: Towards …")."""
    head, colon, rest = title.partition(":")
    what = re.split(r"\s(?:for|to|of|with|on|in|via|that|from|by|through|towards?)\s", rest)[0].split()[-1:]
    if not colon or not (mentions(" ".join(what), kind) or set(kind) & ARTIFACT_KINDS):  # "Efficient LLM Service": a service
        return set()
    own = name_like(head) | (names(head) if len(head.split()) <= 2 else set())  # "Data-Juicer: A … System"
    return {n for n in own if not generic_acronym(n)}  # "LLM in a flash: …" names no LLM


def says(text: str, token: str) -> bool:
    """The text has the token as a whole word or name, not inside another ("GPT-4" is not in "GPT-4o"; it is in
    "ChatGPT-4")."""
    chat = r"(?:chat)?" if token.lower().startswith("gpt") else ""
    return bool(re.search(r"(?<![\w-])" + chat + re.escape(token.lower()) + r"(?![\w-])", text.lower()))


def anchors(question: str, text: str, df: Callable[[str], int], rare: int = 4) -> set[str]:
    """The question's rare names that the text gives ("What does MGARD stand for?" of MGARD's abstract): names whose
    every stem is in at most `rare` chunks of the index, so the question is about this paper however short it is."""
    said = set(NAME_TOKEN_RE.findall(question)) | capitalised(question)  # MGARD, Tokompiler
    return {n for n in said if not generic_acronym(n) and says(text, n)
            and (stems := terms(n)) and all(df(t) <= rare for t in stems)}


def named_title(question: str, title: str) -> str | None:
    """The one-word name a title gives its paper ("Pathways: Asynchronous …"), or a name and version ("Octopus v2", in
    any case), when the question uses it as a name:
    written as the title writes it, not inside a longer name ("Streaming DiLoCo" is not DiLoCo), and a plain
    capitalised word ("Curator") not as the question's first word."""
    head, colon, _ = title.partition(":")
    head = head.strip()
    words = head.split()
    versioned = 2 <= len(words) <= 3 and words[0][:1].isupper() and bool(re.search(r"\d", words[-1]))  # "Octopus v2"
    if not colon or not all(re.fullmatch(r"[\w.+-]+", w) for w in words) or len(re.findall(r"[A-Za-z]", head)) < 2 or (
            len(words) > 1 and not versioned):  # D2O, Octopus v2, LLM360 K2; not S^{3}, T3, "Physics of Language Models"
        return None
    for m in re.finditer(r"(?<![\w-])" + re.escape(head) + r"(?![\w-])", question, re.I if versioned else 0):
        before = question[: m.start()].split()
        if before and len(before) > 1 and re.fullmatch(r"[A-Z][\w-]*", before[-1]):  # a longer name's last word
            continue
        if m.start() > 0 or versioned or NAME_TOKEN_RE.fullmatch(head):
            return head
    return None


def stated_results(text: str) -> set[str]:
    """The results a text states as figures: percentages, ratios and decimals ("a 93.9% success rate", "2.3x"), not
    counts or sizes ("50 operators", "130B") and nothing inside a name (x86-64, GPT-4)."""
    return {v for tok in re.findall(r"\S+", text) if not re.match(r"[(\"']?[A-Za-z]", tok)
            and re.search(r"\d[.]\d|\d\s?%|\d(?:x|×)(?!\w)", tok) for v in numbers(tok)}


def mentions(sentence: str, what: Sequence[str]) -> bool:
    """The sentence uses one of the stems (or a synonym)."""
    return any(same_term(a, b) for a in terms(sentence) for b in what)


def plain_acronym(token: str) -> bool:
    """Capital letters only, maybe a plural s (GPU, LLMs, AST): no name of one system."""
    return token.rstrip("s").isupper() and token.rstrip("s").isalpha()


KNOWN_NAME_RE = re.compile(r"\b(?:nvidia|intel|amd|qualcomm|xilinx|chatgpt|gpt-?4o?|gpt-?3(?:\.5)?|llama|mistral|mixtral|claude|"
                           r"gemini|qwen|deepseek)\b(?!-)", re.I)  # well-known names a question may write in lower case (a
# longer name, "DeepSeek-Coder", is read whole as a name token)


def unmentioned(question: str, text: str) -> set[str]:
    """Names in the question (HumanEval+, VQAv2, GH200; not plain acronyms; nvidia, gpt-4 in any case) that the text
    never mentions."""
    low = text.lower()
    flat = re.sub(r"[^a-z0-9]", "", low)
    words = set(re.findall(r"[a-z0-9]+", low))  # a short word part must be a word: "Yi" is not in "only in"
    out = set()
    for name in NAME_TOKEN_RE.findall(question):
        if plain_acronym(name):  # a plain acronym (GPU, LLMs, GNN) may be written out in the abstract
            key = name.lower().removesuffix("s")
            if key in GENERIC_ACRONYMS or key in initials(text) or (
                    re.search(rf"(?<![a-z]){re.escape(key)}", low) if len(key) <= 4 else key in flat):  # RAG is not in "storage"
                continue
            out.add(name)  # "PPP" of an abstract that neither says nor writes it out
            continue
        one = re.sub(r"(?<=[A-Z])s$", "", name)  # "ViTs": the plural of ViT
        parts = [p for p in re.split(r"[^A-Za-z0-9]+", one) if re.search(r"[A-Za-z]", p) and re.search(r"\d|[A-Z]", p)]
        if parts and not any(p.lower() in words if re.fullmatch(r"[A-Z][a-z]{1,2}", p) else p.lower() in flat for p in parts):
            out.add(name)
    known = {m.group(0) for m in KNOWN_NAME_RE.finditer(question)}
    return out | {k for k in known if re.sub(r"[^a-z0-9]", "", k.lower()) not in flat}


DEMONYM_RE = re.compile(r"(?:ian|ean|an|ese|ish)$")  # Asian, European, Chinese, English: adjectives, not names
PLACE_RE = re.compile(r"(?:North|South|East|West|Central|Southeast|Southwest|Northeast|Northwest)")  # "Southeast Asian"


def capitalised(question: str) -> set[str]:
    """Capitalised words inside the question (Tilus, Holmes): names, unless the corpus uses them as words."""
    out = set()
    for tok in question.split()[1:]:  # the first word is capitalised anyway
        m = re.fullmatch(r"[(\"']?([A-Z][a-z]{2,})(?:'s)?[,.?;:)\"']*", tok)
        if m and not adjectival(m.group(1)):
            out.add(m.group(1))
    return out


def adjectival(word: str) -> bool:
    """A capitalised word that is no name: a demonym or a compass part (Asian, Chinese, Southeast)."""
    return bool(DEMONYM_RE.search(word) or PLACE_RE.match(word))


# Names that must come from the abstract: acronyms and mixed-case or digit-bearing names (GPT-4, CIFAR-10, MiKV).
ENTITY_RE = re.compile(r"\b(?:[A-Za-z]*[A-Z][A-Za-z]*[A-Z0-9][\w.]*(?:-[A-Z0-9][\w.]*)*|[A-Za-z]+-?\d[\w.]*(?:-[A-Za-z0-9][\w.]*)*)\b")


def claim_entities(text: str) -> set[str]:
    """Acronyms and model/dataset-like names in a text, lowercased."""
    return {e.lower().rstrip(".") for e in ENTITY_RE.findall(text)}


def unknown_names(claim: str, pool: str) -> set[str]:
    """Capitalised words of the claim that the sources never write in lower case (names like "Locret", "BottleFit")."""
    words = re.findall(r"\b[A-Z][\w\-]{2,}", claim)
    first = claim.split(" ", 1)[0].strip("\"'(")
    out = set()
    for w in words:
        if w == first and not ENTITY_RE.fullmatch(w):
            continue  # sentence-initial capital says nothing
        if re.search(r"\b" + re.escape(w.lower()) + r"\b", pool):
            continue  # the sources use it as an ordinary word
        out.add(singular(w.lower()))
    return out
