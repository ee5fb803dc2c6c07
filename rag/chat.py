"""Chat handlers as plain functions over the rag API (the Gradio page wires them; tests call them directly)."""

from __future__ import annotations

import logging
import secrets
import threading
import time
from dataclasses import dataclass, field
from typing import Any, Iterator, NamedTuple

from . import validate
from .answer import Pipeline
from .bootstrap import Startup
from .config import Settings
from .errors import InputError, RagError
from .llms import LLM, choice_label, get_llm, settings_for_choice
from .render import answer_json, answer_markdown, escape_md, sources_html
from .schema import Filters
from .types import Answer

log = logging.getLogger("paperchat")


@dataclass
class Session:
    """One browser session: the conversation (turns for condensing, answers given) and its chosen LLM."""

    history: list[dict[str, Any]] = field(default_factory=list)
    answers: list[Answer] = field(default_factory=list)
    llm: str | None = None  # a label from ChatService.llm_choices(); None = the configured LLM
    token: str = field(default_factory=lambda: secrets.token_hex(8))  # names the session's export files

    @property
    def last(self) -> Answer | None:
        """The latest answer, if any."""
        return self.answers[-1] if self.answers else None

EXAMPLE_CHARS = 60  # Gradio cuts an example button's text after 60 characters


class View(NamedTuple):
    """What the page shows after a step: chat messages, sources HTML ("" = unchanged), the session, the question box."""

    chat: list[dict]
    sources: str
    session: Session
    box: str = ""
    notice: str = ""  # a short message for a toast (e.g. an empty question)


