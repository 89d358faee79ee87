"""Shared fixtures: the real assignment, the seed submission, a tiny assignment builder."""

from __future__ import annotations

import json
import textwrap
from pathlib import Path
from typing import Any

import pytest

from grader.assignments.loader import load_assignment, load_text
from grader.assignments.model import AssignmentSpec as Assignment

ROOT = Path(__file__).resolve().parents[3]
ASSIGNMENTS = ROOT / "assignments"
FIXTURES = ROOT / "tests" / "fixtures"


@pytest.fixture(scope="session")
def assignment4() -> Assignment:
    return load_assignment(ASSIGNMENTS / "assignment-4.yaml")


@pytest.fixture(scope="session")
def seed_answers() -> dict[str, Any]:
    return json.loads((FIXTURES / "seed-submission.json").read_text(encoding="utf-8"))["answers"]


def make(questions_yaml: str, header: str = "") -> Assignment:
    """An assignment from the YAML of its questions (and optional top-level fields)."""
    text = "id: t\ntitle: T\n" + textwrap.dedent(header) + "questions:\n" + textwrap.indent(
        textwrap.dedent(questions_yaml), "  ")
    return load_text(text, source="t.yaml")
