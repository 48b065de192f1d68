"""Once seeded the tagging vocabulary; now does nothing and stays for the migration history.

The shipped vocabulary lives in data files, ingest/tagging/data/vocabulary/, and every
``manage.py migrate`` brings the database up to them (``ingest.tagging.vocabulary``), keeping
what editors wrote. A migration runs once, so vocabulary kept here never reached a database
migrated before its last edit.
"""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("cirsite", "0003_seed_taxonomy")]

    operations = []
