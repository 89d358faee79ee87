"""Unicode clean-up before lexing, keeping a map back to the student's columns.

Superscripts and math symbols are mapped *before* NFKC (which would turn ``x²`` into ``x2``);
invisible and control characters are refused, naming the character and its column.
"""

from __future__ import annotations

import re
import unicodedata

from grader.engine.errors import ParseError
from grader.engine.parsing.greek import NAME_OF_LETTER


def _script(ch: str) -> str | None:
    """``"^"`` for a superscript character (², ⁿ), ``"_"`` for a subscript one (₁), else None."""
    tag = unicodedata.decomposition(ch)
    if tag.startswith("<super>"):
        return "^"
    if tag.startswith("<sub>"):
        return "_"
    return None


def _script_text(ch: str) -> str:
    return unicodedata.normalize("NFKC", ch).replace("−", "-")


# character -> (text spelling, LaTeX spelling)
_SYMBOLS: dict[str, tuple[str, str]] = {
    "−": ("-", "-"), "–": ("-", "-"), "‐": ("-", "-"), "﹣": ("-", "-"),
    "·": ("*", r"\cdot "), "⋅": ("*", r"\cdot "), "∙": ("*", r"\cdot "), "×": ("*", r"\times "),
    "∗": ("*", "*"), "÷": ("/", "/"),
    "≤": ("<=", r"\le "), "≥": (">=", r"\ge "), "≠": ("!=", r"\ne "),
    "←": (":=", r"\leftarrow "), "∂": ("d", r"\partial "), "π": ("pi", r"\pi "),
    "∧": ("&", r"\land "), "∨": ("|", r"\lor "), "√": (" sqrt ", r"\sqrt "),
    "∞": (" oo ", r"\infty "), "∛": (" cbrt ", r"\sqrt[3]"),
    "′": ("'", "'"), "″": ("''", "''"), "‴": ("'''", "'''"),  # primes: f′(x)
    "∣": ("|", "|"), "∕": ("/", "/"), "⁄": ("/", "/"),
}
_GREEK_LETTERS = NAME_OF_LETTER
_ALLOWED_CONTROL = "\t\n\r"
_VULGAR = re.compile(r"(\d+)\u2044(\d+)")  # NFKC of ½ is 1⁄2 (U+2044 FRACTION SLASH)


def _refuse(ch: str, index: int) -> ParseError:
    name = unicodedata.name(ch, "")
    label = f"U+{ord(ch):04X}" + (f" ({name})" if name else "")
    return ParseError(f"character {label} is not allowed", index + 1)


_ASCII_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_WHITESPACE = str.maketrans("\t\n\r", "   ")


def normalize(text: str, *, latex: bool) -> tuple[str, list[int]]:
    """Return the cleaned text and, for each of its characters, the 0-based source index."""
    if text.isascii():  # the common case, done at C speed
        bad = _ASCII_CONTROL.search(text)
        if bad:
            raise _refuse(bad.group(), bad.start())
        return text.translate(_WHITESPACE), list(range(len(text)))
    out: list[str] = []
    where: list[int] = []

    def emit(s: str, i: int) -> None:
        out.append(s)
        where.extend([i] * len(s))

    i, n = 0, len(text)
    while i < n:
        ch = text[i]
        script = None if ch.isascii() else _script(ch)
        if script is not None:  # x², xⁿ, x₁: before NFKC, which would make them plain x2
            j = i
            while j < n and not text[j].isascii() and _script(text[j]) == script:
                j += 1
            run = "".join(_script_text(c) for c in text[i:j])
            if script == "_":
                emit("_{" + run + "}", i)
            else:
                emit("^" + run if len(run) == 1 else "^(" + run + ")", i)
            i = j
            continue
        if ch.isascii():
            if ch < " " and ch not in _ALLOWED_CONTROL or ch == "\x7f":
                raise _refuse(ch, i)
            emit(" " if ch in _ALLOWED_CONTROL else ch, i)
        elif ch in _SYMBOLS:
            emit(_SYMBOLS[ch][1 if latex else 0], i)
        elif _VULGAR.fullmatch(unicodedata.normalize("NFKC", ch)):
            _vulgar_fraction(ch, i, out, where)
        elif ch in _GREEK_LETTERS:
            emit(("\\" + _GREEK_LETTERS[ch] + " ") if latex else _GREEK_LETTERS[ch], i)
        else:
            category = unicodedata.category(ch)
            if category[0] == "C" or category in ("Zl", "Zp"):
                raise _refuse(ch, i)
            if category == "Zs":
                emit(" ", i)
            else:
                folded = unicodedata.normalize("NFKC", ch)
                if not folded.isascii() or any(c < " " for c in folded):
                    raise ParseError(f"unexpected character '{ch}'", i + 1)
                emit(folded, i)
        i += 1
    return "".join(out), where


def _vulgar_fraction(ch: str, i: int, out: list[str], where: list[int]) -> None:
    """``½x`` is (1/2)x; right after digits it is a mixed number: ``2½`` is (2+1/2), not 2·½.

    The fraction keeps the column of ``ch``; the opening parenthesis of a mixed number takes
    the column of its first digit, so every character still maps back to the student's text."""
    m = _VULGAR.fullmatch(unicodedata.normalize("NFKC", ch))
    assert m is not None
    fraction = f"{m.group(1)}/{m.group(2)}"
    k = len(out)
    while k > 0 and len(out[k - 1]) == 1 and out[k - 1].isdigit():
        k -= 1
    if k == len(out):
        out.append(f"({fraction})")
        where.extend([i] * (len(fraction) + 2))
        return
    if k > 0 and out[k - 1] == ".":
        raise ParseError(f"a fraction {ch} after a decimal number cannot be read", i + 1)
    first = len(where) - (len(out) - k)  # the digits after k are one character each
    out.insert(k, "(")
    where.insert(first, where[first])
    out.append(f"+{fraction})")
    where.extend([i] * (len(fraction) + 2))
