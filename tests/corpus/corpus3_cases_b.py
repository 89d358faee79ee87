"""Corpus 3, issue 9 classes 5-8 and plain variants: hostile cost, notation, AD cells, feedback traps.

Hostile and unreadable answers are labelled ``invalid`` by hand (``verdict=``, with the reason); the
rest are decided by corpus3_truth from hand-written mpmath functions.
"""

from __future__ import annotations

from corpus3_truth import (PI, Max, cbrt, cos, cosh, exp, ind, ln, log2, logistic, mp, mpf, pw, rat, sin, sinh,
                           sqrt, tanh)
from corpus3_cases_a import HINGE, LOGI, X3, dom

AD = {"definitions": {"v_1": "x*w", "v_2": "v_1 + b", "v_3": "1/v_2", "v_4": "x + v_3"},
      "domain": {"x": [0.1, 2], "w": [0.1, 2], "b": [0.1, 2]}}
HUGE = "its value on the domain is beyond 10^10000 (a tower of exponentials); no bounded-cost evaluation exists"


def hostile(add):
    g = "c5-hostile"
    bad = lambda reason: dict(verdict="invalid", note=reason)  # noqa: E731
    add(g, "3*x**2", "exp(exp(exp(exp(x))))", ctx=X3, **bad("e^{e^{e^{e^3}}} = e^{e^{5.3e8}}: " + HUGE))
    add(g, "3*x**2", r"e^{e^{e^{e^{x}}}}", ctx=X3, **bad("LaTeX form of four nested exps: " + HUGE))
    add(g, "exp(x)", r"e^{e^{e^{e^{e^{x}}}}}", ctx=X3, **bad("five nested exps: " + HUGE))
    add(g, "3*x**2", "x^x^x^x^x^x", ctx=X3, **bad("right-associative tower 3^3^3^3^3^3: " + HUGE))
    add(g, "3*x**2", "(((x^200)^200)^200)^200", ctx=X3,
        **bad("composed exponent 200^4 = 1.6e9: 3^(1.6e9) is about 10^(7.6e8)"))
    add(g, "3*x**2", "exp(((x^200)^200)^200)", ctx=X3, **bad("exp of x^(8e6): " + HUGE))
    add(g, "3*x**2", r"x^{200^{200}}", ctx=X3, **bad("exponent 200^200 is far beyond the exponent limit 200"))
    add(g, "3*x**2", r"\exp(\exp(\exp(10)))", ctx=X3, **bad("constant e^{e^{22026}}: " + HUGE))
    add(g, "3*x**2", r"10^{10^{10}}", ctx=X3, **bad("constant 10^(10^10), beyond 10^10000"))
    add(g, "3*x**2", r"e^{x^{1000}}", ctx=X3, **bad("x^1000 is past the exponent limit 200; e^{3^1000}: " + HUGE))
    add(g, "3*x**2", r"\sinh(\sinh(\sinh(\sinh(x))))", ctx=X3,
        **bad("sinh^4(3) = sinh(sinh(11013)) = sinh(10^4782): " + HUGE))
    add(g, "3*x**2", "cosh(cosh(cosh(cosh(cosh(x)))))", ctx=X3, **bad("cosh^5(3): " + HUGE))
    add(g, "3*x**2", r"\exp(\exp(\exp(\exp(\exp(1)))))", ctx=X3, **bad("constant e^e^e^e^e: " + HUGE))
    add(g, "3*x**2", "x^(9^(9^9))", ctx=X3, **bad("exponent 9^(9^9) is astronomically large"))
    add(g, "3*x**2", r"\exp(10^{6})", ctx=X3, **bad("constant e^(10^6), about 10^434294: beyond 10^10000"))
    add(g, "3*x**2", r"\tan(e^{e^{e^{x}}})", ctx=X3,
        **bad("tan of e^{e^{20}} = e^{4.9e8}: reducing the argument needs ~10^8 digits of pi"))
    add(g, "3*x**2", "exp(x)^exp(x)^exp(x)^exp(x)", ctx=X3, **bad("tower 20^20^20^20 at x = 3: " + HUGE))
    add(g, "3*x**2", r"2^{2^{2^{2^{2^{2}}}}}", ctx=X3, **bad("2^65536 is about 10^19728, beyond 10^10000"))
    add(g, "3*x**2", r"x^{10^{10}}", ctx=X3, **bad("exponent 10^10 is past the exponent limit 200"))
    add(g, "3*x**2", r"\sqrt{" * 70 + "x" + "}" * 70, ctx=X3,
        **bad("70 nested roots: deeper than the documented nesting limit max_depth = 60"))
    add(g, "3*x**2", "+".join(["x"] * 2100), ctx=X3,
        **bad("4199 characters: longer than the documented max_length = 4000"))
    u = "unreadable"
    add(u, "3*x**2", "3x^", ctx=X3, **bad("exponent missing"))
    add(u, "3*x**2", r"\frac{3x^2}{", ctx=X3, **bad("unbalanced brace: the fraction has no denominator"))
    add(u, "3*x**2", "3x^2 +", ctx=X3, **bad("dangling operator"))
    add(u, "3*x**2", r"3x^2 \pm 1", ctx=X3, **bad("plus-minus is two values"))
    add(u, "3*x**2", r"3x^2 \text{ or } 6x", ctx=X3, **bad("hedged: two different answers"))


