"""Keyed-hash pseudonyms for authors, so reports and stores never hold a raw account id by default."""

from __future__ import annotations

import hashlib
import hmac
import logging
import os
import secrets
from pathlib import Path

__all__ = ["Pseudonymizer"]

log = logging.getLogger("consultkit")

KEY_ENV = "CONSULTKIT_PSEUDONYM_KEY"


class Pseudonymizer:
    """Map ``(network, account id)`` to a stable pseudonym with HMAC-SHA256 under a secret key.

    The same key gives the same pseudonym across runs, so a resumed harvest keeps its authors apart; without
    the key the mapping cannot be reversed or recomputed. The key is never shown in ``repr`` or logs.

    >>> Pseudonymizer("not-a-real-secret")("mastodon", "109876")
    'u_200d49d226de39f3d62b'
    """

    __slots__ = ("_key",)

    def __init__(self, key: str | bytes) -> None:
        raw = key.encode() if isinstance(key, str) else bytes(key)
        if len(raw) < 8:
            raise ValueError("a pseudonymisation key needs at least 8 bytes")
        self._key = raw

    def __repr__(self) -> str:
        return "Pseudonymizer(key=<hidden>)"

    def __call__(self, network: str, account_id: str) -> str:
        message = f"{network}\x00{account_id}".encode()
        return "u_" + hmac.new(self._key, message, hashlib.sha256).hexdigest()[:20]

    @classmethod
    def from_environment(cls, key_file: str | os.PathLike[str] | None = None) -> Pseudonymizer:
        """The key from ``$CONSULTKIT_PSEUDONYM_KEY``, else from a key file created on first use.

        The key file defaults to ``$XDG_CONFIG_HOME/consultkit/pseudonym.key`` (``~/.config/...``), is
        readable by its owner only, and must be kept: with a new key every author gets a new pseudonym.
        """
        env_key = os.environ.get(KEY_ENV)
        if env_key:
            return cls(env_key)
        path = Path(key_file) if key_file is not None else _default_key_file()
        if not path.exists():
            path.parent.mkdir(parents=True, exist_ok=True)
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(fd, "w") as handle:
                handle.write(secrets.token_hex(32))
            log.info("created a pseudonymisation key at %s; keep it to keep pseudonyms stable", path)
        return cls(path.read_text().strip())


def _default_key_file() -> Path:
    base = os.environ.get("XDG_CONFIG_HOME") or Path.home() / ".config"
    return Path(base) / "consultkit" / "pseudonym.key"


_default: Pseudonymizer | None = None


def default_pseudonymizer() -> Pseudonymizer:
    """The process-wide pseudonymiser, read from the environment once."""
    global _default  # noqa: PLW0603  # one lazily read key per process
    if _default is None:
        _default = Pseudonymizer.from_environment()
    return _default
