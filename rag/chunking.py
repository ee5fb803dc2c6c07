"""Token-aware chunking: tiktoken counts, LlamaIndex's SentenceSplitter cuts on sentence boundaries."""

from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path
from typing import Callable

from .config import ChunkSettings
from .types import Chunk, Paper

ENCODING = "cl100k_base"


def use_shipped_tiktoken_cache() -> None:
    """Point tiktoken (and nltk) at the files shipped inside llama-index-core, so nothing is downloaded."""
    import importlib.util

    spec = importlib.util.find_spec("llama_index.core")
    if spec is None or spec.origin is None:
        return
    static = Path(spec.origin).parent / "_static"
    os.environ.setdefault("TIKTOKEN_CACHE_DIR", str(static / "tiktoken_cache"))
    os.environ.setdefault("NLTK_DATA", str(static / "nltk_cache"))


@lru_cache(maxsize=1)
def tokenizer() -> Callable[[str], list[int]]:
    """The tiktoken encoder used for every token count in the project."""
    use_shipped_tiktoken_cache()
    import tiktoken

    return tiktoken.get_encoding(ENCODING).encode


def count_tokens(text: str) -> int:
    """Number of cl100k_base tokens in text."""
    return len(tokenizer()(text))


@lru_cache(maxsize=4)
def _splitter(size: int, overlap: int):
    from llama_index.core.node_parser import SentenceSplitter

    return SentenceSplitter(chunk_size=size, chunk_overlap=overlap, tokenizer=tokenizer())


def chunk_paper(paper: Paper, settings: ChunkSettings) -> list[Chunk]:
    """Split one paper into chunks of at most settings.size tokens, each starting with the paper's title."""
    head = paper.title + "\n"
    if count_tokens(head + paper.abstract) <= settings.size:
        pieces = [paper.abstract]
    else:  # the splitter subtracts the title's tokens from each chunk's budget
        pieces = _splitter(settings.size, settings.overlap).split_text_metadata_aware(paper.abstract, head)
    return [
        Chunk(
            chunk_id=f"{paper.paper_id}#{i}",
            paper_id=paper.paper_id,
            index=i,
            count=len(pieces),
            text=head + piece,
            token_count=count_tokens(head + piece),
        )
        for i, piece in enumerate(pieces)
    ]
