"""The grading context of a question: definitions, allowed symbols, domain and tolerance.

``GradingContext.from_json`` validates the ``context`` object of ``grader check``; a bad one raises
``ContextError`` naming the field. Definitions are parsed with our own parser (never ``sympify``)
and substituted recursively, after the ``allowed`` check, into both the key and the answer.
"""

from __future__ import annotations

import json
import math
import re
import threading
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, Mapping

from cachetools import LRUCache

from grader.engine.errors import ContextError, ParseError

if TYPE_CHECKING:  # pragma: no cover
    import sympy

    from grader.engine.parsing import NameContext

DEFAULT_TOLERANCE = 1e-6
_SYMBOL_KEY = re.compile(r"^[A-Za-z\\][A-Za-z0-9]*(?:_(?:\{-?[A-Za-z0-9]+\}|-?[A-Za-z0-9]+))?$")
_FUNCTION_KEY = re.compile(r"^\s*([A-Za-z][A-Za-z0-9_]*)\s*\((.*)\)\s*$")
_MAX_DEFINITIONS = 200


@dataclass(frozen=True)
class Interval:
    """A continuous domain ``[lo, hi]`` for one symbol."""

    lo: float
    hi: float


@dataclass(frozen=True)
class Discrete:
    """A discrete domain: the symbol takes only these values."""

    values: tuple[int | float, ...]


Domain = Interval | Discrete


@dataclass(frozen=True)
class FunctionDefinition:
    """A user function ``name(params) = body`` (body as text)."""

    params: tuple[str, ...]
    body: str


@dataclass(frozen=True)
class GradingContext:
    """Everything a question says about its names. Build it with ``from_json`` or directly.

    ``definitions`` maps a symbol name (``"p_i"``) or a function key (``"logistic(u)"``) to the
    text of its definition; ``domain`` maps a symbol name to an ``Interval`` or ``Discrete``.
    """

    definitions: Mapping[str, str] = field(default_factory=dict)
    allowed: frozenset[str] | None = None
    domain: Mapping[str, Domain] = field(default_factory=dict)
    tolerance: float = DEFAULT_TOLERANCE

    def __post_init__(self) -> None:
        object.__setattr__(self, "definitions", MappingProxyType(dict(self.definitions)))
        object.__setattr__(self, "domain", MappingProxyType(dict(self.domain)))
        if self.allowed is not None and not isinstance(self.allowed, frozenset):
            object.__setattr__(self, "allowed", frozenset(self.allowed))

    def __reduce__(self) -> tuple:
        return (GradingContext, (dict(self.definitions), self.allowed, dict(self.domain), self.tolerance))

    def __hash__(self) -> int:
        return hash(self.fingerprint())

    def __eq__(self, other: object) -> bool:
        return isinstance(other, GradingContext) and self.fingerprint() == other.fingerprint()

    @classmethod
    def from_json(cls, obj: Mapping[str, Any] | None) -> "GradingContext":
        """Validate and build the ``context`` object of ``grader check`` (None -> empty context)."""
        if obj is None:
            return cls()
        if not isinstance(obj, Mapping):
            raise ContextError("context must be a JSON object")
        return cls(
            definitions=_read_definitions(obj.get("definitions")),
            allowed=_read_allowed(obj.get("allowed")),
            domain=_read_domain(obj.get("domain")),
            tolerance=_read_tolerance(obj.get("tolerance")),
        )

    def fingerprint(self) -> str:
        """A stable text identifying this context (for caches; computed once)."""
        cached = self.__dict__.get("_fingerprint")
        if cached is None:
            cached = self._make_fingerprint()
            object.__setattr__(self, "_fingerprint", cached)
        return cached

    def _make_fingerprint(self) -> str:
        dom = {k: ([v.lo, v.hi] if isinstance(v, Interval) else {"values": list(v.values)})
               for k, v in self.domain.items()}
        allowed = None if self.allowed is None else sorted(self.allowed)
        return json.dumps([dict(self.definitions), allowed, dom, self.tolerance], sort_keys=True)

    @property
    def symbol_definitions(self) -> dict[str, str]:
        """Definitions of symbols (keys without a parameter list)."""
        return {k: v for k, v in self.definitions.items() if not _FUNCTION_KEY.match(k)}

    @property
    def function_definitions(self) -> dict[str, FunctionDefinition]:
        """Definitions of functions (keys like ``logistic(u)``)."""
        out = {}
        for key, body in self.definitions.items():
            m = _FUNCTION_KEY.match(key)
            if m:
                params = tuple(p.strip() for p in m.group(2).split(",") if p.strip())
                out[m.group(1)] = FunctionDefinition(params, body)
        return out

    @property
    def names(self) -> "NameContext":
        """The names the parser must know: defined and domain symbols, user functions."""
        cached = self.__dict__.get("_names")
        if cached is not None:
            return cached
        from grader.engine.parsing import NameContext

        symbols = set(self.symbol_definitions) | set(self.domain) | set(self.allowed or ())
        functions = {name: len(f.params) for name, f in self.function_definitions.items()}
        names = NameContext(symbols=frozenset(symbols), functions=functions)
        object.__setattr__(self, "_names", names)
        return names

    def substitute(self, expr: "sympy.Expr") -> "sympy.Expr":
        """``expr`` with every definition (symbols and functions) substituted, recursively."""
        if not self.definitions:
            return expr
        return compiled(self).substitute(expr)

    def abbreviate(self, expr: "sympy.Expr") -> "sympy.Expr":
        """Best effort inverse of ``substitute``: write known sub-expressions with their names."""
        if not self.definitions:
            return expr
        return compiled(self).abbreviate(expr)