def notation(add):
    g = "c6-notation"
    xabs = lambda x: x * abs(x)  # noqa: E731
    add(g, "x*abs(x)", "x|x|", xabs, xabs, X3, note="bars right after an operand")
    add(g, "x*abs(x)", "|x|x", xabs, xabs, X3, note="bars before the operand")
    add(g, "x*abs(x)", r"x\left|x\right|", xabs, xabs, X3, note="sized bars")
    add(g, "x*abs(x)", "x|x|", xabs, xabs, X3, syntax="text", note="text syntax")
    add(g, "x**2", "x|x|", lambda x: x ** 2, xabs, X3, note="x|x| = -x^2 for x < 0")
    add(g, "2*abs(x)", "2|x|", lambda x: 2 * abs(x), lambda x: 2 * abs(x), X3, note="number before bars")
    add(g, "2*abs(x)", "2|x|+1", lambda x: 2 * abs(x), lambda x: 2 * abs(x) + 1, X3, note="off by 1")
    add(g, "3*x**2", "3|x|^2", lambda x: 3 * x ** 2, lambda x: 3 * abs(x) ** 2, X3, note="|x|^2 = x^2")
    add(g, "-2*abs(x-1)", "-2|x-1|", lambda x: -2 * abs(x - 1), lambda x: -2 * abs(x - 1), X3, note="negated")
    xy = dom(x=[-3, 3], y=[-3, 3])
    k = lambda x, y: x * y * (1 - x)  # noqa: E731
    add(g, "x*y*(1-x)", "xy(1-x)", k, k, xy, note="declared one-letter symbols before a parenthesis")
    add(g, "x*y*(1-x)", "xy(1-y)", k, lambda x, y: x * y * (1 - y), xy, note="1 - y instead of 1 - x")
    add(g, "2*x*y*(1-x)", "2xy(1-x)", lambda x, y: 2 * k(x, y), lambda x, y: 2 * k(x, y), xy, note="with a number")
    add(g, "x*y*(1-x)", "yx(1-x)", k, k, xy, note="other order")
    two_x = lambda x: 2 * x  # noqa: E731
    add(g, "2*x", r"\frac{d}{dx}(x^2) = 2x", two_x, two_x, X3, note="label on the left; the last member counts")
    add(g, "2*x", "d/dx(x^2) = 2x", two_x, two_x, X3, note="text label on the left")
    add(g, "2*x", r"\frac{d}{dx}(x^2) = x", two_x, lambda x: x, X3, note="last member is x")
    sech2 = lambda x: 1 - tanh(x) ** 2  # noqa: E731
    add(g, "1 - tanh(x)**2", r"\tanh'(x) = 1 - \tanh^2(x)", sech2, sech2, X3, note="prime label")
    add(g, "1 - tanh(x)**2", r"\tanh'(x) = 1 - \tanh(x)", sech2, lambda x: 1 - tanh(x), X3, note="square missing")
    add(g, "1 - tanh(x)**2", r"\tanh'(x) = \frac{1}{\cosh^2(x)}", sech2, lambda x: 1 / cosh(x) ** 2, X3,
        note="sech^2 as 1/cosh^2")
    wx = dom(w=[-2, 2], x=[-2, 2])
    add(g, "2*(w*x - 1)*x", r"\nabla_w L = 2(wx-1)x", lambda w, x: 2 * (w * x - 1) * x,
        lambda w, x: 2 * (w * x - 1) * x, wx, note="gradient label")
    add(g, "2*(w*x - 1)*x", r"\nabla_w L = 2(wx-1)", lambda w, x: 2 * (w * x - 1) * x,
        lambda w, x: 2 * (w * x - 1), wx, note="factor x missing")
    add(g, "-1", r"\lim_{s \to 0} \frac{dl}{db} = \lim_{s \to 0}(s - 1) = -1", lambda: mpf(-1), lambda: mpf(-1),
        note="chain of limits, graded on the last member")
    add(g, "-1", r"\lim_{s \to 0} \frac{dl}{db} = \lim_{s \to 0}(s + 1) = 1", lambda: mpf(-1), lambda: mpf(1),
        note="last member 1")
    add(g, "-1/x**2", r"f'(x) = -\frac{1}{x^2}", lambda x: -1 / x ** 2, lambda x: -1 / x ** 2, dom(x=[0.5, 3]),
        note="f' label")
    inf = lambda: mp.inf  # noqa: E731
    add(g, "oo", r"\infty", inf, inf, note="infinity", infinite=True)
    add(g, "-oo", r"-\infty", lambda: -mp.inf, lambda: -mp.inf, note="minus infinity", infinite=True)
    add(g, "oo", "oo", inf, inf, note="sympy spelling", infinite=True)
    add(g, "oo", r"-\infty", inf, lambda: -mp.inf, note="wrong sign", infinite=True)
    add(g, "0", r"\lim_{x \to \infty} \frac{1}{x} = 0", lambda: mpf(0), lambda: mpf(0), note="limit label")
    add(g, "oo", r"\lim_{x \to 0^+} \frac{1}{x} = \infty", inf, inf, note="infinite limit", infinite=True)
    add(g, "sign(x)*abs(x)**(1/3)", r"\sqrt[3]{x}", cbrt, cbrt, X3, note="real cube root, negatives included")
    add(g, "abs(x)**(2/3)", r"\sqrt[3]{x^2}", lambda x: abs(x) ** rat(2, 3), lambda x: cbrt(x ** 2), X3,
        note="cube root of a square")
    add(g, "-2", r"\sqrt[3]{-8}", lambda: mpf(-2), lambda: cbrt(mpf(-8)), note="cube root of a negative number")
    add(g, "abs(x)**(1/3)", r"\sqrt[3]{x}", lambda x: abs(x) ** rat(1, 3), cbrt, X3, note="negative for x < 0")
    add(g, "x", r"\sqrt[3]{x^3}", lambda x: x, lambda x: cbrt(x ** 3), X3, note="real cube root of a cube")
    add(g, "1/(3*abs(x)**(2/3))", r"\frac{1}{3\sqrt[3]{x^2}}", lambda x: 1 / (3 * abs(x) ** rat(2, 3)),
        lambda x: 1 / (3 * cbrt(x ** 2)), dom(x=[-3, -0.5]), note="derivative of the cube root, x < 0")
    l8 = dom(x=[0.5, 8])
    add(g, "log(x)/log(2)", "log_2(x)", log2, log2, l8, note="text base-2 log")
    add(g, "log(x)/log(2)", r"\log_{2} x", log2, log2, l8, note="braced base")
    add(g, "log(x)/log(2)", r"\log_2 x", log2, log2, l8, note="bare base")
    add(g, "log(x)/log(10)", r"\log_{10}(x)", lambda x: ln(x) / ln(mpf(10)), lambda x: ln(x) / ln(mpf(10)), l8,
        note="base 10")
    add(g, "log(x)", r"\log_2(x)", lambda x: ln(x), log2, l8, note="base 2 is not natural log")
    add(g, "1/(x*log(2))", r"\frac{d}{dx}\log_2 x = \frac{1}{x\ln 2}", lambda x: 1 / (x * ln(mpf(2))),
        lambda x: 1 / (x * ln(mpf(2))), l8, note="derivative of log_2")
    step = lambda x: ind(x > 0)  # noqa: E731
    ik, b0 = "Piecewise((1, x > 0), (0, True))", {"x": [0]}
    add(g, ik, r"\mathbb{1}[x > 0]", step, step, X3, breaks=b0, note="indicator with brackets")
    add(g, ik, r"\mathbb{1}_{x>0}", step, step, X3, breaks=b0, note="indicator with subscript")
    add(g, ik, "1[x>0]", step, step, X3, breaks=b0, note="plain 1[...] indicator")
    add(g, ik, r"\mathbb{1}[x < 0]", step, lambda x: ind(x < 0), X3, breaks=b0, note="opposite side")
    add(g, ik, r"\mathbb{1}[x > 1]", step, lambda x: ind(x > 1), X3, breaks={"x": [0, 1]}, note="wrong threshold")
    add(g, "Max(0, x)", r"x\,\mathbb{1}[x>0]", lambda x: Max(0, x), lambda x: x * ind(x > 0), X3, breaks=b0,
        note="ReLU as x times an indicator")
    add(g, "x/2", "½x", lambda x: x / 2, lambda x: x / 2, X3, note="vulgar fraction one half")
    add(g, "x**2/2", "½x^2", lambda x: x ** 2 / 2, lambda x: x ** 2 / 2, X3, note="one half times a square")
    add(g, "3*x/4", "¾x", lambda x: 3 * x / 4, lambda x: 3 * x / 4, X3, note="three quarters")
    add(g, "x/3", "⅓x", lambda x: x / 3, lambda x: x / 3, X3, note="one third")
    add(g, "2*x", "½x", lambda x: 2 * x, lambda x: x / 2, X3, note="half, not twice")


