"""Choosing and loading the implementation under test, and keeping the reference out of it.

An implementation is a package with one submodule per contract module (``losses.py``, ...). It is chosen by
``--impl`` (a module name or a directory path), else by the ``SPEC_IMPL`` environment variable, else it is the
reference package ``impl``. Every pytest process (each xdist worker too) loads it once.

Grading integrity: while a student's package is under test, the reference must not answer for it. Three guards:
1. imports of ``impl`` / ``impl.*`` are refused (unless the student's own package is named ``impl``, in which case
   that name means the student's package: it is loaded under its own name in place of the reference);
2. every contract function found in the package must be defined in a file outside the reference's folder;
3. while a student's function runs, any code executed from the reference's folder fails the call
   (``spec/harness/checked.py``), which catches reference files loaded by path.
"""

from __future__ import annotations

import functools
import importlib
import importlib.abc
import importlib.machinery
import importlib.util
import inspect
import keyword
import os
import sys
import traceback
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType

from spec import contract

REFERENCE_NAME = "impl"
# spec/ and impl/ are siblings, in the repository and in site-packages alike.
REFERENCE_DIR = (Path(__file__).resolve().parents[2] / REFERENCE_NAME).resolve()
ENV_VAR = "SPEC_IMPL"


class ImplementationImportError(Exception):
    """The implementation under test could not be imported; str() is the one message to show."""


class IntegrityError(BaseException):
    """The implementation under test used the reference implementation.

    A BaseException, like KeyboardInterrupt, so that hypothesis does not treat it as a falsifying example to shrink.
    """


@functools.lru_cache(maxsize=4096)
def in_reference(filename: str | None) -> bool:
    """Is this file part of the reference package? Cached: the runtime guard asks on every Python call."""
    if not filename:
        return False
    try:
        return Path(filename).resolve().is_relative_to(REFERENCE_DIR)
    except (OSError, ValueError):
        return False


def defining_file(obj) -> str | None:
    obj = inspect.unwrap(obj)
    code = getattr(obj, "__code__", None) or getattr(getattr(obj, "__func__", None), "__code__", None)
    if code is not None:
        return code.co_filename
    try:
        return inspect.getfile(obj)
    except TypeError:  # builtins, numpy ufuncs: not the reference's code
        return None


@dataclass
class Implementation:
    label: str  # what the user asked for, for messages
    package: ModuleType
    is_reference: bool
    modules: dict = field(default_factory=dict)  # contract module -> loaded submodule, or None when absent

    @property
    def import_name(self) -> str:
        return self.package.__name__

    @property
    def folder(self) -> Path:
        return Path(next(iter(self.package.__path__))).resolve()

    def lookup(self, fn: contract.Function):
        """The implementation's callable for a contract function, or (None, why it is not implemented)."""
        module = self.modules.get(fn.module)
        if module is None:
            return None, f"{self.import_name}.{fn.module} does not exist (no {fn.module}.py in {self.folder})"
        target = getattr(module, fn.name, None)
        if target is None:
            return None, f"{fn.name} is not defined in {self.import_name}.{fn.module}"
        if not callable(target):
            return None, f"{self.import_name}.{fn.qualname} is a {type(target).__name__}, not a function"
        if not self.is_reference and in_reference(defining_file(target)):
            raise IntegrityError(
                f"grading integrity: {self.import_name}.{fn.qualname} is the reference implementation's "
                f"{fn.name} (defined in {defining_file(target)}). The implementation under test must be your own "
                "code: it may not import or load the reference package 'impl'."
            )
        return target, None


class _ReferenceBlocker(importlib.abc.MetaPathFinder):
    """Refuses `import impl...` while a student package with another name is under test."""

    def __init__(self, student_name: str):
        self.student_name = student_name

    def find_spec(self, fullname, path=None, target=None):
        if fullname.partition(".")[0] == REFERENCE_NAME and self.student_name != REFERENCE_NAME:
            raise ImportError(
                f"grading integrity: '{fullname}' is the reference implementation, which may not be imported while "
                f"your implementation '{self.student_name}' is under test. Import your own modules instead "
                f"(e.g. `from {self.student_name}.<module> import ...` or `from .<module> import ...`).",
                name=fullname,
            )
        return None


def choice_from(option: str | None) -> str:
    return option or os.environ.get(ENV_VAR) or REFERENCE_NAME


def _import_failure(exc: BaseException, label: str, folder: Path | None = None) -> ImplementationImportError:
    """One message with the file and line where the student's code failed to import."""
    if isinstance(exc, SyntaxError) and exc.filename:
        where = f'File "{exc.filename}", line {exc.lineno}\n    {(exc.text or "").rstrip()}'
    else:
        frames = traceback.extract_tb(exc.__traceback__)
        # The student's innermost line: in their folder if known, else the innermost frame outside importlib
        # and outside this harness.
        harness = Path(__file__).resolve().parent
        def own(f):
            path = Path(f.filename).resolve() if not f.filename.startswith("<") else None
            if path is None:
                return False
            return path.is_relative_to(folder) if folder else not path.is_relative_to(harness) and "importlib" not in f.filename
        mine = [f for f in frames if own(f)]
        frame = mine[-1] if mine else (frames[-1] if frames else None)
        where = f'File "{frame.filename}", line {frame.lineno}\n    {frame.line}' if frame else "(no traceback)"
    hint = ""
    if isinstance(exc, ModuleNotFoundError) and exc.name in contract.MODULES:
        hint = (f"(Inside your package, import your own modules relatively, `from .{exc.name} import ...`, or by the "
                "package's name: the package's folder is not on the import path.)\n")
    return ImplementationImportError(
        f"The implementation under test ({label}) could not be imported:\n  {where}\n"
        f"{type(exc).__name__}: {exc}\n{hint}"
        "Fix this first: no property can run until every module of the implementation imports."
    )


