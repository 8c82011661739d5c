r"""Optimizers: pure update rules on dicts of parameter arrays.

Every optimizer has the same interface::

    opt = sgd(lr=0.1)
    state = opt.init(params)                         # step counter and any moving averages
    params, state = opt.step(params, grads, state)   # new dicts; the inputs are not modified

``params`` and ``grads`` are dicts of arrays with the same keys and shapes
(a network's ``params`` and the ``grads`` of ``MLP.loss_and_grads``). The
learning rate may be a number or a schedule: a function of the step count
:math:`t = 1, 2, \dots` returning a number (see :func:`linear_decay`).

The update rules are those of the lecture slides, written with
:math:`\mathbf{g}` the gradient at the current parameters, :math:`\eta_t` the
learning rate of step :math:`t`, and every operation entrywise:

=========  ===================================================================================
sgd        :math:`\theta \leftarrow \theta - \eta_t \mathbf{g}`
momentum   :math:`\mathbf{v} \leftarrow \alpha \mathbf{v} + \mathbf{g}`,
           :math:`\theta \leftarrow \theta - \eta_t \mathbf{v}`
nesterov   :math:`\mathbf{v} \leftarrow \alpha \mathbf{v} + \mathbf{g}`,
           :math:`\theta \leftarrow \theta - \eta_t (\mathbf{g} + \alpha \mathbf{v})`
adagrad    :math:`\mathbf{r} \leftarrow \mathbf{r} + \mathbf{g}^2`,
           :math:`\theta \leftarrow \theta - \eta_t \mathbf{g} / (\epsilon + \sqrt{\mathbf{r}})`
rmsprop    :math:`\mathbf{r} \leftarrow \rho \mathbf{r} + (1 - \rho) \mathbf{g}^2`,
           :math:`\theta \leftarrow \theta - \eta_t \mathbf{g} / (\epsilon + \sqrt{\mathbf{r}})`
adam       :math:`\mathbf{m} \leftarrow \rho_1 \mathbf{m} + (1 - \rho_1) \mathbf{g}`,
           :math:`\mathbf{r} \leftarrow \rho_2 \mathbf{r} + (1 - \rho_2) \mathbf{g}^2`,
           :math:`\theta \leftarrow \theta - \eta_t \hat{\mathbf{m}} / (\epsilon + \sqrt{\hat{\mathbf{r}}})`
           with :math:`\hat{\mathbf{m}} = \mathbf{m} / (1 - \rho_1^t)`,
           :math:`\hat{\mathbf{r}} = \mathbf{r} / (1 - \rho_2^t)`
adadelta   :math:`\mathbf{r} \leftarrow \rho \mathbf{r} + (1 - \rho) \mathbf{g}^2`,
           :math:`\Delta = -\sqrt{\mathbf{u} + \epsilon} \,/\, \sqrt{\mathbf{r} + \epsilon} \odot \mathbf{g}`,
           :math:`\mathbf{u} \leftarrow \rho \mathbf{u} + (1 - \rho) \Delta^2`,
           :math:`\theta \leftarrow \theta + \eta_t \Delta`
=========  ===================================================================================

The slides call the momentum buffer :math:`\mathbf{g}'` (written
:math:`\mathbf{v}` here) and the learning rate :math:`\lambda` (written
:math:`\eta`, as in the notation page). :func:`weight_decay` wraps any optimizer so that
it adds :math:`\lambda\theta` to the gradient of every weight matrix (Optax's ``add_decayed_weights``).

Bad input: the constructors check their hyper-parameters, and ``step`` checks
``params`` and ``grads`` once (the state is the optimizer's own and is only
checked for its structure); errors are ``TypeError`` (wrong kind) or ``ValueError``
(wrong shape, range or value) naming the argument, what was expected and what
was given. The update rules themselves compute without checks.
"""
from __future__ import annotations

from collections.abc import Callable, Mapping

import numpy as np

from ._validation import _describe, as_array, as_float, as_int

