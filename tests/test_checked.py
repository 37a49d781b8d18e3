"""Meta-tests of the guarded call (spec/harness/checked.py), in process, on the reference."""

import numpy as np
import pytest

from spec import contract
from spec.contract.types import ContractViolation
from spec.harness import checked, loading


@pytest.fixture(scope="module")
def reference():
    return loading.load(loading.REFERENCE_NAME)


def guarded(reference, name, target):
    return checked.CheckedFunction(contract.get(name), target, reference)


def test_a_nan_input_left_alone_is_not_reported_as_modified(reference):
    softmax = guarded(reference, "softmax", lambda x: np.zeros_like(x))
    softmax(np.array([[np.nan, 1.0]]))


def test_an_input_modified_in_place_is_reported_with_the_first_change(reference):
    def scaling_softmax(x):
        x *= 2
        return np.zeros_like(x)

    x = np.array([[0.0, 1.0]])
    with pytest.raises(ContractViolation, match=r"modified its input x in place \(at \[0, 1\] it was 1.0, now 2.0\)"):
        guarded(reference, "softmax", scaling_softmax)(x)
    assert x.tolist() == [[0.0, 1.0]]  # put back: an @example's array is the next example's input too


def test_a_wrong_return_is_reported_in_the_contracts_words(reference):
    x, y = np.zeros((2, 3)), np.array([0, 1])
    with pytest.raises(ContractViolation, match=r"returned a float; the contract says a tuple \(loss, dx\)"):
        guarded(reference, "softmax_loss", lambda x, y: 1.0)(x, y)
    with pytest.raises(ContractViolation, match=r"dx has shape \(3,\), the contract says \(N, C\) = \(2, 3\)"):
        guarded(reference, "softmax_loss", lambda x, y: (1.0, np.zeros(3)))(x, y)
    with pytest.raises(ContractViolation, match=r"dx has dtype float32, the contract says float64"):
        guarded(reference, "softmax_loss", lambda x, y: (1.0, np.zeros((2, 3), np.float32)))(x, y)
    with pytest.raises(ContractViolation, match=r"loss is an ndarray of shape \(2,\); the contract says a float"):
        guarded(reference, "softmax_loss", lambda x, y: (np.zeros(2), np.zeros((2, 3))))(x, y)


def test_a_scalar_loss_may_be_any_real_number_type(reference):
    x, y = np.zeros((2, 3)), np.array([0, 1])
    for loss in (1, 1.0, np.float64(1.0), np.float32(1.0), np.array(1.0)):
        assert guarded(reference, "softmax_loss", lambda x, y, loss=loss: (loss, np.zeros((2, 3))))(x, y)[0] == 1.0


def test_a_signature_that_cannot_take_the_contracts_arguments_is_reported(reference):
    with pytest.raises(ContractViolation, match=r"cannot be called as the contract says, softmax_loss\(x, y\)"):
        guarded(reference, "softmax_loss", lambda scores: scores)(np.zeros((1, 2)), np.array([0]))


def test_not_implemented_error_becomes_a_not_implemented_skip(reference):
    def stub(x):
        raise NotImplementedError

    with pytest.raises(pytest.skip.Exception, match="not implemented: impl.losses.softmax raises NotImplementedError"):
        guarded(reference, "softmax", stub)(np.zeros((1, 2)))


def test_the_watchdog_stops_a_stuck_call_and_restores_an_outer_timer(reference, monkeypatch):
    import signal
    import time

    monkeypatch.setattr(checked, "CALL_TIMEOUT", 0.2)
    signal.setitimer(signal.ITIMER_REAL, 50.0)  # an outer per-test timer, as pytest-timeout's
    try:
        def stuck(x):
            while True:
                time.sleep(0.01)

        with pytest.raises(checked.ImplementationTimeout, match="did not return within 0.2 s"):
            guarded(reference, "softmax", stuck)(np.zeros((1, 2)))
        remaining, _ = signal.getitimer(signal.ITIMER_REAL)
        assert 45.0 < remaining <= 50.0
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)


@pytest.mark.parametrize("choice", ["impl", "./impl", str(loading.REFERENCE_DIR), str(loading.REFERENCE_DIR.parent)])
def test_every_way_of_naming_the_reference_loads_it_as_the_reference(choice, monkeypatch):
    monkeypatch.chdir(loading.REFERENCE_DIR.parent)
    impl = loading.load(choice)
    assert impl.is_reference and impl.import_name == "impl"


