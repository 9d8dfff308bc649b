"""PII redaction: what each kind finds and leaves, and the invariants that quotes and reports rely on."""

from __future__ import annotations

import datetime as dt
import doctest
import itertools

import attrs
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from consultkit.summarize import _redact
from consultkit.summarize._redact import (
    PII_KINDS,
    Redaction,
    describe_redactions,
    find_pii,
    pii_free_spans,
    redact,
    redact_many,
)

# (sentence, kind, the exact text found). Numbers are Ofcom's drama ranges; postcodes are well-known ones.
POSITIVE = [
    ("email me at jo.bloggs@example.com if you can help", "email", "jo.bloggs@example.com"),
    ("Contact sam+consultation@mail.example.co.uk.", "email", "sam+consultation@mail.example.co.uk"),
    ("Write to first_last-2@sub.domain.example.org, ta", "email", "first_last-2@sub.domain.example.org"),
    ("mailto:Bob.Smith@Example.ORG", "email", "Bob.Smith@Example.ORG"),
    ("Ring me on 07700 900123 if you want to help.", "phone", "07700 900123"),
    ("Text 07700900123 to join", "phone", "07700900123"),
    ("text 07700-900-123 now", "phone", "07700-900-123"),
    ("my mobile (07700) 900123", "phone", "(07700) 900123"),
    ("London office: 020 7946 0123.", "phone", "020 7946 0123"),
    ("Call (020) 7946 0123 today", "phone", "(020) 7946 0123"),
    ("Call +44 20 7946 0123 today", "phone", "+44 20 7946 0123"),
    ("Call +44 (0)20 7946 0123 today", "phone", "+44 (0)20 7946 0123"),
    ("or (0)20 7946 0123", "phone", "(0)20 7946 0123"),
    ("whatsapp +447700900123", "phone", "+447700900123"),
    ("from abroad 0044 7700 900123", "phone", "0044 7700 900123"),
    ("Leeds 0113 496 0000 ext", "phone", "0113 496 0000"),
    ("Call 01632 960123.", "phone", "01632 960123"),
    ("council line 0300 123 4567", "phone", "0300 123 4567"),
    ("Cardiff 029 2018 0123", "phone", "029 2018 0123"),
    ("dots 07700.900.123 too", "phone", "07700.900.123"),
    ("no-break 07700\u00a0900123", "phone", "07700\u00a0900123"),
    ("US cousin +1 (555) 010-9999", "phone", "+1 (555) 010-9999"),
    ("Paris +33 1 23 45 67 89", "phone", "+33 1 23 45 67 89"),
    ("tel:07700900123", "phone", "07700900123"),
    ("I'm at SW1A 1AA, two doors down", "postcode", "SW1A 1AA"),
    ("We're in M1 1AE if anyone wants to sign", "postcode", "M1 1AE"),
    ("Postcode B33 8TH here.", "postcode", "B33 8TH"),
    ("CR2 6XH", "postcode", "CR2 6XH"),
    ("(DN55 1PT)", "postcode", "DN55 1PT"),
    ("office at EC1A 1BB.", "postcode", "EC1A 1BB"),
    ("lowercase w1a0ax works", "postcode", "w1a0ax"),
    ("no space SW1A1AA", "postcode", "SW1A1AA"),
    ("Girobank GIR 0AA", "postcode", "GIR 0AA"),
    ("cardiff cf10 1ab", "postcode", "cf10 1ab"),
    ("My NI number (QQ 12 34 56 C) was on the form", "ni_number", "QQ 12 34 56 C"),
    ("NI: QQ123456C", "ni_number", "QQ123456C"),
    ("ni qq123456c typed fast", "ni_number", "qq123456c"),
    ("written QQ 123 456 C", "ni_number", "QQ 123 456 C"),
    ("allocated AB-12-34-56-D", "ni_number", "AB-12-34-56-D"),
    ("cc @alice", "handle", "@alice"),
    ("Tagging @alice_b, you'll want this.", "handle", "@alice_b"),
    ("@alice@mastodon.social what do you think?", "handle", "@alice@mastodon.social"),
    ("thanks @bob.bsky.social.", "handle", "@bob.bsky.social"),
    ("see https://mastodon.social/@alice", "handle", "@alice"),
    ("(@Carol_2024)", "handle", "@Carol_2024"),
    ("see https://www.facebook.com/john.smith.123/ now", "url_user", "john.smith.123"),
    ("https://twitter.com/alice/status/1", "url_user", "alice"),
    ("on x.com/alice_b", "url_user", "alice_b"),
    ("instagram.com/jane.doe", "url_user", "jane.doe"),
    ("https://facebook.com/profile.php?id=100012345", "url_user", "profile.php?id=100012345"),
    ("https://bsky.app/profile/alice.bsky.social", "url_user", "alice.bsky.social"),
    ("https://www.linkedin.com/in/jane-doe-123/", "url_user", "jane-doe-123"),
]

