"""The contract: the one source of truth for the interface an implementation must provide.

Each module here mirrors one module of an implementation package (``spec/contract/losses.py`` describes
``impl/losses.py``) and declares its functions as annotated stubs: the name, the parameters with their shapes and
defaults, the return value and a CS231n-style docstring. Everything else derives from these stubs:

- the harness calls a student's function through them (shapes bound, return checked, inputs guarded);
- ``python -m spec template DIR`` writes them out as a student package whose bodies raise NotImplementedError;
- ``python -m spec contract`` renders them as the Markdown in ``spec/CONTRACT.md``;
- a missing function is reported as "not implemented" by looking it up here.

Conventions (CS231n): X is (N, D), W is (D, C), scores (N, C), integer labels y of shape (N,) in [0, C); layers are
``*_forward(...) -> (out, cache)`` and ``*_backward(dout, cache) -> grads``; losses on scores return
``(loss, dscores)`` averaged over N; update rules are ``rule(w, dw, config=None) -> (next_w, config)``;
regularization is ``reg * sum(W**2)`` with gradient ``2 * reg * W``, on weights only, never on biases.

Some functions are versions of one computation (CS231n's naive and vectorized losses, k-NN's distances with two
loops, one loop and no loops). A module names them in ``VERSIONS = {"name": ("f_naive", "f_vectorized")}``; a
property that takes ``name`` states its concept once and runs once for each version.

A module may also declare a class (CS231n's networks, a computational graph's value node): its fixture constructs
it, ``__init__``'s annotations are the constructor's contract, its public methods are checked like functions, and
its class-level annotations (``params: Params(...)``) are the attributes an object must have. A class stub with
``_raw_objects = True`` hands properties the implementation's objects themselves (a graph node is used with
operators, which a checking wrapper cannot forward).

A later lecture adds a module by writing ``spec/contract/<module>.py`` and naming it in ``MODULES``.
"""

from __future__ import annotations

import importlib
import inspect
from dataclasses import dataclass
from functools import cache, cached_property

from spec.contract.types import (
    Array, Callable, Choice, ContractViolation, Dict, Flag, Given, Grads, History, Instance, Integer, Labels,
    ListOf, OptimizeResult, Params, Returns, Scalar, Sizes, Text,
)

__all__ = ["Array", "Callable", "Choice", "ContractViolation", "Dict", "Flag", "Given", "Grads", "History", "Instance",
           "Integer", "Labels", "ListOf", "OptimizeResult", "Params", "Returns", "Scalar", "Sizes", "Text", "Function",
           "MODULES", "functions", "get", "versions"]

# Implementation modules, in the order of the lectures.
MODULES = ("losses", "linear_classifier", "knn", "gradients", "layers", "graph", "networks", "search", "optim",
           "schedules", "solver", "newton", "least_squares", "quasi_newton", "splits", "hyperparameters",
           "diagnostics", "features", "visual_words")


@dataclass(frozen=True)
class Function:
    """One function of the contract, read off its stub."""

    module: str  # the implementation's submodule, e.g. "losses"
    stub: object  # the annotated stub (a function or a class) in spec/contract/<module>.py
    owner: object = None  # for a method: the class stub it belongs to

    @property
    def name(self) -> str:
        return self.stub.__name__

    @property
    def qualname(self) -> str:
        owner = f"{self.owner.__name__}." if self.owner is not None else ""
        return f"{self.module}.{owner}{self.name}"

    @property
    def is_class(self) -> bool:
        return inspect.isclass(self.stub)

    @cached_property  # read on every checked call
    def signature(self) -> inspect.Signature:
        sig = inspect.signature(self.stub)  # a class's is its __init__'s, without self
        if self.owner is not None:  # a method: the caller passes everything but self
            sig = sig.replace(parameters=list(sig.parameters.values())[1:])
        return sig

    @cached_property  # read on every checked call
    def params(self) -> dict:
        return {name: p.annotation for name, p in self.signature.parameters.items()}

    @cached_property  # read on every checked call
    def returns(self):
        if self.is_class:
            return Instance(self.name)
        return self.signature.return_annotation

    @cached_property  # read on every checked call
    def methods(self) -> tuple[Function, ...]:
        """A class's public methods, in declaration order (none for a function)."""
        if not self.is_class:
            return ()
        return tuple(Function(self.module, obj, owner=self.stub) for name, obj in vars(self.stub).items()
                     if inspect.isfunction(obj) and not name.startswith("_"))

    @cached_property  # read at every lookup of a method of a checked object
    def method_named(self) -> dict:
        """A class's public methods by name (the first of a name, as in ``methods``)."""
        named = {}
        for method in self.methods:
            named.setdefault(method.name, method)
        return named

    @cached_property  # read on every checked call
    def attributes(self) -> dict:
        """A class's declared attributes (its class-level annotations), e.g. {"params": Params(...)}."""
        return dict(vars(self.stub).get("__annotations__", {})) if self.is_class else {}

    @property
    def updates_state(self) -> bool:
        """A method that changes its object's declared attributes (a training loop's train()), named in its class
        stub's ``_updates``; every other method must leave them as they were."""
        return self.owner is not None and self.name in getattr(self.owner, "_updates", ())

    @property
    def raw_objects(self) -> bool:
        return bool(getattr(self.stub, "_raw_objects", False))

    @cached_property  # read at every construction of a CheckedFunction (a checked object's method lookup)
    def doc(self) -> str:
        return inspect.getdoc(self.stub) or ""

    def call_text(self) -> str:
        """The signature as a student writes it, without annotations: ``softmax_loss(x, y)``."""
        parts = []
        for p in self.signature.parameters.values():
            parts.append(p.name if p.default is inspect.Parameter.empty else f"{p.name}={p.default!r}")
        return f"{self.name}({', '.join(parts)})"


def module_doc(module: str) -> str:
    return inspect.getdoc(importlib.import_module(f"spec.contract.{module}")) or ""


@cache
def functions() -> tuple[Function, ...]:
    """Every function of the contract, module by module in declaration order."""
    found = []
    for module in MODULES:
        mod = importlib.import_module(f"spec.contract.{module}")
        for name, obj in vars(mod).items():
            is_stub = inspect.isfunction(obj) or inspect.isclass(obj)
            if is_stub and obj.__module__ == mod.__name__ and not name.startswith("_"):
                found.append(Function(module, obj))
    names = [f.name for f in found]
    duplicated = {n for n in names if names.count(n) > 1}
    if duplicated:  # function names double as pytest fixture names, so they must be unique
        raise RuntimeError(f"contract functions must have unique names; repeated: {sorted(duplicated)}")
    return tuple(found)


def get(name: str) -> Function:
    for f in functions():
        if f.name == name or f.qualname == name:
            return f
    raise KeyError(f"{name!r} is not a function of the contract")


@cache
def versions() -> dict[str, tuple[str, ...]]:
    """Every module's VERSIONS: a name standing for several contract functions that compute the same thing."""
    found = {}
    names = {f.name for f in functions()}
    for module in MODULES:
        for family, members in getattr(importlib.import_module(f"spec.contract.{module}"), "VERSIONS", {}).items():
            unknown = [m for m in members if m not in names]
            if family in names or family in found or unknown or len(members) < 2:
                raise RuntimeError(
                    f"VERSIONS[{family!r}] in spec/contract/{module}.py must be a new name for two or more contract "
                    f"functions; unknown: {unknown}"
                )
            found[family] = tuple(members)
    return found
