"""PostgreSQL specifics that need no server: a missing driver, an unreachable server, hidden passwords."""

from __future__ import annotations

import sys

import pytest

import consultkit as ck


def test_a_missing_driver_says_how_to_install_it(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "psycopg", None)  # as if psycopg were not installed
    with pytest.raises(ck.MissingResourceError, match=r'pip install "consultkit\[postgres\]"'):
        ck.Store("postgresql://analyst:secret@db.example.gov.uk/consultations")


def test_an_unreachable_server_is_a_clear_error_without_the_password() -> None:
    pytest.importorskip("psycopg", reason='needs psycopg: pip install "consultkit[postgres]"')
    url = "postgresql://analyst:s3cr3t-pw@127.0.0.1:9/consultations"  # port 9 (discard): nothing listens
    with pytest.raises(ck.StoreUnavailableError, match="cannot reach the PostgreSQL server") as info:
        ck.Store(url, timeout=2)
    assert "s3cr3t-pw" not in str(info.value)
    assert "analyst:***@127.0.0.1:9" in str(info.value)
    assert info.value.__cause__ is None  # the driver's own message is not chained
    assert isinstance(info.value, ConnectionError)


def test_a_running_server_is_opened_as_postgresql(postgres_url: str) -> None:
    with ck.Store(postgres_url) as store:
        assert store.backend == "postgresql"
        assert repr(store) == f"<Store postgresql {postgres_url!r}>"  # no password to hide in this one
