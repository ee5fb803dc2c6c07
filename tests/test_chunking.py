"""Token-aware chunking on the real corpus."""

from __future__ import annotations

import re

from rag.chunking import chunk_paper, count_tokens
from rag.config import ChunkSettings
from rag.markers import split_sentences


def test_chunks_respect_the_token_budget_and_carry_the_title(corpus_papers):
    cfg = ChunkSettings()
    for p in corpus_papers.values():
        chunks = chunk_paper(p, cfg)
        assert [c.index for c in chunks] == list(range(len(chunks)))
        for c in chunks:
            assert c.text.startswith(p.title + "\n")
            assert c.token_count == count_tokens(c.text) <= cfg.size
            assert c.chunk_id == f"{p.paper_id}#{c.index}" and c.count == len(chunks)


def test_default_chunks_fit_the_embedding_models_window(corpus_papers):
    """The default size keeps every chunk within MiniLM's 256 word pieces, so no text is cut from a vector."""
    from tokenizers import Tokenizer

    from rag.embeddings import minilm_dir
    from rag.onnx_encoder import max_seq_length

    tok = Tokenizer.from_file(str(minilm_dir() / "tokenizer.json"))
    tok.no_padding()
    tok.no_truncation()
    window = max_seq_length(minilm_dir())
    counts = []
    for p in corpus_papers.values():
        chunks = chunk_paper(p, ChunkSettings())
        counts.append(len(chunks))
        assert all(len(tok.encode(c.text).ids) <= window for c in chunks)
    assert window == 256 and max(counts) <= 3


def test_long_abstracts_split_on_sentence_boundaries_with_overlap(corpus_papers):
    cfg = ChunkSettings(size=128, overlap=24)
    split = [p for p in corpus_papers.values() if len(chunk_paper(p, cfg)) > 2]
    assert split
    for p in split[:40]:
        chunks = chunk_paper(p, cfg)
        body = [c.text.split("\n", 1)[1] for c in chunks]
        budget = cfg.size - count_tokens(p.title + "\n")
        for piece in body[:-1]:
            if not re.search(r"[.!?:;)\]\"']$", piece.strip()):  # cut inside a sentence: only one that alone exceeds the budget
                end = p.abstract.index(piece) + len(piece)
                starts = [(p.abstract.index(s), s) for s in split_sentences(p.abstract)]
                sentence = next(s for at, s in starts if at <= end <= at + len(s))
                assert count_tokens(sentence) > budget, piece[-80:]
        # everything of the abstract is covered, in order
        assert body[0] == p.abstract[: len(body[0])]
        assert p.abstract.endswith(body[-1])
