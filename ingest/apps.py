from django.apps import AppConfig
from django.db.models.signals import post_migrate


class IngestConfig(AppConfig):
    verbose_name = "Ingest"
    name = "ingest"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from wagtail.signals import page_published

        from ingest.review.feedback import learn_from_published_page
        from ingest.tagging.vocabulary import sync_after_migrate

        # After every migrate, the vocabulary in the database catches up with the shipped
        # files (post_migrate is sent once per app; this app's is enough).
        post_migrate.connect(sync_after_migrate, sender=self, dispatch_uid="tagging-vocabulary")
        # A story or episode an editor publishes with labels is an example the tagger learns
        # from (however it is published: from the editor, by the scheduler, by a workflow).
        page_published.connect(learn_from_published_page, dispatch_uid="tagging-page-examples")
