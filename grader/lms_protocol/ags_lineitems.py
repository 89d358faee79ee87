"""AGS 2.0 line item update and delete, pure apart from the injected HTTP client.

``changed_lineitem`` checks an instructor's changes and merges them into the platform's copy
(AGS: a PUT replaces the whole line item; ``id`` and ``resourceLinkId`` are the platform's and
never change here). ``put_lineitem`` and ``delete_lineitem`` call the line item's own URL with
the ``lineitem`` scope's token.

>>> changed_lineitem({"id": "https://lms.example/li/1", "label": "HW", "scoreMaximum": 3},
...                  {"label": "Homework 1", "tag": None})
{'id': 'https://lms.example/li/1', 'label': 'Homework 1', 'scoreMaximum': 3}
"""

from __future__ import annotations

import math
from datetime import datetime
from typing import Any

from grader.lms_protocol.ags import PlatformAuth, TokenCache
from grader.lms_protocol.jwks import ToolKey
from grader.lms_protocol.lti_services import LINEITEM_SCOPE, LINEITEM_TYPE, TIMEOUT_S, ServiceCallError, _token

EDITABLE = ("label", "scoreMaximum", "resourceId", "tag", "startDateTime", "endDateTime")
FIXED = ("id", "resourceLinkId")  # the platform's: may be sent back unchanged, never changed
MAX_TEXT = 255


class LineItemError(ValueError):
    """Changes that are not a valid AGS line item (the message says which field and why)."""


def _text(name: str, value: Any, *, required: bool) -> str | None:
    if value is None and not required:
        return None
    if not isinstance(value, str) or (required and not value.strip()) or len(value) > MAX_TEXT:
        need = "a non-empty string" if required else "a string or null"
        raise LineItemError(f'"{name}" must be {need} of at most {MAX_TEXT} characters')
    return value


def _when(name: str, value: Any) -> datetime | None:
    if value is None:
        return None
    try:
        parsed = datetime.fromisoformat(value) if isinstance(value, str) else None
    except ValueError:
        parsed = None
    if parsed is None or parsed.tzinfo is None:
        raise LineItemError(f'"{name}" must be an ISO 8601 date and time with a time zone '
                            '(e.g. "2026-12-24T23:59:00Z") or null')
    return parsed


def changed_lineitem(current: dict[str, Any], changes: dict[str, Any]) -> dict[str, Any]:
    """The line item to PUT: ``current`` with ``changes`` (null removes an optional field)."""
    unknown = sorted(set(changes) - set(EDITABLE) - set(FIXED))
    if unknown:
        raise LineItemError(f'unknown field(s) {", ".join(unknown)}; a line item\'s editable fields are '
                            f'{", ".join(EDITABLE)}')
    for name in FIXED:
        if name in changes and changes[name] != current.get(name):
            raise LineItemError(f'"{name}" is the platform\'s and cannot be changed')
    if not set(changes) & set(EDITABLE):
        raise LineItemError(f'nothing to change: give one of {", ".join(EDITABLE)}')
    merged = {**current, **{k: v for k, v in changes.items() if k in EDITABLE}}
    _text("label", merged.get("label"), required=True)
    maximum = merged.get("scoreMaximum")
    if (isinstance(maximum, bool) or not isinstance(maximum, (int, float)) or not math.isfinite(maximum)
            or maximum <= 0):
        raise LineItemError('"scoreMaximum" must be a number greater than 0')
    for name in ("resourceId", "tag"):
        _text(name, merged.get(name), required=False)
    start, end = _when("startDateTime", merged.get("startDateTime")), _when("endDateTime", merged.get("endDateTime"))
    if start is not None and end is not None and end < start:
        raise LineItemError('"endDateTime" must not be before "startDateTime"')
    return {k: v for k, v in merged.items() if v is not None}


def _call(http: Any, method: str, url: str, **kwargs: Any) -> Any:
    try:
        return http.request(method, url, timeout=TIMEOUT_S, allow_redirects=False, **kwargs)
    except Exception as exc:
        raise ServiceCallError(f"{type(exc).__name__}: {exc}") from exc


def put_lineitem(http: Any, auth: PlatformAuth, key: ToolKey, cache: TokenCache, item: dict[str, Any]
                 ) -> dict[str, Any]:
    """PUT the whole line item to its URL (``item["id"]``); the platform's copy."""
    token = _token(http, auth, key, cache, LINEITEM_SCOPE)
    response = _call(http, "PUT", item["id"], json=item, headers={
        "Authorization": f"Bearer {token}", "Content-Type": LINEITEM_TYPE, "Accept": LINEITEM_TYPE})
    if response.status_code not in (200, 201):
        raise ServiceCallError(f"HTTP {response.status_code} updating the line item")
    try:
        updated = response.json()
    except ValueError:
        updated = None
    return updated if isinstance(updated, dict) and updated.get("id") else item


def delete_lineitem(http: Any, auth: PlatformAuth, key: ToolKey, cache: TokenCache, url: str) -> bool:
    """DELETE the line item; False when the platform no longer had it (404), True when it deleted it."""
    token = _token(http, auth, key, cache, LINEITEM_SCOPE)
    response = _call(http, "DELETE", url, headers={"Authorization": f"Bearer {token}"})
    if response.status_code == 404:
        return False
    if response.status_code not in (200, 202, 204):
        raise ServiceCallError(f"HTTP {response.status_code} deleting the line item")
    return True
