"""Log in and log out (a session cookie; CSRF-checked forms)."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, redirect, render_template, request, url_for

from grader.app import db_session
from grader.services.auth import authenticate
from grader.web.request_user import login_user, logout_user
from grader.web.common import page_user, safe_next
from grader.web.csrf import check_csrf

bp = Blueprint("auth", __name__, template_folder="templates")
bp.before_request(check_csrf)  # once, at import: blueprints are shared by every app


@bp.route("/login", methods=["GET", "POST"])
def login() -> Any:
    error = None
    email = ""
    if request.method == "POST":
        email = (request.form.get("email") or "").strip()
        password = request.form.get("password") or ""
        found = authenticate(email, password, session=db_session()) if email and password else None
        if found is not None:
            login_user(found)
            return redirect(safe_next(request.form.get("next")))
        error = "Wrong email or password."
    elif page_user() is not None:
        return redirect(safe_next(request.args.get("next")))
    status = 401 if error else 200
    return render_template("login.html", error=error, email=email, next=request.values.get("next", "")), status


@bp.post("/logout")
def logout() -> Any:
    logout_user()
    db_session().commit()  # the raised session epoch: copies of the cookie stop working
    return redirect(url_for("auth.login"))
