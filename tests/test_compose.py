"""docker-compose.yml parses, and every command it runs exists in this project."""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent


def _compose() -> dict[str, Any]:
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text(encoding="utf-8"))


def _own_services() -> dict[str, dict[str, Any]]:
    return {name: svc for name, svc in _compose()["services"].items() if "build" in svc}


def _commands(svc: dict[str, Any]) -> list[list[str]]:
    """The argv lists a service runs (``sh -c "a && b"`` is split into its commands)."""
    command = svc["command"]
    if command[:2] == ["sh", "-c"]:
        return [shlex.split(part) for part in command[2].split("&&")]
    return [command]


def _python(code: str) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, SECRET_KEY="test-compose", CELERY_BROKER_URL="redis://127.0.0.1:6379/15",
               DATABASE_URL="sqlite://")
    return subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True,
                          text=True, timeout=120)


def test_compose_has_the_services_the_deployment_needs() -> None:
    services = _compose()["services"]
    assert {"postgres", "redis", "migrate", "web", "worker", "beat"} <= set(services)
    assert "pgdata:/var/lib/postgresql/data" in services["postgres"]["volumes"]
    assert services["redis"]["command"][-2:] == ["--appendonly", "yes"]
    for name in ("postgres", "redis", "web", "worker"):
        assert "healthcheck" in services[name], name
    assert "ports" not in services["worker"]  # so `--scale worker=N` never clashes on a port
    assert (ROOT / "Dockerfile").exists()


def test_every_service_uses_the_same_environment() -> None:
    envs = [svc["environment"] for svc in _own_services().values()]
    assert all(env == envs[0] for env in envs)
    assert {"DATABASE_URL", "CELERY_BROKER_URL", "SECRET_KEY"} <= set(envs[0])
    sources = "".join(p.read_text(encoding="utf-8") for p in
                      [ROOT / "grader/config.py", ROOT / "grader/bootstrap.py"])
    for name in envs[0]:
        assert f'"{name}"' in sources, f"{name} is not read by the code"


def test_every_command_is_an_installed_program() -> None:
    for name, svc in _own_services().items():
        for argv in _commands(svc):
            exe = argv[0]
            assert (BIN / exe).exists() or shutil.which(exe), f"{name}: {exe} not installed"


def test_the_modules_the_commands_name_import() -> None:
    targets = []
    for svc in _own_services().values():
        for argv in _commands(svc):
            if argv[0] == "gunicorn":
                targets.append(argv[-1])
            if argv[0] == "celery":
                targets.append(argv[argv.index("-A") + 1] + ":app")
    assert "grader.bootstrap:build_app()" in targets and "worker.celery_app:app" in targets
    for target in targets:
        module, attr = target.split(":")
        attr = attr.removesuffix("()")
        proc = _python(f"import importlib; m = importlib.import_module({module!r}); "
                       f"assert callable(getattr(m, {attr!r})) or getattr(m, {attr!r})")
        assert proc.returncode == 0, f"{target}: {proc.stderr}"


def test_the_grader_sub_commands_exist() -> None:
    for svc in _own_services().values():
        for argv in _commands(svc):
            if argv[0] == "grader":
                proc = _python(f"from grader.cli import main; main({argv[1:] + ['--help']!r})")
                assert "usage:" in proc.stdout, f"{argv}: {proc.stderr}"


def test_alembic_finds_the_migrations() -> None:
    proc = subprocess.run([str(BIN / "alembic"), "heads"], cwd=ROOT, capture_output=True, text=True,
                          timeout=120, env=dict(os.environ, DATABASE_URL="sqlite://"))
    assert proc.returncode == 0 and "(head)" in proc.stdout, proc.stderr


def test_compose_requires_a_secret_key_and_has_no_default_one() -> None:
    env = _own_services()["web"]["environment"]
    assert env["SECRET_KEY"].startswith("${SECRET_KEY:?"), env["SECRET_KEY"]  # compose stops when unset
    assert "change-me" not in (ROOT / "docker-compose.yml").read_text(encoding="utf-8")
