"""JSON Schemas for assignment files: one for the document, one per question type.

Validation runs in two passes so that messages stay precise: the document schema checks the
common fields of every question, then the schema of each question's own type checks the rest
(``oneOf`` over all types would only say "is not valid under any of the given schemas").
"""

from __future__ import annotations

from typing import Any, Iterator

from jsonschema import Draft202012Validator

EXPR = {"type": ["string", "number"], "description": "an expression, text or LaTeX"}
NAME = {"type": "string", "minLength": 1, "pattern": r"^\S+$"}

INTERVAL = {"type": "array", "items": {"type": "number"}, "minItems": 2, "maxItems": 2}
VALUE_SET = {
    "type": "object",
    "properties": {"values": {"type": "array", "items": {"type": "number"}, "minItems": 1}},
    "required": ["values"],
    "additionalProperties": False,
}
CONTEXT_PROPERTIES: dict[str, Any] = {
    "definitions": {
        "type": "object",
        "additionalProperties": {"oneOf": [EXPR, {"type": "null"}]},
        "description": "symbol -> expression it stands for (null removes an inherited one)",
    },
    "domain": {
        "type": "object",
        "additionalProperties": {"oneOf": [INTERVAL, VALUE_SET, {"type": "null"}]},
    },
    "allowed": {"type": "array", "items": NAME},
    "tolerance": {"type": "number", "exclusiveMinimum": 0, "exclusiveMaximum": 1, "description": "relative"},
}

DUE = {"type": "string", "minLength": 1,
       "description": "ISO 8601 date-time with a timezone (2026-12-01T23:59:00+01:00); the loader parses it"}
LATE = {"enum": ["accept", "refuse"], "description": "a submission after due: taken (default) or refused"}
DEADLINE_PROPERTIES: dict[str, Any] = {"due": DUE, "late": LATE}

DERIVATIVE = {
    "type": "object",
    "properties": {
        "function": EXPR,
        "wrt": NAME,
        "template": {"type": "string", "description": "expression in D, the derivative"},
    },
    "required": ["function", "wrt"],
    "additionalProperties": False,
}

COMMON_PROPERTIES: dict[str, Any] = {
    "id": {"type": "string", "pattern": r"^[0-9A-Za-z][0-9A-Za-z_.-]*$"},
    "type": {"type": "string"},
    "points": {"type": "number", "minimum": 0},
    "prompt": {"type": "string"},
    "attempts_allowed": {"type": "integer", "minimum": 1},
    **DEADLINE_PROPERTIES,
    "anticipated_errors": {
        "type": "array",
        "items": {
            "type": "object",
            "properties": {"answer": EXPR, "feedback": {"type": "string", "minLength": 1}},
            "required": ["answer", "feedback"],
            "additionalProperties": False,
        },
    },
    **CONTEXT_PROPERTIES,
}

DOCUMENT: dict[str, Any] = {
    "type": "object",
    "properties": {
        "id": {"type": "string", "pattern": r"^[0-9A-Za-z][0-9A-Za-z_.-]*$"},
        "title": {"type": "string", "minLength": 1},
        "course": {"type": "string"},
        "description": {"type": "string"},
        **DEADLINE_PROPERTIES,
        **CONTEXT_PROPERTIES,
        "questions": {
            "type": "array",
            "minItems": 1,
            "items": {
                "type": "object",
                "properties": {k: COMMON_PROPERTIES[k] for k in ("id", "type", "points", "prompt")},
                "required": ["id", "type", "points", "prompt"],
            },
        },
    },
    "required": ["id", "title", "questions"],
    "additionalProperties": False,
}

ROW = {
    "type": "object",
    "properties": {"name": NAME, "expr": EXPR, "value": EXPR},
    "required": ["name", "expr"],
    "additionalProperties": False,
}

