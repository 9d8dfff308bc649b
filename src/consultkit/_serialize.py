"""``to_dict`` / ``from_dict`` for every model: plain JSON types out, validated models back in."""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Mapping
from typing import Any, TypeVar

import attrs

from ._exceptions import ModelValidationError

M = TypeVar("M", bound="Serializable")


def _plain(value: Any) -> Any:
    if isinstance(value, dt.datetime):
        return value.isoformat().replace("+00:00", "Z")
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, Mapping):
        return {key: _plain(item) for key, item in value.items()}
    if isinstance(value, (tuple, list)):
        return [_plain(item) for item in value]
    if attrs.has(type(value)):
        return {a.name: _plain(getattr(value, a.name)) for a in attrs.fields(type(value))}
    return value


class Serializable:
    """Mixin for attrs models: a JSON-compatible dict out, a validated model back in."""

    __slots__ = ()

    def to_dict(self) -> dict[str, Any]:
        """Return the model as JSON-compatible types (datetimes as ISO 8601 strings in UTC)."""
        result: dict[str, Any] = _plain(self)
        return result

    @classmethod
    def from_dict(cls: type[M], data: Mapping[str, Any]) -> M:
        """Build the model from `to_dict` output; unknown or missing fields raise `ModelValidationError`."""
        name = cls.__name__
        if not isinstance(data, Mapping):
            raise ModelValidationError(name, "<record>", data, "expected a mapping of field names")
        fields = attrs.fields_dict(cls)  # type: ignore[arg-type]  # every subclass is an attrs class
        for key in data:
            if key not in fields:
                known = ", ".join(f for f, a in fields.items() if a.init)
                raise ModelValidationError(name, str(key), data[key], f"unknown field; known: {known}")
        for field, attribute in fields.items():
            if attribute.init and attribute.default is attrs.NOTHING and field not in data:
                raise ModelValidationError(name, field, None, "required field is missing")
        return cls(**data)
