"""Every limit the engine enforces, in one explicit, configurable place.

Parsing limits are checked statically, before any sympy object is built; time budgets are
cooperative deadlines inside the engine (the service adds hard limits around whole tasks).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, fields, replace


@dataclass(frozen=True)
class Limits:
    """Limits for one answer. ``Limits.from_env(env)`` reads ``GRADER_LIMIT_<FIELD>`` overrides."""

    max_length: int = 4000          # characters of input
    max_depth: int = 60             # nesting of brackets / sub-expressions
    max_nodes: int = 1500           # nodes in the parsed expression tree
    max_exponent: int = 200         # |n| for an integer power x**n, and exponent of a numeric power
    max_factorial: int = 50         # n in n!
    max_digits: int = 40            # digits in a numeric literal or in a computed integer
    max_magnitude: int = 10_000     # |values| up to 10^this: constants, and answers on the domain
    answer_time_s: float = 2.0      # whole check of one answer (cooperative deadline)
    symbolic_time_s: float = 0.25   # sympy confirmation budget inside that

    @classmethod
    def from_env(cls, env: Mapping[str, str]) -> "Limits":
        """Defaults overridden by variables such as ``GRADER_LIMIT_MAX_LENGTH=2000`` in ``env`` (the
        composition root passes the environment; the engine reads none itself)."""
        changes = {}
        for f in fields(cls):
            raw = env.get(f"GRADER_LIMIT_{f.name.upper()}")
            if raw is not None:
                changes[f.name] = type(getattr(cls(), f.name))(raw)
        return replace(cls(), **changes)


DEFAULT_LIMITS = Limits()
