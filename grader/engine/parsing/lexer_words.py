"""LaTeX commands whose argument is a word, not math: ``\\text{...}``, ``\\mathrm{...}``, accents
(``\\bar{v}``), and the indicator ``\\mathbb{1}`` (``\\mathbf{1}``, ``\\mathds{1}``, ``\\mathbb{I}``)."""

from __future__ import annotations

import re

from grader.engine.errors import ParseError

from .names import GREEK
from .tokens import CMD, OP, WORD

WORD_COMMANDS = frozenset("text textrm textit textbf mathrm mathit mathbf mathsf mathtt "
                          "boldsymbol bm operatorname mbox rm mathbb mathds mathbbm".split())
# accents name symbols the way sympy prints them: \bar{v} is Symbol("vbar")
ACCENTS = {"bar": "bar", "overline": "bar", "hat": "hat", "widehat": "hat", "tilde": "tilde",
           "widetilde": "tilde", "dot": "dot", "ddot": "ddot", "vec": "vec", "check": "check",
           "breve": "breve", "acute": "acute", "grave": "grave"}
_ACCENTED = re.compile(r"\\[A-Za-z]+|[A-Za-z]")
_BLACKBOARD = frozenset({"mathbb", "mathds", "mathbbm"})
_BOLD = frozenset({"mathbf", "boldsymbol", "bm"})
_PRIMES = re.compile(r"\^\s*(?:(\\prime)(?![A-Za-z])|\{\s*((?:\\prime\s*)+)\})")


def is_indicator(name: str, content: str) -> bool:
    """``\\mathbb{1}``, ``\\mathbb{I}``, ``\\mathbf{1}``: the indicator of the condition after it."""
    return (name in _BLACKBOARD and content in ("1", "I")) or (name in _BOLD and content == "1")


class WordCommands:
    """Methods of the lexer (lexer.py) for these commands; they use its ``braced``, ``fail``,
    ``add``, ``maybe_sub`` and ``skip_spaces``, declared below and defined by the lexer."""

    src: str
    i: int

    def skip_spaces(self) -> None:
        raise NotImplementedError

    def braced(self) -> str:
        raise NotImplementedError

    def fail(self, message: str, index: int) -> ParseError:
        raise NotImplementedError

    def add(self, kind: str, value: str, start: int, sub: str | None = None) -> None:
        raise NotImplementedError

    def maybe_sub(self, *, raw: bool) -> str | None:
        raise NotImplementedError

    def accent(self, name: str, start: int) -> None:
        self.skip_spaces()
        if self.src.startswith("{", self.i):
            content = self.braced().strip()
        else:
            m = _ACCENTED.match(self.src, self.i)
            if not m:
                raise self.fail(f"\\{name} needs a letter", start)
            content = m.group(0)
            self.i = m.end()
        base = content[1:] if content.startswith("\\") and content[1:] in GREEK else content
        if not re.fullmatch(r"[A-Za-z]+", base):
            raise self.fail(f"unsupported \\{name}{{{content}}}", start)
        self.add(WORD, base + ACCENTS[name], start, self.maybe_sub(raw=False))

    def word(self, name: str, start: int) -> None:
        content = self.braced()
        if is_indicator(name, content.strip()):
            self.indicator(start)
            return
        if name in _BLACKBOARD:
            raise self.fail(f"unsupported \\{name}{{{content.strip()}}}", start)
        text = " ".join(content.split()).strip(".,:;")
        if not text.strip():
            return
        if not re.fullmatch(r"[A-Za-z]+( [A-Za-z]+)*", text):
            raise self.fail(f"unsupported \\{name} content {{{content.strip()}}}", start)
        sub = self.maybe_sub(raw=False)
        self.add(WORD, text, start, sub)

    def indicator(self, start: int) -> None:
        """A CMD ``indicator``; ``sub="_"`` when the condition follows as a subscript group
        (``\\mathbb{1}_{x > 0}``), which is then lexed as math like any group."""
        self.skip_spaces()
        sub = None
        if self.src.startswith("_", self.i):
            self.i += 1
            self.skip_spaces()
            if not self.src.startswith("{", self.i):
                raise self.fail("write the condition of an indicator in braces: "
                                "\\mathbb{1}_{x > 0}", start)
            sub = "_"
        self.add(CMD, "indicator", start, sub)

    def primes(self) -> bool:
        """At ``^``: ``f^{\\prime}(x)``, ``y^\\prime``, ``f^{\\prime\\prime}`` are primes, as ``f'``."""
        m = _PRIMES.match(self.src, self.i)
        if not m:
            return False
        start, self.i = self.i, m.end()
        for _ in range((m.group(2) or m.group(1)).count("\\prime")):
            self.add(OP, "'", start)
        return True
