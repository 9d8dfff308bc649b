"""Find and redact personal data in post text before it leaves the machine or enters a report.

Kinds found (each a compiled regular expression, see the pattern comments for the exact forms):

- ``email``: ``local@domain.tld`` with plus addressing and subdomains. Missed: obfuscated forms
  ("bob at example dot com"), IP-literal domains, quoted local parts.
- ``phone``: UK national numbers starting 01, 02, 03 or 07 with 10 or 11 digits, and any number written
  with ``+`` or ``00`` and a country code (8-15 digits, so ``+44 (0)20 7946 0123`` too); digits may be
  split by single spaces, dots, dashes or brackets. Missed: 08/09 service numbers and 116/999 short codes
  (rarely personal), numbers without their leading 0 or country code, numbers in words.
  Not matched: years, dates, times, prices, counts, route numbers and references under 10 digits; a
  10-11 digit reference starting 01/02/03/07 is redacted as a phone number.
- ``postcode``: full UK postcodes in the official outward/inward letter pattern, ``GIR 0AA`` too, any
  case, space optional. Missed: outward codes alone ("M25", "SW1A"), overseas-territory and BFPO codes,
  lower-case inward codes that read as ordinals ("a14 2nd", "b33 8th"; "B33 8TH" is matched).
- ``ni_number``: anything shaped like a National Insurance number (two letters, six digits, suffix A-D,
  spaces or dashes optional). Prefixes HMRC never allocates (``QQ``, ``GB``, ``D*``...) are redacted
  too: the published specimen ``QQ 12 34 56 C`` and typing slips are still someone's number. Lower case
  counts only when written without spaces (``qq123456c``), so "is 100000 a lot" stays. Missed: numbers
  written without the suffix letter.
- ``handle``: ``@user``, fediverse ``@user@instance.social`` and Bluesky ``@name.bsky.social``; an email
  address is reported as an email. Missed: all-digit handles (``@1984``), bare Bluesky names.
- ``url_user``: the user part of profile links on facebook.com, fb.com, instagram.com, twitter.com,
  x.com (not ``/groups``, ``/hashtag``, ``/p`` and similar site paths), linkedin.com/in/ and
  bsky.app/profile/. Links with ``/@user`` (Mastodon, TikTok, YouTube) are caught as handles. Missed:
  other sites, shortened links, numeric ids in query strings other than ``profile.php?id=``.

Names, street addresses and dates of birth are not found: free text needs a model for those.

Every pattern runs in linear time: a match starts at a literal character or where a run of its characters
starts (a lookbehind), and repeats are bounded or split by delimiters, so no input can make the engine
backtrack without end. A match never ends before a word character nor starts after one, except that a
``+`` number or an ``@`` handle may follow a word ("meet@noon" gives "meet[handle]": safer than missing
"07700 900123@alice"). Hence ``redact`` is idempotent with the default placeholder, and a quote cut at
whitespace inside a `pii_free_spans` span holds no personal data; a cut inside a word can expose a match
the word blocked ("x07700 900123"), so check such a quote with `find_pii`.
"""

from __future__ import annotations

import functools
import re
from collections import Counter
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping

import attrs

__all__ = [
    "PII_KINDS",
    "Redaction",
    "describe_redactions",
    "find_pii",
    "pii_free_spans",
    "redact",
    "redact_many",
]

# Order breaks ties between kinds found at the same span.
PII_KINDS: tuple[str, ...] = ("email", "phone", "postcode", "ni_number", "handle", "url_user")
_RANK = {kind: rank for rank, kind in enumerate(PII_KINDS)}
_ALL_RANKS = tuple(range(len(PII_KINDS)))

_SPACE = "[ \u00a0\u202f]"  # space, no-break space, narrow no-break space
_DASH = "[\\-\u2010-\u2013]"  # hyphen-minus, hyphens, figure dash, en dash
_GAP = f"(?:{_SPACE}|{_DASH})"

_EMAIL_BODY = r"""
    [\w.+\-]+                       # local part
    @(?:[\w\-]+\.)+[^\W\d_]{2,}     # domain labels and a letters-only top-level domain
    (?![\w\-])
"""
# Starting only where a run of local-part characters starts keeps the scan linear.
_EMAIL = re.compile(r"(?<![\w.+\-])" + _EMAIL_BODY, re.VERBOSE)
_EMAIL_GLUED = re.compile(_EMAIL_BODY, re.VERBOSE)


def _emails(text: str) -> Iterator[re.Match[str]]:
    """Email matches, where one glued to the end of the last ("a@b.com+c@d.com") starts at that end."""
    position = 0
    while (match := _EMAIL.search(text, position)) is not None:
        while match is not None:
            yield match
            position = match.end()
            match = _EMAIL_GLUED.match(text, position)


