from django.apps import AppConfig


class SiteConfig(AppConfig):
    """The site layer: the home page, search, topic pages, the page cache, media serving and
    the demo. It sits on top of every content app."""

    name = "cirsite.site"
    label = "site"
    verbose_name = "site"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from django.db.models.signals import post_migrate

        from cirsite.base import process_memo
        from cirsite.site import search_index
        from cirsite.site.page_cache import GENERATIONS, connect_signals

        connect_signals()
        search_index.connect_signals()
        process_memo.use_generations(lambda: (GENERATIONS.current(), GENERATIONS.memo))
        post_migrate.connect(ensure_topic_pages, sender=self)


def ensure_topic_pages(sender, using="default", **kwargs):
    # Imported here because models cannot be imported before the app registry is ready.
    from cirsite.site.models import HomePage, TopicIndexPage

    home = HomePage.objects.using(using).first()
    if home is not None:
        TopicIndexPage.ensure_under(home)