__all__ = ["Optimizer", "sgd", "momentum", "nesterov", "adagrad", "rmsprop", "adam", "adadelta",
           "weight_decay", "linear_decay", "MAX_SQUARED_GRAD"]

#: beyond this gradient magnitude g * g overflows float64 (sqrt of the largest float is 1.34e154)
MAX_SQUARED_GRAD = 1e154


def _check_lr(lr, name="lr"):
    if callable(lr):
        return lr
    return as_float(lr, name, minimum=0.0, strict_min=True)


def _check_params(params, name="params") -> dict:
    if not isinstance(params, Mapping) or not params:
        raise TypeError(f"{name} must be a non-empty dict of arrays, got {_describe(params)}")
    return {k: as_array(v, f"{name}[{k!r}]", allow_empty=True) for k, v in params.items()}


def _check_decay(x, name):
    """A decay rate (momentum coefficient, averaging factor) in [0, 1)."""
    return as_float(x, name, minimum=0.0, maximum=1.0, strict_max=True)


def _check_eps(x, name="eps"):
    return as_float(x, name, minimum=0.0, strict_min=True)


class Optimizer:
    r"""A first-order optimizer with a pure ``init``/``step`` interface.

    ``name`` is shown by ``repr``; ``lr`` is the rate :math:`\eta > 0` or a schedule
    :math:`t \mapsto \eta_t`; ``slots`` names the per-parameter state arrays (zeros
    shaped like each parameter at ``init``); ``update(p, g, slots, lr, t) -> (new_p, new_slots)``
    is the rule for one array (it must not modify its inputs); ``hyper`` holds the
    hyper-parameters for ``repr``; ``squares=True`` marks rules that square the gradient
    (they refuse gradients above :data:`MAX_SQUARED_GRAD` instead of overflowing);
    ``decay`` is the weight decay :math:`\lambda` added by :func:`weight_decay`.
    """

    def __init__(self, name: str, lr, slots: tuple[str, ...], update: Callable, hyper: dict | None = None,
                 squares: bool = False, decay: float = 0.0):
        if not isinstance(name, str):
            raise TypeError(f"name must be a string, got {_describe(name)}")
        if isinstance(slots, str) or not isinstance(slots, (tuple, list)) or not all(isinstance(x, str) for x in slots):
            raise TypeError(f"slots must be a tuple of state names such as ('v',), got {_describe(slots)}")
        if not callable(update):
            raise TypeError(f"update must be a function (p, g, slots, lr, t) -> (new_p, new_slots), got {_describe(update)}")
        if hyper is not None and not isinstance(hyper, Mapping):
            raise TypeError(f"hyper must be a dict of hyper-parameters, got {_describe(hyper)}")
        self.name = name
        self.lr = _check_lr(lr)
        self.slots = tuple(slots)
        self._update = update
        self.hyper = dict(hyper or {})
        self.squares = bool(squares)
        self.decay = as_float(decay, "decay", minimum=0.0)

    def __repr__(self) -> str:
        lr = getattr(self.lr, "__name__", "schedule") if callable(self.lr) else self.lr
        args = ", ".join(f"{k}={v}" if k == "lr" and callable(self.lr) else f"{k}={v!r}"
                         for k, v in {"lr": lr, **self.hyper}.items())
        return f"{self.name}({args})"

    def learning_rate(self, t: int) -> float:
        """The learning rate used at step ``t`` (1-based; ``t = 0`` is allowed for schedules)."""
        return self._rate(as_int(t, "t", minimum=0))

    def _rate(self, t: int) -> float:
        """The rate at a checked step count (a constant rate was checked by the constructor)."""
        return as_float(self.lr(t), f"lr({t})", minimum=0.0) if callable(self.lr) else self.lr

    def init(self, params) -> dict:
        """Fresh state for ``params``: ``{"t": 0, <slot>: {key: zeros}}``."""
        params = _check_params(params)
        return {"t": 0, **{slot: {k: np.zeros_like(v) for k, v in params.items()} for slot in self.slots}}

    def _check_state(self, state, params) -> int:
        """The structure of the state (its arrays are the optimizer's own and are not re-checked)."""
        if not isinstance(state, Mapping) or "t" not in state or any(s not in state for s in self.slots):
            raise ValueError(f"state must come from {self.name}.init(params), got {_describe(state)}")
        t = state["t"]
        if isinstance(t, bool) or not isinstance(t, (int, np.integer)) or t < 0:
            raise ValueError(f"state['t'] must be a step count >= 0 from {self.name}.init/step, got {_describe(t)}")
        for s in self.slots:
            slot = state[s]
            if not isinstance(slot, Mapping) or set(slot) != set(params):
                raise ValueError(f"state[{s!r}] must have the keys of params {sorted(params)} "
                                 f"(state from {self.name}.init(params)), got {_describe(slot)}")
            for k, p in params.items():
                if np.shape(slot[k]) != p.shape:
                    raise ValueError(f"state[{s!r}][{k!r}] must have the shape of params[{k!r}] {p.shape}, "
                                     f"got {np.shape(slot[k])}")
        return int(t)

    def step(self, params, grads, state):
        """One update. Returns ``(new_params, new_state)``; the arguments are left unchanged."""
        params = _check_params(params)
        grads = _check_params(grads, "grads")
        if set(grads) != set(params):
            missing, extra = sorted(set(params) - set(grads)), sorted(set(grads) - set(params))
            raise ValueError(f"grads must have the keys of params; missing {missing}, unexpected {extra}")
        for k, p in params.items():
            if grads[k].shape != p.shape:
                raise ValueError(f"grads[{k!r}] must have the shape of params[{k!r}] {p.shape}, got {grads[k].shape}")
            if self.squares and grads[k].size and np.max(np.abs(grads[k])) > MAX_SQUARED_GRAD:
                raise ValueError(f"grads[{k!r}] has entries up to {np.max(np.abs(grads[k])):.3g} in magnitude; "
                                 f"{self.name} squares them, which overflows float64 above {MAX_SQUARED_GRAD:g}: "
                                 f"rescale the loss")
        t = self._check_state(state, params) + 1
        if not self.squares:
            return self._apply(params, grads, state, t, self._rate(t))
        with np.errstate(over="ignore"):  # a running sum of g * g can still overflow after many steps
            new_params, new_state = self._apply(params, grads, state, t, self._rate(t))
        for s in self.slots:
            for k, v in new_state[s].items():
                if not np.all(np.isfinite(v)):
                    raise ValueError(f"{self.name}: state[{s!r}][{k!r}] overflowed float64 at step {t} "
                                     f"(its running sum of squared gradients); rescale the loss")
        return new_params, new_state

    def _apply(self, params, grads, state, t, lr):
        """The update of :meth:`step` at step ``t`` with rate ``lr``, unchecked."""
        new_params, new_state = {}, {"t": t, **{s: {} for s in self.slots}}
        for k, p in params.items():
            g = grads[k] + self.decay * p if self.decay and _is_weight(k) else grads[k]
            new_params[k], new_slots = self._update(p, g, {s: state[s][k] for s in self.slots}, lr, t)
            for s in self.slots:
                new_state[s][k] = new_slots[s]
        return new_params, new_state


