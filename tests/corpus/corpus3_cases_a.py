"""Corpus 3, issue 9 classes 1-4: magnitudes, undefined parts, sampling, no domain.

Each ``add`` holds the key text, the answer text and, written by hand, the key and the answer as
mpmath functions (corpus3_truth); the verdict comes from evaluating those, never from the engine.
"""

from __future__ import annotations

from corpus3_truth import (E, PI, Max, Min, acos, asin, atan, cos, exp, ln, logistic, mp,
                           mpf, pw, rat, sign, sin, sqrt, tan, tanh)

X3 = {"domain": {"x": [-3, 3]}}
XP = {"domain": {"x": [0.1, 3]}}
LOGI = {"definitions": {"p_i": "1/(1+exp(-a_i))", "a_i": "w*x_i", "logistic(u)": "1/(1+exp(-u))"},
        "domain": {"x_i": [-3, 3], "w": [-2, 2], "y_i": {"values": [0, 1]}}}
HINGE = {"definitions": {"a_i": "w*x_i"},
         "domain": {"x_i": [-3, 3], "w": [-2, 2], "y_i": {"values": [-1, 1]}}}


def dom(**spec):
    return {"domain": spec}


def magnitude(add):
    g = "c1-magnitude"
    e34 = exp(exp(rat(3, 4)))
    add(g, "exp(exp(3/4))", "exp(exp(3/4))", lambda: e34, lambda: e34, note="exp of exp of 3/4 is about 8.31")
    add(g, "exp(exp(3/4))", r"e^{e^{3/4}}", lambda: e34, lambda: e34, note="LaTeX e^ of e^, about 8.31")
    add(g, "exp(exp(3/4))", mp.nstr(e34, 12), lambda: e34, lambda: mpf(mp.nstr(e34, 12)),
        note="12 significant digits of the value")
    add(g, "exp(exp(3/4))", "8.31", lambda: e34, lambda: mpf("8.31"), note="3 digits: relative error 4.6e-4")
    add(g, "exp(exp(3/4))", r"e^{e^{0.75}}", lambda: e34, lambda: exp(exp(mpf("0.75"))), note="0.75 is 3/4")
    add(g, "exp(exp(3/4))", "exp(exp(0.76))", lambda: e34, lambda: exp(exp(mpf("0.76"))),
        note="0.76 is not 3/4")
    add(g, "exp(exp(3/4))**2", r"e^{2e^{3/4}}", lambda: e34 ** 2, lambda: exp(2 * exp(rat(3, 4))),
        note="(e^u)^2 = e^{2u}")
    k = exp(exp(1 + E))
    add(g, "exp(exp(1+E))", r"e^{e^{1+e}}", lambda: k, lambda: k, note="about 7.7e17, far below 10^10000")
    add(g, "exp(exp(1+E))", mp.nstr(k, 12), lambda: k, lambda: mpf(mp.nstr(k, 12)), note="12 significant digits")
    add(g, "exp(exp(1+E))", "exp(exp(E))", lambda: k, lambda: exp(exp(E)), note="dropped the 1")
    add(g, "exp(exp(1+E))", r"\frac{e^{e^{1+e}}}{2}", lambda: k, lambda: k / 2, note="half the value")
    k2 = exp(exp(E + PI))
    add(g, "exp(exp(E+pi))", r"e^{e^{\pi+e}}", lambda: k2, lambda: k2, note="about 1e152")
    add(g, "exp(exp(E+pi))", "exp(exp(pi) + exp(E))", lambda: k2, lambda: exp(exp(PI) + exp(E)),
        note="e^{a+b} is not e^a + e^b inside")
    k3 = exp(exp(exp(rat(1, 2))))
    add(g, "exp(exp(exp(1/2)))", r"e^{e^{\sqrt{e}}}", lambda: k3, lambda: k3, note="about 181")
    add(g, "exp(exp(exp(1/2)))", r"e^{e^{e/2}}", lambda: k3, lambda: exp(exp(E / 2)), note="e/2 is not sqrt(e)")
    k4 = (1 + E) * (2 + PI) * exp(E)
    add(g, "(1+E)*(2+pi)*exp(exp(1))", r"(2 + \pi + 2e + e\pi) e^{e}", lambda: k4,
        lambda: (2 + PI + 2 * E + E * PI) * exp(E), note="product expanded, about 290")
    add(g, "exp(E**2)", r"e^{e \cdot e}", lambda: exp(E ** 2), lambda: exp(E * E), note="about 1618")
    add(g, "exp((1+E)**2)", r"e^{1+2e+e^2}", lambda: exp((1 + E) ** 2), lambda: exp(1 + 2 * E + E ** 2),
        note="square expanded in the exponent")
    add(g, "log(exp(exp(3/4)))", r"e^{0.75}", lambda: exp(rat(3, 4)), lambda: exp(mpf("0.75")),
        note="log of exp is the identity")
    k5 = exp(exp(exp(exp(mpf(-1)))))
    add(g, "exp(exp(exp(exp(-1))))", r"e^{e^{e^{e^{-1}}}}", lambda: k5, lambda: k5, note="four exps, about 69.4")
    add(g, "exp(exp(exp(exp(-1))))", r"e^{e^{e^{e^{-2}}}}", lambda: k5, lambda: exp(exp(exp(exp(mpf(-2))))),
        note="-2 instead of -1: about 23")
    add(g, "exp(x)*exp(exp(x))", r"e^{x+e^{x}}", lambda x: exp(x) * exp(exp(x)), lambda x: exp(x + exp(x)), X3,
        note="derivative of e^{e^x}")
    add(g, "exp(x)*exp(exp(x))", r"e^{e^{x}}", lambda x: exp(x) * exp(exp(x)), lambda x: exp(exp(x)), X3,
        note="chain rule factor e^x missing")
    add(g, "exp(exp(sin(x)))", r"e^{e^{\sin x}}", lambda x: exp(exp(sin(x))), lambda x: exp(exp(sin(x))), X3,
        note="bounded nested exp")
    add(g, "exp(exp(sin(x)))", r"e^{e^{\cos x}}", lambda x: exp(exp(sin(x))), lambda x: exp(exp(cos(x))), X3,
        note="cos instead of sin")
    add(g, "2*exp(2*x)*exp(exp(2*x))", r"2e^{2x}e^{e^{2x}}", lambda x: 2 * exp(2 * x) * exp(exp(2 * x)),
        lambda x: 2 * exp(2 * x) * exp(exp(2 * x)), dom(x=[-1, 1]), note="derivative of e^{e^{2x}}")
    add(g, "2*exp(2*x)*exp(exp(2*x))", r"e^{2x}e^{e^{2x}}", lambda x: 2 * exp(2 * x) * exp(exp(2 * x)),
        lambda x: exp(2 * x) * exp(exp(2 * x)), dom(x=[-1, 1]), note="factor 2 of the inner derivative missing")
    add(g, "exp(exp(x))", r"e^{e^x}", lambda x: exp(exp(x)), lambda x: exp(exp(x)), dom(x=[0, 5]),
        note="up to e^{148}, about 1e64")
    add(g, "exp(x - exp(x))", r"e^{x}e^{-e^{x}}", lambda x: exp(x - exp(x)), lambda x: exp(x) * exp(-exp(x)), X3,
        note="Gumbel density written as a product")


