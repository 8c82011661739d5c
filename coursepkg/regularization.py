r"""Regularization: weight penalties, dropout and batch normalization.

Conventions
-----------
* **Penalties act on weights only.** ``l2_penalty`` and ``l1_penalty`` accept
  either one array :math:`\mathbf{W}` or a network's ``params`` dict
  (``"W1", "b1", ..., "WL", "bL"``). With a dict, only the entries whose key
  starts with ``"W"`` are penalized; the biases are not (they contribute a zero
  gradient). The gradient functions return the same kind of object as their
  input: an array, or a dict with the keys of ``params``.
* The penalty is added to the **mean** loss :math:`\mathcal{L} = \frac1N\sum_i c_i`:

  .. math::

     \mathcal{L}_\lambda = \mathcal{L} + \frac{\lambda}{2} \sum_l \|\mathbf{W}^l\|_F^2
     \quad\text{(L2)}, \qquad
     \mathcal{L}_\lambda = \mathcal{L} + \lambda \sum_l \|\mathbf{W}^l\|_1 \quad\text{(L1)}.

  Nielsen writes the L2-regularized cost as :math:`C_0 + \frac{\lambda'}{2n}\sum w^2`
  with :math:`n` the training-set size; his :math:`\lambda'` is :math:`n\lambda` here.
* ``dropout(x, p, rng)`` removes each unit with probability ``p`` and scales the
  kept ones by :math:`1/(1-p)` ("inverted" dropout), so nothing changes at inference.
  It returns ``(out, mask)`` where ``mask`` holds :math:`0` or :math:`1/(1-p)`;
  :func:`dropout_backward` is ``dout * mask``.
* ``batchnorm_forward`` returns ``(y, cache)`` with a :class:`BatchNormCache`
  (``cache.xhat``, ``cache.gamma``, ``cache.std``) for ``batchnorm_backward``.

Bad input (any public function): :class:`TypeError` for an object of the wrong
kind, :class:`ValueError` for a wrong shape, range or non-finite value; the
message names the argument, what was expected and what was given. Public
functions check once and call private ``_``-prefixed compute functions
(``_dropout``, ``_batchnorm_forward``, ...), which callers that have
already checked their arrays (``coursepkg.mlp``) may use directly.
"""
from __future__ import annotations

from collections.abc import Mapping
from typing import NamedTuple

import numpy as np

from ._validation import _describe, as_array, as_float, as_rng, same_shape

__all__ = ["l2_penalty", "l2_penalty_grad", "l1_penalty", "l1_penalty_grad", "dropout",
           "dropout_backward", "dropout_ensemble_softmax", "MAX_ENSEMBLE_INPUTS",
           "batchnorm_forward", "batchnorm_backward", "BatchNormCache"]

#: Largest input width :func:`dropout_ensemble_softmax` enumerates (2**16 = 65,536 masks).
MAX_ENSEMBLE_INPUTS = 16


# ----------------------------------------------------------------------------- penalties

def _lam(lam):
    return as_float(lam, "lam", minimum=0.0)


def _weights(params, allow_complex=True):
    """Return ``(is_dict, {key: array})`` with the arrays to penalize (all keys for a dict)."""
    if isinstance(params, Mapping):
        if not params:
            raise ValueError("params must be a non-empty dict of arrays such as {'W1': ..., 'b1': ...}, got {}")
        arrays = {}
        for k, v in params.items():
            if not isinstance(k, str):
                raise TypeError(f"params keys must be strings such as 'W1' or 'b1', got {_describe(k)}")
            arrays[k] = as_array(v, f"params[{k!r}]", allow_complex=allow_complex, allow_empty=True)
        return True, arrays
    return False, {"W": as_array(params, "params", allow_complex=allow_complex, allow_empty=True)}


def _is_weight(key: str) -> bool:
    return key.startswith("W")


