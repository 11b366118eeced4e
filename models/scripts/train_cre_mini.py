"""CRE-mini: multilingual-e5-small tuned on public recruitment pairs (contrastive, CPU).

    python models/scripts/train_cre_mini.py [--work DIR] [--steps N] [--batch B] [--lr LR]

Starts from the fp32 reference that export_multilingual_e5_small.py builds under --work
(reference-st/) and writes the tuned sentence-transformers folder to --work/cre-mini-st plus
--work/cre-mini-holdout.json (what training never saw; the evaluation reads it).

Pairs (E5 prefixes kept: "query: " for titles, "passage: " for sentences):
  titles      O*NET alternate title -> occupation title; ESCO alternative label -> preferred
              label; our own Chinese demo titles (src/demo/demo-vocabulary-zh.ts)
              -> the O*NET occupation title and -> the most common Chinese form
  tasks       O*NET task statement -> occupation title
  definitions ESCO description and O*NET description -> the occupation's title
  tools       O*NET technology skill -> occupation title, only for tools that name at most
              TOOL_MAX_OCCUPATIONS occupations: "Microsoft Excel" belongs to hundreds, and as a
              positive for one of them it contradicts the in-batch negatives (its loss stayed
              above chance in a trial run)

Hold-out, by occupation, so that no evaluation set meets an occupation training saw:
  - O*NET: every occupation whose code hashes into the held-out fifth (all of its pairs,
    including the Chinese ones, are dropped). eval:embed scores O*NET only on these.
  - ESCO: TalentCLEF's judgements are ESCO occupations' label sets, so every ESCO occupation
    with a label equal to a TalentCLEF (en) title, or to a held-out O*NET title or alternate
    title, is dropped whole. This reads the evaluation files only to remove training data.
  - Any remaining pair with a side equal to one of those evaluation texts is dropped too.

Batches are drawn from one group at a time (similar lengths pad little, which is most of the
speed on a CPU), never holding two pairs of the same occupation or the same text, since
MultipleNegativesRankingLoss treats every other row of the batch as a negative.
The 250k-row word-embedding table is frozen (80% of the parameters, mostly tokens that never
occur here; keeping it lets the export reuse its 4-bit form), and so are the lowest
FROZEN_LAYERS layers: almost all our pairs are English, and the lower layers carry the
multilingual features that Chinese retrieval depends on.
"""
from __future__ import annotations

import argparse
import csv
import hashlib
import json
import random
import re
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent.parent
SHARED = REPO.parent / "shared" / "data"
ZH_VOCAB = REPO / "src" / "datahub" / "demo" / "demo-vocabulary-zh.ts"

# Share of steps per group (titles are what search and matching read most).
MIX = {"titles": 0.68, "tasks": 0.18, "definitions": 0.06, "tools": 0.08}
TOOL_MAX_OCCUPATIONS = 3
MAX_TOKENS = {"titles": 32, "tasks": 64, "definitions": 64, "tools": 32}
# Frozen: the word-embedding table and the lowest layers (multilingual lexical features we
# have no Chinese data to retrain; also a quarter less backward work).
FROZEN_LAYERS = 4

Pair = tuple[str, str, str]  # anchor, positive, occupation key


def held_out(code: str) -> bool:
    return int(hashlib.sha256(code.encode()).hexdigest(), 16) % 5 == 0


def norm(text: str) -> str:
    return " ".join(text.lower().split())


def read_tsv(path: Path) -> list[dict[str, str]]:
    with open(path, encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f, delimiter="\t", quoting=csv.QUOTE_NONE))


