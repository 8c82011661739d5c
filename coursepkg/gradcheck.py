"""Numerical derivatives and gradient checks.

A hand-written gradient is only as good as the check that compares it with
an independent estimate. This module provides three such estimates
(forward differences, central differences and the complex step) and a
checker that reports the worst relative disagreement and where it occurs.

Bad input: ``TypeError`` for an argument of the wrong kind (``f`` not callable, ``x``
complex or not numeric, ``f`` returning something that is not a number) and
``ValueError`` for a wrong value (``x`` empty or not finite, ``h`` not positive or too
small to resolve, an unknown ``method``, an analytic gradient of the wrong shape, an
``f`` that returns NaN or changes its output shape); the message names the argument.
"""
from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

import numpy as np

from ._validation import _describe, as_array, as_choice, as_float

__all__ = ["numerical_gradient", "numerical_jacobian", "check_gradient", "GradientCheck",
           "default_step"]

METHODS = ("forward", "central", "complex")
_EPS = np.finfo(np.float64).eps
_TINY = np.finfo(np.float64).tiny


def default_step(method: str) -> float:
    r"""The default step :math:`h` for a differencing method.

    Parameters
    ----------
    method : {"forward", "central", "complex"}

    Returns
    -------
    float
        :math:`\sqrt{\epsilon} \approx 1.5\times 10^{-8}` for forward differences,
        :math:`\epsilon^{1/3} \approx 6.1\times 10^{-6}` for central differences and
        :math:`10^{-20}` for the complex step, where :math:`\epsilon` is the float64
        machine epsilon.


    Notes
    -----
    A forward difference has truncation error :math:`O(h)` and round-off error
    :math:`O(\epsilon/h)`; the sum is smallest near :math:`h=\sqrt{\epsilon}`. A
    central difference has truncation error :math:`O(h^2)`, so the balance is
    near :math:`h=\epsilon^{1/3}`. The complex step
    :math:`f'(x) \approx \operatorname{Im} f(x + ih)/h` subtracts nothing, so
    :math:`h` can be tiny and the result is exact to round-off.
    Each step is scaled by :math:`\max(1, |x_k|)` entry by entry.
    """
    method = as_choice(method, "method", METHODS)
    return {"forward": float(np.sqrt(_EPS)), "central": float(np.cbrt(_EPS)), "complex": 1e-20}[method]


def _flatten(x, name: str):
    """Return (flat vector, rebuild function, entry names) for an array or a dict of arrays."""
    if isinstance(x, Mapping):
        if not x:
            raise ValueError(f"{name} must not be an empty dict")
        keys = list(x)
        arrays = [as_array(x[k], f"{name}[{k!r}]", allow_empty=False) for k in keys]
        shapes = [a.shape for a in arrays]
        sizes = [a.size for a in arrays]
        flat = np.concatenate([a.ravel() for a in arrays])

        def rebuild(v):
            out, start = {}, 0
            for k, shape, size in zip(keys, shapes, sizes):
                out[k] = v[start:start + size].reshape(shape)
                start += size
            return out

        def label(i):
            start = 0
            for k, shape, size in zip(keys, shapes, sizes):
                if i < start + size:
                    idx = np.unravel_index(i - start, shape)
                    return f"{k}[{', '.join(str(int(j)) for j in idx)}]" if shape else str(k)
                start += size
            raise IndexError(i)  # pragma: no cover

        return flat, rebuild, label
    arr = as_array(x, name)
    shape = arr.shape

    def rebuild(v):
        return v.reshape(shape)

    def label(i):
        idx = np.unravel_index(i, shape)
        return f"{name}[{', '.join(str(int(j)) for j in idx)}]" if shape else name

    return arr.ravel(), rebuild, label


def _analytic_part(value, name: str, shape: tuple, x_name: str = "x") -> np.ndarray:
    """An analytic gradient (or one entry of a dict of them): real, and shaped exactly like x."""
    arr = as_array(value, name, allow_complex=False, allow_empty=True, finite=False)
    if arr.shape != shape:
        raise ValueError(f"{name} must have the shape of {x_name} {shape}, got {arr.shape}")
    return arr


def _flat_values(value, name: str) -> np.ndarray:
    if isinstance(value, Mapping):
        return np.concatenate([np.asarray(value[k]).ravel() for k in value])
    return np.asarray(value).ravel()


def _callable(f, name: str = "f"):
    if not callable(f):
        raise TypeError(f"{name} must be a function, got {_describe(f)}")
    return f


def _steps(flat: np.ndarray, h: float, method: str) -> np.ndarray:
    """The steps h * max(1, |x_k|), refused when too small to resolve."""
    steps = h * np.maximum(1.0, np.abs(flat))
    if method == "complex":
        if h < _TINY:  # Im f(x + ih) = f'(x) h would be subnormal: digits lost
            raise ValueError(f"h = {h:.3g} is too small for the complex step: the step must be at least "
                             f"{_TINY:.3g} (the smallest normal float64), got a subnormal step")
        return steps
    moved = (flat + steps != flat) & (flat - steps != flat)
    if not np.all(moved):
        k = int(np.flatnonzero(~moved)[0])
        raise ValueError(f"h = {h:.3g} is too small to move x: x + h*max(1, |x_k|) rounds back to x at entry {k} "
                         f"(x = {flat[k]:.17g}); use h >= {2 * _EPS:.3g} for {method} differences")
    return steps


