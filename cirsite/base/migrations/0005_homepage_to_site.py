"""The home page now belongs to the site layer (see site/0001_homepage_from_base)."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("cirsite", "0004_seed_vocabulary"),
        ("site", "0001_homepage_from_base"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(state_operations=[migrations.DeleteModel("HomePage")]),
    ]
