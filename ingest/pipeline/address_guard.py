"""The SSRF guard: no feed request may reach an address inside our network.

A feed URL is written by a stranger, and so is every redirect it answers with. Before any
connection, the host is turned into addresses (literals in every spelling the C library
accepts, or names through DNS) and *every* address must be public. The fetcher then
connects to the addresses returned here, never to the name, so a second DNS answer cannot
swap in an internal address between the check and the connection (DNS rebinding).

``INGEST_ALLOWED_PRIVATE_HOSTS`` lists ``host:port`` pairs exempt from the address check
(intranet feeds, and the tests' local servers). The match is on the host exactly as written
in the URL: ``127.0.0.1:8000`` does not exempt ``2130706433:8000`` or ``localhost:8000``.
"""

import ipaddress
import socket
import threading
import urllib.parse

from django.conf import settings
from django.core.exceptions import ValidationError

from ingest.pipeline.errors import FetchError

DEFAULT_PORTS = {"http": 80, "https": 443}

# Networks that ipaddress does not flag on Python 3.11 but which never hold a public feed.
_SHARED_ADDRESS_SPACE = ipaddress.ip_network("100.64.0.0/10")
_NAT64 = ipaddress.ip_network("64:ff9b::/96")

# Special-use names (RFC 6761, 6762, 8375 and ICANN's .internal) that never name a public host.
_LOCAL_NAME_SUFFIXES = (".localhost", ".local", ".localdomain", ".internal", ".home.arpa")


class BlockedAddress(FetchError):
    """The URL points (or resolves) somewhere a feed request must never go."""


def _allowed_private_hosts():
    allowed = set()
    for entry in getattr(settings, "INGEST_ALLOWED_PRIVATE_HOSTS", ()) or ():
        host, _, port = entry.strip().rpartition(":")
        if host and port.isdigit():
            allowed.add((host.strip("[]").lower(), int(port)))
    return allowed


def _legacy_ipv4(host):
    """The IPv4 address behind spellings such as ``2130706433``, ``0177.0.0.1`` or
    ``0x7f.1``, which the C resolver (and so ``getaddrinfo``) accepts as literals."""
    if not host or not all(c in "0123456789abcdefx." for c in host):
        return None
    try:
        return ipaddress.IPv4Address(socket.inet_aton(host))
    except (OSError, ValueError):
        return None


def literal_address(host):
    """The address a host literal stands for, in any spelling, or None for a name."""
    host = host.strip("[]").lower()
    if ":" in host:
        try:
            return ipaddress.ip_address(host.split("%")[0])
        except ValueError:
            return None
    # A trailing dot makes a name fully qualified; resolvers accept it on numbers too.
    host = host.rstrip(".")
    try:
        return ipaddress.ip_address(host)
    except ValueError:
        return _legacy_ipv4(host)


def refusal_reason(address):
    """Why ``address`` may not be fetched from, or None when it is a public address."""
    ip = ipaddress.ip_address(address) if isinstance(address, str) else address
    if ip.version == 6:
        embedded = ip.ipv4_mapped if ip.ipv4_mapped is not None else ip.sixtofour
        if embedded is None and ip in _NAT64:
            embedded = ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
        if embedded is None and ip.teredo:
            embedded = ip.teredo[1]
        if embedded is not None:
            inner = refusal_reason(embedded)
            if inner:
                return f"{inner} (embedded in the IPv6 address)"
    checks = (
        (ip.is_unspecified, "an unspecified address"),
        (ip.is_loopback, "a loopback address"),
        (ip.is_link_local, "a link-local address (this range holds cloud metadata services)"),
        (ip.is_multicast, "a multicast address"),
        (ip.version == 4 and ip in _SHARED_ADDRESS_SPACE, "a carrier-grade NAT address"),
        (ip.version == 6 and ip.is_site_local, "a site-local address"),
        (ip.is_reserved, "a reserved address"),
        (ip.is_private, "a private address"),
        (not ip.is_global, "not a public address"),
    )
    for matched, reason in checks:
        if matched:
            return reason
    return None


def _is_local_name(host):
    host = host.rstrip(".")
    return host == "localhost" or host.endswith(_LOCAL_NAME_SUFFIXES)


