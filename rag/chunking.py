"""Token-aware chunking: tiktoken counts; chunks of whole sentences, sized to fit the embedding model's window."""

from __future__ import annotations

import os
import re
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


Span = tuple[int, int, int]  # start, end (characters of the abstract), tokens


def _units(text: str, budget: int) -> list[Span]:
    """Sentences of text as spans with their token counts; a sentence longer than budget is cut between words."""
    from .markers import CHUNK_UNIT_END_RE

    bounds, start = [], 0
    for m in CHUNK_UNIT_END_RE.finditer(text):
        bounds.append((start, m.start()))
        start = m.end()
    bounds.append((start, len(text)))
    units: list[Span] = []
    for a, b in bounds:
        n = count_tokens(text[a:b])
        if n <= budget:
            units.append((a, b, n))
            continue
        piece_start, used = a, 0
        for w in re.finditer(r"\S+\s*", text[a:b]):
            wt = count_tokens(w.group(0))
            if used and used + wt > budget:
                units.append((piece_start, a + w.start(), used))
                piece_start, used = a + w.start(), 0
            used += wt
        units.append((piece_start, b, used))
    return [u for u in units if text[u[0] : u[1]].strip()]


def _pack(text: str, budget: int, overlap: int) -> list[str]:
    """Greedy chunks of whole units (sentences) within budget tokens; each next chunk repeats up to overlap tokens."""
    units, pieces, i = _units(text, budget), [], 0
    while i < len(units):
        j, used = i, 0
        while j < len(units) and (j == i or used + units[j][2] <= budget):
            used += units[j][2]
            j += 1
        while j - i > 1 and count_tokens(text[units[i][0] : units[j - 1][1]]) > budget:  # joins can add a token
            j -= 1
        pieces.append(text[units[i][0] : units[j - 1][1]].strip())
        if j == len(units):
            break
        k, carried = j, 0
        while k - 1 > i and carried + units[k - 1][2] <= overlap:
            k -= 1
            carried += units[k][2]
        i = k
    return pieces


def chunk_paper(paper: Paper, settings: ChunkSettings) -> list[Chunk]:
    """Split one paper into chunks of at most settings.size tokens (sentence boundaries), each starting with the title."""
    head = paper.title + "\n"
    if count_tokens(head + paper.abstract) <= settings.size:
        pieces = [paper.abstract]
    else:
        pieces = _pack(paper.abstract, max(8, settings.size - count_tokens(head)), settings.overlap)
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
