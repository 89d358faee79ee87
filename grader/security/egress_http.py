"""A ``requests`` session whose every request goes through ``EgressPolicy.vet``: the host is
resolved once and the connection made to that vetted address, with the original name kept for
the ``Host`` header, TLS SNI and certificate checking. No proxy from the environment is used (a
proxy would do its own resolution)."""

from __future__ import annotations

import ipaddress
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import requests
from requests.adapters import HTTPAdapter

from grader.security.egress import EgressPolicy


class PinnedAddressAdapter(HTTPAdapter):
    """Sends each request to the address its policy vetted, never re-resolving the name."""

    def __init__(self, policy: EgressPolicy, **kwargs: Any) -> None:
        self.policy = policy
        super().__init__(**kwargs)

    def send(self, request: requests.PreparedRequest, *args: Any, **kwargs: Any) -> requests.Response:
        target = self.policy.vet(str(request.url))
        parts = urlsplit(str(request.url))
        literal = f"[{target.address}]" if ipaddress.ip_address(target.address).version == 6 else target.address
        default_port = 443 if parts.scheme == "https" else 80
        host_header = parts.hostname or target.host
        if ":" in host_header:
            host_header = f"[{host_header}]"
        if target.port != default_port:
            host_header = f"{host_header}:{target.port}"
        request.headers["Host"] = host_header
        request.url = urlunsplit((parts.scheme, f"{literal}:{target.port}", parts.path, parts.query, parts.fragment))
        request.grader_tls_name = target.host  # type: ignore[attr-defined]
        return super().send(request, *args, **kwargs)

    def build_connection_pool_key_attributes(self, request: requests.PreparedRequest, verify: Any,
                                             cert: Any = None) -> tuple[dict[str, Any], dict[str, Any]]:
        host_params, pool_kwargs = super().build_connection_pool_key_attributes(request, verify, cert)
        name = getattr(request, "grader_tls_name", None)
        if host_params.get("scheme") == "https" and name:
            pool_kwargs["server_hostname"] = name  # SNI and certificate name: the host as written
            pool_kwargs["assert_hostname"] = name
        return host_params, pool_kwargs


def guarded_session(policy: EgressPolicy) -> requests.Session:
    """A ``requests.Session`` that can only reach what ``policy`` allows."""
    session = requests.Session()
    session.trust_env = False
    adapter = PinnedAddressAdapter(policy)
    session.mount("http://", adapter)
    session.mount("https://", adapter)
    return session
