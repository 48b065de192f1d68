"""Tagger quality and speed: a learning curve, per-label scores, throughput and memory.

    .venv/bin/python bench/tagging.py [--dev FILE] [--heldout FILE] [--cv 5] [--errors] [--speed]
    .venv/bin/python bench/tagging.py --blind tests/fixtures/tagging_blind.jsonl [--errors]

Development lines (the seed examples, ingest/tagging/data/seed_examples.jsonl) train the
model; held-out lines (tests/fixtures/tagging_heldout.jsonl) are only ever scored. For
k = 0, 100, 250, 500 and all development lines it trains spaCy's text classifier on k lines
(a fixed shuffle) and scores the held-out lines with the rules alone, the model alone and
the combination (``ingest.tagging.combined``): micro and macro F1 per axis, then per label
for the model trained on all lines. Then speed and memory (``--speed`` prints only these):

- learning as ``manage.py tag --learn`` of a 1,361-record archive does: the model trained on
  the development lines plus 1,361 archive lines (the development lines again, cycled: only
  the time matters), and tagging 1,307 lines with the combined tagger it gives, as
  ``manage.py tag --jsonl`` does (batches of 500), including building that tagger;
- throughput of the rules alone and of the combination, on ~300-character texts and on the
  development items (title and text), in items per CPU-second and per wall-clock second;
- peak memory: the maximum resident set size of the process (ru_maxrss).

CPU time (``time.process_time()``) is the tagger's own cost; wall-clock time also counts
waiting for a core, so on a shared machine it depends on the load average, printed beside it.

``--cv N`` instead prints N-fold cross-validated figures on the development lines only: the
figures the combination policy was chosen by, so that the held-out lines never tune it.
``--fit N`` fits the per-label risk thresholds of ``ingest.tagging.combined`` on the same
out-of-fold predictions (development lines only) and prints them, then the precision of the
labels the public tracker would show at each confidence threshold (``TAGS_PUBLIC_MIN_SCORE``).
The normal run ends with that precision on the held-out lines, as a check.

``--blind FILE`` trains the model once on all development lines (as the shipped seed set
trains it) and scores the held-out lines and FILE side by side: rules, model and
combination, micro and macro F1 per axis, then per label on FILE. The blind lines
(tests/fixtures/tagging_blind.jsonl) were written by someone who had not read the
development lines, the held-out lines or the vocabulary's terms, so they show how the tagger
reads wording nobody tuned it on; like the held-out lines, they must never tune it. One lean:
the seed examples seed-0910 to seed-1206 and the vocabulary lines added with them were
written by the same author after reading the blind set's errors (not its lines), so on
those kinds of failure the blind figures may flatter the tagger a little.
With ``--errors`` it lists the combination's mistakes on FILE, to see the kinds of failure.

The rules use the shipped vocabulary (ingest/tagging/data/vocabulary), the vocabulary a
freshly migrated database holds; no database is needed.
"""

import argparse
import json
import os
import random
import resource
import sys
import time
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from ingest.tagging.combined import (  # noqa: E402
    CombinedTagger,
    Policy,
    SimilarExamples,
    combine,
)
from ingest.tagging.engine import Tagger, Term, Vocabulary  # noqa: E402
from ingest.tagging.learning import (  # noqa: E402
    RISK_PREFIX,
    SECTOR_PREFIX,
    LabelledText,
    TextModel,
    label_names,
    model_text,
    timed,
)
from ingest.tagging.shipped import shipped_vocabulary  # noqa: E402

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
            print(f"\n{row['id']}: {text_of(row)}")
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


def rules_tagger():
    shipped = shipped_vocabulary()

    def terms(kind, slugs):
        return tuple(
            Term(slug, shipped[kind][slug].keywords, shipped[kind][slug].organisations)
            for slug in slugs
        )

    return Tagger(
        Vocabulary(sectors=terms("sector", SECTORS), risk_types=terms("risk", RISK_TYPES))
    )


def read_rows(path):
    return [
        json.loads(line) for line in Path(path).read_text(encoding="utf-8").splitlines() if line
    ]


