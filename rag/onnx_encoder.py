"""all-MiniLM-L6-v2 on ONNX Runtime: exported once from the bundled model, the same vectors, no torch at run time."""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
import threading
from pathlib import Path
from typing import Callable, Sequence

from .errors import ModelMissing

FORMAT = 1  # bump when the export (graph inputs, pooling) changes, so cached files are rebuilt
PROBES = [  # export check: the ONNX vectors of these must equal sentence-transformers' (cosine >= MIN_COSINE)
    "hello",
    "Retrieval-augmented generation grounds answers in documents.",
    "We propose a graph neural network for link prediction that completes missing common neighbours, "
    "and show gains of 3.2 points on ogbl-collab while training 5x faster than prior subgraph methods.",
]
MIN_COSINE = 0.9999
INT8_FORMAT = 2  # bump when the quantisation recipe changes (2: feed-forward output int8 but in FFN_FP32_LAYERS)
INT8_MIN_COSINE = 0.99  # the int8 model's vectors of the sentence PROBES against the fp32 export's
# (a one-word text strays more, "hello" 0.985: a three-token input has no context to average the error out)
DIM = 384  # all-MiniLM-L6-v2's vector size


def _source_stamp(model_dir: Path) -> dict:
    """What identifies the bundled model: the size and name of every file the export reads."""
    files = sorted(p for p in model_dir.rglob("*") if p.is_file() and p.suffix in {".json", ".safetensors", ".bin", ".txt"})
    return {"format": FORMAT, "files": [[str(p.relative_to(model_dir)), p.stat().st_size] for p in files]}


def onnx_path(model_dir: Path, cache_dir: Path) -> Path:
    """Where the export of model_dir lives in cache_dir (the name changes when the model's files do)."""
    digest = hashlib.sha256(json.dumps(_source_stamp(model_dir)).encode()).hexdigest()[:12]
    return Path(os.path.expanduser(str(cache_dir))) / f"all-minilm-l6-v2-{digest}.onnx"


def ensure_onnx(model_dir: Path, cache_dir: Path, target: Path | None = None) -> Path:
    """Return the checked ONNX export of the MiniLM at model_dir (the bundled one, or the selector's tuned one at the
    `target` its caller names), exporting it (torch, once) when it is not cached."""
    target = target or onnx_path(model_dir, cache_dir)
    marker = target.with_suffix(".verified.json")
    if target.is_file() and marker.is_file():
        return target
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp = target.with_suffix(f".tmp{os.getpid()}")
        # In a child process, so torch is never loaded into the app or the ingest (its memory stays with the child).
        done = subprocess.run([sys.executable, "-m", "rag.onnx_encoder", str(model_dir), str(tmp)], capture_output=True,
                              text=True, timeout=900)
        if done.returncode != 0:
            tmp.unlink(missing_ok=True)
            last = (done.stderr.strip().splitlines() or [f"exit code {done.returncode}"])[-1]
            raise ModelMissing(f"exporting MiniLM to ONNX failed: {last}; set embed.runtime = \"torch\" to skip it")
        cosine = float(done.stdout.split()[-1])
        os.replace(tmp, target)
    except OSError as exc:
        raise ModelMissing(
            f"cannot write the ONNX encoder to {target.parent}: {exc}; set embed.cache_dir to a writable folder"
        ) from exc
    marker.write_text(json.dumps({**_source_stamp(model_dir), "min_cosine": cosine}))
    return target


