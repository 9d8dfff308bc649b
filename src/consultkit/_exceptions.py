"""Every error consultkit raises, in one tree.

Each error also subclasses the builtin it resembles, so ``except ValueError`` keeps working::

    ConsultkitError
    ├── ModelValidationError (ValueError)      a model field got a bad value
    │   └── DataFormatError                    a file's line or row is malformed
    ├── UnknownNetworkError (KeyError)         no adapter is registered under that name
    ├── NotFittedError (ValueError, AttributeError)
    │                                          an estimator was used before ``fit``
    └── MissingResourceError (ImportError)     an optional extra or data file is not installed

    ConsultkitWarning (UserWarning)
    └── CoverageWarning                        input is thin or skewed; read a result with care
"""

from __future__ import annotations

from typing import Any

__all__ = [
    "ConsultkitError",
    "ConsultkitWarning",
    "CoverageWarning",
    "DataFormatError",
    "MissingResourceError",
    "ModelValidationError",
    "NotFittedError",
    "UnknownNetworkError",
]


class ConsultkitError(Exception):
    """Base of every error raised by consultkit."""


class ModelValidationError(ConsultkitError, ValueError):
    """A model field got a value it cannot hold; the message names the model, the field and the value."""

    def __init__(self, model: str, field: str, value: object, problem: str) -> None:
        self.model = model
        self.field = field
        self.value = value
        self.problem = problem
        super().__init__(f"{model}.{field}: {problem} (got {_short_repr(value)})")

    def __reduce__(self) -> tuple[Any, ...]:  # pickle (multiprocessing, Dask) rebuilds from the fields
        return (type(self), (self.model, self.field, self.value, self.problem))


class DataFormatError(ModelValidationError):
    """A line or row of an input file is malformed; the message names the file, line and field."""

    def __init__(self, path: str, line: int, field: str, problem: str, value: object = None) -> None:
        self.path = path
        self.line = line
        ConsultkitError.__init__(self, f"{path}, line {line}, field {field!r}: {problem}")
        self.model = "record"
        self.field = field
        self.value = value
        self.problem = problem

    def __reduce__(self) -> tuple[Any, ...]:
        return (type(self), (self.path, self.line, self.field, self.problem, self.value))


class UnknownNetworkError(ConsultkitError, KeyError):
    """No network adapter is registered under the requested name."""

    def __init__(self, name: str, known: list[str]) -> None:
        self.name = name
        self.known = known
        super().__init__(name)

    def __str__(self) -> str:
        return f"unknown network {self.name!r}; known networks: {', '.join(self.known) or 'none'}"

    def __reduce__(self) -> tuple[Any, ...]:
        return (type(self), (self.name, self.known))


class NotFittedError(ConsultkitError, ValueError, AttributeError):
    """An estimator was used before ``fit`` was called."""

    def __init__(self, estimator: str) -> None:
        self.estimator = estimator
        super().__init__(f"this {estimator} is not fitted yet; call fit() before using it")

    def __reduce__(self) -> tuple[Any, ...]:
        return (type(self), (self.estimator,))


class MissingResourceError(ConsultkitError, ImportError):
    """An optional part is not installed; the default message says how to install it."""

    def __init__(self, resource: str, *, extra: str | None = None, fix: str | None = None) -> None:
        if fix is None:
            fix = f'pip install "consultkit[{extra}]"' if extra else "install it and try again"
        self.resource = resource
        self.fix = fix
        super().__init__(f"{resource} is not available. To fix: {fix}")

    def __reduce__(self) -> tuple[Any, ...]:
        return (_rebuild, (type(self), (self.resource,), {"fix": self.fix}))


class ConsultkitWarning(UserWarning):
    """Base of every warning issued by consultkit."""


class CoverageWarning(ConsultkitWarning):
    """The input is thin or skewed; a result computed from it needs care."""


def _rebuild(cls: type[Exception], args: tuple[Any, ...], kwargs: dict[str, Any]) -> Exception:
    return cls(*args, **kwargs)


def _short_repr(value: object, limit: int = 80) -> str:
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 3] + "..."