def text_of(row):
    """As the pipeline tags an incident: the title, a blank line, the summary."""
    return f"{row.get('title') or ''}\n\n{row['text']}".strip()


def labelled(row):
    return LabelledText(
        model_text(row.get("title"), row["text"]), tuple(row["sectors"]), tuple(row["risk_types"])
    )


def support_of(rows):
    support = {}
    for row in rows:
        for label in labelled(row).label_set():
            support[label] = support.get(label, 0) + 1
    return support


def model_only(probabilities):
    """The model's labels on their own: every label at p >= 0.5."""
    sectors = [
        label[len(SECTOR_PREFIX) :]
        for label, p in probabilities.items()
        if label.startswith(SECTOR_PREFIX) and p >= 0.5
    ]
    risks = [
        label[len(RISK_PREFIX) :]
        for label, p in probabilities.items()
        if label.startswith(RISK_PREFIX) and p >= 0.5
    ]
    return sectors, risks


def evaluate(rows, rules, model, support, policy):
    """{"rules"|"model"|"combined": (sector predictions, risk predictions)}."""
    texts = [text_of(row) for row in rows]
    rule_results = rules.tag_many(texts)
    out = {
        "rules": ([r.sector_slugs for r in rule_results], [r.risk_type_slugs for r in rule_results])
    }
    if model is None:
        out["model"] = ([[] for _ in rows], [[] for _ in rows])
        out["combined"] = out["rules"]
        return out, rule_results
    combined = CombinedTagger(rules, model, number=0, support=support, policy=policy)
    results = combined.tag_many(texts)
    probabilities = model.probabilities(texts)
    alone = [model_only(p) for p in probabilities]
    out["model"] = ([a[0] for a in alone], [a[1] for a in alone])
    out["combined"] = ([r.sector_slugs for r in results], [r.risk_type_slugs for r in results])
    return out, results


def summary_line(rows, predictions):
    _, s_micro, s_macro = scores(rows, predictions[0], "sectors", SECTORS)
    _, r_micro, r_macro = scores(rows, predictions[1], "risk_types", RISK_TYPES)
    return f"sector {s_micro:.3f} / {s_macro:.3f}   risk {r_micro:.3f} / {r_macro:.3f}"


def train(rows, labels):
    return TextModel.train([labelled(row) for row in rows], labels)


def cross_validate(dev, folds, rules, labels, policy):
    shuffled = dev[:]
    random.Random(7).shuffle(shuffled)
    gathered = {"rules": ([], []), "model": ([], []), "combined": ([], [])}
    ordered = []
    for fold in range(folds):
        test = shuffled[fold::folds]
        training = [row for i, row in enumerate(shuffled) if i % folds != fold]
        model = train(training, labels)
        out, _ = evaluate(test, rules, model, support_of(training), policy)
        for name, (sectors, risks) in out.items():
            gathered[name][0].extend(sectors)
            gathered[name][1].extend(risks)
        ordered.extend(test)
    print(
        f"{folds}-fold cross-validation on {len(dev)} development lines "
        f"(micro / macro F1), policy {policy}"
    )
    for name, predictions in gathered.items():
        print(f"  {name:9} {summary_line(ordered, predictions)}")
    print(f"  {'risk type F1':28} {'rules':>6} {'model':>6} {'both':>6}")
    per = {
        name: scores(ordered, predictions[1], "risk_types", RISK_TYPES)[0]
        for name, predictions in gathered.items()
    }
    for label in RISK_TYPES:
        figures = " ".join(f"{per[name][label][2]:6.2f}" for name in ("rules", "model", "combined"))
        print(f"  {label:28} {figures}")


