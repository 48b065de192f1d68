"""Browser journeys: Debian's Chromium (installed by `make browser`) driven by Playwright
against pytest-django's live server."""

import os
import shutil

import pytest

CHROMIUM_FLAGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    # Without these Chromium calls home at start-up; this machine's network refuses it.
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="session")
def chromium():
    from playwright.sync_api import sync_playwright

    executable = shutil.which("chromium") or shutil.which("chromium-browser")
    if executable is None:
        pytest.fail("Debian's chromium is not installed: run `make browser` (as root).")
    # Playwright gives each launch a fresh, empty profile of its own.
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_FLAGS)
        yield browser
        browser.close()


@pytest.fixture
def page(chromium):
    context = chromium.new_context(viewport={"width": 1280, "height": 900})
    tab = context.new_page()
    yield tab
    context.close()


@pytest.fixture
def demo_server(live_server, transactional_db, django_db_serialized_rollback, settings):
    """The demo site behind a real HTTP server on loopback."""
    from django.core.management import call_command

    with open(os.devnull, "w") as quiet:
        call_command("load_demo", stdout=quiet)
    from wagtail.models import Site

    host, port = live_server.url.rsplit("//", 1)[1].split(":")
    Site.objects.filter(is_default_site=True).update(hostname=host, port=int(port))
    settings.BASE_URL = live_server.url
    return live_server
