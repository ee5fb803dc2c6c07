"""LLM backends behind one small interface (stream text for chat messages): llamacpp (embedded), ollama, openai."""

from __future__ import annotations

import os
import threading
from typing import Any, Iterator, Protocol, Sequence

from .config import LLMSettings
from .errors import BackendUnavailable, ConfigError, GenerationError, ModelMissing, RagError

Message = dict[str, str]  # {"role": "system"|"user"|"assistant", "content": str}

DEFAULT_MODELS = {"ollama": "qwen2.5:3b", "openai": "local-model"}


class LLM(Protocol):
    """A chat model that streams text."""

    name: str

    def stream(self, messages: Sequence[Message], *, temperature: float, max_tokens: int) -> Iterator[str]: ...

    def check(self) -> None:
        """Raise a RagError (with the fix in its message) when the model cannot answer."""
        ...


def choice_label(settings: LLMSettings) -> str:
    """How an LLM configuration is named in the chat's LLM list: backend:model (the embedded one by its file)."""
    if settings.backend == "llamacpp":
        from .modelfile import GGUF_NAME

        return f"llamacpp:{settings.model_path.name if settings.model_path else GGUF_NAME}"
    return f"{settings.backend}:{settings.model or DEFAULT_MODELS[settings.backend]}"


def settings_for_choice(base: LLMSettings, label: str) -> LLMSettings:
    """The LLM settings a choice label stands for (the embedded backend always runs base's model file)."""
    backend, _, model = label.partition(":")
    if backend == "llamacpp":
        return base.model_copy(update={"backend": "llamacpp"})
    return base.model_copy(update={"backend": backend, "model": model})


class LlamaCppLLM:
    """The embedded default: a GGUF run in-process by llama-cpp-python; one load per process, one generation at a time."""

    def __init__(self, model_path: str, n_ctx: int, n_threads: int, seed: int, n_batch: int = 128):
        from llama_cpp import Llama

        self.name = f"llamacpp:{os.path.basename(model_path)}"
        self.n_ctx = n_ctx
        self._lock = threading.Lock()
        self.llm = Llama(
            model_path=model_path, n_ctx=n_ctx, n_threads=n_threads or os.cpu_count() or 2, n_batch=n_batch, seed=seed,
            verbose=False,
        )

    def check(self) -> None:
        """The model is in memory: nothing can be missing any more."""

    def stream(self, messages: Sequence[Message], *, temperature: float, max_tokens: int) -> Iterator[str]:
        """Stream the reply; the lock serialises generations (llama.cpp contexts are not thread-safe)."""
        with self._lock:
            try:
                chunks = self.llm.create_chat_completion(
                    messages=list(messages), stream=True, temperature=temperature, max_tokens=max_tokens
                )
                for chunk in chunks:
                    delta = chunk["choices"][0]["delta"].get("content")
                    if delta:
                        yield delta
            except ValueError as exc:  # e.g. prompt longer than the context window
                raise GenerationError(f"the embedded model could not answer: {exc}") from exc


class LlamaIndexChatLLM:
    """An Ollama or OpenAI-compatible server through LlamaIndex's integrations, errors translated at this boundary."""

    def __init__(self, backend: str, settings: LLMSettings):
        self.backend = backend
        self.settings = settings
        self.model = settings.model or DEFAULT_MODELS[backend]
        self.url = settings.ollama_host if backend == "ollama" else settings.openai_base_url
        self.name = f"{backend}:{self.model}"
        self._llm = self._build(settings.temperature, settings.max_tokens)

    def _build(self, temperature: float, max_tokens: int):
        s = self.settings
        if self.backend == "ollama":
            from llama_index.llms.ollama import Ollama

            return Ollama(
                model=self.model, base_url=s.ollama_host, request_timeout=s.timeout, temperature=temperature,
                context_window=s.n_ctx, additional_kwargs={"num_predict": max_tokens},
            )
        from llama_index.llms.openai_like import OpenAILike

        return OpenAILike(
            model=self.model, api_base=s.openai_base_url, api_key=s.openai_api_key, is_chat_model=True,
            timeout=s.timeout, max_retries=0, temperature=temperature, max_tokens=max_tokens, context_window=s.n_ctx,
        )

    def check(self) -> None:
        """Fail early, with the URL and the fix in the message, when the server is down or lacks the model."""
        try:
            if self.backend == "ollama":
                names = {m.model for m in self._llm.client.list().models}
                if self.model not in names and f"{self.model}:latest" not in names:
                    raise ModelMissing(f"Ollama at {self.url} does not have model '{self.model}': run `ollama pull {self.model}`")
            else:
                import openai

                openai.OpenAI(base_url=self.url, api_key=self.settings.openai_api_key, timeout=self.settings.timeout, max_retries=0).models.list()
        except RagError:
            raise
        except Exception as exc:
            raise self.translate(exc) from exc

    def stream(self, messages: Sequence[Message], *, temperature: float, max_tokens: int) -> Iterator[str]:
        """Stream the reply from the server."""
        from llama_index.core.llms import ChatMessage

        llm = self._llm
        if (temperature, max_tokens) != (self.settings.temperature, self.settings.max_tokens):
            llm = self._build(temperature, max_tokens)
        try:
            for part in llm.stream_chat([ChatMessage(role=m["role"], content=m["content"]) for m in messages]):
                if part.delta:
                    yield part.delta
        except RagError:
            raise
        except Exception as exc:
            raise self.translate(exc) from exc

    def translate(self, exc: Exception) -> RagError:
        """Map httpx/ollama/openai exceptions to our error family."""
        if self.backend == "ollama":
            return translate_ollama_error(exc, self.url, self.model)
        return translate_openai_error(exc, self.url, self.model)


