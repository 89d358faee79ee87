"""``grader trace EXPR --at x=0.3,w=0.5,b=0.1 [--json]``: forward primal and reverse adjoint trace.

EXPR is read by our parser (text or LaTeX); inputs become ``v_{1-n} .. v_0`` in the order of ``--at``.
Bad input gives a one-line message on stderr and exit status 2.
"""

from __future__ import annotations

import argparse
import json
import math
import sys
from typing import Any

from grader.engine.errors import EngineError, ParseError


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Arguments of ``grader trace``."""
    parser.add_argument("expr", metavar="EXPR", help="expression, text or LaTeX, e.g. 'x + 1/(w*x + b)'")
    parser.add_argument("--at", default="", metavar="NAME=VALUE,...",
                        help="input values in input order, e.g. x=0.3,w=0.5,b=0.1")
    parser.add_argument("--syntax", choices=("auto", "text", "latex"), default="auto")
    parser.add_argument("--json", action="store_true", help="print the trace as one JSON object")


def parse_at(text: str) -> list[tuple[str, float]]:
    """``x=0.3,w=0.5`` -> [("x", 0.3), ("w", 0.5)]; names are read by our parser (x_{i} -> x_i)."""
    from grader.engine.parsing import parse

    out: list[tuple[str, float]] = []
    for item in filter(None, (p.strip() for p in text.split(","))):
        name, eq, raw = item.partition("=")
        if not eq or not name.strip() or not raw.strip():
            raise EngineError(f"--at expects NAME=VALUE pairs separated by commas, got {item!r}")
        try:
            value = float(raw)
        except ValueError:
            raise EngineError(f"--at value for {name.strip()} is not a number: {raw.strip()!r}") from None
        if not math.isfinite(value):
            raise EngineError(f"--at value for {name.strip()} must be finite")
        symbol = parse(name.strip(), syntax="text").expr
        if not getattr(symbol, "is_Symbol", False):
            raise EngineError(f"--at name {name.strip()!r} is not a single symbol")
        out.append((symbol.name, value))
    return out


def _width(s: str) -> int:
    return len(s) - s.count("\u0304")  # combining macrons take no column


def _pad(s: str, width: int) -> str:
    return s + " " * (width - _width(s))


def _table(rows: list[tuple[str, str, str]]) -> list[str]:
    w0 = max((_width(a) for a, _, _ in rows), default=0)
    w1 = max((_width(b) for _, b, _ in rows), default=0)
    return [f"  {_pad(a, w0)} = {_pad(b, w1)} = {c}" if b else "  " + "-" * (w0 + w1 + 12)
            for a, b, c in rows]


def render(trace: Any) -> str:
    """The trace as two readable tables, like the seed's."""
    from grader.engine.trace import BAR, display

    consts = {r.name for r in trace.forward if r.op == "const"}
    inputs = [r for r in trace.forward if r.op == "input"]
    ops = [r for r in trace.forward if r.op not in ("input", "const")]
    fwd: list[tuple[str, str, str]] = []
    for group in (inputs, ops):
        if group:
            fwd += [(r.name, r.formula, display(r.value)) for r in group] + [("", "", "")]
    last = trace.forward[-1]
    fwd.append(("y", last.name if last.name not in consts else last.formula, display(last.value)))
    symbols = {r.name: r.symbol for r in inputs}
    adj = [(n[0] + BAR + n[1:], f, display(trace.adjoints[n]) + (f"   (d y / d {symbols[n]})" if n in symbols else ""))
           for n, f in trace.adjoint_formulas.items()]
    lines = ["Forward primal trace", *_table(fwd), "", "Reverse adjoint trace",
             *(_table(adj) if adj else ["  (the expression has no inputs)"])]
    return "\n".join(lines)


def run(args: argparse.Namespace) -> int:
    """Print the trace; 2 on a bad expression or --at."""
    from grader.engine.parsing import NameContext, parse
    from grader.engine.trace import build_trace

    try:
        at = parse_at(args.at)
        names = NameContext(symbols=frozenset(n for n, _ in at))
        expr = parse(args.expr, syntax=args.syntax, names=names).expr
        trace = build_trace(expr, at)
    except ParseError as exc:
        print(f"grader trace: cannot read the expression: {exc}", file=sys.stderr)
        return 2
    except EngineError as exc:
        print(f"grader trace: {exc}", file=sys.stderr)
        return 2
    if args.json:
        print(json.dumps(trace.to_json(), ensure_ascii=False))
    else:
        if sys.stdout.encoding and sys.stdout.encoding.lower().replace("-", "") != "utf8":
            sys.stdout.reconfigure(errors="replace")  # type: ignore[attr-defined]
        print(render(trace))
    return 0
