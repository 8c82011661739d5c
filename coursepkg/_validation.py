"""Input validation shared by every public function of :mod:`coursepkg`.

Each helper raises :class:`TypeError` (wrong kind of object) or
:class:`ValueError` (right kind, wrong shape, range or content) with a message
that names the argument, says what was expected and shows what was given.
The helpers are private: the public API documents its own errors.
"""
from __future__ import annotations

import numbers
from collections.abc import Sequence

import numpy as np


def _describe(x) -> str:
    """A short description of what was given, for error messages."""
    if isinstance(x, np.ndarray):
        return f"array of shape {x.shape} and dtype {x.dtype}"
    if isinstance(x, (list, tuple)):
        return f"{type(x).__name__} of length {len(x)}"
    text = repr(x)
    if len(text) > 60:
        text = text[:57] + "..."
    return f"{type(x).__name__} {text}"


def as_array(x, name: str, *, ndim: int | Sequence[int] | None = None,
             allow_complex: bool = True, allow_empty: bool = False,
             finite: bool = True) -> np.ndarray:
    """Convert ``x`` to a float64 (or complex128) array and check it.

    Integers and booleans are cast to float64; complex input is kept as
    complex128 when ``allow_complex`` is true (so the complex-step derivative
    passes through), and rejected otherwise.
    """
    if type(x) is np.ndarray and x.dtype == np.float64 and x.size and (ndim is None or x.ndim == ndim):
        if not finite or np.isfinite(x).all():  # the common case, checked without a copy
            return x
    if isinstance(x, (str, bytes)) or x is None:
        raise TypeError(f"{name} must be an array of numbers, got {_describe(x)}")
    try:
        arr = np.asarray(x)
    except (ValueError, TypeError) as exc:  # ragged nested lists and the like
        raise TypeError(f"{name} must be an array of numbers, got {_describe(x)} ({exc})") from None
    kind = arr.dtype.kind
    if kind in "biuf":
        arr = arr.astype(np.float64, copy=False)
    elif kind == "c":
        if not allow_complex:
            raise TypeError(f"{name} must be real, got complex {arr.dtype} input")
        arr = arr.astype(np.complex128, copy=False)
    else:
        raise TypeError(f"{name} must be an array of numbers, got {_describe(x)}")
    if ndim is not None:
        allowed = (ndim,) if isinstance(ndim, int) else tuple(ndim)
        if arr.ndim not in allowed:
            want = " or ".join(f"{d}-D" for d in allowed)
            raise ValueError(f"{name} must be {want}, got an array of shape {arr.shape} ({arr.ndim}-D)")
    if not allow_empty and arr.size == 0:
        raise ValueError(f"{name} must not be empty, got an array of shape {arr.shape}")
    if finite and arr.size and not np.all(np.isfinite(arr)):
        bad = int(np.size(arr) - np.count_nonzero(np.isfinite(arr)))
        raise ValueError(f"{name} must be finite, got {bad} NaN or infinite entr{'y' if bad == 1 else 'ies'}")
    return arr