def undefined(add):
    g = "c2-undefined"
    ident = lambda x: x  # noqa: E731
    add(g, "x", r"e^{\ln x}", ident, lambda x: exp(ln(x)), X3, note="e^{ln x} only exists for x > 0")
    add(g, "x", r"e^{\ln x}", ident, lambda x: exp(ln(x)), XP, note="on [0.1, 3] e^{ln x} = x")
    add(g, "x", "exp(log(x))", ident, lambda x: exp(ln(x)), X3, note="text form, undefined for x <= 0")
    add(g, "x", r"(\sqrt{x})^2", ident, lambda x: sqrt(x) ** 2, X3, note="sqrt(x) undefined for x < 0")
    add(g, "x", r"(\sqrt{x})^2", ident, lambda x: sqrt(x) ** 2, XP, note="fine for x > 0")
    add(g, "x", r"\sqrt{x}^2", ident, lambda x: sqrt(x) ** 2, X3, note="undefined for x < 0")
    add(g, "x", r"\sqrt{x}^2", ident, lambda x: sqrt(x) ** 2, XP, note="fine on [0.1, 3]")
    add(g, "x", r"\sqrt{x}\sqrt{x}", ident, lambda x: sqrt(x) * sqrt(x), X3, note="undefined for x < 0")
    add(g, "x", r"\sqrt{x}\sqrt{x}", ident, lambda x: sqrt(x) * sqrt(x), XP, note="fine on [0.1, 3]")
    add(g, "x", r"\sin(\arcsin x)", ident, lambda x: sin(asin(x)), X3, note="arcsin undefined for |x| > 1")
    add(g, "x", r"\sin(\arcsin x)", ident, lambda x: sin(asin(x)), dom(x=[-0.9, 0.9]), note="inside [-1, 1]")
    add(g, "x", r"\cos(\arccos x)", ident, lambda x: cos(acos(x)), X3, note="arccos undefined for |x| > 1")
    add(g, "x", r"\tan(\arctan x)", ident, lambda x: tan(atan(x)), X3, note="arctan is defined everywhere")
    add(g, "x", r"\ln(e^x)", ident, lambda x: ln(exp(x)), X3, note="ln of a positive number")
    add(g, "x", r"\arctan(\tan x)", ident, lambda x: atan(tan(x)), X3, note="tan folds x into (-pi/2, pi/2)")
    add(g, "x", r"\arctan(\tan x)", ident, lambda x: atan(tan(x)), dom(x=[-1.5, 1.5]), note="inside (-pi/2, pi/2)")
    add(g, "x", r"\arcsin(\sin x)", ident, lambda x: asin(sin(x)), dom(x=[-1.5, 1.5]), note="inside [-pi/2, pi/2]")
    add(g, "x", r"\arcsin(\sin x)", ident, lambda x: asin(sin(x)), X3, note="folded beyond pi/2")
    add(g, "x**2", r"e^{2\ln x}", lambda x: x ** 2, lambda x: exp(2 * ln(x)), X3, note="undefined for x <= 0")
    add(g, "x**2", r"e^{2\ln x}", lambda x: x ** 2, lambda x: exp(2 * ln(x)), XP, note="fine for x > 0")
    add(g, "x**2", r"(\sqrt{x})^4", lambda x: x ** 2, lambda x: sqrt(x) ** 4, X3, note="undefined for x < 0")
    add(g, "log(abs(x))", r"\ln x", lambda x: ln(abs(x)), lambda x: ln(x), X3, note="ln x misses x < 0")
    add(g, "log(abs(x))", r"\frac{1}{2}\ln(x^2)", lambda x: ln(abs(x)), lambda x: ln(x ** 2) / 2, X3,
        note="ln(x^2)/2 = ln|x| on both sides of 0")
    add(g, "2*log(x)", r"\ln(x^2)", lambda x: 2 * ln(x), lambda x: ln(x ** 2), X3,
        note="equal wherever the key is defined (x > 0); the answer's extra domain x < 0 does not matter")
    add(g, "log(x**2)", r"2\ln x", lambda x: ln(x ** 2), lambda x: 2 * ln(x), X3, note="2 ln x misses x < 0")
    add(g, "sqrt(x**2 - x)", r"\sqrt{x}\sqrt{x-1}", lambda x: sqrt(x ** 2 - x), lambda x: sqrt(x) * sqrt(x - 1), X3,
        note="split root undefined for x < 0 where the key is defined")
    add(g, "sqrt(x)*sqrt(x-1)", r"\sqrt{x^2-x}", lambda x: sqrt(x) * sqrt(x - 1), lambda x: sqrt(x ** 2 - x), X3,
        note="key defined only for x >= 1, where they agree")
    add(g, "sqrt((x-1)/(x+1))", r"\frac{\sqrt{x-1}}{\sqrt{x+1}}", lambda x: sqrt((x - 1) / (x + 1)),
        lambda x: sqrt(x - 1) / sqrt(x + 1), X3, note="quotient of roots undefined for x < -1")
    add(g, "log(x)/2", r"\ln\sqrt{x}", lambda x: ln(x) / 2, lambda x: ln(sqrt(x)), X3,
        note="both defined exactly for x > 0")
    add(g, "1", r"\frac{\sqrt{x}}{\sqrt{x}}", lambda x: mpf(1), lambda x: sqrt(x) / sqrt(x), X3,
        note="undefined for x <= 0")
    add(g, "log(x)", r"\ln|x|", lambda x: ln(x), lambda x: ln(abs(x)), X3, note="agree where ln x exists")
    add(g, "a_i", r"\ln\frac{p_i}{1-p_i}", lambda w, x_i: w * x_i,
        lambda w, x_i: ln(logistic(w * x_i) / (1 - logistic(w * x_i))), LOGI, note="logit of the logistic")
    add(g, "1 - p_i", r"\sqrt{1-p_i}^2", lambda w, x_i: 1 - logistic(w * x_i),
        lambda w, x_i: sqrt(1 - logistic(w * x_i)) ** 2, LOGI, note="1 - p_i > 0 always")
    add(g, "1/(2*sqrt(x))", r"\frac{1}{2}x^{-1/2}", lambda x: 1 / (2 * sqrt(x)), lambda x: x ** rat(-1, 2) / 2, XP,
        note="negative half power for x > 0")


