"""Pol.is exports: ``participants-votes.csv`` or ``votes.csv`` into a votes matrix, ``comments.csv`` into the
statements' ids, texts and moderation; and back again.

A matrix row is a participant, a column a statement: 1 agree, -1 disagree, 0 pass (a stored zero); an
entry that is not stored means unseen. Rows and columns are in ascending id order.
"""

from __future__ import annotations

import csv
import os
from collections.abc import Iterator
from pathlib import Path

import attrs
import numpy as np
import numpy.typing as npt
import scipy.sparse as sp

from .._exceptions import DataFormatError, ModelValidationError
from .._io import open_atomic

__all__ = ["PolisExport", "read_polis", "write_polis"]

_MATRIX_FIXED = ("participant", "group-id", "n-comments", "n-votes", "n-agree", "n-disagree")
_VOTES_COLUMNS = ("timestamp", "comment-id", "voter-id", "vote")
_COMMENTS_COLUMNS = ("comment-id", "moderated", "comment-body")
_VOTE_VALUES = {"1": 1.0, "-1": -1.0, "0": 0.0, "1.0": 1.0, "-1.0": -1.0, "0.0": 0.0}


@attrs.frozen(kw_only=True, eq=False)
class PolisExport:
    """One Pol.is conversation: who voted how on which statement, and the statements themselves."""

    votes: sp.csr_array  #: participants x statements; stored 1 / -1 / 0, unseen not stored
    participants: tuple[str, ...]  #: participant ids, one per row
    statements: tuple[str, ...]  #: comment ids, one per column
    texts: tuple[str | None, ...]  #: comment-body per column (None when comments.csv lacks it)
    moderated: tuple[int, ...]  #: 1 accepted, 0 unreviewed, -1 moderated out
    group_ids: tuple[int | None, ...]  #: Pol.is's own group per participant, when the export has one

    def __attrs_post_init__(self) -> None:
        rows, cols = len(self.participants), len(self.statements)
        if self.votes.shape != (rows, cols):
            raise ModelValidationError("PolisExport", "votes", self.votes.shape, f"must be {rows} x {cols}")
        for name, size in (("texts", cols), ("moderated", cols), ("group_ids", rows)):
            if len(getattr(self, name)) != size:
                raise ModelValidationError(
                    "PolisExport", name, len(getattr(self, name)), f"needs {size} items"
                )

    @property
    def excluded(self) -> tuple[int, ...]:
        """Column indices of moderated-out statements (pass to ``OpinionGroups.fit(excluded=...)``)."""
        return tuple(j for j, m in enumerate(self.moderated) if m < 0)

    def dense(self) -> npt.NDArray[np.float64]:
        """The votes as a dense array with NaN for unseen."""
        out = np.full(self.votes.shape, np.nan)
        coo = self.votes.tocoo()
        out[coo.row, coo.col] = coo.data
        return out


def read_polis(directory: str | os.PathLike[str]) -> PolisExport:
    """Read a Pol.is export folder: ``participants-votes.csv`` (else ``votes.csv``) and ``comments.csv``."""
    folder = Path(directory)
    comments = _read_comments(folder / "comments.csv") if (folder / "comments.csv").exists() else {}
    if (folder / "participants-votes.csv").exists():
        cells, groups = _read_matrix(folder / "participants-votes.csv")
    elif (folder / "votes.csv").exists():
        cells, groups = _read_votes(folder / "votes.csv"), {}
    else:
        raise DataFormatError(
            str(folder), 0, "<file>", "no participants-votes.csv or votes.csv in this folder"
        )
    participants = _sorted_ids({p for p, _ in cells} | set(groups))
    statements = _sorted_ids({s for _, s in cells} | set(comments))
    row = {p: i for i, p in enumerate(participants)}
    col = {s: j for j, s in enumerate(statements)}
    keys = sorted(cells, key=lambda k: (row[k[0]], col[k[1]]))
    votes = sp.csr_array(
        (
            np.array([cells[k] for k in keys], dtype=np.float64),
            (
                np.array([row[p] for p, _ in keys], dtype=np.int64),
                np.array([col[s] for _, s in keys], dtype=np.int64),
            ),
        ),
        shape=(len(participants), len(statements)),
    )
    return PolisExport(
        votes=votes,
        participants=tuple(participants),
        statements=tuple(statements),
        texts=tuple(comments.get(s, (None, 0))[0] for s in statements),
        moderated=tuple(comments.get(s, (None, 0))[1] for s in statements),
        group_ids=tuple(groups.get(p) for p in participants),
    )


