"""A class's answers to assignment 4, as a real class gives them: for each question a pool of right
forms (several spellings, text and LaTeX), common wrong answers, unreadable ones and, rarely, a
hostile one, drawn per student so that repeated answers occur as they do in a class.

Deterministic: ``class_answers(n, seed)`` gives the same n submissions for the same seed.

    .venv/bin/python benchmarks/class_answers.py --students 5 | head
"""

from __future__ import annotations

import argparse
import copy
import json
import random
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
SEED_SUBMISSION = ROOT / "tests" / "fixtures" / "seed-submission.json"

# (right forms, common wrong answers, unreadable) per question; weights below
POOLS: dict[str, tuple[list[str], list[str], list[str]]] = {
    "1a": (["2p_i - 2y_i", "2*(p_i - y_i)", "-2(y_i - p_i)", "2(y_i - p_i)(-1) = \\boxed{2p_i - 2y_i}",
            "\\boxed{2(p_i - y_i)}", "2*p_i-2*y_i"],
           ["2*(y_i - p_i)", "2(p_i + y_i)", "(y_i - p_i)^2", "p_i - y_i", "-2p_i"],
           ["2(p_i - y_i", "\\frac{2}{", "2 p_i -- y_i)"]),
    "1b": (["\\frac{e^{-a_i}}{(1 + e^{-a_i})^2}", "exp(-a_i)/(1+exp(-a_i))^2", "p_i*(1 - p_i)",
            "\\frac{dp_i}{da_i} = \\frac{e^{-a_i}}{(1 + e^{-a_i})^2}", "p_i - p_i^2"],
           ["exp(-a_i)/(1 + exp(-a_i))", "-exp(-a_i)/(1 + exp(-a_i))^2", "p_i^2", "1/(1+exp(-a_i))^2"],
           ["\\frac{e^{-a_i}}{(1 + e^{-a_i})^2", "exp(-a_i)/(1+exp(-a_i)^2"]),
    "1c": (["p_i(1 - p_i)", "p_i - p_i^2", "\\boxed{p_i(1-p_i)}", "p_i*(1-p_i)"],
           ["p_i^2", "1 - p_i", "p_i(1 + p_i)", "\\boxed{\\frac{d}{da_i}(p_i)}"],
           ["p_i(1 - p_i", "p_i((1-p_i)"]),
    "1d": (["x_i", "\\boxed{x_i}", "x_{i}"], ["w", "w*x_i", "1"], ["x_i)", "\\frac{x_i}{"]),
    "1e": (["2(p_i - y_i) p_i (1 - p_i) x_i", "2*(p_i - y_i)*p_i*(1 - p_i)*x_i",
            "(2p_i - 2y_i)(p_i - p_i^2) x_i", "\\boxed{2(p_i - y_i)p_i(1-p_i)x_i}"],
           ["2p_i^3 e^{-a_i} x_i - 3p_i^2 e^{-a_i} y_i x_i", "2*(p_i - y_i)*p_i*(1 - p_i)",
            "2*(y_i - p_i)*p_i*(1 - p_i)*x_i", "(2p_i - 2y_i) (e^{-a_i} p_i^2) (x_i)"],
           ["2(p_i - y_i) p_i (1 - p_i x_i", "\\frac{2(p_i - y_i)}{"]),
    "1f-limit": (["0", "\\boxed{0}", "0.0"], ["1", "-1", "\\infty"], ["lim", "\\lim_{"]),
    "1f-why": (["The gradient vanishes when p_i = 0, so the weights never change and the sample stays misclassified.",
                "No learning happens: the derivative is 0 at p_i = 0."],
               ["It is fine."], [""]),
    "2a": (["\\begin{cases} -y_i & y_i a_i < 1 \\\\ 0 & y_i a_i > 1 \\end{cases}",
            "Piecewise((-y_i, y_i*a_i < 1), (0, y_i*a_i > 1))"],
           ["\\begin{cases} y_i & y_i a_i < 1 \\\\ 0 & y_i a_i > 1 \\end{cases}", "-y_i"],
           ["\\begin{cases} -y_i & y_i a_i < 1"]),
    "2b": (["\\begin{cases} -y_i x_i + 2w & y_i a_i < 1 \\\\ 2w & y_i a_i > 1 \\end{cases}",
            "Piecewise((-y_i*x_i + 2*w, y_i*a_i < 1), (2*w, y_i*a_i > 1))"],
           ["\\begin{cases} -y_i x_i & y_i a_i < 1 \\\\ 0 & y_i a_i > 1 \\end{cases}", "2w"],
           ["Piecewise((-y_i*x_i + 2*w, y_i*a_i < 1)"]),
    "2c": (["Piecewise((w + eta*y_i*x_i - 2*eta*w, y_i*a_i < 1), (w - 2*eta*w, y_i*a_i > 1))"],
           ["Piecewise((w + eta*x_i - 2*eta*w, y_i*a_i < 1), (w - 2*eta*w, y_i*a_i > 1))", "w - eta*2*w"],
           ["w \\leftarrow"]),
    "2d": (["The update adds eta y_i x_i like the perceptron, plus a weight decay term."], ["Same."], [""]),
}
# answers that take the engine far past any budget, or try to (a few students paste these)
HOSTILE: dict[str, list[str]] = {
    "1a": ["exp(((x_i^200)^200)^200)", "((p_i^99)^99)^99 - y_i"],
    "1e": ["exp(exp(exp(exp(p_i^9^9))))*x_i"],
}
WEIGHTS = {"right": 0.62, "wrong": 0.27, "unreadable": 0.11}
HOSTILE_SHARE = 0.004
UNIQUE_SLIPS = 0.3  # of wrong answers to an expression question, a constant factor of one's own
SCALABLE = ("1a", "1b", "1c", "1d", "1e")  # of students, one hostile answer each


