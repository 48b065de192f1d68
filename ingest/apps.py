from django.apps import AppConfig
from django.db.models.signals import post_migrate


class IngestConfig(AppConfig):
    verbose_name = "Ingest"
    name = "ingest"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from ingest.tagging.vocabulary import sync_after_migrate

        # After every migrate, the vocabulary in the database catches up with the shipped
        # files (post_migrate is sent once per app; this app's is enough).
        post_migrate.connect(sync_after_migrate, sender=self, dispatch_uid="tagging-vocabulary")
