"""LTI 1.3 Assignment and Grade Services: publish a score to a line item.

A score's ``timestamp`` is fixed when the grade is produced and sent unchanged on retries
(Moodle answers 409 to a timestamp that is not newer than the stored one; 409 counts as done).
The access token comes from the OAuth 2 client-credentials grant with an RS256 JWT assertion
(``iss`` = ``sub`` = client id, ``aud`` = token URL) and is cached until it expires.

>>> scores_url("https://lms.example/lineitems/7/lineitem?type_id=2")
'https://lms.example/lineitems/7/lineitem/scores?type_id=2'
"""

from __future__ import annotations

import secrets
import threading
import time
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from grader.lms_protocol.jwks import ToolKey
from grader.lms_protocol.webhooks import TIMEOUT_S, AttemptResult, HttpClient, Outcome, classify
from grader.security.egress import EgressRefused

SCORE_SCOPE = "https://purl.imsglobal.org/spec/lti-ags/scope/score"
SCORE_CONTENT_TYPE = "application/vnd.ims.lis.v1.score+json"
ASSERTION_TYPE = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"


class TokenError(Exception):
    """The platform's token endpoint refused us or answered nonsense."""

    def __init__(self, message: str, status_code: int | None = None) -> None:
        super().__init__(message)
        self.status_code = status_code


@dataclass(frozen=True)
class PlatformAuth:
    """What the token request needs from a platform registration."""

    client_id: str
    token_url: str


def score_payload(
    user_id: str,
    score_given: float,
    score_maximum: float,
    *,
    timestamp: datetime,
    pending_manual: bool = False,
    comment: str | None = None,
) -> dict[str, Any]:
    """The AGS score object; ``PendingManual`` while an answer waits for an instructor."""
    if timestamp.tzinfo is None:
        raise ValueError("the score timestamp must be timezone-aware")
    payload: dict[str, Any] = {
        "userId": user_id,
        "scoreGiven": score_given,
        "scoreMaximum": score_maximum,
        "activityProgress": "Completed",
        "gradingProgress": "PendingManual" if pending_manual else "FullyGraded",
        "timestamp": timestamp.isoformat(timespec="milliseconds"),
    }
    if comment:
        payload["comment"] = comment
    return payload


def scores_url(lineitem_url: str) -> str:
    """``{lineitem}/scores``, keeping the line item URL's query string at the end."""
    parts = urlsplit(lineitem_url)
    return urlunsplit(parts._replace(path=parts.path.rstrip("/") + "/scores"))


def client_assertion(key: ToolKey, auth: PlatformAuth, *, now: float | None = None, lifetime_s: int = 300) -> str:
    """The signed JWT that authenticates the tool at the token endpoint."""
    issued = int(time.time() if now is None else now)
    claims = {
        "iss": auth.client_id,
        "sub": auth.client_id,
        "aud": auth.token_url,
        "iat": issued,
        "exp": issued + lifetime_s,
        "jti": secrets.token_urlsafe(16),
    }
    return key.sign(claims)


class TokenCache:
    """Access tokens per (token URL, client id, scope), kept until shortly before they expire."""

    def __init__(self, margin_s: float = 30.0) -> None:
        self._tokens: dict[tuple[str, str, str], tuple[str, float]] = {}
        self._lock = threading.Lock()
        self.margin_s = margin_s

    def get(self, auth: PlatformAuth, scope: str, *, now: float | None = None) -> str | None:
        current = time.time() if now is None else now
        with self._lock:
            entry = self._tokens.get((auth.token_url, auth.client_id, scope))
        if entry and entry[1] - self.margin_s > current:
            return entry[0]
        return None

    def put(self, auth: PlatformAuth, scope: str, token: str, expires_at: float) -> None:
        with self._lock:
            self._tokens[(auth.token_url, auth.client_id, scope)] = (token, expires_at)

    def forget(self, auth: PlatformAuth, scope: str) -> None:
        with self._lock:
            self._tokens.pop((auth.token_url, auth.client_id, scope), None)


def access_token(
    http: HttpClient, auth: PlatformAuth, key: ToolKey, cache: TokenCache, *, scope: str = SCORE_SCOPE
) -> str:
    """A cached or freshly granted access token for ``scope``; raises TokenError."""
    cached = cache.get(auth, scope)
    if cached:
        return cached
    form = {
        "grant_type": "client_credentials",
        "client_assertion_type": ASSERTION_TYPE,
        "client_assertion": client_assertion(key, auth),
        "scope": scope,
    }
    try:
        response: Any = http.post(auth.token_url, data=form, timeout=TIMEOUT_S, allow_redirects=False)
    except Exception as exc:
        raise TokenError(f"token request failed: {type(exc).__name__}: {exc}") from exc
    if response.status_code != 200:
        raise TokenError(f"token endpoint answered HTTP {response.status_code}", response.status_code)
    try:
        body = response.json()
        token = str(body["access_token"])
        expires_in = float(body.get("expires_in", 3600))
    except (ValueError, KeyError, TypeError) as exc:
        raise TokenError("token endpoint answered without an access_token") from exc
    cache.put(auth, scope, token, time.time() + expires_in)
    return token


def publish_score(
    http: HttpClient, auth: PlatformAuth, key: ToolKey, cache: TokenCache, lineitem_url: str, payload: dict[str, Any]
) -> AttemptResult:
    """POST one score; 2xx and 409 are done, 401 drops the cached token and retries later."""
    try:
        token = access_token(http, auth, key, cache)
    except TokenError as exc:
        if isinstance(exc.__cause__, EgressRefused):  # an internal address: retrying cannot help
            return AttemptResult(None, str(exc)[:500], Outcome.GIVE_UP)
        code = exc.status_code
        outcome = Outcome.RETRY if code is None or code >= 500 or code in (401, 408, 429) else Outcome.GIVE_UP
        return AttemptResult(code, str(exc)[:500], outcome)
    headers = {"Authorization": f"Bearer {token}", "Content-Type": SCORE_CONTENT_TYPE}
    try:
        response = http.post(scores_url(lineitem_url), json=payload, headers=headers, timeout=TIMEOUT_S,
                             allow_redirects=False)
    except EgressRefused as exc:
        return AttemptResult(None, f"refused: {exc}"[:500], Outcome.GIVE_UP)
    except Exception as exc:
        return AttemptResult(None, f"{type(exc).__name__}: {exc}"[:500], Outcome.RETRY)
    code = response.status_code
    if code == 409:  # the platform already holds this (or a newer) score
        return AttemptResult(code, "", Outcome.DELIVERED)
    if code == 401:
        cache.forget(auth, SCORE_SCOPE)
        return AttemptResult(code, "HTTP 401 (token dropped)", Outcome.RETRY)
    outcome = classify(code)
    if outcome is Outcome.DISABLE:
        outcome = Outcome.GIVE_UP
    return AttemptResult(code, "" if outcome is Outcome.DELIVERED else f"HTTP {code}", outcome)
