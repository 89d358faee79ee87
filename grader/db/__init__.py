"""Persistence: the only package that imports SQLAlchemy (models, engine and session, queries).

Services receive a ``Session`` and call the query functions here, so they never import SQLAlchemy.
"""

from grader.db.session import DatabaseError, Session, SessionFactory, make_engine, make_session_factory, session_scope

__all__ = ["DatabaseError", "Session", "SessionFactory", "make_engine", "make_session_factory", "session_scope"]
