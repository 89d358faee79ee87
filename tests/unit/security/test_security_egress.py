"""Finding 3 of issue 12, as the attack: webhook URLs aimed inside the network (loopback, private,
cloud metadata, every numeric spelling, credentials, names resolving inward, DNS rebinding).
No traffic leaves loopback: names are answered by a fake resolver, and where a request would go
to a public address the adapter's send is captured instead."""

from __future__ import annotations

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Iterator

import pytest
import requests
from requests.adapters import HTTPAdapter

from grader.lms_protocol.webhooks import Outcome, send_once
from grader.security.egress import EgressPolicy, EgressRefused, parse_numeric_host
from grader.security.egress_http import guarded_session

INTERNAL_URLS = [
    "http://127.0.0.1/", "http://127.1/", "http://2130706433/", "http://0x7f000001/", "http://0x7f.1/",
    "http://017700000001/", "http://0177.0.0.1/", "http://127.0.0.1./", "http://0/", "http://0.0.0.0/",
    "http://10.1.2.3/", "http://172.16.0.1/", "http://192.168.1.1/", "http://169.254.169.254/latest/meta-data",
    "http://100.64.0.1/", "http://224.0.0.1/", "http://240.0.0.1/", "http://255.255.255.255/",
    "http://[::1]/", "http://[::]/", "http://[::ffff:127.0.0.1]/", "http://[::ffff:7f00:1]/",
    "http://[fe80::1]/", "http://[fc00::1]/", "http://[ff02::1]/", "http://[64:ff9b::a9fe:a9fe]/",
    "http://[2002:7f00:1::]/", "https://localhost/", "http://LOCALHOST:8080/", "http://api.localhost/",
    "http://0xA9FEA9FE/", "http://2852039166/",
]


@pytest.mark.parametrize("url", INTERNAL_URLS)
def test_internal_addresses_are_refused_in_every_spelling(url: str) -> None:
    with pytest.raises(EgressRefused):
        EgressPolicy(resolver=_no_dns).check_static(url)
    with pytest.raises(EgressRefused):
        EgressPolicy(resolver=_no_dns).vet(url)


@pytest.mark.parametrize("url", ["https://user:pass@hooks.example.org/x", "https://user@hooks.example.org/",
                                 "https://hooks.example.org@127.0.0.1/", "ftp://hooks.example.org/",
                                 "https:///nohost", "http://hooks.example.org:99999/"])
def test_credentials_other_schemes_and_bad_ports_are_refused(url: str) -> None:
    with pytest.raises(EgressRefused):
        EgressPolicy(allowed_hosts=("127.0.0.1",), resolver=_no_dns).check_static(url)


@pytest.mark.parametrize(("text", "address"), [
    ("2130706433", "127.0.0.1"), ("0x7f.1", "127.0.0.1"), ("017700000001", "127.0.0.1"), ("127.1", "127.0.0.1"),
    ("10.258", "10.0.1.2"), ("1.2.3.4", "1.2.3.4"), ("0x08.8.8.8", "8.8.8.8"), ("::ffff:127.0.0.1", "::ffff:7f00:1"),
])
def test_numeric_hosts_are_read_as_inet_aton_does(text: str, address: str) -> None:
    assert str(parse_numeric_host(text)) == address


@pytest.mark.parametrize("text", ["example.org", "1.2.3.4.5", "256.1.1.1", "08.1.1.1", "1.2.3.16777216", "0x1g"])
def test_names_and_malformed_numbers_are_not_addresses(text: str) -> None:
    assert parse_numeric_host(text) is None


def _no_dns(host: str, port: int) -> list[str]:
    raise AssertionError(f"no DNS lookup expected for {host}")


def _fake_dns(table: dict[str, list[str]], calls: list[str] | None = None) -> Any:
    def resolve(host: str, port: int) -> list[str]:
        if calls is not None:
            calls.append(host)
        return table[host]
    return resolve


@pytest.mark.parametrize("answers", [["10.0.0.7"], ["169.254.169.254"], ["8.8.8.8", "127.0.0.1"], ["::1"],
                                     ["fd00::5"], ["::ffff:192.168.0.1"]])
def test_a_name_resolving_to_any_internal_address_is_refused(answers: list[str]) -> None:
    policy = EgressPolicy(resolver=_fake_dns({"hooks.example.org": answers}))
    policy.check_static("https://hooks.example.org/x")  # the name itself looks public
    with pytest.raises(EgressRefused, match="internal address"):
        policy.vet("https://hooks.example.org/x")


def test_a_public_name_is_vetted_to_its_address() -> None:
    target = EgressPolicy(resolver=_fake_dns({"hooks.example.org": ["8.8.4.4"]})).vet("https://hooks.example.org:8443/x")
    assert (target.host, target.port, target.address) == ("hooks.example.org", 8443, "8.8.4.4")


