"""The contract and everything derived from it stay in step."""

import ast
import importlib
import inspect

from spec import contract
from spec.__main__ import CONTRACT_MD
from spec.contract import render


def test_contract_markdown_is_up_to_date():
    assert CONTRACT_MD.read_text() == render.markdown(), "run `python -m spec contract --write`"


def test_every_contract_function_states_shapes_and_returns():
    for fn in contract.functions():
        for method in fn.methods:
            assert method.doc and "Returns" in method.doc, f"{method.qualname}: docstring must state what comes back"
        init = inspect.getdoc(vars(fn.stub).get("__init__")) if fn.is_class else fn.doc
        assert init and "Returns" in init, f"{fn.qualname}: docstring must state what comes back"
        for name, spec in fn.params.items():
            assert hasattr(spec, "describe"), f"{fn.qualname}({name}) needs a contract annotation"
        assert hasattr(fn.returns, "describe") or hasattr(fn.returns, "parts"), fn.qualname


def test_template_modules_are_valid_python_with_the_contract_signatures(tmp_path):
    render.write_template(tmp_path / "student")
    for module in contract.MODULES:
        source = (tmp_path / "student" / f"{module}.py").read_text()
        tree = ast.parse(source)
        defined = {node.name: node for node in tree.body if isinstance(node, (ast.FunctionDef, ast.ClassDef))}
        for fn in (f for f in contract.functions() if f.module == module):
            node = defined[fn.name]
            if fn.is_class:
                methods = {n.name: n for n in node.body if isinstance(n, ast.FunctionDef)}
                assert [a.arg for a in methods["__init__"].args.args] == ["self", *fn.params], fn.qualname
                for method in fn.methods:
                    stub = methods[method.name]
                    assert [a.arg for a in stub.args.args] == ["self", *method.params], method.qualname
                    assert isinstance(stub.body[-1], ast.Raise), f"{method.qualname}: the stub body must raise"
                continue
            assert [a.arg for a in node.args.args] == list(fn.params), fn.qualname
            assert isinstance(node.body[-1], ast.Raise), f"{fn.qualname}: the stub body must raise"


def test_template_never_overwrites_a_students_work(tmp_path):
    folder = tmp_path / "student"
    render.write_template(folder)
    (folder / "losses.py").write_text("# my work\n")
    assert render.write_template(folder) == []
    assert (folder / "losses.py").read_text() == "# my work\n"


def test_reference_signatures_match_the_contract():
    for fn in contract.functions():
        ref = getattr(importlib.import_module(f"impl.{fn.module}"), fn.name)
        assert list(inspect.signature(ref).parameters) == list(fn.params), fn.qualname
        for method in fn.methods:
            assert list(inspect.signature(getattr(ref, method.name)).parameters)[1:] == list(method.params), method.qualname


def test_versions_name_two_or_more_contract_functions_and_properties_expand_them():
    from spec.property import uses

    versions = contract.versions()
    names = {f.name for f in contract.functions()}
    for family, members in versions.items():
        assert family not in names and len(members) >= 2 and set(members) <= names

    def a_property(compute_distances, predict_labels):
        pass

    assert uses(a_property) == (*versions["compute_distances"], "predict_labels")
