"""Read paper-listing dumps (both layouts), drop page furniture, parse metadata and dedupe papers."""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass, field, replace
from pathlib import Path

from .errors import SeedError
from .types import Paper

FURNITURE = {
    "new",
    "subscribe",
    "daily papers",
    "byak and the research community",
    "get trending papers in your email inbox!",
    "get trending papers in your email inbox once a day!",
}
MONTHS = {m: i for i, m in enumerate("Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec".split(), start=1)}
DATE_RE = re.compile(r"^(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) (\d{1,2})(?:, (\d{4}))?(?: (\d+))?$")
AUTHORS_RE = re.compile(r"^•\s*(\d+)\s+authors?$")
DOT = "·"
MAX_TITLE_CHARS = 300
MIN_ABSTRACT_WORDS = 8


@dataclass
class ParseResult:
    """Papers from every readable seed file, plus the files that failed and why."""

    papers: dict[str, Paper] = field(default_factory=dict)
    listings: int = 0
    files: list[str] = field(default_factory=list)
    errors: list[SeedError] = field(default_factory=list)

    @property
    def failed_files(self) -> set[str]:
        """Names of seed files that could not be parsed."""
        return {Path(e.path).name for e in self.errors}


def normalise_title(title: str) -> str:
    """Casefolded, accent- and punctuation-insensitive form of a title (the dedupe key)."""
    t = unicodedata.normalize("NFKD", title)
    t = "".join(c for c in t if not unicodedata.combining(c)).casefold()
    return " ".join(re.sub(r"[\W_]+", " ", t).split())


def paper_id_for(title: str) -> str:
    """Stable readable id: up to six title words plus 8 hex chars of the normalised title's sha1."""
    norm = normalise_title(title)
    slug = "-".join(re.sub(r"[^a-z0-9 ]", "", norm).split()[:6])[:48].strip("-") or "paper"
    return f"{slug}-{hashlib.sha1(norm.encode()).hexdigest()[:8]}"


def parse_date(text: str) -> dict | None:
    """'Jul 31, 2024 1' -> {date: '2024-07-31', date_text: 'Jul 31, 2024', upvotes: 1}; None if not a date line."""
    m = DATE_RE.match(text)
    if not m:
        return None
    mon, day, year, votes = m.groups()
    return {
        "date": f"{int(year):04d}-{MONTHS[mon]:02d}-{int(day):02d}" if year else None,
        "date_text": f"{mon} {int(day)}" + (f", {year}" if year else ""),
        "upvotes": int(votes) if votes else None,
    }


def _is_furniture(line: str) -> bool:
    return line.casefold() in FURNITURE


def parse_text(text: str, name: str) -> list[Paper]:
    """Parse one dump's text (either layout) into papers in file order; raise SeedError naming the line."""
    if "\x00" in text:
        raise SeedError(name, text[: text.index("\x00")].count("\n") + 1, "binary data (NUL byte): not a text dump")
    lines = [(i, ln.strip()) for i, ln in enumerate(text.splitlines(), start=1)]
    lines = [(i, ln) for i, ln in lines if ln]
    if not lines:
        raise SeedError(name, 1, "file is empty")

    # Header zone: furniture and the page date before the first title; "Subscribe" may be glued to that title.
    pos = 0
    while pos < len(lines):
        i, ln = lines[pos]
        if _is_furniture(ln) or DATE_RE.match(ln):
            pos += 1
            continue
        if ln.startswith("Subscribe") and len(ln) > len("Subscribe"):
            lines[pos] = (i, ln[len("Subscribe") :].strip())
        break

    papers: list[Paper] = []
    while pos < len(lines):
        i, ln = lines[pos]
        if _is_furniture(ln):
            pos += 1
            continue
        # A title, then its abstract.
        if len(ln) > MAX_TITLE_CHARS:
            raise SeedError(name, i, f"expected a paper title, found a {len(ln)}-character paragraph (title missing?)")
        if AUTHORS_RE.match(ln) or ln == DOT:
            raise SeedError(name, i, f"metadata line {ln!r} without a paper before it")
        if pos + 1 >= len(lines):
            raise SeedError(name, i, f"title {ln[:60]!r} has no abstract after it")
        j, abstract = lines[pos + 1]
        if len(abstract.split()) < MIN_ABSTRACT_WORDS or AUTHORS_RE.match(abstract) or DATE_RE.match(abstract):
            raise SeedError(name, j, f"expected the abstract of {ln[:60]!r}, found {abstract[:60]!r}")
        title, line_no = ln, i
        meta, pos = _metadata(lines, pos + 2)
        papers.append(Paper(paper_id_for(title), title, abstract, (name,), line=line_no, **meta))
    if not papers:
        raise SeedError(name, lines[-1][0], "no papers found (not a paper-listing dump?)")
    return papers


def _metadata(lines: list[tuple[int, str]], pos: int) -> tuple[dict, int]:
    """Optional metadata lines after an abstract: "• N authors" or an organisation line, "·", "Mon D[, YYYY] [upvotes]"."""
    meta: dict = {}
    while pos < len(lines):
        m = lines[pos][1]
        nxt = lines[pos + 1][1] if pos + 1 < len(lines) else ""
        if (a := AUTHORS_RE.match(m)) is not None:
            meta["authors"] = int(a.group(1))
        elif m == DOT:
            pass
        elif (date := parse_date(m)) is not None:
            meta.update(date)
        elif nxt == DOT and len(m) <= 120:
            meta["organization"] = m
        else:
            break
        pos += 1
    return meta, pos


def read_seed_file(path: Path) -> list[Paper]:
    """Read and parse one seed file; unreadable, empty, non-UTF-8 or malformed files raise SeedError."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise SeedError(str(path), 0, f"cannot read file: {exc.strerror or exc}") from exc
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise SeedError(str(path), line, f"not UTF-8 (byte 0x{raw[exc.start]:02x} at offset {exc.start}); re-save the file as UTF-8") from exc
    try:
        return parse_text(text.lstrip("\ufeff"), path.name)
    except SeedError as exc:
        raise SeedError(str(path), exc.line, exc.reason) from None


def merge(papers: list[Paper], into: dict[str, Paper]) -> None:
    """Fold listings into distinct papers: seed files are unioned, missing metadata filled, last abstract wins."""
    for p in papers:
        old = into.get(p.paper_id)
        if old is None:
            into[p.paper_id] = p
            continue
        files = tuple(sorted(set(old.seed_files) | set(p.seed_files)))
        into[p.paper_id] = replace(
            old,
            abstract=p.abstract,
            seed_files=files,
            authors=old.authors if old.authors is not None else p.authors,
            date=old.date or p.date,
            date_text=old.date_text or p.date_text,
            upvotes=old.upvotes if old.upvotes is not None else p.upvotes,
            organization=old.organization or p.organization,
        )


def load_seeds(seeds_dir: Path) -> ParseResult:
    """Parse every *.txt in seeds_dir (sorted by name); failures are collected, not raised."""
    result = ParseResult()
    if not seeds_dir.is_dir():
        result.errors.append(SeedError(str(seeds_dir), 0, "seeds folder does not exist"))
        return result
    for path in sorted(seeds_dir.glob("*.txt")):
        try:
            papers = read_seed_file(path)
        except SeedError as exc:
            result.errors.append(exc)
            continue
        result.files.append(path.name)
        result.listings += len(papers)
        merge(papers, result.papers)
    return result