def test_the_allow_list_exempts_named_hosts_only_from_the_address_check() -> None:
    policy = EgressPolicy(allowed_hosts=("127.0.0.1", "receiver.internal"),
                          resolver=_fake_dns({"receiver.internal": ["10.0.0.9"]}))
    assert policy.vet("http://127.0.0.1:9000/hook").address == "127.0.0.1"
    assert policy.vet("http://receiver.internal/hook").address == "10.0.0.9"
    with pytest.raises(EgressRefused):
        policy.vet("http://127.0.0.2/hook")
    with pytest.raises(EgressRefused, match="credentials"):
        policy.vet("http://u:p@127.0.0.1:9000/hook")


def test_the_connection_goes_to_the_address_checked_not_a_second_lookup(monkeypatch: pytest.MonkeyPatch) -> None:
    """DNS rebinding: the first answer is public, any later one internal. The adapter resolves once
    and sends to the first answer, with the name kept for Host and TLS."""
    answers = iter([["8.8.4.4"], ["127.0.0.1"]])
    calls: list[str] = []

    def rebinding(host: str, port: int) -> list[str]:
        calls.append(host)
        return next(answers)

    sent: list[Any] = []

    def capture(self: HTTPAdapter, request: requests.PreparedRequest, *args: Any, **kwargs: Any) -> Any:
        sent.append((request, self.build_connection_pool_key_attributes(request, True)))
        response = requests.Response()
        response.status_code = 204
        return response

    monkeypatch.setattr(HTTPAdapter, "send", capture)
    http = guarded_session(EgressPolicy(resolver=rebinding))
    assert http.post("https://hooks.example.org/x", data=b"{}").status_code == 204
    (request, (host_params, pool_kwargs)), = sent
    assert calls == ["hooks.example.org"]
    assert request.url == "https://8.8.4.4:443/x" and request.headers["Host"] == "hooks.example.org"
    assert host_params["host"] == "8.8.4.4"
    assert pool_kwargs["server_hostname"] == "hooks.example.org" == pool_kwargs["assert_hostname"]


class _Receiver(BaseHTTPRequestHandler):
    seen: list[tuple[str, str]] = []

    def do_POST(self) -> None:  # noqa: N802
        self.rfile.read(int(self.headers.get("content-length", 0)))
        _Receiver.seen.append((self.path, self.headers["Host"]))
        self.send_response(500)
        self.send_header("content-type", "text/plain")
        self.end_headers()
        self.wfile.write(b"internal-service-secret-banner")

    def log_message(self, *args: Any) -> None:
        pass


@pytest.fixture
def receiver() -> Iterator[int]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Receiver)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    _Receiver.seen.clear()
    yield int(server.server_address[1])
    server.shutdown()
    server.server_close()


def test_a_refused_delivery_sends_nothing_and_is_not_retried(receiver: int) -> None:
    http = guarded_session(EgressPolicy(resolver=_fake_dns({"evil.example.org": ["127.0.0.1"]})))
    result = send_once(http, f"http://evil.example.org:{receiver}/hook", "whsec_" + "A" * 32, "msg_1", "{}")
    assert result.outcome is Outcome.GIVE_UP and result.status_code is None
    assert "refused" in result.error and "internal address" in result.error
    assert _Receiver.seen == []


def test_an_allowed_name_reaches_its_pinned_address_and_the_log_keeps_only_the_status(receiver: int) -> None:
    policy = EgressPolicy(allowed_hosts=("receiver.test",), resolver=_fake_dns({"receiver.test": ["127.0.0.1"]}))
    result = send_once(guarded_session(policy), f"http://receiver.test:{receiver}/hook", "whsec_" + "A" * 32,
                       "msg_2", "{}")
    assert _Receiver.seen == [("/hook", f"receiver.test:{receiver}")]
    assert (result.status_code, result.error, result.outcome) == (500, "HTTP 500", Outcome.RETRY)
    assert "banner" not in result.error


@pytest.mark.parametrize("internal", ["token", "lineitem"])
def test_a_score_post_to_an_internal_address_gives_up_and_sends_nothing(internal: str) -> None:
    from grader.lms_protocol.ags import PlatformAuth, TokenCache, publish_score
    from grader.lms_protocol.jwks import ToolKey

    dns = {"lms.example.org": ["8.8.4.4"], "inside.example.org": ["10.0.0.8"]}
    token_host = "inside.example.org" if internal == "token" else "lms.example.org"
    line_host = "inside.example.org" if internal == "lineitem" else "lms.example.org"
    sent: list[str] = []

    def capture(self: HTTPAdapter, request: requests.PreparedRequest, *args: Any, **kwargs: Any) -> Any:
        sent.append(str(request.url))
        response = requests.Response()
        response.status_code = 200
        response._content = b'{"access_token": "t", "expires_in": 3600}'
        return response

    cache = TokenCache()
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(HTTPAdapter, "send", capture)
        result = publish_score(guarded_session(EgressPolicy(resolver=_fake_dns(dns))),
                               PlatformAuth(client_id="tool", token_url=f"https://{token_host}/token"),
                               ToolKey.generate(), cache, f"https://{line_host}/lineitems/1", {"scoreGiven": 1})
    assert result.outcome is Outcome.GIVE_UP and "internal address" in result.error
    assert not any("10.0.0.8" in url for url in sent)
