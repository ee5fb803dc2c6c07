"""The pipeline: condense → retrieve → select evidence → gate → generate from the evidence → check → compose."""

from __future__ import annotations

import re
import time
from dataclasses import dataclass, replace
from typing import Any, Iterator, Sequence

from . import prompts
from .chunking import count_tokens
from .cite import CheckResult, CitationChecker
from .compare import compares_papers, papers_named
from .claims import NUMBER_RE, carries, claim_numbers, key_facts
from .markers import name_markers
from .slots import NAME_TOKEN_RE, anchors, plain_acronym, named_title
from .config import Settings
from .errors import GenerationError, RagError
from .evidence import EvidenceSelector, Selection
from .gate import SMALLTALK_RE, SMALLTALK_REASON, corpus_cannot
from .focus import REFERRING_RE, overview, parts, refers_back
from .llms import LLM, get_llm
from .retrieve import HybridRetriever
from .schema import Filters
from .tuning import selector_encoder
from .types import Answer, Citation, Evidence, Source

Message = dict[str, Any]
ABOUT = " (about: "  # condense's hint for retrieval, naming the papers a kept pronoun refers to


@dataclass
class Pipeline:
    """Everything needed to answer, built once per process; every part can be injected (the test seam)."""

    settings: Settings
    retriever: HybridRetriever
    llm: LLM
    checker: CitationChecker
    selector: EvidenceSelector

    @classmethod
    def build(cls, settings: Settings, *, retriever: HybridRetriever | None = None, llm: LLM | None = None) -> "Pipeline":
        """Load the index, the embedder and the LLM named by the settings."""
        prompts.check_all()
        retriever = retriever or HybridRetriever(settings)
        llm = llm or get_llm(settings.llm)
        checker = CitationChecker(retriever.embedder, settings.cite, prompts.refusal(), vocabulary=retriever.vocabulary)
        encoder, vectors = selector_encoder(settings, retriever.embedder, checker.sentence_vectors)
        stock = None if encoder is retriever.embedder else (retriever.embedder, checker.sentence_vectors)
        selector = EvidenceSelector(encoder, vectors, retriever.vocabulary, settings.evidence, stock)
        return cls(settings, retriever, llm, checker, selector)

    def corpus_synced(self) -> None:
        """Hand the retriever's corpus statistics (rebuilt when an ingest changed the index) to the checker and selector."""
        vocabulary = self.retriever.vocabulary
        if self.selector.vocab is not vocabulary:
            self.selector.vocab = self.checker.vocabulary = vocabulary  # its everyday words come with it

    def warm(self) -> str | None:
        """Embed once and prefill the fixed prompt prefix so the first question is fast; the LLM's problem, if any."""
        for embedder in {id(e): e for e in (self.retriever.embedder, self.selector.embedder)}.values():
            embedder.embed(["warm up"])
        try:
            self.llm.check()
            for _ in self.llm.stream(prompts.answer_messages("warm up", "[1] -"), temperature=0.0, max_tokens=1):
                break
        except RagError as exc:
            return str(exc)
        return None

    def status(self) -> dict[str, Any]:
        """Papers indexed, when the index was last synced, and the LLM."""
        info = self.retriever.store.sync_info()
        return {"papers": self.retriever.paper_count, "last_sync": info.get("last_sync", "unknown"), "llm": self.llm.name}

    def condense(self, history: Sequence[Message], question: str, carry: Sequence[Source] = (), llm: LLM | None = None) -> str:
        """A standalone version of a follow-up question (the question itself when there is no history)."""
        turns = [m for m in history if m.get("role") in ("user", "assistant") and m.get("content")][-4:]
        if not turns:
            return question
        turns = [{"role": m["role"], "content": _short(m["content"])} for m in turns]
        out = "".join(
            (llm or self.llm).stream(prompts.condense_messages(turns, question), temperature=0.0, max_tokens=80)
        ).strip()
        out = out.splitlines()[0].strip().strip('"') if out else ""
        if not 8 <= len(out) <= 400:
            out = question
        if carry and refers_back(out) and not any(s.title.lower() in out.lower() for s in carry):
            # The model kept the pronoun or the ellipsis ("And which datasets?"): name what the conversation was about,
            # so retrieval can find it.
            out = f"{out}{ABOUT}{'; '.join(s.title for s in carry[:2])})"
        return out

    def floor(self, question: str, sources: Sequence[Source]) -> float:
        """The dense similarity below which no paper is close to the question: none when it asks what a source it names
        as the title does is, or compares such sources ("What is WildIFEval?" is 0.25 from its paper); lower when it
        names the best paper otherwise, when a rare name of the question is the best paper's, or when the best paper uses
        most of the question's words."""
        r = self.settings.retrieve
        if not sources:
            return r.refusal_floor
        named = papers_named(question, sources)
        if compares_papers(question, named) or any(overview(question, named_title(question, s.title) or "") for s in named):
            return float("-inf")
        own = f"{sources[0].title} {sources[0].abstract}"
        vocabulary = self.retriever.vocabulary
        if sources[0] in named or anchors(question, own, vocabulary.count):
            return min(r.refusal_floor, r.anchored_floor)
        if vocabulary.coverage(question, own) >= r.covered_share:
            return min(r.refusal_floor, r.covered_floor)
        return r.refusal_floor

    def ask_stream(
        self, question: str, history: Sequence[Message] = (), *, k: int | None = None, filters: Filters | None = None,
        temperature: float | None = None, carry: Sequence[Source] | None = None, llm: LLM | None = None,
    ) -> Iterator[str | Answer]:
        """Yield answer text as it is generated, then the composed Answer as the last item.

        A follow-up (a question that refers back) keeps the papers cited in the last answer of `history` (its
        "paper_ids") among its sources; a new topic in the same conversation is retrieved afresh.
        """
        s, llm = self.settings, llm or self.llm
        if SMALLTALK_RE.match(question):  # "thanks!": no retrieval, no model; the reply says what to ask
            yield _refused({"question": question, "standalone_question": question, "sources": ()}, Clock(),
                           f"smalltalk: {SMALLTALK_REASON}", text=prompts.smalltalk())
            return
        follows = bool(history) and refers_back(question)
        if carry is None:
            carry = self.retriever.sources_for(cited_in(history)) if follows else []
        t = Clock()
        standalone = self.condense(history, question, carry, llm) if follows else question
        t.lap("condense_s")
        sources = _with_carry(self.retriever.search(standalone, k=k or s.retrieve.k, filters=filters), carry, k or s.retrieve.k)
        self.corpus_synced()
        best = max((src.dense for src in sources if src.dense is not None), default=-1.0)
        t.lap("retrieve_s")
        base = {"question": question, "standalone_question": standalone, "sources": tuple(sources)}
        asked = standalone.split(ABOUT)[0]  # the hint's titles are no names the evidence must give
        if sources and (why := corpus_cannot(asked)):  # "Who wrote the Splitwise paper?": this reason, not the floor's
            yield _refused(base, t, f"gate: {why}")
            return
        if not sources or (best < self.floor(standalone, sources) and not carry):
            yield _refused(base, t, "retrieval: no paper is close to the question")
            return
        sel = self.selector.select(asked, sources, carried=len(carry))  # _with_carry puts the carried papers first
        t.lap("select_s")
        if not sel.answerable:
            yield _refused(base, t, f"gate: {sel.reason}", evidence=sel.evidence)
            return
        if sel.focus is not None and sel.focus.multi:  # "which papers …?": the papers, each with its evidence
            yield _compose_extractive(base, sel, t, "")
            return
        if why := _quoted_because(sel, asked, s):  # descriptions and two-part questions: the evidence's own words
            yield _compose_extractive(base, sel, t, why)
            return
        messages = prompts.answer_messages(standalone, prompts.render_evidence(sel.evidence))
        t.timings["prompt_tokens"] = sum(count_tokens(m["content"]) for m in messages)
        raw, interrupted = yield from _generate(llm, messages, s.llm.temperature if temperature is None else temperature,
                                                s.llm.max_tokens, t)
        t.lap("generate_s")
        t.timings["output_tokens"] = count_tokens(raw)
        titles = {src.n: src.title for src in sources}
        checked = self.checker.check(name_markers(raw, titles), sources, question=standalone)
        t.lap("cite_s")
        base.update(raw=raw, interrupted=interrupted, llm=llm.name, unsupported=tuple(checked.unsupported),
                    rejected=tuple(c for chk in checked.sentences for c in chk.citations if not c.verified))
        if checked.said_refusal and not checked.citations:
            yield _refused(base, t, "model: the model found no answer in the evidence", evidence=sel.evidence)
            return
        if checked.citations and all(carries(checked.text, f) for f in _facts(sel, asked)):
            yield Answer(text=checked.text, refused=False, citations=tuple(checked.citations), mode="generated",
                         evidence=tuple(sel.evidence), timings=t.done(), **base)
            return
        yield _compose_extractive(base, sel, t, _why_extractive(checked))

    def ask(self, question: str, history: Sequence[Message] = (), **kwargs) -> Answer:
        """Answer without streaming."""
        result = None
        for item in self.ask_stream(question, history, **kwargs):
            if isinstance(item, Answer):
                result = item
        assert result is not None
        return result


