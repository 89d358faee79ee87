"""The parameters of a whole assignment file, one student's values, and how values are drawn.

``VariantSpec`` holds the file as written (placeholders and all) with its parameter sets: the
assignment's own (``shared``, seen by every question) and each question's. A ``Variant`` is one
draw of all of them; ``draw_variant`` makes it a pure function of the seed parts (course seed,
assignment, student) and of each scope's spec, through sha256 (``seed_of``).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any, Iterator, Mapping

import numpy as np

from grader.assignments.variants.parameters import (
    MAX_ENUMERATE,
    MAX_REDRAWS,
    ParameterError,
    ParameterSet,
    Value,
    draw,
    parse_parameters,
    seed_of,
)

Pairs = tuple[tuple[str, Value], ...]


@dataclass(frozen=True)
class VariantSpec:
    """A parameterised assignment file: its raw text as JSON, and its parameter sets."""

    raw: str
    shared: ParameterSet
    questions: tuple[tuple[str, ParameterSet], ...]

    def scope(self, question_id: str) -> ParameterSet:
        return dict(self.questions).get(question_id, ParameterSet())

    @property
    def data(self) -> dict[str, Any]:
        return json.loads(self.raw)


@dataclass(frozen=True)
class Variant:
    """One student's values: the shared ones, then each question's own."""

    shared: Pairs = ()
    questions: tuple[tuple[str, Pairs], ...] = ()

    def values_for(self, question_id: str | None) -> dict[str, Value]:
        """The values a question sees (its own over the shared ones); the shared ones for None."""
        own = dict(self.questions).get(question_id, ()) if question_id is not None else ()
        return {**dict(self.shared), **dict(own)}

    def to_json(self) -> dict[str, Any]:
        """``{"parameters": {...}, "questions": {qid: {...}}}`` with choice objects as objects."""
        return {"parameters": {k: plain(v) for k, v in self.shared},
                "questions": {q: {k: plain(v) for k, v in vals} for q, vals in self.questions}}

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> "Variant":
        """The inverse of ``to_json`` (what an override stores)."""
        shared = tuple((str(k), frozen(v)) for k, v in (data.get("parameters") or {}).items())
        questions = tuple((str(q), tuple((str(k), frozen(v)) for k, v in vals.items()))
                          for q, vals in (data.get("questions") or {}).items() if vals)
        return cls(shared, questions)

    def label(self, question_id: str | None = None) -> str:
        """``x0=0.3, w0=0.5`` (a question's view, or everything)."""
        values = self.values_for(question_id) if question_id is not None else {
            **dict(self.shared), **{f"{q}.{k}": v for q, vals in self.questions for k, v in vals}}
        return ", ".join(f"{k}={_short(v)}" for k, v in values.items())


def in_spec_order(spec: VariantSpec, variant: Variant) -> Variant:
    """``variant`` with its values in the file's order (JSON storage may sort them by name)."""
    def order(pairs: Pairs, names: tuple[str, ...]) -> Pairs:
        d = dict(pairs)
        return tuple((n, d[n]) for n in names if n in d) + tuple((k, v) for k, v in pairs if k not in names)

    own = dict(variant.questions)
    return Variant(order(variant.shared, spec.shared.names),
                   tuple((qid, order(own[qid], params.names)) for qid, params in spec.questions if qid in own))


def plain(v: Value) -> Any:
    return dict(v) if isinstance(v, tuple) else v


def frozen(v: Any) -> Value:
    return tuple(sorted((str(k), str(x)) for k, x in v.items())) if isinstance(v, Mapping) else v


def _short(v: Value) -> str:
    if isinstance(v, tuple):
        d = dict(v)
        return str(d.get("name") or next(iter(d.values()), ""))
    return f"{v:.12g}" if isinstance(v, float) else str(v)


def has_parameters(data: Any) -> bool:
    """Does a raw assignment document declare parameters anywhere?"""
    if not isinstance(data, Mapping):
        return False
    qs = data.get("questions")
    return "parameters" in data or (isinstance(qs, list) and any(isinstance(q, Mapping) and "parameters" in q
                                                                 for q in qs))


def spec_of(data: Mapping[str, Any]) -> VariantSpec:
    """The ``VariantSpec`` of a raw document. Raises ``ParameterError`` with ``question`` set
    (None for the assignment's own section)."""
    try:
        shared = parse_parameters(data.get("parameters"))
    except ParameterError as exc:
        exc.question = None  # type: ignore[attr-defined]
        raise
    questions = []
    for q in data.get("questions") or ():
        if isinstance(q, Mapping) and "parameters" in q:
            try:
                questions.append((str(q.get("id")), parse_parameters(q["parameters"], known=shared.names)))
            except ParameterError as exc:
                exc.question = str(q.get("id"))  # type: ignore[attr-defined]
                raise
    return VariantSpec(json.dumps(data, default=str), shared, tuple(questions))


def draw_variant(spec: VariantSpec, *seed_parts: object, max_redraws: int = MAX_REDRAWS) -> Variant:
    """The variant of ``seed_parts`` (e.g. course seed, assignment key, student id): each scope
    drawn from its own sha256-seeded Generator, so editing one question's parameters redraws
    only that question."""
    shared = draw(spec.shared, np.random.default_rng(seed_of(*seed_parts, "", spec.shared.fingerprint())),
                  max_redraws=max_redraws)
    questions = []
    for qid, params in spec.questions:
        rng = np.random.default_rng(seed_of(*seed_parts, qid, spec.shared.fingerprint(), params.fingerprint()))
        try:
            own = draw(params, rng, base=shared, max_redraws=max_redraws)
        except ParameterError as exc:
            exc.question = qid  # type: ignore[attr-defined]
            raise
        questions.append((qid, tuple(own.items())))
    return Variant(tuple(shared.items()), tuple(questions))


def reference_variant(spec: VariantSpec) -> Variant:
    """The variant the file itself stands for (lint, the CLI and the instructor's default view)."""
    return draw_variant(spec, "reference")


def question_variants(spec: VariantSpec, question_id: str, used: set[str], *, limit: int,
                      seed: int = 0, cap: int = MAX_ENUMERATE) -> tuple[list[Variant], bool]:
    """Variants to check one question with, and whether they are all of them. Variants that give
    the question the same values of the names it ``used`` count once; every one is checked when
    the draws are finite (at most ``cap`` before ``where``) and at most ``limit`` are distinct,
    else ``limit`` of them (seeded)."""
    from grader.assignments.variants.parameters import enumerate_all

    own = spec.scope(question_id)
    sizes = [spec.shared.size(), own.size()]
    distinct: dict[tuple, Variant] = {}

    def add(shared: Mapping[str, Value], mine: Mapping[str, Value]) -> None:
        key = (tuple((k, v) for k, v in shared.items() if k in used), tuple(mine.items()))
        distinct.setdefault(key, Variant(tuple(shared.items()),
                                         ((question_id, tuple(mine.items())),) if own.parameters else ()))

    if None not in sizes and sizes[0] * sizes[1] <= cap:
        for s in enumerate_all(spec.shared):
            for o in enumerate_all(own, s):
                add(s, o)
        found = list(distinct.values())
        if len(found) <= limit:
            return found, True
        picked = np.random.default_rng(seed).choice(len(found), size=limit, replace=False)
        return [found[i] for i in sorted(picked)], False
    for i in range(limit):
        v = draw_variant(spec, "lint", seed, i)
        add(dict(v.shared), dict(dict(v.questions).get(question_id, ())))
    return list(distinct.values()), False


def iter_scopes(spec: VariantSpec) -> Iterator[tuple[str | None, ParameterSet]]:
    yield None, spec.shared
    yield from spec.questions
