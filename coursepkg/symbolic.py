r"""Small SymPy helpers for the derivations the chapters carry out in their pages.

The derivations themselves live in the chapters, displayed and asserted there;
this module only holds what several of them reuse: an identity check that
answers with a numeric witness before it tries to simplify
(:func:`is_identity`), expression builders (:func:`sigmoid_expr`,
:func:`activation_expr`) and the gradient of an expression (:func:`gradient`).

Every function imports SymPy when it is called, so ``import coursepkg`` needs
numpy only. Bad input raises ``TypeError`` or ``ValueError`` naming the argument.
"""
from __future__ import annotations

import numbers

import numpy as np

from ._validation import _describe, as_choice

__all__ = ["is_identity", "sigmoid_expr", "activation_expr", "gradient", "ACTIVATIONS"]

#: Output activations understood by :func:`activation_expr`.
ACTIVATIONS = ("sigmoid", "linear", "softmax")


def _sp():
    """Import SymPy on first use (it is not needed by the numerical package)."""
    try:
        import sympy
    except ImportError as exc:  # pragma: no cover - exercised only without SymPy
        raise ImportError("coursepkg.symbolic needs SymPy: pip install sympy") from exc
    return sympy


def _expr(x, name: str):
    """Check a SymPy expression (a Python number is converted)."""
    sp = _sp()
    if isinstance(x, bool):
        raise TypeError(f"{name} must be a SymPy expression or a number, got {_describe(x)}")
    if isinstance(x, sp.Basic) and not isinstance(x, sp.MatrixBase):
        return x  # already exact (a SymPy Rational is a numbers.Number too: never round it)
    if isinstance(x, numbers.Number):
        if isinstance(x, (float, complex, np.inexact)) and not np.isfinite(x):
            raise ValueError(f"{name} must be finite, got {x}")
        r = sp.nsimplify(x)
        if isinstance(x, (complex, np.complexfloating)):
            if complex(r) != complex(x):  # nsimplify rounds to ~15 digits: keep the exact binary value
                r = sp.Rational(float(x.real)) + sp.I * sp.Rational(float(x.imag))
        elif isinstance(x, (float, np.floating)) and float(r) != float(x):
            r = sp.Rational(float(x))
        return r
    if isinstance(x, sp.MatrixBase) or not isinstance(x, sp.Basic):
        raise TypeError(f"{name} must be a SymPy expression or a number, got {_describe(x)}")
    return x


def _column(x, name: str):
    """Check a vector of SymPy expressions: a list/tuple or a column Matrix."""
    sp = _sp()
    if isinstance(x, sp.MatrixBase):
        if x.cols != 1 or x.rows == 0:
            raise ValueError(f"{name} must be a non-empty column vector, got a {x.rows}x{x.cols} matrix")
        entries = list(x)
    elif isinstance(x, (list, tuple)):
        if len(x) == 0:
            raise ValueError(f"{name} must not be empty")
        entries = list(x)
    else:
        raise TypeError(f"{name} must be a list, tuple or column Matrix of SymPy expressions, got {_describe(x)}")
    return sp.Matrix([_expr(e, f"{name}[{i}]") for i, e in enumerate(entries)])


def _admissible(symbol, value) -> bool:
    """Whether ``value`` satisfies every assumption of ``symbol`` (integer, negative, odd, ...)."""
    for key, wanted in symbol.assumptions0.items():
        has = getattr(value, f"is_{key}", None)
        if has is not None and has != wanted:
            return False
    return True


def _numeric_points(expr, rng_seed: int = 0, n_points: int = 3):
    """A few rational points at which to evaluate a difference.

    Each symbol gets a value in [1/10, 9/10] when that respects its assumptions
    (real, positive, ...), otherwise a value from a small pool of integers and
    fractions that does (an integer symbol gets an integer, a negative one a
    negative value). A symbol with no admissible value in the pool stops the
    screening: no point is produced.
    """
    sp = _sp()
    syms = sorted(expr.free_symbols, key=lambda s: s.name)
    rng = np.random.default_rng(rng_seed)
    pool = ([sp.Integer(i) for i in range(-12, 13)]
            + [sp.Rational(sign * i, 10) for sign in (1, -1) for i in range(1, 10)])
    for _ in range(n_points):
        point = {}
        for s in syms:
            v = sp.Rational(int(rng.integers(1, 10)), 10)
            if not _admissible(s, v):
                candidates = [c for c in pool if _admissible(s, c)]
                if not candidates:
                    return
                v = candidates[int(rng.integers(len(candidates)))]
            point[s] = v
        yield point


