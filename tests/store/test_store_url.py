"""Store URLs: which backend, which file, and never a password in what is shown."""

from __future__ import annotations

from pathlib import Path

import pytest

import consultkit as ck
from consultkit.store._url import parse_url, redact_url


@pytest.mark.parametrize(
    ("url", "backend", "target"),
    [
        ("consultation.db", "sqlite", "consultation.db"),
        (Path("data/consultation.db"), "sqlite", "data/consultation.db"),
        ("sqlite:///relative.db", "sqlite", "relative.db"),
        ("sqlite:////var/lib/ck.db", "sqlite", "/var/lib/ck.db"),
        ("sqlite:///:memory:", "sqlite", ":memory:"),
        ("postgresql://u@host/db", "postgresql", "postgresql://u@host/db"),
        ("postgres://u@host/db", "postgresql", "postgres://u@host/db"),
    ],
)
def test_urls_name_their_backend(url: str, backend: str, target: str) -> None:
    parsed = parse_url(url)
    assert (parsed.backend, parsed.target) == (backend, target)


@pytest.mark.parametrize(
    ("url", "shown"),
    [
        ("postgresql://analyst:pa55@db:5432/ck", "postgresql://analyst:***@db:5432/ck"),
        (
            "postgresql://analyst@db/ck?password=pa55&sslmode=require",
            "postgresql://analyst@db/ck?password=***&sslmode=require",
        ),
        ("postgresql://db/ck?host=/tmp/sock", "postgresql://db/ck?host=/tmp/sock"),
    ],
)
def test_passwords_are_never_shown(url: str, shown: str) -> None:
    assert redact_url(url) == shown
    parsed = parse_url(url)
    assert parsed.label == shown
    assert "pa55" not in repr(parsed)


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("", "non-empty file path or URL"),
        ("   ", "non-empty file path or URL"),
        ("sqlite://", "names no file"),
        ("mysql://root:hunter2@db/ck", "unsupported store URL scheme 'mysql'"),
    ],
)
def test_bad_urls_are_refused_clearly(url: str, message: str) -> None:
    with pytest.raises(ck.StoreError, match=message) as info:
        ck.Store(url)
    assert "hunter2" not in str(info.value)


def test_a_url_must_be_text() -> None:
    with pytest.raises(ck.StoreError, match="got 42"):
        ck.Store(42)  # type: ignore[arg-type]