def l2_penalty(params, lam):
    r"""The L2 (weight-decay) penalty :math:`\frac{\lambda}{2}\sum_l \|\mathbf{W}^l\|_F^2`.

    Parameters
    ----------
    params : array_like or dict of array_like
        One weight array, or a network's ``params`` dict: then only the keys
        starting with ``"W"`` are penalized (biases are not).
    lam : float
        :math:`\lambda \ge 0`.

    Returns
    -------
    float or complex
        The penalty (complex only for complex input, for the complex-step derivative).

    Notes
    -----
    The sum is :math:`\sum w^2` (not :math:`\sum |w|^2`), so the function is
    analytic and the complex-step derivative applies. Added to the mean loss,
    its gradient :math:`\lambda \mathbf{W}` turns a gradient step into
    :math:`\mathbf{W} \leftarrow (1 - \eta\lambda)\mathbf{W} - \eta \nabla\mathcal{L}`:
    "weight decay".

    Examples
    --------
    >>> import numpy as np
    >>> float(l2_penalty({"W1": np.array([[3.0, 4.0]]), "b1": np.array([100.0])}, lam=0.1))
    1.25
    """
    lam = _lam(lam)
    _, arrays = _weights(params)
    total = sum(np.sum(a * a) for k, a in arrays.items() if _is_weight(k))
    return 0.5 * lam * total


def l2_penalty_grad(params, lam):
    r"""Gradient of :func:`l2_penalty`: :math:`\lambda \mathbf{W}^l` for each weight, 0 for biases.

    Parameters
    ----------
    params : array_like or dict of array_like
        As in :func:`l2_penalty`.
    lam : float
        :math:`\lambda \ge 0`.

    Returns
    -------
    numpy.ndarray or dict of numpy.ndarray
        Same kind, keys and shapes as ``params``.

    Examples
    --------
    >>> import numpy as np
    >>> g = l2_penalty_grad({"W1": np.array([[3.0, 4.0]]), "b1": np.array([100.0])}, lam=0.5)
    >>> g["W1"].tolist(), g["b1"].tolist()
    ([[1.5, 2.0]], [0.0])
    """
    lam = _lam(lam)
    is_dict, arrays = _weights(params)
    grads = {k: (lam * a if _is_weight(k) else np.zeros_like(a)) for k, a in arrays.items()}
    return grads if is_dict else grads["W"]


def l1_penalty(params, lam):
    r"""The L1 penalty :math:`\lambda \sum_l \|\mathbf{W}^l\|_1 = \lambda \sum |w|`.

    Parameters
    ----------
    params : array_like or dict of array_like
        One real weight array, or a network's ``params`` dict (only keys
        starting with ``"W"`` are penalized).
    lam : float
        :math:`\lambda \ge 0`.

    Returns
    -------
    float

    Examples
    --------
    >>> import numpy as np
    >>> float(l1_penalty(np.array([[3.0, -4.0]]), lam=0.5))
    3.5
    """
    lam = _lam(lam)
    _, arrays = _weights(params, allow_complex=False)
    return lam * float(sum(np.sum(np.abs(a)) for k, a in arrays.items() if _is_weight(k)))


def l1_penalty_grad(params, lam):
    r"""(Sub)gradient of :func:`l1_penalty`: :math:`\lambda\,\operatorname{sign}(\mathbf{W}^l)`.

    Parameters
    ----------
    params : array_like or dict of array_like
    lam : float

    Returns
    -------
    numpy.ndarray or dict of numpy.ndarray
        Same kind, keys and shapes as ``params``; zeros for biases.

    Notes
    -----
    :math:`|w|` is not differentiable at 0; the value returned there is
    :math:`\operatorname{sign}(0) = 0`, an element of the subdifferential :math:`[-\lambda, \lambda]`.
    A gradient step moves every weight a constant :math:`\eta\lambda` towards 0,
    whatever its size, which is why L1 drives small weights to exactly 0 when
    combined with a proximal (soft-threshold) step.

    Examples
    --------
    >>> import numpy as np
    >>> l1_penalty_grad(np.array([2.0, 0.0, -0.1]), lam=0.5).tolist()
    [0.5, 0.0, -0.5]
    """
    lam = _lam(lam)
    is_dict, arrays = _weights(params, allow_complex=False)
    grads = {k: (lam * np.sign(a) if _is_weight(k) else np.zeros_like(a)) for k, a in arrays.items()}
    return grads if is_dict else grads["W"]


# ----------------------------------------------------------------------------- dropout

