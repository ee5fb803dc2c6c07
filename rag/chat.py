"""Chat handlers as plain functions over the rag API (the Gradio app wires them; tests call them directly)."""

from __future__ import annotations

import logging
import re
import threading
import time
from dataclasses import dataclass, field
from typing import Any, Iterator

from .answer import Pipeline
from .config import Settings
from .errors import RagError
from .render import answer_markdown, escape_md, sources_html
from .retrieve import Filters
from .types import Answer, Source

log = logging.getLogger("paperchat")
DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


@dataclass
class Session:
    """One browser session's conversation: plain-text turns for condensing and the answers given."""

    history: list[dict[str, str]] = field(default_factory=list)
    answers: list[Answer] = field(default_factory=list)

    @property
    def last(self) -> Answer | None:
        """The latest answer, if any."""
        return self.answers[-1] if self.answers else None


class ChatService:
    """Builds the index if it is empty, loads and warms the models, and answers questions for every session."""

    def __init__(self, settings: Settings, pipeline: Pipeline | None = None):
        self.settings = settings
        self.pipeline = pipeline
        self.state = "ready" if pipeline else "starting"
        self.progress = ""
        self.error: str | None = None
        self.llm_error: str | None = None
        self._lock = threading.Lock()

    # --- start-up -------------------------------------------------------------------------------
    def start(self, background: bool = True) -> None:
        """Ingest when the index is empty, then load the pipeline; in a thread so the page is up at once."""
        if background:
            threading.Thread(target=self._start, name="paperchat-start", daemon=True).start()
        else:
            self._start()

    def _start(self) -> None:
        from .store import Store
        from .sync import sync

        try:
            store = Store(self.settings)
            if store.count() == 0:
                self.state = "indexing"
                self.progress = "reading the seed dumps"
                sync(self.settings, on_progress=self._on_progress, wait=600)
            self.state = "loading"
            self.progress = "loading the models"
            self.pipeline = Pipeline.build(self.settings)
            self.warm()
            self.state = "ready"
        except RagError as exc:
            self.state, self.error = "error", str(exc)
        except Exception as exc:  # never a stack trace in the page; the log has it
            log.exception("start-up failed")
            self.state, self.error = "error", f"start-up failed ({type(exc).__name__}); see the server log"

    def _on_progress(self, done: int, total: int) -> None:
        self.progress = f"embedding chunks {done}/{total} ({100 * done // max(total, 1)}%)"

    def warm(self) -> None:
        """Embed once and prefill the fixed prompt prefix so the first question is fast; check remote backends."""
        assert self.pipeline is not None
        self.pipeline.retriever.embedder.embed(["warm up"])
        self.llm_error = None
        try:
            check = getattr(self.pipeline.llm, "check", None)
            if check:
                check()
            else:
                from . import prompts

                for _ in self.pipeline.llm.stream(prompts.answer_messages("warm up", "[1] -"), temperature=0.0, max_tokens=1):
                    break
        except RagError as exc:
            self.llm_error = str(exc)

    # --- answering --------------------------------------------------------------------------------
    def respond(
        self, question: str, chat: list[dict], session: Session | None, k: int | None = None,
        temperature: float | None = None, date_from: str = "", date_to: str = "",
    ) -> Iterator[tuple[list[dict], str, Session]]:
        """Yield (chat messages, sources HTML, session) as the answer streams in; errors become chat messages."""
        session = session or Session()
        chat = list(chat or [])
        question = (question or "").strip()
        if not question:
            yield list(chat), sources_html(session.last), session
            return
        chat.append({"role": "user", "content": escape_md(question)})
        limit = self.settings.app.max_question_chars
        problem = None
        if len(question) > limit:
            problem = f"That question is {len(question):,} characters long; the limit is {limit:,}. Please shorten it."
        elif self.state != "ready" or self.pipeline is None:
            problem = self.not_ready_message()
        else:
            try:
                filters = make_filters(date_from, date_to)
            except ValueError as exc:
                problem = str(exc)
        if problem:
            chat.append({"role": "assistant", "content": problem})
            yield list(chat), sources_html(session.last), session
            return
        chat.append({"role": "assistant", "content": ""})
        carry = _cited_sources(session.last)
        answer: Answer | None = None
        text = ""
        try:
            for item in self.pipeline.ask_stream(question, session.history, k=k, filters=filters,
                                                 temperature=temperature, carry=carry):
                if isinstance(item, Answer):
                    answer = item
                else:
                    text += item
                    chat[-1] = {"role": "assistant", "content": escape_md(text) + " ▌"}
                    yield list(chat), "", session
        except RagError as exc:
            chat[-1] = {"role": "assistant", "content": f"⚠️ {escape_md(str(exc))}"}
            self.llm_error = str(exc)
            yield list(chat), sources_html(session.last), session
            return
        except Exception:
            log.exception("answering failed")
            chat[-1] = {"role": "assistant", "content": "⚠️ Something went wrong while answering; the server log has the details."}
            yield list(chat), sources_html(session.last), session
            return
        assert answer is not None
        self.llm_error = None
        session.history += [{"role": "user", "content": question}, {"role": "assistant", "content": answer.text}]
        session.answers.append(answer)
        chat[-1] = {"role": "assistant", "content": answer_markdown(answer)}
        yield list(chat), sources_html(answer), session

    def not_ready_message(self) -> str:
        """What to tell a user who asks before the index and models are ready."""
        if self.state == "error":
            return f"⚠️ The app could not start: {self.error}"
        return f"Still getting ready ({self.state}: {self.progress}). Please ask again in a moment."

    def set_llm(self, backend: str, model: str = "") -> str:
        """Switch the answering LLM (e.g. to Ollama); returns a status sentence."""
        from .config import load_settings
        from .llms import get_llm

        if self.pipeline is None:
            return self.not_ready_message()
        try:
            settings = load_settings(**{**_flat(self.settings), "llm.backend": backend, "llm.model": model})
            llm = get_llm(settings.llm)
            check = getattr(llm, "check", None)
            if check:
                check()
        except RagError as exc:
            return f"⚠️ {exc}"
        with self._lock:
            self.settings = settings
            self.pipeline.settings = settings
            self.pipeline.llm = llm
        return f"Answering with {llm.name}."

    # --- rendering --------------------------------------------------------------------------------
    def status_markdown(self, session: Session | None = None) -> str:
        """Papers indexed, last sync, the LLM, and the last answer's timings."""
        if self.state != "ready" or self.pipeline is None:
            return self.not_ready_message()
        info = self.pipeline.retriever.store.sync_info()
        parts = [f"**{self.pipeline.retriever.paper_count}** papers indexed",
                 f"last synced {info.get('last_sync', 'unknown')}", f"answering with `{self.pipeline.llm.name}`"]
        if self.llm_error:
            parts.append(f"⚠️ {self.llm_error}")
        last = session.last if session else None
        if last:
            t = last.timings
            timing = f"last answer: retrieval {t.get('retrieve_s', 0):.2f} s"
            if "generate_s" in t:
                timing += f", first token {t.get('first_token_s', 0):.1f} s, generation {t['generate_s']:.1f} s"
            parts.append(timing + f", total {t.get('total_s', 0):.1f} s")
        return " · ".join(parts)

    def examples(self, n: int = 4) -> list[str]:
        """Example questions drawn from the corpus: the most upvoted short-titled papers of the seed dumps."""
        from .seeds import load_seeds

        papers = sorted(load_seeds(self.settings.seeds_dir).papers.values(), key=lambda p: (-(p.upvotes or 0), p.paper_id))
        out = [f"What does the paper “{p.title}” propose?" for p in papers if len(p.title) <= 80][: n - 1]
        return out + ["Which papers study serving LLMs on multi-tenant GPU clusters?"]


