"""The pipeline: condense the follow-up, retrieve, refuse or generate (streamed), check citations."""

from __future__ import annotations

import re
import time
from dataclasses import dataclass
from typing import Iterator, Sequence

from . import prompts
from .chunking import count_tokens
from .cite import CitationChecker, common_words
from .config import Settings
from .errors import GenerationError
from .llms import LLM, get_llm
from .retrieve import Filters, HybridRetriever
from .types import Answer, Source

Message = dict[str, str]
REFERRING_RE = re.compile(r"\b(it|its|they|them|their|this|that|these|those|the (paper|method|model|approach|work|authors))\b", re.I)


@dataclass
class Pipeline:
    """Everything needed to answer, built once per process; every part can be injected (the test seam)."""

    settings: Settings
    retriever: HybridRetriever
    llm: LLM
    checker: CitationChecker

    @classmethod
    def build(cls, settings: Settings, *, retriever: HybridRetriever | None = None, llm: LLM | None = None) -> "Pipeline":
        """Load the index, the embedder and the LLM named by the settings."""
        prompts.check_all()
        retriever = retriever or HybridRetriever(settings)
        llm = llm or get_llm(settings.llm)
        checker = CitationChecker(retriever.embedder, settings.cite, prompts.refusal())
        checker.common = common_words(retriever.texts())
        return cls(settings, retriever, llm, checker)

    def condense(self, history: Sequence[Message], question: str, carry: Sequence[Source] = ()) -> str:
        """A standalone version of a follow-up question (the question itself when there is no history)."""
        turns = [m for m in history if m.get("role") in ("user", "assistant") and m.get("content")][-4:]
        if not turns:
            return question
        turns = [{"role": m["role"], "content": _short(m["content"])} for m in turns]
        out = "".join(
            self.llm.stream(prompts.condense_messages(turns, question), temperature=0.0, max_tokens=80)
        ).strip()
        out = out.splitlines()[0].strip().strip('"') if out else ""
        if not 8 <= len(out) <= 400:
            out = question
        if carry and REFERRING_RE.search(out) and not any(s.title.lower() in out.lower() for s in carry):
            # The model kept the pronoun: name what the conversation was about, so retrieval can find it.
            out = f"{out} (about: {'; '.join(s.title for s in carry[:2])})"
        return out

    def context(self, question: str, sources: Sequence[Source]) -> str:
        """Source blocks for the prompt: each source's most relevant sentences, within the token budget."""
        budget = self.settings.retrieve.context_tokens
        per_source = max(60, budget // max(1, len(sources)))
        qvec = self.retriever.embedder.embed([question])[0]
        texts = []
        for s in sources:
            if count_tokens(s.abstract) <= per_source:
                texts.append(s.abstract)
                continue
            sents, vecs = self.checker.sentence_vectors(s)  # embedded once; the citation check reuses them
            order = sorted(range(len(sents)), key=lambda i: -sum(a * b for a, b in zip(qvec, vecs[i])))
            chosen, used = set(), 0
            for i in order:
                t = count_tokens(sents[i])
                if used + t > per_source and chosen:
                    break
                chosen.add(i)
                used += t
            texts.append(" ".join(sents[i] for i in sorted(chosen)))
        return prompts.render_sources(sources, texts)

    def ask_stream(
        self,
        question: str,
        history: Sequence[Message] = (),
        *,
        k: int | None = None,
        filters: Filters | None = None,
        temperature: float | None = None,
        carry: Sequence[Source] = (),
    ) -> Iterator[str | Answer]:
        """Yield answer text as it is generated, then the checked Answer as the last item."""
        s = self.settings
        timings: dict[str, float] = {}
        t0 = time.perf_counter()
        standalone = self.condense(history, question, carry) if history else question
        timings["condense_s"] = time.perf_counter() - t0
        t1 = time.perf_counter()
        sources = self.retriever.search(standalone, k=k or s.retrieve.k, filters=filters)
        sources = _with_carry(sources, carry, k or s.retrieve.k)
        best = max((src.dense for src in sources if src.dense is not None), default=-1.0)
        timings["retrieve_s"] = time.perf_counter() - t1
        if not sources or (best < s.retrieve.refusal_floor and not carry):
            timings["total_s"] = time.perf_counter() - t0
            yield self._refusal(question, standalone, sources, timings, reason="retrieval")
            return
        block = self.context(standalone, sources)
        messages = prompts.answer_messages(standalone, block)
        timings["prompt_tokens"] = sum(count_tokens(m["content"]) for m in messages)
        t2 = time.perf_counter()
        parts: list[str] = []
        interrupted = False
        try:
            for tok in self.llm.stream(messages, temperature=s.llm.temperature if temperature is None else temperature,
                                       max_tokens=s.llm.max_tokens):
                if not parts:
                    timings["first_token_s"] = time.perf_counter() - t2
                parts.append(tok)
                yield tok
        except GenerationError:
            if not parts:
                raise
            interrupted = True
        raw = "".join(parts)
        timings["generate_s"] = time.perf_counter() - t2
        timings["output_tokens"] = count_tokens(raw)
        t3 = time.perf_counter()
        checked = self.checker.check(raw, sources)
        timings["cite_s"] = time.perf_counter() - t3
        timings["total_s"] = time.perf_counter() - t0
        rejected = tuple(c for chk in checked.sentences for c in chk.citations if not c.verified)
        if not checked.citations:
            yield self._refusal(question, standalone, sources, timings, raw=raw, unsupported=checked.unsupported,
                                reason="model" if checked.said_refusal else "unsupported", interrupted=interrupted,
                                rejected=rejected)
            return
        yield Answer(
            text=checked.text, refused=False, citations=tuple(checked.citations), sources=tuple(sources),
            question=question, standalone_question=standalone, unsupported=tuple(checked.unsupported),
            rejected=rejected, interrupted=interrupted, timings=timings, raw=raw,
        )

    def ask(self, question: str, history: Sequence[Message] = (), **kwargs) -> Answer:
        """Answer without streaming."""
        result = None
        for item in self.ask_stream(question, history, **kwargs):
            if isinstance(item, Answer):
                result = item
        assert result is not None
        return result

    def _refusal(self, question, standalone, sources, timings, *, raw="", unsupported=(), reason="", interrupted=False,
                 rejected=()) -> Answer:
        timings["refusal_reason"] = reason  # type: ignore[assignment]
        return Answer(
            text=prompts.refusal(), refused=True, citations=(), sources=tuple(sources), question=question,
            standalone_question=standalone, unsupported=tuple(unsupported), rejected=tuple(rejected),
            interrupted=interrupted, timings=timings, raw=raw,
        )


def _with_carry(sources: list[Source], carry: Sequence[Source], k: int) -> list[Source]:
    """Keep the papers the previous answer cited among the sources of a follow-up (renumbered)."""
    if not carry:
        return sources
    seen = {s.paper_id for s in carry}
    merged = list(carry) + [s for s in sources if s.paper_id not in seen]
    from dataclasses import replace

    return [replace(s, n=i) for i, s in enumerate(merged[: max(k, len(carry))], start=1)]


def _short(text: str, limit: int = 600) -> str:
    text = re.sub(r"\s+", " ", text)
    return text if len(text) <= limit else text[:limit] + "…"
