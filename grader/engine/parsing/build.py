"""Turn the parser's tree into sympy, checking sizes *before* sympy computes anything big.

Each subtree carries an estimate of the digits in its numeric coefficient, so that
``9**9**9``, ``(2**99)**99`` or ``50!*50!`` are refused without being evaluated.
"""

from __future__ import annotations

import math

import sympy
from sympy.logic.boolalg import Boolean

from grader.engine.definedness import FINITE, NONNEG, NONZERO, POS, UNIT, Guard, guard_for
from grader.engine.errors import LimitExceeded, ParseError
from grader.engine.limits import Limits

from .magnitude import check_magnitudes
from .nodes import Node

_RELATIONS = {"<": sympy.StrictLessThan, ">": sympy.StrictGreaterThan, "<=": sympy.LessThan,
              ">=": sympy.GreaterThan, "==": sympy.Eq, "!=": sympy.Ne}
_FUNCTIONS = {
    "exp": sympy.exp, "log": sympy.log, "sqrt": sympy.sqrt, "root": sympy.root,
    "sin": sympy.sin, "cos": sympy.cos, "tan": sympy.tan, "sec": sympy.sec, "csc": sympy.csc,
    "cot": sympy.cot, "sinh": sympy.sinh, "cosh": sympy.cosh, "tanh": sympy.tanh,
    "sech": sympy.sech, "csch": sympy.csch, "coth": sympy.coth,
    "asin": sympy.asin, "acos": sympy.acos, "atan": sympy.atan, "Abs": sympy.Abs,
    "Max": sympy.Max, "Min": sympy.Min, "Heaviside": sympy.Heaviside, "sign": sympy.sign,
    # the real n-th root (odd n): defined for negative x, unlike x**(1/3)
    "cbrt": lambda x: sympy.real_root(x, 3), "real_root": sympy.real_root,
}
_LOGIC = {"And": "and", "Or": "or", "Not": "not", "Eq": "==", "Ne": "!="}
_CONSTANTS = {"E": sympy.E, "pi": sympy.pi, "oo": sympy.oo}
# sympy's automatic simplification of these is slow (Max of 20 symbols: ~130 ms)
_COSTLY = frozenset({"Max", "Min", "Abs", "sign", "Heaviside"})
_EVALUATION_BUDGET = 8   # evaluated Max/Min/Abs/Piecewise calls per answer
_EVALUATED_ARGS = 4      # ... each with at most this many arguments (or rows)
_CONDITION_PARTS = 32    # comparisons joined by one And/Or


def _simple(expr: sympy.Basic) -> bool:
    """A polynomial in symbols with rational coefficients. sympy decides signs of anything
    else numerically (Max, Abs, comparisons), which can take seconds: those are left as
    written instead."""
    if expr.is_Rational or expr.is_Symbol:
        return True
    if expr.is_Add or expr.is_Mul:
        return all(map(_simple, expr.args))
    if expr.is_Pow:
        return expr.exp.is_Integer and _simple(expr.base)
    return False


def _conditional(base: sympy.Basic) -> bool:
    """A Piecewise with conditions sympy must not re-evaluate when raising it to a power."""
    return isinstance(base, sympy.Piecewise) and not all(
        _simple_condition(c) for _, c in base.args)


def _simple_condition(cond: sympy.Basic) -> bool:
    if cond in (sympy.true, sympy.false):
        return True
    if isinstance(cond, sympy.core.relational.Relational):
        return _simple(cond.lhs) and _simple(cond.rhs)
    if isinstance(cond, (sympy.And, sympy.Or, sympy.Not)):
        return all(map(_simple_condition, cond.args))
    return False


def _exceeds(r: sympy.Rational, limit: int) -> bool:
    """``abs(r) > limit`` for a sympy Rational, in Python integers (sympy's comparison builds
    and decides a relation: this runs for every term of every sum)."""
    if type(limit) is int:
        return bool(abs(r.p) > limit * r.q)
    return bool(abs(r) > limit)


def _digits(n: int) -> float:
    """log10 of a positive integer (its size in digits), without converting it to text."""
    return math.log10(n) if n > 0 else 0.0


