from django.apps import AppConfig


class PodcastsConfig(AppConfig):
    verbose_name = "Podcasts"
    name = "podcasts"
    default_auto_field = "django.db.models.BigAutoField"
