"""The exception tree: one root, each error also the builtin it resembles, messages that say what to do."""

from __future__ import annotations

import pickle
import re
import warnings

import pytest

import consultkit as ck
from consultkit import _exceptions

# (error, the builtins the module docstring says it also is)
TREE = [
    (ck.ModelValidationError, (ValueError,)),
    (ck.DataFormatError, (ValueError, ck.ModelValidationError)),
    (ck.UnknownNetworkError, (KeyError, LookupError)),
    (ck.NotFittedError, (ValueError, AttributeError)),
    (ck.MissingResourceError, (ImportError,)),
]

EXAMPLES = [
    ck.ModelValidationError("Post", "created_at", "2024-01-01", "naive datetime"),
    ck.DataFormatError("posts.jsonl", 7, "created_at", "expected a datetime", "yesterday"),
    ck.UnknownNetworkError("myspace", ["bluesky", "mastodon", "memory"]),
    ck.NotFittedError("ThemeExtractor"),
    ck.MissingResourceError("wordllama", extra="embeddings"),
    ck.MissingResourceError("the TextBlob corpora", fix="python -m textblob.download_corpora"),
]


@pytest.mark.parametrize(("error", "bases"), TREE)
def test_each_error_is_a_consultkit_error_and_its_builtin(error: type, bases: tuple[type, ...]) -> None:
    assert issubclass(error, ck.ConsultkitError)
    assert issubclass(error, Exception)
    for base in bases:
        assert issubclass(error, base)


@pytest.mark.parametrize(("error", "bases"), TREE)
def test_the_module_docstring_draws_the_tree(error: type, bases: tuple[type, ...]) -> None:
    doc = _exceptions.__doc__ or ""
    assert error.__name__ in doc
    builtin = next(b for b in bases if b.__module__ == "builtins")
    line = next(line for line in doc.splitlines() if re.search(rf"\b{error.__name__}\b", line))
    assert builtin.__name__ in line or error is ck.DataFormatError  # DataFormatError inherits its parent's


def test_warnings_are_user_warnings_outside_the_error_tree() -> None:
    assert issubclass(ck.CoverageWarning, ck.ConsultkitWarning)
    assert issubclass(ck.ConsultkitWarning, UserWarning)
    assert not issubclass(ck.ConsultkitWarning, ck.ConsultkitError)
    with pytest.warns(ck.CoverageWarning, match="thin"):
        warnings.warn("input is thin", ck.CoverageWarning, stacklevel=1)


@pytest.mark.parametrize("exc", EXAMPLES, ids=lambda e: type(e).__name__)
def test_errors_can_be_caught_as_consultkit_error(exc: Exception) -> None:
    with pytest.raises(ck.ConsultkitError):
        raise exc


def test_model_validation_error_names_model_field_and_value() -> None:
    exc = ck.ModelValidationError("Post", "created_at", "2024-01-01T00:00", "naive datetime has no time zone")
    assert str(exc) == "Post.created_at: naive datetime has no time zone (got '2024-01-01T00:00')"
    assert (exc.model, exc.field, exc.value) == ("Post", "created_at", "2024-01-01T00:00")
    assert exc.problem == "naive datetime has no time zone"


def test_model_validation_error_shortens_a_long_value() -> None:
    exc = ck.ModelValidationError("Post", "text", "x" * 1000, "too long")
    assert len(str(exc)) < 150
    assert str(exc).endswith("...)")
    assert exc.value == "x" * 1000  # the full value stays available to code


def test_data_format_error_names_file_line_and_field() -> None:
    exc = ck.DataFormatError("exports/posts.jsonl", 12, "created_at", "expected a datetime", "soon")
    assert str(exc) == "exports/posts.jsonl, line 12, field 'created_at': expected a datetime"
    assert (exc.path, exc.line, exc.field, exc.problem, exc.value) == (
        "exports/posts.jsonl",
        12,
        "created_at",
        "expected a datetime",
        "soon",
    )
    assert exc.model == "record"


def test_unknown_network_error_lists_known_networks_readably() -> None:
    exc = ck.UnknownNetworkError("myspace", ["bluesky", "mastodon"])
    assert str(exc) == "unknown network 'myspace'; known networks: bluesky, mastodon"
    assert not str(exc).startswith(('"', "'"))  # not KeyError's quoted repr
    assert exc.name == "myspace"
    assert exc.known == ["bluesky", "mastodon"]


def test_unknown_network_error_with_nothing_known() -> None:
    assert str(ck.UnknownNetworkError("x", [])).endswith("known networks: none")


def test_unknown_network_error_is_caught_by_except_keyerror() -> None:
    with pytest.raises(KeyError, match=r"known networks: .*memory"):
        ck.network("no-such-network")


def test_not_fitted_error_says_to_call_fit() -> None:
    exc = ck.NotFittedError("ThemeExtractor")
    assert str(exc) == "this ThemeExtractor is not fitted yet; call fit() before using it"
    with pytest.raises(AttributeError):  # so hasattr(estimator, "labels_") is False before fit
        raise exc


@pytest.mark.parametrize(
    ("kwargs", "fix"),
    [
        ({"extra": "embeddings"}, 'pip install "consultkit[embeddings]"'),
        ({"extra": "postgres"}, 'pip install "consultkit[postgres]"'),
        ({"fix": "python -m textblob.download_corpora"}, "python -m textblob.download_corpora"),
        ({}, "install it and try again"),
    ],
)
def test_missing_resource_error_default_message_states_the_fix(kwargs: dict[str, str], fix: str) -> None:
    exc = ck.MissingResourceError("wordllama", **kwargs)
    assert str(exc) == f"wordllama is not available. To fix: {fix}"
    assert exc.fix == fix
    assert exc.resource == "wordllama"


def test_missing_resource_error_explicit_fix_beats_extra() -> None:
    exc = ck.MissingResourceError("psycopg", extra="postgres", fix="ask your admin")
    assert str(exc).endswith("To fix: ask your admin")


@pytest.mark.parametrize("exc", EXAMPLES, ids=lambda e: type(e).__name__)
def test_errors_survive_pickling_with_message_and_fields(exc: Exception) -> None:
    # Errors cross process boundaries (multiprocessing, Dask); they must rebuild, not raise TypeError.
    copy = pickle.loads(pickle.dumps(exc))
    assert type(copy) is type(exc)
    assert str(copy) == str(exc)
    assert vars(copy) == vars(exc)
