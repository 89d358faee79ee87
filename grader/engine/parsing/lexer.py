"""Tokenizer for both syntaxes (literal sizes, nesting and size are checked as it goes)."""

from __future__ import annotations

import re

from grader.engine.errors import LimitExceeded, ParseError
from grader.engine.limits import Limits

from .lexer_words import ACCENTS, WORD_COMMANDS, WordCommands
from .names import normalize_subscript
from .static_checks import check_brackets, check_forbidden
from .tokens import BEGIN, CLOSE, CMD, END, EOF, EVAL_BAR, NAME, NUM, OP, OPEN, WORD, Token

_SPACING = frozenset("quad qquad displaystyle textstyle scriptstyle limits nolimits "
                     "enspace thinspace medspace thickspace negthinspace".split())
_SIZE = frozenset("big Big bigg Bigg bigl bigr Bigl Bigr biggl biggr Biggl Biggr".split())
_DELIMS = {"(": "(", ")": ")", "[": "[", "]": "]", "|": "|", ".": ".", "\\{": "\\{",
           "\\}": "\\}", "\\lvert": "|L", "\\rvert": "|R", "\\vert": "|", "\\|": "|",
           "\\lbrace": "\\{", "\\rbrace": "\\}", "\\lbrack": "[", "\\rbrack": "]"}
_OPENING = {"(", "[", "\\{"}
_TWO_CHAR = ("**", "<=", ">=", "!=", "==", ":=")
_ONE_CHAR = "+-*/^,=<>!'|&~"
_NUMBER = re.compile(r"(\d+\.?\d*|\.\d+)([eE][+-]?\d+(?!\.))?")
_COMMAND = re.compile(r"\\([A-Za-z]+)")
_LATEX_NAME = re.compile(r"[A-Za-z]+")
_TEXT_NAME = re.compile(r"[A-Za-z][A-Za-z0-9]*")


def detect_syntax(text: str) -> str:
    """``"latex"`` when the answer has backslash commands or braces, else ``"text"``."""
    return "latex" if any(c in text for c in "\\{}") else "text"