def _is_timeout(exc: BaseException) -> bool:
    return "timeout" in type(exc).__name__.lower() or "timed out" in str(exc).lower()


def translate_ollama_error(exc: Exception, url: str, model: str) -> RagError:
    """Turn an ollama/httpx exception into BackendUnavailable, ModelMissing or GenerationError."""
    import httpx
    import ollama

    if isinstance(exc, ollama.ResponseError):
        if exc.status_code == 404 or "not found" in str(exc.error).lower():
            return ModelMissing(f"Ollama at {url} does not have model '{model}': run `ollama pull {model}`")
        return GenerationError(f"Ollama at {url} failed ({exc.status_code}): {exc.error}")
    if _is_timeout(exc):
        return GenerationError(f"Ollama at {url} did not answer in time: try again, or raise llm.timeout")
    if isinstance(exc, (httpx.RemoteProtocolError, httpx.ReadError)):
        return GenerationError(f"the connection to Ollama at {url} dropped mid-answer: try again")
    if isinstance(exc, (httpx.ConnectError, ConnectionError)) or "connect" in str(exc).lower():
        return BackendUnavailable(f"Ollama is not reachable at {url}: start it with `ollama serve` (or set llm.ollama_host)")
    return GenerationError(f"Ollama at {url} failed: {type(exc).__name__}: {exc}")


def translate_openai_error(exc: Exception, url: str, model: str) -> RagError:
    """Turn an openai exception into BackendUnavailable, ModelMissing or GenerationError."""
    import openai

    if isinstance(exc, openai.NotFoundError):
        return ModelMissing(f"the server at {url} does not serve model '{model}': set llm.model to one it lists at {url}/models")
    if isinstance(exc, openai.APITimeoutError) or _is_timeout(exc):
        return GenerationError(f"the server at {url} did not answer in time: try again, or raise llm.timeout")
    if isinstance(exc, openai.APIConnectionError):
        return BackendUnavailable(f"the OpenAI-compatible server is not reachable at {url}: start it, or set llm.openai_base_url")
    if isinstance(exc, openai.APIStatusError):
        return GenerationError(f"the server at {url} failed ({exc.status_code}): {exc.message}")
    return GenerationError(f"the server at {url} failed: {type(exc).__name__}: {exc}")


_CACHE: dict[tuple, Any] = {}
_CACHE_LOCK = threading.Lock()


def get_llm(settings: LLMSettings) -> LLM:
    """The LLM the settings name, built once per process and configuration; the embedded model once per model file."""
    with _CACHE_LOCK:
        if settings.backend == "llamacpp":
            path = _gguf_path(settings)
            key: tuple = ("llamacpp", os.path.realpath(path), settings.n_ctx, settings.n_threads, settings.n_batch, settings.seed)
        else:
            key = (settings.backend, settings.model, settings.ollama_host, settings.openai_base_url, settings.openai_api_key,
                   settings.n_ctx, settings.timeout, settings.temperature, settings.max_tokens)
        if key not in _CACHE:
            _CACHE[key] = _build(settings, path if settings.backend == "llamacpp" else None)
        return _CACHE[key]


def _gguf_path(settings: LLMSettings) -> str:
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


def _build(settings: LLMSettings, path: str | None = None) -> LLM:
    match settings.backend:
        case "llamacpp":
            assert path is not None
            return LlamaCppLLM(path, settings.n_ctx, settings.n_threads, settings.seed, settings.n_batch)
        case "ollama" | "openai":
            return LlamaIndexChatLLM(settings.backend, settings)
    raise ConfigError(f"unknown LLM backend {settings.backend!r}: use llamacpp, ollama or openai")
