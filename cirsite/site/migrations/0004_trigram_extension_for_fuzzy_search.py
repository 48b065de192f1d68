"""PostgreSQL only: the pg_trgm extension, which lets site search find close matches for a
misspelt query (Wagtail's Fuzzy query). pg_trgm is a trusted extension since PostgreSQL 13,
so a database owner may create it; where the role may not, search falls back to spelling
suggestions alone and this migration still succeeds."""

import logging

from django.db import DatabaseError, migrations, transaction

logger = logging.getLogger(__name__)


def create_trigram_extension(apps, schema_editor):
    connection = schema_editor.connection
    if connection.vendor != "postgresql":
        return
    try:
        # A savepoint, so that a refusal does not abort the migration's transaction.
        with transaction.atomic(using=connection.alias), connection.cursor() as cursor:
            cursor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    except DatabaseError as error:
        logger.warning(
            "Could not create the pg_trgm extension (%s); search will not find close "
            "matches for misspelt words. A superuser can run: CREATE EXTENSION pg_trgm;",
            error,
        )


class Migration(migrations.Migration):
    dependencies = [("site", "0003_page_cache_generation")]

    operations = [
        migrations.RunPython(create_trigram_extension, migrations.RunPython.noop, elidable=True)
    ]
