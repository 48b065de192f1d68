"""The settings of a test run: the site's own settings module, except that static files are
served without a collectstatic manifest, since tests render templates without running
collectstatic first. Tests that need the real storage (the collectstatic test, the served
site) run with ``DJANGO_SETTINGS_MODULE=cirsite.settings``."""

from cirsite.settings import *  # noqa: F403
from cirsite.settings import STORAGES

STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
