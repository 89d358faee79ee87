"""Auto-grading service for derivative assignments.

Kept tiny on purpose: ``import grader.engine`` must never pull in Flask, SQLAlchemy or Celery.
"""

__version__ = "0.2.0"  # part of every verdict cache key: a new engine never serves old verdicts
