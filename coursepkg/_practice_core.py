"""Machinery of :mod:`coursepkg.practice`: calling a student's function safely, comparing, diagnosing.

Private: the public names are in :mod:`coursepkg.practice`.
"""
from __future__ import annotations

import copy
import html
import warnings
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

import numpy as np

_SEED = 20240


# ============================================================================ public types

@dataclass(frozen=True)
class Task:
    """One practice task: its name, the signature of the function to write, what it computes, its chapter."""

    name: str
    signature: str
    statement: str
    chapter: int
    _battery: Callable = field(repr=False, compare=False, default=None)
    _mutants: tuple = field(repr=False, compare=False, default=())


@dataclass(frozen=True)
class Report:
    """The result of :func:`check`: ``passed`` (bool), ``feedback`` (str) and the ``task`` name.

    Shown in a notebook as a short coloured box; ``str(report)`` is the plain text.
    """

    task: str
    passed: bool
    feedback: str

    def __bool__(self) -> bool:
        return self.passed

    def __str__(self) -> str:
        return self.feedback

    def __repr__(self) -> str:
        return self.feedback

    def _repr_html_(self) -> str:
        lines = self.feedback.splitlines()
        colour, mark = ("#2e7d32", "✔") if self.passed else ("#c62828", "✘")
        rest = html.escape("\n".join(lines[1:]))
        return (f'<div style="border-left: 4px solid {colour}; padding: 0.2em 0.8em; margin: 0.3em 0">'
                f'<strong style="color: {colour}">{mark} {html.escape(lines[0])}</strong>'
                + (f'<pre style="white-space: pre-wrap; margin: 0.3em 0 0 0; background: none">{rest}</pre>'
                   if rest else "") + "</div>")


class _Fail(Exception):
    """A failed check: its message is the report's feedback (after the first line)."""


@dataclass(frozen=True)
class _Mutant:
    hint: str
    fn: Callable


# ============================================================================ running student code

_CALLABLE_TYPES = (np.random.Generator,)


def _copy_arg(a):
    if isinstance(a, _CALLABLE_TYPES) or callable(a):
        return a
    return copy.deepcopy(a)


def _same(a, b) -> bool:
    """Whether an argument is unchanged (arrays within rounding, dicts entry by entry)."""
    if isinstance(a, Mapping):
        return isinstance(b, Mapping) and a.keys() == b.keys() and all(_same(a[k], b[k]) for k in a)
    if isinstance(a, np.ndarray):
        return (isinstance(b, np.ndarray) and a.shape == b.shape
                and bool(np.allclose(a, b, rtol=1e-12, atol=1e-15, equal_nan=True)))
    return True


