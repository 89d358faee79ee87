"""Parsed and fully resolved definitions of a grading context (part of ``context.py``).

``p_i -> 1/(1+exp(-a_i))`` and ``a_i -> w*x_i`` resolve to ``p_i -> 1/(1+exp(-w*x_i))``; a
function key ``logistic(u)`` becomes a substitution of its body for every call. Cycles and
definitions that grow too large raise ``ContextError``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import sympy
from sympy.core.function import AppliedUndef

from grader.engine.context import parse_definition
from grader.engine.errors import ContextError, ParseError
from grader.engine.prover_rational import nodes

if TYPE_CHECKING:  # pragma: no cover
    from grader.engine.context import GradingContext

_MAX_NODES = 20000


def _symbol(name: str) -> sympy.Symbol:
    return sympy.Symbol(name, real=True)


def _size(expr: sympy.Basic) -> int:
    return nodes(expr, cap=_MAX_NODES + 1)


@dataclass(frozen=True)
class CompiledDefinitions:
    """Resolved symbol values and function bodies; ``substitute`` applies them all."""

    symbols: dict[sympy.Symbol, sympy.Expr]
    functions: dict[str, tuple[tuple[sympy.Symbol, ...], sympy.Expr]]

    @classmethod
    def build(cls, ctx: "GradingContext") -> "CompiledDefinitions":
        """Parse every definition of ``ctx`` and resolve it (raises ContextError)."""
        from grader.engine.parsing import NameContext

        names = ctx.names
        raw_sym = {n: parse_definition(t, names, n) for n, t in ctx.symbol_definitions.items()}
        raw_fn = {}
        for fname, fdef in ctx.function_definitions.items():
            local = NameContext(symbols=frozenset(names.symbols | set(fdef.params)),
                                functions=dict(names.functions))
            raw_fn[fname] = (tuple(_symbol(p) for p in fdef.params),
                             parse_definition(fdef.body, local, f"{fname}({', '.join(fdef.params)})"))
        return _Resolver(raw_sym, raw_fn).run()

    def substitute(self, expr: sympy.Expr) -> sympy.Expr:
        """Replace defined functions and symbols in ``expr`` by their resolved definitions."""
        return _apply(expr, self.symbols, self.functions)

    def abbreviate(self, expr: sympy.Expr) -> sympy.Expr:
        """Write sub-expressions equal (structurally) to a definition with its name."""
        pairs = sorted(self.symbols.items(), key=lambda kv: -_size(kv[1]))
        for sym, value in pairs:
            if value.free_symbols:  # a constant definition would hide plain numbers
                expr = expr.xreplace({value: sym})
                inv = 1 / value
                if not inv.is_Atom:
                    expr = expr.xreplace({inv: 1 / sym})
        return expr


def _apply(expr: sympy.Expr, symbols: dict, functions: dict) -> sympy.Expr:
    if functions:
        def is_call(e: sympy.Basic) -> bool:
            return isinstance(e, AppliedUndef) and e.func.__name__ in functions

        def expand(e: sympy.Basic) -> sympy.Basic:
            params, body = functions[e.func.__name__]
            if len(params) != len(e.args):
                raise ParseError(f"{e.func.__name__} takes {len(params)} argument(s), got {len(e.args)}")
            return body.xreplace(dict(zip(params, e.args)))

        for _ in range(50):  # nested calls: logistic(logistic(u))
            if not expr.has(AppliedUndef) or not any(is_call(a) for a in expr.atoms(AppliedUndef)):
                break
            expr = expr.replace(is_call, expand)
    if symbols and expr.free_symbols & symbols.keys():
        expr = expr.xreplace(symbols)
    return expr


class _Resolver:
    """Depth-first resolution of definitions with cycle detection."""

    def __init__(self, raw_sym: dict[str, sympy.Expr], raw_fn: dict) -> None:
        self.raw_sym = raw_sym
        self.raw_fn = raw_fn
        self.sym: dict[sympy.Symbol, sympy.Expr] = {}
        self.fn: dict[str, tuple[tuple[sympy.Symbol, ...], sympy.Expr]] = {}
        self.path: list[str] = []

    def run(self) -> CompiledDefinitions:
        for name in self.raw_fn:
            self._function(name)
        for name in self.raw_sym:
            self._symbol(name)
        return CompiledDefinitions(self.sym, self.fn)

    def _enter(self, label: str) -> None:
        if label in self.path:
            cycle = self.path[self.path.index(label):] + [label]
            raise ContextError("context.definitions are circular: " + " -> ".join(cycle))
        self.path.append(label)

    def _deps(self, expr: sympy.Expr, exclude: frozenset = frozenset()) -> sympy.Expr:
        for call in expr.atoms(AppliedUndef):
            if call.func.__name__ in self.raw_fn:
                self._function(call.func.__name__)
        for s in expr.free_symbols:
            if s.name in self.raw_sym and s not in exclude:
                self._symbol(s.name)
        syms = {k: v for k, v in self.sym.items() if k not in exclude}
        out = _apply(expr, syms, self.fn)
        if _size(out) > _MAX_NODES:
            raise ContextError("context.definitions expand to an expression that is too large")
        return out

    def _symbol(self, name: str) -> None:
        key = _symbol(name)
        if key in self.sym:
            return
        self._enter(name)
        self.sym[key] = self._deps(self.raw_sym[name])
        self.path.pop()

    def _function(self, name: str) -> None:
        if name in self.fn:
            return
        self._enter(name + "()")
        params, body = self.raw_fn[name]
        self.fn[name] = (params, self._deps(body, frozenset(params)))
        self.path.pop()
