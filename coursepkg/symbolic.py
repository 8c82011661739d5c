r"""Symbolic derivations (SymPy) that the chapters verify, one identity in one place.

Every function imports SymPy when it is called, so ``import coursepkg`` needs
numpy only. The functions return SymPy expressions or matrices (to be reused
in a page) or booleans (``True`` when the identity has been proved by
simplification). Symbols follow the notation page: the pre-activations of an
output layer of ``n`` units are ``sympy.symbols("z0:n", real=True)``, the
targets ``sympy.symbols("y0:n", real=True)``; a symbol created again with the
same name and assumptions is the same symbol, so callers can rebuild them.

A boolean identity is ``True`` when ``sympy.simplify(lhs - rhs)`` is zero.
``False`` means the difference is not zero at some point, which
:func:`is_identity` confirms numerically before answering, so a wrong formula
is reported as wrong rather than as "not proved".
"""
from __future__ import annotations

import numbers

import numpy as np

from ._validation import _describe, as_array, as_choice, as_float, as_int

__all__ = [
    "is_identity", "sigmoid_expr", "activation_expr",
    "sigmoid_derivative_identity", "tanh_sigmoid_identity",
    "softmax_jacobian", "softmax_jacobian_identity", "softmax_derivative_signs",
    "softmax_inverse_identity", "softmax_temperature_derivative", "softmax_temperature_limit",
    "cross_entropy_stationary_point", "output_error", "output_layer_gradients",
    "weighted_input_variance", "weight_decay_factor",
    "COSTS", "ACTIVATIONS", "OUTPUT_PAIRS",
]

#: Costs understood by :func:`output_error`.
COSTS = ("quadratic", "cross_entropy", "log_likelihood")
#: Output activations understood by :func:`activation_expr` and :func:`output_error`.
ACTIVATIONS = ("sigmoid", "linear", "softmax")
#: The (cost, activation) pairs for which the cost is defined on every output.
OUTPUT_PAIRS = (("quadratic", "sigmoid"), ("quadratic", "linear"), ("quadratic", "softmax"),
                ("cross_entropy", "sigmoid"), ("log_likelihood", "softmax"))


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


def _rational(v: float):
    """The exact rational value of a float: the short form when it is exact (0.1 -> 1/10), else its binary value.

    ``nsimplify(v, rational=True)`` rounds to about 15 significant digits, so
    distinct floats such as 1.0 and 1.0 - 1e-12 would both become 1.
    """
    sp = _sp()
    r = sp.nsimplify(v, rational=True)
    return r if float(r) == v else sp.Rational(v)


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


def _z_symbols(n: int):
    sp = _sp()
    return sp.symbols(f"z0:{n}", real=True)


def sigmoid_derivative_identity() -> bool:
    r"""Prove :math:`\sigma'(z) = \sigma(z)\,(1 - \sigma(z))`.

    Returns
    -------
    bool
        ``True``: SymPy's derivative of :math:`1/(1+e^{-z})` minus
        :math:`\sigma(1-\sigma)` simplifies to zero.

    Notes
    -----
    :math:`\sigma'(z) = e^{-z}/(1+e^{-z})^2 = \sigma(z) \cdot e^{-z}/(1+e^{-z})`
    and :math:`e^{-z}/(1+e^{-z}) = 1 - \sigma(z)`.

    Examples
    --------
    >>> sigmoid_derivative_identity()
    True
    """
    sp = _sp()
    z = sp.Symbol("z", real=True)
    s = sigmoid_expr(z)
    return is_identity(sp.diff(s, z), s * (1 - s))


def tanh_sigmoid_identity() -> bool:
    r"""Prove :math:`\sigma(z) = (1 + \tanh(z/2))/2` and :math:`\tanh z = 2\sigma(2z) - 1`.

    Returns
    -------
    bool
        ``True`` when both identities simplify to zero difference.

    Notes
    -----
    :math:`1 + \tanh(z/2) = 2e^{z/2}/(e^{z/2} + e^{-z/2})`; dividing by 2 and
    multiplying numerator and denominator by :math:`e^{-z/2}` gives
    :math:`1/(1 + e^{-z})`. The second identity is the first at :math:`2z`.

    Examples
    --------
    >>> tanh_sigmoid_identity()
    True
    """
    sp = _sp()
    z = sp.Symbol("z", real=True)
    first = is_identity(sigmoid_expr(z), (1 + sp.tanh(z / 2)) / 2)
    second = is_identity(sp.tanh(z), 2 * sigmoid_expr(2 * z) - 1)
    return first and second


