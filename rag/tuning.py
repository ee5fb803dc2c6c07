"""The evidence selector's sentence encoder: all-MiniLM-L6-v2 fine-tuned to put the answering sentence first.

Trained here, never downloaded: the dev questions' evidence quotes (evals/questions.jsonl) are the positives, the
other sentences of the same abstract and the other questions' answering sentences the negatives (a listwise loss).
Only selection uses it; retrieval, the checker and their calibrated thresholds keep the stock vectors. Without a
trained encoder the selector falls back to the stock one (and says so in the log).
"""

from __future__ import annotations

import hashlib
import json
import logging
import random
import shutil
import threading
import time
from collections import OrderedDict
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Sequence

from .config import EmbedSettings, Settings
from .embeddings import Embedder, minilm_dir, minilm_runtime
from .errors import ModelMissing
from .markers import abstract_sentences
from .seeds import load_seeds
from .types import Source

log = logging.getLogger(__name__)

RECIPE = {"base": "all-MiniLM-L6-v2", "split": "dev", "kinds": ["single", "single_hard"], "epochs": 2, "lr": 2e-5,
          "batch": 16, "scale": 20.0, "warmup": 0.1, "seed": 0, "threads": 2}
META = "paperchat-selector.json"


@dataclass
class Item:
    """One training question: the sentences of its gold abstract and which of them hold its evidence quote."""

    question: str
    sentences: list[str]
    positives: list[int]


def _norm(text: str) -> str:
    return " ".join(text.lower().split())


def training_items(questions: Path, seeds_dir: Path) -> list[Item]:
    """The dev questions whose evidence quote is found in a sentence of their gold paper's abstract."""
    abstracts = {pid: p.abstract for pid, p in load_seeds(seeds_dir).papers.items()}
    items = []
    for line in questions.read_text(encoding="utf-8").splitlines():
        q = json.loads(line)
        if (q.get("split") != RECIPE["split"] or q.get("kind") not in RECIPE["kinds"] or not q.get("gold")
                or q.get("asks") == "papers"):  # a which-papers question with one right paper asks for no detail
            continue
        pid = q["gold"][0]
        quotes = [_norm(e["quote"]) for e in q.get("evidence") or [] if e.get("paper_id") == pid]
        if pid not in abstracts or not quotes:
            continue
        sents = abstract_sentences(abstracts[pid])
        pos = [i for i, s in enumerate(sents) if any(x[:60] in _norm(s) or _norm(s)[:60] in x for x in quotes)]
        if pos:
            items.append(Item(q["question"], sents, pos))
    return items


def fingerprint(items: Sequence[Item]) -> str:
    """What the trained weights depend on: the recipe and the training items."""
    h = hashlib.sha256(json.dumps(RECIPE, sort_keys=True).encode())
    for it in items:
        h.update(json.dumps([it.question, it.sentences, it.positives]).encode())
    return h.hexdigest()[:16]


def encoder_dir(settings: Settings) -> Path:
    """Where the tuned encoder is kept (next to the ONNX export of the stock model)."""
    return settings.embed.cache_dir.expanduser() / "selector-minilm"


def trained_fingerprint(path: Path) -> str | None:
    """The fingerprint of the encoder at path, or None when none is trained there."""
    try:
        return json.loads((path / META).read_text())["fingerprint"]
    except (OSError, ValueError, KeyError):
        return None