def out_of_fold(dev, folds, rules, labels):
    """Each development line tagged by the rules and scored by a model that never saw it:
    [(row, rules' TagResult, probabilities, support of the model's training lines)]."""
    shuffled = dev[:]
    random.Random(7).shuffle(shuffled)
    items = []
    for fold in range(folds):
        test = shuffled[fold::folds]
        training = [row for i, row in enumerate(shuffled) if i % folds != fold]
        model = train(training, labels)
        texts = [text_of(row) for row in test]
        support = support_of(training)
        for row, result, p in zip(
            test, rules.tag_many(texts), model.probabilities(texts), strict=True
        ):
            items.append((row, result, p, support))
    return items


def combined_results(items, policy, orders):
    return [combine(result, p, support, policy, orders) for _row, result, p, support in items]


# Candidate thresholds for one risk label; 1.01 means the model never adds it alone.
ADD_GRID = (0.5, 0.55, 0.6, 0.65, 0.7, 0.75, 0.8, 0.85, 0.9, 0.95, 1.01)
VETO_GRID = (0.0, 0.005, 0.01, 0.02, 0.05, 0.1)
# A label leaves the global pair only if that gains a point of F1 on unseen lines: a smaller
# gain is a line or two of ~900, as likely luck as signal.
FIT_MARGIN = 0.01


def risk_decisions(items, label, add, veto, min_support):
    """Whether the combination gives each item the risk type ``label`` with these two
    thresholds for it: ``combine_axis``'s rule for one risk type (risk types are decided
    independently of each other), without building whole results."""
    slug = label[len(RISK_PREFIX) :]
    decided = []
    for _row, result, p, support in items:
        q = p.get(label)
        if slug in result.risk_type_slugs:
            decided.append(q is None or not (q < veto and support.get(label, 0) >= min_support))
        else:
            decided.append(q is not None and q >= add)
    return decided


def label_f1(items, label, decided):
    slug = label[len(RISK_PREFIX) :]
    tp = fp = fn = 0
    for (row, *_), given in zip(items, decided, strict=True):
        gold = slug in row["risk_types"]
        tp += given and gold
        fp += given and not gold
        fn += gold and not given
    return 2 * tp / (2 * tp + fp + fn) if tp else 0.0, (tp, fp, fn)


def best_thresholds(items, label, base):
    """The (add_from, veto_below) pair with the best F1 on ``items``; ties go to the pair
    nearest the global one."""
    candidates = []
    for add in ADD_GRID:
        for veto in VETO_GRID:
            f1, _ = label_f1(
                items, label, risk_decisions(items, label, add, veto, base.min_support)
            )
            distance = abs(add - base.risk_add_from) + abs(veto - base.risk_veto_below)
            candidates.append((-f1, distance, add, veto))
    _f1, _distance, add, veto = min(candidates)
    return add, veto


def fit_policy(items, base, folds=5):
    """Per risk label, the thresholds that fit the out-of-fold lines best, kept only where
    fitting them beats the global pair by FIT_MARGIN on lines the fit did not see (nested:
    fitted on four fifths of the out-of-fold lines, scored on the fifth, five times). A best
    pair on ~900 lines is partly luck; the nested check keeps only what carries over."""
    groups = [items[i::folds] for i in range(folds)]
    add_from, veto_below, report = {}, {}, []
    for slug in RISK_TYPES:
        label = RISK_PREFIX + slug
        counts = {"global": [0, 0, 0], "fitted": [0, 0, 0]}
        for held in range(folds):
            fitting = [item for i, group in enumerate(groups) if i != held for item in group]
            add, veto = best_thresholds(fitting, label, base)
            for name, (a, v) in (
                ("global", (base.risk_add_from, base.risk_veto_below)),
                ("fitted", (add, veto)),
            ):
                decided = risk_decisions(groups[held], label, a, v, base.min_support)
                _f1, tpfpfn = label_f1(groups[held], label, decided)
                counts[name] = [x + y for x, y in zip(counts[name], tpfpfn, strict=True)]
        nested = {
            name: 2 * tp / (2 * tp + fp + fn) if tp else 0.0
            for name, (tp, fp, fn) in counts.items()
        }
        add, veto = best_thresholds(items, label, base)
        kept = nested["fitted"] >= nested["global"] + FIT_MARGIN and (add, veto) != (
            base.risk_add_from,
            base.risk_veto_below,
        )
        if kept:
            if add != base.risk_add_from:
                add_from[label] = add
            if veto != base.risk_veto_below:
                veto_below[label] = veto
        report.append((slug, nested["global"], nested["fitted"], add, veto, kept))
    return add_from, veto_below, report


