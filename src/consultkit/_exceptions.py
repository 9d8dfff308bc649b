"""Every error consultkit raises, in one tree.

Each error also subclasses the builtin it resembles, so ``except ValueError`` keeps working::

    ConsultkitError
    ├── ModelValidationError (ValueError)      a model field got a bad value
    │   └── DataFormatError                    a file's line or row is malformed
    ├── UnknownNetworkError (KeyError)         no adapter is registered under that name
    ├── NotFittedError (ValueError, AttributeError)
    │                                          an estimator was used before ``fit``
    ├── MissingResourceError (ImportError)     an optional extra or data file is not installed
    ├── StoreError                             a store cannot be opened, read or written as asked
    │   ├── StoreUnavailableError (ConnectionError)
    │   │                                      the server is unreachable or the file stays locked
    │   └── SchemaVersionError                 the store was written by a newer consultkit
    └── NetworkError (OSError)                 a network could not be read, even after retries
        ├── AuthenticationError (PermissionError)
        │                                      401/403: credentials missing, wrong or not allowed
        ├── NotFoundError (LookupError)        404: no such post, tag or endpoint
        ├── RateLimitedError                   429 and the rate-limit policy says not to wait
        └── ResponseFormatError (ValueError)   a response body is not what the network documents

    ConsultkitWarning (UserWarning)
    └── CoverageWarning                        input is thin or skewed; read a result with care
"""

from __future__ import annotations

from typing import Any

__all__ = [
    "AuthenticationError",
    "ConsultkitError",
    "ConsultkitWarning",
    "CoverageWarning",
    "DataFormatError",
    "MissingResourceError",
    "ModelValidationError",
    "NetworkError",
    "NotFittedError",
    "NotFoundError",
    "RateLimitedError",
    "ResponseFormatError",
    "SchemaVersionError",
    "StoreError",
    "StoreUnavailableError",
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


class StoreError(ConsultkitError):
    """A store cannot be opened, read or written as asked; the message names the store, never a password."""


class StoreUnavailableError(StoreError, ConnectionError):
    """The database server cannot be reached, or a SQLite file stays locked past the busy timeout."""


class SchemaVersionError(StoreError):
    """The store's schema is newer than this consultkit understands; nothing was changed."""

    def __init__(self, store: str, found: int, supported: int) -> None:
        self.store = store
        self.found = found
        self.supported = supported
        super().__init__(
            f"{store} has schema version {found}, but this consultkit supports up to {supported}; "
            "upgrade consultkit (pip install -U consultkit) to open it. The store was not changed."
        )

    def __reduce__(self) -> tuple[Any, ...]:
        return (type(self), (self.store, self.found, self.supported))


class NetworkError(ConsultkitError, OSError):
    """A network could not be read: the message names the network and what went wrong; ``status`` is the
    last HTTP status seen (``None`` when the connection itself failed)."""

    def __init__(self, network: str, problem: str, *, status: int | None = None) -> None:
        self.network = network
        self.problem = problem
        self.status = status
        Exception.__init__(self, f"{network}: {problem}")

    def __str__(self) -> str:
        return f"{self.network}: {self.problem}"

    def __reduce__(self) -> tuple[Any, ...]:
        return (_rebuild, (type(self), (self.network, self.problem), {"status": self.status}))


class AuthenticationError(NetworkError, PermissionError):
    """The network refused the credentials (HTTP 401 or 403); the message says which setting to check."""


class NotFoundError(NetworkError, LookupError):
    """The network has no such post, tag or endpoint (HTTP 404)."""


class RateLimitedError(NetworkError):
    """The network's rate limit was reached (HTTP 429) and the `RateLimit` policy says to raise, not wait.

    ``retry_after`` is how many seconds the network asked to wait, when it said.
    """

    def __init__(
        self, network: str, problem: str, *, status: int | None = 429, retry_after: float | None = None
    ) -> None:
        super().__init__(network, problem, status=status)
        self.retry_after = retry_after

    def __reduce__(self) -> tuple[Any, ...]:
        fields = {"status": self.status, "retry_after": self.retry_after}
        return (_rebuild, (type(self), (self.network, self.problem), fields))


class ResponseFormatError(NetworkError, ValueError):
    """A response body is not valid JSON or not in the shape the network documents (truncated, changed)."""


class ConsultkitWarning(UserWarning):
    """Base of every warning issued by consultkit."""


class CoverageWarning(ConsultkitWarning):
    """The input is thin or skewed; a result computed from it needs care."""


def _rebuild(cls: type[Exception], args: tuple[Any, ...], kwargs: dict[str, Any]) -> Exception:
    return cls(*args, **kwargs)


def _short_repr(value: object, limit: int = 80) -> str:
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 3] + "..."
