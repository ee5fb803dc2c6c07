"""Start-up of the app: build the index when it is empty, load and warm the models, report progress and state."""

from __future__ import annotations

import enum
import logging
import threading

from .answer import Pipeline
from .config import Settings
from .errors import RagError

log = logging.getLogger("paperchat")


class State(str, enum.Enum):
    """Where start-up is."""

    STARTING = "starting"
    INDEXING = "indexing"
    LOADING = "loading"
    READY = "ready"
    ERROR = "error"


class Startup:
    """Owns the one Pipeline of the process; start() fills it in (in a thread, so the page is up at once)."""

    def __init__(self, settings: Settings, pipeline: Pipeline | None = None):
        self.settings = settings
        self.pipeline = pipeline
        self.state = State.READY if pipeline else State.STARTING
        self.progress = ""
        self.error: str | None = None
        self.llm_error: str | None = None  # the configured LLM's last failure (e.g. Ollama down), shown in the status

    @property
    def ready(self) -> bool:
        """True when questions can be answered."""
        return self.state is State.READY and self.pipeline is not None

    def start(self, background: bool = True) -> None:
        """Ingest when the index is empty, then load the pipeline."""
        if background:
            threading.Thread(target=self._start, name="paperchat-start", daemon=True).start()
        else:
            self._start()

    def _start(self) -> None:
        from .store import Store
        from .sync import sync

        try:
            if Store(self.settings).count() == 0:
                self.state, self.progress = State.INDEXING, "reading the seed dumps"
                sync(self.settings, on_progress=self._on_progress, wait=600)
            self.state, self.progress = State.LOADING, "loading the models"
            pipeline = Pipeline.build(self.settings)
            self.llm_error = pipeline.warm()
            self.pipeline = pipeline
            self.state, self.progress = State.READY, ""
        except RagError as exc:
            self.state, self.error, self.progress = State.ERROR, str(exc), ""
        except Exception as exc:  # never a stack trace in the page; the log has it
            log.exception("start-up failed")
            self.state, self.progress = State.ERROR, ""
            self.error = f"start-up failed ({type(exc).__name__}); see the server log"

    def _on_progress(self, done: int, total: int) -> None:
        self.progress = f"embedding chunks {done}/{total} ({100 * done // max(total, 1)}%)"

    def not_ready_message(self) -> str:
        """What to tell a user who asks before the index and models are ready."""
        if self.state is State.ERROR:
            return f"⚠️ The app could not start: {self.error}"
        return f"Still getting ready ({self.state.value}: {self.progress}). Please ask again in a moment."

    def health(self) -> dict:
        """State, progress, papers indexed and the configured LLM."""
        return {"state": self.state.value, "progress": self.progress, "error": self.error,
                "papers": self.pipeline.retriever.paper_count if self.pipeline else 0,
                "llm": self.pipeline.llm.name if self.pipeline else None, "llm_error": self.llm_error}