# Sentences with nothing to redact, including look-alikes of every kind.
NEGATIVE = [
    "in 2024 we asked 2,000 people",
    "it cost £12,500 or £1,250,000 in all",
    "meet at 10:30, or 10:30-11:45, or 07:30",
    "route 73 and the 25 bus",
    "3 x 4 = 12, up 0.5% to 3.14159265358979",
    "Section 106 money",
    "the A1 road and the M25 motorway, junction 10 of the M6",
    "M25, SW1A and CF10 are only outward codes",
    "on 01/02/2024, 2024-03-12 and 01-02-2024 10 people came",
    "from 1990-2024, years 2019 2020 2021 2022 2023",
    "ref 12345678 and case 123456789 and 0123 4567",
    "application 23/01234/FUL",
    "a 0.1234567890 chance",
    "1 2 3 4 5 6 7 8 9 10 11 12",
    "Room 101 and ISO 9001 and PM2.5 and CO2 levels",
    "the A14 2nd junction, the m4 4th lane",
    "AB 12 34 56 has no suffix",
    "is 100000 a lot",
    "GB123456789 is a VAT number",
    "an @ alone, email@ and @ 10",
    "tickets @10 each or @1984",
    "#BusLanes #NHS",
    "user at example dot com",
    "call 999 or 116 123 or 0800 123 4567",
    "+5 points, +10% and +2,000 people",
    "https://facebook.com/groups/ourvillage and https://x.com/i/web/status/1",
    "https://www.instagram.com/p/Cabc123/ and https://twitter.com/hashtag/BusLanes",
    "https://example.org/news/2024/05/article",
    "Covid-19, 4G/5G, 24/7 and 9-5",
    "",
]

SAMPLES = sorted({found for _, _, found in POSITIVE})

# Characters that sit at the edges of matches: word, digit, separator and trigger characters.
EDGES = "aZ09_ .-+@()/:,\u00a0é[]"

pieces = st.one_of(
    st.sampled_from(SAMPLES),
    st.sampled_from(NEGATIVE),
    st.text(alphabet=EDGES, max_size=4),
)
#: Texts made of PII, look-alikes and edge characters glued together, often with no space between.
glued = st.lists(pieces, max_size=8).map("".join)
#: Both glued texts and arbitrary Unicode.
texts = st.one_of(glued, st.text(max_size=200))
kind_sets = st.sets(st.sampled_from(PII_KINDS), min_size=1)


@pytest.mark.parametrize(("sentence", "kind", "found"), POSITIVE)
def test_finds_each_kind(sentence, kind, found):
    assert [(r.kind, r.text) for r in find_pii(sentence)] == [(kind, found)]


