"""sympy -> LaTeX, presentation MathML and plain text: what the answer preview and the pages show.

Pure (sympy only). sympy's presentation printer draws a ``Piecewise`` as a call
``piecewise((...))``; here it is a cases table (a stretchy brace and an ``mtable``), also when
it sits inside a larger expression.

>>> import sympy
>>> x = sympy.Symbol("x", real=True)
>>> out = mathml_children(sympy.Piecewise((x, x < 1), (0, True)))
>>> "<mtable>" in out and "piecewise" not in out
True
"""

from __future__ import annotations

import functools
from typing import Any

MATHML_NS = "http://www.w3.org/1998/Math/MathML"


@functools.cache
def _printer_class() -> type:
    """The printer class, built on first use (importing this module does not import sympy)."""
    import sympy
    from sympy.printing.mathml import MathMLPresentationPrinter

    class CasesPrinter(MathMLPresentationPrinter):  # type: ignore[misc]
        """sympy's presentation printer with a Piecewise drawn as cases."""

        def _element(self, tag: str, text: str | None = None, **attrs: str) -> Any:
            node = self.dom.createElement(tag)
            for name, value in attrs.items():
                node.setAttribute(name, value)
            if text is not None:
                node.appendChild(self.dom.createTextNode(text))  # sympy's raw text node: entities pass
            return node

        def _cell(self, *children: Any) -> Any:
            cell = self._element("mtd", columnalign="left")
            for child in children:
                cell.appendChild(child)
            return cell

        def _print_Exp1(self, expr: Any) -> Any:
            return self._element("mi", "e")  # sympy's &ExponentialE; shows as a double-struck e

        def _print_Piecewise(self, expr: Any) -> Any:
            table = self._element("mtable")
            for value, cond in expr.args:
                value_row = self._element("mrow")
                value_row.appendChild(self._print(value))
                if cond == sympy.true:
                    when = self._cell(self._element("mtext", "&#160;otherwise"))
                else:
                    cond_row = self._element("mrow")
                    cond_row.appendChild(self._print(cond))
                    when = self._cell(self._element("mtext", "&#160;if&#160;"), cond_row)
                line = self._element("mtr")
                line.appendChild(self._cell(value_row))
                line.appendChild(when)
                table.appendChild(line)
            out = self._element("mrow")
            out.appendChild(self._element("mo", "{", stretchy="true"))
            out.appendChild(table)
            return out

    return CasesPrinter


def mathml_children(expr: Any) -> str:
    """Presentation MathML of ``expr``: the children of a ``<math>`` element."""
    return str(_printer_class()({}).doprint(expr))


def mathml(expr: Any) -> str:
    """A whole ``<math>`` element (no display attributes) for ``expr``."""
    return f'<math xmlns="{MATHML_NS}">{mathml_children(expr)}</math>'


def latex(expr: Any) -> str:
    """LaTeX of ``expr`` (sympy's printer: a Piecewise is a ``cases`` environment)."""
    import sympy

    return str(sympy.latex(expr))


def render(expr: Any) -> dict[str, str]:
    """``{"latex", "mathml", "text"}`` of a sympy expression, as the answer preview returns them."""
    import sympy

    return {"latex": latex(expr), "mathml": mathml(expr), "text": sympy.sstr(expr)}
