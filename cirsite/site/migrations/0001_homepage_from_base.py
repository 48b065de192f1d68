"""The home page moved from the base app (label ``cirsite``) to the site layer. Existing
databases keep their rows: the model is taken over in the migration state, its table is
renamed, and the content type that every home page row points at is relabelled."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def relabel_content_type(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    old = ContentType.objects.filter(app_label="cirsite", model="homepage").first()
    if old is None:
        return
    # A content type made for the new label before this ran is unused: pages point at the old.
    ContentType.objects.filter(app_label="site", model="homepage").delete()
    old.app_label = "site"
    old.save(update_fields=["app_label"])


def restore_content_type(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    ContentType.objects.filter(app_label="site", model="homepage").update(app_label="cirsite")


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("cirsite", "0004_seed_vocabulary"),
        ("articles", "0003_story_image_block"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("wagtailcore", "0098_apitoken"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="HomePage",
                    fields=[
                        (
                            "page_ptr",
                            models.OneToOneField(
                                auto_created=True,
                                on_delete=django.db.models.deletion.CASCADE,
                                parent_link=True,
                                primary_key=True,
                                serialize=False,
                                to=settings.WAGTAIL_PAGE_MODEL,
                            ),
                        ),
                        (
                            "social_text",
                            models.CharField(
                                blank=True,
                                help_text="Description shown when shared; defaults to the meta description.",
                                max_length=255,
                            ),
                        ),
                        (
                            "noindex",
                            models.BooleanField(
                                default=False,
                                help_text="Adds noindex to the page and leaves it out of the sitemap.",
                                verbose_name="Hide from search engines",
                            ),
                        ),
                        ("introduction", models.CharField(blank=True, max_length=255)),
                        (
                            "lead_story",
                            models.ForeignKey(
                                blank=True,
                                help_text="The story at the top of the front page; the newest story if left empty.",
                                null=True,
                                on_delete=django.db.models.deletion.SET_NULL,
                                related_name="+",
                                to="articles.articlepage",
                            ),
                        ),
                        (
                            "social_image",
                            models.ForeignKey(
                                blank=True,
                                help_text="Shown when the page is shared on social media (at least 1200×630).",
                                null=True,
                                on_delete=django.db.models.deletion.SET_NULL,
                                related_name="+",
                                to="cirsite.customimage",
                            ),
                        ),
                    ],
                    options={"verbose_name": "home page", "db_table": "cirsite_homepage"},
                    bases=("wagtailcore.page",),
                ),
            ],
        ),
        migrations.AlterModelTable(name="homepage", table=None),
        migrations.RunPython(relabel_content_type, restore_content_type),
    ]