def _split_url(url):
    """(scheme, host, port) of a URL, or BlockedAddress saying what is wrong with it."""
    if not isinstance(url, str) or not url.strip():
        raise BlockedAddress("The feed address is empty.")
    if any(ord(c) < 0x21 or ord(c) == 0x7F for c in url.strip()):
        raise BlockedAddress("The feed address contains spaces or control characters.")
    try:
        parts = urllib.parse.urlsplit(url.strip())
    except ValueError as error:
        raise BlockedAddress(f"The feed address {url!r} is not a valid URL ({error}).") from None
    scheme = parts.scheme.lower()
    if scheme not in DEFAULT_PORTS:
        shown = f"{scheme}:" if scheme else "no scheme"
        raise BlockedAddress(
            f"The feed address {url!r} uses {shown}; only http:// and https:// addresses "
            "can be fetched."
        )
    if "@" in parts.netloc:
        raise BlockedAddress(
            f"The feed address {url!r} contains a user name or password; feeds are fetched "
            "without credentials, so remove the part before '@'."
        )
    host = parts.hostname or ""
    if not host:
        raise BlockedAddress(f"The feed address {url!r} has no host name.")
    try:
        port = parts.port or DEFAULT_PORTS[scheme]
    except ValueError:
        raise BlockedAddress(f"The feed address {url!r} has an invalid port.") from None
    if literal_address(host) is None:
        try:
            host = host.encode("idna").decode("ascii")
        except UnicodeError:
            raise BlockedAddress(f"The host name in {url!r} is not a valid name.") from None
    return scheme, host.lower().rstrip(".") or host.lower(), port


def _resolve_with_system(host, port, timeout):
    """getaddrinfo has no timeout of its own: a hung resolver must not outlive the feed's
    deadline, so the lookup runs in a thread we stop waiting for."""
    outcome = {}

    def look_up():
        try:
            infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
            outcome["addresses"] = [info[4][0] for info in infos]
        except OSError as error:
            outcome["error"] = error

    worker = threading.Thread(target=look_up, name=f"resolve {host}", daemon=True)
    worker.start()
    worker.join(timeout)
    if worker.is_alive():
        raise FetchError(f"Looking up the host name {host} took more than {timeout:g} seconds.")
    if "error" in outcome:
        raise FetchError(
            f"The host name {host} could not be found ({outcome['error']}). Check the "
            "feed address for typing mistakes."
        )
    return outcome["addresses"]


def check_url(url, resolver=None, *, timeout=10):
    """Validate ``url`` and return the ``(ip, port)`` pairs it may be fetched from.

    ``resolver(host, port) -> list of IP strings`` replaces DNS (tests map made-up names to
    internal addresses this way, so nothing is ever sent). Raises BlockedAddress when the
    URL is not public http(s) or any of its addresses is internal, FetchError when the name
    does not resolve.
    """
    _, host, port = _split_url(url)
    exempt = (host, port) in _allowed_private_hosts()
    literal = literal_address(host)
    if literal is None and not exempt and _is_local_name(host):
        raise BlockedAddress(
            f"Refused to fetch from {host}: it is a name for this machine or the local "
            "network. Feeds are fetched only from public internet addresses; an intranet "
            "feed must be listed in INGEST_ALLOWED_PRIVATE_HOSTS."
        )
    if literal is not None:
        addresses = [str(literal)]
    elif resolver is not None:
        addresses = list(resolver(host, port))
    else:
        addresses = _resolve_with_system(host, port, timeout)
    if not addresses:
        raise FetchError(f"The host name {host} has no addresses.")

    checked = []
    for address in addresses:
        ip = literal_address(str(address))
        if ip is None:
            raise BlockedAddress(f"The host {host} resolved to {address!r}, not an address.")
        if not exempt:
            reason = refusal_reason(ip)
            if reason:
                shown = host if str(ip) == host else f"{host} (which resolves to {ip})"
                raise BlockedAddress(
                    f"Refused to fetch from {shown}: it is {reason}. Feeds are fetched only "
                    "from public internet addresses; an intranet feed must be listed in "
                    "INGEST_ALLOWED_PRIVATE_HOSTS."
                )
        pair = (str(ip), port)
        if pair not in checked:
            checked.append(pair)
    return checked


def validate_feed_url(url, resolver=None):
    """For an editor saving a feed URL: a ValidationError unless it is public http(s).

    Literal addresses in any spelling and names that are local by definition (``localhost``,
    ``*.local``, ``*.internal``, single-label names) are refused. Other names are not looked
    up unless ``resolver`` is given: saving a form should not wait on DNS, and a save-time
    answer proves nothing because DNS can change; the guard checks again on every fetch and
    the source shows the refusal as its error.
    """
    try:
        _, host, port = _split_url(url)
    except BlockedAddress as error:
        raise ValidationError(error.message) from None
    if (host, port) in _allowed_private_hosts():
        return
    if literal_address(host) is None:
        if _is_local_name(host):
            raise ValidationError(
                f"{host} is a name for this machine or the local network; feeds must come "
                "from a public internet address."
            )
        if "." not in host.strip("."):
            raise ValidationError(
                f"{host} is not a full internet host name (it has no dot); use the feed's "
                "public address, such as https://www.example.com/feed."
            )
        if resolver is None:
            return
    try:
        check_url(url, resolver=resolver)
    except BlockedAddress as error:
        raise ValidationError(error.message) from None
    except FetchError:
        # A name that does not resolve today may tomorrow; the fetch reports it on the source.
        return
