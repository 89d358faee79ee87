"""A small, faithful LaTeX -> presentation MathML translator for assignment prompts.

Prompts must show what the author wrote (``\\frac{dl_i}{dp_i}``, chains ``A = B = C``), so this
translates the notation instead of evaluating it: sympy would cancel the ``d`` in
``dl_i/dp_i`` and keep only the last member of a chain. Anything outside the supported subset
raises ``UnsupportedTeX`` and the caller falls back.

>>> tex_to_mathml(r"\\frac{1}{1+e^{-a_i}}")[:14]
'<mfrac><mrow><'
"""

from __future__ import annotations

import re
from html import escape

from grader.engine.parsing.greek import GREEK_LETTERS

GREEK = {**GREEK_LETTERS, "partial": "\u2202", "infty": "\u221e", "nabla": "\u2207", "ell": "\u2113"}
OPERATORS = {
    "cdot": "·", "times": "×", "to": "→", "rightarrow": "→", "leftarrow": "←", "Rightarrow": "⇒",
    "in": "∈", "le": "≤", "leq": "≤", "ge": "≥", "geq": "≥", "ne": "≠", "neq": "≠", "pm": "±",
    "approx": "≈", "mid": "|", "ldots": "…", "cdots": "⋯", "{": "{", "}": "}", "|": "‖",
    "lt": "<", "gt": ">", "setminus": "∖", "sum": "∑", "prod": "∏", "int": "∫",
}
FUNCTIONS = {"exp", "ln", "log", "sin", "cos", "tan", "tanh", "sinh", "cosh", "max", "min", "lim",
             "arg", "sgn", "det"}
UNDER_LIMITS = {"lim", "max", "min", "sum", "prod"}
SPACES = {",": "0.17em", ";": "0.28em", ":": "0.22em", " ": "0.25em", "quad": "1em", "qquad": "2em",
          "!": "0em"}
ACCENTS = {"bar": "¯", "overline": "¯", "hat": "^", "tilde": "~", "vec": "→", "dot": "˙"}
TEXT_COMMANDS = {"text", "textrm", "mathrm", "operatorname", "mathit", "textit", "mathbf", "textbf"}
ENVIRONMENTS = {"cases", "aligned", "align", "align*", "array", "matrix", "pmatrix", "bmatrix",
                "gathered", "split"}
IGNORED = {"displaystyle", "limits", "nolimits", "hline", "left.", "right.", "big", "Big", "bigg",
           "Bigg", "bigl", "bigr", "Bigl", "Bigr"}

_TOKEN = re.compile(r"\\([A-Za-z]+\*?|.)|(\d+(?:\.\d+)?|\.\d+)|(\s+)|(.)", re.DOTALL)


class UnsupportedTeX(ValueError):
    """The input uses LaTeX this translator does not handle (the caller falls back)."""


def tex_to_mathml(tex: str) -> str:
    """The MathML children (no ``<math>`` wrapper) for one LaTeX formula."""
    tokens: list[tuple[str | None, str | None, str | None]] = []
    spaced: list[bool] = []  # whitespace before each token (kept inside \text{...})
    gap = False
    for m in _TOKEN.finditer(tex):
        if m.group(3):
            gap = True
            continue
        tokens.append((m.group(1), m.group(2), m.group(4)))
        spaced.append(gap)
        gap = False
    parser = _Parser(tokens, spaced)
    out = parser.sequence(stop=())
    if parser.pos != len(tokens):
        raise UnsupportedTeX(f"unexpected {parser.peek_text()!r}")
    return out


