"""Helpers the page blueprints share: the logged-in user, service errors as flashed messages."""

from __future__ import annotations

from functools import wraps
from typing import Any, Callable, TypeVar

from flask import flash, redirect, request, url_for

from grader.db.models import User
from grader.web.request_user import current_user

F = TypeVar("F", bound=Callable[..., Any])


def login_required(view: F) -> F:
    """Redirect anonymous visitors to the login page (coming back here afterwards)."""

    @wraps(view)
    def wrapped(*args: Any, **kwargs: Any) -> Any:
        if page_user() is None:
            return redirect(url_for("auth.login", next=request.full_path.rstrip("?")))
        return view(*args, **kwargs)

    return wrapped  # type: ignore[return-value]


def page_user() -> User | None:
    """The user of the login session (pages never accept bearer tokens)."""
    if request.headers.get("Authorization"):
        return None
    return current_user()


def user() -> User:
    """The logged-in user (only inside ``login_required`` views)."""
    found = page_user()
    assert found is not None
    return found


def flash_error(message: str) -> None:
    flash(message, "error")


def safe_next(target: str | None) -> str:
    """A local path to go to after logging in (never another site)."""
    # browsers drop tabs and newlines from URLs (and Werkzeug from Location): "/\t/evil" is "//evil"
    if (target and target.startswith("/") and not target.startswith("//") and "\\" not in target
            and not any(ch.isspace() or ord(ch) < 0x20 or ord(ch) == 0x7F for ch in target)):
        return target
    return url_for("student.home")
