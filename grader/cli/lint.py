"""``grader lint PATH...``: validate assignment files and check every key (exit 1 on any problem)."""

from __future__ import annotations

import argparse
import sys


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("paths", nargs="+", metavar="PATH", help="assignment files or directories of them")
    parser.add_argument("--seed", type=int, default=0, help="seed of the random points (default 0)")
    parser.add_argument("--variants", type=int, default=None, metavar="N",
                        help="variants of each parameterised question to check: all of them when there "
                             "are at most N, else N drawn (default 50)")


def run(args: argparse.Namespace) -> int:
    from grader.assignments.lint import lint_paths

    files, problems = lint_paths(args.paths, seed=args.seed, variants=args.variants)
    for p in problems:
        print(p)
    if not files:
        print("grader lint: no assignment files (*.yaml, *.yml) found", file=sys.stderr)
        return 2
    status = "clean" if not problems else f"{len(problems)} problem(s)"
    print(f"{len(files)} file(s) checked: {status}", file=sys.stderr)
    return 1 if problems else 0