def shown_labels(matches, minimum, *, keep_best):
    """The labels the public tracker shows (``Incident.public_labels`` does the same): those
    at ``minimum`` or above, or, for sectors, the best one if none reaches it."""
    shown = [m for m in matches if m.score >= minimum]
    if not shown and keep_best and matches:
        shown = [max(matches, key=lambda m: m.score)]
    return [m.slug for m in shown]


def threshold_table(rows, results, thresholds):
    """[(threshold, precision, recall, labels shown, band precision)]: the labels shown at
    each threshold, sectors and risk types together, and the precision of the labels whose
    score lies between this threshold and the next (what showing them adds)."""
    table = []
    bands = list(thresholds[1:]) + [1.01]
    for minimum, below in zip(thresholds, bands, strict=True):
        tp = fp = fn = band_tp = band_fp = 0
        for row, result in zip(rows, results, strict=True):
            for gold, matches, keep_best in (
                (set(row["sectors"]), result.sectors, True),
                (set(row["risk_types"]), result.risk_types, False),
            ):
                shown = set(shown_labels(matches, minimum, keep_best=keep_best))
                tp += len(shown & gold)
                fp += len(shown - gold)
                fn += len(gold - shown)
                for match in matches:
                    if minimum <= match.score < below:
                        band_tp += match.slug in gold
                        band_fp += match.slug not in gold
        band = band_tp / (band_tp + band_fp) if band_tp + band_fp else None
        table.append((minimum, tp / max(tp + fp, 1), tp / max(tp + fn, 1), tp + fp, band))
    return table


def lowest_trusted_band(table):
    """The lowest threshold from which every band of scores is right PRECISION_WANTED of
    the time: showing any label at or above it is showing one that is usually right."""
    chosen = None
    for minimum, _precision, _recall, _shown, band in reversed(table):
        if band is not None and band < PRECISION_WANTED:
            break
        chosen = minimum
    return chosen


THRESHOLDS = (0.0, 0.5, 0.6, 0.7, 0.75, 0.8, 0.85, 0.9, 0.92, 0.94, 0.96, 0.98)
PRECISION_WANTED = 0.85


def print_threshold_table(title, table):
    print(f"\n{title}")
    print(f"  {'min score':>9} {'precision':>9} {'recall':>6} {'shown':>6} {'band precision':>15}")
    for minimum, precision, recall, shown, band in table:
        band_text = "-" if band is None else f"{band:.3f}"
        print(f"  {minimum:9.2f} {precision:9.3f} {recall:6.3f} {shown:6d} {band_text:>15}")
    print(
        f"lowest minimum from which every band's precision is >= {PRECISION_WANTED}: "
        f"{lowest_trusted_band(table)}"
    )


def fit(dev, folds, rules, labels, base):
    orders = rules.order
    items = out_of_fold(dev, folds, rules, labels)
    rows = [row for row, *_ in items]
    unfitted = replace(base, risk_add_from_by_label={}, risk_veto_below_by_label={})
    add_from, veto_below, report = fit_policy(items, unfitted)
    print(f"{folds}-fold out-of-fold predictions on {len(dev)} development lines")
    print(
        f"  {'risk type':24} {'nested F1 global':>16} {'fitted':>7} "
        f"{'add from':>8} {'veto <':>7}  kept"
    )
    for slug, global_f1, fitted_f1, add, veto, kept in report:
        print(
            f"  {slug:24} {global_f1:16.3f} {fitted_f1:7.3f} {add:8.2f} {veto:7.3f}  "
            f"{'yes' if kept else 'no'}"
        )
    print(f"\nFITTED_RISK_ADD_FROM = {add_from}")
    print(f"FITTED_RISK_VETO_BELOW = {veto_below}")
    fitted = replace(unfitted, risk_add_from_by_label=add_from, risk_veto_below_by_label=veto_below)
    for name, policy in (("global thresholds", unfitted), ("per-label thresholds", fitted)):
        results = combined_results(items, policy, orders)
        predictions = ([r.sector_slugs for r in results], [r.risk_type_slugs for r in results])
        print(f"  combined, {name:22} {summary_line(rows, predictions)} (not nested)")
    results = combined_results(items, fitted, orders)
    table = threshold_table(rows, results, THRESHOLDS)
    print_threshold_table(
        "labels shown publicly at each minimum score (out-of-fold, development lines)", table
    )
    chosen = next((t for t, precision, *_ in table if precision >= PRECISION_WANTED), None)
    print(f"lowest minimum with precision >= {PRECISION_WANTED}, all labels together: {chosen}")
    print_label_precision(rows, results)


