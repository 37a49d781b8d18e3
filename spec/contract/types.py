"""The vocabulary of the contract: what a parameter or a return value of a contract function is.

Used as annotations on the contract's stub functions, e.g. ``def softmax(x: Array("N", "C")) -> Array("N", "C")``.
Dimensions are named by letters; the harness binds them from the arguments of a call (``x.shape == (N, C)``) and
checks the returned shapes against them, so a wrong shape is reported in the contract's own words.
"""

from __future__ import annotations

import functools
import numbers
from dataclasses import dataclass, field

import numpy as np


class ContractViolation(AssertionError):
    """A function under test broke the contract's interface (type, shape, dtype, or modified its input)."""


def _a(noun: str) -> str:
    """The noun with its article: "a float", "an int", "an ndarray" (read "en-dee-array")."""
    return ("an " if noun[:1] in "aeiou" or noun == "ndarray" else "a ") + noun


def _shape_text(dims) -> str:
    shown = [f"{d[1:]}1, ..., {d[1:]}k" if _is_rest(d) else str(d) for d in dims]
    return "(" + ", ".join(shown) + ("," if len(dims) == 1 and not _is_rest(dims[0]) else "") + ")"


def _is_rest(dim) -> bool:
    """A dimension written "*d" stands for any number (one or more) of trailing dimensions: affine's (N, d1, ..., dk)."""
    return isinstance(dim, str) and dim.startswith("*")


def _split(dims: tuple, shape: tuple):
    """Pair each declared dimension with its part of `shape`: an int for a plain one, a tuple for "*d" (the axes
    that the declared dimensions after it leave over). None when the rank cannot fit."""
    rest = [i for i, d in enumerate(dims) if _is_rest(d)]
    if not rest:
        return list(zip(dims, shape)) if len(shape) == len(dims) else None
    i = rest[0]
    after = len(dims) - i - 1
    if len(shape) < len(dims):
        return None
    return [*zip(dims[:i], shape[:i]), (dims[i], tuple(shape[i:len(shape) - after])),
            *zip(dims[i + 1:], shape[len(shape) - after:])]


def _size(dim, dims: dict):
    """The size of one declared dimension: a fixed int, a bound name ("N"), or a bound name plus a constant ("D+1",
    the bias trick's extra column). An unbound name stays a name, so a message can still show it."""
    if not isinstance(dim, str):
        return dim
    if dim in dims:
        return dims[dim]
    name, plus, extra = dim.partition("+")
    if plus and name in dims:
        return dims[name] + int(extra)
    return dim


def _dtype_matches(actual: np.dtype, declared: str) -> bool:
    # Integer labels may come back in any integer dtype (int32 on some platforms); floats must be float64, the
    # precision that every tolerance in spec/ is derived for.
    if declared == "int64":
        return actual.kind in "iu"
    return actual == np.dtype(declared)


