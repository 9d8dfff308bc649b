"""Network adapters, found by name through a lazy registry.

Built-in networks are listed in `NETWORKS` as ``name: (module, class)`` and imported only when asked for;
third-party packages add their own under the entry-point group ``consultkit.networks``.
"""

from __future__ import annotations

import importlib
from importlib.metadata import entry_points
from typing import Any

from .._exceptions import UnknownNetworkError

__all__ = ["NETWORKS", "available_networks", "network"]

NETWORKS: dict[str, tuple[str, str]] = {
    "memory": ("consultkit.networks.memory", "MemoryNetwork"),
}

ENTRY_POINT_GROUP = "consultkit.networks"


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


def network(name: str, /, **options: Any) -> Any:
    """Build the network called ``name`` with its options (instance URL, credentials, ``client=``)."""
    return _network_class(name)(**options)
