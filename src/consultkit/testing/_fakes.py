"""Well-formed fakes for the synthetic consultation: text templates, network ids and URLs, personal data.

Everything here is made up but shaped like the real thing, on reserved or placeholder ranges: emails on
``example.com`` / ``example.org``, phone numbers in Ofcom's drama ranges, National Insurance numbers with the
``QQ`` prefix that is never issued.
"""

from __future__ import annotations

import random
import re
import string
from collections.abc import Mapping, Sequence
from typing import TypeVar

__all__ = [
    "PII_KINDS",
    "Template",
    "base36",
    "bluesky_tid",
    "compile_template",
    "did",
    "fake_pii",
    "mastodon_id",
    "pick",
    "render",
    "username",
    "x_id",
]

T = TypeVar("T")

#: A compiled template: literal text, and tuples of alternatives of which one is picked per rendering.
Template = tuple[str | tuple[str, ...], ...]

_BRACES = re.compile(r"\{([^{}]*)\}")


def compile_template(text: str, slots: Mapping[str, tuple[str, ...]]) -> Template:
    """Parse ``"{road} is {busy|gridlocked}"``: a name in braces is a slot, ``a|b`` lists alternatives.

    An alternative may be empty (``"{really |}"``); an unknown slot name raises `ValueError`.
    """
    parts: list[str | tuple[str, ...]] = []
    position = 0
    for match in _BRACES.finditer(text):
        parts.append(text[position : match.start()])
        inner = match.group(1)
        if "|" in inner:
            parts.append(tuple(inner.split("|")))
        elif inner in slots:
            parts.append(slots[inner])
        else:
            raise ValueError(f"unknown slot {{{inner}}} in template {text!r}")
        position = match.end()
    parts.append(text[position:])
    return tuple(part for part in parts if part != "")


def pick(rng: random.Random, items: Sequence[T]) -> T:
    """One item, uniformly: `random.Random.choice`, a few times faster (it runs millions of times)."""
    return items[int(rng.random() * len(items))]


def render(rng: random.Random, template: Template) -> str:
    """One rendering of a template, its first letter in upper case."""
    draw = rng.random
    text = "".join([part if part.__class__ is str else part[int(draw() * len(part))] for part in template])
    return text[:1].upper() + text[1:]


# -- network ids --------------------------------------------------------------------------------------

_X_EPOCH_MS = 1_288_834_974_657
_SORTABLE32 = "234567abcdefghijklmnopqrstuvwxyz"
_BASE32 = "abcdefghijklmnopqrstuvwxyz234567"
_BASE36 = string.digits + string.ascii_lowercase


def mastodon_id(ms: int, seq: int) -> str:
    """A Mastodon status id: milliseconds since 1970 shifted 16 bits, plus a sequence."""
    return str((ms << 16) | (seq & 0xFFFF))


def x_id(ms: int, seq: int) -> str:
    """An X (Twitter) snowflake: milliseconds since the Twitter epoch shifted 22 bits, plus a sequence."""
    return str(((ms - _X_EPOCH_MS) << 22) | (seq & 0x3F_FFFF))


def bluesky_tid(ms: int, seq: int) -> str:
    """An AT Protocol record key (TID): microseconds and a 10-bit clock id, base32-sortable, 13 characters."""
    value = (ms * 1000 << 10) | (seq & 0x3FF)
    return "".join(_SORTABLE32[(value >> shift) & 31] for shift in range(60, -1, -5))


def base36(number: int) -> str:
    """A non-negative integer in base 36, as Reddit writes its ids."""
    digits = []
    while True:
        number, digit = divmod(number, 36)
        digits.append(_BASE36[digit])
        if number == 0:
            return "".join(reversed(digits))


def did(rng: random.Random) -> str:
    """A ``did:plc`` identifier for a Bluesky account: 24 base32 characters."""
    value = rng.getrandbits(120)
    return "did:plc:" + "".join([_BASE32[(value >> shift) & 31] for shift in range(115, -1, -5)])


# -- people -------------------------------------------------------------------------------------------

_FIRST = (
    "rhian", "dai", "gareth", "sian", "megan", "tom", "emma", "priya", "aisha", "kasia", "owain", "cerys",
    "jack", "sophie", "mo", "liam", "nia", "huw", "bethan", "chloe", "ravi", "dylan", "ffion", "ellie", "sam",
    "kate", "jon", "amir", "zofia", "pierre", "lowri", "steve", "julie", "marek", "hannah", "idris",
)  # fmt: skip
_LAST = (
    "jones", "williams", "davies", "evans", "thomas", "roberts", "hughes", "lewis", "morgan", "griffiths",
    "price", "khan", "patel", "nowak", "martin", "walker", "powell", "rees", "bennett", "ahmed", "owen",
)  # fmt: skip
_NICK = ("bus", "cycles", "wxn", "dad", "mum", "runs", "bakes", "says", "cymru", "writes", "fc", "local")


def username(rng: random.Random) -> str:
    """A plausible account name such as ``rhian_davies84`` or ``owainbus``: letters, digits, underscores."""
    first = pick(rng, _FIRST)
    second = pick(rng, _LAST if rng.random() < 0.7 else _NICK)
    digits = str(rng.randrange(1, 100)) if rng.random() < 0.5 else ""
    return f"{first}{pick(rng, ('', '_', ''))}{second}{digits}"


# -- personal data ----------------------------------------------------------------------------------

#: The kinds of personal data the generator writes into texts.
PII_KINDS = ("email", "handle", "ni_number", "phone", "postcode")

_POSTCODE_AREAS = ("CF10", "CF11", "CF14", "CF24", "CF5", "SA1", "SA2", "NP20")
_POSTCODE_UNIT = "ABDEFGHJLNPQRSTUWXYZ"


def fake_pii(rng: random.Random, kind: str) -> str:
    """A made-up value of one kind of personal data (``handle`` is network-specific: see the generator)."""
    if kind == "email":
        domain = pick(rng, ("example.com", "example.org"))
        return f"{pick(rng, _FIRST)}.{pick(rng, _LAST)}{rng.randrange(1, 100)}@{domain}"
    if kind == "phone":
        return _phone(rng)
    if kind == "postcode":
        unit = pick(rng, _POSTCODE_UNIT) + pick(rng, _POSTCODE_UNIT)
        return f"{pick(rng, _POSTCODE_AREAS)} {rng.randrange(10)}{unit}"
    if kind == "ni_number":
        digits = f"{rng.randrange(1_000_000):06d}"
        suffix = pick(rng, "ABCD")
        if rng.random() < 0.5:
            return f"QQ {digits[:2]} {digits[2:4]} {digits[4:]} {suffix}"
        return f"QQ{digits}{suffix}"
    raise ValueError(f"unknown kind of personal data {kind!r}")


def _phone(rng: random.Random) -> str:
    """A number in a range Ofcom keeps for drama: never connected to a real line."""
    tail = f"{rng.randrange(1000):03d}"
    return pick(
        rng,
        (
            f"07700 900{tail}",
            f"07700900{tail}",
            f"+44 7700 900{tail}",
            f"020 7946 0{tail}",
            f"029 2018 0{tail}",
            f"0117 496 0{tail}",
        ),
    )