@pytest.mark.parametrize("sentence", NEGATIVE)
def test_leaves_look_alikes(sentence):
    assert find_pii(sentence) == ()
    assert redact(sentence) == sentence


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        (
            "Email jo@example.co.uk or ring 020 7946 0123, I'm at SW1A 1AA",
            "Email [email] or ring [phone], I'm at [postcode]",
        ),
        ("@alice@mastodon.social and alice@mastodon.social", "[handle] and [email]"),
        ("NI QQ 12 34 56 C, @bob.bsky.social.", "NI [ni_number], [handle]."),
        ("https://x.com/alice/status/1", "https://x.com/[url_user]/status/1"),
        ("07700 900123,07700 900124", "[phone],[phone]"),
        ("meet@noon", "meet[handle]"),  # an @ glued to a word is taken as a handle: safer than not
    ],
)
def test_redact_replaces_spans_with_their_kind(sentence, expected):
    assert redact(sentence) == expected


def test_a_glued_prefix_blocks_a_match_that_a_word_cut_would_expose():
    # Matches never start inside a word, so a quote cut mid-word must be checked again (see module docs).
    assert find_pii("x07700 900123") == ()
    assert find_pii("x07700 900123"[1:]) != ()


def test_overlapping_kinds_merge_into_the_first():
    (span,) = find_pii("@alice+news@example.com")
    assert (span.kind, span.start, span.end) == ("handle", 0, 23)


def test_kinds_limit_what_is_found():
    text = "@alice: 07700 900123, bob@example.com"
    assert redact(text, kinds=("phone",)) == "@alice: [phone], bob@example.com"
    assert [r.kind for r in find_pii(text, kinds={"email", "handle"})] == ["handle", "email"]


def test_placeholder_is_a_format_string():
    assert redact("ring 07700 900123", placeholder="<{kind} removed>") == "ring <phone removed>"
    assert redact("ring 07700 900123", placeholder="***") == "ring ***"


@pytest.mark.parametrize("placeholder", ["{name}", "{0}", "{kind", 3])
def test_bad_placeholder_is_refused(placeholder):
    with pytest.raises((ValueError, TypeError), match="placeholder"):
        redact("ring 07700 900123", placeholder=placeholder)


def test_unknown_kinds_are_refused_with_the_choices():
    with pytest.raises(ValueError, match="unknown PII kinds \\['emails'\\]; choose from"):
        find_pii("x", kinds=("emails",))
    with pytest.raises(TypeError, match="not a string"):
        redact("x", kinds="email")


def test_text_must_be_a_string():
    with pytest.raises(TypeError, match="text must be a string, got bytes"):
        find_pii(b"07700 900123")  # type: ignore[arg-type]  # the wrong type on purpose


def test_redact_many_counts_by_kind():
    texts = ["@alice agrees", "call 07700 900123 or 020 7946 0123", "nothing here", "x@example.com"]
    redacted, counts = redact_many(texts)
    assert redacted == ["[handle] agrees", "call [phone] or [phone]", "nothing here", "[email]"]
    assert counts == {"handle": 1, "phone": 2, "email": 1}
    assert describe_redactions(counts) == "1 email address, 2 phone numbers and 1 handle redacted"


@pytest.mark.parametrize(
    ("counts", "sentence"),
    [
        ({}, "no personal data redacted"),
        ({"email": 0}, "no personal data redacted"),
        ({"ni_number": 1}, "1 National Insurance number redacted"),
        ({"url_user": 2, "postcode": 3}, "3 postcodes and 2 profile links redacted"),
    ],
)
def test_describe_redactions(counts, sentence):
    assert describe_redactions(counts) == sentence


def test_describe_redactions_refuses_unknown_kinds():
    with pytest.raises(ValueError, match="unknown PII kinds \\['names'\\]"):
        describe_redactions({"names": 1})


def test_pii_free_spans_skip_personal_data():
    text = "Ask @alice or 07700 900123: it works"
    assert [text[a:b] for a, b in pii_free_spans(text)] == ["Ask ", " or ", ": it works"]
    assert pii_free_spans("") == []
    assert pii_free_spans("@alice") == []


def test_redaction_is_a_frozen_record():
    span = Redaction(kind="email", start=0, end=5, text="a@b.c")
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        span.start = 1  # type: ignore[misc]  # assigning to a frozen field on purpose
    with pytest.raises(ValueError, match="kind"):
        Redaction(kind="name", start=0, end=1, text="x")


def test_docstring_examples():
    assert doctest.testmod(_redact).failed == 0


