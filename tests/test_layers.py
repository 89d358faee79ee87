"""The layering rule of DEVELOPERS.md, held by import-linter's contracts in .importlinter."""

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def test_import_contracts_hold() -> None:
    exe = Path(sys.executable).with_name("lint-imports")
    if not exe.exists():
        found = shutil.which("lint-imports")
        if found is None:
            pytest.fail("lint-imports (import-linter) is not installed")
        exe = Path(found)
    proc = subprocess.run([str(exe)], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_importing_the_engine_does_not_import_flask_or_sqlalchemy() -> None:
    code = (
        "import sys, grader.engine, grader.engine.check;"
        "bad = [m for m in ('flask', 'sqlalchemy', 'celery', 'redis') if m in sys.modules];"
        "print(','.join(bad))"
    )
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == ""


ENVIRONMENT_READERS = {"grader/bootstrap.py"}


def test_only_the_composition_root_reads_the_environment() -> None:
    pattern = re.compile(r"os\.environ|os\.getenv|getenv\(")
    readers = {str(path.relative_to(ROOT)) for folder in ("grader", "worker")
               for path in (ROOT / folder).rglob("*.py") if pattern.search(path.read_text(encoding="utf-8"))}
    assert readers == ENVIRONMENT_READERS