@dataclass(frozen=True)
class Array:
    """An ndarray with named dimensions, e.g. ``Array("N", "C")``; an int dimension is fixed."""

    dims: tuple = ()
    dtype: str = "float64"
    mutable: bool = False  # may the function modify this argument in place? (update rules may update w)
    doc: str = ""

    def __init__(self, *dims, dtype="float64", mutable=False, doc=""):
        object.__setattr__(self, "dims", tuple(dims))
        object.__setattr__(self, "dtype", dtype)
        object.__setattr__(self, "mutable", mutable)
        object.__setattr__(self, "doc", doc)
        # Read off the declaration once, for bind() and check() on every checked call (not dataclass fields: they
        # take no part in ==, hash or repr): the dimensions a value binds, by their place in the declaration (every
        # name but a "D+1"), and where the first "*d" is, with the number of dimensions declared after it.
        object.__setattr__(self, "_binds", tuple((k, d) for k, d in enumerate(self.dims)
                                                 if isinstance(d, str) and "+" not in d))
        rest = next((k for k, d in enumerate(self.dims) if _is_rest(d)), None)
        object.__setattr__(self, "_rest", None if rest is None else (rest, len(self.dims) - rest - 1))
        object.__setattr__(self, "_sums", any(isinstance(d, str) and "+" in d for d in self.dims))
        try:  # the float64 that _dtype_matches compares with (int64 means any integer dtype: it goes there)
            object.__setattr__(self, "_np_dtype", None if dtype == "int64" else np.dtype(dtype))
        except TypeError:  # not a dtype: _dtype_matches says so when a value is checked
            object.__setattr__(self, "_np_dtype", None)

    def describe(self) -> str:
        return f"ndarray of {self.dtype}, shape {_shape_text(self.dims)}"

    def bind(self, value, dims: dict) -> None:
        """Record the sizes of the named dimensions from an argument (first binding wins)."""
        if value is None:  # an optional argument left out (a network's labels y)
            return
        # As _split pairs them: "D+1" follows from D, so binding it would check nothing.
        shape = np.shape(value)
        n = len(shape)
        if self._rest is None:  # the axes one to one with the dimensions, or no binding at all
            if n == len(self.dims):
                for k, name in self._binds:
                    dims.setdefault(name, shape[k])
            return
        if n < len(self.dims):
            return
        i, after = self._rest  # "*d" takes the axes the dimensions after it leave over
        for k, name in self._binds:
            dims.setdefault(name, shape[k] if k < i else tuple(shape[i:n - after]) if k == i
                            else shape[n - after + k - i - 1])

    def expected_shape(self, dims: dict) -> tuple:
        shape = []
        if not self._sums:  # no "D+1": _size(d, dims) is the bound size, else the name (or the fixed int) itself
            for d in self.dims:
                size = dims.get(d, d) if isinstance(d, str) else d
                if isinstance(size, tuple):
                    shape.extend(size)
                else:
                    shape.append(size)
            return tuple(shape)
        for d in self.dims:
            size = _size(d, dims)
            shape.extend(size if isinstance(size, tuple) else (size,))
        return tuple(shape)

    def check(self, value, dims: dict, where: str):
        if not isinstance(value, np.ndarray):
            raise ContractViolation(f"{where} is {_a(type(value).__name__)}; the contract says an {self.describe()}")
        self.bind(value, dims)  # a dimension no argument fixed (affine_backward's x shape, kept in the cache)
        expected = self.expected_shape(dims)
        if value.shape != expected:
            names = [d if d in dims else d.partition("+")[0] for d in self.dims if isinstance(d, str)]
            bound = ", ".join(f"{n.lstrip('*')}={dims[n]}" for n in dict.fromkeys(names) if n in dims)
            raise ContractViolation(
                f"{where} has shape {value.shape}, the contract says {_shape_text(self.dims)}"
                + (f" = {_shape_text(expected)} here ({bound})" if bound else "")
            )
        np_dtype = self._np_dtype
        if not (value.dtype == np_dtype if np_dtype is not None else _dtype_matches(value.dtype, self.dtype)):
            wanted = "an integer dtype (e.g. np.zeros(N, dtype=int))" if self.dtype == "int64" else self.dtype
            raise ContractViolation(f"{where} has dtype {value.dtype}, the contract says {wanted}")
        return value


@dataclass(frozen=True)
class Labels(Array):
    """Integer class labels of shape (N,), each in [0, C).

    ``Labels("N", defines_classes=True)`` is the training labels of a function that has no weights to read C off:
    there the labels fix the class count, C = max(y) + 1 (CS231n's LinearClassifier.train).
    """

    defines_classes: bool = False

    def __init__(self, *dims, defines_classes=False, doc=""):
        super().__init__(*dims, dtype="int64", doc=doc)
        object.__setattr__(self, "defines_classes", defines_classes)

    def describe(self) -> str:
        if self.defines_classes:
            return f"ndarray of integer class labels >= 0, shape {_shape_text(self.dims)}; C = max(y) + 1"
        return f"ndarray of integer class labels in [0, C), shape {_shape_text(self.dims)}"

    def bind(self, value, dims: dict) -> None:
        super().bind(value, dims)
        if self.defines_classes:
            y = np.asarray(value)
            if y.ndim == 1 and y.size and y.dtype.kind in "iu":
                dims.setdefault("C", int(y.max()) + 1)


@dataclass(frozen=True, init=False)  # Array's own __init__ (dims as *args), not a generated one
class History(Array):
    """One float per iteration, shape (T,): a list of floats (as CS231n's train returns) or an ndarray of float64."""

    def describe(self) -> str:
        return f"list of floats or ndarray of float64, shape {_shape_text(self.dims)}"

    def check(self, value, dims: dict, where: str):
        if isinstance(value, (list, tuple)):
            try:
                value = np.array([float(v) for v in value], dtype=np.float64)
            except (TypeError, ValueError):
                kinds = sorted({type(v).__name__ for v in value})
                raise ContractViolation(
                    f"{where} is a {type(value).__name__} holding {', '.join(kinds)}; the contract says one float per "
                    "iteration"
                ) from None
        return super().check(value, dims, where)


