"""The SSRF guard on its own: which feed addresses may be fetched, and the editor's view of
the same rule when saving a feed URL. Names are mapped by the test resolver, so no lookup
or connection leaves the machine."""

import pytest
from django.core.exceptions import ValidationError

from ingest.pipeline.address_guard import BlockedAddress, check_url, validate_feed_url
from ingest.pipeline.errors import FetchError


@pytest.mark.parametrize(
    "url, says",
    [
        ("http://169.254.169.254/latest/meta-data/", "link-local"),
        ("http://10.0.0.1/feed", "private"),
        ("http://192.168.0.1/feed", "private"),
        ("http://172.16.5.4/feed", "private"),
        ("http://[fd00::1]/feed", "private"),
        ("http://[fe80::1]/feed", "link-local"),
        ("http://100.64.0.1/feed", "carrier-grade NAT"),
        ("http://224.0.0.1/feed", "multicast"),
        ("http://[ff02::1]/feed", "multicast"),
        ("http://0.0.0.0/feed", "unspecified"),
        ("http://[::]/feed", "unspecified"),
        ("http://240.0.0.1/feed", "reserved"),
        ("http://127.0.0.1/feed", "loopback"),
        ("http://127.0.0.2/feed", "loopback"),
        ("http://[::1]/feed", "loopback"),
        ("http://localhost:8000/feed", "a name for this machine"),
        ("http://LocalHost./feed", "a name for this machine"),
        ("http://app.localhost/feed", "a name for this machine"),
        # The same loopback address in the spellings the C resolver accepts.
        ("http://2130706433/feed", "loopback"),
        ("http://0177.0.0.1/feed", "loopback"),
        ("http://0x7f.1/feed", "loopback"),
        ("http://0x7f000001/feed", "loopback"),
        ("http://127.1/feed", "loopback"),
        ("http://127.0.0.1./feed", "loopback"),
        ("http://0X7F.1/feed", "loopback"),
        ("http://2130706433./feed", "loopback"),
        ("http://127.000.000.001/feed", "loopback"),
        ("http://\u2460\u2461\u2466.0.0.1/feed", "loopback"),
        ("http://[::ffff:127.0.0.1]/feed", "loopback"),
        ("http://[::ffff:a9fe:a9fe]/feed", "link-local"),
        ("http://[::ffff:10.0.0.1]/feed", "private"),
        # IPv6 forms that carry an IPv4 address inside (6to4, NAT64).
        ("http://[2002:a00:1::]/feed", "private"),
        ("http://[64:ff9b::a9fe:a9fe]/feed", "link-local"),
    ],
)
def test_internal_addresses_in_any_spelling_are_refused(url, says, test_resolver):
    with pytest.raises(BlockedAddress) as refused:
        check_url(url, resolver=test_resolver)
    assert says in refused.value.message
    assert "INGEST_ALLOWED_PRIVATE_HOSTS" in refused.value.message
    assert test_resolver.lookups == [], "a literal address needs no lookup"


@pytest.mark.parametrize(
    "host, address",
    [
        ("metadata.test", "169.254.169.254"),
        ("ten.test", "10.0.0.1"),
        ("lan.test", "192.168.0.1"),
        ("ula.test", "fd00::1"),
        ("cgnat.test", "100.64.0.1"),
        ("split.test", "10.0.0.1"),
    ],
)
def test_a_name_resolving_to_an_internal_address_is_refused(host, address, test_resolver):
    with pytest.raises(BlockedAddress) as refused:
        check_url(f"https://{host}/feed.xml", resolver=test_resolver)
    assert f"{host} (which resolves to {address})" in refused.value.message
    assert test_resolver.lookups == [(host, 443)]


def test_a_public_name_gives_the_addresses_to_connect_to(test_resolver):
    assert check_url("https://public.test/feed", resolver=test_resolver) == [
        ("1.1.1.1", 443),
        ("2606:4700:4700::1111", 443),
    ]
    assert check_url("http://PUBLIC.test:8080/feed", resolver=test_resolver) == [
        ("1.1.1.1", 8080),
        ("2606:4700:4700::1111", 8080),
    ]


