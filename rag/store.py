"""Chroma: embedded PersistentClient under data_dir, or HttpClient for a shared server; errors translated here."""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any, Container, Iterator, Sequence

from .config import Settings
from .errors import BackendUnavailable, IndexMissing, RagError
from .schema import Filters

PAGE = 2000


@dataclass
class Hit:
    """One chunk returned by a dense query."""

    chunk_id: str
    text: str
    metadata: dict[str, Any]
    similarity: float  # cosine similarity


class Store:
    """One Chroma collection holding every chunk of the corpus."""

    def __init__(self, settings: Settings, create: bool = True):
        self.settings = settings
        self.name = settings.collection_name
        self.client = _client(settings)
        self._collection = None
        if create:
            self._collection = _searching(self._call(
                lambda: self.client.get_or_create_collection(
                    self.name,
                    configuration={"hnsw": {"space": "cosine", "ef_search": settings.chroma.ef_search}},
                    metadata=self._base_metadata(),
                    embedding_function=None,
                )
            ), settings.chroma.ef_search)

    def _base_metadata(self) -> dict[str, Any]:
        s = self.settings
        return {"embed_backend": s.embed.backend, "embed_model": s.embed.model, "chunk_size": s.chunk.size, "chunk_overlap": s.chunk.overlap}

    @property
    def collection(self):
        """The Chroma collection; IndexMissing when it was not created yet."""
        if self._collection is None:
            try:
                self._collection = _searching(self.client.get_collection(self.name, embedding_function=None),
                                              self.settings.chroma.ef_search)
            except Exception as exc:
                if isinstance(exc, (ConnectionError, OSError)) or "connect" in str(exc).lower():
                    raise _unreachable(self.settings, exc) from exc
                raise IndexMissing(
                    f"no index named {self.name} under {self.where()}: run `python ingest.py --data-dir {self.settings.data_dir}`"
                ) from exc
        return self._collection

    def where(self) -> str:
        """Human description of where the index lives."""
        c = self.settings.chroma
        return f"Chroma server {c.host}:{c.port}" if c.host else str(self.settings.chroma_dir)

    def _call(self, fn):
        try:
            return fn()
        except RagError:
            raise
        except Exception as exc:
            if self.settings.chroma.host and _looks_like_connection_error(exc):
                raise _unreachable(self.settings, exc) from exc
            if isinstance(exc, OSError) or type(exc).__module__.startswith("chromadb"):
                raise RagError(f"the index at {self.where()} failed: {_storage_problem(self.settings) or exc}") from exc
            raise

    def count(self) -> int:
        """Number of chunks stored."""
        return self._call(lambda: self.collection.count())

    def iter_metadata(self, include_documents: bool = False) -> Iterator[tuple[str, dict[str, Any], str | None]]:
        """Every (chunk id, metadata, document) in the collection, paged."""
        include = ["metadatas", "documents"] if include_documents else ["metadatas"]
        offset = 0
        while True:
            page = self._call(lambda: self.collection.get(include=include, limit=PAGE, offset=offset))
            ids = page["ids"]
            docs = page.get("documents") or [None] * len(ids)
            yield from zip(ids, page["metadatas"], docs)
            if len(ids) < PAGE:
                return
            offset += PAGE

    def upsert(self, ids: Sequence[str], embeddings: Sequence[Sequence[float]], documents: Sequence[str], metadatas: Sequence[dict]) -> None:
        """Insert or replace chunks, in batches Chroma accepts."""
        step = min(self._call(self.client.get_max_batch_size), 1000)
        for i in range(0, len(ids), step):
            sl = slice(i, i + step)
            self._call(
                lambda: self.collection.upsert(
                    ids=list(ids[sl]), embeddings=list(embeddings[sl]), documents=list(documents[sl]), metadatas=list(metadatas[sl])
                )
            )

    def update_metadata(self, ids: Sequence[str], metadatas: Sequence[dict]) -> None:
        """Replace chunks' metadata without touching their vectors."""
        for i in range(0, len(ids), 1000):
            self._call(lambda: self.collection.update(ids=list(ids[i : i + 1000]), metadatas=list(metadatas[i : i + 1000])))

    def delete(self, ids: Sequence[str]) -> None:
        """Delete chunks by id."""
        for i in range(0, len(ids), 1000):
            self._call(lambda: self.collection.delete(ids=list(ids[i : i + 1000])))

    def query(self, embedding: Sequence[float], n: int, filters: Filters | None = None, known: Container[str] = ()) -> list[Hit]:
        """Nearest chunks by cosine similarity; text and metadata are fetched only for ids not in `known`."""
        res = self._call(  # Chroma returns fewer than n when the collection is smaller
            lambda: self.collection.query(query_embeddings=[list(embedding)], n_results=max(1, n),
                                          where=filters.where() if filters else None, include=["distances"])
        )
        ids, dists = res["ids"][0], res["distances"][0]
        missing = [cid for cid in ids if cid not in known]
        payload: dict[str, tuple[str, dict[str, Any]]] = {}
        if missing:  # chunks written since the caller cached the collection
            got = self._call(lambda: self.collection.get(ids=missing, include=["documents", "metadatas"]))
            payload = {cid: (doc or "", meta or {}) for cid, doc, meta in zip(got["ids"], got["documents"], got["metadatas"])}
        return [Hit(cid, *payload.get(cid, ("", {})), 1.0 - float(dist)) for cid, dist in zip(ids, dists)]

    def vector_store(self):
        """This collection as a LlamaIndex vector store (for the eval's stock CitationQueryEngine peer)."""
        from llama_index.vector_stores.chroma import ChromaVectorStore

        return ChromaVectorStore(chroma_collection=self.collection)

    def sync_info(self) -> dict[str, Any]:
        """Collection metadata (settings and the last sync summary)."""
        return dict(self._call(lambda: self.client.get_collection(self.name, embedding_function=None).metadata) or {})

    def mark_synced(self, papers: int, chunks: int) -> None:
        """Record when the index was last synced and what it holds, in the collection's own metadata."""
        meta = self._base_metadata() | {"last_sync": time.strftime("%Y-%m-%dT%H:%M:%S%z"), "papers": papers, "chunks": chunks}
        self._call(lambda: self.collection.modify(metadata=meta))

    def drop(self) -> None:
        """Delete the whole collection (used by --rebuild)."""
        try:
            self._call(lambda: self.client.delete_collection(self.name))
        except RagError:
            raise
        except Exception:
            pass  # it did not exist
        self._collection = None