# -- properties -------------------------------------------------------------------------------------


@given(texts, kind_sets)
@example("@alice@mastodon.social", set(PII_KINDS))
def test_spans_are_sorted_disjoint_and_exact(text, kinds):
    spans = find_pii(text, kinds=kinds)
    position = 0
    for span in spans:
        assert position <= span.start < span.end <= len(text)
        assert span.text == text[span.start : span.end]
        assert span.kind in kinds
        position = span.end


@given(texts)
@example("07700 900123SW1A 1AA+44 20 7946 0123@alice+tag@example.com")
@example("+44 20 7946 0123+44 20 7946 0123")
def test_redact_is_idempotent_and_leaves_nothing_to_find(text):
    once = redact(text)
    assert find_pii(once) == ()
    assert redact(once) == once


@given(texts, kind_sets)
def test_redact_with_some_kinds_is_idempotent(text, kinds):
    once = redact(text, kinds=kinds)
    assert find_pii(once, kinds=kinds) == ()


@given(texts)
def test_redact_changes_only_the_spans(text):
    spans = find_pii(text)
    expected, position = [], 0
    for span in spans:
        expected += [text[position : span.start], f"[{span.kind}]"]
        position = span.end
    assert redact(text) == "".join([*expected, text[position:]])


@given(st.text(alphabet=st.characters(exclude_characters="@0123456789"), max_size=200))
def test_text_without_digits_or_at_signs_is_unchanged(text):
    assert find_pii(text) == ()
    assert redact(text) == text


@given(texts)
def test_pii_free_spans_and_pii_spans_tile_the_text(text):
    free = pii_free_spans(text)
    pii = [(span.start, span.end) for span in find_pii(text)]
    position = 0
    for start, end in sorted(free + pii):  # each tile starts where the last ended, and is not empty
        assert start == position < end
        position = end
    assert position == len(text)
    assert all(a[1] < b[0] for a, b in itertools.pairwise(free))  # maximal: no two free spans touch


@given(texts)
def test_quotes_cut_at_whitespace_in_a_free_span_hold_no_personal_data(text):
    for start, end in pii_free_spans(text):
        cuts = [start, *(i for i in range(start, end) if text[i].isspace()), end]
        for a, b in itertools.pairwise(cuts):
            assert find_pii(text[a:b]) == ()
        assert find_pii(text[start:end]) == ()


@given(st.lists(texts, max_size=5))
def test_redact_many_matches_redact(batch):
    redacted, counts = redact_many(batch)
    assert redacted == [redact(text) for text in batch]
    assert sum(counts.values()) == sum(len(find_pii(text)) for text in batch)


# Long runs that make a careless pattern backtrack quadratically; 100k characters take milliseconds when
# the work is linear and minutes when it is not, so the generous deadline only trips on the latter.
ADVERSARIAL_UNITS = [
    "a", "a.", "a-", "a@", "@a", "a@a.", "@a@a.", "a.a@", "aa@a-", "é@", "@", "@1", "_", ".", "+",
    "0", "00", "07", "7", "0 ", "1 ", "+1 ", "(0", "(0)", "(020)", "0(", "1.", "07700 9",
    "A1", "a1 ", "AB12", "AB 12 ", "QQ1", "facebook.com/", "x.com/a.", "bsky.app/profile/a.",
]  # fmt: skip
ADVERSARIAL_TAILS = ["", "@", "@a.co", "0", "+", "1AA", "C", "/"]


@settings(deadline=dt.timedelta(seconds=3), max_examples=40)
@given(st.sampled_from(ADVERSARIAL_UNITS), st.sampled_from(ADVERSARIAL_TAILS), st.booleans())
@example("a", "@", False)  # "a" * 100_000 + "@"
@example("0", "", False)
def test_long_adversarial_inputs_run_in_linear_time(unit, tail, tail_first):
    run = unit * (100_000 // len(unit))
    text = tail + run if tail_first else run + tail
    assert redact(redact(text)) == redact(text)
    pii_free_spans(text)