def is_identity(lhs, rhs) -> bool:
    r"""Whether two SymPy expressions (or matrices of equal shape) are equal.

    Parameters
    ----------
    lhs, rhs : sympy expression, number or sympy Matrix
        Both scalars, or both matrices of the same shape.

    Returns
    -------
    bool
        ``True`` if the difference of every pair of entries simplifies to 0
        (rational simplification after writing everything with exponentials,
        then ``sympy.simplify``). ``False`` if the difference is not zero,
        to 20 digits, at one of a few rational points in :math:`[0.1, 0.9]`
        (the symbols are set to those values, or to small integers or
        negative values where a symbol's assumptions require it); this cheap
        screening is done first. If the difference vanishes at the points but cannot be
        simplified to 0, a :class:`ValueError` is raised rather than a guess.

    Raises
    ------
    TypeError
        If an argument is not a SymPy object or a number, or one is a matrix
        and the other is not.
    ValueError
        If the shapes differ, a number is NaN or infinite, or simplification
        is inconclusive.

    Notes
    -----
    SymPy numbers are used as they are. A Python or numpy float becomes the
    rational (or closed form) ``sympy.nsimplify`` finds when that converts back
    to the same float, and its exact binary value otherwise, so two different
    floats are never compared as equal.

    Examples
    --------
    >>> import sympy as sp
    >>> x = sp.Symbol("x", real=True)
    >>> is_identity(sp.sin(x) ** 2 + sp.cos(x) ** 2, 1)
    True
    >>> is_identity(sp.exp(2 * x), sp.exp(x) ** 3)
    False
    """
    sp = _sp()
    lm, rm = isinstance(lhs, sp.MatrixBase), isinstance(rhs, sp.MatrixBase)
    if lm != rm:
        raise TypeError(f"lhs and rhs must both be matrices or both scalars, got "
                        f"{type(lhs).__name__} and {type(rhs).__name__}")
    if lm:
        if lhs.shape != rhs.shape:
            raise ValueError(f"lhs and rhs must have the same shape, got {lhs.shape} and {rhs.shape}")
        pairs = list(zip(lhs, rhs))
    else:
        pairs = [(_expr(lhs, "lhs"), _expr(rhs, "rhs"))]
    for k, (u, v) in enumerate(pairs):
        d = _expr(u, "lhs") - _expr(v, "rhs")
        if d == 0:
            continue
        # cheap screening first: a difference that is visibly non-zero at a point settles it
        for point in _numeric_points(d):
            value = complex(sp.N(d.subs(point), 30))
            if abs(value) > 1e-20:
                return False
        if not _simplifies_to_zero(d):
            raise ValueError(f"could not decide whether entry {k} of lhs - rhs, {d}, is zero: it does not "
                             "simplify to 0 but vanishes at the sample points")
    return True


def _simplifies_to_zero(d) -> bool:
    """Try increasingly expensive rewrites of ``d`` until one gives 0."""
    sp = _sp()
    e = sp.expand_power_exp(d.rewrite(sp.exp))          # exp(a + b) -> exp(a) exp(b): rational in exps
    if sp.cancel(sp.together(e)) == 0:
        return True
    return sp.simplify(d) == 0 or sp.simplify(e) == 0


def sigmoid_expr(z):
    r"""The logistic sigmoid :math:`\sigma(z) = 1/(1 + e^{-z})` as a SymPy expression.

    Parameters
    ----------
    z : sympy expression or number

    Returns
    -------
    sympy expression

    Raises
    ------
    TypeError
        If ``z`` is neither a SymPy expression nor a number.
    ValueError
        If ``z`` is a non-finite number.

    Examples
    --------
    >>> import sympy as sp
    >>> sigmoid_expr(sp.Symbol("z"))
    1/(1 + exp(-z))
    """
    sp = _sp()
    return 1 / (1 + sp.exp(-_expr(z, "z")))


def activation_expr(name, z, temperature=1):
    r"""An output layer's activations :math:`\mathbf{a} = g(\mathbf{z})` as a SymPy column vector.

    Parameters
    ----------
    name : {"sigmoid", "linear", "softmax"}
        ``sigmoid`` and ``linear`` act entrywise; ``softmax`` is
        :math:`a_j = e^{c z_j} / \sum_k e^{c z_k}` with :math:`c` the temperature argument.
    z : list, tuple or column Matrix of SymPy expressions, length n
    temperature : sympy expression or number, default 1
        The constant :math:`c` of the softmax (ignored by the other two; must be 1 for them).

    Returns
    -------
    sympy.Matrix, shape (n, 1)

    Raises
    ------
    ValueError
        For an unknown ``name``, or a temperature other than 1 for an entrywise activation.

    Examples
    --------
    >>> import sympy as sp
    >>> activation_expr("softmax", sp.symbols("z0:2")).T
    Matrix([[exp(z0)/(exp(z0) + exp(z1)), exp(z1)/(exp(z0) + exp(z1))]])
    """
    sp = _sp()
    name = as_choice(name, "name", ACTIVATIONS)
    z = _column(z, "z")
    c = _expr(temperature, "temperature")
    if name != "softmax" and c != 1:
        raise ValueError(f"temperature applies to the softmax only, got temperature={c} with name={name!r}")
    if name == "sigmoid":
        return z.applyfunc(sigmoid_expr)
    if name == "linear":
        return sp.Matrix(z)
    e = z.applyfunc(lambda v: sp.exp(c * v))
    return e / sum(e)


def gradient(expr, variables):
    r"""The gradient :math:`(\partial f/\partial v_1, \dots, \partial f/\partial v_n)` of a scalar expression.

    Parameters
    ----------
    expr : sympy expression or number
    variables : list, tuple or column Matrix of SymPy symbols, length n

    Returns
    -------
    sympy.Matrix, shape (n, 1)
        The partial derivatives, unsimplified.

    Raises
    ------
    TypeError
        If ``expr`` is not a SymPy expression or a number, or ``variables`` is not a sequence of symbols.
    ValueError
        If ``variables`` is empty.

    Examples
    --------
    >>> import sympy as sp
    >>> x, y = sp.symbols("x y")
    >>> gradient(x**2 * y, [x, y]).T
    Matrix([[2*x*y, x**2]])
    """
    sp = _sp()
    f = _expr(expr, "expr")
    v = _column(variables, "variables")
    for i, s in enumerate(v):
        if not isinstance(s, sp.Symbol):
            raise TypeError(f"variables[{i}] must be a SymPy Symbol, got {_describe(s)}")
    return sp.Matrix([sp.diff(f, s) for s in v])