class Builder:
    """Builds values (``Expr``) and conditions (``Boolean``) from nodes."""

    def __init__(self, limits: Limits) -> None:
        self.limits = limits
        self.evaluations = _EVALUATION_BUDGET
        # where the value is defined as written (see grader.engine.definedness): sympy's
        # construction can simplify a partial operation away (exp(log(x)) is x)
        self.guards: list[Guard] = []

    def guard(self, kind: str, arg: sympy.Expr) -> None:
        g = guard_for(kind, arg)
        if g is not None:
            self.guards.append(g)

    def take_guards(self) -> tuple[Guard, ...]:
        """The guards recorded since the last call, without repeats."""
        out, self.guards = tuple(dict.fromkeys(self.guards)), []
        return out

    def evaluate(self, size: int) -> bool:
        """Whether sympy may simplify the next Max/Min/Abs/Piecewise call: its own evaluation
        costs up to ~10 ms each and grows quadratically with the arguments, so only a few
        small ones are evaluated; the rest are built as written (equal in value)."""
        if size > _EVALUATED_ARGS:
            return False
        self.evaluations -= 1
        return self.evaluations >= 0

    def check(self, estimate: float, col: int) -> float:
        if estimate > self.limits.max_digits:
            raise LimitExceeded(f"number too large (about {int(estimate)} digits, limit "
                                f"{self.limits.max_digits})", col)
        return estimate

    def value(self, node: Node) -> sympy.Expr:
        check_magnitudes(node, self.limits.max_magnitude)
        expr, _ = self.val(node)
        return expr

    def val(self, node: Node) -> tuple[sympy.Expr, float]:
        kind, args, col = node.kind, node.args, node.col
        if kind == "num":
            p, q = args
            return sympy.Rational(p, q), self.check(max(_digits(p), _digits(q)), col)
        if kind == "sym":
            return sympy.Symbol(args[0], real=True), 0.0
        if kind == "const":
            if args[0] in _CONSTANTS:
                return _CONSTANTS[args[0]], 0.0
            raise ParseError(f"{args[0].capitalize()} is a condition, not a value", col)
        if kind == "box":
            return self.val(args[0])
        if kind == "neg":
            expr, est = self.val(args[0])
            return -expr, est
        if kind == "add":
            built = [self.val(a) for a in args]
            numeric = sum(e for x, e in built if x.is_Number)
            other = max((e for x, e in built if not x.is_Number), default=0.0)
            est = self.check(numeric + other, col)  # before sympy adds the numbers up
            return self.no_log_bomb(sympy.Add(*(x for x, _ in built)), col), est
        if kind == "mul":
            built = [self.val(a) for a in args]
            est = self.check(sum(e for _, e in built), col)
            return self.no_log_bomb(sympy.Mul(*(x for x, _ in built)), col), est
        if kind == "inv":
            expr, est = self.val(args[0])
            self.guard(NONZERO, expr)
            return sympy.Pow(expr, -1), est
        if kind == "pow":
            return self.power(node)
        if kind == "fact":
            return self.factorial(args[0], col)
        if kind == "call":
            return self.call(node)
        if kind == "ufunc":
            built = [self.val(a) for a in args[1:]]
            return sympy.Function(args[0])(*(x for x, _ in built)), 0.0
        if kind == "pw":
            pairs = self.branches(args)
            evaluate = all(_simple_condition(c) for _, c in pairs) and self.evaluate(len(pairs))
            return self.guarded(lambda: sympy.Piecewise(*pairs, evaluate=evaluate), col), 0.0
        if kind in ("rel", "and", "or", "not"):
            raise ParseError("a condition is not a value", col)
        if kind == "deriv":
            raise ParseError("this is a derivative operator, not an expression for the derivative",
                             col)
        raise ParseError(f"cannot read this ({kind})", col)

    def branches(self, args: list[tuple[Node, Node]]) -> list[tuple[sympy.Expr, Boolean]]:
        """(value, condition) rows; a partial operation in a row is guarded only where that row
        is the one taken (the first whose condition holds)."""
        pairs: list[tuple[sympy.Expr, Boolean]] = []
        for v, c in args:
            outer, self.guards = self.guards, []
            value = self.val(v)[0]
            inner, self.guards = self.guards, outer
            cond = self.cond(c)
            taken = tuple(sympy.Not(p) for _, p in pairs) + (cond,)
            self.guards.extend(Guard(g.kind, g.arg, taken + g.when) for g in inner)
            pairs.append((value, cond))
        return pairs

    def guard_power(self, base: sympy.Expr, exponent: sympy.Rational) -> None:
        if exponent.q % 2 == 0:  # an even root: x^(1/2), x^(-3/4)
            self.guard(NONNEG if exponent > 0 else POS, base)
        elif exponent < 0:
            self.guard(NONZERO, base)

    def guarded(self, make, col: int):
        try:
            return make()
        except (TypeError, ValueError, AttributeError) as exc:
            raise ParseError(f"cannot build this expression ({exc})", col) from None

    def power(self, node: Node) -> tuple[sympy.Expr, float]:
        (base, b_est), (exponent, _) = self.val(node.args[0]), self.val(node.args[1])
        col, limit = node.col, self.limits.max_exponent
        if exponent.is_Rational:
            if _exceeds(exponent, limit):
                raise LimitExceeded(f"exponent {exponent} is too large (limit {limit})", col)
            est = self.check(b_est * float(abs(exponent)), col)
            self.guard_power(base, exponent)
            result = sympy.Pow(base, exponent, evaluate=not _conditional(base))
            if result.is_Pow and result.exp.is_Rational and _exceeds(result.exp, limit):
                # sympy multiplies nested exponents: (((x^200)^200)^200)^200 is x^1600000000
                raise LimitExceeded(f"exponent {result.exp} of nested powers is too large "
                                    f"(limit {limit})", col)
            return result, est
        self.check_log_exponent(exponent, col)
        if not (base is sympy.E or (base.is_number and base.is_positive)):
            # x^y x^{-y} is built as 1: the power as written must be a real number
            self.guard(FINITE, sympy.Pow(base, exponent, evaluate=False))
        if base.is_number and base is not sympy.E:
            # sympy splits b**(y + c) into b**c * b**y as soon as it factors anything
            constant, _ = exponent.as_coeff_Add()
            if constant.is_Rational and _exceeds(constant, limit):
                raise LimitExceeded(f"exponent {constant} + ... is too large (limit {limit})", col)
        if isinstance(base, sympy.Piecewise):  # sympy would rebuild and re-evaluate each row
            return sympy.Pow(base, exponent, evaluate=False), 0.0
        return self.numeric_result(sympy.Pow(base, exponent), col)

    def check_log_exponent(self, exponent: sympy.Expr, col: int) -> None:
        """sympy turns ``exp(k*log(b))`` (also inside a sum) into ``b**k`` at once, so
        ``e^{10^{30} \\ln 10}`` would compute 10**(10**30): bound such k before sympy sees it."""
        limit = self.limits.max_exponent
        for term in sympy.Add.make_args(exponent):
            coeff, rest = term.as_coeff_Mul()
            if rest.has(sympy.log) and coeff.is_Rational and _exceeds(coeff, limit):
                raise LimitExceeded(f"exponent {coeff}*... is too large (limit {limit})", col)

    def no_log_bomb(self, expr: sympy.Expr, col: int) -> sympy.Expr:
        """Refuse ``k*log(2)`` with a huge rational k: inside any later ``exp`` sympy's
        logcombine turns it into ``log(2**k)`` and computes ``2**k``."""
        limit = self.limits.max_exponent
        for term in sympy.Add.make_args(expr):
            coeff, rest = term.as_coeff_Mul()
            if coeff.is_Rational and _exceeds(coeff, limit) and any(
                    isinstance(f, sympy.log) and f.args[0].is_number
                    for f in sympy.Mul.make_args(rest)):
                raise LimitExceeded(f"coefficient {coeff} of a logarithm is too large "
                                    f"(limit {limit})", col)
        return expr

    def numeric_result(self, expr: sympy.Expr, col: int) -> tuple[sympy.Expr, float]:
        """The size of a number sympy has just computed (bounded by the checks above)."""
        if expr.is_Rational:
            return expr, self.check(max(_digits(abs(expr.p)), _digits(expr.q)), col)
        return expr, 0.0

    def factorial(self, arg_node: Node, col: int) -> tuple[sympy.Expr, float]:
        arg, _ = self.val(arg_node)
        if arg.is_Integer:
            n = int(arg)
            if n > self.limits.max_factorial:
                raise LimitExceeded(f"factorial of {n} is too large "
                                    f"(limit {self.limits.max_factorial})", col)
            est = math.lgamma(n + 1) / math.log(10) if n > 0 else 0.0
            return sympy.factorial(arg), self.check(est, col)
        return sympy.factorial(arg), 0.0

    def call(self, node: Node) -> tuple[sympy.Expr, float]:
        name, col = node.args[0], node.col
        if name in _LOGIC:
            raise ParseError(f"{name}(...) is a condition, not a value", col)
        if name == "factorial":
            return self.factorial(node.args[1], col)
        built = [self.val(a) for a in node.args[1:]]
        args = [x for x, _ in built]
        est = max((e for _, e in built), default=0.0)
        if name == "logistic":
            return 1 / (1 + sympy.exp(-args[0])), 0.0
        self.guard_call(name, args)
        if name == "exp" and not args[0].is_Rational:
            self.check_log_exponent(args[0], col)
            return self.numeric_result(sympy.exp(args[0]), col)
        if name in _COSTLY and not (all(map(_simple, args)) and self.evaluate(len(args))):
            return self.guarded(lambda: _FUNCTIONS[name](*args, evaluate=False), col), est
        return self.guarded(lambda: _FUNCTIONS[name](*args), col), est

    def guard_call(self, name: str, args: list[sympy.Expr]) -> None:
        if name == "sqrt" and args:
            self.guard(NONNEG, args[0])
        elif name == "root" and len(args) == 2 and args[1].is_Rational and args[1] != 0:
            self.guard_power(args[0], 1 / args[1])
        elif name == "log" and args:
            self.guard(POS, args[0])
            if len(args) == 2:
                self.guard(POS, args[1])
                self.guard(NONZERO, args[1] - 1)
        elif name in ("asin", "acos") and args:
            self.guard(UNIT, args[0])

    def cond(self, node: Node) -> Boolean:
        kind, args, col = node.kind, node.args, node.col
        if kind == "const" and args[0] in ("true", "false"):
            return sympy.true if args[0] == "true" else sympy.false
        if kind == "rel":
            left, right = self.value(args[1]), self.value(args[2])
            if not (left.free_symbols or right.free_symbols):
                # always true or always false; and sympy may spend seconds deciding which
                raise ParseError("a condition must involve a variable", col)
            if left.has(sympy.Piecewise) or right.has(sympy.Piecewise):
                # sympy would rewrite it as if-then-else and simplify it: unbounded work
                raise ParseError("a condition cannot contain a piecewise expression", col)
            evaluate = _simple(left) and _simple(right)
            return self.guarded(lambda: _RELATIONS[args[0]](left, right, evaluate=evaluate), col)
        if kind in ("and", "or"):
            parts = [self.cond(a) for a in args]
            if len(parts) > _CONDITION_PARTS:
                raise LimitExceeded(f"condition with more than {_CONDITION_PARTS} parts", col)
            return (sympy.And if kind == "and" else sympy.Or)(*parts)
        if kind == "not":
            return sympy.Not(self.cond(args[0]))
        if kind == "call" and args[0] in _LOGIC:
            op = _LOGIC[args[0]]
            if op in ("==", "!="):
                return self.cond(Node("rel", [op, args[1], args[2]], col))
            return self.cond(Node(op, list(args[1:]), col))
        if kind == "box":
            return self.cond(args[0])
        raise ParseError("expected a condition (such as x < 1)", col)
