"""Our reverse-mode evaluator: a Wengert list built from a sympy tree, evaluated with numpy or mpmath.

``Tape.from_expr(expr, inputs)`` lays the expression out as rows: the inputs first (in the given
order), then one row per operation in post-order of sympy's tree (children in sympy's argument
order), common sub-expressions shared. ``forward`` computes every row's value; ``adjoints`` runs
the reverse sweep (d output / d row); ``gradient`` returns the inputs' adjoints by symbol name.

Row names: an input row is named by its symbol, a constant row ``c_k``, an operation row ``v_k``.
"""

from __future__ import annotations

import math
import threading
from fractions import Fraction
from typing import Any, Mapping, NamedTuple, Sequence

import mpmath
import numpy as np
import sympy
from cachetools import LRUCache

from grader.engine.errors import EngineError
from grader.engine.tape_ops import BACKENDS, BOOLEAN_OPS, OPS
from grader.engine.tape_sympy import mpf_const, mpf_input, to_float, translate

# A tape is immutable once built (its mpmath constants are a memo), so one expression over the
# same inputs is laid out once per process: the key of a question is compiled for its first
# answer, and the checks of one answer (growth, sampling, witness, feedback) share one tape.
_TAPES: "LRUCache[tuple[sympy.Basic, tuple[str, ...]], Tape]" = LRUCache(maxsize=1024)
_TAPES_LOCK = threading.Lock()


class Row(NamedTuple):
    """One tape row: ``op`` applied to earlier rows ``args``; ``const`` for inputs/constants/powi."""

    name: str
    op: str
    args: tuple[int, ...]
    const: object | None


