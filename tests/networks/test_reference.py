"""The networks reference is made from the adapters' class attributes, and says what they say."""

from __future__ import annotations

from pathlib import Path

from consultkit.networks import NETWORKS, _network_class
from consultkit.networks.base import Adapter, capability_table

PAGE = Path(__file__).resolve().parents[2] / "docs" / "reference" / "networks.md"


def adapters() -> list[type[Adapter]]:
    found = [_network_class(name) for name in NETWORKS]
    return [cls for cls in found if isinstance(cls, type) and issubclass(cls, Adapter)]


def test_the_capability_matrix_is_the_generated_one() -> None:
    assert capability_table(adapters()) in PAGE.read_text(encoding="utf-8")


def test_every_adapter_has_its_section_and_facts() -> None:
    text = PAGE.read_text(encoding="utf-8")
    for cls in adapters():
        assert f"{{#{cls.name}}}" in text
        assert cls.max_page_size >= 1
        assert cls.base_url.startswith("https://")
        assert cls.token_env is None or cls.token_env.startswith("CONSULTKIT_")