_PHONE_SEP = rf"(?:{_GAP}|\.|\){_SPACE}?|{_SPACE}?\()"  # one separator between two digits
# Each branch starts with a literal character and checks what precedes it after, which is several
# times faster than a leading lookbehind: the engine only starts at "+", "(" and "0".
_PHONE = re.compile(
    rf"""
    (?:\+[1-9](?:{_PHONE_SEP}?[0-9]){{7,14}}                 # +CC, 8-15 digits in all
      |0(?<!\w0)0[1-9](?:{_PHONE_SEP}?[0-9]){{7,14}}          # 00CC, as +CC
      |(?:\(0\){_SPACE}?[1237]                              # (0)20 ...
         |\((?=0[0-9]{{2,5}}\))0[1237]                       # (020) ...
         |0(?<!\w0)[1237]                                   # 020 ...
       )[0-9](?:{_PHONE_SEP}?[0-9]){{7,8}}                   # 10-11 digits, 3 before any separator
    )
    (?!\w)
    """,
    re.VERBOSE,
)

_POSTCODE = re.compile(
    rf"""
    (?<!\w)
    (?:GIR{_SPACE}?0AA
      |[A-PR-UWYZ](?:[0-9][0-9A-HJKPSTUW]?|[A-HK-Y][0-9][0-9ABEHMNPRVWXY]?)  # A9 A99 A9A AA9 AA99 AA9A
       {_SPACE}?
       (?!(?-i:1st|2nd|3rd|[0-9]th))[0-9][ABD-HJLNP-UW-Z]{{2}}                # 9AA, not "2nd"
    )
    (?!\w)
    """,
    re.IGNORECASE | re.VERBOSE,
)

_NI_DIGITS = rf"(?:[0-9]{{2}}{_GAP}?[0-9]{{2}}{_GAP}?[0-9]{{2}}|[0-9]{{3}}{_GAP}?[0-9]{{3}})"
_NI_NUMBER = re.compile(
    rf"""
    (?<!\w)
    (?:[A-Z]{{2}}{_GAP}?{_NI_DIGITS}{_GAP}?[A-D]    # QQ 12 34 56 C, QQ 123 456 C, QQ123456C
      |(?i:[a-z]{{2}}[0-9]{{6}}[a-d])              # qq123456c
    )
    (?!\w)
    """,
    re.VERBOSE,
)

_NAME = r"\w+(?:[.\-]\w+)*"  # word characters, with single dots or dashes inside
_HANDLE = re.compile(rf"@(?=[0-9]*[^\W\d]){_NAME}(?:@{_NAME})?")

_SITE_PATHS = (
    r"about|accounts|events|explore|groups|hashtag|help|home|i|intent|login|marketplace|p|pages"
    r"|permalink\.php|photo\.php|photos?|privacy|reels?|search|settings|share|sharer\.php|story\.php|watch"
)
_URL_USER = re.compile(
    rf"""
    (?<![\w\-])
    (?:(?:facebook|fb|instagram|twitter|x)\.com/(?!(?:{_SITE_PATHS})(?![\w.\-]))
      |linkedin\.com/in/
      |bsky\.app/profile/
    )
    (?P<user>profile\.php\?id=[0-9]+|{_NAME})
    """,
    re.IGNORECASE | re.VERBOSE,
)

# Per kind, in PII_KINDS order: what finds its matches, the group that is the span, and a cheap pattern for
# something every match holds, so most posts skip most patterns.
_FINDERS: tuple[tuple[Callable[[str], Iterator[re.Match[str]]], int | str, re.Pattern[str]], ...] = (
    (_emails, 0, re.compile(r"@(?<=[\w.+\-]@)")),
    (_PHONE.finditer, 0, re.compile("[0-9]")),
    (_POSTCODE.finditer, 0, re.compile("[0-9][ABD-HJLNP-UW-Z]{2}", re.IGNORECASE)),  # the inward code
    (_NI_NUMBER.finditer, 0, re.compile(r"[0-9](?:\W?[0-9]){5}")),
    (_HANDLE.finditer, 0, re.compile("@")),
    (_URL_USER.finditer, "user", re.compile(r"\.(?:com|app)/", re.IGNORECASE)),
)

_NOUNS = {
    "email": ("email address", "email addresses"),
    "phone": ("phone number", "phone numbers"),
    "postcode": ("postcode", "postcodes"),
    "ni_number": ("National Insurance number", "National Insurance numbers"),
    "handle": ("handle", "handles"),
    "url_user": ("profile link", "profile links"),
}


@attrs.frozen(kw_only=True)
class Redaction:
    """One span of personal data: its kind, ``text[start:end]`` and that text."""

    kind: str = attrs.field(validator=attrs.validators.in_(PII_KINDS))
    start: int
    end: int
    text: str


def find_pii(text: str, *, kinds: Collection[str] = PII_KINDS) -> tuple[Redaction, ...]:
    """Find the personal data in ``text``: sorted, non-overlapping spans of the given kinds.

    >>> [(r.kind, r.text) for r in find_pii("Call Sam on 07700 900123 or sam+cafe@example.org")]
    [('phone', '07700 900123'), ('email', 'sam+cafe@example.org')]

    Where two kinds overlap, the span that starts first (then the longest) names the kind and grows to
    cover both, so no character found by any pattern is left out.
    """
    return _find(text, _ranks(kinds))


