"""Python reference for `npm run bench:embed`: the same model in sentence-transformers (PyTorch, CPU).

Reads {"model": dir, "threads": n, "cases": [{"name", "texts", "batch", "repeat"}]} as JSON on
stdin and prints {"cases": [{"name", "seconds", "sentences", "vectors"}]} as JSON on stdout.
The texts already carry the model's "query: "/"passage: " prefix, so both sides embed exactly
the same strings. Run from the venv described in models/MODELS.md.
"""
import json
import sys
import time

import torch
from sentence_transformers import SentenceTransformer


def main() -> None:
    job = json.load(sys.stdin)
    torch.set_num_threads(job["threads"])
    model = SentenceTransformer(job["model"], device="cpu")
    model.encode(["warm up"], batch_size=1)
    results = []
    for case in job["cases"]:
        texts, batch = case["texts"], case["batch"]
        vectors = None
        start = time.perf_counter()
        for _ in range(case["repeat"]):
            vectors = model.encode(texts, batch_size=batch, normalize_embeddings=True, convert_to_numpy=True)
        seconds = time.perf_counter() - start
        results.append({
            "name": case["name"],
            "seconds": seconds,
            "sentences": len(texts) * case["repeat"],
            "vectors": vectors.tolist(),
        })
    json.dump({"torch": torch.__version__, "cases": results}, sys.stdout)


if __name__ == "__main__":
    main()
