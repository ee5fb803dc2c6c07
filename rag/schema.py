"""The chunk metadata schema (what Chroma stores with each chunk) and metadata filters, in Chroma's terms and in Python's."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, TypedDict

from .types import Chunk, Paper


class ChunkMeta(TypedDict, total=False):
    """The metadata stored with every chunk: the one schema the store, sync and retriever share."""

    paper_id: str
    title: str
    abstract: str
    seed_files: list[str]
    chunk_index: int
    chunk_count: int
    content_hash: str
    meta_hash: str
    authors: int
    date: str
    date_ord: int
    date_text: str
    upvotes: int
    organization: str


PUBLIC_FIELDS = ("authors", "date", "date_text", "upvotes", "organization", "seed_files")  # shown to users


def public_metadata(meta: ChunkMeta) -> dict[str, Any]:
    """The fields of a chunk's metadata that describe its paper to a reader."""
    return {k: meta[k] for k in PUBLIC_FIELDS if k in meta}  # type: ignore[literal-required]


def chunk_metadata(paper: Paper, chunk: Chunk) -> ChunkMeta:
    """Flat Chroma metadata for a chunk: the paper's fields plus hashes used by sync (None values dropped)."""
    meta: dict[str, Any] = {  # None values are dropped below: Chroma stores no nulls
        "paper_id": paper.paper_id,
        "title": paper.title,
        "abstract": paper.abstract,
        "seed_files": list(paper.seed_files),
        "chunk_index": chunk.index,
        "chunk_count": chunk.count,
        "content_hash": paper.content_hash,
        "meta_hash": paper.meta_hash,
        "authors": paper.authors,
        "date": paper.date,
        "date_ord": int(paper.date.replace("-", "")) if paper.date else None,
        "date_text": paper.date_text,
        "upvotes": paper.upvotes,
        "organization": paper.organization,
    }
    return ChunkMeta(**{k: v for k, v in meta.items() if v is not None})  # type: ignore[typeddict-item]


@dataclass(frozen=True)
class Filters:
    """Optional metadata filters: ISO date range (papers with a full date only) and seed files."""

    date_from: str | None = None
    date_to: str | None = None
    seed_files: tuple[str, ...] = ()

    def __bool__(self) -> bool:
        return bool(self.date_from or self.date_to or self.seed_files)

    def where(self) -> dict[str, Any] | None:
        """The same filter as a Chroma where clause."""
        terms: list[dict[str, Any]] = []
        if self.date_from:
            terms.append({"date_ord": {"$gte": int(self.date_from.replace("-", ""))}})
        if self.date_to:
            terms.append({"date_ord": {"$lte": int(self.date_to.replace("-", ""))}})
        if self.seed_files:
            files = [{"seed_files": {"$contains": f}} for f in self.seed_files]
            terms.append(files[0] if len(files) == 1 else {"$or": files})
        if not terms:
            return None
        return terms[0] if len(terms) == 1 else {"$and": terms}

    def accepts(self, meta: dict[str, Any]) -> bool:
        """The same filter as a Python predicate (for BM25 results)."""
        d = meta.get("date_ord")
        if self.date_from and (d is None or d < int(self.date_from.replace("-", ""))):
            return False
        if self.date_to and (d is None or d > int(self.date_to.replace("-", ""))):
            return False
        if self.seed_files and not set(self.seed_files) & set(meta.get("seed_files") or []):
            return False
        return True
