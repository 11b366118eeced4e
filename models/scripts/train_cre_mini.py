"""CRE-mini: multilingual-e5-small tuned on public recruitment pairs (contrastive, CPU).

    python models/scripts/train_cre_mini.py [--work DIR] [--steps N] [--batch B]

Pairs (all from O*NET 29.3, ../shared/data/onet):
  - alternate job title  -> its occupation title        ("query: ..." -> "query: ...": symmetric)
  - task statement        -> its occupation title        ("passage: ..." -> "query: ...")
ESCO is left out on purpose: TalentCLEF's titles come from ESCO, so training on ESCO labels
would leak into the TalentCLEF evaluation. There are no Chinese pairs in the shared data.

Hold-out by occupation: every occupation whose code hashes into the held-out fifth is excluded
from training, and its code is written to <out>/holdout-occupations.txt so that
`npm run eval:embed -- --onet-occupations FILE` scores only occupations training never saw.

Loss: MultipleNegativesRankingLoss (in-batch negatives). The 250k-row word-embedding table is
frozen: it is 80% of the parameters, most rows never occur in O*NET text, and keeping it fixed
lets the export reuse its 4-bit form unchanged.
"""
from __future__ import annotations

import argparse
import csv
import hashlib
import random
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent.parent
DATA = REPO.parent / "shared" / "data" / "onet"


def held_out(code: str) -> bool:
    return int(hashlib.sha256(code.encode()).hexdigest(), 16) % 5 == 0


def read_tsv(path: Path) -> list[dict[str, str]]:
    with open(path, encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f, delimiter="\t", quoting=csv.QUOTE_NONE))


def build_pairs(seed: int) -> tuple[list[tuple[str, str, str]], list[str]]:
    occupations = {r["O*NET-SOC Code"]: r["Title"] for r in read_tsv(DATA / "Occupation Data.txt")}
    holdout = sorted(c for c in occupations if held_out(c))
    pairs: list[tuple[str, str, str]] = []
    for r in read_tsv(DATA / "Alternate Titles.tsv"):
        code = r["O*NET-SOC Code"]
        if code in occupations and not held_out(code) and r["Alternate Title"].strip().lower() != occupations[code].lower():
            pairs.append(("query: " + r["Alternate Title"].strip(), "query: " + occupations[code], code))
    for r in read_tsv(DATA / "Task Statements.txt"):
        code = r["O*NET-SOC Code"]
        if code in occupations and not held_out(code):
            pairs.append(("passage: " + r["Task"].strip(), "query: " + occupations[code], code))
    random.Random(seed).shuffle(pairs)
    return pairs, holdout


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--work", default=str(Path.home() / ".cache" / "matchhub" / "export-e5"))
    ap.add_argument("--steps", type=int, default=400)
    ap.add_argument("--batch", type=int, default=64)
    ap.add_argument("--lr", type=float, default=3e-5)
    ap.add_argument("--seed", type=int, default=13)
    args = ap.parse_args()

    import torch
    from sentence_transformers import SentenceTransformer, losses

    torch.manual_seed(args.seed)
    work = Path(args.work)
    pairs, holdout = build_pairs(args.seed)
    print(f"{len(pairs)} training pairs; {len(holdout)} held-out occupations")

    model = SentenceTransformer(str(work / "reference-st"), device="cpu")
    model.max_seq_length = 64
    bert = model[0].auto_model
    bert.embeddings.word_embeddings.weight.requires_grad_(False)
    loss_fn = losses.MultipleNegativesRankingLoss(model)
    params = [p for p in model.parameters() if p.requires_grad]
    opt = torch.optim.AdamW(params, lr=args.lr, weight_decay=0.01)
    warmup = max(1, args.steps // 10)
    sched = torch.optim.lr_scheduler.LambdaLR(
        opt, lambda s: min(1.0, (s + 1) / warmup) * max(0.0, (args.steps - s) / max(1, args.steps - warmup)))

    model.train()
    start = time.time()
    i = 0
    for step in range(args.steps):
        # In-batch negatives must not contain a second pair of the same occupation.
        batch, seen = [], set()
        while len(batch) < args.batch:
            a, p, code = pairs[i % len(pairs)]
            i += 1
            if code not in seen:
                seen.add(code)
                batch.append((a, p))
        feats = [model.tokenize([a for a, _ in batch]), model.tokenize([p for _, p in batch])]
        loss = loss_fn(feats, labels=None)
        opt.zero_grad()
        loss.backward()
        torch.nn.utils.clip_grad_norm_(params, 1.0)
        opt.step()
        sched.step()
        if step % 20 == 0 or step == args.steps - 1:
            print(f"step {step + 1}/{args.steps} loss {loss.item():.4f} {time.time() - start:.0f}s", flush=True)

    out = work / "cre-mini-st"
    model.save(str(out))
    (work / "holdout-occupations.txt").write_text("\n".join(holdout) + "\n")
    print("saved", out)


if __name__ == "__main__":
    main()