def sampling(add):
    g = "c3-sampling"
    s11 = {f"s_{k}": {"values": [0, 1]} for k in range(1, 12)}
    ssum = " + ".join(f"s_{k}" for k in range(1, 12))
    sprod = "*".join(f"s_{k}" for k in range(1, 12))
    keysum = lambda **s: sum(s.values())  # noqa: E731
    add(g, ssum, f"{ssum} + {sprod}", keysum, lambda **s: sum(s.values()) + mp.fprod(s.values()),
        {"domain": s11}, note="2048 combinations; differs only when every s_k = 1")
    add(g, ssum, " + ".join(f"s_{k}^2" for k in range(1, 12)), keysum,
        lambda **s: sum(v ** 2 for v in s.values()), {"domain": s11}, note="s^2 = s for s in {0, 1}")
    add(g, ssum, f"{ssum} + {sprod}*(s_1 - 1)", keysum,
        lambda **s: sum(s.values()) + mp.fprod(s.values()) * (s["s_1"] - 1), {"domain": s11},
        note="the extra term is 0 at every combination")
    t7 = {f"t_{k}": {"values": [-1, 0, 1]} for k in range(1, 8)}
    tsq = " + ".join(f"t_{k}^2" for k in range(1, 8))
    tkey = lambda **t: sum(v ** 2 for v in t.values())  # noqa: E731
    add(g, tsq, " + ".join(f"abs(t_{k})" for k in range(1, 8)), tkey, lambda **t: sum(abs(v) for v in t.values()),
        {"domain": t7}, note="|t| = t^2 for t in {-1, 0, 1}; 2187 combinations")
    add(g, tsq, tsq + " + " + "*".join(f"t_{k}*(t_{k}+1)" for k in range(1, 8)) + "/128", tkey,
        lambda **t: sum(v ** 2 for v in t.values()) + mp.fprod(v * (v + 1) for v in t.values()) / 128,
        {"domain": t7}, note="extra term is 1 only when every t_k = 1")
    add(g, tsq, tsq + " + " + "*".join(f"(t_{k}^3 - t_{k})" for k in range(1, 8)), tkey,
        lambda **t: sum(v ** 2 for v in t.values()) + mp.fprod(v ** 3 - v for v in t.values()),
        {"domain": t7}, note="t^3 - t = 0 on {-1, 0, 1}")
    n6 = {f"n_{k}": {"values": [0, 1, 2, 3]} for k in range(1, 7)}
    nsum = " + ".join(f"n_{k}" for k in range(1, 7))
    nkey = lambda **n: sum(n.values())  # noqa: E731
    add(g, nsum, nsum + " + " + "*".join(f"n_{k}*(n_{k}-1)*(n_{k}-2)" for k in range(1, 7)) + "/46656", nkey,
        lambda **n: sum(n.values()) + mp.fprod(v * (v - 1) * (v - 2) for v in n.values()) / 46656,
        {"domain": n6}, note="4096 combinations; extra term is 1 only when every n_k = 3")
    add(g, nsum, " + ".join(f"n_{k}" for k in range(6, 0, -1)), nkey, nkey, {"domain": n6}, note="reordered sum")
    s10x = {f"s_{k}": {"values": [0, 1]} for k in range(1, 11)}
    s10x["x"] = [-1, 1]
    s10 = " + ".join(f"s_{k}" for k in range(1, 11))
    xkey = lambda x, **s: x * sum(s.values())  # noqa: E731
    add(g, f"x*({s10})", f"x*({s10}) + x*" + "*".join(f"s_{k}" for k in range(1, 11)), xkey,
        lambda x, **s: x * sum(s.values()) + x * mp.fprod(s.values()), {"domain": s10x},
        note="1024 combinations times x; differs only when every s_k = 1 and x != 0")
    add(g, f"x*({s10})", " + ".join(f"x*s_{k}" for k in range(1, 11)), xkey, xkey, {"domain": s10x},
        note="distributed")
    clip = "Piecewise((0, x < -30), (1, x > 30), (1/(1+exp(-x)), True))"
    ckey = lambda x: pw((0, x < -30), (1, x > 30), (lambda: logistic(x), True))  # noqa: E731
    w50, b30 = dom(x=[-50, 50]), {"x": [-30, 30]}
    add(g, clip, r"\frac{1}{1+e^{-x}}", ckey, lambda x: logistic(x), w50, breaks=b30,
        note="the plain logistic is not 0 or 1 beyond |x| = 30 (about 1e-14 away)")
    add(g, clip, r"\begin{cases} 0 & x < -30 \\ 1 & x > 30 \\ \frac{1}{1+e^{-x}} & \text{otherwise} \end{cases}",
        ckey, ckey, w50, breaks=b30, note="same clipped logistic as cases")
    add(g, clip, "Piecewise((0, x < -31), (1, x > 31), (1/(1+exp(-x)), True))", ckey,
        lambda x: pw((0, x < -31), (1, x > 31), (lambda: logistic(x), True)), w50,
        breaks={"x": [-31, -30, 30, 31]}, note="clips at 31, not 30: differs on 30 < |x| <= 31")
    add(g, clip, "Piecewise((0, x < -30), (1, x > 30), ((1+tanh(x/2))/2, True))", ckey,
        lambda x: pw((0, x < -30), (1, x > 30), (lambda: (1 + tanh(x / 2)) / 2, True)), w50, breaks=b30,
        note="logistic written with tanh inside the same clip")
    sp = "Piecewise((x, x > 30), (log(1+exp(x)), True))"
    spkey = lambda x: pw((x, x > 30), (lambda: ln(1 + exp(x)), True))  # noqa: E731
    w40 = dom(x=[-40, 40])
    add(g, sp, r"\ln(1+e^x)", spkey, lambda x: ln(1 + exp(x)), w40, breaks={"x": [30]},
        note="unclipped softplus differs by about e^{-30} for x > 30")
    add(g, sp, r"\max(x,0) + \ln(1+e^{-|x|})", spkey, lambda x: Max(x, 0) + ln(1 + exp(-abs(x))), w40,
        breaks={"x": [30]}, note="stable softplus is still unclipped")
    add(g, sp, r"\begin{cases} x & x > 30 \\ \ln(1+e^{x}) & x \le 30 \end{cases}", spkey, spkey, w40,
        breaks={"x": [30]}, note="same clip in cases")
    th = "Piecewise((-1, x < -30), (1, x > 30), (tanh(x), True))"
    thkey = lambda x: pw((-1, x < -30), (1, x > 30), (lambda: tanh(x), True))  # noqa: E731
    add(g, th, r"\tanh x", thkey, lambda x: tanh(x), w50, breaks=b30, note="tanh is not exactly 1 beyond 30")
    add(g, th, "Piecewise((-1, x < -30), (1, x > 30), ((exp(2*x)-1)/(exp(2*x)+1), True))", thkey,
        lambda x: pw((-1, x < -30), (1, x > 30), (lambda: (exp(2 * x) - 1) / (exp(2 * x) + 1), True)), w50,
        breaks=b30, note="tanh by exponentials, same clip")
    dkey = lambda x: pw((0, abs(x) > 30), (lambda: exp(-x) / (1 + exp(-x)) ** 2, True))  # noqa: E731
    add(g, "Piecewise((0, abs(x) > 30), (exp(-x)/(1+exp(-x))**2, True))", r"\sigma(x)(1-\sigma(x))", dkey,
        lambda x: logistic(x) * (1 - logistic(x)), w50, breaks=b30,
        note="derivative of the clipped logistic is exactly 0 beyond 30; the answer is about 1e-14 there")
    big = dom(x=[700, 720])
    add(g, "x*exp(x)", r"(x+1)e^x", lambda x: x * exp(x), lambda x: (x + 1) * exp(x), big,
        note="e^x overflows a double on this domain; relative difference 1/x")
    add(g, "exp(x)", r"\cosh x + \sinh x", lambda x: exp(x), lambda x: mp.cosh(x) + mp.sinh(x), big, note="overflowing, equal")
    add(g, "exp(x)", r"e^{x-1} \cdot e", lambda x: exp(x), lambda x: exp(x - 1) * E, big, note="overflowing, equal")
    add(g, "exp(x)", r"e^{x}\left(1 + \frac{1}{x}\right)", lambda x: exp(x), lambda x: exp(x) * (1 + 1 / x), big,
        note="overflowing, relative difference 1/x")
    add(g, "exp(x**2)", "Piecewise((exp(x^2), abs(x) < 27), (2*exp(x^2), True))", lambda x: exp(x ** 2),
        lambda x: pw((exp(x ** 2), abs(x) < 27), (2 * exp(x ** 2), True)), dom(x=[-30, 30]),
        breaks={"x": [-27, 27]}, note="differs only where e^{x^2} overflows a double (|x| >= 27)")
    add(g, "exp(x**2)", r"(e^{x})^{x}", lambda x: exp(x ** 2), lambda x: exp(x) ** x, dom(x=[-30, 30]),
        note="(e^x)^x = e^{x^2} since e^x > 0")
    add(g, "log(1+exp(x))", r"\max(x,0)", lambda x: ln(1 + exp(x)), lambda x: Max(x, 0), dom(x=[-800, 800]),
        note="softplus is not ReLU (ln 2 at 0)")
    add(g, "x**2", "Piecewise((x^2, abs(x - 1) > 1/1000), (0, True))", lambda x: x ** 2,
        lambda x: pw((x ** 2, abs(x - 1) > rat(1, 1000)), (0, True)), X3,
        breaks={"x": [rat(999, 1000), 1, rat(1001, 1000)]}, note="0 on the thin interval |x - 1| <= 1/1000")
    add(g, "Max(x, 0)", "Piecewise((x, x > 1/100000), (0, True))", lambda x: Max(x, 0),
        lambda x: pw((x, x > rat(1, 100000)), (0, True)), X3, breaks={"x": [0, rat(1, 100000)]},
        note="0 instead of x on (0, 1e-5]")
    add(g, "x**2", "Piecewise((x^2, x < 2.9), (x^2 + 1, True))", lambda x: x ** 2,
        lambda x: pw((x ** 2, x < mpf("2.9")), (x ** 2 + 1, True)), X3, breaks={"x": [mpf("2.9")]},
        note="off by 1 on [2.9, 3]")
    hk = lambda x_i, w, y_i: pw((-y_i, y_i * w * x_i < 1), (0, True))  # noqa: E731
    add(g, "Piecewise((-y_i, y_i*a_i < 1), (0, True))",
        r"\begin{cases} -y_i & y_i a_i < 0.99 \\ 0 & \text{otherwise} \end{cases}", hk,
        lambda x_i, w, y_i: pw((-y_i, y_i * w * x_i < mpf("0.99")), (0, True)), HINGE,
        breaks={"x_i": [mpf("0.995"), mpf("-0.995")]}, note="hinge switch at 0.99: wrong on 0.99 <= y a < 1")