def _generate(llm: LLM, messages: list[dict], temperature: float, max_tokens: int, t: "Clock"):
    """Stream the model's tokens (yielded), then return (text, interrupted); a stream cut midway keeps what came."""
    raw, interrupted = "", False
    try:
        for tok in llm.stream(messages, temperature=temperature, max_tokens=max_tokens):
            if not raw:
                t.mark("first_token_s")
            raw += tok
            yield tok
    except GenerationError:
        if not raw:
            raise
        interrupted = True
    return raw, interrupted


class Clock:
    """Stage timings of one answer, in seconds."""

    def __init__(self):
        self.t0 = self.last = time.perf_counter()
        self.timings: dict[str, Any] = {}

    def lap(self, name: str) -> None:
        now = time.perf_counter()
        self.timings[name] = now - self.last
        self.last = now

    def mark(self, name: str) -> None:
        self.timings[name] = time.perf_counter() - self.last

    def done(self) -> dict[str, Any]:
        self.timings["total_s"] = time.perf_counter() - self.t0
        return self.timings


def _facts(sel: Selection, question: str) -> list[set[str]]:
    """The numbers and names the evidence gives for each asked part: a generated answer must carry one of each."""
    out = []
    if sel.focus is not None and sel.focus.value:
        top = sel.answer_sentence or (sel.evidence[0].sentence if sel.evidence else "")
        facts = key_facts([top], question)
        if not sel.focus.name and (asked := {x for x in facts if NUMBER_RE.fullmatch(x)}):
            facts = asked  # a number is asked: the paper's name alone does not answer "how much"
            each = asked & claim_numbers(NAME_TOKEN_RE.sub(" ", top))  # figures, not the digits of names (DFN-5B)
            if len(each) > 1 and len(_named_in(question, top)) > 1:  # "than PCQM4Mv2 and QM1B": 300x and 13x
                out.extend({x} for x in sorted(each))  # a figure for each named thing, not one for both
        out.append(facts)
    if sel.two_part:
        out.append(key_facts([sel.second_sentence], question) - key_facts([sel.answer_sentence], question))
    return [f for f in out if f]


