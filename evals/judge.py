"""Support judges for the eval: the project's own scorer (default) or an LLM judge (Ollama / OpenAI-compatible)."""

from __future__ import annotations

from typing import Sequence

from rag import prompts
from rag.types import Source


class ScorerJudge:
    """The citation checker's support test (embedding similarity + numbers + names), one abstract at a time."""

    name = "scorer"

    def __init__(self, checker):
        self.checker = checker

    def supports(self, claim: str, source: Source) -> bool:
        """Does this abstract support the claim?"""
        return self.checker.supports(claim, source)[0]


class LLMJudge:
    """Asks an LLM backend (`--judge llm --judge-backend ollama|openai --judge-model M`) yes or no."""

    def __init__(self, llm):
        self.llm = llm
        self.name = f"llm:{llm.name}"
        self._cache: dict[tuple[str, str], bool] = {}

    def supports(self, claim: str, source: Source) -> bool:
        """Does this abstract support the claim, according to the LLM?"""
        key = (claim, source.paper_id)
        if key not in self._cache:
            msg = prompts.load("judge").format(abstract=source.abstract, claim=claim)
            out = "".join(self.llm.stream([{"role": "user", "content": msg}], temperature=0.0, max_tokens=3))
            self._cache[key] = out.strip().lower().startswith("yes")
        return self._cache[key]


def supported_by_any(judge, claim: str, sources: Sequence[Source]) -> bool:
    """ALCE's 'the cited passages together entail the claim', approximated as 'one of them does'."""
    return any(judge.supports(claim, s) for s in sources)