def train(settings: Settings, questions: Path, say: Callable[[str], None] = print) -> Path | None:
    """Fine-tune the selector's encoder (skipped when one with the same fingerprint exists); returns its folder, or
    None when the seeds no longer hold the dev questions' papers (then the stock vectors select)."""
    items = training_items(questions, settings.seeds_dir) if questions.is_file() else []
    if len(items) < 50:
        say(f"selector encoder not tuned: only {len(items)} dev questions of {questions} have their evidence in "
            f"{settings.seeds_dir} (it needs the shipped seeds); evidence is selected with the stock vectors")
        return None
    fp, out = fingerprint(items), encoder_dir(settings)
    if trained_fingerprint(out) == fp:
        say(f"selector encoder up to date ({out}, {fp})")
        return _exported(out, settings, say)
    import torch
    from sentence_transformers import SentenceTransformer

    r = RECIPE
    random.seed(r["seed"])
    torch.manual_seed(r["seed"])
    torch.set_num_threads(r["threads"])
    model = SentenceTransformer(str(minilm_dir()), device="cpu", local_files_only=True)
    steps = r["epochs"] * -(-len(items) // r["batch"])
    opt = torch.optim.AdamW(model.parameters(), lr=r["lr"])
    warm = max(1, int(r["warmup"] * steps))
    sched = torch.optim.lr_scheduler.LambdaLR(opt, lambda st: min(1.0, (st + 1) / warm) * max(0.0, 1 - st / steps))
    say(f"tuning the selector's encoder on {len(items)} dev questions ({steps} steps, ~{steps * 7 // 60 + 1} min on 2 cores)")
    start, step = time.time(), 0
    order = list(items)
    model.train()
    for _ in range(r["epochs"]):
        random.shuffle(order)
        for b0 in range(0, len(order), r["batch"]):
            loss = _batch_loss(model, order[b0: b0 + r["batch"]], r["scale"])
            loss.backward()
            opt.step()
            sched.step()
            opt.zero_grad()
            step += 1
            if step % 20 == 0 or step == steps:
                say(f"  step {step}/{steps}, loss {loss.item():.3f}, {time.time() - start:.0f} s")
    model.eval()
    tmp = out.with_name(out.name + ".tmp")
    shutil.rmtree(tmp, ignore_errors=True)
    model.save(str(tmp))
    (tmp / META).write_text(json.dumps({"fingerprint": fp, "recipe": r, "items": len(items),
                                        "seconds": round(time.time() - start)}))
    shutil.rmtree(out, ignore_errors=True)
    tmp.rename(out)
    say(f"selector encoder saved to {out} ({fp})")
    return _exported(out, settings, say)


def _exported(out: Path, settings: Settings, say: Callable[[str], None]) -> Path:
    """out, with its ONNX export made now (at setup) rather than at the app's first question."""
    if settings.embed.runtime == "onnx" and not (out / ONNX_FILE).is_file():
        from .onnx_encoder import ensure_onnx

        try:
            ensure_onnx(out, out, target=out / ONNX_FILE)
            say(f"selector encoder exported to {out / ONNX_FILE}")
        except (ImportError, RuntimeError, ModelMissing) as exc:
            say(f"selector encoder not exported to ONNX ({exc}); it will select with torch")
    return out


def _batch_loss(model, batch: Sequence[Item], scale: float):
    """Listwise loss: each question against its abstract's sentences and the other questions' answering sentences."""
    import torch

    texts, spans = [], []
    for it in batch:
        spans.append(len(texts))
        texts += it.sentences
    q = _encode(model, [it.question for it in batch])
    s = _encode(model, texts)
    scores = q @ s.T * scale
    total = 0.0
    for j, it in enumerate(batch):
        allowed = torch.zeros(len(texts), dtype=torch.bool)
        allowed[spans[j]: spans[j] + len(it.sentences)] = True
        for k, other in enumerate(batch):
            if k != j:
                allowed[spans[k] + other.positives[0]] = True
        wanted = torch.zeros(len(texts), dtype=torch.bool)
        wanted[[spans[j] + i for i in it.positives]] = True
        row = scores[j].masked_fill(~allowed, -1e4)
        total = total + torch.logsumexp(row, 0) - torch.logsumexp(row.masked_fill(~wanted, -1e4), 0)
    return total / len(batch)


def _encode(model, texts: list[str]):
    import torch

    features = getattr(model, "preprocess", model.tokenize)(texts)
    return torch.nn.functional.normalize(model(features)["sentence_embedding"], dim=-1)


ONNX_FILE = "selector.onnx"  # the fp32 ONNX export, inside the encoder's folder (so retraining replaces it)


class SelectorEncoder:
    """The tuned encoder at inference: question vectors and per-paper sentence vectors (cached)."""

    def __init__(self, path: Path, settings: EmbedSettings, cache_size: int = 2048):
        self.path, self.name = path, f"selector:{trained_fingerprint(path)}"
        self.encoder = minilm_runtime(settings, model_dir=path, onnx_file=path / ONNX_FILE)  # fp32: the same vectors
        self._cache: OrderedDict[str, tuple[list[str], list[list[float]]]] = OrderedDict()
        self._cache_size = cache_size
        self._lock = threading.Lock()

    def embed(self, texts: Sequence[str]) -> list[list[float]]:
        """Normalised vectors of texts."""
        return self.encoder.embed(texts)

    def sentence_vectors(self, source: Source) -> tuple[list[str], list[list[float]]]:
        """The abstract's sentences (the checker's split) and their tuned vectors."""
        key = source.paper_id + ":" + hashlib.sha1(source.abstract.encode()).hexdigest()
        with self._lock:
            if (hit := self._cache.get(key)) is not None:
                self._cache.move_to_end(key)
                return hit
        sents = abstract_sentences(source.abstract)
        hit = (sents, self.embed(sents))  # outside the lock: the encoder has its own
        with self._lock:
            self._cache[key] = hit
            if len(self._cache) > self._cache_size:
                self._cache.popitem(last=False)
        return hit


_LOADED: dict[tuple[Path, str], SelectorEncoder] = {}
_LOAD_LOCK = threading.Lock()


def selector_encoder(settings: Settings, stock: Embedder,
                     stock_vectors: Callable[[Source], tuple[list[str], list[list[float]]]]):
    """(embedder, sentence_vectors) for the evidence selector: the tuned encoder when trained, else the stock one."""
    if settings.evidence.selector == "stock":
        return stock, stock_vectors
    path = encoder_dir(settings)
    if trained_fingerprint(path) is None:
        log.warning("no tuned selector encoder at %s: selecting evidence with the stock vectors "
                    "(run `python -m rag tune` or `make setup`)", path)
        return stock, stock_vectors
    with _LOAD_LOCK:
        key = (path, settings.embed.runtime)
        if key not in _LOADED:
            _LOADED[key] = SelectorEncoder(path, settings.embed)
        enc = _LOADED[key]
    return enc, enc.sentence_vectors
