"""``grader admin``: create users (printing an API token last), load assignments, migrate.

    grader admin migrate
    grader admin load-assignments [DIR]
    grader admin create-course KEY [--title T] [--default]
    grader admin new-encryption-key          # print a key for ENCRYPTION_KEYS
    grader admin rotate-encryption           # re-encrypt stored secrets with the first key
    grader admin rotate-lti-key [--overlap-hours H]  # a new LTI signing key; the old stays in the JWKS H hours
    grader admin tokens EMAIL                # list a user's API tokens (never the tokens themselves)
    grader admin issue-token EMAIL [--label L] [--expires-days N]
    grader admin revoke-token ID
    grader admin create-user EMAIL --role student|instructor|admin [--course KEY] [--password P] [--existing]

The database is ``DATABASE_URL`` (default: the embedded SQLite file under var/).
"""

from __future__ import annotations

import argparse
import sys

ROLES = ("student", "instructor", "admin")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    sub = parser.add_subparsers(dest="action", metavar="ACTION")
    sub.required = True
    sub.add_parser("migrate", help="apply every Alembic migration (alembic upgrade head)")
    load = sub.add_parser("load-assignments", help="load or update assignment files as versions")
    load.add_argument("directory", nargs="?", default=None, help="default: ASSIGNMENTS_DIR or assignments/")
    sub.add_parser("new-encryption-key", help="print a new Fernet key to put first in ENCRYPTION_KEYS")
    sub.add_parser("rotate-encryption", help="re-encrypt every stored secret with the first ENCRYPTION_KEYS key")
    lti_key = sub.add_parser("rotate-lti-key", help="a new LTI tool signing key; older keys stay published a while")
    lti_key.add_argument("--overlap-hours", type=float, default=72.0,
                         help="how long the old keys stay in the JWKS (platforms cache it; default 72, at most 720)")
    listing = sub.add_parser("tokens", help="list a user's API tokens")
    listing.add_argument("email")
    issue = sub.add_parser("issue-token", help="a new API token for a user, printed last")
    issue.add_argument("email")
    issue.add_argument("--label", default="issued by grader admin")
    issue.add_argument("--expires-days", type=int, default=None, help="valid for this many days (default: no expiry)")
    revoke = sub.add_parser("revoke-token", help="revoke an API token by its id (see `tokens`)")
    revoke.add_argument("token_id", type=int)
    course = sub.add_parser("create-course", help="create a course (or retitle one)")
    course.add_argument("key")
    course.add_argument("--title", default=None)
    course.add_argument("--default", action="store_true", help="make it the default course")
    user = sub.add_parser("create-user", help="create a user, enrol them, print an API token last")
    user.add_argument("email")
    user.add_argument("--role", required=True, choices=ROLES)
    user.add_argument("--course", default=None, help="course key (default: the default course)")
    user.add_argument("--password", default=None, help="for the login pages (optional)")
    user.add_argument("--name", default=None, help="display name")
    user.add_argument("--existing", action="store_true",
                      help="the address already has an account and you mean to change that account")