def softmax_jacobian(n):
    r"""The Jacobian :math:`\partial a_j / \partial z_k` of the softmax of n symbols.

    Parameters
    ----------
    n : int, >= 1
        Number of units; the symbols are ``sympy.symbols("z0:n", real=True)``.

    Returns
    -------
    sympy.Matrix, shape (n, n)
        Entry ``(j, k)`` is :math:`\partial a_j / \partial z_k`, computed by
        differentiation (not from the closed form), unsimplified.

    Raises
    ------
    TypeError
        If ``n`` is not an integer.
    ValueError
        If ``n < 1``.

    Examples
    --------
    >>> import sympy as sp
    >>> J = softmax_jacobian(2)
    >>> z0, z1 = sp.symbols("z0:2", real=True)
    >>> sp.simplify(J[0, 1] + sp.exp(z0 + z1) / (sp.exp(z0) + sp.exp(z1)) ** 2)
    0
    """
    n = as_int(n, "n", minimum=1)
    z = _z_symbols(n)
    return activation_expr("softmax", z).jacobian(z)


def softmax_jacobian_identity(n) -> bool:
    r"""Prove :math:`\mathbf{J} = \operatorname{diag}(\mathbf{a}) - \mathbf{a}\mathbf{a}^\top` for n units.

    Parameters
    ----------
    n : int, >= 1

    Returns
    -------
    bool

    Raises
    ------
    TypeError
        If ``n`` is not an integer.
    ValueError
        If ``n < 1``.

    Notes
    -----
    Entry :math:`(j, k)` is :math:`a_j(\delta_{jk} - a_k)`, the quotient rule
    applied to :math:`e^{z_j} / \sum_i e^{z_i}`.

    Examples
    --------
    >>> softmax_jacobian_identity(3)
    True
    """
    sp = _sp()
    n = as_int(n, "n", minimum=1)
    a = activation_expr("softmax", _z_symbols(n))
    return is_identity(softmax_jacobian(n), sp.diag(*a) - a * a.T)


def softmax_derivative_signs(n) -> bool:
    r"""Prove :math:`\partial a_j/\partial z_j > 0` and :math:`\partial a_j/\partial z_k < 0` (:math:`k \ne j`).

    Parameters
    ----------
    n : int, >= 2
        Number of units (with one unit the softmax is the constant 1).

    Returns
    -------
    bool
        ``True`` when SymPy's assumption system, with every :math:`z_k` real,
        establishes the sign of every entry of the simplified Jacobian.

    Raises
    ------
    TypeError
        If ``n`` is not an integer.
    ValueError
        If ``n < 2``.

    Notes
    -----
    After simplification the diagonal is
    :math:`e^{z_j}\sum_{k \ne j} e^{z_k} / (\sum_k e^{z_k})^2`, a quotient of
    sums of exponentials (positive), and the off-diagonal entries are
    :math:`-e^{z_j + z_k}/(\sum_i e^{z_i})^2` (negative). The argument is the
    same for every n.

    Examples
    --------
    >>> softmax_derivative_signs(3)
    True
    """
    sp = _sp()
    n = as_int(n, "n", minimum=2)
    J = softmax_jacobian(n)
    for j in range(n):
        for k in range(n):
            entry = sp.factor(sp.simplify(J[j, k]))
            sign_ok = entry.is_positive if j == k else entry.is_negative
            if sign_ok is not True:
                return False
    return True


def softmax_inverse_identity(n) -> bool:
    r"""Prove that :math:`z_j - \log a_j` is the same constant for every j.

    Parameters
    ----------
    n : int, >= 1

    Returns
    -------
    bool
        ``True`` when :math:`z_j - \log a_j = \log\sum_k e^{z_k}` for every j,
        so that :math:`z_j = \log a_j + C` with :math:`C` independent of j.

    Raises
    ------
    TypeError
        If ``n`` is not an integer.
    ValueError
        If ``n < 1``.

    Examples
    --------
    >>> softmax_inverse_identity(3)
    True
    """
    sp = _sp()
    n = as_int(n, "n", minimum=1)
    z = _z_symbols(n)
    a = activation_expr("softmax", z)
    lse = sp.log(sum(sp.exp(v) for v in z))
    return all(is_identity(sp.expand_log(z[j] - sp.log(a[j]), force=True), lse) for j in range(n))