def make_filters(date_from: str, date_to: str) -> Filters | None:
    """Filters from the UI's date boxes; ValueError with a readable message on a bad date."""
    date_from, date_to = (date_from or "").strip(), (date_to or "").strip()
    for d in (date_from, date_to):
        if d and not DATE_RE.match(d):
            raise ValueError(f"Dates must look like 2024-05-31 (got {d!r}).")
    f = Filters(date_from=date_from or None, date_to=date_to or None)
    return f if f else None


def _cited_sources(answer: Answer | None) -> list[Source]:
    if answer is None or answer.refused:
        return []
    cited = {c.n for c in answer.citations}
    return [s for s in answer.sources if s.n in cited]


def _flat(settings: Settings) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for section, value in settings.model_dump().items():
        if isinstance(value, dict):
            out.update({f"{section}.{k}": v for k, v in value.items()})
        else:
            out[section] = value
    return out


def api_answer(service: ChatService, question: str, history: list[dict] | None = None, k: int | None = None) -> dict:
    """One answer as a JSON-able dict (used by the app's API endpoint)."""
    from .cli import answer_json

    if service.state != "ready" or service.pipeline is None:
        return {"error": service.not_ready_message()}
    if len(question) > service.settings.app.max_question_chars:
        return {"error": f"question longer than {service.settings.app.max_question_chars} characters"}
    t0 = time.perf_counter()
    try:
        answer = service.pipeline.ask(question, history or [], k=k)
    except RagError as exc:
        return {"error": str(exc)}
    out = answer_json(answer)
    out["timings"]["api_s"] = round(time.perf_counter() - t0, 4)
    return out
