"""Numerical derivatives and gradient checks.

A hand-written gradient is only as good as the check that compares it with
an independent estimate. This module provides three such estimates
(forward differences, central differences and the complex step) and a
checker that reports the worst relative disagreement and where it occurs.
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

    Raises
    ------
    ValueError
        If ``method`` is not one of the three names.
    TypeError
        If ``method`` is not a string.

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


def numerical_jacobian(f: Callable, x, h: float | None = None, method: str = "central") -> np.ndarray:
    r"""Estimate the Jacobian of ``f`` at ``x`` by finite differences or the complex step.

    Parameters
    ----------
    f : callable
        Maps an array shaped like ``x`` to a scalar or an array of any shape.
        For ``method="complex"`` it must accept complex input and be real
        analytic (no ``abs``, no ``max``, no conjugation).
    x : array_like
        The point, any shape (real).
    h : float, optional
        Base step; scaled by :math:`\max(1, |x_k|)` for each entry. Default
        :func:`default_step` of the method.
    method : {"central", "forward", "complex"}

    Returns
    -------
    numpy.ndarray
        Shape ``np.shape(f(x)) + x.shape``: entry ``[i..., k...]`` estimates
        :math:`\partial f_i / \partial x_k`.

    Raises
    ------
    ValueError
        If ``x`` is empty or not finite, ``h`` is not positive, or ``method`` is unknown.
    TypeError
        If ``x`` is not numeric or is complex, or ``f`` does not return numbers.

    Notes
    -----
    Forward: :math:`(f(x + h e_k) - f(x))/h`. Central:
    :math:`(f(x + h e_k) - f(x - h e_k))/(2h)`. Complex step:
    :math:`\operatorname{Im} f(x + i h e_k)/h`. Costs one (complex: one,
    central: two) evaluation of ``f`` per entry of ``x``.

    Examples
    --------
    >>> import numpy as np
    >>> J = numerical_jacobian(np.sin, np.array([0.0, 1.0]), method="complex")
    >>> np.allclose(J, np.diag(np.cos([0.0, 1.0])), rtol=0, atol=1e-15)
    True
    """
    method = as_choice(method, "method", METHODS)
    x = as_array(x, "x", allow_complex=False)
    h = default_step(method) if h is None else as_float(h, "h", minimum=0.0, strict_min=True)
    user_f = f

    def f(v):
        result = user_f(v)
        value = np.asarray(result)
        if value.dtype.kind not in "biufc":
            raise TypeError(f"f must return a number or an array of numbers, got {_describe(result)}")
        return value

    flat = x.ravel()
    steps = h * np.maximum(1.0, np.abs(flat))
    columns = []
    if method == "forward":
        f0 = np.asarray(f(x), dtype=np.float64)
    for k in range(flat.size):
        if method == "complex":
            xc = flat.astype(np.complex128)
            xc[k] += 1j * steps[k]
            col = np.imag(np.asarray(f(xc.reshape(x.shape)))) / steps[k]
        else:
            xp = flat.copy()
            xp[k] += steps[k]
            fp = np.asarray(f(xp.reshape(x.shape)), dtype=np.float64)
            if method == "forward":
                col = (fp - f0) / steps[k]
            else:
                xm = flat.copy()
                xm[k] -= steps[k]
                fm = np.asarray(f(xm.reshape(x.shape)), dtype=np.float64)
                col = (fp - fm) / (2.0 * steps[k])
        columns.append(np.asarray(col, dtype=np.float64))
    out_shape = columns[0].shape
    return np.stack(columns, axis=-1).reshape(out_shape + x.shape)


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

    Raises
    ------
    ValueError
        If ``f`` does not return a scalar, or for the reasons of :func:`numerical_jacobian`.
    TypeError
        If ``f`` does not return a number, or ``x`` is complex or not numeric.

    Examples
    --------
    >>> import numpy as np
    >>> g = numerical_gradient(lambda v: np.sum(v ** 3), np.array([1.0, 2.0]), method="complex")
    >>> np.allclose(g, [3.0, 12.0], rtol=1e-15)
    True
    """
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

    Raises
    ------
    ValueError
        If the analytic gradient (or, for a dict, one of its entries) does not have the
        shape of ``x``, a dict gradient does not have the keys of ``x``, ``x`` is empty
        or not finite, ``h`` is not positive, ``floor`` is negative or ``method`` is unknown.
    TypeError
        If ``x`` or the analytic gradient is complex or not numeric.

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