def dropout(x, p, rng, training=True):
    r"""Inverted dropout: remove each unit with probability ``p``, scale the rest by :math:`1/(1-p)`.

    Parameters
    ----------
    x : array_like, any shape (typically (N, n))
        Activations.
    p : float
        Probability of **removing** a unit, :math:`0 \le p < 1`.
    rng : numpy.random.Generator
        Source of the mask (unused when ``training`` is false or ``p == 0``).
    training : bool, default True
        At inference (``False``) dropout is the identity.

    Returns
    -------
    out : numpy.ndarray, shape of ``x``
        ``x * mask``.
    mask : numpy.ndarray, shape of ``x``
        Entries :math:`0` (removed) or :math:`1/(1-p)` (kept); all ones when
        ``training`` is false. It is the cache of :func:`dropout_backward`.

    Notes
    -----
    With :math:`\mu_i \sim \text{Bernoulli}(1-p)` independent, the output is
    :math:`x_i \mu_i / (1-p)`, whose expectation over the mask is :math:`x_i`:
    the scaling keeps every unit's mean, so the network used at inference
    (no mask, no scaling) sees inputs with the means it was trained on.

    Examples
    --------
    >>> import numpy as np
    >>> out, mask = dropout(np.ones((2, 4)), 0.5, np.random.default_rng(0))
    >>> sorted(set(mask.ravel().tolist())) in ([0.0, 2.0], [0.0], [2.0])
    True
    >>> dropout(np.ones(3), 0.5, np.random.default_rng(0), training=False)[0].tolist()
    [1.0, 1.0, 1.0]
    """
    x = as_array(x, "x", allow_empty=True)
    p = as_float(p, "p", minimum=0.0, maximum=1.0, strict_max=True)
    rng = as_rng(rng)
    if not isinstance(training, (bool, np.bool_)):
        raise TypeError(f"training must be True or False, got {_describe(training)}")
    if not training or p == 0.0:
        return x.copy(), np.ones(x.shape)
    return _dropout(x, p, rng)


def _dropout(x, p, rng):
    """Inverted dropout without checks: ``(x * mask, mask)``, mask entries 0 or 1/(1-p)."""
    mask = (rng.random(x.shape) >= p) / (1.0 - p)  # shape of x
    return x * mask, mask


def dropout_backward(dout, mask):
    r"""Back-propagate through :func:`dropout`: :math:`\partial c/\partial x = \partial c/\partial \text{out} \odot \text{mask}`.

    Parameters
    ----------
    dout : array_like
        Gradient with respect to the output of :func:`dropout`.
    mask : array_like, shape of ``dout``
        The ``mask`` returned by :func:`dropout`.

    Returns
    -------
    numpy.ndarray, shape of ``dout``

    Examples
    --------
    >>> import numpy as np
    >>> dropout_backward(np.array([1.0, 1.0]), np.array([0.0, 2.0])).tolist()
    [0.0, 2.0]
    """
    dout = as_array(dout, "dout", allow_empty=True)
    mask = as_array(mask, "mask", allow_empty=True)
    same_shape(dout, "dout", mask, "mask")
    return dout * mask


def dropout_ensemble_softmax(W, b, x):
    r"""Normalized geometric mean of a linear softmax classifier over all :math:`2^n` input masks.

    Parameters
    ----------
    W : array_like, shape (K, n)
        Weights of the classifier :math:`\operatorname{softmax}(\mathbf{W}\mathbf{x} + \mathbf{b})`.
    b : array_like, shape (K,)
    x : array_like, shape (n,) or (N, n)
        One input or a batch; at most :data:`MAX_ENSEMBLE_INPUTS` features.

    Returns
    -------
    numpy.ndarray, shape (K,) or (N, K)
        :math:`\tilde p_k \propto \bigl(\prod_{\boldsymbol\mu \in \{0,1\}^n}
        \operatorname{softmax}(\mathbf{W}(\boldsymbol\mu \odot \mathbf{x}) + \mathbf{b})_k\bigr)^{2^{-n}}`,
        normalized to sum to 1.

    Notes
    -----
    Computed by brute force: the mean over masks of the log-probabilities,
    followed by a softmax (which performs the normalization). The masks are
    unscaled (kept inputs are not divided by :math:`1-p`), each of the
    :math:`2^n` masks having weight :math:`2^{-n}` (:math:`p = 1/2`). The book proves
    that the result equals :math:`\operatorname{softmax}(\mathbf{W}\mathbf{x}/2 + \mathbf{b})`.

    Examples
    --------
    >>> import numpy as np
    >>> W, b, x = np.array([[1.0, -2.0], [0.5, 3.0]]), np.array([0.1, -0.1]), np.array([0.7, 0.2])
    >>> from coursepkg.activations import softmax
    >>> bool(np.allclose(dropout_ensemble_softmax(W, b, x), softmax(W @ x / 2 + b)))
    True
    """
    from .activations import log_softmax, softmax

    W = as_array(W, "W", ndim=2, allow_complex=False)
    b = as_array(b, "b", ndim=1, allow_complex=False)
    x = as_array(x, "x", ndim=(1, 2), allow_complex=False)
    K, n = W.shape
    if b.shape != (K,):
        raise ValueError(f"b must have shape ({K},) to match W of shape {W.shape}, got {b.shape}")
    if x.shape[-1] != n:
        raise ValueError(f"x must have {n} features (the columns of W), got shape {x.shape}")
    if n > MAX_ENSEMBLE_INPUTS:
        raise ValueError(f"x has n = {n} features: enumerating all 2**n masks is limited to "
                         f"n <= {MAX_ENSEMBLE_INPUTS} (2**{MAX_ENSEMBLE_INPUTS} = {2 ** MAX_ENSEMBLE_INPUTS} masks)")
    masks = ((np.arange(2 ** n)[:, None] >> np.arange(n)) & 1).astype(np.float64)  # (2^n, n)
    X = np.atleast_2d(x)
    out = np.empty((X.shape[0], K))
    for i, xi in enumerate(X):
        logp = log_softmax((masks * xi) @ W.T + b, axis=1)  # (2^n, K)
        out[i] = softmax(logp.mean(axis=0))
    return out[0] if x.ndim == 1 else out