def _is_weight(key) -> bool:
    """Weight matrices are the keys starting with "W" (biases "b..." are not decayed)."""
    return isinstance(key, str) and key.startswith("W")


def weight_decay(optimizer, lam):
    r"""Wrap ``optimizer`` so that each step adds :math:`\lambda \mathbf{W}` to the gradient of every
    weight matrix (keys starting with ``"W"``; biases untouched): the gradient of
    :math:`\frac{\lambda}{2}\sum_l \|\mathbf{W}^l\|_F^2` (Optax's ``add_decayed_weights``).

    >>> import numpy as np
    >>> opt = weight_decay(sgd(0.5), 0.1)
    >>> p = {"W1": np.array([2.0]), "b1": np.array([2.0])}
    >>> new, _ = opt.step(p, {"W1": np.zeros(1), "b1": np.zeros(1)}, opt.init(p))
    >>> new["W1"].tolist(), new["b1"].tolist()   # 2 - 0.5 * 0.1 * 2
    ([1.9], [2.0])
    """
    if not isinstance(optimizer, Optimizer):
        raise TypeError(f"optimizer must be a coursepkg.optim.Optimizer, got {_describe(optimizer)}")
    lam = as_float(lam, "lam", minimum=0.0)
    return Optimizer(optimizer.name, optimizer.lr, optimizer.slots, optimizer._update,
                     {**optimizer.hyper, "weight_decay": optimizer.decay + lam}, optimizer.squares,
                     optimizer.decay + lam)


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


