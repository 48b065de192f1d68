"""Tag incident texts from a JSON Lines file with the current vocabulary.

    python manage.py tag --jsonl FILE

Each input line is {"id": ..., "title": "...", "text": "..."}; each output line, on standard
output and in input order, is {"id": ..., "sectors": [slugs], "risk_types": [slugs],
"evidence": {slug: [{"field", "text", "start", "end", "rule"}]}}, where "field" says whether
the offsets count in the title or in the text. A line that cannot be read gets an error on
standard error naming its line number and no output line; the others are still tagged, and
the command exits with status 1 at the end if any line was bad.
"""

import json
import sys

from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError

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
        parser.add_argument(
            "--jsonl",
            required=True,
            metavar="FILE",
            help='input file, one {"id", "title", "text"} object a line ("-" for stdin)',
        )
        parser.add_argument("--batch-size", type=int, default=BATCH_SIZE)

    def handle(self, *args, jsonl, batch_size, **options):
        from ingest.tagging import get_tagger

        if batch_size < 1:
            raise CommandError("--batch-size must be at least 1")
        try:
            stream = sys.stdin.buffer if jsonl == "-" else open(jsonl, "rb")  # noqa: SIM115
        except OSError as error:
            raise CommandError(f"cannot read {jsonl}: {error.strerror}") from None
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

    def _write(self, tagger, records):
        documents = [document(record) for record in records]
        results = tagger.tag_many([text for text, _offset in documents])
        for record, (_text, offset), result in zip(records, documents, results, strict=True):
            self.stdout.write(output_line(record, result, offset))
        self.stdout.flush()