# ----------------------------------------------------------------------------- batch normalization

class BatchNormCache(NamedTuple):
    """What :func:`batchnorm_backward` needs."""
    xhat: np.ndarray     # (N, d), the normalized input
    gamma: np.ndarray    # (d,)
    std: np.ndarray      # (d,), sqrt(sigma^2 + eps)


def _pow2(x, e):
    """x * 2**e, exact (no rounding, no overflow in a scale factor); complex x scaled part by part."""
    if np.iscomplexobj(x):
        return np.ldexp(x.real, e) + 1j * np.ldexp(x.imag, e)
    return np.ldexp(x, e)


def _batchnorm_forward(x, gamma, beta, eps):
    # Scale each feature by a power of two near its largest |entry| before centring and squaring:
    # exact, and neither the sum of squares (x ~ 1e-170, 1e200) nor the mean (x ~ 1e308) under/overflows.
    e = np.frexp(np.max(np.abs(x.real), axis=0))[1]    # (d,), max|x_j| = f * 2**e_j with f in [0.5, 1)
    xs = _pow2(x, -e)                                   # (N, d), real parts in [-1, 1]
    xc = xs - xs.mean(axis=0)                           # (N, d)
    v = np.mean(xc * xc, axis=0)                        # (d,), sigma_j^2 / 4**e_j; 0 only for a constant feature
    if eps == 0.0 and np.any(v == 0):
        j = int(np.flatnonzero(v == 0)[0])
        raise ValueError(f"x has zero batch variance in feature {j} and eps = 0: the normalization "
                         f"divides by zero; use eps > 0")
    se = np.sqrt(eps)
    with np.errstate(over="ignore"):
        t = np.ldexp(se, -e)                            # (d,), sqrt(eps) in units of 2**e (may be inf)
    big = t > 1e150                                     # then sigma^2 < 1e-300 eps: sqrt(sigma^2 + eps) = sqrt(eps)
    t = np.where(big, 0.0, t)
    d = np.where(big, 1.0, np.sqrt(v + t * t))          # (d,), sqrt(sigma^2 + eps) / 2**e where not big
    with np.errstate(over="ignore", under="ignore"):   # np.where evaluates both branches; each column keeps its own
        xhat = np.where(big, _pow2(xc, e) / (se if se > 0 else 1.0), xc / d)   # (N, d)
        std = np.where(big, se, _pow2(d, e))            # (d,), sqrt(sigma^2 + eps)
    return gamma * xhat + beta, BatchNormCache(xhat, gamma, std)


