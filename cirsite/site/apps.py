from django.apps import AppConfig


class SiteConfig(AppConfig):
    """The site layer: the home page, search, topic pages, the page cache, media serving and
    the demo. It sits on top of every content app."""

    name = "cirsite.site"
    label = "site"
    verbose_name = "site"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from cirsite.site.page_cache import connect_signals

        connect_signals()