def ad_cells(add):
    g = "c7-ad"
    v2 = lambda x, w, b: w * x + b  # noqa: E731
    bar_v2 = lambda x, w, b: -1 / v2(x, w, b) ** 2  # noqa: E731
    add(g, "-1/(w*x + b)**2", r"-\frac{1}{v_2^2}", bar_v2, bar_v2, AD, note="adjoint of v_2 through the graph")
    add(g, "-1/(w*x + b)**2", "-v_3^2", bar_v2, bar_v2, AD, note="-1/v_2^2 = -v_3^2")
    add(g, "-1/(w*x + b)**2", r"-\frac{1}{(wx+b)^2}", bar_v2, bar_v2, AD, note="in the inputs")
    add(g, "-1/(w*x + b)**2", r"-\frac{1}{(wx)^2}", bar_v2, lambda x, w, b: -1 / (w * x) ** 2, AD,
        note="right only for a forward graph that forgot + b (error carried forward)")
    add(g, "-1/(w*x + b)**2", r"-\frac{1}{(wx-b)^2}", bar_v2, lambda x, w, b: -1 / (w * x - b) ** 2, AD,
        note="right only for a forward graph with v_2 = v_1 - b")
    add(g, "-1/(w*x + b)**2", r"\frac{1}{v_2^2}", bar_v2, lambda x, w, b: 1 / v2(x, w, b) ** 2, AD,
        note="sign of the derivative of 1/u")
    bar_x = lambda x, w, b: 1 - w / v2(x, w, b) ** 2  # noqa: E731
    add(g, "1 - w/(w*x + b)**2", "1 - w v_3^2", bar_x, bar_x, AD, note="both paths from x")
    add(g, "1 - w/(w*x + b)**2", r"1 - \frac{w}{(wx+b)^2}", bar_x, bar_x, AD, note="in the inputs")
    add(g, "1 - w/(w*x + b)**2", r"1 - \frac{w}{(wx)^2}", bar_x, lambda x, w, b: 1 - w / (w * x) ** 2, AD,
        note="error carried forward from a graph without b")
    add(g, "1 - w/(w*x + b)**2", r"1 - \frac{x}{(wx+b)^2}", bar_x, lambda x, w, b: 1 - x / v2(x, w, b) ** 2, AD,
        note="local partial of v_1 = xw taken as x")
    add(g, "1 - w/(w*x + b)**2", r"-\frac{w}{(wx+b)^2}", bar_x, lambda x, w, b: -w / v2(x, w, b) ** 2, AD,
        note="the direct path x -> v_4 is missing")
    bar_w = lambda x, w, b: -x / v2(x, w, b) ** 2  # noqa: E731
    add(g, "-x/(w*x + b)**2", "-x v_3^2", bar_w, bar_w, AD, note="adjoint of w")
    add(g, "-x/(w*x + b)**2", r"-\frac{x}{v_2^2}", bar_w, bar_w, AD, note="through v_2")
    add(g, "-x/(w*x + b)**2", r"-\frac{x}{(wx)^2}", bar_w, lambda x, w, b: -x / (w * x) ** 2, AD,
        note="error carried forward from a graph without b")
    num = lambda s: (lambda: mpf(s))  # noqa: E731
    add(g, "-16", "-16.0", num(-16), num(-16), note="value of the adjoint of v_2 at (0.3, 0.5, 0.1)")
    add(g, "-16", "-1/0.25^2", num(-16), lambda: -1 / mpf("0.25") ** 2, note="as computed from v_2 = 0.25")
    add(g, "-16", "-400", num(-16), num(-400), note="from a forward graph with v_2 = v_1 - v_0 = 0.05")
    add(g, "-7", r"1 - 0.5 \cdot 16", num(-7), lambda: 1 - mpf("0.5") * 16, note="adjoint of x")
    add(g, "-7", "1 - 0.5/0.15^2", num(-7), lambda: 1 - mpf("0.5") / mpf("0.15") ** 2,
        note="error carried forward from v_2 = v_1 = 0.15 (about -21.2)")
    add(g, "-4.8", r"-0.3 \cdot 16", num("-4.8"), lambda: -mpf("0.3") * 16, note="adjoint of w")
    add(g, "4", "1/(0.3*0.5 + 0.1)", num(4), lambda: 1 / (mpf("0.3") * mpf("0.5") + mpf("0.1")), note="v_3")
    add(g, "4", "1/(0.3*0.5)", num(4), lambda: 1 / (mpf("0.3") * mpf("0.5")), note="v_3 of a graph without b")
    P = lambda w, x_i: logistic(w * x_i)  # noqa: E731
    dl = lambda w, x_i, y_i: 2 * (P(w, x_i) - y_i) * P(w, x_i) * (1 - P(w, x_i)) * x_i  # noqa: E731
    key = "2*(p_i - y_i)*p_i*(1-p_i)*x_i"
    add(g, key, "2(p_i-y_i)p_i(1-p_i)x_i", dl, dl, LOGI, note="dl/dw through the logistic graph")
    add(g, key, r"2(\tanh(a_i) - y_i)(1-\tanh^2(a_i))x_i", dl,
        lambda w, x_i, y_i: 2 * (tanh(w * x_i) - y_i) * (1 - tanh(w * x_i) ** 2) * x_i, LOGI,
        note="right for a graph with tanh instead of the logistic (error carried forward)")
    add(g, key, "2(y_i - p_i) p_i (1 - p_i) x_i", dl, lambda w, x_i, y_i: -dl(w, x_i, y_i), LOGI,
        note="sign of dl/dp")
    add(g, key, r"2(p_i - y_i)\frac{e^{-a_i}}{(1+e^{-a_i})^2}x_i", dl,
        lambda w, x_i, y_i: 2 * (P(w, x_i) - y_i) * exp(-w * x_i) / (1 + exp(-w * x_i)) ** 2 * x_i, LOGI,
        note="dp/da in the a form")


