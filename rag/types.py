"""Plain frozen data types that flow through the pipeline (no behaviour, no rag imports)."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Paper:
    """One distinct paper, merged over every seed file it appears in."""

    paper_id: str
    title: str
    abstract: str
    seed_files: tuple[str, ...]
    authors: int | None = None
    date: str | None = None  # ISO yyyy-mm-dd when the dump gives a year
    date_text: str | None = None  # the date exactly as the dump shows it ("Sep 14")
    upvotes: int | None = None
    organization: str | None = None
    line: int = 0  # line of the title in the first seed file it was found in

    @property
    def content_hash(self) -> str:
        """Hash of what gets embedded (title and abstract)."""
        import hashlib

        return hashlib.sha256(f"{self.title}\n{self.abstract}".encode()).hexdigest()[:16]

    @property
    def meta_hash(self) -> str:
        """Hash of the metadata that can change without re-embedding."""
        import hashlib

        raw = repr((self.seed_files, self.authors, self.date, self.date_text, self.upvotes, self.organization))
        return hashlib.sha256(raw.encode()).hexdigest()[:16]


@dataclass(frozen=True)
class Chunk:
    """A token-bounded piece of one paper's abstract, ready to embed."""

    chunk_id: str
    paper_id: str
    index: int
    count: int
    text: str  # what is embedded and searched: title + chunk of abstract
    token_count: int


@dataclass(frozen=True)
class Source:
    """A retrieved paper offered to the LLM as numbered source n."""

    n: int
    paper_id: str
    title: str
    abstract: str
    text: str  # the best-matching chunk
    score: float  # fused score
    dense: float | None = None  # cosine similarity of the best chunk, when dense retrieval saw it
    metadata: dict = field(default_factory=dict)


@dataclass(frozen=True)
class Evidence:
    """An abstract sentence selected to answer the question, under its source's number."""

    n: int
    paper_id: str
    title: str
    sentence: str
    score: float = 0.0


@dataclass(frozen=True)
class Citation:
    """One [n] marker in the answer after checking."""

    n: int
    paper_id: str
    title: str
    sentence: str
    verified: bool
    evidence: str | None  # the abstract sentence that supports the claim
    score: float
    moved_from: int | None = None  # original marker when the checker re-cited the sentence
    added: bool = False  # the model gave no marker; the checker found the supporting source


@dataclass(frozen=True)
class Answer:
    """The pipeline's result: text with checked citations, sources, refusal flag and timings."""

    text: str
    refused: bool
    citations: tuple[Citation, ...]
    sources: tuple[Source, ...]
    question: str
    standalone_question: str
    unsupported: tuple[str, ...] = ()
    rejected: tuple[Citation, ...] = ()  # citations the checker could not verify (their sentences were removed)
    interrupted: bool = False
    timings: dict = field(default_factory=dict)
    raw: str = ""  # the model's text before checking
    llm: str = ""  # the LLM that answered ("" when it was not called)
    refusal_reason: str = ""  # refused answers: why ("retrieval: …", "gate: …")
    mode: str = "generated"  # generated (verified model sentences) | extractive (quoted evidence) | refused
    evidence: tuple[Evidence, ...] = ()  # the selected evidence sentences (for a refusal: the closest ones)