def _tables(rng: random.Random, seed_answers: dict[str, Any]) -> tuple[Any, Any]:
    forward, adjoint = copy.deepcopy(seed_answers["3-forward"]), dict(seed_answers["3-adjoint"])
    roll = rng.random()
    if roll < 0.2:  # a common slip: 1/v_2 evaluated wrong, and the adjoints that follow from it
        forward[5]["value"], adjoint["\\bar{v}_2"] = 0.25, -4
    elif roll < 0.27:
        forward[3]["expr"] = "v_{-2}v_{-1"  # unreadable
    return forward, adjoint


def class_answers(students: int, seed: int = 13) -> list[dict[str, Any]]:
    """One submission's answers per student."""
    seed_answers = json.loads(SEED_SUBMISSION.read_text(encoding="utf-8"))["answers"]
    out = []
    for i in range(students):
        rng = random.Random(seed * 1_000_003 + i)
        answers: dict[str, Any] = {}
        for qid, (right, wrong, unreadable) in POOLS.items():
            kind = rng.choices(list(WEIGHTS), weights=list(WEIGHTS.values()))[0]
            pool = {"right": right, "wrong": wrong, "unreadable": unreadable}[kind]
            # a few forms are far more common than the rest, as in a class
            answers[qid] = pool[min(int(rng.expovariate(1.2)), len(pool) - 1)]
            if kind == "wrong" and qid in SCALABLE and rng.random() < UNIQUE_SLIPS:
                answers[qid] = f"{rng.randint(3, 60)}*({right[0]})"  # a slip of one's own: new work
        answers["3-forward"], answers["3-adjoint"] = _tables(rng, seed_answers)
        if rng.random() < HOSTILE_SHARE:
            qid = rng.choice(sorted(HOSTILE))
            answers[qid] = rng.choice(HOSTILE[qid])
        out.append(answers)
    return out


def _made_distinct(answer: str, k: int) -> str:
    """The same value written as a new expression: ``answer + k((s + 1)^2 - s^2 - 2s - 1)`` with a
    symbol ``s`` of the answer's own (a question may allow only some symbols); sympy never expands
    the square by itself, so every k is a new tree for every cache."""
    s = next((name for name in ("p_i", "a_i", "x_i", "y_i", "w") if name in answer), None)
    if s is None:
        return answer
    if "\\" in answer:
        return f"\\left({answer}\\right) + {k}\\left(({s} + 1)^2 - {s}^2 - 2{s} - 1\\right)"
    return f"({answer}) + {k}*(({s} + 1)^2 - {s}^2 - 2*{s} - 1)"


def distinct_answers(students: int, seed: int = 13) -> list[dict[str, Any]]:
    """A class's answers (``class_answers``) with every readable expression answer to 1a-1e written
    anew for each student (the same value, a new expression): no two submissions share such an
    answer, so neither the verdict cache nor a worker's memo of parsed answers helps."""
    out = class_answers(students, seed)
    for i, answers in enumerate(out):
        for qid in SCALABLE:
            text = answers[qid]
            if "=" not in text and "boxed" not in text and text not in POOLS[qid][2] and not any(
                    text in h for h in HOSTILE.values()):
                answers[qid] = _made_distinct(text, i + 2)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--students", type=int, default=10)
    parser.add_argument("--seed", type=int, default=13)
    parser.add_argument("--distinct", action="store_true", help="every expression answer written anew")
    args = parser.parse_args()
    for answers in (distinct_answers if args.distinct else class_answers)(args.students, args.seed):
        print(json.dumps(answers))


if __name__ == "__main__":
    main()