def numerical_jacobian(f: Callable, x, h: float | None = None, method: str = "central") -> np.ndarray:
    r"""Estimate the Jacobian of ``f`` at ``x`` by finite differences or the complex step.

    ``f`` maps an array shaped like ``x`` to a scalar or an array of a fixed shape; for
    ``method="complex"`` it must accept complex input and be real analytic. The base step
    ``h`` (default :func:`default_step`) is scaled by :math:`\max(1, |x_k|)` per entry.
    Forward: :math:`(f(x + h e_k) - f(x))/h`; central:
    :math:`(f(x + h e_k) - f(x - h e_k))/(2h)` (the textbook quotients, whose round-off
    chapter 7 measures); complex step:
    :math:`\operatorname{Im} f(x + i h e_k)/h`.

    Returns an array of shape ``np.shape(f(x)) + x.shape``: entry ``[i..., k...]`` estimates
    :math:`\partial f_i / \partial x_k`. Refuses (``ValueError``) a step too small to move
    ``x`` (or, for the complex step, a subnormal one), an ``f`` whose output shape changes
    or that returns NaN or infinity; refuses (``TypeError``) an ``f`` that returns complex
    values to a difference method (their imaginary part would be dropped).

    >>> J = numerical_jacobian(np.sin, np.array([0.0, 1.0]), method="complex")
    >>> np.allclose(J, np.diag(np.cos([0.0, 1.0])), rtol=0, atol=1e-15)
    True
    """
    f = _callable(f)
    method = as_choice(method, "method", METHODS)
    x = as_array(x, "x", allow_complex=False)
    h = default_step(method) if h is None else as_float(h, "h", minimum=0.0, strict_min=True)
    flat = x.ravel()
    steps = _steps(flat, h, method)
    shape = []  # the output shape of f, fixed at the first evaluation

    def at(v, where):
        result = f(v.reshape(x.shape))
        value = np.asarray(result)
        if value.dtype.kind not in "biufc":
            raise TypeError(f"f must return a number or an array of numbers, got {_describe(result)}")
        if value.dtype.kind == "c" and method != "complex":
            raise TypeError(f"f must return real values for method={method!r}, got {value.dtype} at {where} "
                            "(the imaginary part would be dropped)")
        if not shape:
            shape.append(value.shape)
        elif value.shape != shape[0]:
            raise ValueError(f"f must return the same shape at every point, got {shape[0]} and then "
                             f"{value.shape} at {where}")
        finite = np.isfinite(value.imag) if method == "complex" else np.isfinite(value)
        if not np.all(finite):
            raise ValueError(f"f returned NaN or infinity at {where}; no derivative can be estimated there")
        return value

    columns = []
    if method == "forward":
        f0 = at(flat, "x").astype(np.float64)
    for k in range(flat.size):
        if method == "complex":
            xc = flat.astype(np.complex128)
            xc[k] += 1j * steps[k]
            col = np.imag(at(xc, f"x + i*h*e_{k}")) / steps[k]
        else:
            xp = flat.copy()
            xp[k] += steps[k]
            fp = at(xp, f"x + h*e_{k}").astype(np.float64)
            if method == "forward":
                col = (fp - f0) / steps[k]
            else:
                xm = flat.copy()
                xm[k] -= steps[k]
                col = (fp - at(xm, f"x - h*e_{k}").astype(np.float64)) / (2.0 * steps[k])
        columns.append(np.asarray(col, dtype=np.float64))
    return np.stack(columns, axis=-1).reshape(shape[0] + x.shape)


def numerical_gradient(f: Callable, x, h: float | None = None, method: str = "central"):
    r"""Estimate the gradient of a scalar function ``f`` at ``x``.

    Parameters
    ----------
    f : callable
        Maps ``x`` (an array, or a dict of arrays) to a scalar.
    x : array_like or dict of array_like
        The point. A dict (such as a network's ``params``) is treated as one
        long vector and the gradient is returned as a dict with the same keys
        and shapes.
    h : float, optional
        Base step (see :func:`default_step`).
    method : {"central", "forward", "complex"}

    Returns
    -------
    numpy.ndarray or dict
        The gradient, shaped like ``x``.


    Examples
    --------
    >>> import numpy as np
    >>> g = numerical_gradient(lambda v: np.sum(v ** 3), np.array([1.0, 2.0]), method="complex")
    >>> np.allclose(g, [3.0, 12.0], rtol=1e-15)
    True
    """
    f = _callable(f)
    flat, rebuild, _ = _flatten(x, "x")
    if isinstance(x, Mapping):
        as_array(flat, "x", allow_complex=False)

    def g(v):
        result = f(rebuild(v))
        value = np.asarray(result)
        if value.dtype.kind not in "biufc":
            raise TypeError(f"f must return a number, got {_describe(result)}")
        if value.ndim != 0 and value.size != 1:
            raise ValueError(f"f must return a scalar, got an array of shape {value.shape}")
        return value.reshape(())

    grad = numerical_jacobian(g, flat, h=h, method=method)
    return rebuild(grad)


