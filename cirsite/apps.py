from django.apps import AppConfig


class CirsiteConfig(AppConfig):
    name = "cirsite"
    verbose_name = "cirsite"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from cirsite.page_cache import connect_signals

        connect_signals()
