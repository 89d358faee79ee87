"""Find every model module, so Alembic and tests see the whole schema.

Models live in ``grader.db.models`` and in other areas' ``grader/db/*_models.py`` modules
(``web_models``, ``lms_models``); all of them share ``Base.metadata``.
"""

from __future__ import annotations

import importlib
import pkgutil

import grader.db


def model_module_names() -> list[str]:
    """``grader.db.models`` and every ``grader.db.*_models`` module, sorted."""
    names = ["grader.db.models"]
    for info in pkgutil.iter_modules(grader.db.__path__):
        if info.name.endswith("_models"):
            names.append(f"grader.db.{info.name}")
    return sorted(names)


def import_all_models() -> None:
    """Import every model module (registering its tables on ``Base.metadata``)."""
    for name in model_module_names():
        importlib.import_module(name)
