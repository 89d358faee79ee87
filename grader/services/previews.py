"""What the live preview tells a student before they submit: the answer drawn as typed, the
symbols found, and flags for answers that read but will be graded wrong.

Flags (``level`` is ``error`` for red, ``warning`` for amber):

- ``unknown_symbol``: a symbol the question never defines (``p`` where it uses ``p_i``), with a
  suggestion when one name is close;
- ``not_allowed``: a symbol outside the question's ``allowed`` list;
- ``word_product``: a letter run read as a product of letters (``zero`` as z·e·r·o);
- ``not_numeric``: a number or limit question answered with an expression in symbols.

Framework-free; the engine's parser reads the answer (``render_typed`` draws its tree).
"""

from __future__ import annotations

import difflib
from dataclasses import asdict, dataclass
from typing import Any, Iterable

from grader.engine.parsing import NameContext
from grader.engine.render_typed import Typed, read_typed

NUMERIC_TYPES = ("number", "limit")


@dataclass(frozen=True)
class Flag:
    """One thing to fix or check before submitting."""

    level: str
    kind: str
    message: str
    symbol: str | None = None
    suggestion: str | None = None


@dataclass(frozen=True)
class QuestionNames:
    """What a question knows: its symbols (definitions, domain, inputs), ``allowed`` and type."""

    known: frozenset[str]
    allowed: frozenset[str] | None
    qtype: str


def question_names(question: Any, names: NameContext) -> QuestionNames:
    """The names of a ``grader.assignments`` question: the parser's ``NameContext`` for it and the
    symbols of its key (a file need not declare a symbol its key uses, such as y_i)."""
    allowed = question.context.allowed
    return QuestionNames(known=frozenset(names.symbols) | frozenset(names.functions) | key_symbols(question),
                         allowed=None if allowed is None else frozenset(allowed),
                         qtype=str(getattr(question, "type_name", "")))


def key_symbols(question: Any) -> frozenset[str]:
    """The free symbols of a question's compiled key (none when it has no expression key)."""
    from grader.assignments.keys import KeyFieldError, key_of

    try:
        key = key_of(question)
    except (KeyFieldError, ValueError, TypeError):
        return frozenset()
    return frozenset(s.name for s in key.expr.free_symbols) if key is not None else frozenset()


def suggest(name: str, known: Iterable[str]) -> str | None:
    """The known name a student most likely meant: ``p`` -> ``p_i`` (same letter, a subscript
    dropped), else the closest spelling."""
    candidates = sorted(known)
    same_base = [k for k in candidates if k.split("_")[0] == name.split("_")[0]]
    if len(same_base) == 1:
        return same_base[0]
    close = difflib.get_close_matches(name, candidates, n=1, cutoff=0.6)
    return close[0] if close else None


def flags_for(typed: Typed, value_symbols: Iterable[str], q: QuestionNames | None) -> list[Flag]:
    """Flags of an answer read as ``typed``; ``value_symbols`` are the free symbols of its value."""
    flags = [Flag("warning", "word_product",
                  f"“{w.word}” is read as the product {'·'.join(w.pieces)}; if you meant a word or "
                  "a number, write it as a number or a formula.", symbol=w.word)
             for w in typed.words]
    if q is None:
        return flags
    for name in sorted(typed.symbols):
        if name in q.known:
            if q.allowed is not None and name not in q.allowed:
                flags.append(Flag("error", "not_allowed",
                                  f"{name} is not allowed here: use only {', '.join(sorted(q.allowed))}.",
                                  symbol=name))
            continue
        hint = suggest(name, q.allowed if q.allowed is not None else q.known)
        message = f"{name} is not a symbol of this question" + (f": did you mean {hint}?" if hint else ".")
        flags.append(Flag("error", "unknown_symbol", message, symbol=name, suggestion=hint))
    if q.qtype in NUMERIC_TYPES and list(value_symbols):
        flags.append(Flag("error", "not_numeric",
                          f"This question asks for a number; your answer still contains "
                          f"{', '.join(sorted(map(str, value_symbols)))}."))
    return flags


def preview(answer: str, *, syntax: str, names: NameContext | None, question: QuestionNames | None,
            value_symbols: Iterable[str]) -> dict[str, Any]:
    """The preview fields added to a readable answer's validation reply."""
    typed = read_typed(answer, syntax=syntax, names=names)
    flags = flags_for(typed, value_symbols, question)
    status = ("error" if any(f.level == "error" for f in flags)
              else "warning" if flags else "ok")
    return {"typed_mathml": typed.mathml, "typed_text": typed.text,
            "symbols": sorted(typed.symbols), "flags": [asdict(f) for f in flags], "status": status}
