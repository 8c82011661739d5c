r"""A tiny reverse-mode automatic differentiation of scalar expressions.

A :class:`Value` wraps one real number. Every arithmetic operation on values
returns a new value that remembers its operands (its *parents*) together with
the local derivatives of the result with respect to each of them, evaluated
during the forward computation. :meth:`Value.backward` then visits the graph
once, in reverse topological order, and accumulates

.. math::

    \bar v_p \mathrel{+}= \bar v \, \frac{\partial v}{\partial v_p}

for every edge :math:`v_p \to v`, where :math:`\bar v = \partial f / \partial v`
is the *adjoint* of node :math:`v`. This is the chain rule organised from the
output backwards, exactly as in back-propagation; one sweep gives the
derivative of the output with respect to every input.

The module is for teaching and for checking hand-written gradients: it works
one scalar at a time (a numpy array of ``dtype=object`` holding values gives
matrix products for free, slowly). There is no global state: no tape, no
"gradient mode", no counters; a graph is just the values that reference each
other.

Bad input: ``TypeError`` for an operand or argument of the wrong kind (a string,
``None``, a complex number, an ``f`` that is not a function or returns no scalar);
``ValueError`` for a value outside the domain (NaN or infinity as data or as an
operand, division by zero, the log of a non-positive number, a non-integer power of
a negative base); ``OverflowError`` when a result or one of its local derivatives
is not a finite float64. Each message names the operand or argument.
"""
from __future__ import annotations

import math
import numbers
from collections.abc import Callable

import numpy as np

from ._validation import _describe, as_array, as_float

__all__ = ["Value", "value_and_grad"]

_EXP_MAX = math.log(np.finfo(np.float64).max)  # about 709.78: exp overflows above this


def _real(x, name: str) -> float:
    """A finite real scalar (bool and complex rejected) as a Python float."""
    if isinstance(x, (bool, np.bool_)) or not isinstance(x, numbers.Real):
        raise TypeError(f"{name} must be a real number, got {_describe(x)}")
    return as_float(x, name)