def softmax_temperature_derivative(n):
    r"""The derivative :math:`\partial a_j / \partial c` of the softmax :math:`e^{c z_j}/\sum_k e^{c z_k}`.

    Parameters
    ----------
    n : int, >= 1
        Number of units; the symbols are ``z0:n`` (real) and ``c`` (real).

    Returns
    -------
    sympy.Matrix, shape (n, 1)
        Computed by differentiation, unsimplified.

    Raises
    ------
    TypeError
        If ``n`` is not an integer.
    ValueError
        If ``n < 1``.

    Notes
    -----
    The closed form is :math:`a_j (z_j - \sum_k a_k z_k)`: the weight of unit j
    grows with c exactly when :math:`z_j` exceeds the a-weighted mean of the z.

    Examples
    --------
    >>> import sympy as sp
    >>> z = sp.symbols("z0:2", real=True); c = sp.Symbol("c", real=True)
    >>> a = activation_expr("softmax", z, temperature=c)
    >>> is_identity(softmax_temperature_derivative(2), a.multiply_elementwise(sp.Matrix(z) - (a.T * sp.Matrix(z))[0] * sp.ones(2, 1)))
    True
    """
    sp = _sp()
    n = as_int(n, "n", minimum=1)
    c = sp.Symbol("c", real=True)
    return sp.diff(activation_expr("softmax", _z_symbols(n), temperature=c), c)


def softmax_temperature_limit(z):
    r"""The limit as :math:`c \to +\infty` of :math:`e^{c z_j}/\sum_k e^{c z_k}` for given numbers z.

    Parameters
    ----------
    z : array_like, shape (n,)
        Finite real numbers; converted to exact rationals.

    Returns
    -------
    list of sympy.Rational
        :math:`1/m` for each of the m entries equal to :math:`\max_k z_k`, 0 for the others.

    Raises
    ------
    TypeError
        If ``z`` is not real and numeric.
    ValueError
        If ``z`` is not 1-D, is empty or is not finite.

    Examples
    --------
    >>> softmax_temperature_limit([1.0, 3.0, 3.0, -2.0])
    [0, 1/2, 1/2, 0]
    """
    sp = _sp()
    z = as_array(z, "z", ndim=1, allow_complex=False)
    c = sp.Symbol("c", positive=True)
    zs = [_rational(float(v)) for v in z]
    a = activation_expr("softmax", zs, temperature=c)
    return [sp.limit(v, c, sp.oo) for v in a]


def cross_entropy_stationary_point():
    r"""Stationary points and curvature of :math:`C(a) = -[y\log a + (1-y)\log(1-a)]`.

    Returns
    -------
    points : list of sympy expressions
        The solutions of :math:`\partial C/\partial a = 0` in :math:`a`: ``[y]``.
    second_derivative : sympy expression
        :math:`\partial^2 C / \partial a^2` at :math:`a = y`, simplified:
        :math:`1/(y(1-y))`, positive for :math:`0 < y < 1`.

    Notes
    -----
    :math:`C'(a) = -y/a + (1-y)/(1-a)` and
    :math:`C''(a) = y/a^2 + (1-y)/(1-a)^2 > 0` on :math:`(0, 1)`, so C is
    convex and :math:`a = y` is its global minimum; the symbols ``a`` and ``y``
    are positive.

    Examples
    --------
    >>> points, curvature = cross_entropy_stationary_point()
    >>> points
    [y]
    """
    sp = _sp()
    a, y = sp.symbols("a y", positive=True)
    C = -(y * sp.log(a) + (1 - y) * sp.log(1 - a))
    points = sp.solve(sp.diff(C, a), a)
    second = sp.simplify(sp.diff(C, a, 2).subs(a, y))
    return points, second


def _cost(cost: str, a, y):
    sp = _sp()
    if cost == "quadratic":
        return sum((a[j] - y[j]) ** 2 for j in range(len(a))) / 2
    if cost == "cross_entropy":
        return -sum(y[j] * sp.log(a[j]) + (1 - y[j]) * sp.log(1 - a[j]) for j in range(len(a)))
    return -sum(y[j] * sp.log(a[j]) for j in range(len(a)))


def _check_pair(cost, activation):
    cost = as_choice(cost, "cost", COSTS)
    activation = as_choice(activation, "activation", ACTIVATIONS)
    if (cost, activation) not in OUTPUT_PAIRS:
        raise ValueError(f"cost {cost!r} is not used with activation {activation!r}; "
                         f"the supported pairs are {list(OUTPUT_PAIRS)}")
    return cost, activation