def _guarded(fn, args, kwargs):
    """Call fn; return ("ok", result), ("notimpl", msg), ("fpe", msg) or ("exc", msg). Never raises."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", RuntimeWarning)
            with np.errstate(over="raise", divide="raise", invalid="raise", under="ignore"):
                return "ok", fn(*args, **kwargs)
    except NotImplementedError:
        return "notimpl", "NotImplementedError"
    except (FloatingPointError, RuntimeWarning) as exc:
        return "fpe", str(exc)
    except (Exception, SystemExit) as exc:  # noqa: BLE001 -- anything the student's code raises
        text = str(exc).splitlines()[0] if str(exc) else ""
        return "exc", f"{type(exc).__name__}: {text}" if text else type(exc).__name__


def _fmt(x) -> str:
    """A short, stable rendering of a number or an array."""
    if isinstance(x, (bool, np.bool_)):
        return str(bool(x))
    if isinstance(x, (int, np.integer)):
        return str(int(x))
    if isinstance(x, (float, np.floating)):
        return f"{float(x):.6g}"
    a = np.asarray(x)
    if a.dtype.kind == "b":
        return np.array2string(a, threshold=12, edgeitems=3, separator=", ").replace("\n", " ")
    if a.dtype.kind in "iu":
        return np.array2string(a, threshold=12, edgeitems=3, separator=", ").replace("\n", "")
    if a.dtype.kind in "biuf":
        return np.array2string(a.astype(float), precision=6, threshold=12, edgeitems=3,
                               separator=", ", floatmode="maxprec").replace("\n", "")
    return repr(x)[:60]


def _describe(x) -> str:
    if x is None:
        return "None"
    if isinstance(x, np.ndarray):
        return f"an array of shape {x.shape} and dtype {x.dtype}"
    if isinstance(x, (list, tuple)):
        return f"a {type(x).__name__} of length {len(x)}"
    if isinstance(x, Mapping):
        return f"a dict with keys {sorted(map(str, x))}"
    text = repr(x)
    return f"{type(x).__name__} {text[:40] + '...' if len(text) > 40 else text}"


def _to_array(value, what: str, *, boolean=False) -> np.ndarray:
    if value is None:
        raise _Fail("your result is None (is a `return` missing?)")
    if isinstance(value, (str, bytes)) or isinstance(value, Mapping):
        raise _Fail(f"{what} should be a numpy array, got {_describe(value)}")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            a = np.asarray(value)
    except Exception:  # noqa: BLE001 -- ragged lists and other odd objects
        raise _Fail(f"{what} should be a numpy array, got {_describe(value)}") from None
    if boolean:
        if a.dtype.kind == "b" or (a.dtype.kind in "iuf" and np.all((a == 0) | (a == 1))):
            return a.astype(bool).astype(float)
        raise _Fail(f"{what} should be an array of booleans (True = active), got {_describe(value)}")
    if a.dtype.kind == "c":
        if np.any(a.imag != 0):
            raise _Fail(f"{what} is complex ({_describe(value)}); the result must be real")
        a = a.real
    if a.dtype.kind not in "biuf":
        raise _Fail(f"{what} should be an array of numbers, got {_describe(value)}")
    a = a.astype(float)
    bad = ~np.isfinite(a)
    if np.any(bad):
        idx = tuple(int(i) for i in np.argwhere(bad)[0])
        where = f" at index {idx}" if a.ndim else ""
        raise _Fail(f"{what} contains {_fmt(a[idx] if a.ndim else a)}{where}")
    return a


def _parse(kind, value, context) -> dict:
    """Turn a returned value into {name: array} following the task's output kind."""
    if value is None:
        raise _Fail("your result is None (is a `return` missing?)")
    if kind == "array":
        return {"result": _to_array(value, "your result")}
    if kind == "bool":
        return {"result": _to_array(value, "your result", boolean=True)}
    if kind == "scalar":
        a = _to_array(value, "your result")
        if a.size != 1:
            raise _Fail(f"your result should be one number, got an array of shape {a.shape}")
        return {"result": a.reshape(())}
    if isinstance(kind, tuple):
        names = kind
        if not isinstance(value, (tuple, list)):
            raise _Fail(f"your function should return a tuple {_tuple_text(names)}, got {_describe(value)}")
        if len(value) != len(names):
            raise _Fail(f"your function should return a tuple of {len(names)}, {_tuple_text(names)}, "
                        f"got a {type(value).__name__} of length {len(value)}")
        return {n: _to_array(v, n) for n, v in zip(names, value)}
    if kind == "dict":
        keys = list(context)
        if not isinstance(value, Mapping):
            raise _Fail(f"your function should return a dict with the keys {keys}, got {_describe(value)}")
        if set(value) != set(keys):
            missing = [k for k in keys if k not in value]
            extra = sorted(str(k) for k in value if k not in context)
            raise _Fail(f"your dict should have the keys {keys}"
                        + (f"; missing {missing}" if missing else "") + (f"; unexpected {extra}" if extra else ""))
        return {k: _to_array(value[k], f"{k}") for k in keys}
    raise AssertionError(kind)  # pragma: no cover


def _tuple_text(names) -> str:
    return "(" + ", ".join(names) + ")"


def _worst(got, want, rtol, atol):
    """Index of the entry farthest outside the tolerance, or None if all are within it."""
    err = np.abs(got - want) - (atol + rtol * np.abs(want))
    if want.size == 0 or np.all(err <= 0):
        return None
    return np.unravel_index(int(np.argmax(err)), want.shape) if want.ndim else ()


