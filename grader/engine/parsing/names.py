"""Names the parser knows: the caller's NameContext, built-in functions, constants, Greek."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field

from grader.engine.parsing.greek import GREEK_LETTERS


@dataclass(frozen=True)
class NameContext:
    """Names a grading context defines.

    ``symbols``: names that are single symbols (``"e"`` makes ``e`` a symbol, ``"wx"`` keeps
    ``wx`` whole). ``functions``: user function name -> arity; calls become ``Function(name)``.
    """

    symbols: frozenset[str] = frozenset()
    functions: Mapping[str, int] = field(default_factory=dict)

    def __post_init__(self) -> None:
        # a private copy (a plain dict, so contexts pickle); never mutated
        object.__setattr__(self, "symbols", frozenset(self.symbols))
        object.__setattr__(self, "functions", dict(self.functions))

    def __hash__(self) -> int:
        return hash((self.symbols, tuple(sorted(self.functions.items()))))


EMPTY_CONTEXT = NameContext()

# canonical name -> (min args, max args or None for any)
BUILTINS: dict[str, tuple[int, int | None]] = {
    "exp": (1, 1), "log": (1, 2), "sqrt": (1, 1), "root": (2, 2), "cbrt": (1, 1),
    "sin": (1, 1), "cos": (1, 1), "tan": (1, 1), "sec": (1, 1), "csc": (1, 1), "cot": (1, 1),
    "sinh": (1, 1), "cosh": (1, 1), "tanh": (1, 1), "sech": (1, 1), "csch": (1, 1),
    "coth": (1, 1),
    "asin": (1, 1), "acos": (1, 1), "atan": (1, 1),
    "Abs": (1, 1), "Max": (1, None), "Min": (1, None),
    "Heaviside": (1, 1), "sign": (1, 1), "factorial": (1, 1), "relu": (1, 1),
    "logistic": (1, 1),
    "Piecewise": (1, None), "And": (1, None), "Or": (1, None), "Not": (1, 1),
    "Eq": (2, 2), "Ne": (2, 2),
}

# spelling a student or printer may use -> canonical built-in
FUNCTION_ALIASES: dict[str, str] = {name: name for name in BUILTINS}
FUNCTION_ALIASES.update({
    "ln": "log", "abs": "Abs", "max": "Max", "min": "Min", "sigma": "logistic", "sigmoid": "logistic", "sgn": "sign",
    "arcsin": "asin", "arccos": "acos", "arctan": "atan", "ReLU": "relu",
})

GREEK = frozenset(GREEK_LETTERS)

# Names that are neither symbols nor functions in value position.
KEYWORDS = frozenset({"if", "for", "when", "where", "otherwise", "else", "and", "or"})


def function_name(name: str, names: NameContext) -> str | None:
    """The canonical built-in for ``name``, or None (a context symbol/function shadows
    ``logistic``/``sigma`` so the instructor's definition wins)."""
    if name in names.functions or name in names.symbols:
        return None
    return FUNCTION_ALIASES.get(name)


def is_known_word(name: str, names: NameContext, *, text_mode: bool) -> bool:
    """True when ``name`` is one unit for splitting letter runs (``wx`` -> w*x)."""
    return (
        name in names.symbols
        or name in names.functions
        or name in FUNCTION_ALIASES
        or name in GREEK
        or name == "e"
        or (text_mode and name in ("E", "True", "False"))
    )


def split_word(word: str, names: NameContext, *, text_mode: bool) -> list[str]:
    """Greedy longest-first split of a letter run into known names and single letters."""
    pieces: list[str] = []
    i, n = 0, len(word)
    longest = min(n, 24)
    while i < n:
        for length in range(min(longest, n - i), 0, -1):
            piece = word[i:i + length]
            if length == 1 or is_known_word(piece, names, text_mode=text_mode):
                pieces.append(piece)
                i += length
                break
    return pieces


def normalize_subscript(content: str) -> str | None:
    """``i`` -> ``i``; ``\\alpha`` -> ``alpha``; ``-2`` -> ``{-2}`` (braces keep the sign)."""
    s = content.replace(" ", "")
    if re.fullmatch(r"[A-Za-z0-9]+", s):
        return s
    if s.startswith("\\") and s[1:] in GREEK:
        return s[1:]
    if re.fullmatch(r"[A-Za-z0-9+\-,]+", s):
        return "{" + s + "}"
    return None
