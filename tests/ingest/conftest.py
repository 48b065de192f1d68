"""Fixtures for ingest tests: real HTTP servers on loopback, a resolver for made-up names, and
an editor at the review queue with ingested incidents.

Shared by the fetch/parse, pipeline and review-queue tests; add fixtures by appending."""

import socket
from pathlib import Path

import pytest

from articles.models import ArticleIndexPage
from cirsite.base.models import User
from ingest.models import Incident
from ingest.pipeline.address_guard import literal_address
from ingest.pipeline.polling import ingest_file
from tests.ingest.local_servers import LocalServer, canary
from tests.second_factor import log_in_with_second_factor


@pytest.fixture
def feed_server(settings):
    """A local feed server, exempted from the SSRF guard by INGEST_ALLOWED_PRIVATE_HOSTS
    exactly as an intranet feed would be (``127.0.0.1:<its port>``, nothing else)."""
    with LocalServer("127.0.0.1") as server:
        settings.INGEST_ALLOWED_PRIVATE_HOSTS = [
            *settings.INGEST_ALLOWED_PRIVATE_HOSTS,
            server.host_port,
        ]
        yield server


@pytest.fixture
def canary_server():
    """A server on 127.0.0.1 that is *not* exempt: any hit means the guard let a request
    through to a loopback address."""
    with canary("127.0.0.1") as server:
        yield server


@pytest.fixture
def canary_server_127_0_0_2():
    with canary("127.0.0.2") as server:
        yield server


@pytest.fixture
def canary_server_ipv6():
    with canary("::1") as server:
        yield server


class NameResolver:
    """Maps test host names to addresses without sending a packet: the guard must refuse
    an internal answer before anything connects. Unknown names do not resolve."""

    def __init__(self, names):
        self.names = dict(names)
        self.lookups = []

    def __call__(self, host, port):
        self.lookups.append((host, port))
        return list(self.names.get(host, []))


TEST_NAMES = {
    "metadata.test": ["169.254.169.254"],
    "ten.test": ["10.0.0.1"],
    "lan.test": ["192.168.0.1"],
    "ula.test": ["fd00::1"],
    "cgnat.test": ["100.64.0.1"],
    # A public and a private answer together: one bad address is enough to refuse.
    "split.test": ["1.1.1.1", "10.0.0.1"],
    # Public: the guard lets it through (only check_url uses it; nothing connects to it).
    "public.test": ["1.1.1.1", "2606:4700:4700::1111"],
}


@pytest.fixture
def test_resolver():
    return NameResolver(TEST_NAMES)


_real_getaddrinfo = socket.getaddrinfo


@pytest.fixture(autouse=True)
def no_name_lookups(monkeypatch):
    """A DNS query is a packet too: ingest tests may resolve only literal addresses and
    localhost. A test that needs a name maps it with ``test_resolver``."""

    def getaddrinfo(host, *args, **kwargs):
        name = host.decode("ascii", "replace") if isinstance(host, bytes) else host
        if name is None or name == "localhost" or literal_address(name) is not None:
            return _real_getaddrinfo(host, *args, **kwargs)
        raise socket.gaierror(
            socket.EAI_NONAME, f"tests may not look up {name!r}; map it with test_resolver"
        )

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)


# The review queue (test_review.py, test_review_learning.py): a superuser editor, logged in
# past two-factor, and the incidents of two feeds from tests/fixtures/feeds.
FEEDS = Path(__file__).resolve().parent.parent / "fixtures" / "feeds"
QUEUE = "/admin/ingest/incidents/"


@pytest.fixture
def editor(db):
    return User.objects.create_superuser("editor", "editor@example.com", "a-long-password-1")


@pytest.fixture
def admin(client, editor):
    log_in_with_second_factor(client, editor)
    return client


@pytest.fixture
def ingested(db):
    """The incident-watch and council feeds, ingested as `ingest --file` does."""
    ingest_file(FEEDS / "incident-watch.rss")
    ingest_file(FEEDS / "no-guids.rss")
    return {incident.title.split()[0]: incident for incident in Incident.objects.all()}


@pytest.fixture
def news(site_root):
    index = ArticleIndexPage(title="News", slug="news")
    site_root.add_child(instance=index)
    index.save_revision().publish()
    return index