def ensure_int8(fp32: Path, model_dir: Path) -> Path:
    """Return the checked int8 variant of the fp32 export beside it, quantising it (ONNX Runtime, once) if not cached.

    Dynamic int8 of every projection but the feed-forward output of the layers in FFN_FP32_LAYERS (its input has GELU's
    long tail; quantised there it alone pulls the corpus's min cosine under 0.99); the two activation-by-activation
    products stay fp32. On the shipped chunks: min cosine 0.992 to fp32 (`python -m benchmarks.onnx_embed`).
    """
    target = fp32.with_name(f"{fp32.stem}-int8v{INT8_FORMAT}.onnx")
    marker = target.with_suffix(".verified.json")
    if target.is_file() and marker.is_file():
        return target
    tmp = target.with_suffix(f".tmp{os.getpid()}")
    try:
        quantize_int8(fp32, tmp)
        window = max_seq_length(model_dir)
        expected = OnnxMiniLM(fp32, model_dir, window).embed(PROBES[1:])
        got = OnnxMiniLM(tmp, model_dir, window).embed(PROBES[1:])
        cosine = _min_cosine(expected, got)
        if cosine < INT8_MIN_COSINE:
            raise ModelMissing(f"the int8 MiniLM strays from fp32 (cosine {cosine:.4f}): set embed.precision = \"fp32\"")
        os.replace(tmp, target)
        marker.write_text(json.dumps({"format": INT8_FORMAT, "source": fp32.name, "min_cosine": cosine}))
    except OSError as exc:
        raise ModelMissing(
            f"cannot write the int8 encoder to {target.parent}: {exc}; set embed.cache_dir to a writable folder"
        ) from exc
    finally:
        tmp.unlink(missing_ok=True)
    return target


def _min_cosine(expected: Sequence[Sequence[float]], got: Sequence[Sequence[float]]) -> float:
    """The lowest cosine between paired unit vectors (the export and quantisation checks)."""
    return min(float(sum(a * b for a, b in zip(e, g))) for e, g in zip(expected, got))


FFN_FP32_LAYERS = (0, 2)  # quantising one layer's feed-forward output at a time, min cosine over the shipped chunks:
# layer 0 0.991, 1 0.993, 2 0.987, 3-5 0.994 (fp32 everywhere: 0.994); all but 0 and 2 quantised: 0.992


def _stays_fp32(name: str, ffn_layers: Sequence[int] = FFN_FP32_LAYERS) -> bool:
    """The MatMuls the shipped recipe leaves in fp32: attention scores and mixing, the feed-forward outputs of ffn_layers."""
    feed_forward_output = name.endswith("/output/dense/MatMul") and "/attention/" not in name
    sensitive = any(f"/layer.{i}/" in name for i in ffn_layers)
    return name.endswith(("/self/MatMul", "/self/MatMul_1")) or (feed_forward_output and sensitive)


def quantize_int8(source: Path, out: Path, stays_fp32: Callable[[str], bool] = _stays_fp32) -> Path:
    """Dynamic int8 (signed weights, per channel, reduce_range for AVX2 without VNNI) of source's MatMuls but those
    stays_fp32 names (the default is the shipped recipe; the encoder benchmark passes others)."""
    import logging

    import onnx
    from onnx import TensorProto
    from onnxruntime.quantization import QuantType, quantize_dynamic

    names = [n.name for n in onnx.load(str(source)).graph.node if n.op_type == "MatMul"]
    keep = [n for n in names if stays_fp32(n)]
    quiet = logging.getLogger().level
    logging.getLogger().setLevel(logging.ERROR)  # it advises "pre-processing" on every call
    try:
        quantize_dynamic(str(source), str(out), weight_type=QuantType.QInt8, per_channel=True, reduce_range=True,
                         op_types_to_quantize=["MatMul"], nodes_to_exclude=keep,
                         extra_options={"DefaultTensorType": TensorProto.FLOAT})
    finally:
        logging.getLogger().setLevel(quiet)
    return out


