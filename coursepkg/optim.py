r"""Optimizers: pure update rules on dicts of parameter arrays.

Every optimizer has the same interface::

    opt = sgd(lr=0.1)
    state = opt.init(params)                         # step counter and any moving averages
    params, state = opt.step(params, grads, state)   # new dicts; the inputs are not modified

``params`` and ``grads`` are dicts of arrays with the same keys and shapes
(a network's ``params`` and the ``grads`` of ``MLP.loss_and_grads``). The
learning rate may be a number or a schedule: a function of the step count
:math:`t = 1, 2, \dots` returning a number (see :func:`linear_decay`).
"""
from __future__ import annotations

from collections.abc import Callable, Mapping

import numpy as np

from ._validation import _describe, as_array, as_float

__all__ = ["Optimizer", "sgd", "linear_decay"]


def _check_lr(lr, name="lr"):
    if callable(lr):
        return lr
    return as_float(lr, name, minimum=0.0, strict_min=True)


def _check_params(params, name="params") -> dict:
    if not isinstance(params, Mapping) or not params:
        raise TypeError(f"{name} must be a non-empty dict of arrays, got {_describe(params)}")
    return {k: as_array(v, f"{name}[{k!r}]", allow_empty=True) for k, v in params.items()}


class Optimizer:
    r"""A first-order optimizer with a pure ``init``/``step`` interface.

    Parameters
    ----------
    name : str
        For ``repr``.
    lr : float or callable
        Learning rate :math:`\eta > 0`, or a schedule :math:`t \mapsto \eta_t`.
    slots : tuple of str
        Names of per-parameter state arrays (e.g. ``("v",)`` for momentum),
        initialized to zeros shaped like each parameter.
    update : callable
        ``update(p, g, slots, lr, t) -> (new_p, new_slots)`` for one array
        ``p`` and its gradient ``g``; ``slots`` is a dict of arrays. It must not
        modify its inputs.
    hyper : dict, optional
        Hyper-parameters, shown by ``repr``.
    """

    def __init__(self, name: str, lr, slots: tuple[str, ...], update: Callable, hyper: dict | None = None):
        self.name = name
        self.lr = _check_lr(lr)
        self.slots = tuple(slots)
        self._update = update
        self.hyper = dict(hyper or {})

    def __repr__(self) -> str:
        lr = getattr(self.lr, "__name__", "schedule") if callable(self.lr) else self.lr
        args = ", ".join(f"{k}={v}" if k == "lr" and callable(self.lr) else f"{k}={v!r}"
                         for k, v in {"lr": lr, **self.hyper}.items())
        return f"{self.name}({args})"

    def learning_rate(self, t: int) -> float:
        """The learning rate used at step ``t`` (1-based)."""
        lr = self.lr(t) if callable(self.lr) else self.lr
        return as_float(lr, f"lr({t})", minimum=0.0)

    def init(self, params) -> dict:
        """Fresh state for ``params``: ``{"t": 0, <slot>: {key: zeros}}``."""
        params = _check_params(params)
        state = {"t": 0}
        for slot in self.slots:
            state[slot] = {k: np.zeros_like(v) for k, v in params.items()}
        return state

    def step(self, params, grads, state):
        """One update. Returns ``(new_params, new_state)``; the arguments are left unchanged.

        Raises
        ------
        ValueError
            If ``grads`` lacks a key of ``params`` (or has an extra one) or a shape differs,
            or ``state`` was not made by :meth:`init` for these parameters.
        """
        params = _check_params(params)
        grads = _check_params(grads, "grads")
        if set(grads) != set(params):
            missing, extra = sorted(set(params) - set(grads)), sorted(set(grads) - set(params))
            raise ValueError(f"grads must have the keys of params; missing {missing}, unexpected {extra}")
        for k in params:
            if grads[k].shape != params[k].shape:
                raise ValueError(f"grads[{k!r}] must have the shape of params[{k!r}] {params[k].shape}, "
                                 f"got {grads[k].shape}")
        if not isinstance(state, Mapping) or "t" not in state or any(s not in state for s in self.slots):
            raise ValueError(f"state must come from {self.name}.init(params), got {_describe(state)}")
        t = int(state["t"]) + 1
        lr = self.learning_rate(t)
        new_params = {}
        new_state = {"t": t, **{s: {} for s in self.slots}}
        for k, p in params.items():
            slots = {s: state[s][k] for s in self.slots}
            new_p, new_slots = self._update(p, grads[k], slots, lr, t)
            new_params[k] = new_p
            for s in self.slots:
                new_state[s][k] = new_slots[s]
        return new_params, new_state


def sgd(lr):
    r"""Plain (stochastic) gradient descent :math:`\theta \leftarrow \theta - \eta\, \mathbf{g}`.

    Parameters
    ----------
    lr : float or callable
        Learning rate :math:`\eta > 0` or a schedule of the step count.

    Returns
    -------
    Optimizer

    Examples
    --------
    >>> import numpy as np
    >>> opt = sgd(0.5)
    >>> p, s = opt.step({"w": np.array([1.0])}, {"w": np.array([2.0])}, opt.init({"w": np.array([1.0])}))
    >>> p["w"].tolist(), s["t"]
    ([0.0], 1)
    """
    return Optimizer("sgd", lr, (), lambda p, g, slots, lr_t, t: (p - lr_t * g, {}))


def linear_decay(lr0, lr_tau, tau):
    r"""The linear learning-rate decay of the lecture slides.

    Parameters
    ----------
    lr0 : float
        Initial rate :math:`\eta_0 > 0`.
    lr_tau : float
        Final rate :math:`\eta_\tau > 0`.
    tau : int
        Number of steps of the decay.

    Returns
    -------
    callable
        :math:`t \mapsto \eta_t = (1 - t/\tau)\,\eta_0 + (t/\tau)\,\eta_\tau` for :math:`t \le \tau`,
        and :math:`\eta_\tau` (a constant) for :math:`t > \tau`.
    """
    from ._validation import as_int

    lr0 = as_float(lr0, "lr0", minimum=0.0, strict_min=True)
    lr_tau = as_float(lr_tau, "lr_tau", minimum=0.0, strict_min=True)
    tau = as_int(tau, "tau", minimum=1)

    def schedule(t):
        frac = min(float(t) / tau, 1.0)
        return (1.0 - frac) * lr0 + frac * lr_tau

    schedule.__name__ = f"linear_decay({lr0}, {lr_tau}, {tau})"
    return schedule