def _package_dir(path: Path) -> Path:
    """A directory is the package itself, or holds it as `impl/` (a student's copy of the repository layout)."""
    has_modules = (path / "__init__.py").exists() or any((path / f"{m}.py").exists() for m in contract.MODULES)
    if not has_modules and (path / REFERENCE_NAME).is_dir():
        return path / REFERENCE_NAME
    return path


def _load_directory(path: Path, label: str) -> ModuleType:
    pkg_dir = _package_dir(path.resolve())
    name = pkg_dir.name
    if not name.isidentifier() or keyword.iskeyword(name):
        name = "student_" + "".join(ch if ch.isalnum() else "_" for ch in name)
    if name in sys.modules and name != REFERENCE_NAME:
        loaded_path = list(getattr(sys.modules[name], "__path__", []))
        if not loaded_path or Path(loaded_path[0]).resolve() != pkg_dir:
            raise ImplementationImportError(
                f"The implementation folder {pkg_dir} is named '{name}', which is already the name of another "
                "module in this Python process. Rename the folder (e.g. to 'my_impl')."
            )
        return sys.modules[name]
    init = pkg_dir / "__init__.py"
    if init.exists():
        spec = importlib.util.spec_from_file_location(name, init, submodule_search_locations=[str(pkg_dir)])
    else:  # a folder of modules without __init__.py works as well
        spec = importlib.machinery.ModuleSpec(name, None, is_package=True)
        spec.submodule_search_locations = [str(pkg_dir)]
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module  # before exec, so the package's own imports (relative or absolute) resolve
    try:
        if spec.loader is not None and init.exists():
            spec.loader.exec_module(module)
    except BaseException as exc:
        del sys.modules[name]
        raise _import_failure(exc, label, pkg_dir) from exc
    return module


def _has_module(folder: Path, module: str) -> bool:
    return (folder / f"{module}.py").is_file() or (folder / module / "__init__.py").is_file()


def load(choice: str) -> Implementation:
    """Load the implementation named by a module name or a directory path."""
    path = Path(choice).expanduser()
    is_path = os.sep in choice or choice.startswith(".") or path.is_dir()
    if is_path and not path.is_dir():
        raise ImplementationImportError(f"implementation {choice!r} (from --impl or ${ENV_VAR}): no such folder")
    is_reference = _package_dir(path.resolve()) == REFERENCE_DIR if is_path else choice == REFERENCE_NAME
    if is_reference:
        choice, is_path = REFERENCE_NAME, False  # the repository root or ./impl: the reference, imported as usual

    if not is_reference:
        # The reference must not be what answers for the student: forget it if it was imported, and refuse it.
        for mod in [m for m in sys.modules if m == REFERENCE_NAME or m.startswith(REFERENCE_NAME + ".")]:
            del sys.modules[mod]
        if not any(isinstance(f, _ReferenceBlocker) for f in sys.meta_path):
            student_name = _package_dir(path.resolve()).name if is_path else choice.partition(".")[0]
            sys.meta_path.insert(0, _ReferenceBlocker(student_name))

    if is_path:
        package = _load_directory(path, choice)
    else:
        try:
            package = importlib.import_module(choice)
        except ModuleNotFoundError as exc:
            if exc.name == choice.partition(".")[0] or exc.name == choice:
                raise ImplementationImportError(
                    f"implementation {choice!r} (from --impl or ${ENV_VAR}): no module named {choice!r}. Pass a module name "
                    "importable from here or the "
                    "path of your implementation's folder (e.g. --impl ./my_impl)."
                ) from exc
            raise _import_failure(exc, choice) from exc
        except BaseException as exc:
            raise _import_failure(exc, choice) from exc
        if not hasattr(package, "__path__"):
            raise ImplementationImportError(f"implementation {choice!r}: {package.__file__} is a module, not a package of modules")
        if Path(next(iter(package.__path__))).resolve() == REFERENCE_DIR:
            is_reference = True

    impl = Implementation(label=choice, package=package, is_reference=is_reference)
    for module in contract.MODULES:
        fullname = f"{package.__name__}.{module}"
        if is_path and not _has_module(impl.folder, module):
            # Not written yet. Never import it: a student package named `impl` would otherwise find the reference's
            # module through an editable install's finder (`pip install -e .` maps impl.* to the reference folder).
            impl.modules[module] = None
            continue
        try:
            impl.modules[module] = importlib.import_module(fullname)
        except ModuleNotFoundError as exc:
            if exc.name != fullname:
                raise _import_failure(exc, choice, impl.folder) from exc
            impl.modules[module] = None  # not written yet: its functions are "not implemented"
        except BaseException as exc:
            raise _import_failure(exc, choice, impl.folder) from exc
    return impl
