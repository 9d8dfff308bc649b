"""The Pol.is reader and writer: round trips, votes.csv, malformed files, and the real exports."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import scipy.sparse as sp

import consultkit as ck
from consultkit.importers import PolisExport

MATRIX = """participant,group-id,n-comments,n-votes,n-agree,n-disagree,0,1,2
0,1,1,3,1,1,1,-1,0
1,,0,1,0,0,,0,
2,0,0,2,1,1,-1,,1
"""
COMMENTS = """timestamp,datetime,comment-id,author-id,agrees,disagrees,moderated,comment-body
1,x,0,0,1,1,1,"Buses first,
then cars."
2,x,1,0,0,1,-1,Off topic
3,x,2,1,1,0,0,Plain
"""


def write(folder: Path, **files: str) -> Path:
    folder.mkdir(exist_ok=True)
    for name, text in files.items():
        (folder / f"{name.replace('_', '-')}.csv").write_text(text, encoding="utf-8")
    return folder


def test_reads_participants_votes_and_comments(tmp_path: Path) -> None:
    export = ck.read_polis(write(tmp_path, participants_votes=MATRIX, comments=COMMENTS))
    assert export.participants == ("0", "1", "2")
    assert export.statements == ("0", "1", "2")
    np.testing.assert_array_equal(export.dense(), [[1, -1, 0], [np.nan, 0, np.nan], [-1, np.nan, 1]])
    assert export.votes.nnz == 6  # passes are stored zeros; unseen is not stored
    assert export.texts == ("Buses first,\nthen cars.", "Off topic", "Plain")
    assert export.moderated == (1, -1, 0)
    assert export.excluded == (1,)
    assert export.group_ids == (1, None, 0)


def test_votes_csv_keeps_each_participants_last_vote(tmp_path: Path) -> None:
    votes = "timestamp,datetime,comment-id,voter-id,vote\n5,x,0,7,1\n9,x,0,7,-1\n1,x,1,3,0\n"
    export = ck.read_polis(write(tmp_path, votes=votes))
    assert export.participants == ("3", "7")
    np.testing.assert_array_equal(export.dense(), [[np.nan, 0], [-1, np.nan]])
    assert export.texts == (None, None)
    assert export.group_ids == (None, None)


def test_write_then_read_round_trips(tmp_path: Path) -> None:
    export = ck.read_polis(write(tmp_path / "in", participants_votes=MATRIX, comments=COMMENTS))
    ck.write_polis(export, tmp_path / "out")
    again = ck.read_polis(tmp_path / "out")
    assert (again.votes != export.votes).nnz == 0
    assert again.votes.nnz == export.votes.nnz
    assert (again.participants, again.statements, again.texts) == (
        export.participants,
        export.statements,
        export.texts,
    )
    assert (again.moderated, again.group_ids) == (export.moderated, export.group_ids)
    (tmp_path / "out" / "participants-votes.csv").unlink()  # votes.csv alone gives the same matrix
    assert (ck.read_polis(tmp_path / "out").votes != export.votes).nnz == 0


def test_groups_can_be_written_for_tools_that_read_pol_is(tmp_path: Path) -> None:
    rng = np.random.default_rng(0)
    dense = np.where(rng.random((40, 10)) < 0.5, 1.0, -1.0) * np.repeat([[1.0], [-1.0]], 20, axis=0)
    groups = ck.OpinionGroups().fit(dense)
    rows, cols = np.nonzero(~np.isnan(dense))
    export = PolisExport(
        votes=sp.csr_array((dense[rows, cols], (rows, cols)), shape=dense.shape),
        participants=tuple(str(i) for i in range(40)),
        statements=tuple(str(j) for j in range(10)),
        texts=tuple(f"Statement {j}" for j in range(10)),
        moderated=(1,) * 10,
        group_ids=tuple(None if g < 0 else int(g) for g in groups.labels_),
    )
    ck.write_polis(export, tmp_path)
    assert ck.read_polis(tmp_path).group_ids == export.group_ids


def test_export_checks_its_shape() -> None:
    with pytest.raises(ck.ModelValidationError, match="texts"):
        PolisExport(
            votes=sp.csr_array((1, 2)), participants=("0",), statements=("0", "1"), texts=("a",),
            moderated=(1, 1), group_ids=(None,),
        )  # fmt: skip


@pytest.mark.parametrize(
    ("files", "where"),
    [
        ({"participants_votes": MATRIX.replace("1,-1,0\n", "1,yes,0\n")},
         "participants-votes.csv, line 2, field '1'"),
        ({"participants_votes": MATRIX.replace("0,1,1,3", "0,x,1,3")}, "line 2, field 'group-id'"),
        ({"participants_votes": MATRIX + "0,,0,0,0,0,,,\n"}, "line 5, field 'participant'"),
        ({"participants_votes": "a,b\n1,2\n"}, "line 1, field 'participant'"),
        ({"votes": "timestamp,comment-id,voter-id,vote\n1,0,0,2\n"}, "votes.csv, line 2, field 'vote'"),
        ({"votes": "timestamp,comment-id,vote\n"}, "line 1, field 'voter-id'"),
        ({"votes": "timestamp,comment-id,voter-id,vote\nnow,0,0,1\n"}, "line 2, field 'timestamp'"),
        ({"votes": "timestamp,comment-id,voter-id,vote\n1,0,0,1\n",
          "comments": COMMENTS.replace(",-1,", ",9,")},
         "comments.csv, line 4, field 'moderated'"),
        ({}, "no participants-votes.csv or votes.csv"),
    ],
)  # fmt: skip
def test_malformed_files_name_file_line_and_field(tmp_path: Path, files: dict[str, str], where: str) -> None:
    with pytest.raises(ck.DataFormatError) as info:
        ck.read_polis(write(tmp_path, **files))
    assert where in str(info.value)


def test_reads_every_real_export(shared_data) -> None:  # type: ignore[no-untyped-def]
    root = shared_data("polis")
    folders = sorted(p for p in root.iterdir() if (p / "participants-votes.csv").exists())
    assert len(folders) >= 8
    for folder in folders:
        export = ck.read_polis(folder)
        n_votes = dict(zip(_column(folder, "participant"), _column(folder, "n-votes"), strict=False))
        assert np.diff(export.votes.indptr).tolist() == [int(n_votes[p]) for p in export.participants]
        assert all(text is not None for text in export.texts), folder.name


def _column(folder: Path, name: str) -> list[str]:
    import csv

    with open(folder / "participants-votes.csv", encoding="utf-8", newline="") as handle:
        return [row[name] for row in csv.DictReader(handle)]
