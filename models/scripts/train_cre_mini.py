"""CRE-mini: multilingual-e5-small tuned on public recruitment pairs (contrastive, CPU).

    python models/scripts/train_cre_mini.py [--work DIR] [--steps N] [--max-seconds S] [--batch B] [--lr LR]
        [--data DIR] [--mine-from DIR] [--mine-titles N] [--mine-tasks N] [--without SETS] [--mix G=S,...] [--dry-run]

Starts from the fp32 reference that export_multilingual_e5_small.py builds under --work
(reference-st/) and writes the tuned sentence-transformers folder to --work/cre-mini-st plus
--work/cre-mini-holdout.json (what training never saw; the evaluation reads it).

Pairs (E5 prefixes kept: "query: " for titles, "passage: " for sentences):
  titles      O*NET alternate title -> occupation title; ESCO alternative and hidden label ->
              preferred label; our own Chinese demo titles (src/demo/demo-vocabulary-zh.ts)
              -> the O*NET occupation title and -> the most common Chinese form; (v2) the
              Chinese titles with a seniority prefix or lead suffix as the demo writes them
              ("高级数据工程师") -> the plain form and -> the occupation title; (v2) O*NET
              alternate titles -> the occupation's most common Chinese form (cross-lingual)
  tasks       O*NET task statement -> occupation title; (v2) our Chinese duty lines of one
              occupation (ZH_DUTIES keyed by a full SOC prefix) -> its Chinese title
  definitions ESCO description and O*NET description -> the occupation's title
  tools       O*NET technology skill -> occupation title, only for tools that name at most
              TOOL_MAX_OCCUPATIONS occupations: "Microsoft Excel" belongs to hundreds, and as a
              positive for one of them it contradicts the in-batch negatives (its loss stayed
              above chance in a trial run); (v2) toolsets: 3-6 of one occupation's tools in
              one line, as a resume's skills line lists them, -> occupation title (a set of
              tools names an occupation where one common tool cannot)

Hard negatives (v2): for a sample of title and task pairs, the current model (--mine-from,
default the bundled models/cre-mini ONNX file) ranks the training occupation titles of the
same taxonomy; the negative is one of the three best-ranked titles of another occupation,
skipping any occupation the anchor text also names (O*NET lists some alternate titles under
several occupations) and any title scored above 0.95 x the positive's score (likely a false
negative: a synonym the taxonomy files under another code). Those rows train as triplets in
their own batches; the negative of each row is also a negative for every other row.

Hold-out, by occupation, so that no evaluation set meets an occupation training saw:
  - O*NET: every occupation whose code hashes into the held-out fifth (all of its pairs,
    including the Chinese ones, are dropped). eval:embed scores O*NET only on these.
  - ESCO: TalentCLEF's judgements are ESCO occupations' label sets, so every ESCO occupation
    with a label equal to a TalentCLEF (en) title, or to a held-out O*NET title or alternate
    title, is dropped whole. This reads the evaluation files only to remove training data.
  - Any remaining pair with a side equal to one of those evaluation texts is dropped too, and
    (v2) so is any pair with a side equal to a text eval:search or the Chinese TalentCLEF set
    measures: the O*NET alternate titles eval:search asks (every 20th row of the file, of
    every occupation) and every TalentCLEF zh query and corpus title. v1 trained on both.

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
ZH_VOCAB = REPO / "src" / "demo" / "demo-vocabulary-zh.ts"
MINE_FROM = REPO / "models" / "cre-mini"

# Share of steps per group (titles are what search and matching read most); "-hard" groups
# are triplets with a mined negative.
MIX = {"titles": 0.40, "titles-hard": 0.28, "tasks": 0.09, "tasks-hard": 0.07, "definitions": 0.05,
       "tools": 0.06, "toolsets": 0.05}
TOOL_MAX_OCCUPATIONS = 3
MAX_TOKENS = {"titles": 32, "titles-hard": 32, "tasks": 64, "tasks-hard": 64, "definitions": 64,
              "tools": 32, "toolsets": 48}
# eval:search (bench/search-eval-data.ts) asks every EVAL_SEARCH_EVERY-th O*NET alternate title.
EVAL_SEARCH_EVERY = 20
# Negatives scored above this share of the positive's score are skipped as likely synonyms.
NEGATIVE_MAX_SHARE = 0.95
# Frozen: the word-embedding table and the lowest layers (multilingual lexical features we
# have no Chinese data to retrain; also a quarter less backward work).
FROZEN_LAYERS = 4

Pair = tuple[str, ...]  # anchor, positive, occupation key[, negative, the negative's key]
# v2's additions to v1's pairs, each of which --without can leave out (one change per run).
V2_PAIRS = ("hidden-labels", "zh-graded", "cross-lingual", "zh-duties", "toolsets")


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


def zh_duties() -> dict[str, list[str]]:
    """ZH_DUTIES keyed by a full SOC prefix (one occupation family, e.g. '15-1252'); the
    major-group entries ('15') are too broad to name an occupation."""
    text = ZH_VOCAB.read_text(encoding="utf-8")
    block = text[text.index("export const ZH_DUTIES") :]
    block = block[: block.index("\n};")]
    out: dict[str, list[str]] = {}
    for prefix, lines in re.findall(r"'([0-9]{2}-[0-9]{4})': \[(.*?)\]", block, flags=re.S):
        out[prefix] = re.findall(r"'([^']+)'", lines)
    return out


def zh_grades() -> tuple[list[str], list[str]]:
    """Seniority prefixes and lead suffixes of the demo vocabulary."""
    text = ZH_VOCAB.read_text(encoding="utf-8")
    block = text[text.index("export const ZH_SENIORITY_PREFIX") :]
    block = block[: block.index("\n};")]
    prefixes = re.findall(r"'([^']+)'", block)
    suffixes = re.findall(r"'([^']+)'", re.search(r"ZH_LEAD_SUFFIX = \[([^\]]*)\]", text).group(1))
    return prefixes, suffixes


def talentclef_texts(lang: str = "en") -> set[str]:
    texts: set[str] = set()
    for name in ("queries", "corpus_elements"):
        for row in read_tsv(SHARED / "talentclef" / lang / name):
            texts.add(norm(row["jobtitle"]))
    return texts


def build_pairs(seed: int, without: frozenset[str] = frozenset()) -> tuple[dict[str, list[Pair]], dict]:
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
    # Texts measured elsewhere: dropped pair by pair (they name no ESCO occupation to drop).
    measured = talentclef_texts("zh") | {
        norm(r["Alternate Title"]) for i, r in enumerate(alternates) if i % EVAL_SEARCH_EVERY == 0
    }

    rng = random.Random(seed)
    groups: dict[str, list[Pair]] = {g: [] for g in MIX}
    q, p = "query: ", "passage: "
    zh = {c: forms for c, forms in zh_titles().items() if c in title and not held_out(c)}
    for r in alternates:
        code, alt = r["O*NET-SOC Code"], r["Alternate Title"].strip()
        if code in title and not held_out(code) and norm(alt) != norm(title[code]):
            groups["titles"].append((q + alt, q + title[code], code))
            if code in zh and "cross-lingual" not in without:
                groups["titles"].append((q + alt, q + zh[code][0], code))
    prefixes, suffixes = zh_grades()
    for code, forms in zh.items():
        for form in forms:
            groups["titles"].append((q + form, q + title[code], code))
            if form != forms[0]:
                groups["titles"].append((q + form, q + forms[0], code))
            graded_forms = (rng.choice(prefixes) + form, form + rng.choice(suffixes))
            for graded in () if "zh-graded" in without else graded_forms:
                groups["titles"].append((q + graded, q + form, code))
                groups["titles"].append((q + graded, q + title[code], code))
    for r in read_tsv(onet / "Task Statements.txt"):
        code = r["O*NET-SOC Code"]
        if code in title and not held_out(code):
            groups["tasks"].append((p + r["Task"].strip(), q + title[code], code))
    for prefix, lines in {} if "zh-duties" in without else zh_duties().items():
        codes = [c for c in title if c.startswith(prefix)]
        if any(held_out(c) for c in codes):
            continue  # a family with a held-out member stays out whole
        for code in codes:
            if code in zh:
                groups["tasks"].extend((p + line, q + zh[code][0], code) for line in lines)
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
    tools_of: dict[str, list[str]] = {}
    for r in tools:
        tools_of.setdefault(r["O*NET-SOC Code"], []).append(r["Example"].strip())
    for code, names in sorted(tools_of.items()):
        names = sorted(set(names))
        if code in title and not held_out(code) and len(names) >= 4 and "toolsets" not in without:
            for _ in range(min(6, len(names) // 3)):
                picked = rng.sample(names, rng.randint(3, min(6, len(names))))
                groups["toolsets"].append((p + ", ".join(picked), q + title[code], code))

    esco_dropped = 0
    for r in read_esco(SHARED / "esco" / "occupations_en.csv"):
        preferred = r["preferredLabel"].strip()
        labels = r["altLabels"] if "hidden-labels" in without else r["altLabels"] + "\n" + r["hiddenLabels"]
        alts = [a.strip() for a in labels.split("\n") if a.strip()]
        if any(norm(label) in evaluation for label in [preferred, *alts]):
            esco_dropped += 1
            continue
        key = r["conceptUri"]
        for alt in alts:
            if norm(alt) != norm(preferred):
                groups["titles"].append((q + alt, q + preferred, key))
        if r["description"].strip():
            groups["definitions"].append((p + r["description"].strip(), q + preferred, key))

    excluded = evaluation | measured

    def clean(pair: Pair) -> bool:
        return not any(norm(side.split(": ", 1)[1]) in excluded for side in pair[:2])

    for name in groups:
        kept = [pair for pair in groups[name] if clean(pair)]
        kept = list(dict.fromkeys(kept))  # exact repeats (a tool listed twice) add nothing
        rng.shuffle(kept)
        groups[name] = kept
    holdout = {"onetOccupations": onet_holdout, "escoOccupationsDropped": esco_dropped}
    return groups, holdout


def mine_negatives(groups: dict[str, list[Pair]], model_dir: Path, counts: dict[str, int], seed: int) -> dict:
    """Moves `counts[group]` pairs of a group into "<group>-hard" as triplets with a negative the
    current model ranks high (see the module docstring). Pools are the group's positives of the
    same taxonomy (ESCO keys are URIs, O*NET keys SOC codes), so no held-out text enters."""
    from export_multilingual_e5_small import onnx_embed

    model, tokenizer = model_dir / "model.onnx", model_dir / "tokenizer.json"
    rng = random.Random(seed)
    report: dict = {"model": json.loads((model_dir / "model.json").read_text())["modelId"]}
    for name, count in counts.items():
        pairs = groups[name]
        sample, rest = pairs[:count], pairs[count:]
        keys_of: dict[str, set[str]] = {}
        for a, pos, key in pairs:
            keys_of.setdefault(pos, set()).add(key)
            keys_of.setdefault(a, set()).add(key)
        pool = {tax: sorted({pos for _, pos, key in pairs if key.startswith("http") == (tax == "esco")})
                for tax in ("onet", "esco")}
        start = time.time()
        pool_vecs = {tax: onnx_embed(model, tokenizer, texts) for tax, texts in pool.items() if texts}
        anchors = onnx_embed(model, tokenizer, [a for a, _, _ in sample])
        index = {tax: {t: i for i, t in enumerate(texts)} for tax, texts in pool.items()}
        hard: list[Pair] = []
        for (a, pos, key), vec in zip(sample, anchors):
            tax = "esco" if key.startswith("http") else "onet"
            scores = pool_vecs[tax] @ vec
            limit = NEGATIVE_MAX_SHARE * scores[index[tax][pos]]
            own = keys_of[a] | {key}
            chosen: list[tuple[str, str]] = []
            for j in scores.argsort()[::-1][:50]:
                text = pool[tax][j]
                if scores[j] > limit or text == pos or keys_of[text] & own:
                    continue
                chosen.append((text, sorted(keys_of[text])[0]))
                if len(chosen) == 3:
                    break
            if chosen:
                neg, neg_key = rng.choice(chosen)
                hard.append((a, pos, key, neg, neg_key))
            else:
                rest.append((a, pos, key))
        groups[name], groups[f"{name}-hard"] = rest, hard
        report[name] = {"sampled": len(sample), "triplets": len(hard), "seconds": round(time.time() - start)}
        print(f"mined {name}: {len(hard)} triplets of {len(sample)} in {time.time() - start:.0f}s", flush=True)
    return report


class Batches:
    """Endless batches from one group: no occupation and no text twice in a batch (a triplet's
    negative counts as its occupation and text too, since every row sees it as a negative)."""

    def __init__(self, pairs: list[Pair], size: int, seed: int):
        self.pairs, self.size, self.i = pairs, size, 0
        self.rng = random.Random(seed)

    def next(self) -> list[tuple[str, ...]]:
        batch: list[tuple[str, ...]] = []
        keys: set[str] = set()
        texts: set[str] = set()
        deferred: list[Pair] = []
        while len(batch) < self.size:
            if self.i >= len(self.pairs):
                self.rng.shuffle(self.pairs)
                self.i = 0
            pair = self.pairs[self.i]
            self.i += 1
            sides, pair_keys = (pair[0], pair[1], *pair[3:4]), (pair[2], *pair[4:5])
            if any(k in keys for k in pair_keys) or any(t in texts for t in sides):
                deferred.append(pair)
                if len(deferred) > 4 * self.size:  # a tiny group cannot fill a batch
                    break
                continue
            keys.update(pair_keys)
            texts.update(sides)
            batch.append(sides)
        # deferred pairs come back later rather than being skipped for this epoch
        self.pairs[self.i : self.i] = deferred
        return batch


def main() -> None:
    global SHARED
    ap = argparse.ArgumentParser()
    ap.add_argument("--work", default=str(Path.home() / ".cache" / "matchhub" / "export-e5"))
    ap.add_argument("--steps", type=int, default=400)
    ap.add_argument("--batch", type=int, default=64)
    ap.add_argument("--lr", type=float, default=4e-5)
    ap.add_argument("--seed", type=int, default=13)
    ap.add_argument("--max-seconds", type=int, default=0,
                    help="end by this many seconds of training, the learning rate decayed to 0 by then (0: no limit)")
    ap.add_argument("--end-at", default=None,
                    help="ISO time (e.g. 2026-12-02T02:00:00+00:00) by which training ends; sets --max-seconds at its start")
    ap.add_argument("--data", default=str(SHARED), help="folder with onet/, esco/, talentclef/ (../shared/data)")
    ap.add_argument("--mine-from", default=str(MINE_FROM), help="ONNX model folder that mines hard negatives")
    ap.add_argument("--mine-titles", type=int, default=3000, help="title pairs to mine a negative for")
    ap.add_argument("--mine-tasks", type=int, default=500, help="task pairs to mine a negative for")
    ap.add_argument("--without", default="", help=f"v2 pair sets to leave out, comma-separated: {', '.join(V2_PAIRS)}")
    ap.add_argument("--mix", default="",
                    help="group shares overriding MIX, e.g. titles=0.5,titles-hard=0.2 (a group left at 0 is not drawn)")
    ap.add_argument("--dry-run", action="store_true", help="print the pair counts and stop")
    ap.add_argument("--mine-only", action="store_true", help="mine (and keep) the hard negatives, then stop")
    args = ap.parse_args()
    SHARED = Path(args.data)

    work = Path(args.work)
    work.mkdir(parents=True, exist_ok=True)
    without = frozenset(w for w in args.without.split(",") if w)
    if without - set(V2_PAIRS):
        ap.error(f"--without: unknown {sorted(without - set(V2_PAIRS))}; choose from {', '.join(V2_PAIRS)}")
    for item in filter(None, args.mix.split(",")):
        name, share = item.split("=")
        if name not in MIX:
            ap.error(f"--mix: unknown group {name}; groups are {', '.join(MIX)}")
        MIX[name] = float(share)
    groups, holdout = build_pairs(args.seed, without)
    if args.dry_run:
        print({g: len(v) for g, v in groups.items()})
        return
    mined_file = work / "cre-mini-negatives.json"
    want = {"titles": args.mine_titles, "tasks": args.mine_tasks}
    cached = json.loads(mined_file.read_text()) if mined_file.exists() else None
    if cached and cached["want"] == want and cached["seed"] == args.seed and cached.get("without", []) == sorted(without):
        for name in want:  # same pairs, same order: re-use the mined triplets
            hard = [tuple(t) for t in cached["groups"][name]]
            taken = {t[:3] for t in hard}
            groups[name] = [pr for pr in groups[name] if pr not in taken]
            groups[f"{name}-hard"] = hard
        mining = cached["report"]
    else:
        sys.path.insert(0, str(HERE))
        mining = mine_negatives(groups, Path(args.mine_from), want, args.seed)
        mined_file.write_text(json.dumps({"want": want, "seed": args.seed, "without": sorted(without), "report": mining,
                                          "groups": {n: groups[f"{n}-hard"] for n in want}}, ensure_ascii=False))
    counts = {g: len(v) for g, v in groups.items()}
    if args.mine_only:
        print(counts, mining)
        return
    print(f"pairs {counts}; held out {len(holdout['onetOccupations'])} O*NET occupations,"
          f" dropped {holdout['escoOccupationsDropped']} ESCO occupations", flush=True)

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

    def lr_factor(progress: float) -> float:
        """10% linear warm-up, then linear decay to 0 at progress 1."""
        return min(1.0, progress / 0.1) if progress < 0.1 else max(0.0, (1 - progress) / 0.9)

    rng = random.Random(args.seed)
    names = [g for g in MIX if MIX[g] > 0]
    batches = {g: Batches(groups[g], args.batch, args.seed + i) for i, g in enumerate(names)}
    model.train()
    start = time.time()
    if args.end_at:
        from datetime import datetime

        args.max_seconds = int(datetime.fromisoformat(args.end_at).timestamp() - start)
        print(f"training ends by {args.end_at}: {args.max_seconds} s", flush=True)
    losses_by_group: dict[str, list[float]] = {g: [] for g in names}
    step = 0
    while True:
        # Progress is steps or time, whichever is further along (--max-seconds): on a shared
        # machine the run then ends on time with its learning rate fully decayed.
        progress = step / args.steps
        if args.max_seconds:
            progress = max(progress, (time.time() - start) / args.max_seconds)
        if progress >= 1:
            break
        for g in opt.param_groups:
            g["lr"] = args.lr * lr_factor(max(progress, 0.5 / args.steps))
        group = rng.choices(names, weights=[MIX[g] for g in names])[0]
        batch = batches[group].next()
        model.max_seq_length = MAX_TOKENS[group]
        feats = [model.tokenize([row[col] for row in batch]) for col in range(len(batch[0]))]
        loss = loss_fn(feats, labels=None)
        opt.zero_grad()
        loss.backward()
        torch.nn.utils.clip_grad_norm_(params, 1.0)
        opt.step()
        step += 1
        losses_by_group[group].append(loss.item())
        if step % 25 == 0:
            recent = {g: round(sum(v[-10:]) / len(v[-10:]), 3) for g, v in losses_by_group.items() if v}
            print(f"step {step}/{args.steps} {time.time() - start:.0f}s lr {opt.param_groups[0]['lr']:.2e} loss {recent}",
                  flush=True)

    model.max_seq_length = 512
    out = work / "cre-mini-st"
    model.save(str(out))
    meta = {
        **holdout,
        "version": 2,
        "pairs": counts,
        "without": sorted(without),
        "mix": MIX,
        "hardNegatives": mining,
        "steps": step,
        "stepsPlanned": args.steps,
        "maxSeconds": args.max_seconds,
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
