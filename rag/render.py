"""Rendering answers for people: chat Markdown, the sources panel (HTML), Markdown and BibTeX exports. All escaped."""

from __future__ import annotations

import html
import re
from typing import Any

from .types import Answer


def escape_md(text: str) -> str:
    """Text shown as text: HTML escaped and Markdown link/image syntax neutralised."""
    text = html.escape(text, quote=False)
    return re.sub(r"([\[\]()!`*_])", r"\\\1", text)


def answer_markdown(answer: Answer) -> str:
    """The checked answer for the chat: escaped text, [n] markers linking to the sources panel."""
    if answer.refused:
        body = f"*{escape_md(answer.text)}*"
        if answer.unsupported:
            body += f"\n\n<small>The model's draft was not supported by the sources ({len(answer.unsupported)} sentence(s) removed).</small>"
        return body
    body = escape_md(answer.text)
    body = re.sub(r"\\\[(\d+)\\\]", lambda m: f"[[{m.group(1)}]](#src-{m.group(1)})", body)
    notes = []
    if answer.unsupported:
        notes.append(f"{len(answer.unsupported)} sentence(s) removed: not supported by the sources")
    if answer.interrupted:
        notes.append("the answer was interrupted; this is only the part received")
    if notes:
        body += "\n\n<small>⚠️ " + "; ".join(notes) + "</small>"
    return body


def _highlight(abstract: str, evidence: str | None) -> str:
    if evidence and evidence in abstract:
        a, _, b = abstract.partition(evidence)
        return f"{html.escape(a)}<mark>{html.escape(evidence)}</mark>{html.escape(b)}"
    return html.escape(abstract)


def _meta_line(meta: dict[str, Any]) -> str:
    bits = []
    if meta.get("date_text"):
        bits.append(meta["date_text"])
    if meta.get("authors"):
        bits.append(f"{meta['authors']} authors")
    if meta.get("organization"):
        bits.append(meta["organization"])
    if meta.get("upvotes"):
        bits.append(f"{meta['upvotes']} upvotes")
    return " · ".join(html.escape(str(b)) for b in bits)


def sources_html(answer: Answer | None) -> str:
    """HTML cards for the answer's sources (escaped)."""
    if answer is None:
        return "<div class='srcs sources-empty'>Sources of the answer appear here.</div>"
    cited = {}
    for c in answer.citations:
        cited.setdefault(c.n, c)
    cards = []
    ordered = sorted(answer.sources, key=lambda s: (s.n not in cited, s.n))
    for s in ordered:
        c = cited.get(s.n)
        badge = "<span class='badge ok'>cited · verified</span>" if c else "<span class='badge'>retrieved, not cited</span>"
        if c and c.moved_from:
            badge += f" <span class='badge moved'>moved here from [{c.moved_from}]</span>"
        abstract = f"<div class='src-abstract'>{_highlight(s.abstract, c.evidence if c else None)}</div>"
        if not c:  # retrieved but not cited: folded away
            abstract = f"<details><summary>abstract</summary>{abstract}</details>"
        cards.append(
            f"<div class='src' id='src-{s.n}'><div class='src-title'>[{s.n}] {html.escape(s.title)}</div>"
            f"<div class='src-meta'>{_meta_line(s.metadata)} {badge} <code>{html.escape(s.paper_id)}</code></div>"
            f"{abstract}</div>"
        )
    rejected = "".join(
        f"<li>✗ not verified: “{html.escape(c.sentence)}” (cited [{c.n}])</li>" for c in answer.rejected
    ) or "".join(f"<li>✗ not verified: “{html.escape(u)}”</li>" for u in answer.unsupported)
    if rejected:
        cards.append(f"<div class='src unverified'><div class='src-title'>Removed from the answer</div><ul>{rejected}</ul></div>")
    head = "<div class='refused'>Refused: no source supports an answer.</div>" if answer.refused else ""
    return "<div class='srcs'>" + head + "".join(cards) + "</div>"


def export_markdown(answer: Answer | None) -> str:
    """The answer as Markdown with its numbered reference list."""
    if answer is None:
        return ""
    lines = [f"**Q:** {answer.question}", "", answer.text, ""]
    cited = sorted({c.n for c in answer.citations})
    if cited:
        lines.append("**References**")
        lines.append("")
        for s in answer.sources:
            if s.n in cited:
                date = f" ({s.metadata['date_text']})" if s.metadata.get("date_text") else ""
                lines.append(f"[{s.n}] {s.title}{date}. paperchat id: `{s.paper_id}`")
    return "\n".join(lines).strip() + "\n"


def export_bibtex(answer: Answer | None) -> str:
    """BibTeX-like entries for the cited papers."""
    if answer is None:
        return ""
    out = []
    cited = {c.n for c in answer.citations}
    for s in answer.sources:
        if s.n not in cited:
            continue
        fields = [f"  title = {{{s.title}}}", "  howpublished = {paperchat corpus}",
                  f"  note = {{seed files: {', '.join(s.metadata.get('seed_files', []))}}}"]
        if s.metadata.get("date"):
            fields.insert(1, f"  year = {{{s.metadata['date'][:4]}}}")
        out.append("@misc{" + s.paper_id + ",\n" + ",\n".join(fields) + "\n}")
    return "\n\n".join(out) + ("\n" if out else "")
