"""products.amounts: amounts as labels and people write them, with their values."""

from decimal import Decimal

import pytest

from products.amounts import (
    VULGAR_FRACTIONS,
    amount_readings,
    parse_amount,
    split_leading_amount,
)

D = Decimal
THIRD = D(1) / D(3)

AMOUNTS = [
    ("2", D(2)),
    ("120", D(120)),
    ("1.5", D("1.5")),
    (".5", D("0.5")),
    ("0,5", D("0.5")),
    ("2,25", D("2.25")),
    ("1,234.5", D("1234.5")),
    ("1/2", D("0.5")),
    ("3/4", D("0.75")),
    ("11/2", D("5.5")),
    ("1⁄2", D("0.5")),  # fraction slash U+2044
    ("3∕4", D("0.75")),  # division slash U+2215
    ("¹⁄₂", D("0.5")),
    ("³⁄₄", D("0.75")),
    ("½", D("0.5")),
    ("¼", D("0.25")),
    ("¾", D("0.75")),
    ("⅛", D("0.125")),
    ("⅜", D("0.375")),
    ("⅕", D("0.2")),
    ("⅒", D("0.1")),
    ("⅓", THIRD),
    ("⅔", D(2) / D(3)),
    ("1 1/2", D("1.5")),
    ("2 3/4", D("2.75")),
    ("1-1/2", D("1.5")),
    ("1 - 1/2", D("1.5")),
    ("1½", D("1.5")),
    ("1 ½", D("1.5")),
    ("1\u00a0½", D("1.5")),  # no-break space, as labels print it
    ("1-½", D("1.5")),
    ("2¼", D("2.25")),
    ("1⅓", D(4) / D(3)),
    ("  2  ", D(2)),
]


@pytest.mark.parametrize(("text", "value"), AMOUNTS)
def test_parse_amount_reads_the_value(text, value):
    assert parse_amount(text) == value


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   ",
        "cup",
        "two",  # number words are quick add's
        "half",
        "-1",
        "1/0",
        "1 0/0",
        "1/2/3",
        "2 cups",
        "1 2",
        "1.5/2",
        "1,2,3",
        "1..5",
        "½½",
        "⅟",  # "fraction numerator one" has no value alone
    ],
)
def test_parse_amount_refuses_what_is_not_one_amount(text):
    assert parse_amount(text) is None


@pytest.mark.parametrize(
    ("text", "amount", "rest"),
    [
        ("½ cup (120 ml)", D("0.5"), "cup (120 ml)"),
        ("¼ tsp (1.25 ml)", D("0.25"), "tsp (1.25 ml)"),
        ("1½ cups", D("1.5"), "cups"),
        ("1-1/2 cup", D("1.5"), "cup"),
        ("1 1/2 slices", D("1.5"), "slices"),
        ("1/2 cup", D("0.5"), "cup"),
        ("0,5 l", D("0.5"), "l"),
        ("30g", D(30), "g"),
        ("2 x 15 g", D(2), "x 15 g"),
        ("1 12 oz can", D(1), "12 oz can"),
        ("1-2 cups", D(1), "-2 cups"),  # a range: only its first amount is read
        ("  3 eggs ", D(3), "eggs"),
        ("⅔ cup", D(2) / D(3), "cup"),
    ],
)
def test_split_leading_amount(text, amount, rest):
    assert split_leading_amount(text) == (amount, rest)


@pytest.mark.parametrize("text", ["cup", "serving", "", "a 1/2 cup", "/2 cup", "1/0 cup"])
def test_split_leading_amount_without_an_amount(text):
    assert split_leading_amount(text) is None


def test_every_vulgar_fraction_is_known_with_its_exact_value():
    # Unicode has 19 characters named VULGAR FRACTION with a value.
    assert len(VULGAR_FRACTIONS) == 19
    assert (str(VULGAR_FRACTIONS["⅐"]), str(VULGAR_FRACTIONS["↉"])) == ("1/7", "0")
    for char, value in VULGAR_FRACTIONS.items():
        assert value.denominator <= 10, char
        assert parse_amount(char) == D(value.numerator) / D(value.denominator)


@pytest.mark.parametrize(
    ("text", "readings"),
    [
        # One "," or "." before exactly three digits: a decimal or a thousands
        # separator; the caller tells them apart (decimal reading first).
        ("1,000 ml", [D("1.000"), D(1000)]),
        ("1.000 ml", [D("1.000"), D(1000)]),
        ("2,000 g", [D("2.000"), D(2000)]),
        ("12,500 mg", [D("12.500"), D(12500)]),
        # Only one reading fits.
        ("1,000,000 g", [D(1_000_000)]),
        ("1.000.000 g", [D(1_000_000)]),
        ("1,234.5 g", [D("1234.5")]),
        ("1.234,5 g", [D("1234.5")]),
        ("0,500 l", [D("0.500")]),  # a lone 0 groups nothing
        ("1,5 l", [D("1.5")]),
        ("1,0000 l", [D("1.0000")]),
        ("½ cup", [D("0.5")]),
        ("cup", []),
    ],
)
def test_amount_readings(text, readings):
    assert [value for value, _rest in amount_readings(text)] == readings


@pytest.mark.parametrize(
    ("text", "locale", "value"),
    [
        ("1,000", "en", D(1000)),
        ("1,000", None, D("1.000")),
        ("1,000", "fr", D("1.000")),
        ("1.000", "en", D("1.000")),
        ("12,345", "en", D(12345)),
        ("1,5", "en", D("1.5")),
        ("1,000,000", None, D(1_000_000)),
    ],
)
def test_an_ambiguous_separator_is_read_as_the_locale_writes_numbers(text, locale, value):
    assert parse_amount(text, locale=locale) == value


@pytest.mark.parametrize(
    ("text", "locale", "value", "rest"),
    [
        # French groups thousands with a space: 1.5 kg of rice, not 1 of "500 g riz".
        ("1 500 g riz", "fr", D(1500), "g riz"),
        ("12 500,5 g", "fr", D("12500.5"), "g"),
        ("1 000 000 g", "fr", D(1_000_000), "g"),
        ("1 1/2 tasse", "fr", D("1.5"), "tasse"),  # a mixed number stays one
        # A no-break, narrow no-break or thin space between digits only ever groups them.
        ("1\u202f500 g rice", "en", D(1500), "g rice"),
        ("1\u00a0500 g rice", "en", D(1500), "g rice"),
        ("1\u2009500 g rice", None, D(1500), "g rice"),
        # A plain space in English may be two numbers: "2 100 g yogurts".
        ("2 100 g yogurts", "en", D(2), "100 g yogurts"),
        ("1 12 oz can", "fr", D(1), "12 oz can"),  # not a group of three
    ],
)
def test_thousands_grouped_by_spaces(text, locale, value, rest):
    assert split_leading_amount(text, locale=locale) == (value, rest)


def test_a_text_known_to_be_one_number_reads_plain_spaces_as_groups():
    assert amount_readings("1 500", spaced=True) == [(D(1500), "")]
    assert amount_readings("1 500") == [(D(1), "500")]
