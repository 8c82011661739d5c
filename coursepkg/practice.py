r"""Practise with feedback: check your own implementation of a task.

``check(task, fn)`` calls your function ``fn`` on a battery of cases and returns
a :class:`Report` with ``.passed`` (bool) and ``.feedback`` (a few readable
lines). The battery checks, in this order, the type and shape of what ``fn``
returns, properties the result must have (rows of a softmax sum to one, a
gradient passes a central-difference check of the function it differentiates,
...), its values against a reference implementation on random cases drawn from
a fixed seed, and extreme inputs where the chapter teaches numerical stability
(:math:`|z|` up to :math:`10^4`, saturated units, relative accuracy in the
tails). Randomized tasks (dropout, initialization) are checked statistically,
with tolerances of several standard errors.

``check`` never raises because of your code: an exception (``NotImplementedError``
means "not implemented yet"), a numpy warning such as an overflow (turned into
an error while your function runs), a wrong type or shape, NaN, or a change made
in place to an argument all give a failed report that says what happened and
on which case. When your result on the failing case equals the result of a
known mistake on the same input (a transposed ``dW``, a sum instead of a mean,
a kernel that was not flipped, ...), the report names the mistake.
Only a ``task`` name that does not exist raises (``ValueError``).

Example
-------
>>> import numpy as np
>>> def my_softmax(Z):
...     raise NotImplementedError  # your code here
>>> print(check("softmax", my_softmax))
softmax: not implemented yet (your function raises NotImplementedError). Write its body, then run the check again.
>>> def my_softmax(Z):
...     E = np.exp(Z - Z.max(axis=1, keepdims=True))
...     return E / E.sum(axis=1, keepdims=True)
>>> check("softmax", my_softmax).passed
True

Tasks
-----
=========================== ===== ===============================================================
task                        ch.   signature
=========================== ===== ===============================================================
forward_pass                1     ``fn(params, X) -> A``
logistic_regression_grad    2     ``fn(w, b, X, y) -> (dw, db)``
sigmoid                     3     ``fn(z) -> a``
sigmoid_prime               3     ``fn(z) -> da_dz``
binary_cross_entropy        4     ``fn(p, y) -> float``
softmax                     5     ``fn(Z) -> A``
linear_backward             6     ``fn(dZ, A_prev, W) -> (dA_prev, dW, db)``
backprop                    6     ``fn(params, X, y) -> grads``
numerical_gradient          7     ``fn(f, x, h=1e-5) -> grad``
complex_step                7     ``fn(f, x, h=1e-20) -> grad``
softmax_cross_entropy_grad  8     ``fn(Z, labels) -> dZ``
convolve                    9     ``fn(f, g) -> y``
correlate2d                 10    ``fn(x, k) -> y``
adam_step                   11    ``fn(theta, g, m, v, t, lr=1e-3, rho1=0.9, rho2=0.999, eps=1e-8) -> (theta, m, v)``
nesterov_step               11    ``fn(theta, g, v, lr=0.01, alpha=0.9) -> (theta, v)``
l2_penalty_grad             12    ``fn(params, lam) -> grads``
dropout                     13    ``fn(x, p, rng) -> out``
xavier_normal               14    ``fn(n_out, n_in, rng) -> W``
batchnorm_backward          14    ``fn(dy, x, gamma, eps=1e-5) -> (dx, dgamma, dbeta)``
activation_pattern          15    ``fn(params, X) -> B``
random_features             16    ``fn(X, W, b) -> Phi``
=========================== ===== ===============================================================

The conventions are those of the package: batch-first arrays (``X`` of shape
(N, n_0)), ``W`` of shape (n_l, n_{l-1}) with ``Z = A_prev @ W.T + b``, a
network's ``params`` a dict ``"W1", "b1", ..., "WL", "bL"``, losses the mean
over the N samples. ``TASKS[name].statement`` states each task in one line.
"""
from __future__ import annotations

from collections.abc import Mapping

from ._practice_core import Report, Task, _Ctx, _Fail, _describe
from ._practice_tasks import _TASKS

__all__ = ["Task", "Report", "TASKS", "check"]

# documented here, where they are public
Task.__module__ = Report.__module__ = __name__


# ============================================================================ the public mapping and check

TASKS: Mapping[str, Task] = dict(sorted(_TASKS.items(), key=lambda kv: (kv[1].chapter, list(_TASKS).index(kv[0]))))
"""The tasks by name, in chapter order: ``TASKS["softmax"].signature``, ``.statement``, ``.chapter``."""


def check(task: str, fn) -> Report:
    """Check your implementation ``fn`` of the practice task ``task``.

    Parameters
    ----------
    task : str
        A name in :data:`TASKS` (for example ``"softmax"``).
    fn : callable
        Your function, with the signature ``TASKS[task].signature``.

    Returns
    -------
    Report
        ``.passed`` (bool), ``.feedback`` (str: what was checked, or the first failing case with the
        expected and received values and, when it matches a common mistake, which one).

    Raises
    ------
    ValueError
        If ``task`` is not a task name (the list of names is in the message). Nothing that ``fn``
        does makes ``check`` raise: exceptions, warnings, wrong types or shapes give a failed report.

    Examples
    --------
    >>> import numpy as np
    >>> print(check("convolve", lambda f, g: np.correlate(f, g, "full")))  # doctest: +ELLIPSIS
    convolve: not passed
    case: f = ...
    likely mistake: this is the cross-correlation: the kernel must be flipped (y[n] = Σ_m f[m] g[n − m])
    """
    if not isinstance(task, str) or task not in TASKS:
        raise ValueError(f"task must be one of {', '.join(repr(t) for t in TASKS)}; got {task!r}")
    t = TASKS[task]
    if not callable(fn):
        return Report(task, False, f"{task}: not passed\ncheck(task, fn) needs your function itself as fn "
                                   f"(without calling it), got {_describe(fn)}")
    ctx = _Ctx(t, fn)
    try:
        t._battery(ctx)
    except _Fail as exc:
        text = str(exc)
        if text == "__notimpl__":
            return Report(task, False, f"{task}: not implemented yet (your function raises NotImplementedError). "
                                       "Write its body, then run the check again.")
        if "your result is None (is a `return` missing?)" in text:
            return Report(task, False, f"{task}: not implemented yet, or a `return` is missing: your function "
                                       f"returned None.\n{text}")
        return Report(task, False, f"{task}: not passed\n{text}")
    except Exception as exc:  # noqa: BLE001 -- an odd object from the student's code that slipped through
        return Report(task, False, f"{task}: not passed\nyour result could not be checked "
                                   f"({type(exc).__name__}: {str(exc)[:200]})")
    return Report(task, True, f"{task}: passed\nchecked: {'; '.join(ctx.checks)}.")
