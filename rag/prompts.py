"""Prompts live in prompts/*.txt; this module loads them, checks their placeholders and renders them."""

from __future__ import annotations

import string
from functools import lru_cache
from pathlib import Path
from typing import Sequence

from .errors import PromptError
from .types import Evidence

PROMPT_DIR = Path(__file__).resolve().parent / "prompts"  # inside the package, so an installed wheel has them

# Each prompt file and exactly the placeholders it must contain.
PLACEHOLDERS: dict[str, set[str]] = {
    "refusal": set(),
    "smalltalk": set(),
    "answer_system": {"refusal"},
    "answer_example_user": set(),
    "answer_example_assistant": set(),
    "answer_user": {"evidence", "question"},
    "source": {"n", "title", "text"},
    "condense_system": set(),
    "condense_example_user": set(),
    "condense_example_assistant": set(),
    "condense_user": {"history", "question"},
    "judge": {"abstract", "claim"},
}


def _fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


@lru_cache(maxsize=None)
def load(name: str, directory: Path = PROMPT_DIR) -> str:
    """Read prompts/<name>.txt and check it has exactly the expected placeholders."""
    path = directory / f"{name}.txt"
    try:
        text = path.read_text(encoding="utf-8").strip()
    except OSError as exc:
        raise PromptError(f"prompt file {path} is missing: restore it from git") from exc
    try:
        found = _fields(text)
    except ValueError as exc:
        raise PromptError(f"prompt file {path} has a broken placeholder: {exc}") from exc
    expected = PLACEHOLDERS.get(name, found)
    if found != expected:
        raise PromptError(
            f"prompt file {path} must use placeholders {sorted(expected)}; found {sorted(found)}"
        )
    return text


def check_all(directory: Path = PROMPT_DIR) -> None:
    """Load every prompt once (fail fast at start-up)."""
    for name in PLACEHOLDERS:
        load(name, directory)


def refusal() -> str:
    """The fixed refusal sentence shared by the prompt, the answer checker and the evals."""
    return load("refusal")


def smalltalk() -> str:
    """What the chat says to "thanks!" or "hi": what it can be asked."""
    return load("smalltalk")


def render_evidence(evidence: Sequence[Evidence]) -> str:
    """Numbered evidence blocks for the answer prompt: each paper's title, then its selected sentences."""
    tmpl = load("source")
    blocks: dict[int, list[Evidence]] = {}
    for e in evidence:
        blocks.setdefault(e.n, []).append(e)
    return "\n\n".join(
        tmpl.format(n=n, title=items[0].title, text="\n".join(f"- {e.sentence}" for e in items)) for n, items in sorted(blocks.items())
    )


def answer_messages(question: str, evidence_block: str) -> list[dict[str, str]]:
    """Chat messages for answering: a fixed prefix (rules + one worked example; its KV cache is reused), then the task."""
    return [
        {"role": "system", "content": load("answer_system").format(refusal=refusal())},
        {"role": "user", "content": load("answer_example_user")},
        {"role": "assistant", "content": load("answer_example_assistant")},
        {"role": "user", "content": load("answer_user").format(evidence=evidence_block, question=question)},
    ]


def condense_messages(history: Sequence[dict[str, str]], question: str) -> list[dict[str, str]]:
    """Chat messages that turn a follow-up into a standalone question."""
    lines = [f"{'User' if m['role'] == 'user' else 'Assistant'}: {m['content']}" for m in history]
    return [
        {"role": "system", "content": load("condense_system")},
        {"role": "user", "content": load("condense_example_user")},
        {"role": "assistant", "content": load("condense_example_assistant")},
        {"role": "user", "content": load("condense_user").format(history="\n".join(lines), question=question)},
    ]


def prompt_hashes() -> dict[str, str]:
    """sha256 (12 hex) of each prompt file, stamped into eval results."""
    import hashlib

    return {name: hashlib.sha256(load(name).encode()).hexdigest()[:12] for name in PLACEHOLDERS}
