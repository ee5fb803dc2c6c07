"""A scripted LLM for pure-logic tests: registered through the same door as real backends (Pipeline.build(llm=...))."""

from __future__ import annotations


class ScriptedLLM:
    """Replies with canned text (one reply per call, the last repeats) and records the messages it got."""

    name = "scripted"

    def __init__(self, *replies: str):
        self.replies = list(replies) or [""]
        self.calls: list[list[dict]] = []

    def stream(self, messages, *, temperature, max_tokens):
        self.calls.append(list(messages))
        reply = self.replies[min(len(self.calls) - 1, len(self.replies) - 1)]
        for i in range(0, len(reply), 7):
            yield reply[i : i + 7]
