"""Barcodes as GTINs: one number whatever form a scanner reports it in.

A GTIN (GS1 Global Trade Item Number) is written as EAN-13, UPC-A (12
digits), GTIN-14 or EAN-8; the leading zeros that tell these forms apart
carry no meaning, so ``041196133066`` (UPC-A), ``0041196133066`` (EAN-13,
as Open Food Facts stores it) and ``00041196133066`` (GTIN-14) are one
product. Their common form is the 14-digit GTIN, zero-padded on the left
(GS1 General Specifications §3.2). A UPC-E code (8 digits, the short code of
small packs) is first expanded to the UPC-A it abbreviates.

Check digits and the EAN forms come from python-stdnum (``stdnum.ean``);
UPC-E expansion, which it does not offer, is the GS1 table below.

Codes that are not valid GTINs — a wrong check digit, letters, a length no
GTIN has — are not refused: store-internal labels and Code 128/39 codes exist
and scanners read them. They are kept as scanned (trimmed) and match only
themselves: with no valid check digit there is no telling which leading
zeros are padding.
"""

from __future__ import annotations

from stdnum import ean
from stdnum.util import isdigits

GTIN_LENGTH = 14
# GTIN-8 is the shortest form; fewer digits (after compacting) is never a GTIN.
SHORTEST_GTIN = 8
UPC_E_LENGTH = 8
UPC_E_NUMBER_SYSTEMS = "01"


def upc_e_to_upc_a(code: str) -> str | None:
    """The 12-digit UPC-A an 8-digit UPC-E code abbreviates, or None if ``code`` is not UPC-E.

    "01234565" → "012345000065". The UPC-E check digit is the UPC-A's, so the
    expansion must pass the EAN check; number systems other than 0 and 1 do
    not exist in UPC-E.
    """
    if len(code) != UPC_E_LENGTH or not isdigits(code) or code[0] not in UPC_E_NUMBER_SYSTEMS:
        return None
    system, d, check = code[0], code[1:7], code[7]
    last = d[5]
    if last in "012":
        body = f"{d[0:2]}{last}0000{d[2:5]}"
    elif last == "3":
        body = f"{d[0:3]}00000{d[3:5]}"
    elif last == "4":
        body = f"{d[0:4]}00000{d[4]}"
    else:
        body = f"{d[0:5]}0000{last}"
    upc_a = f"{system}{body}{check}"
    return upc_a if ean.is_valid(upc_a) else None


def gtin14(code: str) -> str | None:
    """The GTIN-14 of a scanned barcode, or None when it is not a valid GTIN.

    Spaces and hyphens are ignored ("5 449000 000996"). Any all-digit code of
    8 to 14 digits whose check digit is right is a GTIN with leading zeros
    dropped or added (EAN-8, UPC-A, EAN-13, GTIN-14, or one of those with a
    zero lost on the way, as in spreadsheets). An 8-digit code starting with 0
    or 1 that checks as UPC-E is read as UPC-E (an EAN-8 starting with 0 is a
    store's restricted-circulation number, so the forms do not compete).

    >>> gtin14("041196133066"), gtin14("0041196133066"), gtin14("01234565")
    ('00041196133066', '00041196133066', '00012345000065')
    """
    digits = ean.compact(code)
    if not isdigits(digits) or not SHORTEST_GTIN <= len(digits) <= GTIN_LENGTH:
        return None
    upc_a = upc_e_to_upc_a(digits)
    if upc_a is not None:
        return upc_a.zfill(GTIN_LENGTH)
    padded = digits.zfill(GTIN_LENGTH)
    # Left zeros do not change an EAN check digit, so one check covers every form.
    return padded if ean.is_valid(padded) else None


def barcode_key(code: str | None) -> str | None:
    """What lookups and duplicate checks compare a barcode by.

    The GTIN-14 of a valid GTIN; any other code as scanned, stripped of
    surrounding whitespace; None for no barcode (None or blank).
    """
    if code is None or not code.strip():
        return None
    return gtin14(code) or code.strip()