def label_precision(rows, results):
    """{label: [precision of the shown label at each of THRESHOLDS, or None]}."""
    table = {}
    for field, known, keep_best in (
        ("sectors", SECTORS, True),
        ("risk_types", RISK_TYPES, False),
    ):
        for slug in known:
            cells = []
            for minimum in THRESHOLDS:
                tp = fp = 0
                for row, result in zip(rows, results, strict=True):
                    matches = result.sectors if keep_best else result.risk_types
                    if slug in shown_labels(matches, minimum, keep_best=keep_best):
                        tp += slug in row[field]
                        fp += slug not in row[field]
                cells.append(tp / (tp + fp) if tp + fp else None)
            table[slug] = cells
    return table


def print_label_precision(rows, results):
    """Precision per label of what the tracker would show, at each minimum score, and the
    lowest minimum at which every label that can reach PRECISION_WANTED does."""
    table = label_precision(rows, results)
    print("\nprecision per label of the labels shown, by minimum score")
    print(f"  {'label':28}" + "".join(f"{t:>6.2f}" for t in THRESHOLDS))
    for slug, cells in table.items():
        print(
            f"  {slug:28}"
            + "".join(f"{'-':>6}" if cell is None else f"{cell:6.2f}" for cell in cells)
        )
    reachable = {
        slug: cells
        for slug, cells in table.items()
        if any(cell is not None and cell >= PRECISION_WANTED for cell in cells)
    }
    chosen = next(
        (
            minimum
            for i, minimum in enumerate(THRESHOLDS)
            if all(c[i] is None or c[i] >= PRECISION_WANTED for c in reachable.values())
        ),
        None,
    )
    never = sorted(set(table) - set(reachable))
    print(
        f"lowest minimum with every label's precision >= {PRECISION_WANTED}: {chosen}"
        + (f" (never reached: {', '.join(never)})" if never else "")
    )


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dev", default=str(ROOT / "ingest/tagging/data/seed_examples.jsonl"))
    parser.add_argument("--heldout", default=str(ROOT / "tests/fixtures/tagging_heldout.jsonl"))
    parser.add_argument("--cv", type=int, default=0, help="cross-validate on dev lines only")
    parser.add_argument(
        "--fit", type=int, default=0, help="fit per-label thresholds on dev lines (N folds)"
    )
    for name in (
        "risk_veto_below",
        "risk_add_from",
        "sector_veto_below",
        "sector_add_from",
        "sector_fallback",
    ):
        parser.add_argument(f"--{name.replace('_', '-')}", type=float, default=None)
    parser.add_argument(
        "--blind", default=None, help="score held-out lines and FILE with one trained model"
    )
    parser.add_argument("--docs", type=int, default=20000, help="documents for throughput")
    parser.add_argument("--speed", action="store_true", help="only the speed and memory figures")
    parser.add_argument(
        "--errors",
        action="store_true",
        help="only list the rules' mistakes on the development lines (never the held-out ones)",
    )
    args = parser.parse_args()
    policy = Policy(
        **{
            name: value
            for name, value in vars(args).items()
            if name in Policy.__dataclass_fields__ and value is not None
        }
    )

    started = time.perf_counter()
    rules = rules_tagger()
    print(f"rules tagger {rules.version} built in {time.perf_counter() - started:.2f} s")
    labels = label_names(SECTORS, RISK_TYPES)
    dev = read_rows(args.dev)
    if args.cv:
        cross_validate(dev, args.cv, rules, labels, policy)
        return
    if args.fit:
        fit(dev, args.fit, rules, labels, policy)
        return
    if args.blind:
        blind(dev, read_rows(args.heldout), read_rows(args.blind), rules, labels, policy, args)
        return
    if args.speed:
        speed(dev, read_rows(args.heldout), rules, labels, policy, docs=args.docs)
        return
    if args.errors:
        results = rules.tag_many([text_of(row) for row in dev])
        print_errors(dev, results)
        for axis, field, known in (
            ("sectors", "sectors", SECTORS),
            ("risks", "risk_types", RISK_TYPES),
        ):
            guesses = [r.sector_slugs if axis == "sectors" else r.risk_type_slugs for r in results]
            print_scores(
                f"rules on the development lines, {axis}", *scores(dev, guesses, field, known)
            )
        return
    heldout = read_rows(args.heldout)
    print(f"{len(dev)} development lines, {len(heldout)} held-out lines; policy {policy}")

    shuffled = dev[:]
    random.Random(7).shuffle(shuffled)
    print("\nlearning curve on the held-out lines (micro / macro F1)")
    final = None
    for k in (0, 100, 250, 500, len(shuffled)):
        training = shuffled[:k]
        model, seconds = None, 0.0
        if k:
            started = time.perf_counter()
            model = train(training, labels)
            seconds = time.perf_counter() - started
        out, results = evaluate(heldout, rules, model, support_of(training), policy)
        print(f"  k = {k:4d} (trained in {seconds:5.1f} s)")
        for name, predictions in out.items():
            print(f"    {name:9} {summary_line(heldout, predictions)}")
        final = (out, results, model, seconds)

    out, results, model, seconds = final
    for name in ("rules", "model", "combined"):
        print(f"\n== held-out per label, {name} (model trained on all {len(dev)} lines)")
        print_scores("sectors", *scores(heldout, out[name][0], "sectors", SECTORS))
        print_scores("risk types", *scores(heldout, out[name][1], "risk_types", RISK_TYPES))

    print_threshold_table(
        "held-out labels shown publicly at each minimum score (a check; chosen by --fit)",
        threshold_table(heldout, results, THRESHOLDS),
    )
    print_label_precision(heldout, results)

    print(f"\ntraining on all {len(dev)} development lines: {seconds:.1f} s wall clock")
    speed(dev, heldout, rules, labels, policy, model, args.docs)


