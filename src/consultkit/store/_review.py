"""The analyst review loop: rename, merge, split or delete themes, re-assign, review and flag responses.

Every action is one transaction that changes the data and appends an `AuditEvent` (who, when, before, after).
`review_changes` compares the reviewed state with the machine's output, per theme and per response.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import os
from collections.abc import Iterable, Mapping, Sequence
from typing import IO, TYPE_CHECKING, Any

import attrs

from .. import _validate as v
from .._consultation import Response
from .._exceptions import StoreError
from .._io import open_atomic
from .._serialize import Serializable
from . import _rows
from ._schema import now

if TYPE_CHECKING:
    from ._store import Store

#: ``(network, post id, question id)``: how a stored response is named.
ResponseRef = tuple[str, str, str]

__all__ = ["CHANGE_FIELDS", "AuditEvent", "Review", "export_changes", "response_ref", "review_changes"]

AUDIT_COLUMNS = (
    "consultation_id, at, analyst, action, theme_id, network, post_id, question_id, before, after, note"
)

#: The columns of `review_changes` rows (and of the CSV export), in order.
CHANGE_FIELDS = (
    "kind",
    "theme_id",
    "machine_label",
    "label",
    "status",
    "merged_into",
    "network",
    "post_id",
    "question_id",
    "machine_theme_id",
    "reviewed",
    "flagged",
    "events",
    "last_analyst",
    "last_change",
)


def _ref(value: Any) -> Any:
    return tuple(value) if isinstance(value, list) else value


@attrs.frozen(kw_only=True)
class AuditEvent(Serializable):
    """One analyst change: who made it, when, to what, and the values before and after.

    ``theme_id`` is set for theme actions, ``response`` (``(network, post id, question id)``) for response
    actions; ``before`` and ``after`` hold only the fields the action changed.
    """

    id: int = attrs.field(validator=v.is_int)
    consultation_id: str
    at: dt.datetime = attrs.field(converter=v.to_datetime, validator=v.utc_datetime)
    analyst: str
    action: str
    theme_id: int | None = None
    response: tuple[str, str, str] | None = attrs.field(default=None, converter=_ref)
    before: Mapping[str, Any] = attrs.field(factory=dict, converter=v.to_json_mapping, hash=False)
    after: Mapping[str, Any] = attrs.field(factory=dict, converter=v.to_json_mapping, hash=False)
    note: str | None = None


def event_from_row(row: Sequence[Any]) -> AuditEvent:
    """An `AuditEvent` from ``seq`` and the columns named in `AUDIT_COLUMNS`."""
    (
        seq,
        consultation_id,
        at,
        analyst,
        action,
        theme_id,
        network,
        post_id,
        question_id,
        before,
        after,
        note,
    ) = row
    return AuditEvent(
        id=seq,
        consultation_id=consultation_id,
        at=at,
        analyst=analyst,
        action=action,
        theme_id=theme_id,
        response=None if network is None else (network, post_id, question_id),
        before=json.loads(before),
        after=json.loads(after),
        note=note,
    )


class Review:
    """Review actions on one consultation by one analyst; get one from `Store.review`."""

    def __init__(self, store: Store, consultation_id: str, *, analyst: str) -> None:
        if not isinstance(analyst, str) or not analyst.strip():
            raise ValueError("analyst must name who is reviewing, such as an email address or staff id")
        self.store = store
        self.consultation_id = consultation_id
        self.analyst = analyst.strip()

    def __repr__(self) -> str:
        return f"<Review {self.consultation_id!r} by {self.analyst!r} in {self.store!r}>"

    # -- themes --------------------------------------------------------------------------------------

    def rename_theme(self, theme_id: int, label: str, *, note: str | None = None) -> None:
        """Give a theme a new label."""
        label = _label(label)
        with self.store.transaction():
            old = self._theme(theme_id)[0]
            self._set_theme(theme_id, "label = ?", (label,))
            self._record("rename_theme", {"label": old}, {"label": label}, theme_id=theme_id, note=note)

    def merge_themes(self, theme_ids: Iterable[int], into: int, *, note: str | None = None) -> None:
        """Move every response of ``theme_ids`` into theme ``into``; the merged themes are retired."""
        sources = [t for t in dict.fromkeys(theme_ids) if t != into]
        with self.store.transaction():
            self._theme(into)
            for theme_id in sources:
                self._theme(theme_id)
                moved = self._move(theme_id, into)
                self._set_theme(theme_id, "status = 'merged', merged_into = ?", (into,))
                self._record(
                    "merge_theme",
                    {"status": "active"},
                    {"status": "merged", "merged_into": into, "responses_moved": moved},
                    theme_id=theme_id,
                    note=note,
                )

    def split_theme(
        self,
        theme_id: int,
        label: str,
        responses: Iterable[Response | ResponseRef],
        *,
        note: str | None = None,
    ) -> int:
        """Move some of a theme's responses into a new theme called ``label``; return the new theme's id."""
        label = _label(label)
        refs = [response_ref(r) for r in responses]
        if not refs:
            raise ValueError("split_theme needs at least one response to move to the new theme")
        with self.store.transaction():
            self._theme(theme_id)
            rows = self.store._execute(
                "SELECT coalesce(max(id), -1) + 1 FROM themes WHERE consultation_id = ?",
                (self.consultation_id,),
            )
            new_id = int(rows[0][0])
            self.store._execute(
                "INSERT INTO themes (consultation_id, id, label, data) VALUES (?, ?, ?, ?)",
                (self.consultation_id, new_id, label, _rows.dumps({"id": new_id, "label": label})),
            )
            for ref in refs:
                current = self.store._response_row(self.consultation_id, ref)[0]
                if current != theme_id:
                    raise StoreError(f"response {ref} is in theme {current}, not in theme {theme_id}")
                self._update_response(ref, "theme_id = ?", (new_id,))
            self._record(
                "split_theme",
                {"responses": len(refs)},
                {"new_theme": new_id, "label": label, "responses_moved": len(refs)},
                theme_id=theme_id,
                note=note,
            )
        return new_id

    def delete_theme(self, theme_id: int, *, note: str | None = None) -> None:
        """Retire a theme; its responses are left in no theme (and show up in `review_changes`)."""
        with self.store.transaction():
            self._theme(theme_id)
            moved = self._move(theme_id, None)
            self._set_theme(theme_id, "status = 'deleted'", ())
            self._record(
                "delete_theme",
                {"status": "active", "responses": moved},
                {"status": "deleted"},
                theme_id=theme_id,
                note=note,
            )

    # -- responses -----------------------------------------------------------------------------------

    def assign(
        self, response: Response | ResponseRef, theme_id: int | None, *, note: str | None = None
    ) -> None:
        """Put a response in another theme (None: in no theme)."""
        ref = response_ref(response)
        with self.store.transaction():
            if theme_id is not None:
                self._theme(theme_id)
            old = self.store._response_row(self.consultation_id, ref)[0]
            self._update_response(ref, "theme_id = ?", (theme_id,))
            self._record("assign", {"theme_id": old}, {"theme_id": theme_id}, response=ref, note=note)

    def mark_reviewed(
        self, response: Response | ResponseRef, reviewed: bool = True, *, note: str | None = None
    ) -> None:
        """Mark a response as read and checked by an analyst (or not)."""
        self._set_flag(response, "reviewed", reviewed, note)

    def flag(
        self, response: Response | ResponseRef, flagged: bool = True, *, note: str | None = None
    ) -> None:
        """Flag a response for a second look (or clear the flag); say why in ``note``."""
        self._set_flag(response, "flagged", flagged, note)

    def annotate(self, response: Response | ResponseRef, note: str) -> None:
        """Attach a note to a response without changing anything else."""
        if not isinstance(note, str) or not note.strip():
            raise ValueError("annotate needs a non-empty note")
        ref = response_ref(response)
        with self.store.transaction():
            self.store._response_row(self.consultation_id, ref)
            self._record("annotate", {}, {}, response=ref, note=note)

    # -- plumbing ------------------------------------------------------------------------------------

    def _set_flag(self, response: Response | ResponseRef, column: str, value: bool, note: str | None) -> None:
        if not isinstance(value, bool):
            raise TypeError(f"{column} must be True or False, got {value!r}")
        ref = response_ref(response)
        with self.store.transaction():
            _, reviewed, flagged = self.store._response_row(self.consultation_id, ref)
            old = bool(reviewed if column == "reviewed" else flagged)
            self._update_response(ref, f"{column} = ?", (int(value),))
            action = "mark_reviewed" if column == "reviewed" else "flag"
            self._record(action, {column: old}, {column: value}, response=ref, note=note)

    def _theme(self, theme_id: int) -> tuple[str, str]:
        """``(label, status)`` of an active theme, locked for the transaction; `StoreError` otherwise."""
        rows = self.store._execute(
            "SELECT label, status FROM themes WHERE consultation_id = ? AND id = ?"
            + self.store._backend.lock_rows,
            (self.consultation_id, theme_id),
        )
        if not rows or rows[0][1] != "active":
            active = self.store._execute(
                "SELECT id FROM themes WHERE consultation_id = ? AND status = 'active' ORDER BY id",
                (self.consultation_id,),
            )
            state = f"is {rows[0][1]}" if rows else "does not exist"
            raise StoreError(
                f"theme {theme_id} of consultation {self.consultation_id!r} {state}; active themes: "
                f"{', '.join(str(r[0]) for r in active) or 'none'}"
            )
        return rows[0][0], rows[0][1]

    def _set_theme(self, theme_id: int, assignments: str, params: Sequence[Any]) -> None:
        self.store._execute(
            f"UPDATE themes SET {assignments} WHERE consultation_id = ? AND id = ?",
            (*params, self.consultation_id, theme_id),
        )

    def _move(self, source: int, target: int | None) -> int:
        """Move every response of theme ``source`` to ``target``; return how many moved."""
        where = "WHERE consultation_id = ? AND theme_id = ?"
        moved = self.store._execute(f"SELECT count(*) FROM responses {where}", (self.consultation_id, source))
        self.store._execute(
            f"UPDATE responses SET theme_id = ? {where}", (target, self.consultation_id, source)
        )
        return int(moved[0][0])

    def _update_response(self, ref: ResponseRef, assignments: str, params: Sequence[Any]) -> None:
        self.store._execute(
            f"UPDATE responses SET {assignments} WHERE consultation_id = ? AND network = ? AND post_id = ? "
            "AND question_id = ?",
            (*params, self.consultation_id, *ref),
        )

    def _record(
        self,
        action: str,
        before: Mapping[str, Any],
        after: Mapping[str, Any],
        *,
        theme_id: int | None = None,
        response: ResponseRef | None = None,
        note: str | None = None,
    ) -> None:
        network, post_id, question_id = response if response is not None else (None, None, None)
        self.store._execute(
            f"INSERT INTO audit_events ({AUDIT_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                self.consultation_id,
                now(),
                self.analyst,
                action,
                theme_id,
                network,
                post_id,
                question_id,
                _rows.dumps(dict(before)),
                _rows.dumps(dict(after)),
                note,
            ),
        )


def _label(label: str) -> str:
    if not isinstance(label, str) or not label.strip():
        raise ValueError(f"a theme label must be non-empty text, got {label!r}")
    return label.strip()


def response_ref(response: Response | ResponseRef) -> ResponseRef:
    if isinstance(response, Response):
        return (response.post.network, response.post.id, response.question_id)
    network, post_id, question_id = response
    return (str(network).strip().lower(), str(post_id), str(question_id))


def review_changes(store: Store, consultation_id: str) -> list[dict[str, Any]]:
    """Where analysts changed the machine's output: one row per changed theme, then per changed response."""
    counts: dict[tuple[Any, ...], tuple[int, str, str]] = {}
    for event in store.audit_trail(consultation_id):
        key = ("theme", event.theme_id) if event.response is None else ("response", *event.response)
        seen = counts.get(key, (0, "", ""))
        counts[key] = (seen[0] + 1, event.analyst, _rows.iso(event.at))
    themes = store._execute(
        "SELECT id, machine_label, label, status, merged_into FROM themes WHERE consultation_id = ? "
        "AND (machine_label IS NULL OR label <> machine_label OR status <> 'active') ORDER BY id",
        (consultation_id,),
    )
    responses = store._execute(
        "SELECT network, post_id, question_id, machine_theme_id, theme_id, reviewed, flagged FROM responses "
        "WHERE consultation_id = ? AND (reviewed = 1 OR flagged = 1 OR "
        "coalesce(theme_id, -1) <> coalesce(machine_theme_id, -1)) ORDER BY seq",
        (consultation_id,),
    )
    rows: list[dict[str, Any]] = []
    for theme_id, machine_label, label, status, merged_into in themes:
        events, analyst, at = counts.pop(("theme", theme_id), (0, None, None))
        rows.append(
            dict.fromkeys(CHANGE_FIELDS)
            | {"kind": "theme", "theme_id": theme_id, "machine_label": machine_label, "label": label}
            | {"status": status, "merged_into": merged_into, "events": events}
            | {"last_analyst": analyst, "last_change": at}
        )
    for network, post_id, question_id, machine_theme, theme, reviewed, flagged in responses:
        events, analyst, at = counts.get(("response", network, post_id, question_id), (0, None, None))
        rows.append(
            dict.fromkeys(CHANGE_FIELDS)
            | {"kind": "response", "network": network, "post_id": post_id, "question_id": question_id}
            | {"machine_theme_id": machine_theme, "theme_id": theme}
            | {"reviewed": bool(reviewed), "flagged": bool(flagged), "events": events}
            | {"last_analyst": analyst, "last_change": at}
        )
    return rows


def export_changes(
    rows: Sequence[Mapping[str, Any]], target: str | os.PathLike[str] | IO[str], *, format: str
) -> int:
    """Write `review_changes` rows as ``"csv"`` or ``"json"`` to a path (atomically) or an open text file."""
    if format not in ("csv", "json"):
        raise ValueError(f"format must be 'csv' or 'json', got {format!r}")
    if isinstance(target, (str, os.PathLike)):
        with open_atomic(target) as handle:
            return export_changes(rows, handle, format=format)
    if format == "json":
        target.write(json.dumps(list(rows), ensure_ascii=False, indent=2) + "\n")
    else:
        writer = csv.DictWriter(target, fieldnames=CHANGE_FIELDS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    return len(rows)
