from django.apps import AppConfig


class CirsiteConfig(AppConfig):
    name = "cirsite"
    verbose_name = "cirsite"
    default_auto_field = "django.db.models.BigAutoField"
