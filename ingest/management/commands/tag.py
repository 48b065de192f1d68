"""Tag texts with the current tagger, and teach it.

    python manage.py tag --jsonl FILE      tag each line (rules + the newest learned model)
    python manage.py tag --learn FILE      import a labelled archive, then retrain
    python manage.py tag --collect         gather what editors labelled, then retrain if due
    python manage.py tag --retrain         train a new model now

--learn reads one JSON object a line: {"id", optional "title", "text", "sectors": [slugs],
"risk_types": [slugs]}. A line that cannot be read or names an unknown slug is reported by
number on standard error and nothing of it is stored; the rest are stored as labelled
examples (importing the same file again changes nothing and trains nothing), and the command
exits with status 1 if any line was bad.

For --jsonl, each input line is {"id": ..., "title": "...", "text": "..."}; each output line,
on standard output and in input order, is {"id": ..., "sectors": [slugs], "risk_types": [slugs],
"evidence": {slug: [{"field", "text", "start", "end", "rule"}]}}, where "field" says whether
the offsets count in the title or in the text. A line that cannot be read gets an error on
standard error naming its line number and no output line; the others are still tagged, and
the command exits with status 1 at the end if any line was bad.
"""

import json
import sys

from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError

from articles.models import ArticlePage
from ingest.review.feedback import reviewed_incidents, tagged_pages
from ingest.tagging.training import (
    BadExample,
    check_record,
    retraining_due,
    save_examples,
    taxonomy,
    train_model,
)
from podcasts.models import EpisodePage

# The title and the text are tagged as one document; the full stop makes the title its own
# sentence, so no context rule pairs a title word with a text word.
SEPARATOR = "\n.\n"
BATCH_SIZE = 500


class BadLine(ValueError):
    pass


def read_record(raw):
    try:
        line = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        raise BadLine(f"not UTF-8 ({error.reason} at byte {error.start})") from None
    try:
        record = json.loads(line)
    except json.JSONDecodeError as error:
        raise BadLine(f"not valid JSON ({error.msg} at column {error.colno})") from None
    if not isinstance(record, dict):
        raise BadLine("expected a JSON object with id, title and text")
    if "id" not in record:
        raise BadLine('missing "id"')
    for key in ("title", "text"):
        if not isinstance(record.get(key, ""), str):
            raise BadLine(f'"{key}" must be a string')
    if not record.get("title") and not record.get("text"):
        raise BadLine('needs a "title" or a "text"')
    return record


def read_example(raw, sectors, risk_types):
    try:
        value = json.loads(raw.decode("utf-8"))
    except UnicodeDecodeError as error:
        raise BadExample(f"not UTF-8 ({error.reason} at byte {error.start})") from None
    except json.JSONDecodeError as error:
        raise BadExample(f"not valid JSON ({error.msg} at column {error.colno})") from None
    return check_record(value, sectors, risk_types)


def document(record):
    title, text = record.get("title") or "", record.get("text") or ""
    if title and text:
        return title + SEPARATOR + text, len(title) + len(SEPARATOR)
    if title:
        return title, None
    return text, 0


def output_line(record, result, text_offset):
    evidence = {}
    for match in result.sectors + result.risk_types:
        items = []
        for item in match.evidence:
            if item.start == item.end:
                # A label only the learned model gave: no words to point at, but the most
                # similar reviewed examples.
                items.append(
                    {
                        "field": "model",
                        "text": "",
                        "start": 0,
                        "end": 0,
                        "rule": item.rule,
                        "similar": match.similar,
                    }
                )
                continue
            if text_offset is not None and item.start >= text_offset:
                field, start, end = "text", item.start - text_offset, item.end - text_offset
            else:
                field, start, end = "title", item.start, item.end
            items.append(
                {"field": field, "text": item.text, "start": start, "end": end, "rule": item.rule}
            )
        evidence[match.slug] = items
    return json.dumps(
        {
            "id": record["id"],
            "sectors": result.sector_slugs,
            "risk_types": result.risk_type_slugs,
            "evidence": evidence,
        },
        ensure_ascii=False,
    )


