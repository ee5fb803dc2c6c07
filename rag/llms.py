"""LLM backends behind one small interface (stream text, check): a registry of llamacpp (embedded), ollama, openai.

`llm.backend = "auto"` (the default) uses Ollama when a server answers at llm.ollama_host with a chat model pulled,
and the embedded model otherwise; the choice is logged once.
"""

from __future__ import annotations

import atexit
import logging
import os
import threading
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, Callable, Iterator, Protocol, Sequence

from .config import LLM_BACKENDS, LLMSettings
from .errors import ConfigError, GenerationError, ModelMissing
from .llm_servers import OllamaLLM, OpenAILLM

Message = dict[str, str]  # {"role": "system"|"user"|"assistant", "content": str}
log = logging.getLogger("paperchat")


class LLM(Protocol):
    """A chat model that streams text."""

    name: str

    def stream(self, messages: Sequence[Message], *, temperature: float, max_tokens: int) -> Iterator[str]: ...

    def check(self) -> None:
        """Raise a RagError (with the fix in its message) when the model cannot answer."""
        ...


def choice_label(settings: LLMSettings) -> str:
    """How an LLM configuration is named in the chat's LLM list: backend:model (the embedded one by its file)."""
    if settings.backend == "auto":
        return "auto"
    if settings.backend == "llamacpp":
        from .modelfile import GGUF_NAME

        return f"llamacpp:{settings.model_path.name if settings.model_path else GGUF_NAME}"
    return f"{settings.backend}:{settings.model or BACKENDS[settings.backend].default_model}"


def settings_for_choice(base: LLMSettings, label: str) -> LLMSettings:
    """The LLM settings a choice label stands for (the embedded backend always runs base's model file)."""
    backend, _, model = label.partition(":")
    if backend == "llamacpp":
        return base.model_copy(update={"backend": "llamacpp"})
    return base.model_copy(update={"backend": backend, "model": model})


_LOAD_LOCK = threading.Lock()


def cpu_has_amx(cpuinfo: str = "/proc/cpuinfo") -> bool:
    """The CPU announces AMX tiles (Linux; False where /proc/cpuinfo is missing)."""
    try:
        with open(cpuinfo, encoding="utf-8", errors="replace") as f:
            return any(line.startswith("flags") and " amx_tile" in line for line in f)
    except OSError:
        return False


def repacks(setting: str) -> bool:
    """Whether llama.cpp may repack the weights (llm.repack): auto repacks except on AMX CPUs, where it crashes."""
    return setting == "on" or (setting == "auto" and not cpu_has_amx())


@contextmanager
def weight_repacking(on: bool) -> Iterator[None]:
    """Models llama.cpp loads inside the block repack their weights only when `on` (Llama() takes no use_extra_bufts:
    it is set on the default model parameters Llama starts from)."""
    import llama_cpp.llama_cpp as low

    defaults = low.llama_model_default_params

    def params():
        p = defaults()
        p.use_extra_bufts = on
        return p

    with _LOAD_LOCK:
        low.llama_model_default_params = params
        try:
            yield
        finally:
            low.llama_model_default_params = defaults


class LlamaCppLLM:
    """The embedded default: a GGUF run in-process by llama-cpp-python; one load per process, one generation at a time."""

    def __init__(self, model_path: str, n_ctx: int, n_threads: int, seed: int, n_batch: int = 128, repack: bool = True):
        from llama_cpp import Llama

        self.name = f"llamacpp:{os.path.basename(model_path)}"
        self.n_ctx, self.seed = n_ctx, seed
        self._lock = threading.Lock()
        with weight_repacking(repack):
            self.llm = Llama(
                model_path=model_path, n_ctx=n_ctx, n_threads=n_threads or os.cpu_count() or 2, n_batch=n_batch, seed=seed,
                verbose=False,
            )
        atexit.register(self.close)  # free the model before the interpreter tears down the modules its finalizer needs

    def close(self) -> None:
        """Free the model (idempotent)."""
        llm, self.llm = getattr(self, "llm", None), None
        if llm is not None:
            llm.close()

    def check(self) -> None:
        """The model is in memory: nothing can be missing any more."""

    def stream(self, messages: Sequence[Message], *, temperature: float, max_tokens: int) -> Iterator[str]:
        """Stream the reply; the lock serialises generations (llama.cpp contexts are not thread-safe)."""
        with self._lock:
            try:
                chunks = self.llm.create_chat_completion(  # seeded per call: an answer does not depend on what came before
                    messages=list(messages), stream=True, temperature=temperature, max_tokens=max_tokens, seed=self.seed
                )
                for chunk in chunks:
                    delta = chunk["choices"][0]["delta"].get("content")
                    if delta:
                        yield delta
            except ValueError as exc:  # e.g. prompt longer than the context window
                raise GenerationError(f"the embedded model could not answer: {exc}") from exc