def as_labels(y, name: str, n_classes: int | None = None, n_samples: int | None = None) -> np.ndarray:
    """Check integer class labels of shape (N,) with values in [0, n_classes)."""
    if isinstance(y, (str, bytes)) or y is None:
        raise TypeError(f"{name} must be an array of integer labels, got {_describe(y)}")
    try:
        arr = np.asarray(y)
    except (ValueError, TypeError) as exc:  # ragged nested lists
        raise TypeError(f"{name} must be an array of integer labels, got {_describe(y)} ({exc})") from None
    if arr.dtype.kind == "f":
        if arr.size and not np.all(np.isfinite(arr)):
            raise ValueError(f"{name} must hold integer labels, got NaN or infinite values")
        if arr.size and not np.all(arr == np.round(arr)):
            raise ValueError(f"{name} must hold integer labels, got non-integer values such as {float(arr[arr != np.round(arr)].flat[0])!r}")
        if arr.size and np.max(np.abs(arr)) > 2.0 ** 53:  # beyond this, floats are not exact integers
            raise ValueError(f"{name} must hold integer labels of magnitude at most 2**53, got {float(np.max(np.abs(arr)))!r}")
        arr = arr.astype(np.int64)
    elif arr.dtype.kind in "iu":
        if arr.dtype.kind == "u" and arr.size and int(arr.max()) > np.iinfo(np.int64).max:
            raise ValueError(f"{name} must hold integer labels that fit in int64, got {int(arr.max())}")
        arr = arr.astype(np.int64, copy=False)
    else:
        raise TypeError(f"{name} must be an array of integer labels, got {_describe(y)}")
    if arr.ndim != 1:
        raise ValueError(f"{name} must be 1-D (one label per sample), got shape {arr.shape}")
    if arr.size == 0:
        raise ValueError(f"{name} must not be empty")
    if n_samples is not None and arr.shape[0] != n_samples:
        raise ValueError(f"{name} must have one label per sample ({n_samples}), got {arr.shape[0]}")
    if n_classes is not None:
        lo, hi = int(arr.min()), int(arr.max())
        if lo < 0 or hi >= n_classes:
            raise ValueError(f"{name} must hold integers in [0, {n_classes}), got values from {lo} to {hi}")
    return arr


def as_int(n, name: str, *, minimum: int | None = None, maximum: int | None = None) -> int:
    """Check an integer argument (bool is rejected), optionally bounded."""
    if isinstance(n, bool) or not isinstance(n, numbers.Integral):
        raise TypeError(f"{name} must be an integer, got {_describe(n)}")
    n = int(n)
    if minimum is not None and n < minimum:
        raise ValueError(f"{name} must be an integer >= {minimum}, got {n}")
    if maximum is not None and n > maximum:
        raise ValueError(f"{name} must be an integer <= {maximum}, got {_describe(n)}")
    return n


def as_float(x, name: str, *, minimum: float | None = None, maximum: float | None = None,
             strict_min: bool = False, strict_max: bool = False) -> float:
    """Check a real scalar argument, optionally bounded."""
    if isinstance(x, bool) or not isinstance(x, numbers.Real):
        raise TypeError(f"{name} must be a real number, got {_describe(x)}")
    try:
        x = float(x)
    except OverflowError:  # a Python int beyond the float64 range
        raise ValueError(f"{name} must be finite (a float64), got an integer of {len(str(abs(x)))} digits") from None
    if not np.isfinite(x):
        raise ValueError(f"{name} must be finite, got {x}")
    if minimum is not None and (x < minimum or (strict_min and x == minimum)):
        op = ">" if strict_min else ">="
        raise ValueError(f"{name} must be {op} {minimum}, got {x}")
    if maximum is not None and (x > maximum or (strict_max and x == maximum)):
        op = "<" if strict_max else "<="
        raise ValueError(f"{name} must be {op} {maximum}, got {x}")
    return x


def as_choice(value, name: str, choices: Sequence[str]) -> str:
    """Check that ``value`` is one of the allowed strings."""
    if not isinstance(value, str):
        raise TypeError(f"{name} must be one of {list(choices)}, got {_describe(value)}")
    if value not in choices:
        raise ValueError(f"{name} must be one of {list(choices)}, got {value!r}")
    return value


def as_rng(rng, name: str = "rng") -> np.random.Generator:
    """Check a :class:`numpy.random.Generator` (never the global state)."""
    if not isinstance(rng, np.random.Generator):
        raise TypeError(f"{name} must be a numpy.random.Generator "
                        f"(np.random.default_rng(seed)), got {_describe(rng)}")
    return rng