def _export(model_dir: Path, out: Path) -> float:
    """Export MiniLM (encoder + mean pooling + L2 normalisation) to out; return its min cosine to sentence-transformers."""
    import torch
    from sentence_transformers import SentenceTransformer
    from transformers import AutoModel, AutoTokenizer

    model = AutoModel.from_pretrained(str(model_dir), local_files_only=True).eval()
    tok = AutoTokenizer.from_pretrained(str(model_dir), local_files_only=True)

    class Pooled(torch.nn.Module):
        def __init__(self, encoder):
            super().__init__()
            self.encoder = encoder

        def forward(self, input_ids, attention_mask, token_type_ids):
            hidden = self.encoder(input_ids=input_ids, attention_mask=attention_mask, token_type_ids=token_type_ids)[0]
            mask = attention_mask.unsqueeze(-1).to(hidden.dtype)
            mean = (hidden * mask).sum(1) / mask.sum(1).clamp(min=1e-9)
            return torch.nn.functional.normalize(mean, dim=-1)

    names = ["input_ids", "attention_mask", "token_type_ids"]
    enc = tok(PROBES[:2], padding=True, return_tensors="pt")
    torch.onnx.export(
        Pooled(model), tuple(enc[n] for n in names), str(out), input_names=names, output_names=["embedding"],
        dynamic_axes={**{n: {0: "batch", 1: "tokens"} for n in names}, "embedding": {0: "batch"}}, opset_version=17,
        dynamo=False,
    )
    reference = SentenceTransformer(str(model_dir), device="cpu", local_files_only=True)
    expected = reference.encode(PROBES, normalize_embeddings=True)
    got = OnnxMiniLM(out, model_dir, reference.max_seq_length).embed(PROBES)
    cosine = _min_cosine(expected, got)
    if cosine < MIN_COSINE:
        out.unlink(missing_ok=True)
        raise ModelMissing(
            f"the ONNX export of MiniLM does not reproduce its vectors (cosine {cosine:.4f}): set embed.runtime = \"torch\""
        )
    return cosine


def max_seq_length(model_dir: Path) -> int:
    """The model's window in word pieces (sentence-transformers' max_seq_length)."""
    try:
        return int(json.loads((model_dir / "sentence_bert_config.json").read_text())["max_seq_length"])
    except (OSError, ValueError, KeyError):
        return 256


class OnnxMiniLM:
    """all-MiniLM-L6-v2 through ONNX Runtime and the `tokenizers` library (no torch import)."""

    def __init__(self, path: Path, model_dir: Path, max_length: int, batch_size: int = 16, threads: int = 0):
        import onnxruntime as ort
        from tokenizers import Tokenizer

        self.name = "all-MiniLM-L6-v2"
        self.path = path
        self.batch_size = batch_size
        self.tokenizer = Tokenizer.from_file(str(model_dir / "tokenizer.json"))
        self.tokenizer.no_padding()  # tokenizer.json pads to 128; batches are padded to their longest text instead
        self.tokenizer.enable_truncation(max_length)
        opts = ort.SessionOptions()
        opts.intra_op_num_threads = threads or (os.cpu_count() or 1)
        opts.log_severity_level = 3
        self.session = ort.InferenceSession(str(path), opts, providers=["CPUExecutionProvider"])
        self._lock = threading.Lock()

    def embed(self, texts: Sequence[str]) -> list[list[float]]:
        """Embed texts (unit length, so dot product = cosine); batches of similar length to pad little."""
        import numpy as np

        if not texts:
            return []
        ids = [e.ids for e in self.tokenizer.encode_batch(list(texts))]
        order = sorted(range(len(ids)), key=lambda i: len(ids[i]))
        out = np.zeros((len(ids), DIM), dtype=np.float32)
        with self._lock:  # ORT already uses every core for one batch
            for start in range(0, len(order), self.batch_size):
                rows = order[start : start + self.batch_size]
                width = max(len(ids[i]) for i in rows)
                batch = np.zeros((len(rows), width), dtype=np.int64)
                mask = np.zeros_like(batch)
                for r, i in enumerate(rows):
                    batch[r, : len(ids[i])] = ids[i]
                    mask[r, : len(ids[i])] = 1
                feed = {"input_ids": batch, "attention_mask": mask, "token_type_ids": np.zeros_like(batch)}
                out[rows] = self.session.run(None, feed)[0]
        return out.tolist()


if __name__ == "__main__":  # python -m rag.onnx_encoder MODEL_DIR OUT: the export, in its own process (see ensure_onnx)
    print(_export(Path(sys.argv[1]), Path(sys.argv[2])))
