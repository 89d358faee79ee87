"""The answer parser: text and LaTeX into sympy, by our own grammar (never sympy's eval).

    parse(text, *, syntax="auto", names=None, limits=DEFAULT_LIMITS) -> Parsed
"""

from .api import Member, Parsed, parse
from .names import NameContext

__all__ = ["Member", "NameContext", "Parsed", "parse"]
