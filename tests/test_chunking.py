"""Token-aware chunking on the real corpus."""

from __future__ import annotations

import re

from rag.chunking import chunk_paper, count_tokens
from rag.config import ChunkSettings


def test_chunks_respect_the_token_budget_and_carry_the_title(corpus_papers):
    cfg = ChunkSettings()
    for p in corpus_papers.values():
        chunks = chunk_paper(p, cfg)
        assert [c.index for c in chunks] == list(range(len(chunks)))
        for c in chunks:
            assert c.text.startswith(p.title + "\n")
            assert c.token_count == count_tokens(c.text) <= cfg.size
            assert c.chunk_id == f"{p.paper_id}#{c.index}" and c.count == len(chunks)


def test_most_abstracts_fit_in_one_chunk(corpus_papers):
    counts = [len(chunk_paper(p, ChunkSettings())) for p in corpus_papers.values()]
    assert sum(n == 1 for n in counts) / len(counts) > 0.6
    assert max(counts) <= 3


def test_long_abstracts_split_on_sentence_boundaries_with_overlap(corpus_papers):
    cfg = ChunkSettings(size=128, overlap=24)
    split = [p for p in corpus_papers.values() if len(chunk_paper(p, cfg)) > 2]
    assert split
    for p in split[:40]:
        chunks = chunk_paper(p, cfg)
        body = [c.text.split("\n", 1)[1] for c in chunks]
        for piece in body[:-1]:
            assert re.search(r"[.!?:;)\]\"']$", piece.strip()), piece[-80:]
        # everything of the abstract is covered, in order
        assert body[0] == p.abstract[: len(body[0])]
        assert p.abstract.endswith(body[-1])
