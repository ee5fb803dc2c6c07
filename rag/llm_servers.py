"""LLM backends behind an HTTP server (Ollama, OpenAI-compatible) through LlamaIndex; errors translated once, here."""

from __future__ import annotations

from typing import Iterator, Sequence

from .config import LLMSettings
from .errors import BackendUnavailable, GenerationError, ModelMissing, RagError

Message = dict[str, str]


class ServerLLM:
    """A model behind an HTTP server, through a LlamaIndex integration; errors translated at this boundary.

    A subclass names its backend and default model, how to build the LlamaIndex client (`make`), how to check
    the server (`_check`) and how to translate its exceptions (`translator`).
    """

    backend = ""
    default_model = ""
    url_setting = ""

    def __init__(self, settings: LLMSettings):
        self.settings = settings
        self.model = settings.model or self.default_model
        self.url = getattr(settings, self.url_setting)
        self.name = f"{self.backend}:{self.model}"
        self._llm = self.make(settings, self.model, settings.temperature, settings.max_tokens)

    @staticmethod
    def make(settings: LLMSettings, model: str, temperature: float, max_tokens: int):
        raise NotImplementedError

    @staticmethod
    def translator(exc: Exception, url: str, model: str) -> RagError:
        raise NotImplementedError

    def check(self) -> None:
        """Fail early, with the URL and the fix in the message, when the server is down or lacks the model."""
        try:
            self._check()
        except RagError:
            raise
        except Exception as exc:
            raise self.translate(exc) from exc

    def _check(self) -> None:
        raise NotImplementedError

    def translate(self, exc: Exception) -> RagError:
        """Map the client library's exceptions to our error family."""
        return self.translator(exc, self.url, self.model)

    def stream(self, messages: Sequence[Message], *, temperature: float, max_tokens: int) -> Iterator[str]:
        """Stream the reply from the server."""
        from llama_index.core.llms import ChatMessage

        llm = self._llm
        if (temperature, max_tokens) != (self.settings.temperature, self.settings.max_tokens):
            llm = self.make(self.settings, self.model, temperature, max_tokens)
        try:
            for part in llm.stream_chat([ChatMessage(role=m["role"], content=m["content"]) for m in messages]):
                if part.delta:
                    yield part.delta
        except RagError:
            raise
        except Exception as exc:
            raise self.translate(exc) from exc


def _ollama(s: LLMSettings, model: str, temperature: float, max_tokens: int):
    from llama_index.llms.ollama import Ollama

    return Ollama(model=model, base_url=s.ollama_host, request_timeout=s.timeout, temperature=temperature,
                  context_window=s.n_ctx, additional_kwargs={"num_predict": max_tokens})


def _openai_like(s: LLMSettings, model: str, temperature: float, max_tokens: int):
    from llama_index.llms.openai_like import OpenAILike

    return OpenAILike(model=model, api_base=s.openai_base_url, api_key=s.openai_api_key, is_chat_model=True, timeout=s.timeout,
                      max_retries=0, temperature=temperature, max_tokens=max_tokens, context_window=s.n_ctx)


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


class OllamaLLM(ServerLLM):
    """A model served by Ollama (LlamaIndex's Ollama integration)."""

    backend, default_model, url_setting = "ollama", "qwen2.5:3b", "ollama_host"
    make, translator = staticmethod(_ollama), staticmethod(translate_ollama_error)

    def _check(self) -> None:
        names = {m.model for m in self._llm.client.list().models}
        if self.model not in names and f"{self.model}:latest" not in names:
            raise ModelMissing(f"Ollama at {self.url} does not have model '{self.model}': run `ollama pull {self.model}`")


class OpenAILLM(ServerLLM):
    """A model behind any OpenAI-compatible server (vLLM, llama_cpp.server, Ollama's /v1)."""

    backend, default_model, url_setting = "openai", "local-model", "openai_base_url"
    make, translator = staticmethod(_openai_like), staticmethod(translate_openai_error)

    def _check(self) -> None:
        import openai

        s = self.settings
        openai.OpenAI(base_url=self.url, api_key=s.openai_api_key, timeout=s.timeout, max_retries=0).models.list()
