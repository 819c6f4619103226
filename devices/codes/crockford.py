"""Codes people read off one screen and type into another: Crockford base32, grouped by 4.

Crockford's alphabet (https://www.crockford.com/base32.html) is the digits and
the letters without I, L, O and U: nothing to mistake for 1, 0 or V, and no
accidental words. Each character carries 5 bits, so a 12-character transfer
code has 60 and a 20-character recovery code 100 (README "Moving and
recovering an account" has the guessing arithmetic).

Reading is forgiving the way Crockford asks: case does not matter, spaces and
hyphens (including the dashes a phone's keyboard substitutes) are ignored, and
the letters people type for the look-alikes count as them (I and L as 1, O as
0). Those letters are never generated, so reading them costs no entropy.

Written here rather than taken from a package: generating is ``secrets.choice``
over the alphabet and reading a ``str.translate``; the Crockford packages on
PyPI encode numbers and bytes (not random codes) and the maintained ones are a
few months old.
"""

import secrets

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
BITS_PER_CHARACTER = 5
GROUP = 4

# Look-alikes as Crockford decodes them.
_LOOK_ALIKES = {"I": "1", "L": "1", "O": "0"}
# What a person may type between groups: spaces of any kind and hyphen-like dashes
# (a phone turns "-" into "‐", "–" or "—" as it pleases).
_SEPARATORS = frozenset("-\u2010\u2011\u2012\u2013\u2014\u2212")
_ACCEPTED = frozenset(ALPHABET)


def new_code(length: int) -> str:
    """``length`` characters drawn uniformly from the alphabet with ``secrets`` (ungrouped)."""
    return "".join(secrets.choice(ALPHABET) for _ in range(length))


def grouped(code: str) -> str:
    """``"ABCD2345WXYZ"`` → ``"ABCD-2345-WXYZ"``: how a code is shown."""
    return "-".join(code[start : start + GROUP] for start in range(0, len(code), GROUP))


def read_code(typed: str, *, lengths: frozenset[int]) -> str | None:
    """A typed code in its stored form (upper case, ungrouped), or ``None`` when it is none.

    Case-insensitive; spaces and hyphens anywhere are ignored; I and L read
    as 1, O as 0. ``None`` when a character is outside the alphabet or the
    length is not one of ``lengths``.
    """
    characters = [
        _LOOK_ALIKES.get(upper, upper)
        for character in typed
        if not (character.isspace() or character in _SEPARATORS)
        for upper in [character.upper()]
    ]
    if len(characters) not in lengths or not _ACCEPTED.issuperset(characters):
        return None
    return "".join(characters)