class _Parser:
    """Recursive descent over (command, number, char) tokens."""

    def __init__(self, tokens: list[tuple[str | None, str | None, str | None]],
                 spaced: list[bool] | None = None) -> None:
        self.tokens = tokens
        self.spaced = spaced or [False] * len(tokens)
        self.pos = 0

    def peek_text(self) -> str:
        if self.pos >= len(self.tokens):
            return ""
        cmd, num, ch = self.tokens[self.pos]
        return "\\" + cmd if cmd is not None else (num or ch or "")

    def take(self) -> tuple[str | None, str | None, str | None]:
        token = self.tokens[self.pos]
        self.pos += 1
        return token

    def sequence(self, stop: tuple[str, ...]) -> str:
        """Atoms with their scripts until a token in ``stop`` (not consumed) or the end."""
        items: list[str] = []
        while self.pos < len(self.tokens) and self.peek_text() not in stop:
            items.append(self.scripted())
        return "".join(items)

    def group(self) -> str:
        """A braced group or a single atom, as one ``<mrow>``."""
        if self.peek_text() == "{":
            self.take()
            body = self.sequence(stop=("}",))
            self.expect("}")
            return f"<mrow>{body}</mrow>"
        if self.pos >= len(self.tokens):
            raise UnsupportedTeX("missing argument")
        return self.atom()

    def expect(self, text: str) -> None:
        if self.peek_text() != text:
            raise UnsupportedTeX(f"expected {text!r}")
        self.take()

    def raw_group(self) -> str:
        """The literal text inside ``{...}`` (for ``\\text`` and environment names)."""
        self.expect("{")
        parts: list[str] = []
        depth = 1
        while self.pos < len(self.tokens):
            text = self.peek_text()
            if self.spaced[self.pos]:
                parts.append(" ")
            if text == "{":
                depth += 1
            elif text == "}":
                depth -= 1
                if depth == 0:
                    self.take()
                    return "".join(parts)
            self.take()
            parts.append(text.lstrip("\\") if text in ("\\{", "\\}", "\\_") else text)
        raise UnsupportedTeX("unclosed {")

    def scripted(self) -> str:
        base_cmd = self.peek_text().lstrip("\\")
        base = self.atom()
        sub = sup = None
        while self.peek_text() in ("_", "^"):
            which = self.take()[2]
            arg = self.group()
            if which == "_":
                sub = arg
            else:
                sup = arg
        under = base_cmd in UNDER_LIMITS
        if sub is not None and sup is not None:
            return f"<{'munderover' if under else 'msubsup'}>{base}{sub}{sup}</{'munderover' if under else 'msubsup'}>"
        if sub is not None:
            return f"<munder>{base}{sub}</munder>" if under else f"<msub>{base}{sub}</msub>"
        if sup is not None:
            return f"<msup>{base}{sup}</msup>"
        return base

    def atom(self) -> str:
        cmd, num, ch = self.take()
        if num is not None:
            return f"<mn>{num}</mn>"
        if ch is not None:
            return self.char(ch)
        assert cmd is not None
        return self.command(cmd)

    def char(self, ch: str) -> str:
        if ch == "{":
            body = self.sequence(stop=("}",))
            self.expect("}")
            return f"<mrow>{body}</mrow>"
        if ch.isalpha():
            return f"<mi>{escape(ch)}</mi>"
        if ch in "+-=<>()[],|/!':;.?*":
            sym = {"-": "−", "*": "∗", "'": "′"}.get(ch, ch)
            return f"<mo>{escape(sym)}</mo>"
        if ch in "}&^_":
            raise UnsupportedTeX(f"unexpected {ch!r}")
        return f"<mtext>{escape(ch)}</mtext>"

    def command(self, cmd: str) -> str:
        if cmd in ("frac", "dfrac", "tfrac"):
            return f"<mfrac>{self.group()}{self.group()}</mfrac>"
        if cmd == "sqrt":
            if self.peek_text() == "[":
                self.take()
                index = self.sequence(stop=("]",))
                self.expect("]")
                return f"<mroot>{self.group()}<mrow>{index}</mrow></mroot>"
            return f"<msqrt>{self.group()}</msqrt>"
        if cmd in TEXT_COMMANDS:
            text = self.raw_group()
            if cmd.startswith(("math", "operator")):
                text = text.replace(" ", "")  # math-mode fonts ignore spaces; \text keeps them
            if cmd in ("mathrm", "operatorname"):
                return f'<mi mathvariant="normal">{escape(text)}</mi>'
            return f"<mtext>{escape(text).replace(' ', '&#160;')}</mtext>"
        if cmd == "boxed":
            return f'<menclose notation="box">{self.group()}</menclose>'
        if cmd in ACCENTS:
            return f'<mover accent="true">{self.group()}<mo>{ACCENTS[cmd]}</mo></mover>'
        if cmd in ("left", "right"):
            delim = self.take()
            text = delim[0] if delim[0] is not None else (delim[2] or "")
            return "" if text == "." else f'<mo stretchy="true">{escape(OPERATORS.get(text, text))}</mo>'
        if cmd == "begin":
            return self.environment(self.raw_group().strip())
        if cmd in GREEK:
            return f"<mi>{GREEK[cmd]}</mi>"
        if cmd in OPERATORS:
            return f"<mo>{escape(OPERATORS[cmd])}</mo>"
        if cmd in FUNCTIONS:
            return f"<mi>{cmd}</mi>" if cmd not in UNDER_LIMITS else f"<mo>{cmd}</mo>"
        if cmd in SPACES:
            return f'<mspace width="{SPACES[cmd]}"/>'
        if cmd in IGNORED:
            return ""
        raise UnsupportedTeX(f"\\{cmd}")

    def environment(self, name: str) -> str:
        if name not in ENVIRONMENTS:
            raise UnsupportedTeX(f"environment {name}")
        if name == "array" and self.peek_text() == "{":
            self.raw_group()  # column spec
        rows: list[list[str]] = [[]]
        while True:
            cell = self.sequence(stop=("&", "\\\\", "\\end"))
            rows[-1].append(cell)
            sep = self.peek_text()
            if sep == "&":
                self.take()
            elif sep == "\\\\":
                self.take()
                rows.append([])
            elif sep == "\\end":
                self.take()
                if self.raw_group().strip() != name:
                    raise UnsupportedTeX("mismatched \\end")
                break
            else:
                raise UnsupportedTeX(f"unclosed environment {name}")
        if rows[-1] == [""]:
            rows.pop()
        align = ' columnalign="left"' if name == "cases" else ""
        table = "".join(
            "<mtr>" + "".join(f"<mtd{align}>{c}</mtd>" for c in row) + "</mtr>" for row in rows
        )
        table = f"<mtable{align}>{table}</mtable>"
        if name == "cases":
            return f'<mrow><mo stretchy="true" symmetric="true">{{</mo>{table}</mrow>'
        if name in ("pmatrix", "bmatrix"):
            left, right = ("(", ")") if name == "pmatrix" else ("[", "]")
            return f"<mrow><mo>{left}</mo>{table}<mo>{right}</mo></mrow>"
        return table