def write_polis(export: PolisExport, directory: str | os.PathLike[str]) -> None:
    """Write ``comments.csv``, ``participants-votes.csv`` and ``votes.csv`` that `read_polis` reads back."""
    folder = Path(directory)
    folder.mkdir(parents=True, exist_ok=True)
    dense = export.dense()
    seen = ~np.isnan(dense)
    with open_atomic(folder / "comments.csv") as out:
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(("comment-id", "agrees", "disagrees", "moderated", "comment-body"))
        for j, sid in enumerate(export.statements):
            column = dense[:, j]
            writer.writerow(
                (
                    sid,
                    int(np.sum(column == 1)),
                    int(np.sum(column == -1)),
                    export.moderated[j],
                    export.texts[j] or "",
                )
            )
    with open_atomic(folder / "participants-votes.csv") as out:
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow((*_MATRIX_FIXED, *export.statements))
        for i, pid in enumerate(export.participants):
            row = dense[i]
            group = export.group_ids[i]
            counts = (0, int(seen[i].sum()), int(np.sum(row == 1)), int(np.sum(row == -1)))
            cells = ("" if np.isnan(v) else str(int(v)) for v in row)
            writer.writerow((pid, "" if group is None else group, *counts, *cells))
    with open_atomic(folder / "votes.csv") as out:
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(_VOTES_COLUMNS)
        coo = export.votes.tocoo()
        for i, j, v in sorted(zip(coo.row.tolist(), coo.col.tolist(), coo.data.tolist(), strict=False)):
            writer.writerow((0, export.statements[j], export.participants[i], int(v)))


def _rows(path: Path, required: tuple[str, ...]) -> Iterator[tuple[int, dict[str, str]]]:
    with open(path, encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        missing = [c for c in required if c not in (reader.fieldnames or ())]
        if missing:
            raise DataFormatError(str(path), 1, missing[0], f"missing column(s): {', '.join(missing)}")
        for record in reader:
            if None in record:
                raise DataFormatError(str(path), reader.line_num, "<row>", "more cells than columns")
            yield reader.line_num, record


def _vote(path: Path, line: int, field: str, text: str) -> float:
    try:
        return _VOTE_VALUES[text.strip()]
    except KeyError:
        raise DataFormatError(str(path), line, field, "a vote must be 1, -1, 0 or blank", text) from None


def _integer(path: Path, line: int, field: str, text: str) -> int:
    try:
        return int(text)
    except ValueError:
        raise DataFormatError(str(path), line, field, "not an integer", text) from None


def _read_matrix(path: Path) -> tuple[dict[tuple[str, str], float], dict[str, int]]:
    cells: dict[tuple[str, str], float] = {}
    groups: dict[str, int] = {}
    seen: set[str] = set()
    with open(path, encoding="utf-8", newline="") as handle:
        header = next(csv.reader(handle), [])
    if "participant" not in header or "n-disagree" not in header:
        raise DataFormatError(str(path), 1, "participant", "not a Pol.is participants-votes.csv header")
    statements = header[header.index("n-disagree") + 1 :]
    for line, record in _rows(path, ("participant", "group-id")):
        pid = record["participant"]
        if not pid or pid in seen:
            raise DataFormatError(str(path), line, "participant", "empty or repeated participant id", pid)
        seen.add(pid)
        if record["group-id"].strip():
            groups[pid] = _integer(path, line, "group-id", record["group-id"])
        for sid in statements:
            if record[sid].strip():
                cells[pid, sid] = _vote(path, line, sid, record[sid])
    return cells, groups


def _read_votes(path: Path) -> dict[tuple[str, str], float]:
    latest: dict[tuple[str, str], tuple[float, float]] = {}
    for line, record in _rows(path, _VOTES_COLUMNS):
        key = (record["voter-id"], record["comment-id"])
        if not all(key):
            raise DataFormatError(str(path), line, "voter-id" if not key[0] else "comment-id", "empty id")
        try:
            when = float(record["timestamp"])
        except ValueError:
            raise DataFormatError(str(path), line, "timestamp", "not a number", record["timestamp"]) from None
        vote = _vote(path, line, "vote", record["vote"])
        if key not in latest or when >= latest[key][0]:  # a participant may change a vote: keep the last
            latest[key] = (when, vote)
    return {key: vote for key, (_, vote) in latest.items()}


def _read_comments(path: Path) -> dict[str, tuple[str, int]]:
    comments: dict[str, tuple[str, int]] = {}
    for line, record in _rows(path, _COMMENTS_COLUMNS):
        moderated = _integer(path, line, "moderated", record["moderated"])
        if moderated not in (-1, 0, 1):
            raise DataFormatError(str(path), line, "moderated", "must be 1, 0 or -1", moderated)
        comments[record["comment-id"]] = (record["comment-body"], moderated)
    return comments


def _sorted_ids(ids: set[str]) -> list[str]:
    """Numeric ids in numeric order (Pol.is ids are integers); anything else after them, as text."""
    return sorted(ids, key=lambda i: (0, int(i), "") if i.lstrip("-").isdigit() else (1, 0, i))