def test_switching_off_the_runtime_integrity_guard_is_caught(reference, monkeypatch):
    import sys

    student = loading.Implementation(label="student", package=reference.package, is_reference=False)

    def sneaky_softmax(x):
        sys.setprofile(None)  # would blind the runtime guard to reference code called next
        return np.full_like(x, 1.0 / x.shape[1])

    with pytest.raises(loading.IntegrityError, match="replaced the profiling hook"):
        checked.CheckedFunction(contract.get("softmax"), sneaky_softmax, student)(np.zeros((1, 2)))


def test_a_function_argument_is_named_in_the_reproduction_not_printed_as_code():
    # A numerical gradient's f cannot be written back as Python: the snippet says what to put there instead.
    text = checked._literal(lambda z: float(np.sum(z**2)), limit=100)
    assert text.startswith("None  # replace with a function like the property's: <function"), text
    assert checked._literal(np.array([1.0]), limit=100) == "np.array([1.0], dtype=np.float64)"


class _TinyNet:
    """A student-style network: params in a dict, loss(X, y=None) -> scores or (loss, grads)."""

    def __init__(self, input_dim=3072, hidden_dim=100, num_classes=10, weight_scale=1e-3, reg=0.0):
        self.params = {"W1": np.full((input_dim, num_classes), 0.5), "b1": np.zeros(num_classes)}

    def loss(self, X, y=None):
        scores = X.reshape(len(X), -1) @ self.params["W1"] + self.params["b1"]
        if y is None:
            return scores
        return 1.0, {k: np.zeros_like(v) for k, v in self.params.items()}


def test_a_contract_class_is_constructed_and_its_methods_are_checked(reference):
    make = guarded(reference, "TwoLayerNet", _TinyNet)
    net = make(input_dim=4, num_classes=3)
    assert isinstance(net, checked.CheckedObject) and isinstance(net.instance, _TinyNet)
    X = np.ones((2, 2, 2))
    assert net.loss(X).shape == (2, 3)  # without y: scores, of the (N, *d) input's N
    loss, grads = net.loss(X, np.array([0, 2]))
    assert loss == 1.0 and set(grads) == {"W1", "b1"}
    net.params = {"W1": np.zeros((4, 3)), "b1": np.ones(3)}  # attributes are the object's own, written through
    assert np.all(net.instance.params["b1"] == 1.0) and np.all(net.loss(X) == 1.0)


def test_a_method_breaking_the_contract_is_reported_in_its_words(reference):
    class WrongGrads(_TinyNet):
        def loss(self, X, y=None):
            return 1.0, {"W1": np.zeros((4, 3))} if y is not None else np.zeros(2)

    net = guarded(reference, "TwoLayerNet", WrongGrads)(input_dim=4, num_classes=3)
    X = np.ones((2, 4))
    with pytest.raises(ContractViolation, match=r"impl.networks.TwoLayerNet.loss's grads has keys \['W1'\], .*"
                                                r"missing \['b1'\]"):
        net.loss(X, np.array([0, 1]))
    with pytest.raises(ContractViolation, match=r"the output of impl.networks.TwoLayerNet.loss is a tuple"):
        net.loss(X)


def test_a_method_that_changes_the_parameters_in_place_is_reported(reference):
    class DecayingNet(_TinyNet):
        def loss(self, X, y=None):
            self.params["W1"] *= 0.9  # regularization applied to the weights themselves
            return super().loss(X, y)

    net = guarded(reference, "TwoLayerNet", DecayingNet)(input_dim=4, num_classes=3)
    with pytest.raises(ContractViolation, match=r"modified params\['W1'\] in place \(at \[0, 0\] it was 0.5, now 0.45"):
        net.loss(np.ones((2, 4)), np.array([0, 1]))


def test_an_unwritten_class_or_method_is_not_implemented(reference):
    class Unwritten:
        def __init__(self, input_dim=3072, hidden_dim=100, num_classes=10, weight_scale=1e-3, reg=0.0):
            raise NotImplementedError

    with pytest.raises(pytest.skip.Exception, match="not implemented: impl.networks.TwoLayerNet raises"):
        guarded(reference, "TwoLayerNet", Unwritten)()

    class NoLoss:
        def __init__(self, input_dim=3072, hidden_dim=100, num_classes=10, weight_scale=1e-3, reg=0.0):
            self.params = {}

    net = guarded(reference, "TwoLayerNet", NoLoss)()
    with pytest.raises(pytest.skip.Exception, match="not implemented: impl.networks.TwoLayerNet.loss is not defined"):
        net.loss(np.ones((1, 2)))
    with pytest.raises(AttributeError):
        net.no_such_attribute


