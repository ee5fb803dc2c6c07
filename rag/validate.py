"""Every value that comes from a page or an API call is checked here, once, into plain typed values or an InputError."""

from __future__ import annotations

import datetime as dt
import os
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .errors import ConfigError, InputError

if TYPE_CHECKING:
    from .config import Settings

DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
MAX_TURNS = 40  # history entries kept from a caller (the condensing prompt uses the last 4)
MAX_TURN_CHARS = 20_000
ROLES = ("user", "assistant")


def clean_text(text: str) -> str:
    """Text without control and bidi/format characters (U+202E would reverse what is shown); whitespace collapsed."""
    out = []
    for ch in text:
        cat = unicodedata.category(ch)
        if ch in "\n\t\r" or cat in ("Zs", "Zl", "Zp"):
            out.append(" ")
        elif cat in ("Cc", "Cf", "Cs", "Co", "Cn"):
            continue  # controls, bidi overrides, zero-width marks, lone surrogates, private use, unassigned
        else:
            out.append(ch)
    return " ".join("".join(out).split())


def question(value: Any, limit: int) -> str:
    """A question as the pipeline may take it; InputError says what is wrong."""
    if not isinstance(value, str):
        raise InputError(f"question must be text, not {_kind(value)}.")
    text = clean_text(value)
    if not text:
        raise InputError("Please type a question.")
    if len(text) > limit:
        raise InputError(f"That question is {len(text):,} characters long; the limit is {limit:,}. Please shorten it.")
    return text


def history(value: Any) -> list[dict[str, Any]]:
    """Conversation turns [{"role": "user"|"assistant", "content": str, "paper_ids"?: [str]}], the last MAX_TURNS kept."""
    if value is None:
        return []
    if not isinstance(value, list):
        raise InputError(f'history must be a list of {{"role", "content"}} turns, not {_kind(value)}.')
    out = []
    for i, turn in enumerate(value[-MAX_TURNS:]):
        if not isinstance(turn, dict):
            raise InputError(f"history[{i}] must be an object with role and content, not {_kind(turn)}.")
        role, content = turn.get("role"), turn.get("content")
        if role not in ROLES:
            raise InputError(f"history[{i}].role must be 'user' or 'assistant'.")
        if not isinstance(content, str) or len(content) > MAX_TURN_CHARS:
            raise InputError(f"history[{i}].content must be text of at most {MAX_TURN_CHARS:,} characters.")
        entry: dict[str, Any] = {"role": role, "content": clean_text(content)}
        ids = turn.get("paper_ids")
        if ids is not None:
            if not isinstance(ids, list) or len(ids) > 20 or not all(isinstance(x, str) and len(x) < 200 for x in ids):
                raise InputError(f"history[{i}].paper_ids must be a list of at most 20 paper ids.")
            entry["paper_ids"] = ids
        out.append(entry)
    return out


def k(value: Any, max_k: int) -> int | None:
    """Number of sources: None or 0 means the default; otherwise an integer 1..max_k."""
    if value is None or value == 0 and not isinstance(value, bool):
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if not isinstance(value, int) or isinstance(value, bool) or not 1 <= value <= max_k:
        raise InputError(f"k must be a whole number from 1 to {max_k} (0 for the default).")
    return value


def temperature(value: Any) -> float | None:
    """Sampling temperature 0..1, or None for the default."""
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0.0 <= float(value) <= 1.0:
        raise InputError("temperature must be a number from 0 to 1.")
    return float(value)


def date(value: Any, name: str) -> str | None:
    """An ISO date YYYY-MM-DD that exists on the calendar, or None when empty."""
    if value is None:
        return None
    if not isinstance(value, str):
        raise InputError(f"{name} must be a date like 2024-05-31, not {_kind(value)}.")
    value = value.strip()
    if not value:
        return None
    try:
        if not DATE_RE.match(value):
            raise ValueError
        dt.date.fromisoformat(value)
    except ValueError:
        raise InputError(f"{name} must be a real date like 2024-05-31 (got {value[:40]!r}).") from None
    return value


@dataclass(frozen=True)
class Request:
    """One checked question with its options."""

    question: str
    history: list[dict[str, Any]]
    k: int | None = None
    temperature: float | None = None
    date_from: str | None = None
    date_to: str | None = None


def request(question_: Any, history_: Any = None, k_: Any = None, temperature_: Any = None, date_from: Any = None,
            date_to: Any = None, *, limit: int, max_k: int) -> Request:
    """Check every input of a question request; the first problem raises InputError."""
    req = Request(question(question_, limit), history(history_), k(k_, max_k), temperature(temperature_),
                  date(date_from, "date from"), date(date_to, "date to"))
    if req.date_from and req.date_to and req.date_from > req.date_to:
        raise InputError(f"the date range is empty: {req.date_from} is after {req.date_to}.")
    return req


def _kind(value: Any) -> str:
    return "nothing" if value is None else type(value).__name__


def check_paths(settings: Settings) -> None:
    """Reject path settings that cannot be what the user meant: control characters, files where folders go, "/"."""
    paths = {"data_dir": settings.data_dir, "seeds_dir": settings.seeds_dir, "llm.model_cache_dir": settings.llm.model_cache_dir,
             "embed.cache_dir": settings.embed.cache_dir}
    if settings.llm.model_path is not None:
        paths["llm.model_path"] = settings.llm.model_path
    for name, path in paths.items():
        if any(ord(ch) < 32 or ord(ch) == 127 for ch in str(path)):
            raise ConfigError(f"{name} contains control characters ({str(path)!r}): pass a plain folder path")
    for name in ("data_dir", "llm.model_cache_dir", "embed.cache_dir"):
        path = Path(os.path.expanduser(str(paths[name])))
        if path.exists() and not path.is_dir():
            raise ConfigError(f"{name} {path} is a file, not a folder: pass a folder (it is created if missing)")
        if path.resolve() == Path(path.resolve().anchor):
            raise ConfigError(f"{name} {path} is the filesystem root: pass a folder of its own, e.g. --data-dir data")
    if not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9_-]{0,30}", settings.chroma.collection_prefix):
        raise ConfigError(f"chroma.collection_prefix {settings.chroma.collection_prefix!r} must be letters, digits, _ or - (max 31)")