def feedback(add):
    g = "c8-feedback"
    k = lambda x: 6 * x * cos(3 * x ** 2)  # noqa: E731
    add(g, "6*x*cos(3*x**2)", r"\cos(3x^2)", k, lambda x: cos(3 * x ** 2), X3, note="chain factor 6x missing")
    add(g, "6*x*cos(3*x**2)", r"x\cos(3x^2)", k, lambda x: x * cos(3 * x ** 2), X3, note="constant 6 missing")
    add(g, "6*x*cos(3*x**2)", r"6x\cos(3x^2)", k, k, X3, note="right")
    add(g, "sin(x)", "x - x^3/6", lambda x: sin(x), lambda x: x - x ** 3 / 6, X3, note="Taylor polynomial")
    add(g, "x/3", "0.3333333333x", lambda x: x / 3, lambda x: mpf("0.3333333333") * x, X3,
        note="relative error 1e-10, inside the tolerance 1e-6")
    add(g, "x/3", "0.3333x", lambda x: x / 3, lambda x: mpf("0.3333") * x, X3, note="relative error 1e-4")
    add(g, "exp(x)", "e^x + 10^{-12}", lambda x: exp(x), lambda x: exp(x) + mpf(10) ** -12, X3,
        note="exact input: a tiny constant is still a difference")
    add(g, "2*x", "2.0x", lambda x: 2 * x, lambda x: 2 * x, X3, note="decimal 2.0")
    add(g, "2*x", "1.99x", lambda x: 2 * x, lambda x: mpf("1.99") * x, X3, note="relative error 5e-3")
    add(g, "-sin(x)", r"\sin(-x)", lambda x: -sin(x), lambda x: sin(-x), X3, note="odd function")
    add(g, "-sin(x)", r"\sin x", lambda x: -sin(x), lambda x: sin(x), X3, note="sign")
    add(g, "x*exp(x)", "e^x", lambda x: x * exp(x), lambda x: exp(x), X3, note="missing factor x")
    add(g, "x*exp(x)", "(x+1)e^x", lambda x: x * exp(x), lambda x: (x + 1) * exp(x), X3,
        note="derivative of the key, not the key")
    add(g, "2*x/(x**2+1)", r"\frac{1}{x^2+1}", lambda x: 2 * x / (x ** 2 + 1), lambda x: 1 / (x ** 2 + 1), X3,
        note="missing factor 2x")
    s3 = dom(x=[0.2, 3])
    kc = lambda x: cos(x) / (2 * sqrt(sin(x)))  # noqa: E731
    add(g, "cos(x)/(2*sqrt(sin(x)))", r"\frac{\cos x}{\sqrt{\sin x}}", kc, lambda x: cos(x) / sqrt(sin(x)), s3,
        note="missing factor 1/2")
    add(g, "cos(x)/(2*sqrt(sin(x)))", r"\frac{1}{2}\cos(x)(\sin x)^{-1/2}", kc,
        lambda x: cos(x) * sin(x) ** rat(-1, 2) / 2, s3, note="negative half power")
    add(g, "x**2", "x^2 + 0.0000000001", lambda x: x ** 2, lambda x: x ** 2 + mpf("1e-10"), X3, edge_ok=True,
        note="tolerance case: for |x| < 0.01 the difference 1e-10 exceeds 1e-6 x^2 (and at 0 the floor 1e-12)")
    add(g, "x**2", "x^2 (0.1 + 0.2) / 0.3", lambda x: x ** 2, lambda x: x ** 2 * (mpf("0.1") + mpf("0.2")) / mpf("0.3"),
        X3, note="decimals are exact: (0.1 + 0.2)/0.3 = 1")
    add(g, "x**2", r"\frac{x^2}{0.1 + 0.2 - 0.3}", lambda x: x ** 2,
        lambda x: x ** 2 / (rat(1, 10) + rat(2, 10) - rat(3, 10)), X3,
        note="0.1 + 0.2 - 0.3 is exactly 0: the answer is undefined everywhere")
    add(g, "3*x**2", "3x^2 + 0.5 - 1/2", lambda x: 3 * x ** 2, lambda x: 3 * x ** 2, X3, note="0.5 - 1/2 = 0")
    add(g, "x**3/3", "0.333333333333x^3", lambda x: x ** 3 / 3, lambda x: mpf("0.333333333333") * x ** 3, X3,
        note="12 digits")
    add(g, "exp(-x)", "-e^{-x}", lambda x: exp(-x), lambda x: -exp(-x), X3, note="sign")
    k2 = lambda x: 2 * x * exp(x ** 2)  # noqa: E731
    add(g, "2*x*exp(x**2)", "2xe^{x^2}", k2, k2, X3, note="right")
    add(g, "2*x*exp(x**2)", "xe^{x^2}", k2, lambda x: x * exp(x ** 2), X3, note="missing constant 2")
    add(g, "pi*x", "3.14x", lambda x: PI * x, lambda x: mpf("3.14") * x, X3, note="pi to 3 digits: error 5e-4")
    add(g, "pi*x", "3.14159265359x", lambda x: PI * x, lambda x: mpf("3.14159265359") * x, X3,
        note="pi to 12 digits")


