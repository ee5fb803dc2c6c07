"""Hybrid retrieval: dense (Chroma) + BM25 (bm25s, as LlamaIndex builds it), score fusion (or RRF) over papers."""

from __future__ import annotations

import re
import threading
from collections import Counter
from typing import Any, Literal, Sequence

from .config import Settings
from .embeddings import Embedder, get_embedder
from .errors import IndexMissing
from .focus import MULTI_RE
from .schema import ChunkMeta, Filters, public_metadata
from .scope import without_examples
from .slots import anchors, says
from .store import Store
from .terms import Vocabulary, terms
from .types import Source

Mode = Literal["hybrid", "dense", "bm25"]
FEEDBACK_WORD_RE = re.compile(r"[A-Za-z][A-Za-z-]{3,}")


class HybridRetriever:
    """Finds the k papers that best match a question; rebuilds its BM25 index when the collection changes."""

    def __init__(self, settings: Settings, store: Store | None = None, embedder: Embedder | None = None):
        self.settings = settings
        self.store = store or Store(settings, create=False)
        self.embedder = embedder or get_embedder(settings.embed)
        self._lock = threading.Lock()
        self._bm25 = None
        self._meta: dict[str, ChunkMeta] = {}
        self._docs: dict[str, str] = {}
        self._version: Any = None
        self._vocabulary = Vocabulary(())
        self.refresh()

    def refresh(self, force: bool = False) -> None:
        """(Re)load chunk metadata, the BM25 index and the corpus statistics if the collection changed since the last
        load (all built before any is swapped in, under the lock)."""
        info = self.store.sync_info()
        version = (info.get("last_sync"), self.store.count())
        if not force and version == self._version:
            return
        with self._lock:
            ids, docs, metas = [], [], []
            for cid, meta, doc in self.store.iter_metadata(include_documents=True):
                ids.append(cid)
                docs.append(doc or "")
                metas.append(meta)
            if not ids:
                raise IndexMissing(
                    f"the index at {self.store.where()} is empty: run `python ingest.py --data-dir {self.settings.data_dir}`"
                )
            bm25, vocabulary = _build_bm25(ids, docs), Vocabulary(docs)
            self._meta = dict(zip(ids, metas))
            self._docs = dict(zip(ids, docs))
            self._bm25, self._ids, self._vocabulary = bm25, ids, vocabulary
            self._version = version

    @property
    def vocabulary(self) -> Vocabulary:
        """Stem document frequencies and everyday words of the loaded chunks (built with each index version)."""
        return self._vocabulary

    def texts(self) -> list[str]:
        """The text of every cached chunk."""
        return list(self._docs.values())

    @property
    def paper_count(self) -> int:
        """Distinct papers in the loaded index."""
        return len({m["paper_id"] for m in self._meta.values()})

    def dense(self, query: str, n: int, filters: Filters | None = None) -> list[tuple[str, float]]:
        """(chunk id, cosine similarity) of the n nearest chunks."""
        vec = self.embedder.embed([query])[0]
        hits = self.store.query(vec, n, filters=filters, known=self._meta)
        for h in hits:  # chunks written by an ingest since our last refresh: take them from the hit itself
            if h.chunk_id not in self._meta and h.metadata.get("paper_id"):
                self._meta[h.chunk_id], self._docs[h.chunk_id] = h.metadata, h.text
        return [(h.chunk_id, h.similarity) for h in hits if h.chunk_id in self._meta]

    def bm25(self, query: str, n: int, filters: Filters | None = None) -> list[tuple[str, float]]:
        """(chunk id, BM25 score) of the n best lexical matches."""
        import bm25s

        tokens = bm25s.tokenize([query], stopwords="en", stemmer=_stemmer(), show_progress=False)
        if not tokens.vocab:
            return []
        want = n * 4 if filters else n
        docs, scores = self._bm25.retrieve(tokens, k=min(want, len(self._ids)), show_progress=False, n_threads=1)
        out = [(self._ids[int(i)], float(s)) for i, s in zip(docs[0], scores[0]) if s > 0]
        if filters:
            out = [(cid, s) for cid, s in out if filters.accepts(self._meta[cid])]
        return out[:n]

    def search(self, query: str, k: int | None = None, filters: Filters | None = None, mode: Mode = "hybrid",
               fusion: str | None = None, feedback: bool | None = None) -> list[Source]:
        """The top-k papers (best chunk each) as numbered sources.

        hybrid fuses per-paper scores: a convex combination of min-max normalised dense cosine and BM25 score
        (retrieve.fusion = "score", weight retrieve.dense_share), or weighted reciprocal rank fusion ("rrf"). With
        score fusion a which-papers question (or feedback=True) gets pseudo-relevance feedback: the BM25 query gains
        the weightiest words of the first retrieve.feedback_papers papers, and the scores are fused again.
        """
        r = self.settings.retrieve
        k = k or r.k
        fusion = fusion or r.fusion
        self.refresh()
        dense = self.dense(query, r.candidates * (3 if filters else 1), filters)[: r.candidates] if mode != "bm25" else []
        lexical = self.bm25(query, r.candidates, filters) if mode != "dense" else []
        best_chunk: dict[str, str] = {}
        dense_sim = self._per_paper(dense, best_chunk)
        bm25_score = self._per_paper(lexical, best_chunk)
        if mode == "dense":
            fused = dense_sim
        elif mode == "bm25":
            fused = bm25_score
        elif fusion == "rrf":
            fused = _rrf([(r.dense_weight, dense_sim), (r.bm25_weight, bm25_score)], r.rrf_k)
        else:
            fused = _convex([(r.dense_share, dense_sim), (1 - r.dense_share, bm25_score)])
            wanted = feedback if feedback is not None else bool(MULTI_RE.search(query))
            if wanted and r.feedback_papers and fused:
                first = _ranked(fused, dense_sim)[: r.feedback_papers]
                words = feedback_words(query, [self._meta[best_chunk[pid]] for pid, _ in first], self.vocabulary,
                                       r.feedback_words)
                if words:
                    expanded = " ".join([query] * r.feedback_query_weight + words)
                    bm25_score = self._per_paper(self.bm25(expanded, r.candidates, filters), best_chunk)
                    fused = _convex([(r.dense_share, dense_sim), (1 - r.dense_share, bm25_score)])
        ranked = _ranked(fused, dense_sim)[:k]
        if mode == "hybrid" and not MULTI_RE.search(query):  # which papers …: a name there is a topic, not a paper
            ranked = self._named_first(without_examples(query), ranked, best_chunk)  # "such as MCTS": a guess
        sources = []
        for n, (pid, score) in enumerate(ranked, start=1):
            meta = self._meta[best_chunk[pid]]
            sources.append(
                Source(
                    n=n, paper_id=pid, title=meta["title"], abstract=meta["abstract"], text=self._docs[best_chunk[pid]],
                    score=score, dense=dense_sim.get(pid), metadata=public_metadata(meta),
                )
            )
        return sources

    def _named_first(self, query: str, ranked: list[tuple[str, float]],
                     best_chunk: dict[str, str]) -> list[tuple[str, float]]:
        """The one ranked paper that says a rare name of the question ("In Languini, how …") which the first does not
        say, moved first: the question is about it, however many of its other words another paper shares."""
        if len(ranked) < 2:
            return ranked
        text = {pid: f"{self._meta[best_chunk[pid]]['title']} {self._meta[best_chunk[pid]]['abstract']}" for pid, _ in ranked}
        first = text[ranked[0][0]]
        hits = [i for i, (pid, _) in enumerate(ranked[1:], start=1)
                if (said := anchors(query, text[pid], self.vocabulary.count)) and not any(says(first, n) for n in said)]
        return [ranked[hits[0]]] + ranked[: hits[0]] + ranked[hits[0] + 1 :] if len(hits) == 1 else ranked

    def _per_paper(self, hits: list[tuple[str, float]], best_chunk: dict[str, str]) -> dict[str, float]:
        """Each paper's best score among its chunks' hits (hits come best first); remembers the best chunk."""
        out: dict[str, float] = {}
        for cid, score in hits:
            pid = self._meta[cid]["paper_id"]
            if pid not in out:
                out[pid] = score
                best_chunk.setdefault(pid, cid)
        return out

    def sources_for(self, paper_ids: Sequence[str]) -> list[Source]:
        """Papers of the loaded index as numbered sources, in the order given (unknown ids skipped)."""
        first: dict[str, str] = {}
        wanted = set(paper_ids)
        for cid, meta in self._meta.items():
            pid = meta["paper_id"]
            if pid in wanted and (pid not in first or meta.get("chunk_index", 0) < self._meta[first[pid]].get("chunk_index", 0)):
                first[pid] = cid
        out = []
        for pid in dict.fromkeys(paper_ids):
            if pid in first:
                meta = self._meta[first[pid]]
                out.append(Source(n=len(out) + 1, paper_id=pid, title=meta["title"], abstract=meta["abstract"],
                                  text=self._docs[first[pid]], score=0.0, metadata=public_metadata(meta)))
        return out