def read_esco(path: Path) -> list[dict[str, str]]:
    csv.field_size_limit(1 << 30)
    with open(path, encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def zh_titles() -> dict[str, list[str]]:
    """ZH_TITLES from the demo vocabulary: lines of the form  'code': ['title', ...],"""
    text = ZH_VOCAB.read_text(encoding="utf-8")
    block = text[text.index("export const ZH_TITLES") :]
    block = block[: block.index("\n};")]
    out: dict[str, list[str]] = {}
    for code, titles in re.findall(r"'([0-9]{2}-[0-9]{4}\.[0-9]{2})': \[([^\]]*)\]", block):
        out[code] = re.findall(r"'([^']+)'", titles)
    return out


def talentclef_texts() -> set[str]:
    texts: set[str] = set()
    for name in ("queries", "corpus_elements"):
        for row in read_tsv(SHARED / "talentclef" / "en" / name):
            texts.add(norm(row["jobtitle"]))
    return texts


def build_pairs(seed: int) -> tuple[dict[str, list[Pair]], dict]:
    onet = SHARED / "onet"
    occupations = {r["O*NET-SOC Code"]: r for r in read_tsv(onet / "Occupation Data.txt")}
    title = {c: r["Title"] for c, r in occupations.items()}
    alternates = read_tsv(onet / "Alternate Titles.tsv")
    onet_holdout = sorted(c for c in occupations if held_out(c))
    evaluation = talentclef_texts()
    for r in alternates:
        if held_out(r["O*NET-SOC Code"]):
            evaluation.add(norm(r["Alternate Title"]))
    evaluation |= {norm(title[c]) for c in onet_holdout}

    groups: dict[str, list[Pair]] = {g: [] for g in MIX}
    q, p = "query: ", "passage: "
    for r in alternates:
        code, alt = r["O*NET-SOC Code"], r["Alternate Title"].strip()
        if code in title and not held_out(code) and norm(alt) != norm(title[code]):
            groups["titles"].append((q + alt, q + title[code], code))
    for code, forms in zh_titles().items():
        if code in title and not held_out(code):
            for form in forms:
                groups["titles"].append((q + form, q + title[code], code))
                if form != forms[0]:
                    groups["titles"].append((q + form, q + forms[0], code))
    for r in read_tsv(onet / "Task Statements.txt"):
        code = r["O*NET-SOC Code"]
        if code in title and not held_out(code):
            groups["tasks"].append((p + r["Task"].strip(), q + title[code], code))
    for code, r in occupations.items():
        if not held_out(code) and r["Description"].strip():
            groups["definitions"].append((p + r["Description"].strip(), q + title[code], code))
    tools = read_tsv(onet / "Technology Skills.txt")
    named_by: dict[str, set[str]] = {}
    for r in tools:
        named_by.setdefault(r["Example"].strip(), set()).add(r["O*NET-SOC Code"])
    for r in tools:
        code, tool = r["O*NET-SOC Code"], r["Example"].strip()
        if code in title and not held_out(code) and len(named_by[tool]) <= TOOL_MAX_OCCUPATIONS:
            groups["tools"].append((q + tool, q + title[code], code))

    esco_dropped = 0
    for r in read_esco(SHARED / "esco" / "occupations_en.csv"):
        preferred = r["preferredLabel"].strip()
        alts = [a.strip() for a in r["altLabels"].split("\n") if a.strip()]
        if any(norm(label) in evaluation for label in [preferred, *alts]):
            esco_dropped += 1
            continue
        key = r["conceptUri"]
        for alt in alts:
            if norm(alt) != norm(preferred):
                groups["titles"].append((q + alt, q + preferred, key))
        if r["description"].strip():
            groups["definitions"].append((p + r["description"].strip(), q + preferred, key))

    def clean(pair: Pair) -> bool:
        return not any(norm(side.split(": ", 1)[1]) in evaluation for side in pair[:2])

    rng = random.Random(seed)
    for name in groups:
        kept = [pair for pair in groups[name] if clean(pair)]
        kept = list(dict.fromkeys(kept))  # exact repeats (a tool listed twice) add nothing
        rng.shuffle(kept)
        groups[name] = kept
    holdout = {"onetOccupations": onet_holdout, "escoOccupationsDropped": esco_dropped}
    return groups, holdout


class Batches:
    """Endless batches from one group: no occupation and no text twice in a batch."""

    def __init__(self, pairs: list[Pair], size: int, seed: int):
        self.pairs, self.size, self.i = pairs, size, 0
        self.rng = random.Random(seed)

    def next(self) -> list[tuple[str, str]]:
        batch: list[tuple[str, str]] = []
        keys: set[str] = set()
        texts: set[str] = set()
        deferred: list[Pair] = []
        while len(batch) < self.size:
            if self.i >= len(self.pairs):
                self.rng.shuffle(self.pairs)
                self.i = 0
            pair = self.pairs[self.i]
            self.i += 1
            a, pos, key = pair
            if key in keys or a in texts or pos in texts:
                deferred.append(pair)
                if len(deferred) > 4 * self.size:  # a tiny group cannot fill a batch
                    break
                continue
            keys.add(key)
            texts.update((a, pos))
            batch.append((a, pos))
        # deferred pairs come back later rather than being skipped for this epoch
        self.pairs[self.i : self.i] = deferred
        return batch


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--work", default=str(Path.home() / ".cache" / "matchhub" / "export-e5"))
    ap.add_argument("--steps", type=int, default=400)
    ap.add_argument("--batch", type=int, default=64)
    ap.add_argument("--lr", type=float, default=4e-5)
    ap.add_argument("--seed", type=int, default=13)
    ap.add_argument("--dry-run", action="store_true", help="print the pair counts and stop")
    args = ap.parse_args()

    work = Path(args.work)
    groups, holdout = build_pairs(args.seed)
    counts = {g: len(v) for g, v in groups.items()}
    print(f"pairs {counts}; held out {len(holdout['onetOccupations'])} O*NET occupations,"
          f" dropped {holdout['escoOccupationsDropped']} ESCO occupations", flush=True)
    if args.dry_run:
        return

    import torch
    from sentence_transformers import SentenceTransformer, losses

    torch.manual_seed(args.seed)
    model = SentenceTransformer(str(work / "reference-st"), device="cpu")
    bert = model[0].auto_model
    bert.embeddings.word_embeddings.weight.requires_grad_(False)
    for layer in bert.encoder.layer[:FROZEN_LAYERS]:
        layer.requires_grad_(False)
    loss_fn = losses.MultipleNegativesRankingLoss(model)
    params = [p for p in model.parameters() if p.requires_grad]
    opt = torch.optim.AdamW(params, lr=args.lr, weight_decay=0.01)
    warmup = max(1, args.steps // 10)
    sched = torch.optim.lr_scheduler.LambdaLR(
        opt, lambda s: min(1.0, (s + 1) / warmup) * max(0.0, (args.steps - s) / max(1, args.steps - warmup)))

    rng = random.Random(args.seed)
    names = list(MIX)
    batches = {g: Batches(groups[g], args.batch, args.seed + i) for i, g in enumerate(names)}
    model.train()
    start = time.time()
    losses_by_group: dict[str, list[float]] = {g: [] for g in names}
    for step in range(args.steps):
        group = rng.choices(names, weights=[MIX[g] for g in names])[0]
        batch = batches[group].next()
        model.max_seq_length = MAX_TOKENS[group]
        feats = [model.tokenize([a for a, _ in batch]), model.tokenize([b for _, b in batch])]
        loss = loss_fn(feats, labels=None)
        opt.zero_grad()
        loss.backward()
        torch.nn.utils.clip_grad_norm_(params, 1.0)
        opt.step()
        sched.step()
        losses_by_group[group].append(loss.item())
        if (step + 1) % 25 == 0 or step == args.steps - 1:
            recent = {g: round(sum(v[-10:]) / len(v[-10:]), 3) for g, v in losses_by_group.items() if v}
            print(f"step {step + 1}/{args.steps} {time.time() - start:.0f}s loss {recent}", flush=True)

    model.max_seq_length = 512
    out = work / "cre-mini-st"
    model.save(str(out))
    meta = {
        **holdout,
        "pairs": counts,
        "steps": args.steps,
        "batch": args.batch,
        "lr": args.lr,
        "frozenLayers": FROZEN_LAYERS,
        "seed": args.seed,
        "seconds": round(time.time() - start),
        "python": sys.version.split()[0],
        "torch": torch.__version__,
    }
    (work / "cre-mini-holdout.json").write_text(json.dumps(meta, indent=2) + "\n")
    print("saved", out, meta["seconds"], "s")


if __name__ == "__main__":
    main()