def variants(add):
    g = "variants"
    P = lambda w, x_i: logistic(w * x_i)  # noqa: E731
    k = lambda w, x_i, y_i: 2 * P(w, x_i) - 2 * y_i  # noqa: E731
    add(g, "2*p_i - 2*y_i", "2(p_i - y_i)", k, k, LOGI, note="factored")
    add(g, "2*p_i - 2*y_i", "-2(y_i-p_i)", k, k, LOGI, note="sign pulled out")
    add(g, "2*p_i - 2*y_i", "2p_i - 2y_i^2", k, lambda w, x_i, y_i: 2 * P(w, x_i) - 2 * y_i ** 2, LOGI,
        note="y_i^2 = y_i on {0, 1}")
    add(g, "2*p_i - 2*y_i", "2(p_i + y_i)", k, lambda w, x_i, y_i: 2 * P(w, x_i) + 2 * y_i, LOGI, note="sign")
    dp = lambda w, x_i: exp(-w * x_i) / (1 + exp(-w * x_i)) ** 2  # noqa: E731
    kb = "exp(-a_i)/(1+exp(-a_i))**2"
    add(g, kb, "p_i(1-p_i)", dp, lambda w, x_i: P(w, x_i) * (1 - P(w, x_i)), LOGI, note="in p")
    add(g, kb, r"\frac{e^{a_i}}{(1+e^{a_i})^2}", dp, lambda w, x_i: exp(w * x_i) / (1 + exp(w * x_i)) ** 2, LOGI,
        note="even function written with e^{a}")
    add(g, kb, r"\frac{1}{(1+e^{-a_i})(1+e^{a_i})}", dp,
        lambda w, x_i: 1 / ((1 + exp(-w * x_i)) * (1 + exp(w * x_i))), LOGI, note="product form")
    add(g, kb, r"\frac{1}{4\cosh^2(a_i/2)}", dp, lambda w, x_i: 1 / (4 * cosh(w * x_i / 2) ** 2), LOGI,
        note="cosh form")
    add(g, kb, r"\frac{e^{-a_i}}{1+e^{-a_i}}", dp, lambda w, x_i: exp(-w * x_i) / (1 + exp(-w * x_i)), LOGI,
        note="denominator not squared")
    hk = lambda x_i, w, y_i: pw((-y_i * x_i + 2 * w, y_i * w * x_i < 1), (2 * w, True))  # noqa: E731
    hkey = "Piecewise((-y_i*x_i + 2*w, y_i*a_i < 1), (2*w, True))"
    add(g, hkey, r"\begin{cases} 2w - y_i x_i & y_i w x_i < 1 \\ 2w & y_i w x_i > 1 \end{cases}", hk, hk, HINGE,
        note="hinge dl/dw in cases")
    add(g, hkey, r"\begin{cases} 2w - y_i x_i & y_i a_i < 1 \\ 2w & \text{otherwise} \end{cases}", hk, hk, HINGE,
        note="otherwise")
    add(g, hkey, "2w - y_i x_i", hk, lambda x_i, w, y_i: 2 * w - y_i * x_i, HINGE, note="one case only")
    add(g, hkey, r"\begin{cases} 2w - y_i x_i & y_i a_i > 1 \\ 2w & y_i a_i < 1 \end{cases}", hk,
        lambda x_i, w, y_i: pw((2 * w - y_i * x_i, y_i * w * x_i > 1), (2 * w, True)), HINGE, note="cases swapped")
    c = lambda x: 2 * x * cos(x ** 2)  # noqa: E731
    add(g, "2*x*cos(x**2)", r"2x\cos(x^2)", c, c, X3, note="chain rule")
    add(g, "2*x*cos(x**2)", r"\cos(x^2) \cdot 2x", c, c, X3, note="reordered")
    add(g, "exp(x)*(sin(x)+cos(x))", r"\sqrt{2}e^x\sin(x + \pi/4)", lambda x: exp(x) * (sin(x) + cos(x)),
        lambda x: sqrt(mpf(2)) * exp(x) * sin(x + PI / 4), X3, note="phase form")
    q = lambda x: (x * cos(x) - sin(x)) / x ** 2  # noqa: E731
    add(g, "(x*cos(x) - sin(x))/x**2", r"\frac{\cos x}{x} - \frac{\sin x}{x^2}", q,
        lambda x: cos(x) / x - sin(x) / x ** 2, dom(x=[0.5, 3]), note="split quotient")
    add(g, "(x*cos(x) - sin(x))/x**2", r"\frac{x\cos x + \sin x}{x^2}", q,
        lambda x: (x * cos(x) + sin(x)) / x ** 2, dom(x=[0.5, 3]), note="quotient rule sign")
    add(g, "1/(1+x**2)", r"\frac{d}{dx}\arctan x = \frac{1}{1+x^2}", lambda x: 1 / (1 + x ** 2),
        lambda x: 1 / (1 + x ** 2), X3, note="labelled")
    add(g, "tanh(x)", r"\frac{e^{2x}-1}{e^{2x}+1}", lambda x: tanh(x), lambda x: (exp(2 * x) - 1) / (exp(2 * x) + 1),
        X3, note="exponential form")
    add(g, "tanh(x)", r"2\sigma(2x) - 1", lambda x: tanh(x), lambda x: 2 * logistic(2 * x) - 1, X3,
        note="tanh by the logistic")
    xx = lambda x: x ** x * (ln(x) + 1)  # noqa: E731
    add(g, "x**x*(log(x)+1)", r"x^x(\ln x + 1)", xx, xx, dom(x=[0.5, 3]), note="derivative of x^x")
    add(g, "x**x*(log(x)+1)", r"e^{x\ln x}(1+\ln x)", xx, lambda x: exp(x * ln(x)) * (1 + ln(x)), dom(x=[0.5, 3]),
        note="x^x as e^{x ln x}")
    add(g, "x**x*(log(x)+1)", r"x \cdot x^{x-1}", xx, lambda x: x * x ** (x - 1), dom(x=[0.5, 3]),
        note="power rule misapplied")
    add(g, "sinh(x)", r"\frac{e^x - e^{-x}}{2}", lambda x: sinh(x), lambda x: (exp(x) - exp(-x)) / 2, X3,
        note="definition")
    add(g, "Max(x, 0)", r"\frac{|x| + x}{2}", lambda x: Max(x, 0), lambda x: (abs(x) + x) / 2, X3, note="ReLU")
    add(g, "3*x**2", "3x^2", lambda x: 3 * x ** 2, lambda x: 3 * x ** 2, X3, note="plain")
    add(g, "3*x**2", "x^2 + x^2 + x^2", lambda x: 3 * x ** 2, lambda x: 3 * x ** 2, X3, note="sum")
    add(g, "3*x**2", "3x^3", lambda x: 3 * x ** 2, lambda x: 3 * x ** 3, X3, note="wrong power")