def _ranked(fused: dict[str, float], dense_sim: dict[str, float]) -> list[tuple[str, float]]:
    """Papers by fused score, ties broken by dense similarity."""
    return sorted(fused.items(), key=lambda kv: (-kv[1], -dense_sim.get(kv[0], -1.0)))


def feedback_words(query: str, papers: Sequence[ChunkMeta], vocabulary: Vocabulary, n: int) -> list[str]:
    """The n weightiest words (summed IDF over the papers' titles and abstracts) whose stems the query does not use."""
    asked = set(terms(query))
    weight: Counter[str] = Counter()
    stem_of: dict[str, str] = {}
    for meta in papers:
        for word in FEEDBACK_WORD_RE.findall(f"{meta['title']} {meta['abstract']}"):
            stems = terms(word)
            if len(stems) == 1 and stems[0] not in asked:
                weight[word.lower()] += vocabulary.idf(stems[0])
                stem_of[word.lower()] = stems[0]
    best: dict[str, str] = {}  # one word per stem, the weightiest first
    for word, _ in weight.most_common():
        best.setdefault(stem_of[word], word)
    return list(best.values())[:n]


def _convex(signals: list[tuple[float, dict[str, float]]]) -> dict[str, float]:
    """Weighted sum of min-max normalised scores (a paper a retriever did not return scores 0 there)."""
    out: dict[str, float] = {}
    for weight, scores in signals:
        if not scores:
            continue
        lo, hi = min(scores.values()), max(scores.values())
        for pid, x in scores.items():
            out[pid] = out.get(pid, 0.0) + weight * ((x - lo) / (hi - lo) if hi > lo else 1.0)
    return out


def _rrf(signals: list[tuple[float, dict[str, float]]], rrf_k: int) -> dict[str, float]:
    """Weighted reciprocal rank fusion of per-paper rankings, divided by its most (first in every ranking scores 1)."""
    out: dict[str, float] = {}
    most = sum(weight for weight, _ in signals) / (rrf_k + 1) or 1.0
    for weight, scores in signals:
        for rank, pid in enumerate(sorted(scores, key=lambda p: -scores[p]), start=1):
            out[pid] = out.get(pid, 0.0) + weight / (rrf_k + rank) / most
    return out


_STEMMER = None


def _stemmer():
    global _STEMMER
    if _STEMMER is None:
        import Stemmer

        _STEMMER = Stemmer.Stemmer("english")
    return _STEMMER


def _build_bm25(ids: list[str], docs: list[str]):
    """A bm25s index over the chunk texts, built like LlamaIndex's BM25Retriever does (English stopwords + stemmer)."""
    import bm25s

    tokens = bm25s.tokenize(docs, stopwords="en", stemmer=_stemmer(), show_progress=False)
    index = bm25s.BM25()
    index.index(tokens, show_progress=False)
    return index