def redact(text: str, *, kinds: Collection[str] = PII_KINDS, placeholder: str = "[{kind}]") -> str:
    """Replace each span `find_pii` finds with ``placeholder`` formatted with its kind.

    >>> redact("Email jo@example.co.uk or ring 020 7946 0123, SW1A 1AA")
    'Email [email] or ring [phone], [postcode]'
    """
    return _replace(text, _find(text, _ranks(kinds)), _placeholders(placeholder))


def redact_many(
    texts: Iterable[str], *, kinds: Collection[str] = PII_KINDS, placeholder: str = "[{kind}]"
) -> tuple[list[str], Counter[str]]:
    """Redact each text; also count the spans redacted by kind, for a report's "N emails redacted".

    >>> redact_many(["@alice agrees", "so does @bob@mastodon.social, bob@example.com"])
    (['[handle] agrees', 'so does [handle], [email]'], Counter({'handle': 2, 'email': 1}))
    """
    ranks = _ranks(kinds)
    replacements = _placeholders(placeholder)
    counts: Counter[str] = Counter()
    redacted = []
    for text in texts:
        found = _find(text, ranks)
        counts.update(span.kind for span in found)
        redacted.append(_replace(text, found, replacements))
    return redacted, counts


def describe_redactions(counts: Mapping[str, int]) -> str:
    """One sentence for a report from counts by kind, as `redact_many` returns them.

    >>> describe_redactions({"email": 2, "phone": 1})
    '2 email addresses and 1 phone number redacted'
    """
    unknown = sorted(set(counts) - set(PII_KINDS))
    if unknown:
        raise ValueError(f"unknown PII kinds {unknown}; expected some of {PII_KINDS}")
    parts = [f"{counts[kind]} {_NOUNS[kind][counts[kind] != 1]}" for kind in PII_KINDS if counts.get(kind)]
    if not parts:
        return "no personal data redacted"
    listed = parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]
    return f"{listed} redacted"


def pii_free_spans(text: str, *, kinds: Collection[str] = PII_KINDS) -> list[tuple[int, int]]:
    """The maximal ``(start, end)`` spans of ``text`` that hold no personal data, in order.

    >>> pii_free_spans("Ask @alice: it works")
    [(0, 4), (10, 20)]
    """
    free = []
    position = 0
    for span in _find(text, _ranks(kinds)):
        if span.start > position:
            free.append((position, span.start))
        position = span.end
    if position < len(text):
        free.append((position, len(text)))
    return free


def _ranks(kinds: Collection[str]) -> tuple[int, ...]:
    """Validate ``kinds`` and return their ranks in `PII_KINDS` order."""
    if kinds is PII_KINDS:
        return _ALL_RANKS
    if isinstance(kinds, str):
        raise TypeError(f"kinds must be a collection such as ({kinds!r},), not a string")
    unknown = sorted(set(kinds) - set(PII_KINDS))
    if unknown:
        raise ValueError(f"unknown PII kinds {unknown}; choose from {PII_KINDS}")
    return tuple(sorted(_RANK[kind] for kind in set(kinds)))


@functools.lru_cache(maxsize=16)
def _placeholders(placeholder: str) -> dict[str, str]:
    """The replacement for each kind, checking the placeholder once."""
    if not isinstance(placeholder, str):
        raise TypeError(f"placeholder must be a string such as '[{{kind}}]', got {placeholder!r}")
    try:
        return {kind: placeholder.format(kind=kind) for kind in PII_KINDS}
    except (KeyError, IndexError, ValueError) as exc:
        raise ValueError(
            f"placeholder {placeholder!r} must be a format string whose only field is {{kind}}"
        ) from exc


def _find(text: str, ranks: tuple[int, ...]) -> tuple[Redaction, ...]:
    """Run the patterns for ``ranks`` over ``text`` and merge what they find."""
    if not isinstance(text, str):
        raise TypeError(f"text must be a string, got {type(text).__name__}")
    found: list[tuple[int, int, int]] = []  # (start, -end, rank) sorts by start, longest first
    for rank in ranks:
        matches, group, needle = _FINDERS[rank]
        if needle.search(text):
            found.extend((m.start(group), -m.end(group), rank) for m in matches(text))
    if not found:
        return ()
    return _merge(text, found)


def _merge(text: str, found: list[tuple[int, int, int]]) -> tuple[Redaction, ...]:
    """Sort spans and fold each one that overlaps the previous into it, keeping the first one's kind."""
    found.sort()
    merged: list[tuple[int, int, int]] = []
    for start, negative_end, rank in found:
        end = -negative_end
        if merged and start < merged[-1][1]:
            first_start, first_end, first_rank = merged[-1]
            merged[-1] = (first_start, max(first_end, end), first_rank)
        else:
            merged.append((start, end, rank))
    return tuple(
        Redaction(kind=PII_KINDS[rank], start=start, end=end, text=text[start:end])
        for start, end, rank in merged
    )


def _replace(text: str, found: tuple[Redaction, ...], replacements: dict[str, str]) -> str:
    """Put each kind's replacement in place of its spans."""
    if not found:
        return text
    parts = []
    position = 0
    for span in found:
        parts.append(text[position : span.start])
        parts.append(replacements[span.kind])
        position = span.end
    parts.append(text[position:])
    return "".join(parts)