class Tape:
    """A topologically ordered Wengert list with numpy/mpmath forward and reverse sweeps."""

    def __init__(self, rows: Sequence[Row], inputs: Sequence[str]) -> None:
        self.rows: tuple[Row, ...] = tuple(rows)
        self.inputs: tuple[str, ...] = tuple(inputs)
        self._floats = [to_float(r.const) if r.op == "const" else None for r in self.rows]
        self._program = [(i, OPS[r.op].forward, r.args, r.const) for i, r in enumerate(self.rows)
                         if r.op not in ("input", "const")]
        self._input_rows = [(i, r.name) for i, r in enumerate(self.rows) if r.op == "input"]
        self._mp_cache: dict[int, list[Any]] = {}
        self._mp_rows: dict[tuple[Any, ...], tuple[Any, ...]] = {}

    @classmethod
    def from_expr(cls, expr: sympy.Basic, inputs: Sequence[sympy.Symbol]) -> "Tape":
        """Build the tape of ``expr`` over ``inputs`` (symbols, matched by name); memoised."""
        # not getattr(s, "name", str(s)): its default would print every symbol on every call
        names = [s.name if isinstance(getattr(s, "name", None), str) else str(s) for s in inputs]
        if isinstance(expr, bool) or not isinstance(expr, (sympy.Basic, int, float)):
            raise EngineError("the tape takes sympy expressions built by our parser, or plain numbers")
        if not isinstance(expr, sympy.Basic):
            expr = sympy.Integer(expr) if isinstance(expr, int) else sympy.Float(expr)
        # sympy's equality is structural and exact (2.0 is not 2, nor 0.1 at another precision)
        memo_key = (expr, tuple(names))
        with _TAPES_LOCK:
            hit = _TAPES.get(memo_key)
        if hit is not None:
            return hit
        tape = cls._build(expr, names)
        with _TAPES_LOCK:
            _TAPES[memo_key] = tape
        return tape

    @classmethod
    def _build(cls, expr: sympy.Basic, names: list[str]) -> "Tape":
        if len(set(names)) != len(names):
            raise EngineError("duplicate input symbols")
        index = {n: i for i, n in enumerate(names)}
        rows = [Row(n, "input", (), n) for n in names]
        memo: dict[sympy.Basic, int] = {}
        counts = {"const": 0, "op": 0}
        stack: list[tuple[sympy.Basic, list[sympy.Basic] | None, Any]] = [(expr, None, None)]
        while stack:
            node, kids, info = stack.pop()
            if node in memo:
                continue
            if kids is None:
                op, kids, const = translate(node, index)
                if op == "input":
                    memo[node] = index[const]
                    continue
                stack.append((node, kids, (op, const)))
                stack.extend((k, None, None) for k in reversed(kids) if k not in memo)
                continue
            op, const = info
            kind = "const" if op == "const" else "op"
            counts[kind] += 1
            name = f"c_{counts[kind]}" if kind == "const" else f"v_{counts[kind]}"
            rows.append(Row(name, op, tuple(memo[k] for k in kids), const))
            memo[node] = len(rows) - 1
        root = memo[expr]
        if root != len(rows) - 1:  # the expression is an input itself: add an identity row
            rows.append(Row(f"v_{counts['op'] + 1}", "add", (root,), None))
        return cls(rows, names)

    # -- forward -------------------------------------------------------------------------------

    def forward(self, values: Mapping[str, Any], *, backend: str = "numpy", prec: int | None = None) -> list[Any]:
        """Values of every row (numpy: floats or arrays over N points; mpmath: mpf, nan if undefined)."""
        if backend == "numpy":
            return self._forward_numpy(values)
        if backend == "mpmath":
            p = mpmath.mp.prec if prec is None else prec
            with mpmath.workprec(p):
                return self._forward_mpmath(values, p)
        raise EngineError(f"unknown backend {backend!r}")

    def _input(self, values: Mapping[str, Any], name: str) -> Any:
        try:
            return values[name]
        except KeyError:
            raise EngineError(f"no value given for input {name}") from None

    def _forward_numpy(self, values: Mapping[str, Any]) -> list[Any]:
        ns = BACKENDS["numpy"]
        ins = [np.asarray(self._input(values, n), dtype=float) for n in self.inputs]
        shape = np.broadcast_shapes(*[a.shape for a in ins]) if ins else ()
        vals: list[Any] = [float(a) if a.ndim == 0 else a for a in ins]
        vals += self._floats[len(ins):]
        with np.errstate(all="ignore"):
            for i, fwd, args, const in self._program:
                vals[i] = fwd(ns, [vals[j] for j in args], const)
        return [self._shape(v, shape) for v in vals]

    @staticmethod
    def _shape(v: Any, shape: tuple[int, ...]) -> Any:
        if type(v) is float and not shape:
            return v
        if isinstance(v, np.ndarray) and v.shape == shape and v.dtype == float:
            return v
        if isinstance(v, (bool, np.bool_)) or (isinstance(v, np.ndarray) and v.dtype == bool):
            return np.broadcast_to(v, shape) if shape else bool(v)
        if shape:
            if np.ndim(v) == 0:  # a constant row: filling is a fraction of broadcast_to's cost
                return np.full(shape, float(v))
            return np.broadcast_to(np.asarray(v, dtype=float), shape)
        return float(v)

    def _forward_mpmath(self, values: Mapping[str, Any], prec: int) -> list[Any]:
        # the key of a question is re-checked at the same sampled points for answer after answer
        # (the points come from the same seed): those sweeps are remembered, a few per tape
        try:
            memo = (prec, *(_exact_input(values[n]) for n in self.inputs))
        except (KeyError, TypeError):
            memo = None
        if memo is not None:
            hit = self._mp_rows.get(memo)
            if hit is not None:
                return list(hit)
        vals = self._sweep_mpmath(values, prec)
        if memo is not None:
            if len(self._mp_rows) >= _MP_ROWS:
                try:  # the oldest goes (another thread may be changing the dict: then none)
                    self._mp_rows.pop(next(iter(self._mp_rows)), None)
                except (StopIteration, RuntimeError):
                    pass
            self._mp_rows[memo] = tuple(vals)
        return vals

    def _sweep_mpmath(self, values: Mapping[str, Any], prec: int) -> list[Any]:
        ns = BACKENDS["mpmath"]
        consts = self._mp_cache.get(prec)
        if consts is None:
            consts = [mpf_const(r.const, prec) if r.op == "const" else None for r in self.rows]
            self._mp_cache[prec] = consts
        vals: list[Any] = list(consts)
        for i, name in self._input_rows:
            vals[i] = mpf_input(self._input(values, name), prec)
        for i, fwd, args, const in self._program:  # _mp_guard inlined: this loop is hot
            try:
                v = fwd(ns, [vals[j] for j in args], const)
            except (ZeroDivisionError, ValueError, OverflowError, TypeError):
                v = mpmath.nan
            else:
                if isinstance(v, mpmath.mpc):
                    v = mpmath.nan
                elif isinstance(v, (int, float)) and not isinstance(v, bool):
                    v = mpmath.mpf(v)
            vals[i] = v
        return vals

    def output(self, values: Mapping[str, Any], *, backend: str = "numpy", prec: int | None = None) -> Any:
        """The last row's value."""
        return self.forward(values, backend=backend, prec=prec)[-1]

    # -- reverse -------------------------------------------------------------------------------

    def adjoints(self, values: Mapping[str, Any], *, backend: str = "numpy", prec: int | None = None) -> list[Any]:
        """d output / d row for every row, by one reverse sweep (zero for condition rows)."""
        return self.evaluate(values, backend=backend, prec=prec)[1]

    def gradient(self, values: Mapping[str, Any], *, backend: str = "numpy", prec: int | None = None) -> dict[str, Any]:
        """The inputs' adjoints, keyed by symbol name."""
        adj = self.adjoints(values, backend=backend, prec=prec)
        return {n: adj[i] for i, n in enumerate(self.inputs)}

    def evaluate(self, values: Mapping[str, Any], *, backend: str = "numpy",
                 prec: int | None = None) -> tuple[list[Any], list[Any]]:
        """(forward values, adjoints) of every row in one call; adjoints are nan where the output is."""
        vals = self.forward(values, backend=backend, prec=prec)
        out = vals[-1]
        if backend == "numpy":
            with np.errstate(all="ignore"):
                adj = self._reverse_numpy(vals)
            if isinstance(out, np.ndarray) and out.dtype != bool and np.isnan(out).any():
                bad = np.isnan(out)
                adj = [np.where(bad, np.nan, a) for a in adj]
            elif isinstance(out, float) and math.isnan(out):
                adj = [math.nan] * len(adj)
            return vals, adj
        p = mpmath.mp.prec if prec is None else prec
        with mpmath.workprec(p):
            adj = self._reverse_mpmath(vals)
        if isinstance(out, mpmath.mpf) and mpmath.isnan(out):
            adj = [mpmath.nan] * len(adj)
        return vals, adj

    def _reverse_numpy(self, vals: list[Any]) -> list[Any]:
        ns = BACKENDS["numpy"]
        shape = np.shape(vals[-1])
        adj: list[Any] = [None] * len(self.rows)
        adj[-1] = np.ones(shape) if shape else 1.0
        for i in range(len(self.rows) - 1, -1, -1):
            row, a = self.rows[i], adj[i]
            if a is None or not row.args or row.op in BOOLEAN_OPS:
                continue
            parts = OPS[row.op].partials(ns, [vals[j] for j in row.args], vals[i], row.const)
            for j, p in zip(row.args, parts):
                if p is None:
                    continue
                if isinstance(p, int) and p == 1:
                    c = a
                else:  # 0 * (inf or nan) counts as 0: an unused branch never poisons an adjoint
                    c = np.where((np.asarray(a) == 0) | (np.asarray(p) == 0), 0.0, np.multiply(a, p))
                    c = c[()] if np.ndim(c) == 0 else c
                adj[j] = c if adj[j] is None else adj[j] + c
        return [self._shape(0.0 if a is None or r.op in BOOLEAN_OPS else a, shape)
                for a, r in zip(adj, self.rows)]

    def _reverse_mpmath(self, vals: list[Any]) -> list[Any]:
        ns = BACKENDS["mpmath"]
        zero = mpmath.mpf(0)
        adj: list[Any] = [None] * len(self.rows)
        adj[-1] = mpmath.mpf(1)
        for i in range(len(self.rows) - 1, -1, -1):
            row, a = self.rows[i], adj[i]
            if a is None or a == 0 or not row.args or row.op in BOOLEAN_OPS:
                continue
            xs = [vals[j] for j in row.args]
            try:
                parts = OPS[row.op].partials(ns, xs, vals[i], row.const)
            except (ZeroDivisionError, ValueError, OverflowError, TypeError):
                parts = [None if vals[j] is True or vals[j] is False else mpmath.nan for j in row.args]
            for j, p in zip(row.args, parts):
                if p is None or p == 0:
                    continue
                c = _mp_guard(lambda: a * p)
                adj[j] = c if adj[j] is None else adj[j] + c
        return [zero if a is None or r.op in BOOLEAN_OPS else a for a, r in zip(adj, self.rows)]

    def __len__(self) -> int:
        return len(self.rows)


_MP_ROWS = 16   # remembered mpmath sweeps per tape (the hits do not grow past this)


def _exact_input(v: Any) -> Any:
    """A hashable stand-in for an input value that converts to exactly one mpf (a float, an int,
    a Fraction: equal ones convert equally); TypeError for anything else (arrays, sympy)."""
    if type(v) in (float, int, Fraction) or isinstance(v, np.floating):
        return v
    raise TypeError


def _mp_guard(f: Any) -> Any:
    """Evaluate an mpmath step; complex, undefined or erroring results become nan."""
    try:
        v = f()
    except (ZeroDivisionError, ValueError, OverflowError, TypeError):
        return mpmath.nan
    if isinstance(v, mpmath.mpc):
        return mpmath.nan
    if isinstance(v, (int, float)) and not isinstance(v, bool):
        return mpmath.mpf(v)
    return v