def momentum(lr, alpha=0.9):
    r"""Gradient descent with (heavy-ball) momentum (Polyak, 1964).

    Parameters
    ----------
    lr : float or callable
        Learning rate :math:`\eta > 0` or a schedule of the step count.
    alpha : float, default 0.9
        Momentum coefficient :math:`\alpha \in [0, 1)`; ``alpha=0`` is :func:`sgd`.

    Returns
    -------
    Optimizer
        State slot ``"v"``: the velocity :math:`\mathbf{v}` (the slides' :math:`\mathbf{g}'`), shaped like each parameter.

    Notes
    -----
    .. math::

        \mathbf{v}_t = \alpha \mathbf{v}_{t-1} + \mathbf{g}_t, \qquad
        \theta_t = \theta_{t-1} - \eta_t \mathbf{v}_t, \qquad \mathbf{v}_0 = \mathbf{0},

    so :math:`\mathbf{v}_t = \sum_{s \le t} \alpha^{t-s} \mathbf{g}_s`: a constant gradient
    is followed with the effective rate :math:`\eta / (1 - \alpha)`.

    Examples
    --------
    >>> import numpy as np
    >>> opt = momentum(0.1, alpha=0.5)
    >>> p, s = {"w": np.array([1.0])}, opt.init({"w": np.array([1.0])})
    >>> for _ in range(2):
    ...     p, s = opt.step(p, {"w": np.array([1.0])}, s)
    >>> np.round(p["w"], 12).tolist(), np.round(s["v"]["w"], 12).tolist()
    ([0.75], [1.5])
    """
    alpha = _check_decay(alpha, "alpha")

    def update(p, g, slots, lr_t, t):
        v = alpha * slots["v"] + g
        return p - lr_t * v, {"v": v}

    return Optimizer("momentum", lr, ("v",), update, {"alpha": alpha})


