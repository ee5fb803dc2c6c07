"""Shared fixtures: real Chroma in temp dirs, the real MiniLM embedder, small seed dumps built from real papers."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from rag.config import Settings, load_settings
from rag.seeds import load_seeds
from rag.types import Paper

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"


class CountingEmbedder:
    """The real embedder, counting the texts it is asked to embed."""

    def __init__(self, inner):
        self.inner, self.name, self.calls, self.texts = inner, inner.name, 0, []

    def embed(self, texts):
        self.calls += 1
        self.texts.extend(texts)
        return self.inner.embed(texts)


@pytest.fixture(scope="session")
def real_embedder():
    from rag.config import EmbedSettings
    from rag.embeddings import get_embedder

    return get_embedder(EmbedSettings())


@pytest.fixture
def counting_embedder(real_embedder):
    return CountingEmbedder(real_embedder)


@pytest.fixture(scope="session")
def corpus_papers() -> dict[str, Paper]:
    return load_seeds(SEEDS).papers


def write_compact(path: Path, papers: list[Paper]) -> Path:
    """A dump in the one-line-title, one-line-abstract layout (with its page furniture)."""
    lines = ["Get trending papers in your email inbox once a day!", "Get trending papers in your email inbox!"]
    for i, p in enumerate(papers):
        lines += [("Subscribe" if i == 0 else "") + p.title, p.abstract]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def write_blocks(path: Path, papers: list[Paper], meta: bool = True) -> Path:
    """A dump in the blank-line-separated layout, with metadata blocks where the paper has them."""
    blocks = ["new", "Get trending papers in your email inbox!", "Subscribe", "byAK and the research community", "Mar 11"]
    for p in papers:
        blocks += [p.title, p.abstract]
        if meta and (p.authors or p.organization):
            who = f"  • {p.authors} authors" if p.authors else p.organization
            when = (p.date_text or "Jan 1") + (f" {p.upvotes}" if p.upvotes else "")
            blocks.append(f"{who}\n·\n{when}")
    path.write_text("\n\n".join(blocks) + "\n", encoding="utf-8")
    return path


@pytest.fixture
def make_settings(tmp_path):
    def _make(seeds: Path, **overrides) -> Settings:
        return load_settings(data_dir=str(tmp_path / "data"), seeds_dir=str(seeds), **overrides)

    return _make


def run_ingest(*args: str, timeout: float = 900):
    """Run `python ingest.py ARGS` the way a user does."""
    import subprocess
    import sys

    return subprocess.run(
        [sys.executable, str(ROOT / "ingest.py"), *args], capture_output=True, text=True, timeout=timeout, cwd=ROOT
    )


def last_json(stdout: str) -> dict:
    import json

    return json.loads(stdout.strip().splitlines()[-1])


@pytest.fixture(scope="session")
def corpus_ingest(tmp_path_factory) -> tuple[Settings, dict]:
    """The whole shipped corpus ingested once per test session with `python ingest.py --json` into a temp dir."""
    data = tmp_path_factory.mktemp("corpus")
    seeds = data / "seeds"
    shutil.copytree(SEEDS, seeds)
    proc = run_ingest("--seeds", str(seeds), "--data-dir", str(data / "data"), "--json")
    assert proc.returncode == 0, proc.stderr[-2000:]
    return load_settings(data_dir=str(data / "data"), seeds_dir=str(seeds)), last_json(proc.stdout)


@pytest.fixture(scope="session")
def corpus_settings(corpus_ingest) -> Settings:
    return corpus_ingest[0]


# Papers the fast tests name, plus a fixed slice of the rest: enough for retrieval to have competitors.
SLICE_NAMED = (
    "reducing-activation-recomputation-in-large-trans-d90bd815",
    "routerbench-a-benchmark-for-multi-llm-67bb6300",
    "self-expanding-convolutional-neural-networks-8e46a6d8",
    "longcat-flash-technical-report-236bbd18",
)
SLICE_SIZE = 60


@pytest.fixture(scope="session")
def slice_settings(tmp_path_factory, corpus_papers, real_embedder) -> Settings:
    """A 60-paper slice of the corpus indexed in-process (real Chroma, real MiniLM): the fast tier's index."""
    from rag.sync import sync

    root = tmp_path_factory.mktemp("slice")
    (root / "seeds").mkdir()
    rest = [corpus_papers[pid] for pid in sorted(corpus_papers) if pid not in SLICE_NAMED]
    write_compact(root / "seeds" / "slice.txt", [corpus_papers[pid] for pid in SLICE_NAMED] + rest[: SLICE_SIZE - len(SLICE_NAMED)])
    settings = load_settings(data_dir=str(root / "data"), seeds_dir=str(root / "seeds"))
    sync(settings, embedder=real_embedder)
    return settings


@pytest.fixture(scope="session")
def retriever(slice_settings, real_embedder):
    """The hybrid retriever over the slice index, shared by the fast tests."""
    from rag.retrieve import HybridRetriever

    return HybridRetriever(slice_settings, embedder=real_embedder)
