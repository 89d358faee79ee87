"""``grader check``: JSON Lines of answers on stdin, one JSON verdict line per input line on stdout.

Exactly one output line per input line, in order, flushed at once; a bad line (not JSON, missing
fields, bad context, anything unexpected) yields ``{"verdict": "invalid", ...}`` echoing the id
when there is one. Nothing else reaches stdout: ``sys.stdout`` and file descriptor 1 point at
stderr and the results go through a private duplicate of the real stdout, so a stray print (ours
or a library's, even from C) cannot corrupt the stream. The engine is imported only when the first
line arrives, so start-up stays lean.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import sys
from typing import IO, Any


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """No required arguments; a seed and a time limit for experiments."""
    parser.add_argument("--seed", type=int, default=0, help="seed of the random sample points (default 0)")
    parser.add_argument("--time-limit", type=float, default=None,
                        help="seconds per answer (default: GRADER_LIMIT_ANSWER_TIME_S or 2)")
    parser.add_argument("--no-cache", action="store_true", help="do not reuse verdicts of repeated answers")


def _invalid(id_: Any, message: str) -> dict[str, Any]:
    out: dict[str, Any] = {} if id_ is None else {"id": id_}
    out.update(verdict="invalid", feedback=message, method="parse")
    return out


class Overtime(BaseException):
    """Raised by the backstop alarm; a BaseException so no ``except Exception`` swallows it."""


def _alarm(_signum: int, _frame: Any) -> None:
    raise Overtime()


def _backstop(seconds: float | None) -> None:
    """Arm (or with None, disarm) the per-line hard limit: a safety net behind the engine's own
    cooperative deadline, for a sympy call that would run far past it."""
    import signal

    if not hasattr(signal, "setitimer"):
        return
    if seconds is None:
        signal.setitimer(signal.ITIMER_REAL, 0)
    else:
        signal.signal(signal.SIGALRM, _alarm)
        signal.setitimer(signal.ITIMER_REAL, seconds)


def handle_line(raw: str, *, seed: int = 0, limits: Any = None, cache: Any = "default") -> dict[str, Any]:
    """One input line -> one output object. Never raises (except KeyboardInterrupt/SystemExit)."""
    id_ = None
    try:
        try:
            obj = json.loads(raw)
        except ValueError as exc:
            return _invalid(None, f"input line is not JSON: {exc}")
        if not isinstance(obj, dict):
            return _invalid(None, "input line must be a JSON object")
        id_ = obj.get("id")
        from grader.engine.result_cache import DEFAULT_CACHE
        from grader.engine.check import check_json
        from grader.engine.errors import ContextError
        from grader.engine.limits import DEFAULT_LIMITS

        try:
            result = check_json(obj, limits=limits or DEFAULT_LIMITS, seed=seed,
                                cache=DEFAULT_CACHE if cache == "default" else cache)
        except ContextError as exc:
            return _invalid(id_, f"bad context: {exc}")
        except ValueError as exc:
            return _invalid(id_, str(exc))
        return result.to_json(id_) if id_ is not None else result.to_json()
    except Overtime:
        return _invalid(id_, "this answer took too long to check")
    except (RecursionError, MemoryError):
        return _invalid(id_, "the input is too large or too deeply nested")
    except Exception as exc:  # noqa: BLE001 - the contract: never a crash, always a line
        return _invalid(id_, f"internal error while checking this answer: {type(exc).__name__}: {exc}")


def _write(out: IO[str], obj: dict[str, Any]) -> None:
    try:
        text = json.dumps(obj, ensure_ascii=True, allow_nan=False, default=str)
    except (TypeError, ValueError):
        text = json.dumps(_invalid(None, "could not encode the result"))
    out.write(text + "\n")
    out.flush()


def _limits(args: argparse.Namespace) -> Any:
    from dataclasses import replace

    from grader.bootstrap import limits_from_environment

    limits = limits_from_environment()
    if args.time_limit is not None:
        limits = replace(limits, answer_time_s=args.time_limit)
    return limits


def run(args: argparse.Namespace) -> int:
    """Read stdin to its end, answering line by line; exit status 0."""
    import logging
    import warnings

    logging.basicConfig(stream=sys.stderr, level=logging.WARNING)
    warnings.simplefilter("ignore")
    limits = _limits(args)
    cache = None if args.no_cache else "default"
    sys.stdout.flush()
    # our own handle on the real stdout; fd 1 and sys.stdout now lead to stderr, so nothing an
    # answer makes a library print (even from C) can reach the output stream
    saved_fd, saved_stdout = os.dup(1), sys.stdout
    out = os.fdopen(os.dup(1), "w", encoding="utf-8", errors="replace")
    os.dup2(2, 1)
    sys.stdout = sys.stderr
    hard = 3 * limits.answer_time_s + 2.0
    frozen = False
    try:
        while True:
            raw = sys.stdin.buffer.readline()  # bytes: a line that is not UTF-8 is one bad line
            if not raw:
                break
            line = raw.decode("utf-8", errors="replace").rstrip("\r\n")
            if not line.strip():
                _write(out, _invalid(None, "empty input line"))
                continue
            try:
                _backstop(hard)
                obj = handle_line(line, seed=args.seed, limits=limits, cache=cache)
            except Overtime:  # fired between handle_line's own handlers and here
                obj = _invalid(None, "this answer took too long to check")
            finally:
                _backstop(None)
            _write(out, obj)
            if not frozen and "grader.engine.check" in sys.modules:
                # the engine and sympy, imported by the first answer, live as long as the process:
                # moved out of the collector's reach, a full collection (tens of ms over their
                # objects) no longer lands on some later answer
                gc.freeze()
                frozen = True
    finally:
        out.close()
        os.dup2(saved_fd, 1)
        os.close(saved_fd)
        sys.stdout = saved_stdout
    return 0