def _close(got, mutant, tol) -> bool:
    """Whether the student's array equals a mutant's, to the tolerance of the failed comparison (x100)."""
    if got.shape != mutant.shape:
        return False
    if tol is None:  # a failed property: agreement to about 1e-9 of the mutant's scale
        rtol, atol = 1e-9, 1e-12 * (1.0 + float(np.max(np.abs(mutant), initial=0.0)))
    else:
        rtol, atol = max(100 * tol[0], 1e-7), 100 * tol[1]
    return bool(np.all(np.abs(got - mutant) <= atol + rtol * np.abs(mutant)))


class _Ctx:
    """What a battery uses: call the student's function, compare, fail with a diagnosis."""

    def __init__(self, task: Task, fn: Callable):
        self.task, self.fn = task, fn
        self.checks: list[str] = []
        self.low_precision = False

    def ok(self, what: str):
        if what not in self.checks:
            self.checks.append(what)

    # -- calling
    def call(self, case: str, args: tuple, kwargs: dict | None = None, *, kind="array", names=(), context=None):
        """Call the student's function on a copy of args; return the parsed result ({name: array})."""
        kwargs = kwargs or {}
        saved = [_copy_arg(a) for a in args]
        passed_args = [_copy_arg(a) for a in args]
        status, value = _guarded(self.fn, passed_args, dict(kwargs))
        if status == "notimpl":
            raise _Fail("__notimpl__")
        if status != "ok":
            self.fail(case, args, kwargs, kind, context, outcome=(status, value),
                      message=("numpy reported a floating-point problem while your function ran: "
                               f"{value}" if status == "fpe" else f"your function raised {value}"))
        for name, before, after in zip(names, saved, passed_args):
            if not _same(before, after):
                self.fail(case, args, kwargs, kind, context, outcome=("mutated", name),
                          message=(f"your function changed its argument `{name}` in place; compute a new array "
                                   f"instead (for example `Z = Z - m` rather than `Z -= m`, or work on a copy)"))
        parts = value if isinstance(value, (tuple, list)) else (value.values() if isinstance(value, Mapping)
                                                                 else (value,))
        self.low_precision = any(getattr(getattr(v, "dtype", None), "kind", "") == "f"
                                 and getattr(v, "dtype").itemsize < 8 for v in parts)
        try:
            return _parse(kind, value, context)
        except _Fail as exc:
            self.fail(case, args, kwargs, kind, context, outcome=("bad", str(exc)), message=str(exc))

    # -- comparing
    def compare(self, case, args, kwargs, got: dict, want: dict, rtol, atol, *, kind="array", context=None,
                what="values"):
        for name in want:
            g, w = got[name], np.asarray(want[name], dtype=float)
            label = "your result" if name == "result" else f"your {name}"
            if g.shape != w.shape:
                self.fail(case, args, kwargs, kind, context, outcome=("value", got),
                          message=f"{label} has shape {g.shape}, expected {w.shape}")
        for name in want:
            g, w = got[name], np.asarray(want[name], dtype=float)
            label = "your result" if name == "result" else f"your {name}"
            idx = _worst(g, w, rtol, atol)
            if idx is not None:
                at = f" at index {tuple(int(i) for i in idx)}" if w.ndim else ""
                self.fail(case, args, kwargs, kind, context, outcome=("value", got), tol=(rtol, atol), ref=want,
                          message=(f"{label} is wrong{at}: expected {_fmt(w[idx])}, received {_fmt(g[idx])}"
                                   + (f"\nexpected {name if name != 'result' else 'result'} = {_fmt(w)}"
                                      f"\nreceived {name if name != 'result' else 'result'} = {_fmt(g)}"
                                      if w.size <= 12 and w.ndim else "")))
        self.ok(what)

    # -- failing, with the matching mistake
    def fail(self, case, args, kwargs, kind, context, *, outcome, message, tol=None, ref=None):
        hint = self._diagnose(args, kwargs, kind, context, outcome, tol, ref)
        if hint is None and self.low_precision and outcome[0] == "value":
            hint = "your result is in single (or half) precision: compute in float64, numpy's default"
        text = f"case: {case}\n{message}"
        if hint:
            text += f"\nlikely mistake: {hint}"
        raise _Fail(text)

    def _diagnose(self, args, kwargs, kind, context, outcome, tol, ref=None):
        status = outcome[0]
        if status == "mutated":
            return None
        for mutant in self.task._mutants:
            m_status, m_value = _guarded(mutant.fn, [_copy_arg(a) for a in args], dict(kwargs))
            if status in ("fpe", "exc"):
                if m_status == status and m_value == outcome[1]:
                    return mutant.hint
                continue
            if m_status != "ok" or status not in ("value", "bad"):
                continue
            if status == "bad":
                try:
                    _parse(kind, m_value, context)
                except _Fail as exc:
                    if str(exc) == outcome[1]:
                        return mutant.hint
                continue
            try:
                m_parsed = _parse(kind, m_value, context)
            except _Fail:
                continue
            got = outcome[1]
            if ref is not None and m_parsed.keys() == ref.keys() and all(
                    _close(m_parsed[k], np.asarray(ref[k], dtype=float), tol) for k in ref):
                continue  # this mistake gives the right answer on this case: it cannot explain the failure
            if m_parsed.keys() == got.keys() and all(_close(got[k], m_parsed[k], tol) for k in got):
                return mutant.hint
        return None