def no_domain(add):
    g = "c4-no-domain"
    relu = lambda x: Max(0, x)  # noqa: E731
    add(g, "Max(0, x)", r"\min(\max(0,x),6)", relu, lambda x: Min(Max(0, x), 6), note="ReLU6 is not ReLU for x > 6")
    add(g, "Max(0, x)", r"\frac{x+|x|}{2}", relu, lambda x: (x + abs(x)) / 2, note="ReLU by absolute value")
    add(g, "Max(0, x)", "x*Heaviside(x)", relu, lambda x: x * pw((1, x > 0), (0, x < 0), (rat(1, 2), True)),
        note="x H(x), any value of H(0) gives 0")
    add(g, "Max(0, x)", r"\max(0, \min(x, 500))", relu, lambda x: Max(0, Min(x, 500)), note="clipped at 500")
    add(g, "Max(0, 1 - x)", r"\min(\max(0,1-x), 2)", lambda x: Max(0, 1 - x), lambda x: Min(Max(0, 1 - x), 2),
        note="hinge clipped at 2 differs for x < -1")
    add(g, "abs(x)", "x*sign(x)", lambda x: abs(x), lambda x: x * sign(x), note="|x| = x sign(x)")
    add(g, "x", r"\sqrt{x^2}", lambda x: x, lambda x: sqrt(x ** 2), note="|x| differs for x < 0")
    add(g, "x**2", r"|x|^2", lambda x: x ** 2, lambda x: abs(x) ** 2, note="|x|^2 = x^2")
    add(g, "x**2", "x*abs(x)", lambda x: x ** 2, lambda x: x * abs(x), note="x|x| is -x^2 for x < 0")
    add(g, "1/(1+exp(-x))", r"\frac{1+\tanh(x/2)}{2}", lambda x: logistic(x), lambda x: (1 + tanh(x / 2)) / 2,
        note="logistic by tanh, every scale")
    add(g, "1/(1+exp(-x))", "Piecewise((0, x < -30), (1, x > 30), (1/(1+exp(-x)), True))", lambda x: logistic(x),
        lambda x: pw((0, x < -30), (1, x > 30), (lambda: logistic(x), True)), breaks={"x": [-30, 30]},
        note="clipping beyond 30 changes the value")
    add(g, "tanh(x)", r"\min(\max(x,-1),1)", lambda x: tanh(x), lambda x: Min(Max(x, -1), 1), note="hard tanh is not tanh")
    add(g, "log(1+exp(x))", r"\max(x,0)+\ln(1+e^{-|x|})", lambda x: ln(1 + exp(x)),
        lambda x: Max(x, 0) + ln(1 + exp(-abs(x))), note="stable softplus")
    add(g, "x", r"\min(x, 100)", lambda x: x, lambda x: Min(x, 100), note="clipped at 100")
    add(g, "exp(x)", r"\min(e^x, 10^6)", lambda x: exp(x), lambda x: Min(exp(x), 10 ** 6), note="clipped at 10^6")
    add(g, "log(x)", r"\ln|x|", lambda x: ln(x), lambda x: ln(abs(x)), note="agree where ln x exists (x > 0)")
    add(g, "log(x)", r"\min(\ln x, 5)", lambda x: ln(x), lambda x: Min(ln(x), 5), note="clipped at 5, wrong for x > e^5")
    add(g, "1/x", r"\frac{x}{x^2}", lambda x: 1 / x, lambda x: x / x ** 2, note="same, both undefined at 0")
    add(g, "Max(x, y)", r"\frac{x+y+|x-y|}{2}", lambda x, y: Max(x, y), lambda x, y: (x + y + abs(x - y)) / 2,
        note="max by absolute value")
    add(g, "Max(x, y)", r"\max(\min(x,10),y)", lambda x, y: Max(x, y), lambda x, y: Max(Min(x, 10), y),
        note="x clipped at 10")
    add(g, "x**3", r"x^3 + \max(0, x-20)", lambda x: x ** 3, lambda x: x ** 3 + Max(0, x - 20),
        note="extra term for x > 20")
    add(g, "x", "Piecewise((x, abs(x) < 100), (0, True))", lambda x: x,
        lambda x: pw((x, abs(x) < 100), (0, True)), note="0 beyond |x| = 100")
    add(g, "x*exp(-x**2)", r"\frac{x}{e^{x^2}}", lambda x: x * exp(-x ** 2), lambda x: x / exp(x ** 2),
        note="Gaussian-type, at every scale")
    add(g, "sqrt(x**2 + 1)", r"\sqrt{(x+1)^2 - 2x}", lambda x: sqrt(x ** 2 + 1), lambda x: sqrt((x + 1) ** 2 - 2 * x),
        note="expanded under the root")
    add(g, "Max(0, x)", r"\max(0,x)", relu, relu, note="LaTeX max")