# --------------------------------------------------------------------------- validation

def normalize_name(name: str) -> str:
    """A context name as our parser spells the symbol: ``x_{i}`` -> ``x_i``, ``\\alpha`` -> ``alpha``,
    ``v_-2`` -> ``v_{-2}`` (so a domain or definition keyed either way meets the answer's symbol)."""
    name = name.strip().lstrip("\\")
    m = re.match(r"^(.*)_\{([A-Za-z0-9]+)\}$", name)
    if m:
        return f"{m.group(1)}_{m.group(2)}"
    m = re.match(r"^(.*)_(-[0-9]+)$", name)
    if m:
        return f"{m.group(1)}_{{{m.group(2)}}}"
    return name


def _read_definitions(raw: Any) -> dict[str, str]:
    if raw is None:
        return {}
    if not isinstance(raw, Mapping):
        raise ContextError("context.definitions must be an object mapping names to expressions")
    if len(raw) > _MAX_DEFINITIONS:
        raise ContextError(f"context.definitions has more than {_MAX_DEFINITIONS} entries")
    out: dict[str, str] = {}
    for key, value in raw.items():
        if not isinstance(key, str) or not key.strip():
            raise ContextError("context.definitions: empty name")
        key = key.strip()
        m = _FUNCTION_KEY.match(key)
        if m:
            params = [p.strip() for p in m.group(2).split(",")]
            if not params or not all(_SYMBOL_KEY.match(p) for p in params):
                raise ContextError(f"context.definitions: bad parameter list in {key!r}")
            params = [normalize_name(p) for p in params]
            if len(set(params)) != len(params):
                raise ContextError(f"context.definitions: repeated parameter in {key!r}")
            key = f"{m.group(1)}({', '.join(params)})"
        elif not _SYMBOL_KEY.match(key):
            raise ContextError(f"context.definitions: {key!r} is not a symbol name or a function like f(u)")
        else:
            key = normalize_name(key)
        if isinstance(value, bool) or not isinstance(value, (str, int, float)):
            raise ContextError(f"context.definitions[{key!r}] must be an expression (text)")
        if isinstance(value, float) and not math.isfinite(value):
            raise ContextError(f"context.definitions[{key!r}] must be finite")
        text = value if isinstance(value, str) else repr(value)
        if not text.strip():
            raise ContextError(f"context.definitions[{key!r}] is empty")
        out[key] = text
    return out


