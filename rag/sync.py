"""The ingest algorithm: diff the seeds against the index, embed only what changed, never lose data on bad input."""

from __future__ import annotations

import sys
import time
from dataclasses import asdict, dataclass, field, replace
from typing import Any, Callable

from .chunking import chunk_paper
from .config import Settings
from .embeddings import Embedder, get_embedder
from .errors import RagError
from .lock import ingest_lock
from .seeds import ParseResult, load_seeds
from .schema import chunk_metadata
from .store import Store
from .types import Chunk, Paper

EMBED_BATCH = 128


@dataclass
class IndexedPaper:
    """What the index holds for one paper."""

    ids: set[str] = field(default_factory=set)
    content_hashes: set[str] = field(default_factory=set)
    meta_hashes: set[str] = field(default_factory=set)
    counts: set[int] = field(default_factory=set)
    seed_files: set[str] = field(default_factory=set)

    def complete(self, paper_id: str, content_hash: str) -> bool:
        """True when every chunk is present, once, and made from this content."""
        if self.content_hashes != {content_hash} or len(self.counts) != 1:
            return False
        return self.ids == {f"{paper_id}#{i}" for i in range(next(iter(self.counts)))}


def index_state(store: Store) -> dict[str, IndexedPaper]:
    """Group the stored chunks by paper."""
    state: dict[str, IndexedPaper] = {}
    for cid, meta, _ in store.iter_metadata():
        p = state.setdefault(meta.get("paper_id", cid.rsplit("#", 1)[0]), IndexedPaper())
        p.ids.add(cid)
        p.content_hashes.add(meta.get("content_hash", ""))
        p.meta_hashes.add(meta.get("meta_hash", ""))
        p.counts.add(int(meta.get("chunk_count", -1)))
        p.seed_files.update(meta.get("seed_files") or [])
    return state


def _progress(total: int, enabled: bool):
    if not enabled or total == 0:
        return None
    from tqdm import tqdm

    return tqdm(total=total, unit="chunk", desc="embedding", file=sys.stderr, leave=False)


@dataclass(frozen=True)
class SyncSummary:
    """What one ingest did; `to_dict()` is the JSON `ingest.py --json` prints."""

    papers: int
    listings: int
    files: int
    added: int
    updated: int
    metadata_updated: int
    removed: int
    unchanged: int
    kept_from_failed_files: int
    embedded_chunks: int
    chunks: int
    seconds: float = 0.0
    encoder_seconds: float = 0.0  # of seconds: loading the embedding model and embedding
    failed_files: tuple[dict[str, Any], ...] = ()
    collection: str = ""
    index: str = ""

    def to_dict(self) -> dict[str, Any]:
        """The summary as plain JSON-able values."""
        out = asdict(self)
        out["failed_files"] = list(self.failed_files)
        return out


@dataclass
class Plan:
    """What an ingest must do, decided before anything is written."""

    expected: dict[str, Paper]
    to_embed: list[tuple[Paper, str]]  # (paper, "added" | "updated")
    meta_only: list[Paper]
    unchanged: int
    kept_failed: list[str]
    removed: list[str]


def sync(
    settings: Settings,
    *,
    rebuild: bool = False,
    embedder: Embedder | None = None,
    progress: bool = False,
    wait: float = 0.0,
    log: Callable[[str], None] = lambda _msg: None,
    on_progress: Callable[[int, int], None] | None = None,
) -> SyncSummary:
    """Bring the index in line with the seeds; returns what it did."""
    t0 = time.perf_counter()
    with ingest_lock(settings.data_dir, wait):
        if not settings.seeds_dir.is_dir():
            raise RagError(f"seeds folder {settings.seeds_dir} does not exist: pass --seeds DIR")
        parsed = load_seeds(settings.seeds_dir)
        for err in parsed.errors:
            log(f"error: {err} (skipped; papers already indexed from it are kept)")
        if not parsed.files and not parsed.errors:
            raise RagError(f"no seed files (*.txt) in {settings.seeds_dir}: nothing to ingest (the index was left as it is)")
        store = Store(settings)
        if rebuild:
            store.drop()
            store = Store(settings)
        state = index_state(store)
        plan = _plan(parsed, state)
        embedded, encoder_seconds = _write(store, plan, state, settings, embedder, progress, on_progress)
        summary = SyncSummary(
            papers=len(plan.expected) + len(plan.kept_failed), listings=parsed.listings, files=len(parsed.files),
            added=sum(1 for _, why in plan.to_embed if why == "added"),
            updated=sum(1 for _, why in plan.to_embed if why == "updated"),
            metadata_updated=len(plan.meta_only), removed=len(plan.removed), unchanged=plan.unchanged,
            kept_from_failed_files=len(plan.kept_failed), embedded_chunks=embedded, chunks=store.count(),
            seconds=round(time.perf_counter() - t0, 3), encoder_seconds=round(encoder_seconds, 3),
            failed_files=tuple({"file": e.path, "line": e.line, "error": e.reason} for e in parsed.errors),
            collection=store.name, index=store.where(),
        )
        store.mark_synced(summary.papers, summary.chunks)
        return summary


