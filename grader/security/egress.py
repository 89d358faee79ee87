"""Which URLs the service may send requests to (webhook endpoints, a platform's token and line
item URLs): never to an address inside the network it runs in, whatever the spelling.

A URL is refused when it carries credentials (``user:pass@``), is not http(s), or its host is or
resolves to a loopback, private, link-local (cloud metadata), shared, multicast, reserved or
unspecified address: IPv4 and IPv6, IPv4-mapped and NAT64 forms, and every numeric spelling
``inet_aton`` accepts (``2130706433``, ``0x7f.1``, ``017700000001``, ``127.1``). The addresses are
resolved once, when the request is sent, and the connection goes to the vetted address
(``grader.security.egress_http``), so a name cannot resolve to a public address for the check and
to an internal one for the connection (DNS rebinding).

``WEBHOOK_ALLOWED_HOSTS`` names hosts exempt from the address check (development and tests: a
receiver on localhost); it never exempts a URL from the credentials or scheme rules.

>>> parse_numeric_host("0x7f.1")
IPv4Address('127.0.0.1')
>>> is_internal(ipaddress.ip_address("::ffff:10.0.0.1"))
True
"""

from __future__ import annotations

import ipaddress
import socket
from dataclasses import dataclass, field
from typing import Callable, Sequence
from urllib.parse import urlsplit

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
Resolver = Callable[[str, int], Sequence[str]]
NAT64 = ipaddress.ip_network("64:ff9b::/96")
LOCAL_NAMES = ("localhost", "localhost.localdomain", "ip6-localhost", "ip6-loopback")


class EgressRefused(ValueError):
    """A URL the service will not send a request to (the message says why)."""


def _inet_aton_part(text: str) -> int | None:
    """One dotted part as inet_aton reads it: 0x.. hex, 0.. octal, else decimal; None if not a number."""
    try:
        if text[:2].lower() == "0x":
            return int(text[2:], 16) if text[2:] else 0
        if len(text) > 1 and text.startswith("0"):
            return int(text[1:], 8)
        return int(text, 10) if text.isdigit() else None
    except ValueError:
        return None


def parse_numeric_host(host: str) -> IPAddress | None:
    """The address a numeric host means (any inet_aton spelling, or an IPv6 literal), else None.

    ``a.b.c.d``, ``a.b.c`` (c fills 16 bits), ``a.b`` (b fills 24 bits) and ``a`` (32 bits), each
    part decimal, octal (leading 0) or hex (0x); a trailing dot is ignored."""
    host = host.strip().rstrip(".").strip("[]")
    if not host:
        return None
    if ":" in host:
        try:
            return ipaddress.IPv6Address(host.split("%", 1)[0])  # a zone index names an interface
        except ValueError:
            return None
    parts = host.split(".")
    if len(parts) > 4:
        return None
    numbers = [_inet_aton_part(p) for p in parts]
    if any(n is None for n in numbers):
        return None
    values = [n for n in numbers if n is not None]
    last_bits = 8 * (5 - len(values))
    if any(n > 255 for n in values[:-1]) or values[-1] >= 1 << last_bits:
        return None
    value = 0
    for n in values[:-1]:
        value = (value << 8) | n
    return ipaddress.IPv4Address((value << last_bits) | values[-1])


def is_internal(address: IPAddress) -> bool:
    """True for any address that is not a public unicast one (mapped and NAT64 forms unwrapped)."""
    if isinstance(address, ipaddress.IPv6Address):
        embedded = address.ipv4_mapped or address.sixtofour
        if embedded is None and address in NAT64:
            embedded = ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
        if embedded is None and address.teredo is not None:
            embedded = address.teredo[1]
        if embedded is not None and is_internal(embedded):
            return True
    return (not address.is_global or address.is_multicast or address.is_loopback or address.is_private
            or address.is_link_local or address.is_reserved or address.is_unspecified)


def system_resolver(host: str, port: int) -> list[str]:
    """Every address ``host`` resolves to (``getaddrinfo``, TCP)."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as exc:
        raise EgressRefused(f"cannot resolve {host}: {exc}") from None
    return [str(info[4][0]) for info in infos]


@dataclass(frozen=True)
class Target:
    """A vetted URL: its host as written, its port and the address to connect to."""

    url: str
    host: str
    port: int
    address: str


@dataclass(frozen=True)
class EgressPolicy:
    """The rules, with the resolver injected (tests pass a fake one: no DNS traffic)."""

    allowed_hosts: tuple[str, ...] = ()
    resolver: Resolver = field(default=system_resolver, compare=False)

    def allows_host(self, host: str) -> bool:
        return host.lower().rstrip(".") in self.allowed_hosts

    def check_static(self, url: str) -> tuple[str, int]:
        """The checks that need no DNS (registration time): returns (host, port) or raises."""
        parts = urlsplit(url) if isinstance(url, str) else None
        if parts is None or parts.scheme not in ("http", "https") or not parts.hostname:
            raise EgressRefused("the URL must be an http(s) URL with a host")
        if "@" in parts.netloc or parts.username is not None or parts.password is not None:
            raise EgressRefused("the URL must not carry credentials (user:password@)")
        try:
            port = parts.port or (443 if parts.scheme == "https" else 80)
        except ValueError:
            raise EgressRefused("the URL's port is not a number from 1 to 65535") from None
        host = parts.hostname.lower()
        if self.allows_host(host):
            return host, port
        numeric = parse_numeric_host(host)
        if numeric is not None and is_internal(numeric):
            raise EgressRefused(f"{host} is an internal address ({numeric}); only public hosts may be used")
        name = host.rstrip(".")
        if numeric is None and (name in LOCAL_NAMES or name.endswith(".localhost")):
            raise EgressRefused(f"{host} names this machine; only public hosts may be used")
        return host, port

    def vet(self, url: str) -> Target:
        """Resolve the URL's host once and return the address to connect to, or raise when the URL
        or any address the name resolves to is internal (an allowed host skips the address check)."""
        host, port = self.check_static(url)
        numeric = parse_numeric_host(host)
        addresses = [str(numeric)] if numeric is not None else list(self.resolver(host.rstrip("."), port))
        if not addresses:
            raise EgressRefused(f"{host} resolves to no address")
        if not self.allows_host(host):
            for text in addresses:
                address = ipaddress.ip_address(text.split("%", 1)[0])
                if is_internal(address):
                    raise EgressRefused(f"{host} resolves to an internal address ({address}); "
                                        "only public hosts may be used")
        return Target(url=url, host=host, port=port, address=addresses[0].split("%", 1)[0])
