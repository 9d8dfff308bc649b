"""Store URLs: which backend a URL names, and how to show it without its password."""

from __future__ import annotations

import os
import urllib.parse

import attrs

from .._exceptions import StoreError

__all__ = ["StoreURL", "parse_url", "redact_url"]

_POSTGRES = ("postgresql", "postgres")


@attrs.frozen(kw_only=True)
class StoreURL:
    """A parsed store location: ``backend`` is ``"sqlite"`` or ``"postgresql"``; ``label`` is safe to show."""

    backend: str
    #: A file path or ``:memory:`` for SQLite; the full connection URL, password included, for PostgreSQL.
    target: str = attrs.field(repr=False)
    label: str
    password: str | None = attrs.field(default=None, repr=False)


def parse_url(url: str | os.PathLike[str]) -> StoreURL:
    """Read a file path, ``sqlite:///path``, ``sqlite:///:memory:`` or ``postgresql://...``."""
    if isinstance(url, os.PathLike):
        url = os.fspath(url)
    if not isinstance(url, str) or not url.strip():
        raise StoreError(
            f"a store URL must be a non-empty file path or URL, got {url!r}; "
            "use a file path, sqlite:///path or postgresql://user@host/database"
        )
    scheme, sep, rest = url.partition("://")
    if not sep:
        return StoreURL(backend="sqlite", target=url, label=url)
    scheme = scheme.lower()
    if scheme == "sqlite":
        path = rest[1:] if rest.startswith("/") else rest  # sqlite:///rel.db, sqlite:////abs.db
        if not path:
            raise StoreError(f"{url!r} names no file; write sqlite:///path/to/file.db or sqlite:///:memory:")
        return StoreURL(backend="sqlite", target=path, label=path)
    if scheme in _POSTGRES:
        parts = urllib.parse.urlsplit(url)
        query = urllib.parse.parse_qs(parts.query)
        password = parts.password or next(iter(query.get("password", [])), None)
        return StoreURL(backend="postgresql", target=url, label=redact_url(url), password=password)
    raise StoreError(
        f"unsupported store URL scheme {scheme!r} in {redact_url(url)!r}; "
        "use a file path, sqlite:///path or postgresql://user@host/database"
    )


def redact_url(url: str) -> str:
    """The URL with any password replaced by ``***`` (in the authority and in ``?password=``)."""
    parts = urllib.parse.urlsplit(url)
    netloc = parts.netloc
    if parts.password is not None:
        userinfo, _, hostinfo = netloc.rpartition("@")
        user = userinfo.split(":", 1)[0]
        netloc = f"{user}:***@{hostinfo}"
    pairs = urllib.parse.parse_qsl(parts.query, keep_blank_values=True)
    query = parts.query
    if any(key == "password" for key, _ in pairs):
        query = urllib.parse.urlencode(
            [(key, "***" if key == "password" else value) for key, value in pairs], safe="*/"
        )
    return urllib.parse.urlunsplit((parts.scheme, netloc, parts.path, query, parts.fragment))
