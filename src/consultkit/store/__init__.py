"""Keep a consultation's posts, responses, themes, runs and analyst decisions: SQLite or PostgreSQL.

``Store("consultation.db")`` opens (or creates) a SQLite file; ``Store("postgresql://...")`` a shared server
(the ``[postgres]`` extra). Both speak the same SQL through the small `Backend` protocol in ``_backend``.
"""

from __future__ import annotations

from ._review import CHANGE_FIELDS, AuditEvent, Review
from ._store import Store

__all__ = ["CHANGE_FIELDS", "AuditEvent", "Review", "Store"]