class Value:
    r"""A real scalar that records how it was computed, for reverse-mode differentiation.

    Parameters
    ----------
    data : float
        The number (an int or a numpy real scalar is converted to float; bool,
        complex, NaN and infinity are rejected).

    Attributes
    ----------
    data : float
        The value computed in the forward pass.
    grad : float
        :math:`\partial f / \partial(\text{this value})` for the output :math:`f`
        on which :meth:`backward` was last called (0.0 before that).


    Notes
    -----
    Supported operations: ``+``, ``-`` (binary and unary), ``*``, ``/``, ``**``
    (with a number or a value as exponent, and a number raised to a value),
    :meth:`exp`, :meth:`log`, :meth:`tanh`, :meth:`sigmoid`, :meth:`relu`.
    A plain Python number combined with a value is treated as a constant.
    Each operation stores the local derivatives

    ====================  ==============================================================
    operation             local derivatives
    ====================  ==============================================================
    :math:`a + b`         :math:`1,\ 1`
    :math:`a - b`         :math:`1,\ -1`
    :math:`a b`           :math:`b,\ a`
    :math:`a / b`         :math:`1/b,\ -a/b^2`
    :math:`a^c`           :math:`c\,a^{c-1}` (and :math:`a^c \log a` for the exponent)
    :math:`e^a`           :math:`e^a`
    :math:`\log a`        :math:`1/a`
    :math:`\tanh a`       :math:`1 - \tanh^2 a`
    :math:`\sigma(a)`     :math:`\sigma(a)(1 - \sigma(a))`
    :math:`\max(a, 0)`    :math:`1` if :math:`a > 0`, else :math:`0`
    ====================  ==============================================================

    An operation whose result is not a finite float (``exp`` of a number
    above 709.78, a product that overflows) raises :class:`OverflowError`
    instead of propagating infinities.

    Examples
    --------
    >>> x, y = Value(2.0), Value(-3.0)
    >>> f = x * y + x.exp() / y
    >>> f.backward()
    >>> round(f.data, 6), round(x.grad, 6), round(y.grad, 6)
    (-8.463019, -5.463019, 1.178994)
    """

    __slots__ = ("data", "grad", "_parents", "_local", "_op")

    def __init__(self, data):
        self.data = _real(data, "data")
        self.grad = 0.0
        self._parents: tuple[Value, ...] = ()
        self._local: tuple[float, ...] = ()
        self._op = ""

    # ------------------------------------------------------------------ helpers
    @classmethod
    def _node(cls, data: float, parents: tuple, local: tuple, op: str) -> Value:
        """A computed node: checks that the forward result is finite."""
        args = ", ".join(f"{p.data:.6g}" for p in parents)
        if not math.isfinite(data):
            raise OverflowError(f"{op}({args}) is not a finite float64 (value {data!r}); "
                                "rescale the inputs")
        if not all(math.isfinite(d) for d in local):
            raise OverflowError(f"the derivative of {op} at ({args}) overflows float64 (the value "
                                f"{data:.6g} is finite, a local derivative is {max(local, key=abs)!r}); "
                                "rescale the inputs")
        out = cls.__new__(cls)
        out.data = float(data)
        out.grad = 0.0
        out._parents = parents
        out._local = local
        out._op = op
        return out

    @staticmethod
    def _coerce(other, op: str):
        if isinstance(other, Value):
            return other
        if isinstance(other, np.ndarray):
            return NotImplemented  # let numpy apply the operation entry by entry
        if isinstance(other, (bool, np.bool_)) or not isinstance(other, numbers.Real):
            raise TypeError(f"the other operand of {op} must be a Value or a real number, "
                            f"got {_describe(other)}")
        return Value(_real(other, f"the other operand of {op}"))

    def __repr__(self) -> str:
        return f"Value(data={self.data:.6g}, grad={self.grad:.6g})"

    # --------------------------------------------------------------- arithmetic
    def __add__(self, other):
        other = self._coerce(other, "+")
        if other is NotImplemented:
            return other
        return Value._node(self.data + other.data, (self, other), (1.0, 1.0), "add")

    def __radd__(self, other):
        return self.__add__(other)

    def __neg__(self):
        return Value._node(-self.data, (self,), (-1.0,), "neg")

    def __sub__(self, other):
        other = self._coerce(other, "-")
        if other is NotImplemented:
            return other
        return Value._node(self.data - other.data, (self, other), (1.0, -1.0), "sub")

    def __rsub__(self, other):
        other = self._coerce(other, "-")
        if other is NotImplemented:
            return other
        return other.__sub__(self)

    def __mul__(self, other):
        other = self._coerce(other, "*")
        if other is NotImplemented:
            return other
        return Value._node(self.data * other.data, (self, other), (other.data, self.data), "mul")

    def __rmul__(self, other):
        return self.__mul__(other)

    def __truediv__(self, other):
        other = self._coerce(other, "/")
        if other is NotImplemented:
            return other
        if other.data == 0.0:
            raise ValueError(f"the divisor of / must be nonzero, got 0 (dividing {self.data:.6g} by zero)")
        inv = 1.0 / other.data
        return Value._node(self.data * inv, (self, other), (inv, -self.data * inv * inv), "div")

    def __rtruediv__(self, other):
        other = self._coerce(other, "/")
        if other is NotImplemented:
            return other
        return other.__truediv__(self)

    def __pow__(self, exponent):
        try:
            return self._pow(exponent)
        except OverflowError as exc:
            if "finite float64" in str(exc) or "derivative of" in str(exc):
                raise
            raise OverflowError(f"pow({self.data:.6g}, {float(getattr(exponent, 'data', exponent)):.6g}) "
                                "overflows float64; rescale the inputs") from None

    def _pow(self, exponent):
        a = self.data
        if isinstance(exponent, Value):
            if a <= 0.0:
                raise ValueError(f"a Value raised to a Value exponent needs a positive base, got {a:.6g}")
            c = exponent.data
            out = a ** c
            return Value._node(out, (self, exponent), (c * a ** (c - 1.0), out * math.log(a)), "pow")
        c = _real(exponent, "exponent")
        integer = c == math.floor(c)
        if a < 0.0 and not integer:
            raise ValueError(f"a negative base ({a:.6g}) needs an integer exponent, got {c}")
        if a == 0.0 and c < 1.0 and c != 0.0:
            raise ValueError(f"x ** {c} is not differentiable at x = 0")
        out = 1.0 if c == 0.0 else a ** c
        local = 0.0 if c == 0.0 else c * (1.0 if c == 1.0 else a ** (c - 1.0))
        return Value._node(float(out), (self,), (float(local),), "pow")

    def __rpow__(self, base):
        base = self._coerce(base, "**")
        if base is NotImplemented:
            return base
        return base.__pow__(self)

    # ------------------------------------------------------- elementary functions
    def exp(self) -> Value:
        r""":math:`e^x`; raises :class:`OverflowError` above :math:`x = 709.78`."""
        if self.data > _EXP_MAX:
            raise OverflowError(f"exp({self.data:.6g}) overflows float64 (the largest argument is {_EXP_MAX:.2f})")
        out = math.exp(self.data)
        return Value._node(out, (self,), (out,), "exp")

    def log(self) -> Value:
        r"""Natural logarithm :math:`\log x` for :math:`x > 0`; ``ValueError`` otherwise."""
        if self.data <= 0.0:
            raise ValueError(f"log needs a positive argument, got {self.data:.6g}")
        return Value._node(math.log(self.data), (self,), (1.0 / self.data,), "log")

    def tanh(self) -> Value:
        r""":math:`\tanh x`, with derivative :math:`1 - \tanh^2 x`."""
        t = math.tanh(self.data)
        return Value._node(t, (self,), (1.0 - t * t,), "tanh")

    def sigmoid(self) -> Value:
        r"""The logistic function :math:`\sigma(x) = 1/(1+e^{-x})`, computed without overflow."""
        x = self.data
        if x >= 0.0:
            s = 1.0 / (1.0 + math.exp(-x))
        else:
            e = math.exp(x)  # underflows quietly to 0.0 for very negative x
            s = e / (1.0 + e)
        return Value._node(s, (self,), (s * (1.0 - s),), "sigmoid")

    def relu(self) -> Value:
        r""":math:`\max(x, 0)`, with derivative 1 for :math:`x > 0` and 0 for :math:`x \le 0`."""
        x = self.data
        return Value._node(x if x > 0.0 else 0.0, (self,), (1.0 if x > 0.0 else 0.0,), "relu")

    # ------------------------------------------------------------------ backward
    def _topological_order(self) -> list[Value]:
        """Every node this value depends on, each after all of its parents."""
        order, seen = [], {id(self)}
        stack = [(self, iter(self._parents))]
        while stack:  # iterative depth-first search: no recursion limit on deep graphs
            node, parents = stack[-1]
            for p in parents:
                if id(p) not in seen:
                    seen.add(id(p))
                    stack.append((p, iter(p._parents)))
                    break
            else:
                stack.pop()
                order.append(node)
        return order

    def backward(self) -> None:
        r"""Fill ``.grad`` of every value this one depends on with :math:`\partial(\text{self})/\partial v`.

        The adjoints of all nodes of the graph are first reset to zero, so
        calling ``backward`` twice gives the same result (it does not
        accumulate across calls). Then ``self.grad = 1`` and, visiting the
        nodes in reverse topological order, each node adds
        ``node.grad * local`` to each parent's ``grad``.

        Notes
        -----
        The cost is one multiply-add per edge of the graph: a small constant
        times the cost of the forward computation, whatever the number of
        inputs (the cheap-gradient principle of reverse mode).
        """
        order = self._topological_order()
        for node in order:
            node.grad = 0.0
        self.grad = 1.0
        for node in reversed(order):
            g = node.grad
            for parent, local in zip(node._parents, node._local):
                parent.grad += g * local


