"""The forward primal and reverse adjoint trace of an expression, as data, in the seed's notation.

Inputs are ``v_{1-n} .. v_0`` (in the order given), operations ``v_1 .. v_m`` (tape order),
constants ``c_1 ..`` (shown inline in the readable table). Values come from our tape (numpy floats).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, Sequence

import sympy

from grader.engine.errors import EngineError
from grader.engine.tape import Row, Tape
from grader.engine.tape_ops import BOOLEAN_OPS

BAR = "\u0304"  # combining macron: v̄
_FUNCS = {"exp", "log", "sqrt", "sin", "cos", "tan", "asin", "acos", "atan", "sinh", "cosh", "tanh",
          "asinh", "acosh", "atanh", "abs", "sign", "max", "min", "heaviside"}
_INFIX = {"lt": "<", "le": "≤", "gt": ">", "ge": "≥", "eq": "=", "ne": "≠", "and": "and", "or": "or"}


@dataclass(frozen=True)
class TraceRow:
    """One line of the forward trace."""

    name: str
    op: str
    args: tuple[str, ...]
    value: Any
    formula: str
    symbol: str | None = None  # the input's symbol name, for input rows


@dataclass(frozen=True)
class Trace:
    """Forward rows (inputs, constants, operations) and the adjoint of every variable row."""

    forward: tuple[TraceRow, ...]
    adjoints: dict[str, Any]
    adjoint_formulas: dict[str, str]
    output: str

    def to_json(self) -> dict[str, Any]:
        """``{"forward": [{"name", "op", "args", "value"}...], "adjoints": {name: value}}``."""
        fwd = [{"name": r.name, "op": r.op, "args": list(r.args), "value": json_value(r.value)}
               for r in self.forward]
        adj = {name: json_value(v) for name, v in self.adjoints.items()}
        for r in self.forward:
            if r.symbol is not None and r.symbol not in adj:
                adj[r.symbol] = adj[r.name]
        return {"forward": fwd, "adjoints": adj}


def display(v: Any) -> str:
    """A value for people: 12 significant digits, ``undefined`` for nan."""
    if isinstance(v, bool):
        return "true" if v else "false"
    if v is None or (isinstance(v, float) and math.isnan(v)):
        return "undefined"
    text = f"{float(v):.12g}"
    return "0" if text == "-0" else text


def json_value(v: Any) -> Any:
    """A value for JSON: rounded to 12 significant digits; nan/inf become null (JSON has neither)."""
    if isinstance(v, bool):
        return v
    if v is None or not math.isfinite(float(v)):
        return None
    return float(display(v))


def input_name(i: int, n: int) -> str:
    """Seed notation for input i of n: v_{-2}, v_{-1}, v_0."""
    k = i - n + 1
    return f"v_{{{k}}}" if k < 0 else f"v_{k}"


def _bar(name: str) -> str:
    return name[0] + BAR + name[1:]


def build_trace(expr: sympy.Expr, at: Sequence[tuple[str, float]]) -> Trace:
    """Trace ``expr`` at the point ``at`` (input names and values, in the seed's input order)."""
    names = [n for n, _ in at]
    if len(set(names)) != len(names):
        raise EngineError("an input is given twice")
    free = {s.name for s in expr.free_symbols}
    missing, unused = sorted(free - set(names)), [n for n in names if n not in free]
    if missing:
        raise EngineError(f"no value given for {', '.join(missing)}")
    if unused:
        raise EngineError(f"{', '.join(unused)} does not appear in the expression")
    tape = Tape.from_expr(expr, [sympy.Symbol(n, real=True) for n in names])
    values = dict(at)
    vals, adjs = tape.evaluate(values)
    return _Builder(tape, vals, adjs, len(names)).build()


class _Builder:
    """Turns a tape and its values into trace rows with readable names and formulas."""

    def __init__(self, tape: Tape, vals: list[Any], adjs: list[Any], n_inputs: int) -> None:
        self.tape, self.vals, self.adjs, self.n = tape, vals, adjs, n_inputs
        self.names: list[str] = []
        self.shown: list[str] = []  # how a row appears inside formulas (constants inline)
        self.rows: list[TraceRow] = []
        self.consts = 0

    def _const(self, value: Any, text: str) -> str:
        self.consts += 1
        name = f"c_{self.consts}"
        self.rows.append(TraceRow(name, "const", (), value, text))
        return name

    def build(self) -> Trace:
        ops = 0
        for i, row in enumerate(self.tape.rows):
            if row.op == "input":
                name = input_name(i, self.n)
                self.rows.append(TraceRow(name, "input", (), self.vals[i], row.name, symbol=row.name))
                shown = name
            elif row.op == "const":
                text = sympy.sstr(row.const)
                name, shown = self._const(self.vals[i], text), text
            else:
                ops += 1
                name = shown = f"v_{ops}"
                args = [self.names[j] for j in row.args]
                op = row.op
                if op == "powi":
                    args.append(self._const(float(row.const), str(row.const)))
                    op = "pow"
                formula = self._formula(row, [self.shown[j] for j in row.args])
                self.rows.append(TraceRow(name, op, tuple(args), self.vals[i], formula))
            self.names.append(name)
            self.shown.append(shown)
        return Trace(tuple(self.rows), *self._adjoints(), output=self.names[-1])

    def _formula(self, row: Row, a: list[str]) -> str:
        op = row.op
        if op == "add":
            return " + ".join(a)
        if op == "mul":
            return " · ".join(a)
        if op == "inv":
            return f"1/{a[0]}"
        if op == "powi":
            return f"{a[0]}^{row.const}" if row.const >= 0 else f"{a[0]}^({row.const})"
        if op == "pow":
            return f"{a[0]}^{a[1]}"
        if op in _INFIX:
            return f" {_INFIX[op]} ".join(a)
        if op == "not":
            return f"not {a[0]}"
        if op == "ite":
            return f"{a[1]} if {a[0]} else {a[2]}"
        if op in ("true", "false"):
            return op
        if op == "piecewise":
            parts = [f"{a[k]} if {a[k + 1]}" for k in range(0, len(a), 2)]
            return "{" + "; ".join(parts) + "}"
        return f"{op}({', '.join(a)})"

    def _local(self, i: int, k: int) -> str | None:
        """The local derivative of row i with respect to its k-th argument, as text."""
        row = self.tape.rows[i]
        a = [self.shown[j] for j in row.args]
        out, x = self.shown[i], a[k] if a else ""
        table = {
            "add": "1", "inv": f"(-1/{x}^2)", "exp": out, "log": f"(1/{x})", "sqrt": f"(1/(2·{out}))",
            "sin": f"cos({x})", "cos": f"(-sin({x}))", "tan": f"(1 + {out}^2)", "tanh": f"(1 - {out}^2)",
            "sinh": f"cosh({x})", "cosh": f"sinh({x})", "atan": f"(1/(1 + {x}^2))",
            "asin": f"(1/sqrt(1 - {x}^2))", "acos": f"(-1/sqrt(1 - {x}^2))", "abs": f"sign({x})",
            "sign": "0", "heaviside": "0", "max": f"[{x} = {out}]", "min": f"[{x} = {out}]",
        }
        if row.op == "mul":
            others = [f"({s})" if s.startswith("-") else s for m, s in enumerate(a) if m != k]
            return " · ".join(others) if len(others) == 1 else "(" + " · ".join(others) + ")"
        if row.op == "powi":
            n = int(row.const)
            power = x if n == 2 else (f"{x}^{n - 1}" if n > 2 else f"{x}^({n - 1})")
            return f"({n}·{power})" if n != 1 else "1"
        if row.op == "pow":
            return f"({a[1]}·{a[0]}^({a[1]} - 1))" if k == 0 else f"({out}·log({a[0]}))"
        if row.op == "piecewise":
            return None if k % 2 else f"[branch {k // 2 + 1} taken]"
        if row.op in BOOLEAN_OPS or row.op == "ite":
            return None
        return table.get(row.op, f"∂{out}/∂{x}")

    def _adjoints(self) -> tuple[dict[str, Any], dict[str, str]]:
        rows = self.tape.rows
        terms: dict[int, list[str]] = {i: [] for i in range(len(rows))}
        for i in range(len(rows) - 1, -1, -1):
            for k, j in enumerate(rows[i].args):
                local = self._local(i, k)
                if local is not None:
                    terms[j].append(f"{_bar(self.names[i])} · {local}")
        adjoints: dict[str, Any] = {}
        formulas: dict[str, str] = {}
        for i in range(len(rows) - 1, -1, -1):
            if rows[i].op in BOOLEAN_OPS or rows[i].op == "const":
                continue
            name = self.names[i]
            adjoints[name] = self.adjs[i]
            formulas[name] = "1" if i == len(rows) - 1 else (" + ".join(terms[i]) or "0")
        return adjoints, formulas
