"""SQLite only: rebuild the full-text table of Wagtail's search index with FTS5's porter
stemmer, so that "attack" finds "attacks" and "attacked" as it does on PostgreSQL (whose
English text-search configuration stems). Wagtail creates the table with FTS5's default
tokenizer, which matches whole words only. The indexed text is copied back from the index's
own table, so no `update_index` is needed."""

from django.db import migrations

STEMMING = "tokenize = 'porter unicode61'"


def fts_table_sql(cursor, table):
    cursor.execute("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = %s", [table])
    row = cursor.fetchone()
    return row[0] if row else None


def rebuild_fts_table(apps, schema_editor, *, stemming):
    connection = schema_editor.connection
    if connection.vendor != "sqlite":
        return
    entries = apps.get_model("wagtailsearch", "IndexEntry")._meta.db_table
    fts = f"{entries}_fts"
    with connection.cursor() as cursor:
        current = fts_table_sql(cursor, fts)
        if current is None or ("porter" in current) == stemming:
            return  # no FTS5 in this SQLite, or already as wanted
        options = f", {STEMMING}" if stemming else ""
        cursor.execute(f"DROP TABLE {fts}")
        cursor.execute(
            f"CREATE VIRTUAL TABLE {fts} USING fts5(autocomplete, body, title{options})"
        )
        cursor.execute(
            f"INSERT INTO {fts} (rowid, autocomplete, body, title) "
            f"SELECT id, autocomplete, body, title FROM {entries}"
        )


def stem(apps, schema_editor):
    rebuild_fts_table(apps, schema_editor, stemming=True)


def unstem(apps, schema_editor):
    rebuild_fts_table(apps, schema_editor, stemming=False)


class Migration(migrations.Migration):
    dependencies = [
        ("site", "0004_trigram_extension_for_fuzzy_search"),
        ("wagtailsearch", "0010_add_text_fields"),
    ]

    operations = [migrations.RunPython(stem, unstem)]