def value_and_grad(f: Callable, x) -> tuple[float, np.ndarray]:
    r"""Evaluate a scalar function and its gradient by reverse-mode differentiation.

    Parameters
    ----------
    f : callable
        Takes a 1-D numpy array of ``dtype=object`` holding :class:`Value` s
        (one per entry of ``x``) and returns a :class:`Value` (or a number,
        when ``f`` does not depend on its input).
    x : array_like, shape (n,)
        The point (real, finite).

    Returns
    -------
    value : float
        :math:`f(\mathbf{x})`.
    grad : numpy.ndarray, shape (n,)
        :math:`\nabla f(\mathbf{x})`.


    Examples
    --------
    >>> import numpy as np
    >>> v, g = value_and_grad(lambda u: (u[0] * u[1]).tanh() + u[1] ** 2, [0.5, 2.0])
    >>> round(v, 6), np.round(g, 6).tolist()
    (4.761594, [0.839949, 4.209987])
    """
    if not callable(f):
        raise TypeError(f"f must be a function, got {_describe(f)}")
    x = as_array(x, "x", ndim=1, allow_complex=False)
    leaves = np.empty(x.size, dtype=object)
    for k, xk in enumerate(x):
        leaves[k] = Value(float(xk))
    out = f(leaves)
    if isinstance(out, np.ndarray) and out.dtype == object and out.size == 1:
        out = out.reshape(()).item()
    if not isinstance(out, Value):
        if isinstance(out, numbers.Real) and not isinstance(out, (bool, np.bool_)):
            return _real(out, "f(x)"), np.zeros(x.size)  # a constant: NaN and infinity refused as for a Value
        raise TypeError(f"f must return a Value (a scalar), got {_describe(out)}")
    out.backward()
    return out.data, np.array([leaf.grad for leaf in leaves], dtype=np.float64)