def _storage_problem(settings: Settings) -> str | None:
    """A plain reason when the embedded index cannot be written (disk full, read-only), else None."""
    import os
    import shutil

    if settings.chroma.host:
        return None
    path = settings.chroma_dir
    try:
        free = shutil.disk_usage(path).free
        writable = os.access(path, os.W_OK) and os.statvfs(path).f_flag & os.ST_RDONLY == 0
    except OSError:
        return None
    if not writable:
        return f"{path} is read-only: make it writable or pass another --data-dir; the index keeps its last state"
    if free < 64 * 1024 * 1024:
        return f"the disk holding {path} is full ({free // 1024} KB free): free some space and run the ingest again"
    return None


def _looks_like_connection_error(exc: Exception) -> bool:
    text = f"{type(exc).__name__} {exc}".lower()
    return any(w in text for w in ("connect", "connection", "timed out", "timeout", "unreachable", "refused"))


def _unreachable(settings: Settings, exc: Exception) -> BackendUnavailable:
    c = settings.chroma
    scheme = "https" if c.ssl else "http"
    return BackendUnavailable(
        f"Chroma server is not reachable at {scheme}://{c.host}:{c.port} ({type(exc).__name__}): start it with "
        f"`chroma run --path <dir> --port {c.port}` or unset chroma.host to use the embedded index"
    )


def _searching(collection, ef_search: int):
    """The collection with the configured HNSW search breadth (an index built before the setting gets it now; a
    read-only index keeps its own)."""
    try:
        have = (collection.configuration_json or {}).get("hnsw", {}).get("ef_search")
        if have is not None and have != ef_search:
            collection.modify(configuration={"hnsw": {"ef_search": ef_search}})
    except Exception:  # noqa: BLE001 — a server or a read-only index that refuses the change still answers
        pass
    return collection


def _client(settings: Settings):
    import chromadb
    from chromadb.config import Settings as ChromaClientSettings

    chroma_settings = ChromaClientSettings(anonymized_telemetry=False, allow_reset=False)
    c = settings.chroma
    if c.host:
        try:
            return chromadb.HttpClient(host=c.host, port=c.port, ssl=c.ssl, settings=chroma_settings)
        except Exception as exc:
            raise _unreachable(settings, exc) from exc
    try:
        settings.chroma_dir.mkdir(parents=True, exist_ok=True)
        return chromadb.PersistentClient(path=str(settings.chroma_dir), settings=chroma_settings)
    except OSError as exc:
        raise RagError(f"cannot open the index at {settings.chroma_dir}: {exc.strerror or exc}; check --data-dir") from exc
