"""Instructor routes: submission lists, statistics, regrading and the CSV gradebook."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, request, url_for

from grader.api.common import int_arg, require_user
from grader.app import db_session, queue
from grader.services import dispatch, regrade, reports

bp = Blueprint("instructor", __name__)


@bp.get("/assignments/<key>/submissions")
def list_submissions(key: str) -> Any:
    user = require_user()
    return reports.list_submissions(
        db_session(), user, key,
        student=request.args.get("student") or None, status=request.args.get("status") or None,
        limit=int_arg("limit", 50), offset=int_arg("offset", 0),
    )


@bp.get("/assignments/<key>/stats")
def stats(key: str) -> Any:
    user = require_user()
    return reports.question_statistics(db_session(), user, key)


@bp.get("/assignments/<key>/gradebook.csv")
def gradebook(key: str) -> Any:
    user = require_user()
    text = reports.gradebook_csv(db_session(), user, key)
    return Response(
        text, mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="{key}-gradebook.csv"'},
    )


@bp.post("/assignments/<key>/regrade")
def start_regrade(key: str) -> Any:
    user = require_user()
    session = db_session()
    job = regrade.request_regrade(session, user, key)
    if job.total:
        dispatch.pending(session).regrades.append(job.id)
    dispatch.commit_and_send(session, queue())
    location = url_for("api.instructor.regrade_job", job_id=job.id)
    return {"job_id": job.id, "status": job.status, "total": job.total}, 202, {"Location": location}


@bp.get("/regrade-jobs/<int:job_id>")
def regrade_job(job_id: int) -> Any:
    user = require_user()
    return regrade.regrade_job_view(db_session(), user, job_id)