def blind(dev, heldout, unseen, rules, labels, policy, args):
    """The model trained on all development lines; held-out and blind lines scored by it."""
    model, seconds = timed(train, dev, labels)
    print(f"{len(dev)} development lines (model trained in {seconds:.1f} s); policy {policy}")
    support = support_of(dev)
    for title, rows in (("held-out", heldout), (f"blind ({args.blind})", unseen)):
        out, results = evaluate(rows, rules, model, support, policy)
        print(f"\n{title}: {len(rows)} lines (micro / macro F1)")
        for name, predictions in out.items():
            print(f"  {name:9} {summary_line(rows, predictions)}")
    for name in ("rules", "model", "combined"):
        print(f"\n== blind per label, {name}")
        print_scores("sectors", *scores(unseen, out[name][0], "sectors", SECTORS))
        print_scores("risk types", *scores(unseen, out[name][1], "risk_types", RISK_TYPES))
    if args.errors:
        print_errors(unseen, results)


def load():
    return "load average " + " ".join(f"{value:.1f}" for value in os.getloadavg())


class Clock:
    """CPU and wall-clock seconds of a block."""

    def __enter__(self):
        self.wall, self.cpu = time.perf_counter(), time.process_time()
        return self

    def __exit__(self, *exc):
        self.wall = time.perf_counter() - self.wall
        self.cpu = time.process_time() - self.cpu

    def __str__(self):
        return f"{self.cpu:.1f} s of CPU time, {self.wall:.1f} s wall clock ({load()})"


