"""Names folded for search: no case, no accents. Pure, no Django.

People type "pate" for "Pâté", "strasse" for "Straße", "pho bo" for "Phở bò".
``fold_name`` gives the form both sides of a comparison are reduced to where
PostgreSQL's ``unaccent`` is not there (SQLite keeps it in a column, updated
on save): Unicode compatibility decomposition (NFKD) with the combining marks
dropped, then case folding (which also turns ß into ss). Letters that carry
their mark inside them rather than as a combining one (đ, ø, ł, æ, œ, þ) are
mapped as PostgreSQL's ``unaccent.rules`` maps them, so both databases find
the same rows.
"""

from __future__ import annotations

import unicodedata

# Letters NFKD leaves whole; their unaccent.rules replacement, lower case.
_LETTERS = str.maketrans(
    {
        "đ": "d",
        "Đ": "d",
        "ð": "d",
        "Ð": "d",
        "ø": "o",
        "Ø": "o",
        "ł": "l",
        "Ł": "l",
        "æ": "ae",
        "Æ": "ae",
        "œ": "oe",
        "Œ": "oe",
        "þ": "th",
        "Þ": "th",
        "ħ": "h",
        "Ħ": "h",
        "ı": "i",
        "ŧ": "t",
        "Ŧ": "t",
    }
)


def fold_name(text: str) -> str:
    """``text`` without case or accents: "Pâté" → "pate", "Straße" → "strasse", "Đậu" → "dau"."""
    decomposed = unicodedata.normalize("NFKD", text.translate(_LETTERS))
    bare = "".join(char for char in decomposed if not unicodedata.combining(char))
    return bare.casefold()
