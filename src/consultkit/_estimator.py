"""What every consultkit estimator shares: scikit-learn's parameter handling and a fitted check."""

from __future__ import annotations

from sklearn.base import BaseEstimator

from ._exceptions import NotFittedError

__all__ = ["Estimator"]


class Estimator(BaseEstimator):  # type: ignore[misc]  # scikit-learn ships no type hints
    """Base of consultkit's estimators: ``get_params``/``set_params``/``clone`` from scikit-learn.

    Subclasses store their hyper-parameters untouched in ``__init__``, validate them in ``fit``, and keep
    learned state in attributes ending in ``_``.
    """

    def _check_fitted(self, *attributes: str) -> None:
        """Raise `NotFittedError` unless every learned attribute named is set."""
        if not all(hasattr(self, name) for name in attributes):
            raise NotFittedError(type(self).__name__)
