"""The ``grader`` command line: one module per sub-command, imported only when used.

Each module in ``COMMANDS`` exposes ``add_arguments(parser)`` and ``run(args) -> int``, so that
``grader check`` never imports Flask and ``grader serve`` never pays for what it does not use.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from typing import Sequence

# sub-command -> (module, one-line help)
COMMANDS: dict[str, tuple[str, str]] = {
    "check": ("grader.cli.check", "grade JSON Lines of answers against expected expressions (stdin -> stdout)"),
    "trace": ("grader.cli.trace", "print the forward primal and reverse adjoint trace of an expression"),
    "lint": ("grader.cli.lint", "validate assignment files and check every key"),
    "grade": ("grader.cli.grade", "grade a whole submission against an assignment"),
    "extract": ("grader.cli.extract", "find the answers in a written document (Markdown, LaTeX, text)"),
    "admin": ("grader.cli.admin", "administration: users, tokens, assignments"),
    "serve": ("grader.cli.serve", "run the service (embedded default: SQLite, in-process broker)"),
}


def build_parser() -> argparse.ArgumentParser:
    """The top-level parser; sub-command modules add their own arguments lazily."""
    parser = argparse.ArgumentParser(prog="grader", description="Auto-grading for derivative assignments.")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    sub.required = True
    for name, (_module, help_text) in COMMANDS.items():
        sub.add_parser(name, help=help_text, add_help=False)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Dispatch to a sub-command module and return its exit status."""
    argv = list(sys.argv[1:] if argv is None else argv)
    if not argv or argv[0] not in COMMANDS:
        build_parser().parse_args(argv)  # prints usage and exits 2
        return 2
    name, rest = argv[0], argv[1:]
    module = importlib.import_module(COMMANDS[name][0])
    parser = argparse.ArgumentParser(prog=f"grader {name}", description=COMMANDS[name][1])
    module.add_arguments(parser)
    args = parser.parse_args(rest)
    return int(module.run(args) or 0)
