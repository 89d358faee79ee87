"""Infinite values (a limit that is ∞): decided exactly, never by sampling a tape that holds inf.

A key or an answer that is +∞ or -∞ (or sympy's complex ∞, which is what 1/0 builds) is compared
as a value: ``oo`` equals ``\\infty`` and ``2\\infty``, and differs from ``-oo``, from ``1/0`` (an
unsigned ∞) and from every finite number. ∞ inside an expression that still has variables
(``x \\cdot \\infty``) is not a value the grader can compare and is refused.
"""

from __future__ import annotations

import sympy

from grader.engine.results import CheckResult, Verdict

_SIGNED = (sympy.oo, -sympy.oo)
_INFINITIES = (sympy.oo, -sympy.oo, sympy.zoo)
_NAMES = {sympy.oo: "∞", -sympy.oo: "-∞", sympy.zoo: "an unsigned ∞ (as from 1/0)"}


def _has_infinity(expr: sympy.Basic) -> bool:
    return expr in _INFINITIES or expr.has(*_INFINITIES)


def compare_infinite(key: sympy.Expr, answer: sympy.Expr) -> CheckResult | None:
    """The verdict when the key or the answer is infinite, else None (compare as usual).

    >>> compare_infinite(sympy.oo, -sympy.oo).verdict.value
    'incorrect'
    """
    key_inf, answer_inf = key in _SIGNED, answer in _SIGNED
    if not key_inf and not (answer_inf and not key.has(*_INFINITIES, sympy.nan)):
        # a written ∞ inside an expression is refused; sympy's unsigned ∞ there comes from a
        # division by an exact zero (x^2/(0.1 + 0.2 - 0.3)), undefined like 1/0
        if answer.has(*_SIGNED) and answer.free_symbols and not _has_infinity(key):
            return CheckResult(Verdict.INVALID, method="parse", feedback=(
                "∞ can be a whole answer (the value of a limit), not part of an expression "
                "with variables"))
        return None  # 1/0 against a finite key stays "undefined", as any division by zero
    if key == answer:
        return CheckResult(Verdict.CORRECT, feedback="Correct.", method="symbolic")
    if answer in _INFINITIES:
        said = f"Your answer is {_NAMES[answer]}"
    else:
        said = "Your answer is finite" if not answer.free_symbols else "Your answer is not ∞"
    expected = _NAMES[key] if key_inf else "a finite value"
    return CheckResult(Verdict.INCORRECT, method="symbolic",
                       feedback=f"{said}; the expected answer is {expected}.")
