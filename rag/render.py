"""Rendering answers for people: chat Markdown, the sources panel (HTML), Markdown and BibTeX exports. All escaped."""

from __future__ import annotations

import html
import re
from typing import Any, Sequence

from .types import Answer


def escape_md(text: str) -> str:
    """Text shown as text: HTML escaped and Markdown link/image syntax neutralised."""
    text = html.escape(text, quote=False)
    return re.sub(r"([\[\]()!`*_])", r"\\\1", text)


def _linked(text: str) -> str:
    """Escaped text whose [n] markers link to the source cards."""
    return re.sub(r"\\\[(\d+)\\\]", lambda m: f"[[{m.group(1)}]](#src-{m.group(1)})", escape_md(text))


CLOSEST = "Closest evidence (not confirmed to answer the question):"  # over a refusal: for about half of the answerable
# dev questions the gate refuses these quotes hold the answer; for a near-miss they hold a neighbouring detail


def evidence_markdown(answer: Answer) -> str:
    """The evidence sentences under an answer, quoted with their [n] (for a refusal: the closest the corpus comes)."""
    if not answer.evidence:
        return ""
    head = CLOSEST if answer.refused else "Evidence:"
    return f"\n\n<small>{head}</small>\n\n" + "\n>\n".join(f"> {_linked(f'[{e.n}] “{e.sentence}”')}" for e in answer.evidence)


def answer_markdown(answer: Answer) -> str:
    """The answer for the chat: escaped text, [n] markers linking to the sources panel, the evidence quoted below."""
    if answer.refused:
        body = f"*{escape_md(answer.text)}*"
        if answer.refusal_reason.startswith("gate:"):
            body += f" <small>({escape_md(answer.refusal_reason[5:].strip())})</small>"
        return body + evidence_markdown(answer)
    body = "\n\n".join(_linked(line) for line in answer.text.split("\n"))
    if answer.mode == "extractive":
        body = "<small>Quoted from the abstracts:</small>\n\n" + body
    notes = []
    if answer.unsupported:
        notes.append(f"{len(answer.unsupported)} sentence(s) removed: not supported by the sources")
    if answer.interrupted:
        notes.append("the answer was interrupted; this is only the part received")
    if notes:
        body += "\n\n<small>⚠️ " + "; ".join(notes) + "</small>"
    return body + ("" if answer.mode == "extractive" else evidence_markdown(answer))


LATEX_ESCAPE_RE = re.compile(r"\\([%&_#$])")


def _shown(text: str) -> str:
    """HTML-escaped text with the listings' LaTeX escapes shown as the characters they stand for (95\\% as 95%), as the
    chat's Markdown shows them."""
    return html.escape(LATEX_ESCAPE_RE.sub(r"\1", text))


def _highlight(abstract: str, evidence: Sequence[str]) -> str:
    """The escaped abstract with every evidence sentence found in it marked."""
    spans = sorted((i, i + len(e)) for e in set(evidence) if e and (i := abstract.find(e)) >= 0)
    out, at = [], 0
    for start, end in spans:
        if start < at:  # overlaps the previous mark
            continue
        out.append(f"{_shown(abstract[at:start])}<mark>{_shown(abstract[start:end])}</mark>")
        at = end
    return "".join(out) + _shown(abstract[at:])


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
    cited, evidence = {}, {}
    for c in answer.citations:
        cited.setdefault(c.n, c)
        evidence.setdefault(c.n, []).append(c.evidence or "")
    cards = []
    ordered = sorted(answer.sources, key=lambda s: (s.n not in cited, s.n))
    for s in ordered:
        c = cited.get(s.n)
        badge = "<span class='badge ok'>cited · verified</span>" if c else "<span class='badge'>retrieved, not cited</span>"
        if c and c.moved_from:
            badge += f" <span class='badge moved'>moved here from [{c.moved_from}]</span>"
        abstract = f"<div class='src-abstract'>{_highlight(s.abstract, evidence.get(s.n, []))}</div>"
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
    smalltalk = answer.refusal_reason.startswith("smalltalk:")  # "thanks!" searched nothing
    head = "<div class='refused'>Refused: no source supports an answer.</div>" if answer.refused and not smalltalk else ""
    return "<div class='srcs'>" + head + "".join(cards) + "</div>"


def export_markdown(answers: Sequence[Answer]) -> str:
    """The whole conversation as Markdown: every question, its answer and the answer's numbered references."""
    blocks = []
    for answer in answers:
        lines = [f"**Q:** {answer.question}", "", f"*{answer.text}*" if answer.refused else answer.text]
        cited = sorted({c.n for c in answer.citations})
        if cited:
            lines += ["", "References:"]
            for s in answer.sources:
                if s.n in cited:
                    date = f" ({s.metadata['date_text']})" if s.metadata.get("date_text") else ""
                    lines.append(f"[{s.n}] {s.title}{date}. paperchat id: `{s.paper_id}`")
        blocks.append("\n".join(lines))
    return "\n\n---\n\n".join(blocks).strip() + "\n" if blocks else ""


def export_bibtex(answers: Sequence[Answer]) -> str:
    """BibTeX entries for every paper cited in the conversation (once each), with the year where the dump dates it."""
    out, seen = [], set()
    for answer in answers:
        cited = {c.n for c in answer.citations}
        for s in answer.sources:
            if s.n not in cited or s.paper_id in seen:
                continue
            seen.add(s.paper_id)
            fields = [f"  title = {{{_bib(s.title)}}}", "  howpublished = {paperchat corpus}",
                      f"  note = {{seed files: {_bib(', '.join(s.metadata.get('seed_files', [])))}}}"]
            if s.metadata.get("date"):
                fields.insert(1, f"  year = {{{s.metadata['date'][:4]}}}")
            out.append("@misc{" + s.paper_id + ",\n" + ",\n".join(fields) + "\n}")
    return "\n\n".join(out) + ("\n" if out else "")


def _bib(text: str) -> str:
    """Braces balanced for a BibTeX field (unbalanced ones from a title would break the file)."""
    return text.replace("{", "(").replace("}", ")")


def answer_json(answer: Answer) -> dict[str, Any]:
    """The answer as the documented JSON object (CLI `ask --json`, the app's /ask)."""
    return {
        "answer": answer.text,
        "mode": answer.mode,
        "refused": answer.refused,
        "refusal_reason": answer.refusal_reason or None,
        "evidence": [{"n": e.n, "paper_id": e.paper_id, "sentence": e.sentence} for e in answer.evidence],
        "citations": [
            {"n": c.n, "paper_id": c.paper_id, "title": c.title, "verified": c.verified, "evidence": c.evidence,
             "sentence": c.sentence, "score": round(c.score, 4), "moved_from": c.moved_from}
            for c in answer.citations
        ],
        "sources": [{"n": s.n, "paper_id": s.paper_id, "title": s.title} for s in answer.sources],
        "unsupported": list(answer.unsupported),
        "standalone_question": answer.standalone_question,
        "interrupted": answer.interrupted,
        "llm": answer.llm or None,
        "timings": {k: (round(v, 4) if isinstance(v, float) else v) for k, v in answer.timings.items()},
    }