def test_a_method_call_is_reproduced_with_its_object_and_parameters(reference):
    checked.CALL_LOG.clear()
    net = guarded(reference, "TwoLayerNet", _TinyNet)(input_dim=2, num_classes=2)
    net.params["b1"] = np.array([1.0, -1.0])
    net.loss(np.ones((1, 2)), np.array([1]))
    snippet = checked.reproduction()
    assert "model = networks.TwoLayerNet(input_dim=input_dim, hidden_dim=hidden_dim" in snippet, snippet
    assert "model.params = {'W1': np.array([[0.5, 0.5], [0.5, 0.5]], dtype=np.float64), " \
           "'b1': np.array([1.0, -1.0], dtype=np.float64)}" in snippet, snippet
    assert snippet.rstrip().endswith("print(model.loss(X, y))"), snippet


def test_a_class_with_raw_objects_hands_out_the_implementations_own_objects(reference):
    class Node:
        def __init__(self, data):
            self.data, self.grad = data, 0.0

    checked.CALL_LOG.clear()
    node = guarded(reference, "Value", Node)(2.0)
    assert type(node) is Node and node.data == 2.0
    assert not checked.CALL_LOG  # arithmetic on nodes bypasses the harness: the chapter writes its own snippet


def test_a_backward_call_is_reproduced_by_rerunning_the_forward_that_made_its_cache(reference):
    checked.CALL_LOG.clear()
    forward = guarded(reference, "affine_forward", reference.lookup(contract.get("affine_forward"))[0])
    backward = guarded(reference, "affine_backward", reference.lookup(contract.get("affine_backward"))[0])
    x, w, b = np.ones((2, 3)), np.ones((3, 2)), np.zeros(2)
    _, cache = forward(x, w, b)
    backward(np.ones((2, 2)), cache)
    for probe in range(5):  # finite-difference probes: dropped from the snippet, and counted
        forward(x + probe, w, b)
    snippet = checked.reproduction()
    assert "cache = layers.affine_forward(x, w, b)[1]" in snippet, snippet
    assert snippet.count("affine_forward(") == 2 and "more calls" in snippet, snippet
    printed = []
    exec(snippet, {"print": printed.append})  # the snippet runs as it stands
    assert len(printed[-1]) == 3  # (dx, dw, db)


def test_two_objects_get_two_names_in_the_reproduction(reference):
    checked.CALL_LOG.clear()
    make = guarded(reference, "TwoLayerNet", _TinyNet)
    first, second = make(input_dim=2, num_classes=2, reg=0.5), make(input_dim=2, num_classes=2, reg=0.0)
    first.loss(np.ones((1, 2)))
    second.loss(np.ones((1, 2)))
    snippet = checked.reproduction()
    assert "model = networks.TwoLayerNet(" in snippet and "model_2 = networks.TwoLayerNet(" in snippet, snippet
    assert "print(model.loss(X, y))" in snippet and "print(model_2.loss(X, y))" in snippet, snippet


def test_tuples_and_lists_are_written_as_code():
    assert checked._literal((np.array([1.0]), 2), limit=100) == "(np.array([1.0], dtype=np.float64), 2)"
    assert checked._literal((3,), limit=100) == "(3,)"
    assert checked._literal([1, 2], limit=100) == "[1, 2]"


def test_a_backward_pass_is_held_to_the_shapes_of_the_forward_call_that_made_its_cache(reference):
    checked.CALL_LOG.clear()
    forward = guarded(reference, "affine_forward", reference.lookup(contract.get("affine_forward"))[0])
    x, w, b = np.ones((2, 3, 2)), np.ones((6, 4)), np.zeros(4)
    _, cache = forward(x, w, b)

    def flat_dx(dout, cache):  # dx left as (N, D): the contract says x's shape (N, d1, ..., dk)
        return dout @ w.T, x.reshape(2, 6).T @ dout, dout.sum(axis=0)

    with pytest.raises(ContractViolation, match=r"dx has shape \(2, 6\), the contract says \(N, d1, ..., dk\) = "
                                                r"\(2, 3, 2\) here"):
        guarded(reference, "affine_backward", flat_dx)(np.ones((2, 4)), cache)