def nesterov(lr, alpha=0.9):
    r"""Nesterov momentum (Nesterov, 1983; Sutskever et al., 2013), using only the gradient at the current parameters.

    Parameters
    ----------
    lr : float or callable
        Learning rate :math:`\eta > 0` or a schedule of the step count.
    alpha : float, default 0.9
        Momentum coefficient :math:`\alpha \in [0, 1)`.

    Returns
    -------
    Optimizer
        State slot ``"v"``: the velocity :math:`\mathbf{v}`, shaped like each parameter.

    Notes
    -----
    The look-ahead form evaluates the gradient at the point the momentum step
    is about to reach, :math:`\tilde\theta = \theta - \eta \alpha \mathbf{v}`:

    .. math::

        \mathbf{v}_t = \alpha \mathbf{v}_{t-1} + \nabla J(\theta_{t-1} - \eta \alpha \mathbf{v}_{t-1}), \qquad
        \theta_t = \theta_{t-1} - \eta \mathbf{v}_t .

    Tracking the look-ahead point :math:`\phi_t = \theta_t - \eta \alpha \mathbf{v}_t` instead of
    :math:`\theta_t` gives, with :math:`\mathbf{g}_t = \nabla J(\phi_{t-1})`, the form implemented here:

    .. math::

        \mathbf{v}_t = \alpha \mathbf{v}_{t-1} + \mathbf{g}_t, \qquad
        \phi_t = \phi_{t-1} - \eta (\mathbf{g}_t + \alpha \mathbf{v}_t).

    For a constant :math:`\eta` the two produce the same velocities, and
    :math:`\phi_t = \theta_t - \eta\alpha\mathbf{v}_t` at every step (chapter 11 derives and
    checks this); :math:`\phi_0 = \theta_0` since :math:`\mathbf{v}_0 = \mathbf{0}`.

    Examples
    --------
    >>> import numpy as np
    >>> opt = nesterov(0.1, alpha=0.5)
    >>> p, s = opt.step({"w": np.array([1.0])}, {"w": np.array([1.0])}, opt.init({"w": np.array([1.0])}))
    >>> np.round(p["w"], 12).tolist()
    [0.85]
    """
    alpha = _check_decay(alpha, "alpha")

    def update(p, g, slots, lr_t, t):
        v = alpha * slots["v"] + g
        return p - lr_t * (g + alpha * v), {"v": v}

    return Optimizer("nesterov", lr, ("v",), update, {"alpha": alpha})


def adagrad(lr, eps=1e-8):
    r"""AdaGrad (Duchi et al., 2011): per-coordinate rates shrinking with the accumulated squared gradients.

    Parameters
    ----------
    lr : float or callable
        Learning rate :math:`\eta > 0` or a schedule of the step count.
    eps : float, default 1e-8
        :math:`\epsilon > 0`, added outside the square root.

    Returns
    -------
    Optimizer
        State slot ``"r"``: the running sum of squared gradients.

    Notes
    -----
    .. math::

        \mathbf{r}_t = \mathbf{r}_{t-1} + \mathbf{g}_t \odot \mathbf{g}_t, \qquad
        \theta_t = \theta_{t-1} - \eta_t \, \frac{\mathbf{g}_t}{\epsilon + \sqrt{\mathbf{r}_t}},

    entrywise, with :math:`\mathbf{r}_0 = \mathbf{0}`. The first step moves every coordinate
    with a non-zero gradient by almost exactly :math:`\eta`.

    Examples
    --------
    >>> import numpy as np
    >>> opt = adagrad(0.1)
    >>> p, s = opt.step({"w": np.array([1.0, 1.0])}, {"w": np.array([4.0, -0.01])}, opt.init({"w": np.zeros(2)}))
    >>> np.round(p["w"], 6).tolist()
    [0.9, 1.1]
    """
    eps = _check_eps(eps)

    def update(p, g, slots, lr_t, t):
        r = slots["r"] + g * g
        return p - lr_t * g / (eps + np.sqrt(r)), {"r": r}

    return Optimizer("adagrad", lr, ("r",), update, {"eps": eps}, squares=True)


def rmsprop(lr, rho=0.9, eps=1e-8):
    r"""RMSProp (Tieleman and Hinton, 2012): AdaGrad with an exponential moving average of squared gradients.

    Parameters
    ----------
    lr : float or callable
        Learning rate :math:`\eta > 0` or a schedule of the step count.
    rho : float, default 0.9
        Decay rate :math:`\rho \in [0, 1)` of the average.
    eps : float, default 1e-8
        :math:`\epsilon > 0`, added outside the square root.

    Returns
    -------
    Optimizer
        State slot ``"r"``: the moving average of squared gradients.

    Notes
    -----
    .. math::

        \mathbf{r}_t = \rho \mathbf{r}_{t-1} + (1 - \rho)\, \mathbf{g}_t \odot \mathbf{g}_t, \qquad
        \theta_t = \theta_{t-1} - \eta_t \, \frac{\mathbf{g}_t}{\epsilon + \sqrt{\mathbf{r}_t}},

    with :math:`\mathbf{r}_0 = \mathbf{0}` and no bias correction, so the first step is
    about :math:`\eta / \sqrt{1 - \rho}` per coordinate (:math:`3.16\,\eta` for :math:`\rho = 0.9`).

    Examples
    --------
    >>> import numpy as np
    >>> opt = rmsprop(0.1, rho=0.75)
    >>> p, s = opt.step({"w": np.array([1.0])}, {"w": np.array([3.0])}, opt.init({"w": np.zeros(1)}))
    >>> np.round(p["w"], 6).tolist(), s["r"]["w"].tolist()
    ([0.8], [2.25])
    """
    rho = _check_decay(rho, "rho")
    eps = _check_eps(eps)

    def update(p, g, slots, lr_t, t):
        r = rho * slots["r"] + (1.0 - rho) * (g * g)
        return p - lr_t * g / (eps + np.sqrt(r)), {"r": r}

    return Optimizer("rmsprop", lr, ("r",), update, {"rho": rho, "eps": eps}, squares=True)


