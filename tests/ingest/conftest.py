"""Fixtures for ingest tests: real HTTP servers on loopback and a resolver for made-up names.

Shared by the fetch/parse tests and the pipeline tests; add fixtures by appending."""

import socket

import pytest

from ingest.pipeline.address_guard import literal_address
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