def batchnorm_forward(x, gamma, beta, eps=1e-5):
    r"""Batch normalization of a batch ``x`` of shape (N, d), training mode.

    Parameters
    ----------
    x : array_like, shape (N, d)
        Pre-activations, one row per sample; :math:`N \ge 2`.
    gamma : array_like, shape (d,)
        Scale :math:`\boldsymbol\gamma`.
    beta : array_like, shape (d,)
        Shift :math:`\boldsymbol\beta`.
    eps : float, default 1e-5
        :math:`\epsilon \ge 0` added to the variance; with 0, a feature of zero
        batch variance is refused.

    Returns
    -------
    y : numpy.ndarray, shape (N, d)
        :math:`y_{ij} = \gamma_j \hat x_{ij} + \beta_j`.
    cache : BatchNormCache
        ``(xhat, gamma, std)``, what :func:`batchnorm_backward` needs.

    Notes
    -----
    Per feature :math:`j`:
    :math:`\mu_j = \frac1N\sum_i x_{ij}`,
    :math:`\sigma_j^2 = \frac1N\sum_i (x_{ij}-\mu_j)^2` (the biased batch variance),
    :math:`\hat x_{ij} = (x_{ij}-\mu_j)/\sqrt{\sigma_j^2+\epsilon}`.
    Each feature is divided by its largest magnitude first, so
    :math:`\hat{\mathbf{x}}` keeps full precision for features of any size the
    float64 range holds (``[[0], [1e-170]]`` gives :math:`\mp 1`). Complex input
    is kept (every step is analytic in the imaginary part), for the complex-step check.

    Examples
    --------
    >>> import numpy as np
    >>> y, _ = batchnorm_forward(np.array([[1.0], [3.0]]), np.ones(1), np.zeros(1), eps=0.0)
    >>> y.ravel().tolist()
    [-1.0, 1.0]
    """
    x = as_array(x, "x", ndim=2)
    if x.shape[0] < 2:
        raise ValueError(f"x must hold a batch of at least 2 samples (batch statistics), got shape {x.shape}")
    d = x.shape[1]
    gamma = as_array(gamma, "gamma", ndim=1)
    beta = as_array(beta, "beta", ndim=1)
    for name, v in (("gamma", gamma), ("beta", beta)):
        if v.shape != (d,):
            raise ValueError(f"{name} must have shape ({d},) (one per feature of x), got {v.shape}")
    eps = as_float(eps, "eps", minimum=0.0)
    return _batchnorm_forward(x, gamma, beta, eps)


def _batchnorm_backward(dy, cache):
    xhat, gamma, std = cache
    dbeta = dy.sum(axis=0)
    dgamma = np.sum(dy * xhat, axis=0)
    g = dy * gamma
    dx = (g - g.mean(axis=0) - xhat * np.mean(g * xhat, axis=0)) / std
    return dx, dgamma, dbeta


def batchnorm_backward(dy, cache):
    r"""Back-propagate through :func:`batchnorm_forward`.

    Parameters
    ----------
    dy : array_like, shape (N, d)
        :math:`\partial c / \partial \mathbf{y}`.
    cache : BatchNormCache
        From :func:`batchnorm_forward`.

    Returns
    -------
    dx : numpy.ndarray, shape (N, d)
    dgamma : numpy.ndarray, shape (d,)
    dbeta : numpy.ndarray, shape (d,)

    Notes
    -----
    With :math:`g_{ij} = \gamma_j\, \partial c/\partial y_{ij}`,

    .. math::

       \frac{\partial c}{\partial x_{ij}} = \frac{1}{\sqrt{\sigma_j^2+\epsilon}}
       \Bigl(g_{ij} - \frac1N\sum_k g_{kj} - \hat x_{ij}\,\frac1N\sum_k g_{kj}\hat x_{kj}\Bigr),

    :math:`\partial c/\partial\gamma_j = \sum_i \hat x_{ij}\,\partial c/\partial y_{ij}`,
    :math:`\partial c/\partial\beta_j = \sum_i \partial c/\partial y_{ij}`.
    The two subtracted means are the routes through :math:`\mu_j` and :math:`\sigma_j^2`.

    Examples
    --------
    >>> import numpy as np
    >>> y, cache = batchnorm_forward(np.array([[1.0], [3.0]]), np.ones(1), np.zeros(1))
    >>> dx, dg, db = batchnorm_backward(np.ones((2, 1)), cache)
    >>> bool(np.abs(dx).max() < 1e-15), db.tolist()
    (True, [2.0])
    """
    if not isinstance(cache, BatchNormCache):
        raise TypeError(f"cache must be the BatchNormCache returned by batchnorm_forward, got {_describe(cache)}")
    dy = as_array(dy, "dy", ndim=2)
    if dy.shape != cache.xhat.shape:
        raise ValueError(f"dy must have the shape of the forward output {cache.xhat.shape}, got {dy.shape}")
    return _batchnorm_backward(dy, cache)
