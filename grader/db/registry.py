"""Find every model module, so Alembic and tests see the whole schema.

Models live in the modules of ``grader.db.models`` (one per aggregate); all of them share
``Base.metadata``.
"""

from __future__ import annotations

import importlib
import pkgutil

import grader.db.models


def model_module_names() -> list[str]:
    """``grader.db.models`` and each of its modules, sorted."""
    names = ["grader.db.models"]
    for info in pkgutil.iter_modules(grader.db.models.__path__):
        names.append(f"grader.db.models.{info.name}")
    return sorted(names)


def import_all_models() -> None:
    """Import every model module (registering its tables on ``Base.metadata``)."""
    for name in model_module_names():
        importlib.import_module(name)
