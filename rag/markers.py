"""The answer's text format: citation markers, sentences, and the refusal sentence.

One definition, shared by the citation checker and the evals, so the two cannot drift apart.
"""

from __future__ import annotations

import re

MARKER_RE = re.compile(r"\[\s*(?:(?:sources?|src|refs?)\s*)?(\d+(?:\s*(?:[,;&-]|and)\s*\d+)*)\s*\]", re.IGNORECASE)
CHUNK_UNIT_END_RE = re.compile(r"(?:(?<=[.!?])|(?<=[.!?][”\"']))\s+(?=[A-Z0-9\"'(\[“])")  # where chunks may end: kept
# as the indexes were built (a change would change their vectors under the same collection name)
SENTENCE_END_RE = re.compile(r"(?:(?<=[.!?])|(?<=[.!?][”\"']))(?<!\be\.g\.)(?<!\bi\.e\.)(?<!\bet al\.)(?<!\bvs\.)(?<!\bcf\.)"
                             r"\s+(?=[A-Z0-9\"'(\[“])")  # not after "e.g." ("(e.g. Llama 3)"), "et al.", "vs."
REFLIST_RE = re.compile(r"^\s*(?:sources|references|citations)\s*:?\s*$", re.IGNORECASE)
# A marker used as a noun ("the laws are [2] and [4]") follows one of these words.
NOUN_MARKER_RE = re.compile(r"\b(?:is|are|was|were|in|by|from|and|or|of|see|like|include|includes|including|as|namely|"
                            r"e\.g\.,?|i\.e\.,?|such as|between|both|versus|vs\.?|called|named|:)\s*$", re.I)


def parse_markers(text: str, k: int) -> list[int]:
    """All citation numbers in text, in order, deduplicated; numbers outside 1..k are dropped."""
    out: list[int] = []
    for m in MARKER_RE.finditer(text):
        for n in marker_numbers(m.group(1)):
            if 1 <= n <= k and n not in out:
                out.append(n)
    return out


def marker_numbers(group: str) -> list[int]:
    """The numbers a marker's inside names: "1, 3", "1-3", "2 and 4"."""
    nums: list[int] = []
    for part in re.split(r"\s*(?:[,;&]|and)\s*", group):
        if "-" in part:
            a, _, b = part.partition("-")
            if a.strip().isdigit() and b.strip().isdigit() and 0 <= int(b) - int(a) <= 10:
                nums.extend(range(int(a), int(b) + 1))
        elif part.strip().isdigit():
            nums.append(int(part))
    return nums


def strip_markers(text: str) -> str:
    """Text with citation markers removed and whitespace tidied."""
    text = MARKER_RE.sub("", text)
    text = re.sub(r"\s+([.,;:!?])", r"\1", text)
    return " ".join(text.split())


def name_markers(text: str, titles: dict[int, str]) -> str:
    """Markers used as nouns ("the laws are [2] and [4]") become the cited papers' titles, keeping the marker."""
    out, last = [], 0
    for m in MARKER_RE.finditer(text):
        nums = [n for n in marker_numbers(m.group(1)) if n in titles]
        out.append(text[last : m.start()])
        if nums and NOUN_MARKER_RE.search(text[: m.start()]):
            out.append(" and ".join(f"“{titles[n]}” [{n}]" for n in nums))
        else:
            out.append(m.group(0))
        last = m.end()
    out.append(text[last:])
    return "".join(out)


def split_sentences(text: str) -> list[str]:
    """Split prose into sentences; markers written after the full stop stay with their sentence."""
    text = re.sub(r"([.!?][”\"']?)((?:\s*\[[^\]\n]{1,40}\])+)", lambda m: m.group(2) + m.group(1), text)
    out: list[str] = []
    for para in re.split(r"\n+", text):
        if REFLIST_RE.match(para):
            break  # a reference list the model wrote itself; ours is rendered from the sources
        out.extend(s.strip() for s in SENTENCE_END_RE.split(para) if s.strip())
    return out


def abstract_sentences(abstract: str) -> list[str]:
    """An abstract's sentences as the checker and the selector read them (fragments of 3 characters or fewer dropped)."""
    return [s for s in split_sentences(abstract) if len(s) > 3] or [abstract]


def claims(text: str, refusal: str) -> list[str]:
    """The claim sentences of an answer (markers kept): not fragments, not the refusal sentence."""
    return [s for s in split_sentences(text) if len(re.findall(r"\w+", strip_markers(s))) >= 2 and not is_refusal(strip_markers(s), refusal)]


def _norm(text: str) -> str:
    return " ".join(re.findall(r"\w+", text.lower()))


def is_refusal(text: str, refusal: str) -> bool:
    """The text is (or merely wraps) the refusal sentence."""
    c, r = _norm(text), _norm(refusal)
    return c == r or (r in c and len(c) < len(r) + 40)