class ChatService:
    """Answers questions for every session once the Startup has built the pipeline."""

    def __init__(self, settings: Settings, pipeline: Pipeline | None = None):
        self.settings = settings
        self.startup = Startup(settings, pipeline)
        self._llms: dict[str, LLM] = {}
        self._llm_lock = threading.Lock()
        self._examples: list[str] | None = None

    @property
    def pipeline(self) -> Pipeline | None:
        """The pipeline, once start-up has built it."""
        return self.startup.pipeline

    @property
    def ready(self) -> bool:
        """True when questions can be answered."""
        return self.startup.ready

    def start(self, background: bool = True) -> None:
        """Build the index if empty and load the models (in a thread so the page is up at once)."""
        self.startup.start(background)

    # --- the LLM of a session -----------------------------------------------------------------------
    def llm_choices(self) -> list[str]:
        """The LLMs a session may choose: the one start-up loaded (auto resolved), then llm.choices; nothing else loads."""
        first = self.pipeline.llm.name if self.pipeline else choice_label(self.settings.llm)
        return list(dict.fromkeys([first, *self.settings.llm.choices]))

    def llm_for(self, session: Session | None) -> LLM | None:
        """The LLM that answers this session."""
        label = session.llm if session else None
        if not label or label == self.llm_choices()[0] or self.pipeline is None:
            return self.pipeline.llm if self.pipeline else None
        return self._llms.get(label)

    def set_llm(self, session: Session | None, label: Any) -> tuple[Session, str]:
        """Switch this session's LLM to one of llm_choices(); returns the session and a status sentence."""
        session = session or Session()
        if not isinstance(label, str) or label not in self.llm_choices():
            return session, "⚠️ That LLM is not offered here; choose one from the list."
        if not self.ready:
            return session, self.startup.not_ready_message()
        try:
            if label != self.llm_choices()[0]:
                with self._llm_lock:  # at most one instance per allowed label (the embedded model: one per file)
                    if label not in self._llms:
                        llm = get_llm(settings_for_choice(self.settings.llm, label))
                        llm.check()
                        self._llms[label] = llm
        except RagError as exc:
            return session, f"⚠️ {exc}"
        session.llm = label
        return session, f"This chat answers with {self.llm_for(session).name}."

    # --- answering ----------------------------------------------------------------------------------
    def respond(
        self, question: Any, chat: list[dict] | None, session: Session | None, k: Any = None, temperature: Any = None,
        date_from: Any = "", date_to: Any = "",
    ) -> Iterator[View]:
        """Yield views as the answer streams in; bad input and errors become chat messages, never exceptions."""
        session = session or Session()
        chat = list(chat or [])
        try:
            req = validate.request(question, session.history, k, temperature, date_from, date_to,
                                   limit=self.settings.app.max_question_chars, max_k=self.settings.app.max_k)
        except InputError as exc:
            yield _bad_input(question, exc, chat, session)
            return
        chat.append({"role": "user", "content": escape_md(req.question)})
        if not self.ready:
            chat.append({"role": "assistant", "content": self.startup.not_ready_message()})
            yield View(chat, "", session, req.question)
            return
        chat.append({"role": "assistant", "content": ""})
        answer = None
        text = ""
        try:
            for item in self.pipeline.ask_stream(req.question, req.history, k=req.k, filters=_filters(req),
                                                 temperature=req.temperature, llm=self.llm_for(session)):
                if isinstance(item, Answer):
                    answer = item
                else:
                    text += item
                    chat[-1] = {"role": "assistant", "content": escape_md(text) + " ▌"}
                    yield View(list(chat), "", session)
        except RagError as exc:
            self.startup.llm_error = str(exc)
            chat[-1] = {"role": "assistant", "content": f"⚠️ {escape_md(str(exc))}"}
            yield View(chat, "", session, req.question)
            return
        except Exception:
            log.exception("answering failed")
            chat[-1] = {"role": "assistant", "content": "⚠️ Something went wrong while answering; the server log has the details."}
            yield View(chat, "", session, req.question)
            return
        assert answer is not None
        self.startup.llm_error = None
        session.history += turns(answer)
        session.answers.append(answer)
        chat[-1] = {"role": "assistant", "content": answer_markdown(answer)}
        yield View(chat, sources_html(answer), session)

    def api_answer(self, question: Any, history: Any = None, k: Any = None) -> dict:
        """One answer as a JSON-able dict for the API, or {"error": sentence}; the same path as the page."""
        try:
            req = validate.request(question, history, k, limit=self.settings.app.max_question_chars,
                                   max_k=self.settings.app.max_k)
        except InputError as exc:
            return {"error": str(exc)}
        if not self.ready:
            return {"error": self.startup.not_ready_message()}
        t0 = time.perf_counter()
        try:
            answer = self.pipeline.ask(req.question, req.history, k=req.k)
        except RagError as exc:
            return {"error": str(exc)}
        out = answer_json(answer)
        out["turns"] = turns(answer)
        out["timings"]["api_s"] = round(time.perf_counter() - t0, 4)
        return out

    # --- status and examples ----------------------------------------------------------------------------
    def status_markdown(self, session: Session | None = None) -> str:
        """Papers indexed, last sync, the session's LLM, and the last answer's timings."""
        if not self.ready:
            return self.startup.not_ready_message()
        st = self.pipeline.status()
        auto = " (auto: Ollama is running)" if self.settings.llm.backend == "auto" and st["llm"].startswith("ollama:") else (
            " (auto: no Ollama running)" if self.settings.llm.backend == "auto" else "")
        parts = [f"**{st['papers']}** papers indexed", f"last synced {st['last_sync']}",
                 f"answering with `{self.llm_for(session).name}`" + (auto if not session or not session.llm else "")]
        if self.startup.llm_error:
            parts.append(f"⚠️ {escape_md(self.startup.llm_error)}")
        last = session.last if session else None
        if last:
            t = last.timings
            timing = f"last answer: retrieval {t.get('retrieve_s', 0):.2f} s"
            if "generate_s" in t:
                timing += f", first token {t.get('first_token_s', 0):.1f} s, generation {t['generate_s']:.1f} s"
            parts.append(timing + f", total {t.get('total_s', 0):.1f} s")
        return " · ".join(parts)

    def examples(self, n: int = 4) -> list[str]:
        """Example questions from the corpus: the most upvoted papers with short titles (parsed once).

        Gradio shows an example's first 60 characters only, so every example is at most that long.
        """
        if self._examples is None:
            from .seeds import load_seeds

            papers = sorted(load_seeds(self.settings.seeds_dir).papers.values(), key=lambda p: (-(p.upvotes or 0), p.paper_id))
            picks = [q for p in papers if len(q := f"What does “{p.title}” propose?") <= EXAMPLE_CHARS][: n - 1]
            self._examples = picks + ["Which papers study serving LLMs on shared GPU clusters?"]
        return self._examples

    def health(self) -> dict:
        """Start-up state, progress, papers indexed and the configured LLM (for /health)."""
        return self.startup.health()


def _bad_input(question: Any, exc: InputError, chat: list[dict], session: Session) -> View:
    """The view for a question that cannot be asked: a notice for an empty one, else the reason in the chat, the text
    kept in the box to be fixed."""
    shown = validate.clean_text(question) if isinstance(question, str) else ""
    if not shown:
        return View(chat, "", session, "", str(exc))
    chat = chat + [{"role": "user", "content": escape_md(shown[:300] + ("…" if len(shown) > 300 else ""))},
                   {"role": "assistant", "content": f"⚠️ {escape_md(str(exc))}"}]
    return View(chat, "", session, question)


def turns(answer: Answer) -> list[dict[str, Any]]:
    """The two history turns an answer adds: the question, and the answer with the papers it cited."""
    cited = list(dict.fromkeys(c.paper_id for c in answer.citations))
    return [{"role": "user", "content": answer.question},
            {"role": "assistant", "content": answer.text, "paper_ids": cited}]


def _filters(req: validate.Request) -> Filters | None:
    f = Filters(date_from=req.date_from, date_to=req.date_to)
    return f if f else None