def adam(lr=1e-3, rho1=0.9, rho2=0.999, eps=1e-8):
    r"""Adam (Kingma and Ba, 2015): momentum and RMSProp together, with bias correction.

    Parameters
    ----------
    lr : float or callable, default 1e-3
        Learning rate :math:`\eta > 0` or a schedule of the step count.
    rho1 : float, default 0.9
        Decay rate :math:`\rho_1 \in [0, 1)` of the first-moment average.
    rho2 : float, default 0.999
        Decay rate :math:`\rho_2 \in [0, 1)` of the second-moment average.
    eps : float, default 1e-8
        :math:`\epsilon > 0`, added outside the square root.

    Returns
    -------
    Optimizer
        State slots ``"m"`` (the slides' :math:`\mathbf{g}'`) and ``"r"``, the uncorrected averages.

    Notes
    -----
    .. math::

        \mathbf{m}_t = \rho_1 \mathbf{m}_{t-1} + (1 - \rho_1) \mathbf{g}_t, \quad
        \mathbf{r}_t = \rho_2 \mathbf{r}_{t-1} + (1 - \rho_2)\, \mathbf{g}_t \odot \mathbf{g}_t,

    .. math::

        \hat{\mathbf{m}}_t = \frac{\mathbf{m}_t}{1 - \rho_1^t}, \quad
        \hat{\mathbf{r}}_t = \frac{\mathbf{r}_t}{1 - \rho_2^t}, \quad
        \theta_t = \theta_{t-1} - \eta_t \, \frac{\hat{\mathbf{m}}_t}{\epsilon + \sqrt{\hat{\mathbf{r}}_t}} .

    Starting from :math:`\mathbf{m}_0 = \mathbf{r}_0 = \mathbf{0}`, the averages are weighted sums
    whose weights add up to :math:`1 - \rho^t`; dividing by it makes them unbiased for a
    constant gradient, and the first step is :math:`\eta\, \mathbf{g}_1 / (\epsilon + |\mathbf{g}_1|)`.

    Examples
    --------
    >>> import numpy as np
    >>> opt = adam(0.01)
    >>> p, s = opt.step({"w": np.array([1.0, 1.0])}, {"w": np.array([50.0, -0.2])}, opt.init({"w": np.zeros(2)}))
    >>> np.round(p["w"], 6).tolist()
    [0.99, 1.01]
    """
    rho1 = _check_decay(rho1, "rho1")
    rho2 = _check_decay(rho2, "rho2")
    eps = _check_eps(eps)

    def update(p, g, slots, lr_t, t):
        m = rho1 * slots["m"] + (1.0 - rho1) * g
        r = rho2 * slots["r"] + (1.0 - rho2) * (g * g)
        m_hat = m / (1.0 - rho1 ** t)
        r_hat = r / (1.0 - rho2 ** t)
        return p - lr_t * m_hat / (eps + np.sqrt(r_hat)), {"m": m, "r": r}

    return Optimizer("adam", lr, ("m", "r"), update, {"rho1": rho1, "rho2": rho2, "eps": eps}, squares=True)


