"""A guard for tests that name internal or public addresses: any socket connect to something other
than loopback (or a Unix socket) fails the test instead of sending a packet."""

from __future__ import annotations

import ipaddress
import socket
from typing import Any

import pytest

_real_connect = socket.socket.connect
_real_connect_ex = socket.socket.connect_ex


def _check(address: Any) -> None:
    if isinstance(address, (str, bytes)):  # a Unix socket path
        return
    host = address[0]
    try:
        if ipaddress.ip_address(host.split("%")[0]).is_loopback:
            return
    except ValueError:
        if host == "localhost":
            return
    raise AssertionError(f"a test tried to connect to {host!r}: traffic must stay on loopback")


def _connect(self: socket.socket, address: Any) -> None:
    _check(address)
    return _real_connect(self, address)


def _connect_ex(self: socket.socket, address: Any) -> int:
    _check(address)
    return _real_connect_ex(self, address)


def loopback_only(monkeypatch: pytest.MonkeyPatch) -> None:
    """Install the guard for one test (``monkeypatch`` undoes it)."""
    monkeypatch.setattr(socket.socket, "connect", _connect)
    monkeypatch.setattr(socket.socket, "connect_ex", _connect_ex)