def same_first_dim(a: np.ndarray, a_name: str, b: np.ndarray, b_name: str) -> None:
    """Check that two batch-first arrays hold the same number of samples."""
    if a.shape[0] != b.shape[0]:
        raise ValueError(f"{a_name} and {b_name} must have the same number of samples, "
                         f"got {a.shape[0]} and {b.shape[0]}")


def same_shape(a: np.ndarray, a_name: str, b: np.ndarray, b_name: str) -> None:
    """Check that two arrays have identical shapes (no silent broadcasting)."""
    if a.shape != b.shape:
        raise ValueError(f"{a_name} and {b_name} must have the same shape, got {a.shape} and {b.shape}")


def affine_shapes(A: np.ndarray, a_name: str, W: np.ndarray, b: np.ndarray) -> None:
    """Check that ``A @ W.T + b`` fits: A (N, n_in), W (n_out, n_in), b (n_out,)."""
    if A.shape[1] != W.shape[1]:
        raise ValueError(f"{a_name} has {A.shape[1]} features per sample but W expects {W.shape[1]} "
                         f"(W has shape {W.shape}, {a_name} {A.shape})")
    if b.shape[0] != W.shape[0]:
        raise ValueError(f"b must have shape ({W.shape[0]},) to match W of shape {W.shape}, got {b.shape}")


def as_network_params(params, name: str = "params", allow_complex: bool = True) -> dict:
    """Check the params dict of a fully connected network, ``W1, b1, ..., WL, bL``.

    Every entry is converted by :func:`as_array` (so its type is checked before its
    shape); ``W{l}`` must be 2-D (n_l, n_{l-1}), ``b{l}`` of shape (n_l,), and the
    layers must chain. Returns a new dict of arrays in the order W1, b1, ..., WL, bL.
    """
    from collections.abc import Mapping
    if not isinstance(params, Mapping):
        raise TypeError(f"{name} must be a dict of arrays with keys 'W1', 'b1', ..., got {_describe(params)}")
    L = sum(1 for k in params if isinstance(k, str) and k.startswith("W"))
    keys = [f"{p}{l}" for l in range(1, L + 1) for p in "Wb"]
    if L == 0 or set(params) != set(keys):
        raise ValueError(f"{name} must have keys W1, b1, ..., WL, bL, got {sorted(map(str, params))}")
    out = {k: as_array(params[k], f"{name}[{k!r}]", ndim=2 if k[0] == "W" else 1,
                       allow_complex=allow_complex) for k in keys}
    for l in range(1, L + 1):
        W, b = out[f"W{l}"].shape, out[f"b{l}"].shape
        if b != (W[0],):
            raise ValueError(f"{name}['b{l}'] must have shape ({W[0]},) to match {name}['W{l}'] of shape {W}, got {b}")
        if l > 1 and W[1] != out[f"W{l - 1}"].shape[0]:
            raise ValueError(f"{name}['W{l}'] has {W[1]} columns but layer {l - 1} has "
                             f"{out[f'W{l - 1}'].shape[0]} units")
    return out


def as_network_inputs(X, n0: int, name: str = "X", allow_complex: bool = True) -> np.ndarray:
    """Check a batch of network inputs: a finite 2-D array with ``n0`` features per sample."""
    X = as_array(X, name, ndim=2, allow_complex=allow_complex)
    if X.shape[1] != n0:
        raise ValueError(f"{name} must have {n0} features per sample (the network's input width), got shape {X.shape}")
    return X


def as_labels_any(y, name: str, n_classes: int | None = None, n_samples: int | None = None) -> np.ndarray:
    """:func:`as_labels`, with ragged nested lists rejected by our message instead of numpy's."""
    if isinstance(y, (list, tuple)):
        try:
            np.asarray(y)
        except (ValueError, TypeError):
            raise ValueError(f"{name} must be a 1-D array of integer labels, got a ragged "
                             f"{type(y).__name__} of length {len(y)}") from None
    return as_labels(y, name, n_classes=n_classes, n_samples=n_samples)
