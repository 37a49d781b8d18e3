"""The contract written out for people: Markdown documentation and the student template package.

Both are rendered from the stubs in spec/contract/, so they cannot drift from what the harness checks.
"""

from __future__ import annotations

import importlib
import inspect
import textwrap
from pathlib import Path

from spec import contract
from spec.contract.types import Returns


def _params_text(fn: contract.Function) -> list[str]:
    lines = []
    for name, spec in fn.params.items():
        default = fn.signature.parameters[name].default
        text = spec.describe() if hasattr(spec, "describe") else str(spec)
        if default is not inspect.Parameter.empty:
            text += f", default {default!r}"
        if getattr(spec, "mutable", False):
            text += " (the function may write to it; the docstring says what it must hold afterwards)"
        lines.append(f"- `{name}`: {text}")
    return lines


def _returns_text(fn: contract.Function) -> str:
    returns = fn.returns
    if isinstance(returns, Returns):
        return ", ".join(f"`{name}` ({spec.describe()})" for name, spec in returns.parts.items())
    return returns.describe() if hasattr(returns, "describe") else "None"


def markdown() -> str:
    """The whole contract as Markdown (spec/CONTRACT.md)."""
    out = [
        "# The contract",
        "",
        "Generated from `spec/contract/` by `python -m spec contract`; do not edit by hand.",
        "An implementation is a package with these modules and functions. Inputs are read-only unless marked.",
        "",
    ]
    for module in contract.MODULES:
        out += [f"## `{module}`", "", contract.module_doc(module), ""]
        for name, members in getattr(importlib.import_module(f"spec.contract.{module}"), "VERSIONS", {}).items():
            out += [f"Versions of one computation, each checked by the properties of `{name}`: "
                    + ", ".join(f"`{m}`" for m in members) + ".", ""]
        for fn in (f for f in contract.functions() if f.module == module):
            if fn.is_class:
                out += _class_markdown(fn)
                continue
            out += [f"### `{fn.call_text()}`", "", *_params_text(fn), f"- returns: {_returns_text(fn)}", ""]
            out += ["```text", fn.doc, "```", ""]
    return "\n".join(out).rstrip() + "\n"


def _class_markdown(cls: contract.Function) -> list[str]:
    out = [f"### class `{cls.call_text()}`", "", *_params_text(cls)]
    out += [f"- attribute `{name}`: {spec.describe()}" for name, spec in cls.attributes.items()]
    out += ["", "```text", cls.doc, "```", ""]
    for method in _operations(cls.stub):
        fn = contract.Function(cls.module, method, owner=cls.stub)
        out += [f"#### `{cls.name}.{fn.call_text()}`", "", *_params_text(fn)]
        if fn.returns is not inspect.Signature.empty:
            out.append(f"- returns: {_returns_text(fn)}")
        out += ["", "```text", fn.doc, "```", ""]
    return out


def _operations(stub) -> list:
    """A class stub's methods as a student writes them: public ones and operators (__add__), not __init__."""
    return [obj for name, obj in vars(stub).items() if inspect.isfunction(obj) and name != "__init__"
            and (not name.startswith("_") or (name.startswith("__") and name.endswith("__")))]


def template_module(module: str) -> str:
    """Python source of one module of the student template: every function raises NotImplementedError."""
    header = contract.module_doc(module)
    out = ['"""' + header + "\n\nWrite your implementation here; `python -m spec check --impl <this folder>` checks it.\n" + '"""', ""]
    out += ["import numpy as np", ""]
    for fn in (f for f in contract.functions() if f.module == module):
        if fn.is_class:
            out += _class_template(fn)
            continue
        doc = textwrap.indent(fn.doc, "    ")
        out += [
            "",
            f"def {fn.call_text()}:",
            f'    """{doc.strip()}\n    """',
            f'    raise NotImplementedError("{fn.name}: not written yet")',
            "",
        ]
    return "\n".join(out)


def _class_template(cls: contract.Function) -> list[str]:
    out = ["", f"class {cls.name}:", f'    """{textwrap.indent(cls.doc, "    ").strip()}\n    """', ""]
    init_doc = inspect.getdoc(vars(cls.stub).get("__init__")) or ""
    out += [f"    def __init__({_with_self(cls)}):",
            *([f'        """{textwrap.indent(init_doc, "        ").strip()}\n        """'] if init_doc else []),
            f'        raise NotImplementedError("{cls.name}: not written yet")']
    for method in _operations(cls.stub):
        fn = contract.Function(cls.module, method, owner=cls.stub)
        out += ["", f"    def {fn.name}({_with_self(fn)}):", f'        """{textwrap.indent(fn.doc, "        ").strip()}\n        """',
                f'        raise NotImplementedError("{cls.name}.{fn.name}: not written yet")']
    return out + [""]


def _with_self(fn: contract.Function) -> str:
    inner = fn.call_text().partition("(")[2][:-1]
    return f"self, {inner}" if inner else "self"


def write_template(folder: Path) -> list[Path]:
    """Write the student template package into `folder` (created if needed); existing files are not overwritten."""
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    init = folder / "__init__.py"
    files = {init: '"""My implementation of the course\'s contract (see spec/CONTRACT.md)."""\n'}
    files.update({folder / f"{m}.py": template_module(m) for m in contract.MODULES})
    for path, text in files.items():
        if path.exists():
            continue
        path.write_text(text)
        written.append(path)
    return written