class Command(BaseCommand):
    help = "Tag JSON Lines incident texts with sectors and risk types (one JSON line each)."

    def add_arguments(self, parser):
        mode = parser.add_mutually_exclusive_group(required=True)
        mode.add_argument(
            "--jsonl",
            metavar="FILE",
            help='tag a file, one {"id", "title", "text"} object a line ("-" for stdin)',
        )
        mode.add_argument(
            "--learn",
            metavar="FILE",
            help="import labelled examples (id, title, text, sectors, risk_types) and retrain",
        )
        mode.add_argument(
            "--collect",
            action="store_true",
            help="store what editors labelled (reviewed incidents, stories, episodes) as "
            "examples, and retrain if enough are new",
        )
        mode.add_argument("--retrain", action="store_true", help="train a new model now")
        parser.add_argument("--batch-size", type=int, default=BATCH_SIZE)

    def handle(self, *args, jsonl, learn, collect, retrain, batch_size, **options):
        if batch_size < 1:
            raise CommandError("--batch-size must be at least 1")
        if learn:
            return self._learn(learn)
        if collect:
            return self._collect()
        if retrain:
            return self._train()
        return self._tag(jsonl, batch_size)

    def _open(self, name):
        try:
            return sys.stdin.buffer if name == "-" else open(name, "rb")
        except OSError as error:
            raise CommandError(f"cannot read {name}: {error.strerror}") from None

    def _tag(self, jsonl, batch_size):
        from ingest.tagging import get_tagger

        stream = self._open(jsonl)
        bad = 0
        with stream:
            try:
                tagger = get_tagger()
            except DatabaseError as error:
                raise CommandError(
                    f"cannot read the vocabulary from the database ({error}); run migrate first"
                ) from None
            batch = []
            for number, raw in enumerate(stream, start=1):
                if not raw.strip():
                    continue
                try:
                    batch.append(read_record(raw))
                except BadLine as error:
                    bad += 1
                    self.stderr.write(f"{jsonl}: line {number}: {error}")
                    continue
                if len(batch) >= batch_size:
                    self._write(tagger, batch)
                    batch = []
            if batch:
                self._write(tagger, batch)
        if bad:
            raise CommandError(f"{bad} line(s) could not be read; the rest were tagged")

    def _learn(self, name):
        sectors, risk_types = taxonomy()
        records, bad, seen = [], 0, {}
        with self._open(name) as stream:
            for number, raw in enumerate(stream, start=1):
                if not raw.strip():
                    continue
                try:
                    record = read_example(raw, sectors, risk_types)
                    if record["id"] in seen:
                        raise BadExample(
                            f"the id {record['id']!r} is already on line {seen[record['id']]}"
                        )
                except BadExample as error:
                    bad += 1
                    self.stderr.write(f"{name}: line {number}: {error}")
                    continue
                seen[record["id"]] = number
                records.append(record)
        counts = save_examples(records, "import")
        self.stdout.write(
            f"{len(records)} example(s) read: {counts.created} new, {counts.updated} changed, "
            f"{counts.unchanged} already known."
        )
        if counts.created or counts.updated or not self._has_model():
            self._train()
        else:
            self.stdout.write("Nothing new to learn; the tagger's model stays as it is.")
        if bad:
            raise CommandError(f"{bad} line(s) were not imported; the rest were")

    def _collect(self):
        sectors, risk_types = taxonomy()
        gathered = {}
        for origin, items in (
            ("incident", reviewed_incidents()),
            ("story", tagged_pages(ArticlePage)),
            ("episode", tagged_pages(EpisodePage)),
        ):
            records = [check_record(item, sectors, risk_types) for item in items]
            gathered[origin] = save_examples(records, origin)
        for origin, counts in gathered.items():
            self.stdout.write(
                f"{origin}: {counts.created} new, {counts.updated} changed, "
                f"{counts.unchanged} already known"
            )
        if retraining_due() or not self._has_model():
            self._train()

    def _has_model(self):
        from ingest.tagging.models import TaggerModel

        return TaggerModel.objects.exists()

    def _train(self):
        model = train_model()
        self.stdout.write(
            f"Trained {model.readable_version} on {model.seed_examples} seed and "
            f"{model.labelled_examples} labelled examples in {model.training_seconds:.1f} s."
        )

    def _write(self, tagger, records):
        documents = [document(record) for record in records]
        results = tagger.tag_many([text for text, _offset in documents])
        for record, (_text, offset), result in zip(records, documents, results, strict=True):
            self.stdout.write(output_line(record, result, offset))
        self.stdout.flush()