class _Lexer(WordCommands):
    def __init__(self, src: str, where: list[int], latex: bool, limits: Limits) -> None:
        self.src, self.where, self.latex, self.limits = src, where, latex, limits
        self.i = 0
        self.tokens: list[Token] = []
        self.inexact = False
        self.depth = self.values = 0

    def fail(self, message: str, index: int) -> ParseError:
        return ParseError(message, self.where[index] + 1 if index < len(self.where) else None)

    def add(self, kind: str, value: str, start: int, sub: str | None = None) -> None:
        last = max(start, self.i - 1)
        col = self.where[start] + 1
        self.tokens.append(Token(kind, value, col, self.where[last] + 1, sub))
        # fail fast on huge inputs: these grow without bound before the parser sees them
        if kind in (OPEN, BEGIN):
            self.depth += 1
            if self.depth > self.limits.max_depth:
                raise LimitExceeded(f"nesting deeper than {self.limits.max_depth}", col)
        elif kind in (CLOSE, END):
            self.depth -= 1
        elif kind in (NUM, NAME, WORD, CMD):
            self.values += 1
            if self.values > self.limits.max_nodes:
                raise LimitExceeded(f"expression too large (more than {self.limits.max_nodes} "
                                    f"parts)", col)

    def skip_spaces(self) -> None:
        while self.i < len(self.src) and self.src[self.i] == " ":
            self.i += 1

    def braced(self) -> str:
        """Raw content of a ``{...}`` group starting at ``self.i`` (balanced braces)."""
        self.skip_spaces()
        start = self.i
        if self.i >= len(self.src) or self.src[self.i] != "{":
            raise self.fail("expected {", min(start, len(self.src) - 1))
        depth = 0
        while self.i < len(self.src):
            c = self.src[self.i]
            self.i += 1
            if c == "{":
                depth += 1
            elif c == "}":
                depth -= 1
                if depth == 0:
                    return self.src[start + 1:self.i - 1]
        raise self.fail("unbalanced brace", start)

    def subscript(self, *, raw: bool) -> str:
        """Read what follows ``_``: a group, a command or a character (a run in text)."""
        self.skip_spaces()
        start = self.i
        if self.i >= len(self.src):
            raise self.fail("subscript expected after _", start - 1)
        c = self.src[self.i]
        if c == "{":
            content = self.braced()
        elif c == "\\":
            m = _COMMAND.match(self.src, self.i)
            if not m:
                raise self.fail("subscript expected after _", start)
            self.i = m.end()
            content = m.group(0)
        elif c.isalnum():
            self.i += 1
            if not self.latex:
                while self.i < len(self.src) and self.src[self.i].isalnum():
                    self.i += 1
                if self.src.startswith("_", self.i):  # y_ix_i: a run cannot own the next _
                    self.i = start + 1
            content = self.src[start:self.i]
        else:
            raise self.fail("subscript expected after _", start)
        return content if raw else self.subscript_name(content, start)

    def subscript_name(self, content: str, start: int) -> str:
        name = normalize_subscript(content)
        if name is None:
            raise self.fail(f"unsupported subscript {{{content.strip()}}}", start)
        return name

    def maybe_sub(self, *, raw: bool) -> str | None:
        if self.i < len(self.src) and self.src[self.i] == "_":
            self.i += 1
            return self.subscript(raw=raw)
        return None

    def number(self) -> None:
        start = self.i
        m = _NUMBER.match(self.src, self.i)
        assert m is not None
        self.i = m.end()
        mantissa, exponent = m.group(1), m.group(2)
        digits = len(mantissa) - ("." in mantissa)
        if digits > self.limits.max_digits:
            raise LimitExceeded(f"number with {digits} digits (limit {self.limits.max_digits})",
                                self.where[start] + 1)
        if exponent and abs(int(exponent[1:])) > self.limits.max_exponent:
            raise LimitExceeded(f"exponent {exponent[1:]} is too large "
                                f"(limit {self.limits.max_exponent})", self.where[start] + 1)
        if "." in mantissa or exponent:
            self.inexact = True
        self.add(NUM, m.group(0), start)

    def command(self) -> None:
        src, start = self.src, self.i
        m = _COMMAND.match(src, self.i)
        if not m:  # a symbol command: \, \; \! \\ \{ \} \|
            if start + 1 >= len(src):
                raise self.fail("a lone backslash", start)
            c = src[start + 1]
            self.i += 2
            if c in ",;!: ":
                return
            if c == "\\":
                self.add(OP, "\\\\", start)
            elif c in "{}":
                self.add(OPEN if c == "{" else CLOSE, "\\" + c, start)
            elif c == "|":
                self.add(OP, "|", start)
            else:
                raise self.fail(f"unknown command \\{c}", start)
            return
        name = m.group(1)
        self.i = m.end()
        if name in _SPACING:
            last = self.tokens[-1] if self.tokens else None
            if name.endswith("limits") and last is not None and last.kind == CMD and last.sub is None:
                self.tokens[-1] = last._replace(sub=self.maybe_sub(raw=True))  # \lim\limits_{x}
            return
        if name in ("left", "right") or name in _SIZE:
            self.delimiter(name, start)
        elif name in WORD_COMMANDS:
            self.word(name, start)
        elif name in ACCENTS:
            self.accent(name, start)
        elif name in ("begin", "end"):
            env = self.braced().strip()
            if not re.fullmatch(r"[A-Za-z]+\*?", env):
                raise self.fail(f"unsupported environment {env!r}", start)
            self.add(BEGIN if name == "begin" else END, env, start)
        elif name == "vert":  # \vert x \vert: a bar like |
            self.add(OP, "|", start)
        elif name in ("lvert", "rvert"):
            self.add(OPEN if name == "lvert" else CLOSE, "|L" if name == "lvert" else "|R", start)
        elif name in ("lbrace", "rbrace"):
            self.add(OPEN if name == "lbrace" else CLOSE, "\\{" if name == "lbrace" else "\\}",
                     start)
        else:
            sub = self.maybe_sub(raw=True)
            self.add(CMD, name, start, sub)

    def delimiter(self, name: str, start: int) -> None:
        self.skip_spaces()
        m = _COMMAND.match(self.src, self.i)
        if m:
            raw = m.group(0)
            self.i = m.end()
        elif self.src.startswith(("\\{", "\\}", "\\|"), self.i):
            raw = self.src[self.i:self.i + 2]
            self.i += 2
        else:
            raw = self.src[self.i:self.i + 1]
            self.i += 1
        delim = _DELIMS.get(raw)
        if delim is None:
            raise self.fail(f"unsupported delimiter after \\{name}", start)
        if name == "left" or name.endswith("l"):
            opening = True
        elif name == "right" or name.endswith("r"):
            opening = False
        else:
            opening = delim in _OPENING
        if delim in ("|", "|L", "|R"):
            if name in _SIZE and not name.endswith(("l", "r")):
                self.add(OP, "|", start)
                return
            delim = "|L" if opening else "|R"
        elif delim != "." and (delim in _OPENING) != opening:
            raise self.fail(f"\\{name}{raw} is the wrong way round", start)
        self.add(OPEN if opening else CLOSE, delim, start)

    def evaluation_bar(self) -> bool:
        """At ``_``: after ``\\right|`` or a bar and before ``{``, an evaluation bar
        (``\\left. 2x \\right|_{x=1}``); its group is then lexed as math."""
        last = self.tokens[-1] if self.tokens else None
        after = self.src[self.i + 1:].lstrip()
        if last is None or not after.startswith("{") or not (
                last.is_op("|") or (last.kind == CLOSE and last.value == "|R")):
            return False
        if last.kind == OP:
            if sum(t.is_op("|") for t in self.tokens) % 2 == 0:
                return False  # |x|_{...}: that bar closes an absolute value
            self.tokens.pop()  # \Big|_{x=0}: the bar is the evaluation bar itself
        self.i += 1
        self.add(OP, EVAL_BAR, self.i - 1)
        return True

    def run(self) -> list[Token]:
        src = self.src
        while True:
            self.skip_spaces()
            if self.i >= len(src):
                break
            c, start = src[self.i], self.i
            if c.isdigit() or (c == "." and src[self.i + 1:self.i + 2].isdigit()):
                self.number()
            elif c.isalpha():
                j = (_LATEX_NAME if self.latex else _TEXT_NAME).match(src, self.i).end()
                self.i = j
                sub = self.maybe_sub(raw=False)
                self.add(NAME, src[start:j], start, sub)
            elif c == "\\":
                self.command()
            elif c in "([{":
                self.i += 1
                self.add(OPEN, c, start)
            elif c in ")]}":
                self.i += 1
                self.add(CLOSE, c, start)
            elif c == "^" and self.primes():
                pass
            elif src.startswith(_TWO_CHAR, self.i):
                self.i += 2
                self.add(OP, src[start:start + 2], start)
            elif c == "~" and self.latex:  # a non-breaking space in TeX
                self.i += 1
            elif c in _ONE_CHAR:
                self.i += 1
                self.add(OP, c, start)
            elif c == "_" and self.evaluation_bar():
                pass
            elif c == "_" and self.tokens and self.tokens[-1].kind in (NUM, CLOSE):
                self.i += 1  # x^2_i: TeX puts the subscript on x; the parser moves it there
                self.add(OP, "_", start, self.subscript(raw=False))
            elif c == "_":
                raise self.fail("unexpected _", start)
            elif c in "'\"`":
                raise self.fail("quotes are not allowed", start)
            else:
                raise self.fail(f"unexpected character '{c}'", start)
        end = (self.where[-1] + 2) if self.where else 1
        self.tokens.append(Token(EOF, "", end, end))
        return self.tokens


def tokenize(src: str, where: list[int], *, latex: bool, limits: Limits) -> tuple[list[Token], bool]:
    """Tokens (ending with EOF) and whether a decimal or scientific literal appeared."""
    check_forbidden(src, where)
    lexer = _Lexer(src, where, latex, limits)
    tokens = lexer.run()
    check_brackets(tokens, limits)
    return tokens, lexer.inexact