# Properties each question type adds to the common ones, and which of them it requires.
TYPE_PROPERTIES: dict[str, tuple[dict[str, Any], list[str]]] = {
    "expression": (
        {"key": EXPR, "derivative_of": DERIVATIVE, "check_against": DERIVATIVE},
        [],
    ),
    "piecewise": (
        {
            "cases": {
                "type": "array",
                "minItems": 2,
                "items": {
                    "type": "object",
                    "properties": {"value": EXPR, "when": {"type": "string", "minLength": 1}},
                    "required": ["value", "when"],
                    "additionalProperties": False,
                },
            },
            "check_against": DERIVATIVE,
        },
        ["cases"],
    ),
    "number": ({"value": EXPR}, ["value"]),
    "limit": (
        {
            "value": EXPR,
            "limit_of": {
                "type": "object",
                "properties": {"expression": EXPR, "variable": NAME, "to": EXPR},
                "required": ["expression", "variable", "to"],
                "additionalProperties": False,
            },
        },
        ["value"],
    ),
    "ad_table": (
        {
            "function": EXPR,
            "inputs": {"type": "array", "items": NAME, "minItems": 1},
            "point": {"type": "object", "additionalProperties": {"type": "number"}},
            "part": {"enum": ["forward", "adjoint"]},
            "graph_from": {"type": "string"},
            "key": {
                "type": "object",
                "properties": {
                    "rows": {"type": "array", "items": ROW, "minItems": 1},
                    "adjoints": {"type": "object", "additionalProperties": EXPR},
                },
                "additionalProperties": False,
            },
        },
        ["function", "inputs", "point", "part"],
    ),
    "free_text": (
        {
            "rubric": {"oneOf": [{"type": "string"}, {"type": "array", "items": {"type": "string"}}]},
            "sample_answer": {"type": "string"},
        },
        [],
    ),
}


NUMBER = {"type": "number"}
PARAMETER = {
    "type": "object",
    "properties": {
        "choose": {"type": "array", "minItems": 1,
                   "items": {"oneOf": [{"type": ["number", "string"]},
                                       {"type": "object", "minProperties": 1,
                                        "additionalProperties": {"type": ["string", "number"]}}]}},
        "uniform": {**INTERVAL},
        "integer": {"type": "array", "items": {"type": "integer"}, "minItems": 2, "maxItems": 2},
        "expr": EXPR,
        "digits": {"type": "integer", "minimum": 0, "maximum": 12},
        "step": {"type": "number", "exclusiveMinimum": 0},
    },
    "additionalProperties": False,
}
PARAMETERS: dict[str, Any] = {
    "type": "object",
    "description": "name -> {choose|uniform|integer|expr}, and `where`: condition(s) a draw must meet",
    "properties": {"where": {"oneOf": [{"type": "string", "minLength": 1},
                                       {"type": "array", "items": {"type": "string", "minLength": 1},
                                        "minItems": 1}]}},
    "additionalProperties": PARAMETER,
}


def parameter_errors(data: Any) -> Iterator[tuple[list[Any], str]]:
    """(path, message) for the ``parameters`` sections of a raw document (assignment and questions)."""
    if not isinstance(data, dict):
        return
    if "parameters" in data:
        for path, msg in schema_errors(data["parameters"], PARAMETERS):
            yield ["parameters", *path], msg
    questions = data.get("questions")
    for i, q in enumerate(questions if isinstance(questions, list) else []):
        if isinstance(q, dict) and "parameters" in q:
            for path, msg in schema_errors(q["parameters"], PARAMETERS):
                yield ["questions", i, "parameters", *path], msg


def question_schema(type_name: str) -> dict[str, Any]:
    """The full schema of one question of the given (registered) type."""
    extra, required = TYPE_PROPERTIES[type_name]
    return {
        "type": "object",
        "properties": {**COMMON_PROPERTIES, **extra},
        "required": ["id", "type", "points", "prompt", *required],
        "additionalProperties": False,
    }


def schema_errors(instance: Any, schema: dict[str, Any]) -> Iterator[tuple[list[Any], str]]:
    """(path, message) for every violation, in a stable order."""
    validator = Draft202012Validator(schema)
    for err in sorted(validator.iter_errors(instance), key=lambda e: [str(p) for p in e.absolute_path]):
        yield list(err.absolute_path), _message(err)


def _message(err: Any) -> str:
    if err.validator == "additionalProperties":
        return err.message.replace("Additional properties are not allowed", "unknown field(s)")
    if err.validator == "required":
        return err.message.replace("is a required property", "is required")
    if err.validator == "oneOf" and err.path and err.path[-1] not in ("rubric",):
        return f"{err.instance!r} is not a valid value here"
    return err.message