def output_error(cost, activation, z, y):
    r"""The output error :math:`\boldsymbol{\delta}^L = \partial c / \partial \mathbf{z}^L` of one sample.

    Parameters
    ----------
    cost : {"quadratic", "cross_entropy", "log_likelihood"}
        :math:`\tfrac12\|\mathbf{a} - \mathbf{y}\|^2`,
        :math:`-\sum_j [y_j \log a_j + (1-y_j)\log(1-a_j)]`, or
        :math:`-\sum_j y_j \log a_j`.
    activation : {"sigmoid", "linear", "softmax"}
        The output activation :math:`\mathbf{a} = g(\mathbf{z})`; the pair must
        be one of :data:`OUTPUT_PAIRS`.
    z, y : list, tuple or column Matrix of SymPy expressions, same length n
        Pre-activations and targets.

    Returns
    -------
    sympy.Matrix, shape (n, 1)
        :math:`\delta_j = \partial c/\partial z_j`, by differentiation, simplified.

    Raises
    ------
    ValueError
        For an unsupported pair or when z and y differ in length.

    Notes
    -----
    Closed forms: quadratic + sigmoid :math:`(a_j - y_j)\sigma'(z_j)`; quadratic +
    linear :math:`a_j - y_j`; cross-entropy + sigmoid :math:`a_j - y_j`;
    log-likelihood + softmax :math:`a_j \sum_k y_k - y_j`, which is
    :math:`a_j - y_j` for every j when the targets sum to one (one-hot);
    quadratic + softmax :math:`\mathbf{J}^\top(\mathbf{a} - \mathbf{y})`.

    Examples
    --------
    >>> import sympy as sp
    >>> z, y = sp.symbols("z0:1", real=True), sp.symbols("y0:1", real=True)
    >>> output_error("quadratic", "linear", z, y)
    Matrix([[-y0 + z0]])
    """
    sp = _sp()
    cost, activation = _check_pair(cost, activation)
    z, y = _column(z, "z"), _column(y, "y")
    if len(z) != len(y):
        raise ValueError(f"z and y must have the same length, got {len(z)} and {len(y)}")
    a = activation_expr(activation, z)
    c = _cost(cost, a, y)
    return sp.Matrix([sp.simplify(sp.diff(c, v)) for v in z])


def output_layer_gradients(cost, activation, n_in, n_out):
    r"""Gradients of one sample's cost with respect to an output layer's :math:`\mathbf{W}^L` and :math:`\mathbf{b}^L`.

    The layer is :math:`\mathbf{z} = \mathbf{W}\mathbf{x} + \mathbf{b}`,
    :math:`\mathbf{a} = g(\mathbf{z})`, with every weight, bias, input
    :math:`x_k = a^{L-1}_k` and target a separate real symbol.

    Parameters
    ----------
    cost, activation : str
        As in :func:`output_error`.
    n_in, n_out : int, >= 1
        Units of layers L-1 and L.

    Returns
    -------
    dict
        ``"W"`` (n_out, n_in), ``"b"``, ``"x"``, ``"y"`` (columns) with the symbols
        ``w{j}{k}``, ``b{j}``, ``x{k}``, ``y{j}`` (the weights are ``w{j}_{k}`` when
        both ``n_in`` and ``n_out`` exceed 10, where ``w{j}{k}`` would name two
        weights alike, e.g. ``w111`` for (1, 11) and (11, 1)); ``"delta"``, the output error
        :math:`\partial c/\partial \mathbf{z}` as a function of those symbols;
        ``"dW"`` and ``"db"``, the gradients obtained by differentiating the
        cost directly with respect to each weight and bias.

    Raises
    ------
    TypeError
        If a name is not a string or a size is not an integer.
    ValueError
        For an unknown or unsupported (cost, activation) pair, or a size below 1.

    Notes
    -----
    The chain rule gives :math:`\partial c/\partial w_{jk} = \delta_j x_k` and
    :math:`\partial c/\partial b_j = \delta_j`, i.e.
    ``dW == delta * x.T`` and ``db == delta``, for every cost and activation.

    Examples
    --------
    >>> g = output_layer_gradients("cross_entropy", "sigmoid", 2, 1)
    >>> is_identity(g["dW"], g["delta"] * g["x"].T)
    True
    """
    sp = _sp()
    cost, activation = _check_pair(cost, activation)
    n_in = as_int(n_in, "n_in", minimum=1)
    n_out = as_int(n_out, "n_out", minimum=1)
    sep = "_" if min(n_in, n_out) > 10 else ""  # "w{j}{k}" is ambiguous only when both indices reach 10
    W = sp.Matrix(n_out, n_in, lambda j, k: sp.Symbol(f"w{j}{sep}{k}", real=True))
    b = sp.Matrix([sp.Symbol(f"b{j}", real=True) for j in range(n_out)])
    x = sp.Matrix([sp.Symbol(f"x{k}", real=True) for k in range(n_in)])
    y = sp.Matrix([sp.Symbol(f"y{j}", real=True) for j in range(n_out)])
    z = W * x + b
    c = _cost(cost, activation_expr(activation, z), y)
    zs = sp.Matrix(_z_symbols(n_out))
    delta = output_error(cost, activation, zs, y).subs(dict(zip(zs, z)))
    dW = sp.Matrix(n_out, n_in, lambda j, k: sp.diff(c, W[j, k]))
    db = sp.Matrix([sp.diff(c, b[j]) for j in range(n_out)])
    return {"W": W, "b": b, "x": x, "y": y, "delta": delta, "dW": dW, "db": db}