class _TinySolver:
    """A student-style training loop: one step of its rule on every parameter, the best params kept."""

    def __init__(self, model, data, update_rule="sgd", optim_config=None, lr_decay=1.0, batch_size=100,
                 num_epochs=10, num_train_samples=1000, num_val_samples=None, seed=None):
        self.model, self.data, self.rule = model, data, update_rule
        self.loss_history, self.best_params = [], {}

    def train(self):
        loss, grads = self.model.loss(self.data["X_train"], self.data["y_train"])
        self.loss_history.append(loss)
        for key, w in self.model.params.items():
            self.model.params[key], _ = self.rule(w, grads[key], {})
        self.best_params = {k: v.copy() for k, v in self.model.params.items()}


def test_a_method_named_as_updating_its_object_may_change_its_state(reference):
    checked.CALL_LOG.clear()
    net = guarded(reference, "TwoLayerNet", _TinyNet)(input_dim=2, num_classes=2)
    data = {"X_train": np.ones((1, 2)), "y_train": np.array([1]), "X_val": np.ones((1, 2)), "y_val": np.array([0])}
    solver = guarded(reference, "Solver", _TinySolver)(net, data, update_rule=lambda w, dw, config: (w + 1, config))
    solver.train()  # changes loss_history and best_params: allowed for train (Solver._updates), not for loss
    assert solver.loss_history == [1.0] and np.all(net.params["b1"] == 1.0)
    snippet = checked.reproduction()
    assert "model = networks.TwoLayerNet(" in snippet, snippet
    assert "model = model\n" in snippet and "my_solver = solver.Solver(model=model, data=data" in snippet, snippet
    assert snippet.rstrip().endswith("print(my_solver.train())"), snippet


def test_a_declared_attribute_is_checked_when_a_property_reads_it(reference):
    net = guarded(reference, "TwoLayerNet", _TinyNet)(input_dim=2, num_classes=2)
    data = {"X_train": np.ones((1, 2)), "y_train": np.array([1]), "X_val": np.ones((1, 2)), "y_val": np.array([0])}
    solver = guarded(reference, "Solver", _TinySolver)(net, data, update_rule=lambda w, dw, config: (w, config))
    solver.train()
    assert solver.loss_history == [1.0]  # the object's own value, after the check
    solver.loss_history = [np.ones(2)]  # one array per iteration, not one float
    with pytest.raises(ContractViolation, match=r"impl.solver.Solver.loss_history is a list holding ndarray; the "
                                                r"contract says one float per iteration"):
        solver.loss_history


def test_a_snippet_with_nan_and_an_object_argument_still_runs(reference):
    checked.CALL_LOG.clear()
    softmax = guarded(reference, "softmax", reference.lookup(contract.get("softmax"))[0])
    softmax(np.array([[np.nan, 1.0, np.inf]]))
    snippet = checked.reproduction()
    assert "from numpy import inf, nan" in snippet, snippet
    exec(snippet, {"print": lambda *a: None})
    assert checked._literal(object(), limit=10).startswith("None  # replace with an object like the property's: ")
    assert checked._literal(np.float64(0.5), limit=10) == "0.5"


def test_a_failure_is_reproduced_from_the_example_that_raised_it(reference):
    # Hypothesis runs every explicit example and then reports the first failure: the snippet must repeat that
    # example's calls, not the last example's.
    from hypothesis import example, given
    from hypothesis import strategies as st

    from spec.property import SNAPSHOT, prop

    softmax = guarded(reference, "softmax", lambda x: np.zeros_like(x))

    @prop("softmax", "a meta-test", "every example fails")
    @given(x=st.just(np.array([[3.0, 4.0]])))
    @example(x=np.array([[1.0, 2.0]]))
    @example(x=np.array([[5.0, 6.0]]))
    def test_rows_sum_to_one(x):
        assert softmax(x).sum() == 1.0, f"x = {x.tolist()}"

    with pytest.raises(AssertionError) as info:
        test_rows_sum_to_one()
    reported = str(info.value).split("x = ")[1].split("\n")[0]
    with checked.CALL_LOG.restored(getattr(info.value, SNAPSHOT)):
        snippet = checked.reproduction()
    assert f"np.array({reported}, dtype=np.float64)" in snippet, (reported, snippet)