def _read_allowed(raw: Any) -> frozenset[str] | None:
    if raw is None:
        return None
    if not isinstance(raw, (list, tuple)) or not all(isinstance(s, str) and s.strip() for s in raw):
        raise ContextError("context.allowed must be a list of symbol names")
    return frozenset(normalize_name(s) for s in raw)


def _number(value: Any, where: str) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        raise ContextError(f"{where} must be a finite number, got {value!r}")
    return value


def _read_domain(raw: Any) -> dict[str, Domain]:
    if raw is None:
        return {}
    if not isinstance(raw, Mapping):
        raise ContextError("context.domain must be an object mapping symbols to [lo, hi] or {\"values\": [...]}")
    out: dict[str, Domain] = {}
    for name, spec in raw.items():
        where = f"context.domain[{name!r}]"
        if not isinstance(name, str) or not _SYMBOL_KEY.match(name.strip()):
            raise ContextError(f"{where}: not a symbol name")
        if isinstance(spec, Mapping) and "values" in spec:
            values = spec["values"]
            if not isinstance(values, (list, tuple)) or not values or len(values) > 1000:
                raise ContextError(f"{where}.values must be a non-empty list of numbers")
            vals = tuple(dict.fromkeys(_number(v, where + ".values[]") for v in values))
            out[normalize_name(name)] = Discrete(vals)
        elif isinstance(spec, (list, tuple)) or (isinstance(spec, Mapping) and "interval" in spec):
            pair = spec["interval"] if isinstance(spec, Mapping) else spec
            if not isinstance(pair, (list, tuple)) or len(pair) != 2:
                raise ContextError(f"{where} must be [lo, hi]")
            lo, hi = _number(pair[0], where + "[0]"), _number(pair[1], where + "[1]")
            if not lo < hi:
                raise ContextError(f"{where}: need lo < hi, got [{lo}, {hi}]")
            out[normalize_name(name)] = Interval(float(lo), float(hi))
        else:
            raise ContextError(f"{where} must be [lo, hi] or {{\"values\": [...]}}")
    return out


def _read_tolerance(raw: Any) -> float:
    if raw is None:
        return DEFAULT_TOLERANCE
    tol = _number(raw, "context.tolerance")
    if not 0 < tol < 1:
        raise ContextError(f"context.tolerance must be between 0 and 1 (relative), got {tol!r}")
    return float(tol)


# --------------------------------------------------------------------------- compiled definitions

_COMPILED: "LRUCache[str, Any]" = LRUCache(maxsize=256)


_COMPILED_LOCK = threading.Lock()


def compiled(ctx: GradingContext) -> "Any":
    """The parsed, fully resolved definitions of ``ctx`` (memoised by fingerprint, thread-safe)."""
    key = ctx.fingerprint()
    with _COMPILED_LOCK:
        hit = _COMPILED.get(key)
        if hit is not None:
            return hit
    from grader.engine.context_defs import CompiledDefinitions

    hit = CompiledDefinitions.build(ctx)
    with _COMPILED_LOCK:
        _COMPILED[key] = hit
    return hit


def parse_definition(text: str, names: "NameContext", what: str) -> "sympy.Expr":
    """Parse one definition body with our parser; errors become ContextError naming it."""
    from grader.engine.parsing import parse

    try:
        try:
            return parse(text, syntax="text", names=names).expr
        except ParseError:
            return parse(text, syntax="auto", names=names).expr  # a definition written in LaTeX
    except ParseError as exc:
        raise ContextError(f"context.definitions[{what!r}] cannot be read: {exc}") from None
