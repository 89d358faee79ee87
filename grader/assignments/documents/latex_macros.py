"""A LaTeX document's own macros (``\\newcommand``, ``\\renewcommand``, ``\\def``), expanded.

Only what students write in homework: macros with up to nine ``#n`` arguments and no optional
argument. Expansion is bounded (``MAX_EXPANSIONS``) so a recursive macro cannot hang the reader.
"""

from __future__ import annotations

import re

from grader.assignments.documents.errors import DocumentError

MAX_EXPANSIONS = 2000
_DEFINITION = re.compile(
    r"\\(?:re)?newcommand\*?\s*\{?\s*\\([A-Za-z]+)\s*\}?\s*(?:\[(\d)\])?\s*\{"
    r"|\\def\s*\\([A-Za-z]+)\s*((?:#\d)*)\s*\{"
)
_OPERATOR = re.compile(r"\\DeclareMathOperator\*?\s*\{\s*\\([A-Za-z]+)\s*\}\s*\{")


def _group(text: str, start: int) -> int:
    """Index just past the brace group opening at ``start`` (``DocumentError`` when unbalanced)."""
    depth = 0
    for i in range(start, len(text)):
        if text[i] == "{" and (i == 0 or text[i - 1] != "\\"):
            depth += 1
        elif text[i] == "}" and text[i - 1] != "\\":
            depth -= 1
            if depth == 0:
                return i + 1
    raise DocumentError(f"a macro definition has an unbalanced brace (character {start + 1})")


def _definitions(text: str) -> tuple[dict[str, tuple[int, str]], str]:
    """Macros defined in ``text`` and the text without their definitions."""
    macros: dict[str, tuple[int, str]] = {}
    out, pos = [], 0
    for pattern in (_DEFINITION, _OPERATOR):
        out, pos, rest = [], 0, text
        for m in pattern.finditer(rest):
            if m.start() < pos:
                continue
            end = _group(rest, m.end() - 1)
            body = rest[m.end():end - 1]
            if pattern is _OPERATOR:
                macros[m.group(1)] = (0, r"\operatorname{" + body + "}")
            else:
                name = m.group(1) or m.group(3)
                nargs = int(m.group(2) or 0) if m.group(1) else len(m.group(4) or "") // 2
                macros[name] = (nargs, body)
            out.append(rest[pos:m.start()] + "\n" * rest.count("\n", m.start(), end))
            pos = end
        out.append(rest[pos:])
        text = "".join(out)
    return macros, text


def expand_macros(preamble: str, body: str) -> tuple[str, list[str]]:
    """``body`` with the macros of ``preamble`` and ``body`` expanded; the names expanded."""
    macros, _ = _definitions(preamble)
    body_macros, body = _definitions(body)
    macros.update(body_macros)
    if not macros:
        return body, []
    used: list[str] = []
    names = "|".join(sorted((re.escape(n) for n in macros), key=len, reverse=True))
    call = re.compile(r"\\(" + names + r")(?![A-Za-z])")
    for _ in range(MAX_EXPANSIONS):
        m = call.search(body)
        if m is None:
            return body, used
        nargs, template = macros[m.group(1)]
        end, args = m.end(), []
        for _arg in range(nargs):
            while end < len(body) and body[end] in " \t":
                end += 1
            if end < len(body) and body[end] == "{":
                close = _group(body, end)
                args.append(body[end + 1:close - 1])
                end = close
            elif end < len(body):
                args.append(body[end])
                end += 1
            else:
                raise DocumentError(f"macro \\{m.group(1)} is missing an argument")
        text = re.sub(r"#(\d)", lambda a, given=args: given[int(a.group(1)) - 1] if int(a.group(1)) <= len(given) else "",
                      template)
        body = body[:m.start()] + text + body[end:]
        if m.group(1) not in used:
            used.append(m.group(1))
    raise DocumentError(f"macros expand without end (more than {MAX_EXPANSIONS} expansions): is one recursive?")