# ============================================================================ shared helpers and references

def _rng(k=0):
    return np.random.default_rng(_SEED + k)


def _sig(z):
    z = np.asarray(z, dtype=float)
    e = np.exp(-np.abs(z))
    return np.where(z >= 0, 1.0 / (1.0 + e), e / (1.0 + e))


def _sig_prime(z):
    e = np.exp(-np.abs(np.asarray(z, dtype=float)))
    return e / (1.0 + e) ** 2


def _softmax(Z):
    E = np.exp(Z - Z.max(axis=1, keepdims=True))
    return E / E.sum(axis=1, keepdims=True)


def _lse(Z):
    m = Z.max(axis=1)
    return m + np.log(np.exp(Z - m[:, None]).sum(axis=1))


def _onehot(labels, K):
    Y = np.zeros((len(labels), K))
    Y[np.arange(len(labels)), labels] = 1.0
    return Y


def _grad_check(ctx, case, args, kwargs, got, kind, context, loss, point: dict, grads: dict, h=1e-5,
                rtol=1e-6, atol=1e-9):
    """Directional central-difference check of ``grads`` (student's) against ``loss(point)``."""
    rng = _rng(99)
    D = {k: rng.standard_normal(np.shape(v)) for k, v in point.items()}
    plus = loss({k: point[k] + h * D[k] for k in point})
    minus = loss({k: point[k] - h * D[k] for k in point})
    numeric = (plus - minus) / (2 * h)
    claimed = sum(float(np.sum(grads[k] * D[k])) for k in point)
    if not abs(numeric - claimed) <= atol + rtol * abs(numeric):
        ctx.fail(case, args, kwargs, kind, context, outcome=("value", got),
                 message=("your gradient fails a gradient check: along a random direction the central "
                          f"difference of the function gives {numeric:.6g}, your gradient {claimed:.6g}"))
    ctx.ok("a central-difference gradient check")


def _values(ctx, cases, ref, *, kind="array", names=(), rtol=1e-10, atol=1e-12, context=None, what="values"):
    """Call and compare on each case (label, args, kwargs)."""
    for label, args, kwargs in cases:
        got = ctx.call(label, args, kwargs, kind=kind, names=names, context=context)
        ctx.compare(label, args, kwargs, got, ref(*args, **kwargs), rtol, atol, kind=kind, context=context,
                    what=what)


def _wrap(names):
    """Reference returning a tuple -> dict of named arrays."""
    def deco(f):
        def g(*a, **k):
            out = f(*a, **k)
            if isinstance(names, tuple):
                return dict(zip(names, out))
            if names == "dict":
                return out
            return {"result": out}
        return g
    return deco
