import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cirsite.settings")

django_application = get_wsgi_application()

from cirsite.site.page_cache import PageCacheApplication  # noqa: E402 - needs Django set up

# Stored pages for anonymous readers are answered before Django builds a request.
application = PageCacheApplication(django_application)