@dataclass(frozen=True)
class Backend:
    """One LLM backend: its default model, how to build it, and what makes two configurations the same instance."""

    name: str
    default_model: str
    build: Callable[[LLMSettings], LLM]
    key: Callable[[LLMSettings], tuple]


def _server_key(s: LLMSettings) -> tuple:
    return (s.backend, s.model, s.ollama_host, s.openai_base_url, s.openai_api_key, s.n_ctx, s.timeout, s.temperature, s.max_tokens)


BACKENDS: dict[str, Backend] = {b.name: b for b in (
    Backend("llamacpp", "", lambda s: LlamaCppLLM(gguf_path(s), s.n_ctx, s.n_threads, s.seed, s.n_batch, repacks(s.repack)),
            lambda s: ("llamacpp", os.path.realpath(gguf_path(s)), s.n_ctx, s.n_threads, s.n_batch, s.seed, s.repack)),
    Backend("ollama", OllamaLLM.default_model, OllamaLLM, _server_key),
    Backend("openai", OpenAILLM.default_model, OpenAILLM, _server_key),
)}
assert set(BACKENDS) == set(LLM_BACKENDS) - {"auto"}, "config.LLM_BACKENDS and the registry must name the same backends"

_CACHE: dict[tuple, Any] = {}
_CACHE_LOCK = threading.Lock()
_AUTO: dict[tuple, dict[str, str]] = {}


def get_llm(settings: LLMSettings) -> LLM:
    """The LLM the settings name, built once per process and configuration; the embedded model once per model file."""
    settings = resolve(settings)
    backend = BACKENDS.get(settings.backend)
    if backend is None:
        raise ConfigError(f"unknown LLM backend {settings.backend!r}: use one of {', '.join(LLM_BACKENDS)}")
    with _CACHE_LOCK:
        key = backend.key(settings)
        if key not in _CACHE:
            _CACHE[key] = backend.build(settings)
        return _CACHE[key]


def resolve(settings: LLMSettings) -> LLMSettings:
    """For backend "auto": Ollama when it answers with a chat model pulled, else the embedded model (logged once)."""
    if settings.backend != "auto":
        return settings
    key = (settings.ollama_host, settings.model)
    if key not in _AUTO:  # the decision only: the rest of these settings (model path, threads) stays the caller's
        model = ollama_chat_model(settings.ollama_host, settings.model)
        if model:
            log.info("llm.backend=auto: Ollama answers at %s with %s pulled; answering with ollama:%s", settings.ollama_host, model, model)
            _AUTO[key] = {"backend": "ollama", "model": model}
        else:
            log.info("llm.backend=auto: no Ollama with a chat model at %s; answering with the embedded model", settings.ollama_host)
            _AUTO[key] = {"backend": "llamacpp"}
    return settings.model_copy(update=_AUTO[key])


def ollama_chat_model(host: str, wanted: str = "", timeout: float = 1.0) -> str | None:
    """The chat model to use on an Ollama server: `wanted` if pulled, else the first pulled Qwen/Llama/other chat model."""
    import httpx

    try:
        resp = httpx.get(host.rstrip("/") + "/api/tags", timeout=timeout)
        resp.raise_for_status()
        names = [m.get("name") or m.get("model") for m in resp.json().get("models", [])]
    except (httpx.HTTPError, ValueError, AttributeError):
        return None
    chat = [n for n in names if n and "embed" not in n.lower()]
    if wanted:
        return next((n for n in chat if n in (wanted, f"{wanted}:latest")), None)
    for family in ("qwen2.5", "qwen", "llama3", "llama", "mistral", "gemma", "phi"):
        for n in chat:
            if n.lower().startswith(family):
                return n
    return chat[0] if chat else None


def gguf_path(settings: LLMSettings) -> str:
    """The GGUF file the embedded backend runs: llm.model_path, or the bundled model (assembled once)."""
    try:
        import llama_cpp  # noqa: F401
    except ImportError as exc:
        raise ModelMissing("llama-cpp-python is not installed: pip install llama-cpp-python==0.3.36") from exc
    from .modelfile import ensure_gguf

    path = settings.model_path or ensure_gguf(settings.model_cache_dir)
    if not os.path.isfile(path):
        raise ModelMissing(f"model file {path} does not exist: fix llm.model_path or unset it to use the bundled model")
    return str(path)
