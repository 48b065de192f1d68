"""Fixtures for ingest tests: real HTTP servers on loopback and a resolver for made-up names.

Shared by the fetch/parse tests and the pipeline tests; add fixtures by appending."""

import pytest

from tests.ingest.local_servers import LocalServer, canary


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
