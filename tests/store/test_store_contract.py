"""The store contract: every test here runs on SQLite and on PostgreSQL, and must pass on both."""

from __future__ import annotations

import io
import json
from pathlib import Path

import attrs
import pytest

import consultkit as ck
from consultkit.store import CHANGE_FIELDS, Store
from consultkit.store._schema import LATEST, migrate
from consultkit.store._store import _connect
from consultkit.store._url import parse_url
from consultkit.summarize import RunManifest
from consultkit.testing import make_consultation


def post(n: int, text: str = "Bus lanes on the high street, please #BusLanes", **fields: object) -> ck.Post:
    return ck.Post(network="mastodon", id=str(n), text=text, created_at="2025-03-01T09:00:00Z", **fields)


@pytest.fixture(scope="module")
def synthetic() -> ck.testing.SyntheticConsultation:  # type: ignore[name-defined]
    return make_consultation(n_posts=400, random_state=0)


# -- opening -----------------------------------------------------------------------------------------


def test_a_new_store_is_at_the_latest_schema_and_empty(store: Store) -> None:
    assert store.schema_version == LATEST
    stats = store.stats()
    assert stats.pop("schema_version") == LATEST
    assert set(stats.values()) == {0}


def test_reopening_keeps_everything(store_url: str) -> None:
    with Store(store_url) as store:
        store.add_posts([post(1), post(2)])
    with Store(store_url) as store:
        assert [p.id for p in store.posts()] == ["1", "2"]
        assert store.schema_version == LATEST


def test_repr_names_the_backend(store: Store) -> None:
    assert repr(store).startswith(f"<Store {store.backend} ")


# -- posts -------------------------------------------------------------------------------------------


def test_posts_round_trip_exactly(store: Store, synthetic: object) -> None:
    posts = synthetic.posts  # type: ignore[attr-defined]
    assert store.add_posts(posts, batch_size=97) == len(posts)
    assert list(store.posts()) == list(posts)
    assert store.post(posts[5].network, posts[5].id) == posts[5]
    assert store.post("mastodon", "no such post") is None


def test_upsert_is_idempotent(store: Store) -> None:
    posts = [post(n) for n in range(5)]
    assert store.add_posts(posts) == 5
    assert store.add_posts(posts) == 0
    assert store.add_posts(posts + posts) == 0
    assert store.stats()["posts"] == 5
    assert store.stats()["post_revisions"] == 0


def test_an_edit_keeps_the_earlier_version(store: Store) -> None:
    store.add_posts([post(1, "First draft")])
    assert store.add_posts([post(1, "Second draft")]) == 1
    store.add_posts([post(1, "Final text")])
    history = store.post_history("Mastodon", "1")
    assert [p.text for p in history] == ["First draft", "Second draft", "Final text"]
    assert store.post("mastodon", "1") == history[-1]
    assert store.stats()["posts"] == 1


def test_new_counts_update_the_post_without_an_edit(store: Store) -> None:
    store.add_posts([post(1, metrics={"likes": 1})])
    assert store.add_posts([post(1, metrics={"likes": 7})]) == 1
    assert store.post("mastodon", "1").metrics == {"likes": 7}  # type: ignore[union-attr]
    assert len(store.post_history("mastodon", "1")) == 1


def test_edits_inside_one_batch_keep_every_version(store: Store) -> None:
    store.add_posts([post(1, "a"), post(2, "x"), post(1, "b"), post(1, "c")])
    assert [p.text for p in store.post_history("mastodon", "1")] == ["a", "b", "c"]