def weighted_input_variance(x, weight_var, bias_var):
    r"""Exact :math:`\operatorname{Var}(z)` for :math:`z = \sum_j w_j x_j + b` with independent, fixed-x Gaussian weights.

    Parameters
    ----------
    x : array_like, shape (n,)
        The fixed inputs (converted to exact rationals).
    weight_var, bias_var : float or sympy number, >= 0
        :math:`\operatorname{Var}(w_j)` (the same for every j) and :math:`\operatorname{Var}(b)`.

    Returns
    -------
    sympy.Rational
        :math:`\operatorname{Var}(w)\sum_j x_j^2 + \operatorname{Var}(b)`.

    Raises
    ------
    TypeError
        If ``x`` is not real and numeric, or a variance is not a number.
    ValueError
        If ``x`` is not 1-D, empty or not finite, or a variance is negative, complex or not finite.

    Notes
    -----
    Variances of independent terms add, and :math:`\operatorname{Var}(x_j w_j) = x_j^2 \operatorname{Var}(w_j)`.

    Examples
    --------
    >>> from fractions import Fraction
    >>> weighted_input_variance([1] * 500 + [0] * 500, Fraction(1, 1000), 1)
    3/2
    """
    sp = _sp()
    x = as_array(x, "x", ndim=1, allow_complex=False)
    wv = _nonneg_rational(weight_var, "weight_var")
    bv = _nonneg_rational(bias_var, "bias_var")
    values, counts = np.unique(x, return_counts=True)                   # convert each distinct value once
    sum_sq = sum(int(k) * _rational(float(v)) ** 2 for v, k in zip(values, counts))
    return wv * sum_sq + bv


def _nonneg_rational(v, name):
    sp = _sp()
    from fractions import Fraction
    if isinstance(v, Fraction):
        r = sp.Rational(v.numerator, v.denominator)
    elif isinstance(v, sp.Basic) and v.is_number:
        r = sp.nsimplify(v)
    else:
        r = sp.nsimplify(as_float(v, name), rational=True)
    if not (r.is_real and r >= 0):
        raise ValueError(f"{name} must be a real number >= 0, got {r}")
    return r


def weight_decay_factor(limit=False):
    r"""The factor by which L2 weight decay alone shrinks a weight over one epoch.

    Parameters
    ----------
    limit : bool, default False
        If true, return the limit as :math:`n \to \infty` (computed by SymPy).

    Returns
    -------
    sympy expression
        In the positive symbols ``eta``, ``lambda``, ``n``, ``m``:
        :math:`(1 - \eta\lambda/n)^{n/m}` (``n/m`` mini-batch steps of
        :math:`w \leftarrow (1 - \eta\lambda/n) w`), or its limit
        :math:`e^{-\eta\lambda/m}`.

    Raises
    ------
    TypeError
        If ``limit`` is not a bool.

    Examples
    --------
    >>> weight_decay_factor(limit=True)
    exp(-eta*lambda/m)
    """
    sp = _sp()
    if not isinstance(limit, (bool, np.bool_)):
        raise TypeError(f"limit must be True or False, got {_describe(limit)}")
    eta, lam, n, m = sp.symbols("eta lambda n m", positive=True)
    factor = (1 - eta * lam / n) ** (n / m)
    return sp.limit(factor, n, sp.oo) if limit else factor