def _expected(parsed: ParseResult, state: dict[str, IndexedPaper]) -> dict[str, Paper]:
    """Papers the index should hold: parsed ones, plus indexed ones whose seed file failed to parse this time."""
    failed = parsed.failed_files
    papers = dict(parsed.papers)
    for pid, paper in papers.items():  # keep memberships in files that could not be read this time
        keep = state[pid].seed_files & failed if pid in state else set()
        if keep:
            papers[pid] = replace(paper, seed_files=tuple(sorted(set(paper.seed_files) | keep)))
    return papers


def _plan(parsed: ParseResult, state: dict[str, IndexedPaper]) -> Plan:
    """Sort every paper into: embed (new or changed text), update metadata only, unchanged, keep, remove."""
    expected = _expected(parsed, state)
    failed = parsed.failed_files
    to_embed: list[tuple[Paper, str]] = []
    meta_only: list[Paper] = []
    unchanged = 0
    for pid, paper in expected.items():
        have = state.get(pid)
        if have is None:
            to_embed.append((paper, "added"))
        elif not have.complete(pid, paper.content_hash):
            to_embed.append((paper, "updated"))
        elif have.meta_hashes != {paper.meta_hash}:
            meta_only.append(paper)
        else:
            unchanged += 1
    kept_failed = [pid for pid, have in state.items() if pid not in expected and have.seed_files & failed]
    removed = [pid for pid, have in state.items() if pid not in expected and not have.seed_files & failed]
    return Plan(expected, to_embed, meta_only, unchanged, kept_failed, removed)


def _write(
    store: Store, plan: Plan, state: dict[str, IndexedPaper], settings: Settings, embedder: Embedder | None,
    progress: bool, on_progress: Callable[[int, int], None] | None = None,
) -> tuple[int, float]:
    """Carry out the plan: embed and upsert first, then delete what the new chunks replace.

    Returns the chunks embedded and the seconds spent loading the embedding model and embedding."""
    chunks_by_paper = {p.paper_id: chunk_paper(p, settings.chunk) for p, _ in plan.to_embed}
    all_chunks = [c for cs in chunks_by_paper.values() for c in cs]
    encoder_seconds = 0.0
    if all_chunks:
        t0 = time.perf_counter()
        embedder = embedder or get_embedder(settings.embed)
        encoder_seconds = time.perf_counter() - t0
        encoder_seconds += _embed_and_upsert(store, all_chunks, {p.paper_id: p for p, _ in plan.to_embed}, embedder,
                                             progress, on_progress)
    # Only after the new chunks are in: drop stale chunks of re-embedded papers, then removed papers.
    stale = [cid for pid, cs in chunks_by_paper.items() if pid in state for cid in state[pid].ids - {c.chunk_id for c in cs}]
    store.delete(stale + [cid for pid in plan.removed for cid in state[pid].ids])
    if plan.meta_only:
        pairs = [(c.chunk_id, chunk_metadata(p, c)) for p in plan.meta_only for c in chunk_paper(p, settings.chunk)]
        store.update_metadata([i for i, _ in pairs], [m for _, m in pairs])
    return len(all_chunks), encoder_seconds


def _embed_and_upsert(store: Store, chunks: list[Chunk], papers: dict[str, Paper], embedder: Embedder, progress: bool,
                      on_progress: Callable[[int, int], None] | None) -> float:
    """Embed in length-sorted batches (less padding) and upsert each batch as it is done; returns seconds embedding."""
    bar = _progress(len(chunks), progress)
    spent = 0.0
    chunks = sorted(chunks, key=lambda c: len(c.text))
    for i in range(0, len(chunks), EMBED_BATCH):
        batch = chunks[i : i + EMBED_BATCH]
        t0 = time.perf_counter()
        vectors = embedder.embed([c.text for c in batch])
        spent += time.perf_counter() - t0
        store.upsert([c.chunk_id for c in batch], vectors, [c.text for c in batch], [chunk_metadata(papers[c.paper_id], c) for c in batch])
        if bar is not None:
            bar.update(len(batch))
        if on_progress is not None:
            on_progress(min(i + EMBED_BATCH, len(chunks)), len(chunks))
    if bar is not None:
        bar.close()
    return spent


def verify(settings: Settings) -> list[str]:
    """Problems that make the index differ from what the seeds say it should hold (empty list = exact)."""
    store = Store(settings, create=False)
    state = index_state(store)
    parsed = load_seeds(settings.seeds_dir)
    expected = _expected(parsed, state)
    problems = []
    for pid, paper in expected.items():
        have = state.get(pid)
        if have is None:
            problems.append(f"missing paper {pid}")
        elif not have.complete(pid, paper.content_hash):
            problems.append(f"paper {pid} has stale or missing chunks: {sorted(have.ids)}")
        elif have.meta_hashes != {paper.meta_hash}:
            problems.append(f"paper {pid} has stale metadata")
    failed = parsed.failed_files
    problems += [f"orphan paper {pid}" for pid, have in state.items() if pid not in expected and not have.seed_files & failed]
    return problems