def test_posts_filter_by_network_and_stream_in_pages(store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    from consultkit.store import _store

    monkeypatch.setattr(_store, "PAGE_SIZE", 3)
    posts = [post(n) for n in range(10)] + [attrs.evolve(post(n), network="bluesky") for n in range(4)]
    store.add_posts(posts)
    assert list(store.posts()) == posts
    assert [p.id for p in store.posts(network="Bluesky")] == ["0", "1", "2", "3"]


def test_awkward_text_survives(store: Store) -> None:
    text = "NUL \x00, emoji 👩🏽‍⚕️, RTL مرحبا, line\u2028break, quote \" and ' and \\ "
    store.add_posts([post(1, text, extra={"nested": {"list": [1, "two", None]}})])
    assert store.post("mastodon", "1") == post(1, text, extra={"nested": {"list": [1, "two", None]}})


def test_add_posts_refuses_other_objects(store: Store) -> None:
    with pytest.raises(TypeError, match="Post objects"):
        store.add_posts([post(1), post(2).to_dict()])  # type: ignore[list-item]
    assert store.stats()["posts"] == 0
    with pytest.raises(ValueError, match="batch_size"):
        store.add_posts([post(1)], batch_size=0)


# -- transactions ------------------------------------------------------------------------------------


def test_a_failure_mid_batch_leaves_the_store_as_before(store: Store) -> None:
    store.add_posts([post(1, "kept")])

    def stream() -> object:
        yield post(1, "changed")
        yield post(2)
        raise RuntimeError("the harvest crashed")

    for batch_size in (1, 100):  # the failure comes between batches, then inside one
        with pytest.raises(RuntimeError, match="crashed"), store.transaction():
            store.add_posts(stream(), batch_size=batch_size)  # type: ignore[arg-type]
        assert [p.text for p in store.posts()] == ["kept"]
        assert store.post_history("mastodon", "1") == [post(1, "kept")]
    with pytest.raises(RuntimeError, match="crashed"):
        store.add_posts(stream(), batch_size=100)  # type: ignore[arg-type]
    assert [p.text for p in store.posts()] == ["kept"]  # outside a transaction, the batch rolls back


def test_a_constraint_violation_writes_nothing(store: Store, synthetic: object) -> None:
    consultation = synthetic.consultation  # type: ignore[attr-defined]
    responses = consultation.assign(synthetic.posts).responses  # type: ignore[attr-defined]
    with pytest.raises(ck.StoreError, match="constraint"):
        store.add_responses("not saved", responses[:5])  # no such consultation: a foreign key fails
    assert store.stats()["posts"] == 0
    assert store.stats()["responses"] == 0


def test_transactions_nest_and_the_outermost_commits(store: Store) -> None:
    with store.transaction():
        store.add_posts([post(1)])
        with store.transaction():
            store.add_posts([post(2)])
        store.save_cursor("mastodon", "q", "page-2")
    assert store.stats()["posts"] == 2
    assert store.load_cursor("mastodon", "q") == "page-2"


# -- consultations and responses ---------------------------------------------------------------------


def test_consultations_and_responses_round_trip(store: Store, synthetic: object) -> None:
    consultation = synthetic.consultation  # type: ignore[attr-defined]
    responses = consultation.assign(synthetic.posts).responses  # type: ignore[attr-defined]
    store.save_consultation(consultation)
    store.save_consultation(consultation)  # replacing is fine
    assert store.consultation(consultation.id) == consultation
    assert store.consultations() == [consultation]
    assert store.add_responses(consultation.id, responses, batch_size=50) == len(responses)
    assert store.add_responses(consultation.id, responses) == len(responses)
    assert list(store.responses(consultation.id)) == list(responses)
    first = responses[0].question_id
    assert list(store.responses(consultation.id, question_id=first)) == [
        r for r in responses if r.question_id == first
    ]
    assert store.stats()["responses"] == len(responses)


def test_an_unknown_consultation_names_the_known_ones(store: Store, synthetic: object) -> None:
    store.save_consultation(synthetic.consultation)  # type: ignore[attr-defined]
    with pytest.raises(ck.StoreError, match="no consultation 'nope'; known: westhaven"):
        store.consultation("nope")


# -- cursors and runs --------------------------------------------------------------------------------


def test_harvest_cursors_resume_by_network_and_query(store: Store) -> None:
    query = ck.Query(hashtags=("BusLanes",), terms=("bus gate",))
    assert store.load_cursor("mastodon", query) is None
    store.save_cursor("mastodon", query, "max_id=100")
    store.save_cursor("mastodon", query, "max_id=50")
    store.save_cursor("bluesky", query, "cursor-a")
    assert (
        store.load_cursor("Mastodon", ck.Query(hashtags=("#buslanes",), terms=("bus gate",))) == "max_id=50"
    )
    assert store.load_cursor("bluesky", query) == "cursor-a"
    assert store.load_cursor("mastodon", "another query") is None
    store.clear_cursor("mastodon", query)
    assert store.load_cursor("mastodon", query) is None
    with pytest.raises(ValueError, match="clear_cursor"):
        store.save_cursor("mastodon", query, "")


def test_runs_keep_manifest_and_summary(store: Store) -> None:
    posts = [post(n, f"Comment number {n} about the bus lane") for n in range(40)]
    summary = ck.summarize(posts, random_state=0)
    first = store.save_run(summary.manifest, summary=summary)
    manifest = RunManifest(
        input_sha256="0" * 64, library_version="0.1", random_state=3, parameters={"k": [1]}
    )
    second = store.save_run(manifest)
    assert second > first
    assert store.runs() == [summary.manifest, manifest]
    assert store.summary(first) == summary
    assert store.summary(second) is None
    with pytest.raises(ck.StoreError, match="no run"):
        store.summary(second + 100)


# -- themes and the review loop ----------------------------------------------------------------------


@pytest.fixture
def themed(store: Store, synthetic: object) -> tuple[Store, str, list[ck.Response]]:
    consultation = synthetic.consultation  # type: ignore[attr-defined]
    responses = list(consultation.assign(synthetic.posts).responses)[:12]  # type: ignore[attr-defined]
    store.save_consultation(consultation)
    themes = [ck.Theme(id=0, label="Journey times", size=6), ck.Theme(id=1, label="Parking", size=5)]
    labels = [0] * 6 + [1] * 5 + [-1]
    store.save_themes(consultation.id, themes, responses, labels)
    return store, consultation.id, responses


def test_saved_themes_come_back_with_sizes(themed: tuple[Store, str, list[ck.Response]]) -> None:
    store, cid, responses = themed
    assert [(t.id, t.label, t.size) for t in store.themes(cid)] == [
        (0, "Journey times", 6),
        (1, "Parking", 5),
    ]
    assert store.theme_of(cid, responses[0]) == 0
    assert store.theme_of(cid, responses[-1]) is None
    assert store.review_changes(cid) == []


def test_review_actions_change_the_themes_and_are_audited(
    themed: tuple[Store, str, list[ck.Response]],
) -> None:
    store, cid, responses = themed
    review = store.review(cid, analyst="a.khan@example.gov.uk")
    review.rename_theme(0, "Bus journey times", note="clearer")
    review.assign(responses[0], 1)
    new = review.split_theme(1, "Blue badge parking", [responses[6], responses[7]])
    review.mark_reviewed(responses[1])
    review.flag(responses[2], note="possible personal data")
    review.annotate(responses[3], "quote this one")
    review.merge_themes([new], into=1)
    review.delete_theme(0)
    assert [(t.id, t.label, t.size) for t in store.themes(cid)] == [(1, "Parking", 6)]
    assert store.theme_of(cid, responses[1]) is None
    events = list(store.audit_trail(cid))
    assert [e.action for e in events] == [
        "rename_theme",
        "assign",
        "split_theme",
        "mark_reviewed",
        "flag",
        "annotate",
        "merge_theme",
        "delete_theme",
    ]
    assert all(e.analyst == "a.khan@example.gov.uk" and e.consultation_id == cid for e in events)
    assert [e.id for e in events] == sorted(e.id for e in events)
    assert events[0].before == {"label": "Journey times"}
    assert events[0].after == {"label": "Bus journey times"}
    assert events[0].note == "clearer"
    assert events[1].response == (responses[0].post.network, responses[0].post.id, responses[0].question_id)
    assert (events[1].before, events[1].after) == ({"theme_id": 0}, {"theme_id": 1})
    assert events[2].after["new_theme"] == new
    assert events[7].before == {"status": "active", "responses": 5}


def test_review_changes_show_where_analysts_differ_from_the_machine(
    themed: tuple[Store, str, list[ck.Response]], tmp_path: Path
) -> None:
    store, cid, responses = themed
    review = store.review(cid, analyst="j.smith")
    review.rename_theme(1, "Parking and loading")
    review.assign(responses[0], None)
    review.mark_reviewed(responses[1])
    rows = store.review_changes(cid)
    assert all(list(row) == list(CHANGE_FIELDS) for row in rows)
    theme_rows = [r for r in rows if r["kind"] == "theme"]
    assert theme_rows == [
        dict.fromkeys(CHANGE_FIELDS)
        | {"kind": "theme", "theme_id": 1, "machine_label": "Parking", "label": "Parking and loading"}
        | {
            "status": "active",
            "events": 1,
            "last_analyst": "j.smith",
            "last_change": theme_rows[0]["last_change"],
        }
    ]
    by_post = {r["post_id"]: r for r in rows if r["kind"] == "response"}
    assert set(by_post) == {responses[0].post.id, responses[1].post.id}
    assert (by_post[responses[0].post.id]["machine_theme_id"], by_post[responses[0].post.id]["theme_id"]) == (
        0,
        None,
    )
    assert by_post[responses[1].post.id]["reviewed"] is True
    assert store.export_review(cid, tmp_path / "changes.csv") == 3
    lines = (tmp_path / "changes.csv").read_text(encoding="utf-8").splitlines()
    assert lines[0] == ",".join(CHANGE_FIELDS)
    assert len(lines) == 4
    assert store.export_review(cid, tmp_path / "changes.json") == 3
    assert json.loads((tmp_path / "changes.json").read_text(encoding="utf-8")) == rows
    buffer = io.StringIO()
    store.export_review(cid, buffer, format="json")
    assert json.loads(buffer.getvalue()) == rows
    with pytest.raises(ValueError, match="format"):
        store.export_review(cid, tmp_path / "changes.xlsx")


def test_review_refuses_what_does_not_exist(themed: tuple[Store, str, list[ck.Response]]) -> None:
    store, cid, responses = themed
    review = store.review(cid, analyst="j.smith")
    with pytest.raises(ck.StoreError, match=r"theme 9 .* does not exist; active themes: 0, 1"):
        review.rename_theme(9, "x")
    review.delete_theme(1)
    with pytest.raises(ck.StoreError, match=r"theme 1 .* is deleted"):
        review.assign(responses[0], 1)
    with pytest.raises(ck.StoreError, match="has no response"):
        review.mark_reviewed(("mastodon", "nope", "q"))
    with pytest.raises(ck.StoreError, match="not in theme 0"):
        review.split_theme(0, "New", [responses[-1]])
    with pytest.raises(ck.StoreError, match="no consultation"):
        store.review("nope", analyst="j.smith")
    with pytest.raises(ValueError, match="analyst"):
        store.review(cid, analyst=" ")
    assert [e.action for e in store.audit_trail(cid)] == ["delete_theme"]  # failed actions left no trace


def test_reviewed_themes_are_not_overwritten(themed: tuple[Store, str, list[ck.Response]]) -> None:
    store, cid, responses = themed
    store.review(cid, analyst="j.smith").rename_theme(0, "Mine")
    with pytest.raises(ck.StoreError, match="would overwrite"):
        store.save_themes(cid, [ck.Theme(id=0, label="Machine")], responses[:1], [0])
    assert store.themes(cid)[0].label == "Mine"


def test_save_themes_checks_its_input(themed: tuple[Store, str, list[ck.Response]]) -> None:
    store, cid, responses = themed
    with pytest.raises(ValueError, match="one label each"):
        store.save_themes(cid, [ck.Theme(id=0, label="A")], responses, [0])
    with pytest.raises(ValueError, match="not given"):
        store.save_themes(cid, [ck.Theme(id=0, label="A")], responses[:1], [3])


def test_the_audit_trail_is_append_only(themed: tuple[Store, str, list[ck.Response]]) -> None:
    store, cid, _ = themed
    store.review(cid, analyst="j.smith").rename_theme(0, "Mine")
    for statement in ("UPDATE audit_events SET analyst = 'someone else'", "DELETE FROM audit_events"):
        with pytest.raises(ck.StoreError, match="append-only"), store.transaction():
            store._execute(statement)
    assert [e.analyst for e in store.audit_trail(cid)] == ["j.smith"]


# -- migrations --------------------------------------------------------------------------------------


def test_opening_an_older_store_upgrades_it_and_keeps_its_data(store_url: str, synthetic: object) -> None:
    parsed = parse_url(store_url)
    backend = _connect(parsed, 5.0)
    try:
        assert migrate(backend, parsed.label, target=1) == 1
        backend.execute(
            "INSERT INTO consultations (id, data, updated_at) VALUES (?, ?, ?)",
            ("c1", json.dumps(synthetic.consultation.to_dict()), "2025-01-01T00:00:00Z"),  # type: ignore[attr-defined]
        )
    finally:
        backend.close()
    with Store(store_url) as store:
        assert store.schema_version == LATEST
        assert store.consultation("c1").title == synthetic.consultation.title  # type: ignore[attr-defined]
        assert store.stats()["themes"] == 0


def test_a_newer_store_is_refused_and_left_unchanged(store_url: str) -> None:
    with Store(store_url) as store:
        store.add_posts([post(1)])
        store._execute("INSERT INTO schema_version VALUES (?, ?, ?)", (LATEST + 1, "2030-01-01", "9.0"))
    with pytest.raises(
        ck.SchemaVersionError, match=f"schema version {LATEST + 1}.*upgrade consultkit"
    ) as info:
        Store(store_url)
    assert (info.value.found, info.value.supported) == (LATEST + 1, LATEST)
    parsed = parse_url(store_url)
    backend = _connect(parsed, 5.0)
    try:
        assert backend.execute("SELECT max(version) FROM schema_version") == [(LATEST + 1,)]
        assert backend.execute("SELECT count(*) FROM posts") == [(1,)]
    finally:
        backend.close()
