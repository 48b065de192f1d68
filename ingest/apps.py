from django.apps import AppConfig


class IngestConfig(AppConfig):
    verbose_name = "Ingest"
    name = "ingest"
    default_auto_field = "django.db.models.BigAutoField"
