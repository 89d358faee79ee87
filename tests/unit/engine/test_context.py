"""GradingContext: validation of the ``context`` object, names for the parser, substitution."""

from __future__ import annotations

import sympy as sp
import pytest

from grader.engine.context import Discrete, GradingContext, Interval
from grader.engine.errors import ContextError

SEED_DEFS = {"p_i": "1/(1+exp(-a_i))", "a_i": "w*x_i", "logistic(u)": "1/(1+exp(-u))"}


def R(name: str) -> sp.Symbol:
    return sp.Symbol(name, real=True)


def test_empty_context():
    assert GradingContext.from_json(None) == GradingContext()
    assert GradingContext.from_json({}).tolerance == 1e-6


def test_full_context_is_read():
    ctx = GradingContext.from_json({"definitions": SEED_DEFS, "allowed": ["p_i"], "tolerance": 1e-4,
                                    "domain": {"x_i": [-3, 3], "y_i": {"values": [0, 1]}}})
    assert ctx.allowed == frozenset({"p_i"})
    assert ctx.domain == {"x_i": Interval(-3.0, 3.0), "y_i": Discrete((0, 1))}
    assert ctx.tolerance == 1e-4
    assert set(ctx.symbol_definitions) == {"p_i", "a_i"}
    assert ctx.function_definitions["logistic"].params == ("u",)


@pytest.mark.parametrize("bad,fragment", [
    ([], "must be a JSON object"),
    ({"definitions": ["p_i"]}, "definitions must be an object"),
    ({"definitions": {"2x": "1"}}, "is not a symbol name"),
    ({"definitions": {"f(u, u)": "u"}}, "repeated parameter"),
    ({"definitions": {"f(1)": "u"}}, "bad parameter list"),
    ({"definitions": {"p_i": ""}}, "is empty"),
    ({"definitions": {"p_i": None}}, "must be an expression"),
    ({"allowed": "p_i"}, "allowed must be a list"),
    ({"domain": {"x": [3, -3]}}, "need lo < hi"),
    ({"domain": {"x": [0, float("inf")]}}, "finite number"),
    ({"domain": {"x": [0, "1"]}}, "finite number"),
    ({"domain": {"x": {"values": []}}}, "non-empty list"),
    ({"domain": {"x": {"values": [True]}}}, "finite number"),
    ({"domain": {"x": 3}}, "must be [lo, hi]"),
    ({"domain": ["x"]}, "context.domain must be an object"),
    ({"tolerance": 0}, "between 0 and 1"),
    ({"tolerance": "1e-6"}, "finite number"),
])
def test_bad_contexts_raise_a_clear_error(bad, fragment):
    with pytest.raises(ContextError) as err:
        GradingContext.from_json(bad)
    assert fragment in str(err.value)


def test_fingerprint_is_stable_and_hashable():
    a = GradingContext.from_json({"definitions": SEED_DEFS, "domain": {"x_i": [-3, 3]}})
    b = GradingContext.from_json({"domain": {"x_i": [-3, 3]}, "definitions": dict(reversed(SEED_DEFS.items()))})
    assert a.fingerprint() == b.fingerprint() and hash(a) == hash(b) and a == b


def test_context_pickles():
    import pickle

    ctx = GradingContext.from_json({"definitions": SEED_DEFS, "allowed": ["p_i"], "domain": {"y": {"values": [0, 1]}}})
    assert pickle.loads(pickle.dumps(ctx)) == ctx


def test_names_for_the_parser():
    ctx = GradingContext.from_json({"definitions": SEED_DEFS, "domain": {"w": [-2, 2]}, "allowed": ["q"]})
    names = ctx.names
    assert {"p_i", "a_i", "w", "q"} <= set(names.symbols)
    assert dict(names.functions) == {"logistic": 1}


def test_definitions_are_substituted_recursively():
    ctx = GradingContext.from_json({"definitions": SEED_DEFS})
    w, x = R("w"), R("x_i")
    assert ctx.substitute(R("p_i")) == 1 / (1 + sp.exp(-w * x))
    logistic = sp.Function("logistic")
    assert ctx.substitute(logistic(2 * R("a_i"))) == 1 / (1 + sp.exp(-2 * w * x))


def test_function_definitions_may_use_other_definitions():
    ctx = GradingContext.from_json({"definitions": {"f(t)": "g(t)^2", "g(t)": "t + c", "c": "3"}})
    f = sp.Function("f")
    assert ctx.substitute(f(R("z"))) == (R("z") + 3) ** 2


@pytest.mark.parametrize("defs,fragment", [
    ({"a": "b + 1", "b": "a"}, "circular"),
    ({"a": "a + 1"}, "circular"),
    ({"f(u)": "f(u) + 1"}, "circular"),
    ({"p": "2p -*"}, "cannot be read"),
])
def test_bad_definitions_raise_context_error(defs, fragment):
    ctx = GradingContext.from_json({"definitions": defs})
    with pytest.raises(ContextError) as err:
        ctx.substitute(R("p"))
    assert fragment in str(err.value)


def test_abbreviate_writes_definitions_by_name():
    ctx = GradingContext.from_json({"definitions": SEED_DEFS})
    full = ctx.substitute(R("p_i") * R("x_i"))
    assert ctx.abbreviate(full) == R("p_i") * R("x_i")


@pytest.mark.parametrize("written,name", [("x_{i}", "x_i"), ("x_i", "x_i"), ("\\alpha", "alpha"),
                                          ("v_-2", "v_{-2}"), ("w_{12}", "w_12")])
def test_names_are_spelled_as_the_parser_spells_symbols(written, name):
    ctx = GradingContext.from_json({"domain": {written: [0, 1]}, "allowed": [written],
                                    "definitions": {written: "1"}})
    assert name in ctx.domain and ctx.allowed == {name} and name in ctx.definitions
