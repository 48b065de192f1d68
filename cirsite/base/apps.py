from django.apps import AppConfig


class BaseConfig(AppConfig):
    """The base layer: users, images, the taxonomy, the abstract public page, SEO and HTTP
    caching. Every content app builds on it; it imports none of them. Its label stays
    ``cirsite`` so that its tables and migrations keep their names."""

    name = "cirsite.base"
    label = "cirsite"
    verbose_name = "cirsite"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from cirsite.base import image_memory

        image_memory.connect()