def adadelta(lr=1.0, rho=0.9, eps=1e-6):
    r"""Adadelta (Zeiler, 2012): RMSProp whose step size is the RMS of the recent steps themselves.

    State slots ``"r"`` (:math:`E[g^2]`) and ``"u"`` (:math:`E[\Delta\theta^2]`), both from zero:

    .. math::

        \mathbf{r}_t &= \rho \mathbf{r}_{t-1} + (1 - \rho)\, \mathbf{g}_t^2, &
        \Delta_t &= -\frac{\sqrt{\mathbf{u}_{t-1} + \epsilon}}{\sqrt{\mathbf{r}_t + \epsilon}}\, \mathbf{g}_t, \\
        \mathbf{u}_t &= \rho \mathbf{u}_{t-1} + (1 - \rho)\, \Delta_t^2, &
        \theta_t &= \theta_{t-1} + \eta_t \Delta_t .

    Zeiler's rule is ``lr=1``: the ratio of the two RMS gives the step its units of
    :math:`\theta`. ``rho`` in [0, 1), ``eps`` > 0.

    >>> import numpy as np
    >>> opt = adadelta(rho=0.5, eps=1e-2)
    >>> p, s = opt.step({"w": np.array([1.0])}, {"w": np.array([3.0])}, opt.init({"w": np.zeros(1)}))
    >>> np.round(p["w"], 6).tolist()   # 1 - sqrt(0.01) / sqrt(4.5 + 0.01) * 3
    [0.858736]
    """
    rho = _check_decay(rho, "rho")
    eps = _check_eps(eps)

    def update(p, g, slots, lr_t, t):
        r = rho * slots["r"] + (1.0 - rho) * (g * g)
        delta = -np.sqrt(slots["u"] + eps) / np.sqrt(r + eps) * g
        u = rho * slots["u"] + (1.0 - rho) * (delta * delta)
        return p + lr_t * delta, {"r": r, "u": u}

    return Optimizer("adadelta", lr, ("r", "u"), update, {"rho": rho, "eps": eps}, squares=True)


def linear_decay(lr0, lr_tau, tau):
    r"""The linear learning-rate decay of the lecture slides.

    Parameters
    ----------
    lr0 : float
        Initial rate :math:`\eta_0 > 0`.
    lr_tau : float
        Final rate :math:`\eta_\tau > 0`.
    tau : int
        Number of steps of the decay, :math:`\tau \ge 1`.

    Returns
    -------
    callable
        :math:`t \mapsto \eta_t = (1 - t/\tau)\,\eta_0 + (t/\tau)\,\eta_\tau` for :math:`t \le \tau`,
        and :math:`\eta_\tau` (a constant) for :math:`t > \tau`. It takes a real step count
        :math:`t \ge 0` (a negative or non-numeric ``t`` raises ``ValueError``/``TypeError``).

    Notes
    -----
    The slides write "then :math:`\lambda = \lambda_0`" after step :math:`\tau`; the schedule is
    continuous only if it stays at the final rate :math:`\eta_\tau`, which is what is implemented.

    Examples
    --------
    >>> f = linear_decay(0.1, 0.01, 10)
    >>> [round(f(t), 6) for t in (0, 5, 10, 20)]
    [0.1, 0.055, 0.01, 0.01]
    """
    lr0 = as_float(lr0, "lr0", minimum=0.0, strict_min=True)
    lr_tau = as_float(lr_tau, "lr_tau", minimum=0.0, strict_min=True)
    tau = as_int(tau, "tau", minimum=1)

    def schedule(t):
        t = as_float(t, "t", minimum=0.0)  # the step count, 0, 1, 2, ...
        frac = min(t / tau, 1.0)
        return (1.0 - frac) * lr0 + frac * lr_tau

    schedule.__name__ = f"linear_decay({lr0}, {lr_tau}, {tau})"
    return schedule