@dataclass(frozen=True)
class Scalar:
    """A real number: a Python float or int, a NumPy scalar, or a 0-d array."""

    doc: str = ""

    def describe(self) -> str:
        return "float"

    def bind(self, value, dims: dict) -> None:
        pass

    def check(self, value, dims: dict, where: str) -> float:
        if type(value) is float or type(value) is np.float64:  # the common case, without the numbers ABC's check
            return float(value)
        if isinstance(value, np.ndarray) and value.shape == ():
            value = value[()]
        if isinstance(value, bool) or not isinstance(value, numbers.Real):
            shape = f" of shape {value.shape}" if isinstance(value, np.ndarray) else ""
            raise ContractViolation(f"{where} is {_a(type(value).__name__)}{shape}; the contract says a float (a scalar)")
        return float(value)


@dataclass(frozen=True)
class Returns:
    """A tuple of named return values, e.g. ``Returns(loss=Scalar(), dx=Array("N", "C"))``."""

    parts: dict = field(default_factory=dict)

    def __init__(self, **parts):
        object.__setattr__(self, "parts", dict(parts))

    def describe(self) -> str:
        return "tuple (" + ", ".join(self.parts) + ")"

    def check(self, value, dims: dict, where: str) -> tuple:
        if not isinstance(value, (tuple, list)) or len(value) != len(self.parts):
            got = _a(type(value).__name__) + (f" of length {len(value)}" if isinstance(value, (tuple, list)) else "")
            raise ContractViolation(f"{where} returned {got}; the contract says a {self.describe()}")
        return tuple([
            spec.check(part, dims, f"{where}'s {name}") for (name, spec), part in zip(self.parts.items(), value)
        ])


@dataclass(frozen=True)
class Integer:
    """A whole number (k of k-NN, an iteration count): a Python int or a NumPy integer.

    ``Integer(sizes="T")`` is also the size of a dimension of the result: ``num_iters`` fixes the length T of a loss
    history.
    """

    sizes: str = ""
    doc: str = ""

    def describe(self) -> str:
        return f"int ({self.sizes})" if self.sizes else "int"

    def bind(self, value, dims: dict) -> None:
        if self.sizes and isinstance(value, numbers.Integral) and not isinstance(value, bool):
            dims.setdefault(self.sizes, int(value))

    def check(self, value, dims: dict, where: str) -> int:
        if isinstance(value, bool) or not isinstance(value, numbers.Integral):
            raise ContractViolation(f"{where} is {_a(type(value).__name__)}; the contract says an int")
        self.bind(value, dims)  # a returned count sizes what comes after it (an optimizer's nit, its loss history)
        return int(value)


@dataclass(frozen=True)
class Choice:
    """One of a few strings, e.g. ``Choice("mean", "sum")`` for a loss's reduction.

    ``Choice("sgd", "adam", or_function="rule(w, dw, config) -> (next_w, config)")`` also accepts a function of that
    form in place of a name (a training loop's update rule: the name of one of the implementation's rules, or any
    rule passed in)."""

    options: tuple = ()
    or_function: str = ""

    def __init__(self, *options, or_function=""):
        object.__setattr__(self, "options", tuple(options))
        object.__setattr__(self, "or_function", or_function)

    def describe(self) -> str:
        names = "one of " + ", ".join(repr(o) for o in self.options)
        return f"{names}, or a function {self.or_function}" if self.or_function else names

    def bind(self, value, dims: dict) -> None:
        pass

    def check(self, value, dims: dict, where: str) -> str:
        if value not in self.options and not (self.or_function and callable(value)):
            raise ContractViolation(f"{where} is {value!r}; the contract says {self.describe()}")
        return value


@dataclass(frozen=True)
class Callable:
    """A function passed in as an argument, e.g. ``Callable("ndarray of x's shape", "float")`` for the f of a
    numerical gradient: describe() says what it takes and what it returns. The harness only checks that it can be
    called; what it computes is the caller's business."""

    takes: str = ""
    gives: str = ""
    doc: str = ""

    def describe(self) -> str:
        takes = f" taking {self.takes}" if self.takes else ""
        gives = f" and returning {self.gives}" if self.gives else ""
        return f"function{takes}{gives}"

    def bind(self, value, dims: dict) -> None:
        pass

    def check(self, value, dims: dict, where: str):
        if not callable(value):
            raise ContractViolation(f"{where} is {_a(type(value).__name__)}; the contract says a {self.describe()}")
        return value