def _named_in(question: str, sentence: str) -> set[str]:
    """The names of the question (PCQM4Mv2, QM1B; not plain acronyms) that the sentence also gives."""
    return {n.lower() for n in NAME_TOKEN_RE.findall(question) if not plain_acronym(n) and n.lower() in sentence.lower()}


def _quoted_because(sel: Selection, question: str, s: Settings) -> str:
    """Why the answer is the quoted evidence without asking the model, or "" when the model writes it."""
    if s.evidence.quote_descriptions and sel.focus is not None and not sel.focus.value:
        return "a description is quoted, not paraphrased (evidence.quote_descriptions)"
    if s.evidence.quote_two_part and len(parts(question)) == 2:
        return "a two-part question is answered in its evidence's words (evidence.quote_two_part)"
    return ""


def _why_extractive(checked: CheckResult) -> str:
    if not checked.citations:
        return "no generated sentence was verified"
    return "the verified sentences leave out the number or name asked for"


def _compose_extractive(base: dict, sel: Selection, t: Clock, why: str) -> Answer:
    """The evidence itself, quoted and cited: one quote per paper for "which papers", else the best paper's quotes."""
    evidence = list(sel.evidence)
    multi = sel.focus is not None and sel.focus.multi
    if not multi:  # the best paper's evidence, the sentence with the asked number or name first
        wanted = (sel.answer_sentence, sel.second_sentence)
        most = 3 if sel.second_sentence or not sel.answer_sentence else 2  # a description needs more than one sentence
        evidence = sorted((e for e in evidence if e.n == sel.best_n), key=lambda e: e.sentence not in wanted)[:most]
        evidence.sort(key=lambda e: sel.evidence.index(e))
        evidence = with_continuations(evidence, sel)
    titled = multi or (sel.focus is not None and sel.focus.exists)  # "Is there a survey …?": name the paper
    parts, citations, seen = [], [], set()
    for e in evidence:
        if multi and e.n in seen:
            continue
        quote = re.sub(r"\[([^\]]*)\]", r"(\1)", e.sentence.rstrip())  # the abstract's own brackets are not our markers
        parts.append(f"{e.title} [{e.n}]: “{quote}”" if titled and e.n not in seen else f"“{quote}” [{e.n}]")
        seen.add(e.n)
        citations.append(Citation(e.n, e.paper_id, e.title, quote, True, quote, 1.0))
    timings = t.done()
    if why:
        timings["extractive_because"] = why
    return Answer(text="\n".join(parts) if multi else " ".join(parts), refused=False, citations=tuple(citations),
                  mode="extractive", evidence=tuple(sel.evidence), timings=timings, **base)


