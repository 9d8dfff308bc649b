"""Readers (and writers) for the export formats of consultation platforms."""

from .polis import PolisExport, read_polis, write_polis

__all__ = ["PolisExport", "read_polis", "write_polis"]
