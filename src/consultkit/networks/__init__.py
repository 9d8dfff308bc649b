"""Network adapters, found by name through a lazy registry, and the drivers that harvest through them.

Built-in networks are listed in `NETWORKS` as ``name: (module, class)`` and imported only when asked for;
third-party packages add their own under the entry-point group ``consultkit.networks``. A registered class is
either an `Adapter` (the drivers `Network` and `AsyncNetwork` do its I/O) or a self-contained network such as
`MemoryNetwork`.
"""

from __future__ import annotations

import importlib
from importlib.metadata import entry_points
from typing import Any

from .._exceptions import UnknownNetworkError
from ._driver import AsyncNetwork, CursorStore, Network, RateLimit, query_key
from .base import Adapter, Capabilities

__all__ = [
    "NETWORKS",
    "Adapter",
    "AsyncNetwork",
    "Capabilities",
    "CursorStore",
    "Network",
    "RateLimit",
    "async_network",
    "available_networks",
    "network",
    "query_key",
]

NETWORKS: dict[str, tuple[str, str]] = {
    "bluesky": ("consultkit.networks.bluesky", "Bluesky"),
    "mastodon": ("consultkit.networks.mastodon", "Mastodon"),
    "memory": ("consultkit.networks.memory", "MemoryNetwork"),
    "reddit": ("consultkit.networks.reddit", "Reddit"),
    "x": ("consultkit.networks.x", "X"),
}

ENTRY_POINT_GROUP = "consultkit.networks"

#: Options that configure the driver; the rest go to the adapter.
_DRIVER_OPTIONS = frozenset(
    {"client", "timeout", "sleep", "rate_limit", "retries", "backoff", "max_backoff", "cursor_store"}
    | {"random_state", "clock"}
)


def available_networks() -> list[str]:
    """Names of every network that `network` can build: built-in and installed plugins, sorted."""
    plugins = {ep.name for ep in entry_points(group=ENTRY_POINT_GROUP)}
    return sorted(set(NETWORKS) | plugins)


def _network_class(name: str) -> Any:
    key = name.strip().lower()
    if key in NETWORKS:
        module, attribute = NETWORKS[key]
        return getattr(importlib.import_module(module), attribute)
    for ep in entry_points(group=ENTRY_POINT_GROUP):
        if ep.name == key:
            return ep.load()
    raise UnknownNetworkError(name, available_networks())


def _split(options: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    driver = {k: v for k, v in options.items() if k in _DRIVER_OPTIONS}
    return driver, {k: v for k, v in options.items() if k not in _DRIVER_OPTIONS}


def network(name: str, /, **options: Any) -> Any:
    """Build the network called ``name`` with its options (instance URL, credentials, ``client=``).

    For an adapter, driver options (``client``, ``rate_limit``, ``retries``, ``cursor_store``, ...) go to a
    `Network` and the rest to the adapter.
    """
    cls = _network_class(name)
    if isinstance(cls, type) and issubclass(cls, Adapter):
        driver, adapter = _split(options)
        return Network(cls(**adapter), **driver)
    return cls(**options)


def async_network(name: str, /, **options: Any) -> AsyncNetwork:
    """The async twin of `network`: an `AsyncNetwork` (``client=`` takes an `httpx.AsyncClient`)."""
    cls = _network_class(name)
    if not (isinstance(cls, type) and issubclass(cls, Adapter)):
        raise TypeError(f"the {name!r} network has no async twin; use ck.network({name!r}, ...)")
    driver, adapter = _split(options)
    return AsyncNetwork(cls(**adapter), **driver)