@dataclass(frozen=True)
class GradientCheck:
    """The result of :func:`check_gradient`.

    Attributes
    ----------
    max_rel_error : float
        The worst relative error over all entries.
    worst : str
        The entry where it occurs, e.g. ``"W2[3, 0]"``.
    analytic : float
        The analytic derivative at that entry.
    numeric : float
        The numerical estimate at that entry.
    method : str
        The numerical method used.
    """

    max_rel_error: float
    worst: str
    analytic: float
    numeric: float
    method: str

    def __float__(self) -> float:
        return self.max_rel_error

    def __str__(self) -> str:
        return (f"max relative error {self.max_rel_error:.2e} at {self.worst} "
                f"(analytic {self.analytic:.10g}, {self.method} {self.numeric:.10g})")


def check_gradient(f: Callable, grad, x, method: str = "central", h: float | None = None,
                   floor: float = 1e-6) -> GradientCheck:
    r"""Compare an analytic gradient with a numerical one.

    Parameters
    ----------
    f : callable
        Scalar function of ``x``.
    grad : callable or array_like or dict
        The analytic gradient: a function of ``x`` returning an array (or dict)
        shaped like ``x``, or the gradient already evaluated at ``x``.
    x : array_like or dict of array_like
        The point (a dict such as a network's ``params`` is allowed).
    method : {"central", "forward", "complex"}
        How to compute the reference (see :func:`numerical_gradient`).
    h : float, optional
        Base step; default :func:`default_step`.
    floor : float, default 1e-6
        Entries are compared relative to
        :math:`\max(|a_k|, |n_k|, \text{floor}\cdot\max_j \max(|a_j|, |n_j|))`,
        so entries that are zero up to round-off do not produce huge ratios.

    Returns
    -------
    GradientCheck
        ``max_rel_error`` and the name of the worst entry; ``str()`` gives a
        one-line report.


    Notes
    -----
    The relative error of entry :math:`k` is
    :math:`|a_k - n_k| / \max(|a_k|, |n_k|, \tau)` with :math:`a` the analytic and
    :math:`n` the numerical gradient and :math:`\tau` the floor above; an entry where
    either derivative is NaN or infinite has error :math:`\infty`. Typical
    values for a correct gradient of a smooth function scaled near one:
    :math:`10^{-10}` or better (central), :math:`10^{-7}` (forward), and
    :math:`10^{-14}` (complex step). A gradient with a 1% error scores about
    :math:`10^{-2}`.

    Examples
    --------
    >>> import numpy as np
    >>> res = check_gradient(lambda v: np.sum(np.sin(v)), np.cos, np.array([0.3, -1.2]))
    >>> res.max_rel_error < 1e-9
    True
    """
    f = _callable(f)
    if not callable(grad) and grad is None:
        raise TypeError("grad must be a function or an array shaped like x, got NoneType None")
    method = as_choice(method, "method", METHODS)
    h = None if h is None else as_float(h, "h", minimum=0.0, strict_min=True)
    floor = as_float(floor, "floor", minimum=0.0)
    flat_x, _, label = _flatten(x, "x")
    as_array(flat_x, "x", allow_complex=False)
    analytic = grad(x) if callable(grad) else grad
    if isinstance(x, Mapping):
        if not isinstance(analytic, Mapping) or set(analytic) != set(x):
            got = sorted(map(str, analytic)) if isinstance(analytic, Mapping) else type(analytic).__name__
            raise ValueError(f"grad must be a dict with the keys of x {sorted(map(str, x))}, got {got}")
        parts = {k: _analytic_part(analytic[k], f"grad[{k!r}]", np.shape(x[k]), f"x[{k!r}]") for k in x}
        a = np.concatenate([parts[k].ravel() for k in x])  # entry by entry in the order of x
    else:
        a = _analytic_part(analytic, "grad", np.shape(x)).ravel()
    n = _flat_values(numerical_gradient(f, x, h=h, method=method), "numeric")
    scale = np.maximum(np.abs(a), np.abs(n))
    finite = np.isfinite(scale)
    denom = np.maximum(scale, floor * (scale[finite].max() if finite.any() else 0.0))
    err = np.zeros_like(a)
    nz = finite & (denom > 0)
    err[nz] = np.abs(a[nz] - n[nz]) / denom[nz]
    err[~finite] = np.inf  # a NaN or infinite derivative (analytic or numerical) never passes
    k = int(np.argmax(err))
    return GradientCheck(float(err[k]), label(k), float(a[k]), float(n[k]), method)