LISTS_RE = re.compile(r"^(?:These|This|They|Such|Those)\s+(?:\w+\s+)?"
                      r"(?:include|includes|are|consist|consists|involve|involves)\b")  # "These include …": the list announced
DETAILS_RE = re.compile(r"^(?:Specifically|Concretely|Namely|In particular)\b")  # the details of what was announced
OPENS_RE = re.compile(r"\b(?:first|firstly|initially)\b|\((?:1|i)\)", re.I)  # "an anchor branch initially learns …"
STEP_RE = re.compile(r"^(?:Then|Next|Second(?:ly)?|Third(?:ly)?|Finally|Subsequently|Lastly|\((?:[2-9]|i[iv]|v|vi{1,3})\)|"
                     r"(?:A|The) (?:second|third|final|last)\b)")  # "Then, a target branch …": the sequence goes on


def with_continuations(evidence: list[Evidence], sel: Selection) -> list[Evidence]:
    """Each quote followed by the abstract sentence that continues it ("… we identify design decisions." / "These include
    …"), which carries what the quote announces."""
    by_place = {(c.source.n, c.index): c for c in sel.candidates}
    place = {(c.source.n, c.sentence): c.index for c in sel.candidates}
    quoted = {e.sentence for e in evidence}
    described = sel.focus is None or not sel.focus.value
    out: list[Evidence] = []
    for e in evidence:
        out.append(e)
        at, steps = place.get((e.n, e.sentence), -2), described and bool(OPENS_RE.search(e.sentence) or STEP_RE.match(e.sentence))
        while (nxt := by_place.get((e.n, at + 1))) is not None and nxt.sentence not in quoted:
            step = steps and bool(STEP_RE.match(nxt.sentence))  # "… initially learns …" / "Then, a target branch …"
            if not (LISTS_RE.match(nxt.sentence) or described and DETAILS_RE.match(nxt.sentence) or step):
                break
            out.append(Evidence(e.n, e.paper_id, e.title, nxt.sentence, round(nxt.score, 4)))
            quoted.add(nxt.sentence)
            at, steps = at + 1, step or described and bool(OPENS_RE.search(nxt.sentence))  # a step or an opening goes on
    return out


def _refused(base: dict, t: Clock, reason: str, evidence: Sequence[Evidence] = (), text: str | None = None) -> Answer:
    return Answer(text=text or prompts.refusal(), refused=True, citations=(), mode="refused", evidence=tuple(evidence),
                  refusal_reason=reason, timings=t.done(), **base)


def cited_in(history: Sequence[Message]) -> list[str]:
    """Paper ids the last assistant turn that cited any cited (its "paper_ids"), or none: after a refusal ("How many
    models does it evaluate?") the conversation is still about the paper before it ("And which datasets?")."""
    for turn in reversed(history):
        if turn.get("role") == "assistant" and turn.get("paper_ids"):
            return list(turn["paper_ids"])
    return []


def _with_carry(sources: list[Source], carry: Sequence[Source], k: int) -> list[Source]:
    """Keep the papers the previous answer cited among the sources of a follow-up (renumbered)."""
    if not carry:
        return sources
    seen = {s.paper_id for s in carry}
    merged = list(carry) + [s for s in sources if s.paper_id not in seen]
    return [replace(s, n=i) for i, s in enumerate(merged[: max(k, len(carry))], start=1)]


def _short(text: str, limit: int = 600) -> str:
    text = re.sub(r"\s+", " ", text)
    return text if len(text) <= limit else text[:limit] + "…"