@dataclass(frozen=True)
class Cache:
    """What a layer's forward pass keeps for its backward pass (CS231n's ``cache``): anything at all. Only the same
    implementation's backward reads it, so the contract says nothing about its contents and the harness checks
    nothing; properties pass a cache only from an implementation's forward to that same implementation's backward."""

    doc: str = ""

    def describe(self) -> str:
        return "anything: what backward needs"

    def bind(self, value, dims: dict) -> None:
        pass

    def check(self, value, dims: dict, where: str):
        return value


@dataclass(frozen=True)
class Params:
    """A dict of named parameter arrays (a network's ``params``: W1, b1, W2, b2, ...), each an ndarray of float64.

    Declared on a contract class as an attribute, ``params: Params("W1, b1, ..., WL, bL")``; the keys are the
    docstring's business, ``Grads`` checks that a gradient dict matches them."""

    keys: str = ""
    doc: str = ""

    def describe(self) -> str:
        return f"dict of ndarrays of float64 keyed {self.keys}" if self.keys else "dict of ndarrays of float64"


SELF = "<self>"  # where a checked method's call leaves its object in `dims`, for return types that depend on it


@dataclass(frozen=True)
class Grads:
    """The gradients of a loss with respect to an object's parameters: a dict keyed exactly like its ``attribute``
    (``params``), each value an ndarray of float64 shaped like that parameter (CS231n's ``grads``)."""

    attribute: str = "params"
    doc: str = ""

    def describe(self) -> str:
        return f"dict keyed like {self.attribute}, each gradient shaped like its parameter"

    def bind(self, value, dims: dict) -> None:
        pass

    def check(self, value, dims: dict, where: str) -> dict:
        params = getattr(dims.get(SELF), self.attribute, None)
        if not isinstance(value, dict):
            raise ContractViolation(f"{where} is {_a(type(value).__name__)}; the contract says a {self.describe()}")
        if not isinstance(params, dict):
            return value
        missing, extra = sorted(set(params) - set(value)), sorted(set(value) - set(params))
        if missing or extra:
            raise ContractViolation(
                f"{where} has keys {sorted(value)}, the contract says the keys of {self.attribute}, {sorted(params)}"
                + (f"; missing {missing}" if missing else "") + (f"; not parameters: {extra}" if extra else "")
            )
        for key, param in params.items():
            _shaped_like(np.shape(param)).check(value[key], {}, f"{where}[{key!r}]")
        return value


@functools.lru_cache(maxsize=1024)
def _shaped_like(shape: tuple) -> Array:
    """Array(*shape): an ndarray of float64 of exactly this shape (one per shape, as Arrays are immutable)."""
    return Array(*shape)


@dataclass(frozen=True)
class Given:
    """A return value that depends on whether an optional argument was passed: ``Given("y", yes=..., no=...)``
    (a network's loss(X, y=None) returns scores without labels and (loss, grads) with them)."""

    argument: str = ""
    yes: object = None
    no: object = None

    def choose(self, arguments: dict):
        return self.yes if arguments.get(self.argument) is not None else self.no

    def describe(self) -> str:
        return f"with {self.argument}: {self.yes.describe()}; without (None): {self.no.describe()}"


@dataclass(frozen=True)
class Instance:
    """An object of a contract class, as its constructor returns it."""

    name: str = ""

    def describe(self) -> str:
        return f"a {self.name} object"

    def bind(self, value, dims: dict) -> None:
        pass

    def check(self, value, dims: dict, where: str):
        return value


@dataclass(frozen=True)
class Sizes:
    """A list (or tuple) of positive ints, e.g. the widths of a network's hidden layers.

    ``Sizes(shape="*w")`` is the shape of an array of the result: random search's ``shape`` fixes the dimensions
    "*w" of the W it returns (``Array("*w")``)."""

    shape: str = ""
    doc: str = ""

    def describe(self) -> str:
        return f"tuple of ints (the shape {self.shape.lstrip('*')})" if self.shape else "list of ints"

    def bind(self, value, dims: dict) -> None:
        if self.shape and isinstance(value, (list, tuple)) and all(
                isinstance(v, numbers.Integral) and not isinstance(v, bool) for v in value):
            dims.setdefault(self.shape, tuple(int(v) for v in value))

    def check(self, value, dims: dict, where: str):
        if not isinstance(value, (list, tuple)) or not all(
                isinstance(v, numbers.Integral) and not isinstance(v, bool) for v in value):
            raise ContractViolation(f"{where} is {_a(type(value).__name__)}; the contract says a list of ints")
        return list(value)


