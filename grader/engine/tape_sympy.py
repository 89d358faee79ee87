"""Reading sympy trees for the tape: node -> (op, children, const), and constants/inputs as numbers."""

from __future__ import annotations

import math
from fractions import Fraction
from typing import Any, Mapping

import mpmath
import sympy
from cachetools.func import lru_cache
from sympy.core.function import AppliedUndef

from grader.engine.errors import EngineError

@lru_cache(maxsize=4096)
def free_symbols(expr: sympy.Basic) -> frozenset[sympy.Symbol]:
    """``expr.free_symbols``, memoised: sympy walks the whole tree on every call, and one answer's
    check asks for the symbols of the same key and answer a dozen times."""
    return frozenset(expr.free_symbols)


_FUNCS: dict[type, str] = {
    sympy.exp: "exp", sympy.sin: "sin", sympy.cos: "cos", sympy.tan: "tan",
    sympy.asin: "asin", sympy.acos: "acos", sympy.atan: "atan",
    sympy.sinh: "sinh", sympy.cosh: "cosh", sympy.tanh: "tanh",
    sympy.asinh: "asinh", sympy.acosh: "acosh", sympy.atanh: "atanh",
    sympy.Abs: "abs", sympy.sign: "sign", sympy.Max: "max", sympy.Min: "min",
    sympy.Add: "add", sympy.Mul: "mul", sympy.Heaviside: "heaviside",
    sympy.And: "and", sympy.Or: "or", sympy.Not: "not", sympy.ITE: "ite",
    sympy.StrictLessThan: "lt", sympy.LessThan: "le", sympy.StrictGreaterThan: "gt",
    sympy.GreaterThan: "ge", sympy.Equality: "eq", sympy.Unequality: "ne",
}

# reciprocal functions the tape has no op for: sec(x) is inv(cos(x)), cot(x) is cos(x) * inv(sin(x))
_RECIPROCAL: dict[type, type] = {sympy.sec: sympy.cos, sympy.csc: sympy.sin,
                                 sympy.sech: sympy.cosh, sympy.csch: sympy.sinh}
_COTANGENT: dict[type, tuple[type, type]] = {sympy.cot: (sympy.cos, sympy.sin), sympy.coth: (sympy.cosh, sympy.sinh)}


def translate(node: sympy.Basic, inputs: Mapping[str, int]) -> tuple[str, list[sympy.Basic], Any]:
    """(op, children, const) for one sympy node, or EngineError."""
    op = _FUNCS.get(type(node))
    if op is not None and not (op == "heaviside" and len(node.args) == 1):
        return op, list(node.args), None
    if node.is_Symbol:
        if node.name not in inputs:
            raise EngineError(f"free symbol {node.name} is not an input of the tape")
        return "input", [], node.name
    if node is sympy.true or node is sympy.false:
        return ("true" if node is sympy.true else "false"), [], None
    if node.is_Number or node.is_NumberSymbol or node is sympy.I or node is sympy.zoo or node is sympy.nan:
        return "const", [], node
    if isinstance(node, AppliedUndef):
        raise EngineError(f"undefined function {node.func}: substitute its definition first")
    if node.is_Pow:
        base, ex = node.args
        if base is sympy.E:
            return "exp", [ex], None
        if ex.is_Integer:
            return ("inv", [base], None) if ex == -1 else ("powi", [base], int(ex))
        if ex == sympy.S.Half:
            return "sqrt", [base], None
        return "pow", [base, ex], None
    if isinstance(node, sympy.log):
        if len(node.args) == 2:  # log(x, b) kept unevaluated: log(x) / log(b)
            x, b = node.args
            return "mul", [sympy.log(x), sympy.Pow(sympy.log(b), -1)], None
        return "log", list(node.args), None
    if isinstance(node, sympy.Piecewise):
        kids: list[sympy.Basic] = []
        for e, c in node.args:
            kids += [e, c]
        return "piecewise", kids, None
    if isinstance(node, sympy.Heaviside) and len(node.args) == 1:
        return "heaviside", [node.args[0], sympy.S.Half], None
    if type(node) in _RECIPROCAL:
        return "inv", [_RECIPROCAL[type(node)](node.args[0], evaluate=False)], None
    if type(node) in _COTANGENT:
        num, den = _COTANGENT[type(node)]
        return "mul", [num(node.args[0], evaluate=False), sympy.Pow(den(node.args[0], evaluate=False), -1)], None
    if op is None:
        for cls, name in _FUNCS.items():
            if isinstance(node, cls):
                op = name
                break
    if op is None:
        raise EngineError(f"unsupported expression node {type(node).__name__} in {node}")
    return op, list(node.args), None


def to_float(c: Any) -> float:
    try:
        return float(c)
    except OverflowError:
        return math.inf if c > 0 else -math.inf
    except (TypeError, ValueError):
        return math.nan


def mpf_const(c: sympy.Basic, prec: int) -> Any:
    try:
        v = c._to_mpmath(prec + 10)
    except (TypeError, ValueError, AttributeError, ZeroDivisionError):
        return mpmath.nan
    return mpmath.nan if isinstance(v, mpmath.mpc) else +v


def mpf_input(v: Any, prec: int) -> Any:
    if isinstance(v, sympy.Basic):
        return mpf_const(v, prec)
    if isinstance(v, Fraction):
        return mpmath.mpf(v.numerator) / v.denominator
    return mpmath.mpf(v)
