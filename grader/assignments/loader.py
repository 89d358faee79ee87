"""Reading assignment files: YAML -> schema checks -> semantic checks -> ``AssignmentSpec``.

The only module of the package that touches the file system.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Callable, Mapping

import yaml

from grader.assignments import schema
from grader.assignments.due import DueError, due_of, late_policy, parse_due
from grader.assignments.errors import AssignmentError, Problem
from grader.assignments.model import (
    QUESTION_TYPES,
    AnticipatedError,
    AssignmentSpec,
    ContextSpec,
    Question,
)
from grader.assignments.variants.spec import has_parameters
from grader.engine.context import Discrete, Interval

SUFFIXES = (".yaml", ".yml")


class _StrictLoader(yaml.SafeLoader):
    """SafeLoader that refuses duplicate keys (a silently lost ``key:`` is a wrong answer key)."""


def _mapping(loader: _StrictLoader, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
    seen: set[Any] = set()
    for key_node, _ in node.value:
        key = loader.construct_object(key_node, deep=deep)
        if key in seen:
            raise yaml.constructor.ConstructorError(
                None, None, f"duplicate key {key!r}", key_node.start_mark
            )
        seen.add(key)
    return loader.construct_mapping(node, deep=deep)


_StrictLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _mapping)
# An unquoted ``due: 2026-12-01T23:59:00Z`` stays text (YAML would make it a datetime, which the
# schema refuses and a JSON column cannot store); ``due.parse_due`` reads it.
_StrictLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def read_yaml(text: str) -> Any:
    """The document of YAML ``text``: duplicate keys refused, date-times kept as text (raises
    ``yaml.YAMLError``). The catalog stores exactly this."""
    return yaml.load(text, Loader=_StrictLoader)  # noqa: S506 - a SafeLoader subclass


def assignment_files(paths: list[str | Path]) -> list[Path]:
    """Files named, plus every ``*.yaml``/``*.yml`` under directories named (sorted)."""
    out: list[Path] = []
    for p in map(Path, paths):
        if p.is_dir():
            out.extend(sorted(f for f in p.rglob("*") if f.suffix in SUFFIXES and f.is_file()))
        else:
            out.append(p)
    return out


def load_assignment(path: str | Path, *, compile_keys: bool = True) -> AssignmentSpec:
    """Read, validate and build one assignment; raises ``AssignmentError`` listing every problem.

    With ``compile_keys`` every key, definition and anticipated error is parsed as well, so a
    key that does not parse is reported here with its column.
    """
    name = str(path)
    try:
        text = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise AssignmentError(Problem(name, None, None, f"cannot read: {exc}")) from None
    return load_text(text, source=name, compile_keys=compile_keys)


def load_text(text: str, *, source: str = "<memory>", compile_keys: bool = True) -> AssignmentSpec:
    """Same as ``load_assignment`` on YAML text already read."""
    try:
        data = read_yaml(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1} column {mark.column + 1}: " if mark else ""
        problem = getattr(exc, "problem", None) or str(exc)
        raise AssignmentError(Problem(source, None, None, f"YAML: {where}{problem}")) from None
    if has_parameters(data):
        assignment = load_parameterised(data, source)
    else:
        problems = validate(data, source)
        if problems:
            raise AssignmentError(problems)
        assignment = build(data, source)
    if compile_keys:
        from grader.assignments.keys import compile_problems

        problems = compile_problems(assignment)
        if problems:
            raise AssignmentError(problems)
    return assignment


def load_parameterised(data: Any, source: str) -> AssignmentSpec:
    """A file with ``parameters``: its sections checked, then built at its reference variant."""
    from grader.assignments.variants.instantiate import build_variant
    from grader.assignments.variants.parameters import ParameterError
    from grader.assignments.variants.spec import reference_variant, spec_of

    problems = [_located(source, data, path, msg) for path, msg in schema.parameter_errors(data)]
    if problems:
        raise AssignmentError(problems)
    try:
        spec = spec_of(data)
        variant = reference_variant(spec)
    except ParameterError as exc:
        raise AssignmentError(Problem(source, getattr(exc, "question", None), exc.field, exc.message)) from None
    return build_variant(spec, variant, source)


def validate(data: Any, source: str) -> list[Problem]:
    """Schema problems of the document and of each question, then the semantic ones."""
    problems = [_located(source, data, path, msg) for path, msg in schema.schema_errors(data, schema.DOCUMENT)]
    if problems:
        return problems
    for i, q in enumerate(data["questions"]):
        if q["type"] not in QUESTION_TYPES:
            known = ", ".join(sorted(QUESTION_TYPES))
            problems.append(Problem(source, q["id"], "type", f"unknown type {q['type']!r} (known: {known})"))
            continue
        for path, msg in schema.schema_errors(q, schema.question_schema(q["type"])):
            problems.append(_located(source, data, ["questions", i, *path], msg))
    return problems or _semantic(data, source)


def _located(source: str, data: Any, path: list[Any], message: str) -> Problem:
    """A Problem naming the question (by id when it has one) and the field path inside it."""
    if len(path) >= 2 and path[0] == "questions" and isinstance(path[1], int):
        q = data["questions"][path[1]]
        qid = q.get("id") if isinstance(q, dict) and isinstance(q.get("id"), str) else f"#{path[1] + 1}"
        return Problem(source, qid, _dotted(path[2:]) or None, message)
    return Problem(source, None, _dotted(path) or None, message)


def _dotted(path: list[Any]) -> str:
    out = ""
    for p in path:
        out += f"[{p}]" if isinstance(p, int) else (f".{p}" if out else str(p))
    return out


def _semantic(data: Mapping[str, Any], source: str) -> list[Problem]:
    """What a schema cannot say: unique ids, one key form, sensible domains, table references."""
    problems: list[Problem] = []
    seen: dict[str, int] = {}
    for i, q in enumerate(data["questions"]):
        qid = q["id"]
        if qid in seen:
            problems.append(Problem(source, qid, "id", f"duplicate id (also question #{seen[qid] + 1})"))
        seen.setdefault(qid, i)
        add = lambda field, msg, qid=qid: problems.append(Problem(source, qid, field, msg))  # noqa: E731
        if q["type"] == "expression":
            if ("key" in q) == ("derivative_of" in q):
                add("key", "give exactly one of key and derivative_of")
            if "derivative_of" in q and "check_against" in q:
                add("check_against", "a computed key (derivative_of) needs no check_against")
        if q["type"] == "ad_table":
            missing = [v for v in q["inputs"] if v not in q["point"]]
            if missing:
                add("point", f"no value for input(s) {', '.join(missing)}")
            if q["part"] == "adjoint" and q.get("graph_from") is not None:
                ref = q["graph_from"]
                target = next((o for o in data["questions"] if o["id"] == ref), None)
                if target is None or target["type"] != "ad_table" or target.get("part") != "forward":
                    add("graph_from", f"{ref!r} is not a forward ad_table question of this assignment")
        if "due" in q:
            _check_due(q["due"], add)
        for scope, where in ((q, f"questions[{i}]"), (data, None)):
            for sym, dom in (scope.get("domain") or {}).items():
                if isinstance(dom, list) and not dom[0] < dom[1]:
                    problems.append(Problem(source, qid if where else None, f"domain.{sym}", f"empty interval {dom}"))
    if "due" in data:
        _check_due(data["due"], lambda field, msg: problems.append(Problem(source, None, field, msg)))
    return problems


def _check_due(raw: Any, add: Callable[[str, str], None]) -> None:
    try:
        parse_due(raw)
    except DueError as exc:
        add("due", str(exc))


def _context(defaults: Mapping[str, Any], q: Mapping[str, Any]) -> ContextSpec:
    """Assignment-level definitions/domain merged under the question's own (null removes one)."""
    definitions = {**(defaults.get("definitions") or {}), **(q.get("definitions") or {})}
    domain = {**(defaults.get("domain") or {}), **(q.get("domain") or {})}
    allowed = q.get("allowed", defaults.get("allowed"))
    tolerance = q.get("tolerance", defaults.get("tolerance"))
    doms = {
        k: Interval(float(v[0]), float(v[1])) if isinstance(v, list) else Discrete(tuple(map(float, v["values"])))
        for k, v in domain.items()
        if v is not None
    }
    return ContextSpec(
        definitions=tuple(sorted((k, str(v)) for k, v in definitions.items() if v is not None)),
        domain=tuple(sorted(doms.items())),
        allowed=None if allowed is None else tuple(allowed),
        tolerance=None if tolerance is None else float(tolerance),
    )


def build(data: Mapping[str, Any], source: str) -> AssignmentSpec:
    """The ``AssignmentSpec`` of a validated document."""
    questions: list[Question] = []
    for q in data["questions"]:
        cls = QUESTION_TYPES[q["type"]]
        questions.append(
            cls(
                id=q["id"],
                points=float(q["points"]),
                prompt=q["prompt"],
                context=_context(data, q),
                anticipated_errors=tuple(
                    AnticipatedError(str(a["answer"]), a["feedback"]) for a in q.get("anticipated_errors", ())
                ),
                attempts_allowed=q.get("attempts_allowed"),
                due=due_of(data, q),
                late=late_policy(data, q),
                **cls.specific(q),
            )
        )
    return AssignmentSpec(
        id=data["id"],
        title=data["title"],
        questions=tuple(questions),
        course=data.get("course"),
        description=data.get("description"),
        due=None if data.get("due") is None else parse_due(data["due"]),
        late=str(data.get("late", "accept")),
        source=source,
    )