def test_a_name_that_does_not_resolve_is_a_fetch_error_not_a_refusal(test_resolver):
    with pytest.raises(FetchError) as failed:
        check_url("https://nowhere.test/feed", resolver=test_resolver)
    assert not isinstance(failed.value, BlockedAddress)
    assert "nowhere.test" in failed.value.message


@pytest.mark.parametrize(
    "url, says",
    [
        ("file:///etc/passwd", "only http:// and https://"),
        ("ftp://public.test/feed", "only http:// and https://"),
        ("gopher://public.test/", "only http:// and https://"),
        ("javascript:alert(1)", "only http:// and https://"),
        ("/etc/passwd", "no scheme"),
        ("https://user:secret@public.test/feed", "user name or password"),
        ("https://public.test@10.0.0.1/feed", "user name or password"),
        ("https:///feed", "no host"),
        ("https://public.test:99999/feed", "invalid port"),
        ("https://public.test/fe ed", "spaces or control characters"),
        ("", "empty"),
    ],
)
def test_only_plain_http_and_https_urls_are_fetched(url, says, test_resolver):
    with pytest.raises(BlockedAddress) as refused:
        check_url(url, resolver=test_resolver)
    assert says in refused.value.message


def test_an_allowed_private_host_is_exempt_only_as_written(settings, test_resolver):
    settings.INGEST_ALLOWED_PRIVATE_HOSTS = ["127.0.0.1:8001", "ten.test:443"]
    assert check_url("http://127.0.0.1:8001/feed") == [("127.0.0.1", 8001)]
    assert check_url("https://ten.test/feed", resolver=test_resolver) == [("10.0.0.1", 443)]
    # Another port, or the same address spelt differently, is not exempt.
    for url in (
        "http://127.0.0.1:8002/feed",
        "http://2130706433:8001/feed",
        "http://localhost:8001/feed",
        "http://[::ffff:127.0.0.1]:8001/feed",
    ):
        with pytest.raises(BlockedAddress):
            check_url(url, resolver=test_resolver)


@pytest.mark.parametrize(
    "url, says",
    [
        ("http://169.254.169.254/latest", "link-local"),
        ("http://2130706433/feed", "loopback"),
        ("http://[::ffff:127.0.0.1]/feed", "loopback"),
        ("http://localhost:8000/feed", "this machine or the local network"),
        ("http://printer.local/feed", "this machine or the local network"),
        ("http://metadata.google.internal/x", "this machine or the local network"),
        ("http://intranet/feed", "no dot"),
        ("file:///etc/passwd", "only http:// and https://"),
        ("https://editor:pw@www.example.com/feed", "user name or password"),
    ],
)
def test_an_editor_cannot_save_a_feed_url_that_is_not_public(url, says):
    with pytest.raises(ValidationError) as invalid:
        validate_feed_url(url)
    assert says in " ".join(invalid.value.messages)


def test_saving_a_feed_url_resolves_names_only_with_a_resolver(test_resolver):
    # Without a resolver a name is not looked up (no DNS at save time): it is accepted, and
    # the guard decides again at every fetch.
    validate_feed_url("https://metadata.test/feed")
    with pytest.raises(ValidationError) as invalid:
        validate_feed_url("https://metadata.test/feed", resolver=test_resolver)
    assert "169.254.169.254" in invalid.value.messages[0]
    validate_feed_url("https://public.test/feed", resolver=test_resolver)
    validate_feed_url("https://nowhere.test/feed", resolver=test_resolver)


def test_an_exempt_intranet_feed_can_be_saved(settings):
    settings.INGEST_ALLOWED_PRIVATE_HOSTS = ["intranet:8080"]
    validate_feed_url("http://intranet:8080/feed")
    with pytest.raises(ValidationError):
        validate_feed_url("http://intranet:8081/feed")