@dataclass(frozen=True)
class Dict:
    """A dict with (at least) the given entries, each declared by its own type, e.g. an update rule's config
    ``Dict(learning_rate=Scalar(), velocity=Array("*w"))``; other keys are allowed. As an argument it documents the
    entries; as a result each entry is checked (a missing key or a wrongly shaped velocity is reported by name)."""

    entries: dict = field(default_factory=dict)
    doc: str = ""

    def __init__(self, doc="", **entries):
        object.__setattr__(self, "entries", dict(entries))
        object.__setattr__(self, "doc", doc)

    def describe(self) -> str:
        return "dict with keys " + ", ".join(repr(k) for k in self.entries) if self.entries else "dict"

    def bind(self, value, dims: dict) -> None:
        if isinstance(value, dict):
            for key, spec in self.entries.items():
                if key in value and hasattr(spec, "bind"):
                    spec.bind(value[key], dims)

    def check(self, value, dims: dict, where: str) -> dict:
        if not isinstance(value, dict):
            raise ContractViolation(f"{where} is {_a(type(value).__name__)}; the contract says a {self.describe()}")
        missing = [k for k in self.entries if k not in value]
        if missing:
            raise ContractViolation(
                f"{where} has keys {sorted(map(str, value))}, the contract says it holds "
                + ", ".join(repr(k) for k in self.entries) + f"; missing {missing}"
            )
        for key, spec in self.entries.items():
            spec.check(value[key], dims, f"{where}[{key!r}]")
        return value


@dataclass(frozen=True)
class Flag:
    """True or False (a Python bool or a NumPy bool)."""

    doc: str = ""

    def describe(self) -> str:
        return "bool"

    def bind(self, value, dims: dict) -> None:
        pass

    def check(self, value, dims: dict, where: str) -> bool:
        if not isinstance(value, (bool, np.bool_)):
            raise ContractViolation(f"{where} is {_a(type(value).__name__)}; the contract says a bool")
        return bool(value)


@dataclass(frozen=True)
class Text:
    """A string (an optimizer's message)."""

    doc: str = ""

    def describe(self) -> str:
        return "str"

    def bind(self, value, dims: dict) -> None:
        pass

    def check(self, value, dims: dict, where: str) -> str:
        if not isinstance(value, str):
            raise ContractViolation(f"{where} is {_a(type(value).__name__)}; the contract says a str")
        return value


@dataclass(frozen=True, init=False)
class OptimizeResult(Dict):
    """A ``scipy.optimize.OptimizeResult`` (a dict whose keys are also attributes) with (at least) the given
    entries, as scipy's own minimizers return: ``OptimizeResult(x=Array("n"), fun=Scalar(), ...)``."""

    def describe(self) -> str:
        return "scipy.optimize.OptimizeResult with " + ", ".join(self.entries)

    def check(self, value, dims: dict, where: str) -> dict:
        from scipy.optimize import OptimizeResult as Result  # scipy is a dependency; imported only where needed

        if not isinstance(value, Result):
            raise ContractViolation(
                f"{where} is {_a(type(value).__name__)}; the contract says a scipy.optimize.OptimizeResult "
                "(from scipy.optimize import OptimizeResult; return OptimizeResult(x=x, fun=fun, ...))"
            )
        return super().check(value, dims, where)


@dataclass(frozen=True)
class ListOf:
    """A list (or tuple) whose items are each of one declared type, e.g. k-fold's folds
    ``ListOf(Returns(train=Array("n_train", dtype="int64"), val=Array("n_val", dtype="int64")), length="k")``.

    Each item is checked on its own: the dimensions its arrays bind stay with that item (fold sizes may differ by
    one). ``length="k"`` names the list's length, bound like any dimension (from an ``Integer(sizes="k")``)."""

    item: object = None
    length: str = ""
    doc: str = ""

    def describe(self) -> str:
        size = f" of length {self.length}" if self.length else ""
        return f"list{size}, each item a {self.item.describe()}"

    def bind(self, value, dims: dict) -> None:
        if self.length and isinstance(value, (list, tuple)):
            dims.setdefault(self.length, len(value))

    def check(self, value, dims: dict, where: str) -> list:
        if not isinstance(value, (list, tuple)):
            raise ContractViolation(f"{where} is {_a(type(value).__name__)}; the contract says a {self.describe()}")
        self.bind(value, dims)
        if self.length and len(value) != dims[self.length]:
            raise ContractViolation(
                f"{where} has {len(value)} items, the contract says {self.length} = {dims[self.length]}"
            )
        return [self.item.check(item, dict(dims), f"{where}[{i}]") for i, item in enumerate(value)]
