"""`check_estimator`: the contract every consultkit estimator keeps, as one reusable check."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

import attrs
import numpy as np
from sklearn.base import clone

from .._exceptions import NotFittedError

__all__ = ["check_estimator"]


def check_estimator(
    estimator: Any,
    fit_args: Sequence[Any],
    *,
    use: Callable[[Any], Any] | None = None,
) -> None:
    """Check the estimator contract on one dataset; raise `AssertionError` naming the broken rule.

    Rules: ``get_params`` round-trips through ``clone``; before ``fit`` no learned attribute exists and
    ``use(estimator)`` (say, ``lambda e: e.predict(texts)``) raises `NotFittedError`; ``fit`` returns self;
    fitting twice, or fitting a clone with the same ``random_state``, learns the same state.
    """
    params = estimator.get_params()
    twin = clone(estimator)
    assert twin.get_params() == params, "clone() must keep every parameter"
    assert not _learned(twin), f"{type(twin).__name__} has learned state before fit: {sorted(_learned(twin))}"
    if use is not None:
        try:
            use(twin)
        except NotFittedError:
            pass
        else:
            raise AssertionError(f"using an unfitted {type(twin).__name__} must raise NotFittedError")
    assert twin.fit(*fit_args) is twin, "fit() must return self"
    first = _learned(twin)
    assert first, "fit() must set learned attributes ending in '_'"
    twin.fit(*fit_args)
    _assert_same(first, _learned(twin), "fitting twice on the same data")
    other = clone(estimator).fit(*fit_args)
    _assert_same(first, _learned(other), "two clones with the same random_state")
    if use is not None:
        _assert_same({"result": use(twin)}, {"result": use(other)}, "using two equal fits")


def _learned(estimator: Any) -> dict[str, Any]:
    return {
        name: value
        for name, value in vars(estimator).items()
        if name.endswith("_") and not name.startswith("_")
    }


def _assert_same(a: Mapping[str, Any], b: Mapping[str, Any], context: str) -> None:
    assert a.keys() == b.keys(), f"{context}: learned attributes differ: {sorted(a)} vs {sorted(b)}"
    for name in a:
        assert _equal(a[name], b[name]), f"{context}: {name} differs"


def _equal(a: Any, b: Any) -> bool:
    if isinstance(a, np.ndarray) or isinstance(b, np.ndarray):
        return bool(np.array_equal(np.asarray(a), np.asarray(b), equal_nan=np.asarray(a).dtype.kind == "f"))
    if isinstance(a, Mapping) and isinstance(b, Mapping):
        return a.keys() == b.keys() and all(_equal(a[k], b[k]) for k in a)
    if isinstance(a, (list, tuple)) and isinstance(b, (list, tuple)):
        return len(a) == len(b) and all(_equal(x, y) for x, y in zip(a, b, strict=True))
    if attrs.has(type(a)) and type(a) is type(b):
        return all(_equal(getattr(a, f.name), getattr(b, f.name)) for f in attrs.fields(type(a)))
    if hasattr(a, "toarray") and hasattr(b, "toarray"):  # scipy sparse
        return _equal(a.toarray(), b.toarray())
    return bool(a == b)
