"""One ingest at a time per data dir: an advisory file lock that names its holder."""

from __future__ import annotations

import fcntl
import os
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

from .errors import IndexBusy, RagError


@contextmanager
def ingest_lock(data_dir: Path, wait: float = 0.0) -> Iterator[None]:
    """Exclusive lock so two ingests never interleave; waits up to `wait` seconds, then raises IndexBusy."""
    path = data_dir / "ingest.lock"
    try:
        data_dir.mkdir(parents=True, exist_ok=True)
        fh = open(path, "a+")
    except OSError as exc:
        raise RagError(
            f"cannot write to the data dir {data_dir} ({exc.strerror}): make it writable (it is read-only?) or pass "
            "another --data-dir; the index was left as it is"
        ) from exc
    with fh:
        deadline = time.monotonic() + wait
        while True:
            try:
                fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    fh.seek(0)
                    holder = fh.read().strip() or "another process"
                    raise IndexBusy(
                        f"another ingest is running on {data_dir} ({holder}); wait for it to finish or pass --wait SECONDS"
                    ) from None
                time.sleep(0.2)
        fh.seek(0)
        fh.truncate()
        fh.write(f"pid {os.getpid()} since {time.strftime('%H:%M:%S')}")
        fh.flush()
        try:
            yield
        finally:
            fh.seek(0)
            fh.truncate()
            fcntl.flock(fh, fcntl.LOCK_UN)
