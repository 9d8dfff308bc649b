"""Converters and validators shared by the models.

Converters normalise what they can (ISO strings to UTC datetimes, lists to tuples, dicts to models) and pass
anything else through unchanged; validators then reject what is left with a `ModelValidationError` that names
the model, the field and the value.
"""

from __future__ import annotations

import datetime as dt
import json
import math
from collections.abc import Iterable, Mapping
from typing import Any, NoReturn, TypeVar, cast

import attrs
from dateutil.parser import isoparse

from ._exceptions import ModelValidationError

T = TypeVar("T")


def fail(instance: object, attribute: attrs.Attribute[Any], value: object, problem: str) -> None:
    """Raise the error every validator raises."""
    raise ModelValidationError(type(instance).__name__, attribute.name, value, problem)


# -- converters -------------------------------------------------------------------------------------


def to_datetime(value: dt.datetime | str) -> dt.datetime:
    """Parse an ISO 8601 string and move an aware datetime to UTC; leave anything else to the validator."""
    if isinstance(value, str):
        try:
            value = _parse_iso(value.strip())
        except (ValueError, OverflowError):
            return cast(dt.datetime, value)
    if (
        isinstance(value, dt.datetime)
        and value.tzinfo is not dt.timezone.utc
        and value.utcoffset() is not None
    ):
        return value.astimezone(dt.timezone.utc)
    return value


def _parse_iso(text: str) -> dt.datetime:
    """ISO 8601 with the fast standard parser where it suffices, else dateutil's full parser."""
    try:
        return dt.datetime.fromisoformat(text[:-1] + "+00:00" if text.endswith("Z") else text)
    except ValueError:
        return isoparse(text)


def to_optional_datetime(value: dt.datetime | str | None) -> dt.datetime | None:
    """`to_datetime`, letting None through."""
    return None if value is None else to_datetime(value)


def to_tuple(value: Iterable[Any]) -> tuple[Any, ...]:
    """A list (say, from JSON) becomes a tuple; a bare string is left for the validator to reject."""
    if isinstance(value, (str, bytes)) or not isinstance(value, Iterable):
        return cast(tuple[Any, ...], value)
    return tuple(value)


class FrozenDict(dict[str, Any]):
    """A read-only dict: frozen models hold it, and it still pickles, copies and serialises as a dict."""

    __slots__ = ()

    def _read_only(self, *args: object, **kwargs: object) -> NoReturn:
        raise TypeError(f"{type(self).__name__} is read-only; build a new model with attrs.evolve")

    __setitem__ = __delitem__ = __ior__ = _read_only
    clear = pop = popitem = setdefault = update = _read_only

    def __reduce__(self) -> tuple[type[FrozenDict], tuple[dict[str, Any]]]:
        return (type(self), (dict(self),))

    def __repr__(self) -> str:
        return f"FrozenDict({dict.__repr__(self)})"


EMPTY = FrozenDict()


def to_frozen_mapping(value: Mapping[str, Any]) -> Mapping[str, Any]:
    """Copy a mapping into a `FrozenDict` so a frozen model stays unchanged."""
    if isinstance(value, FrozenDict):
        return value
    if isinstance(value, Mapping):
        return FrozenDict(value) if value else EMPTY
    return value


_SCALARS = (str, int, bool, type(None))


def to_json_mapping(value: Mapping[str, Any]) -> Mapping[str, Any]:
    """Copy JSON-compatible data through JSON so a JSONL round trip is lossless (tuples become lists)."""
    if isinstance(value, FrozenDict) or not isinstance(value, Mapping):
        return value
    if not value:
        return EMPTY
    if all(isinstance(k, str) and isinstance(item, _SCALARS) for k, item in value.items()):
        return FrozenDict(value)  # flat scalars are already what JSON gives back
    try:
        plain = json.loads(json.dumps(dict(value), allow_nan=False))
    except (TypeError, ValueError):
        return dict(value)  # a plain dict: the validator names the problem
    return FrozenDict(plain)


def to_id(value: str | int) -> str:
    """Identifiers are strings; integer ids from APIs are converted."""
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    return cast(str, value)


def to_optional_id(value: str | int | None) -> str | None:
    """`to_id`, letting None through."""
    return None if value is None else to_id(value)


def to_lower(value: str | None) -> str | None:
    """Lower-case and strip a short code (network name, language); None stays None."""
    return value.strip().lower() if isinstance(value, str) else value


# -- validators -------------------------------------------------------------------------------------


def nonempty_str(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if not isinstance(value, str) or not value.strip():
        fail(instance, attribute, value, "expected a non-empty string")


def is_str(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if not isinstance(value, str):
        fail(instance, attribute, value, "expected a string")


def optional_nonempty_str(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if value is not None:
        nonempty_str(instance, attribute, value)


def utc_datetime(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if isinstance(value, dt.datetime):
        if value.utcoffset() is None:
            fail(
                instance,
                attribute,
                value,
                "naive datetime has no time zone; pass an aware datetime, e.g. "
                "datetime(..., tzinfo=timezone.utc), or an ISO 8601 string with an offset",
            )
        return
    fail(instance, attribute, value, "expected a timezone-aware datetime or an ISO 8601 string")


def optional_utc_datetime(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if value is not None:
        utc_datetime(instance, attribute, value)


def str_tuple(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if not isinstance(value, tuple) or not all(isinstance(v, str) and v.strip() for v in value):
        fail(instance, attribute, value, "expected a sequence of non-empty strings")


def optional_http_url(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if value is None:
        return
    if not isinstance(value, str) or not value.startswith(("https://", "http://")):
        fail(instance, attribute, value, "expected an http(s) URL or None")


def count(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if not isinstance(value, int) or isinstance(value, bool) or value < 0:
        fail(instance, attribute, value, "expected a non-negative integer")


def optional_count(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if value is not None:
        count(instance, attribute, value)


def count_mapping(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if not isinstance(value, Mapping) or not all(
        isinstance(k, str) and isinstance(v, int) and not isinstance(v, bool) and v >= 0
        for k, v in value.items()
    ):
        fail(instance, attribute, value, "expected a mapping of string keys to non-negative integers")


def json_mapping(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if not isinstance(value, FrozenDict):
        fail(instance, attribute, value, "expected a mapping of JSON-compatible values (no NaN)")


def is_bool(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if not isinstance(value, bool):
        fail(instance, attribute, value, "expected True or False")


def is_int(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if not isinstance(value, int) or isinstance(value, bool):
        fail(instance, attribute, value, "expected an integer")


def optional_int(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if value is not None:
        is_int(instance, attribute, value)


def index_tuple(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if not isinstance(value, tuple) or not all(
        isinstance(i, int) and not isinstance(i, bool) and i >= 0 for i in value
    ):
        fail(instance, attribute, value, "expected a sequence of non-negative integer indices")


def optional_number(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if value is None:
        return
    if not isinstance(value, (int, float)) or isinstance(value, bool) or not math.isfinite(value):
        fail(instance, attribute, value, "expected a finite number or None")


def optional_choice(*choices: str) -> Any:
    """A validator that lets None or one of ``choices`` through."""
    listed = ", ".join(repr(c) for c in choices)

    def check(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
        if value is not None and value not in choices:
            fail(instance, attribute, value, f"expected None or one of {listed}")

    return check
