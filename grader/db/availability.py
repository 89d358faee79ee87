"""Telling "the database is unreachable right now" apart from a bug.

A request that fails because PostgreSQL is restarting (connection refused, the connection dropped
mid-transaction, the pool timed out) or SQLite is locked past its busy timeout is answered 503
with ``Retry-After`` (``grader.app``): nothing was written (the transaction rolled back), and the
client may simply send it again (with the same ``Idempotency-Key``).
"""

from __future__ import annotations

from sqlalchemy import exc as sa_exc


def is_unavailable(error: BaseException) -> bool:
    """True for errors that say the database could not be reached or used just now."""
    if isinstance(error, sa_exc.DBAPIError) and error.connection_invalidated:
        return True
    return isinstance(error, (sa_exc.OperationalError, sa_exc.InterfaceError, sa_exc.DisconnectionError,
                              sa_exc.TimeoutError))
