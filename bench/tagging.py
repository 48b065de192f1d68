"""Tagger quality and speed.

    .venv/bin/python bench/tagging.py [--gold tests/fixtures/tagging_gold.jsonl] [--errors dev]

Prints, for each split of the gold file (dev, heldout): per-label precision, recall and F1,
and micro and macro F1, for sectors and for risk types; then throughput in documents per
second on texts of about 300 characters in this one process, and peak memory.

It runs against a fresh SQLite database in a temporary directory (migrated here, so the
vocabulary is the seeded one) unless --use-configured-db is given, which measures the
vocabulary editors have actually written.
"""

import argparse
import json
import os
import resource
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SECTORS = [
    "healthcare",
    "financial-services",
    "public-sector",
    "education",
    "energy-utilities",
    "transport-logistics",
    "manufacturing",
    "retail-hospitality",
    "technology-media-telecoms",
    "professional-services",
]
RISK_TYPES = [
    "ransomware",
    "malware",
    "data-breach",
    "ddos",
    "phishing",
    "account-compromise",
    "vulnerability-exploit",
    "supply-chain",
    "insider-threat",
    "human-error",
    "physical-loss",
    "espionage",
    "outage",
]


def set_up_django(use_configured_db):
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cirsite.settings")
    os.environ.setdefault("SECRET_KEY", "bench-only-secret-key")
    if not use_configured_db:
        os.environ["CIRSITE_VAR_DIR"] = tempfile.mkdtemp(prefix="cirsite-bench-")
        os.environ.pop("DATABASE_URL", None)
    import django

    django.setup()
    if not use_configured_db:
        from django.core.management import call_command

        call_command("migrate", verbosity=0)


def scores(rows, predicted, field, labels):
    """(per-label {label: (p, r, f1, support)}, micro f1, macro f1)."""
    counts = {label: [0, 0, 0] for label in labels}  # tp, fp, fn
    for row, result in zip(rows, predicted, strict=True):
        gold = set(row[field])
        guess = set(result)
        for label in labels:
            if label in guess and label in gold:
                counts[label][0] += 1
            elif label in guess:
                counts[label][1] += 1
            elif label in gold:
                counts[label][2] += 1

    def f1(tp, fp, fn):
        p = tp / (tp + fp) if tp + fp else 1.0
        r = tp / (tp + fn) if tp + fn else 1.0
        return p, r, (2 * p * r / (p + r) if p + r else 0.0)

    per_label = {}
    for label, (tp, fp, fn) in counts.items():
        p, r, f = f1(tp, fp, fn)
        per_label[label] = (p, r, f, tp + fn)
    tp, fp, fn = (sum(c[i] for c in counts.values()) for i in range(3))
    micro = f1(tp, fp, fn)[2]
    supported = [v[2] for v in per_label.values() if v[3]]
    macro = sum(supported) / len(supported) if supported else 0.0
    return per_label, micro, macro


def print_scores(title, per_label, micro, macro):
    print(f"\n  {title}")
    print(f"    {'label':28} {'P':>6} {'R':>6} {'F1':>6} {'n':>4}")
    for label, (p, r, f, n) in per_label.items():
        print(f"    {label:28} {p:6.2f} {r:6.2f} {f:6.2f} {n:4d}")
    print(f"    {'micro F1':28} {'':>6} {'':>6} {micro:6.3f}")
    print(f"    {'macro F1':28} {'':>6} {'':>6} {macro:6.3f}")


def print_errors(rows, results):
    for row, result in zip(rows, results, strict=True):
        missing_s = set(row["sectors"]) - set(result.sector_slugs)
        extra_s = set(result.sector_slugs) - set(row["sectors"])
        missing_r = set(row["risk_types"]) - set(result.risk_type_slugs)
        extra_r = set(result.risk_type_slugs) - set(row["risk_types"])
        if missing_s or extra_s or missing_r or extra_r:
            print(f"\n{row['id']}: {row['text']}")
            print(f"   sectors  missing {sorted(missing_s)} extra {sorted(extra_s)}")
            print(f"   risks    missing {sorted(missing_r)} extra {sorted(extra_r)}")
            for match in result.sectors + result.risk_types:
                if match.slug in extra_s | extra_r:
                    print(f"   {match.slug}: {[(e.text, e.rule) for e in match.evidence]}")


def throughput_texts(rows, count):
    """Texts of about 300 characters, cut from the gold descriptions at word boundaries."""
    joined = " ".join(row["text"] for row in rows)
    texts = []
    position = 0
    while len(texts) < count:
        chunk = joined[position : position + 300]
        if len(chunk) < 300:
            position = 0
            continue
        cut = chunk.rfind(" ")
        texts.append(chunk[:cut])
        position += cut + 1
    return texts


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--gold", default=str(ROOT / "tests/fixtures/tagging_gold.jsonl"))
    parser.add_argument("--docs", type=int, default=20000, help="documents for throughput")
    parser.add_argument("--errors", choices=["dev"], help="list the dev split's mistakes")
    parser.add_argument("--use-configured-db", action="store_true")
    args = parser.parse_args()

    set_up_django(args.use_configured_db)
    from ingest.tagging import get_tagger

    rows = [json.loads(line) for line in Path(args.gold).read_text().splitlines() if line]
    started = time.perf_counter()
    tagger = get_tagger()
    print(f"tagger {tagger.version} built in {time.perf_counter() - started:.2f} s")

    for split in ("dev", "heldout"):
        subset = [row for row in rows if row["split"] == split]
        results = tagger.tag_many([row["text"] for row in subset])
        print(f"\n== split {split}: {len(subset)} texts")
        print_scores(
            "sectors",
            *scores(subset, [r.sector_slugs for r in results], "sectors", SECTORS),
        )
        print_scores(
            "risk types",
            *scores(subset, [r.risk_type_slugs for r in results], "risk_types", RISK_TYPES),
        )
        if args.errors == split:
            print_errors(subset, results)

    texts = throughput_texts(rows, args.docs)
    tagger.tag_many(texts[:500])  # warm the vocabulary's string store
    # Best of three runs: the figure is the tagger's speed, not the machine's other load.
    # CPU time is printed too, since a busy machine stretches the wall clock.
    # Texts go through in chunks, as ingest feeds them, so the figure is the tagger's memory
    # and not that of twenty thousand results held at once.
    runs = []
    for _ in range(3):
        wall, cpu = time.perf_counter(), time.process_time()
        for first in range(0, len(texts), 1000):
            tagger.tag_many(texts[first : first + 1000])
        runs.append((time.perf_counter() - wall, time.process_time() - cpu))
    wall, cpu = min(runs)
    mean_length = sum(len(t) for t in texts) / len(texts)
    print(
        f"\nthroughput: {len(texts) / wall:,.0f} docs/s wall clock, "
        f"{len(texts) / cpu:,.0f} docs/s of CPU time "
        f"({len(texts)} texts, mean {mean_length:.0f} chars, best of 3, one process)"
    )
    peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(f"peak memory: {peak_kb / 1024:.0f} MB (max resident set size)")


if __name__ == "__main__":
    main()
