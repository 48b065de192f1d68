"""Rebuild the search index when what it indexes has changed since it was last built.

Saving an item indexes it, but a change to a model's ``search_fields`` (a new related field,
a new boost) reaches existing rows only through ``update_index``, which takes a while on a
large site. `make run` calls this command instead: it keeps a fingerprint of every indexed
model's search fields and the backend settings beside the database (in ``var/``) and runs
``update_index`` only when the fingerprint differs.
"""

import hashlib
import json

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import connection
from wagtail.search import index


def describe(field):
    """A search field as plain data: its kind, name, options and nested fields."""
    described = {"kind": type(field).__name__, "name": field.field_name}
    if hasattr(field, "fields"):
        described["fields"] = [describe(child) for child in field.fields]
    described["options"] = sorted(
        (key, repr(value)) for key, value in getattr(field, "kwargs", {}).items()
    )
    return described


def search_fields_fingerprint():
    models = sorted(index.get_indexed_models(), key=lambda model: model._meta.label_lower)
    description = {
        "backends": settings.WAGTAILSEARCH_BACKENDS,
        "models": {
            model._meta.label_lower: [describe(field) for field in model.get_search_fields()]
            for model in models
        },
    }
    return hashlib.sha256(json.dumps(description, sort_keys=True).encode()).hexdigest()


def fingerprint_file():
    """One file per database, so that switching DATABASE_URL rebuilds the other index."""
    database = connection.settings_dict
    identity = (
        f"{connection.vendor}:{database.get('HOST')}:{database.get('PORT')}:{database['NAME']}"
    )
    digest = hashlib.sha256(identity.encode()).hexdigest()[:16]
    return settings.VAR_DIR / f"search-index-{digest}.fingerprint"


class Command(BaseCommand):
    help = "Run update_index if the indexed fields changed since the index was last built."

    def add_arguments(self, parser):
        parser.add_argument("--force", action="store_true", help="Rebuild whatever the state.")

    def handle(self, *args, force=False, **options):
        fingerprint = search_fields_fingerprint()
        marker = fingerprint_file()
        if not force and marker.exists() and marker.read_text().strip() == fingerprint:
            if options["verbosity"] > 1:
                self.stdout.write("The search index is up to date.")
            return
        self.stdout.write("Indexed fields changed: rebuilding the search index.")
        call_command("update_index", verbosity=0, stdout=self.stdout)
        marker.parent.mkdir(parents=True, exist_ok=True)
        marker.write_text(fingerprint + "\n")
