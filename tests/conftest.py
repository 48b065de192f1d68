"""Fixtures every test area shares. Area-specific fixtures live in each folder's conftest."""

import ipaddress
import os
import shutil
import socket

import pytest

_real_connect = socket.socket.connect
_real_connect_ex = socket.socket.connect_ex


def _is_loopback_target(address):
    if not isinstance(address, tuple):
        return True  # Unix sockets stay on this machine.
    host = address[0]
    try:
        return ipaddress.ip_address(host.split("%")[0]).is_loopback
    except ValueError:
        # A name, not an address: connect() would resolve it. Only localhost may pass.
        return host in {"localhost"}


class OffLoopbackConnection(AssertionError):
    pass


def _guarded(real):
    def connect(sock, address):
        if sock.family in (socket.AF_INET, socket.AF_INET6) and not _is_loopback_target(address):
            raise OffLoopbackConnection(
                f"test tried to connect to {address!r}: tests may reach only 127.0.0.0/8 and ::1"
            )
        return real(sock, address)

    return connect


@pytest.fixture(autouse=True)
def loopback_only(monkeypatch):
    """Any connection to an address outside loopback fails the test before a packet leaves."""
    monkeypatch.setattr(socket.socket, "connect", _guarded(_real_connect))
    monkeypatch.setattr(socket.socket, "connect_ex", _guarded(_real_connect_ex))


@pytest.fixture
def site_root(db):
    """The site as `load_demo` would leave it, minus the demo content: a HomePage as the
    default site's root."""
    from cirsite.site.demo_content import ensure_home_page

    return ensure_home_page()


@pytest.fixture
def author_index(site_root):
    """/authors/: the page that lists the authors and routes to each one's page and feed."""
    from articles.models import AuthorIndexPage

    index = AuthorIndexPage(title="Authors", slug="authors")
    site_root.add_child(instance=index)
    index.save_revision().publish()
    return index


@pytest.fixture(autouse=True)
def fresh_cache():
    """Each test starts with an empty cache (Redis in the PostgreSQL run keeps keys between
    tests otherwise)."""
    from django.core.cache import cache

    from cirsite.site import page_cache

    def forget():
        cache.clear()
        # What this process learnt of the generation table belongs to the previous test's
        # database, which was rolled back; a new web process starts with nothing either.
        page_cache.GENERATIONS.__init__()
        page_cache.READ_NAMES.clear()

    forget()
    yield
    forget()


@pytest.fixture
def admin_client(client, admin_user):
    """pytest-django's superuser client, past the second factor too (superusers must have one),
    so that admin tests exercise the real two-factor middleware instead of its redirect."""
    from tests.second_factor import log_in_with_second_factor

    log_in_with_second_factor(client, admin_user)
    return client


@pytest.fixture
def steady_generations(settings):
    """For tests that count queries: this process trusts what it knows of the cache
    generations for the whole test, so that a poll of the generation table (due every
    PAGE_CACHE_POLL_SECONDS) cannot land in one measured request and not in the other."""
    settings.PAGE_CACHE_POLL_SECONDS = 3600


@pytest.fixture
def demo_site(db):
    """The whole demo site, loaded the way `make run` loads it."""
    from django.core.management import call_command

    call_command("load_demo", stdout=open(os.devnull, "w"))  # noqa: SIM115
    from cirsite.site.models import HomePage

    return HomePage.objects.get()


@pytest.fixture(scope="session")
def demo_site_dir(tmp_path_factory):
    """A var folder with the demo site migrated, loaded and its static files collected, made
    once per session; every test that serves the site starts from a copy of it."""
    from tests.running_site import prepare_site

    return prepare_site(tmp_path_factory.mktemp("demo-site"))


@pytest.fixture(scope="session")
def running_site(tmp_path_factory, demo_site_dir):
    """The demo site served by gunicorn, as `make run` serves it; shared by the serving and
    browser tests, which only read from it."""
    from tests.running_site import start_site, stop_site

    site, server, log = start_site(tmp_path_factory.mktemp("running-site"), demo_site_dir)
    yield site
    stop_site(server, log)


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
    """Debian's Chromium (installed by `make browser`) driven by Playwright; one browser for
    the whole session, a fresh context per test."""
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
def new_tab(chromium):
    """Opens tabs in fresh browser contexts (own cookies, viewport, JavaScript setting)."""
    contexts = []

    def open_tab(**context_options):
        context = chromium.new_context(**context_options)
        contexts.append(context)
        return context.new_page()

    yield open_tab
    for context in contexts:
        context.close()


@pytest.fixture
def page(new_tab):
    return new_tab(viewport={"width": 1280, "height": 900})