# The sizes of issue 12's target: learn from an archive of 1,361 records, then tag 1,307.
LEARN_RECORDS = 1361
TAG_RECORDS = 1307
TAG_BATCH = 500  # manage.py tag --jsonl's batch size


def similar_rows(rows):
    return [
        (
            f"seed:{row['id']}",
            row.get("title") or "",
            row["text"],
            sorted(labelled(row).label_set()),
        )
        for row in rows
    ]


def learn_and_tag(dev, heldout, rules, labels, policy):
    """The library's share of ``tag --learn`` on 1,361 records and of ``tag --jsonl`` on
    1,307 lines (the database's share, storing examples and the model, is not timed)."""
    archive = (dev * (LEARN_RECORDS // len(dev) + 1))[:LEARN_RECORDS]
    training = dev + archive  # the seed examples and the imported ones, as train_model has it
    with Clock() as clock:
        model = train(training, labels)
        config, weights = model.config_text(), model.to_bytes()
    print(
        f"learning from {LEARN_RECORDS:,} records ({len(training):,} lines with the "
        f"{len(dev)} seed examples): {clock}"
    )
    lines = [text_of(row) for row in dev + heldout]
    lines = (lines * (TAG_RECORDS // len(lines) + 1))[:TAG_RECORDS]
    with Clock() as clock:
        tagger = CombinedTagger(
            rules_tagger(),
            TextModel.from_bytes(config, weights),
            number=0,
            support=support_of(training),
            policy=policy,
            similar=SimilarExamples(similar_rows(training)),
        )
        for first in range(0, len(lines), TAG_BATCH):
            tagger.tag_many(lines[first : first + TAG_BATCH])
    print(f"tagging {TAG_RECORDS:,} lines with the combined tagger, building it included: {clock}")
    return model


def throughput(name, tagger, sample, docs):
    """Items per CPU-second and per wall-clock second; the best of three runs of each."""
    sample = (sample * (docs // len(sample) + 1))[:docs]
    tagger.tag_many(sample[:500])  # warm the string stores
    walls, cpus = [], []
    # Best of three: the tagger's speed, not the machine's other load. Chunks of 1,000, as
    # ingest feeds them, so memory is the tagger's and not 20,000 results at once.
    for _ in range(3):
        with Clock() as clock:
            for first in range(0, docs, 1000):
                tagger.tag_many(sample[first : first + 1000])
        walls.append(clock.wall)
        cpus.append(clock.cpu)
    mean_length = sum(len(t) for t in sample) / docs
    print(
        f"  {name:44} {docs / min(cpus):7,.0f} {docs / min(walls):7,.0f}   "
        f"{mean_length:4.0f} chars   {load()}"
    )


def speed(dev, heldout, rules, labels, policy, model=None, docs=20000):
    print(f"\nspeed and memory (one process; {load()})")
    learned = learn_and_tag(dev, heldout, rules, labels, policy)
    model = model or learned
    combined = CombinedTagger(
        rules,
        model,
        number=0,
        support=support_of(dev),
        policy=policy,
        similar=SimilarExamples(similar_rows(dev)),
    )
    texts = throughput_texts(dev, 2000)
    items = [text_of(row) for row in dev]
    print(f"\nthroughput, best of 3 runs of {docs:,} items    items/CPU-s  items/s (wall)")
    for name, tagger, sample in (
        ("rules alone, ~300-char texts", rules, texts),
        ("rules alone, development items", rules, items),
        ("rules + model, ~300-char texts", combined, texts),
        ("rules + model, development items", combined, items),
    ):
        throughput(name, tagger, sample, docs)
    peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(f"\npeak memory: {peak_kb / 1024:.0f} MB (max resident set size of the whole run)")


if __name__ == "__main__":
    main()