def run(args: argparse.Namespace) -> int:
    from grader.assignments.errors import AssignmentError
    from grader.bootstrap import install_key_ring, settings_from_environment
    from grader.db import DatabaseError, make_session_factory, session_scope
    from grader.security.secret_box import SecretBoxError
    from grader.services import provisioning as admin
    from grader.services.errors import ServiceError

    try:
        settings = settings_from_environment()
    except ValueError as exc:
        print(f"grader admin: bad configuration: {exc}", file=sys.stderr)
        return 1
    try:
        install_key_ring(settings)
    except SecretBoxError:
        pass  # no key at all: only a command that touches a stored secret fails, and says why
    if args.action == "new-encryption-key":
        from grader.services.encryption import new_encryption_key

        print(new_encryption_key())
        return 0
    if args.action == "migrate":
        try:
            admin.migrate(settings.database_url)
        except DatabaseError as exc:
            print(f"grader admin: cannot migrate {_safe_url(settings.database_url)}: {_first_line(exc)}",
                  file=sys.stderr)
            return 1
        print("database is at the latest migration")
        return 0
    factory = make_session_factory(settings.database_url)
    try:
        with session_scope(factory) as session:
            if args.action == "load-assignments":
                directory = args.directory or settings.assignments_dir
                for version in admin.load_assignments(session, directory):
                    print(f"{version.assignment.key}: version {version.content_hash[:12]} "
                          f"({len(version.definition.get('questions', []))} questions) from {version.source_path}")
                return 0
            if args.action == "rotate-encryption":
                from grader.services.encryption import rotate_encryption

                for table, count in rotate_encryption(session).items():
                    print(f"{table}: {count} secret(s) re-encrypted with the first key")
                return 0
            if args.action == "rotate-lti-key":
                from datetime import timedelta

                from grader.services.lms.tool_keys import rotate

                try:
                    kid, until = rotate(session, overlap=timedelta(hours=args.overlap_hours))
                except ValueError as exc:
                    print(f"grader admin: {exc}", file=sys.stderr)
                    return 2
                print(f"new LTI signing key {kid}; older keys leave the JWKS at {until.isoformat()}")
                return 0
            if args.action in ("tokens", "issue-token", "revoke-token"):
                return _tokens(session, args)
            if args.action == "create-course":
                course = admin.create_course(session, args.key, args.title, default=args.default)
                print(f"course {course.key} ({course.title}){' [default]' if course.is_default else ''}")
                return 0
            before = admin.roles_of_address(session, args.email)
            user, token = admin.create_user(
                session, args.email, args.role, course_key=args.course, password=args.password,
                display_name=args.name, existing=args.existing,
            )
            if before is not None:
                print(f"changing existing account #{user.id} {user.email}: roles {admin.describe_roles(before)}"
                      f" -> {admin.describe_roles(admin.course_roles(session, user))}"
                      f"{'; password replaced' if args.password else ''}")
            print(f"user {user.email} ({args.role}) ready; API token:")
            print(token)
            return 0
    except (ServiceError, AssignmentError, SecretBoxError) as exc:
        print(f"grader admin: {getattr(exc, 'message', exc)}", file=sys.stderr)
        return 1
    except OSError as exc:  # a missing or unreadable assignments directory or file
        print(f"grader admin: {exc.strerror or exc}: {exc.filename or ''}", file=sys.stderr)
        return 1
    except DatabaseError as exc:
        print(f"grader admin: database error on {_safe_url(settings.database_url)}: {_first_line(exc)} "
              "(has `grader admin migrate` been run?)", file=sys.stderr)
        return 1
    finally:
        factory.kw["bind"].dispose()


def _tokens(session: object, args: argparse.Namespace) -> int:
    """``tokens``, ``issue-token`` and ``revoke-token``."""
    from grader.services import tokens

    if args.action == "revoke-token":
        row = tokens.revoke_token(session, None, args.token_id)  # type: ignore[arg-type]
        print(f"token {row['id']} ({row['label']}) revoked at {row['revoked_at']}")
        return 0
    user = tokens.user_for_address(session, args.email)  # type: ignore[arg-type]
    if args.action == "tokens":
        for row in tokens.list_tokens(session, user):  # type: ignore[arg-type]
            print(f"{row['id']:>6}  {row['state']:<8} created {row['created_at']}  "
                  f"expires {row['expires_at'] or 'never'}  {row['label']}")
        return 0
    out = tokens.create_token(session, user, label=args.label, expires_in_days=args.expires_days)  # type: ignore[arg-type]
    print(f"token {out['id']} for {user.email}, expires {out['expires_at'] or 'never'}:")
    print(out["token"])
    return 0


def _first_line(exc: BaseException) -> str:
    """The driver's message without SQLAlchemy's SQL, parameters and background link."""
    orig = getattr(exc, "orig", None) or exc
    return (str(orig).strip().splitlines() or [type(orig).__name__])[0]


def _safe_url(url: str) -> str:
    """The database URL without its password."""
    scheme, sep, rest = url.partition("://")
    if sep and "@" in rest:
        creds, _, host = rest.rpartition("@")
        user = creds.split(":", 1)[0]
        return f"{scheme}://{user}:***@{host}"
    return url
