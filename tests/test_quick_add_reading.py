"""Quick add's reading of text, without a database: pieces, quantities, units, food words."""

from decimal import Decimal

import pytest

from entries.quick_add.foods import food_words, stem
from entries.quick_add.phrases import read_phrase, split_pieces


@pytest.mark.parametrize(
    ("text", "locale", "pieces"),
    [
        ("2 eggs and a slice of toast", "en", ["2 eggs", "a slice of toast"]),
        ("bread with butter + jam; tea\ncoffee", "en", ["bread", "butter", "jam", "tea", "coffee"]),
        ("1,5 kg potatoes, 2 apples", "en", ["1,5 kg potatoes", "2 apples"]),
        ("rice & beans plus salad.", "en", ["rice", "beans", "salad"]),
        ("un café au lait et du pain", "fr", ["un café", "lait", "du pain"]),
        ("pain au chocolat avec beurre", "fr", ["pain au chocolat", "beurre"]),
        ("brandy, android", "en", ["brandy", "android"]),  # "and" only as a word
        (" , and ,, ", "en", []),
    ],
)
def test_split_pieces(text, locale, pieces):
    # Each piece's parts between "and"-like words (the parser may join them back).
    assert [part for piece in split_pieces(text, locale) for part in piece.parts] == pieces


@pytest.mark.parametrize(
    ("piece", "quantity", "unit", "food"),
    [
        ("2 eggs", "2", None, "eggs"),
        ("½ cup of rice", "0.5", "cup", "rice"),
        ("1½ cups milk", "1.5", "cup", "milk"),
        ("1 1/2 cups milk", "1.5", "cup", "milk"),
        ("1-1/2 tbsp honey", "1.5", "tbsp", "honey"),
        ("0,5 l water", "0.5", "l", "water"),
        ("2.5 oz salmon", "2.5", "oz", "salmon"),
        ("200g chicken breast", "200", "g", "chicken breast"),
        ("one banana", "1", None, "banana"),
        ("Twelve Almonds", "12", None, "almonds"),
        ("an apple", "1", None, "apple"),
        ("a slice of toast", "1", "slice", "toast"),
        ("half an avocado", "0.5", None, "avocado"),
        ("half a cup of oats", "0.5", "cup", "oats"),
        ("a couple of eggs", "2", None, "eggs"),
        ("a dozen strawberries", "12", None, "strawberries"),
        ("three glasses of milk", "3", "glass", "milk"),
        ("2 handfuls of nuts", "2", "handful", "nuts"),
        ("a bowl of soup", "1", "bowl", "soup"),
        ("2 servings of oats", "2", "serving", "oats"),
        ("chicken breast 200 g", "200", "g", "chicken breast"),
        ("rice (150 g)", "150", "g", "rice"),
        ("butter", None, None, "butter"),
        ("some greek yogurt", None, None, "greek yogurt"),
        ("deux tranches de pain", "2", "slice", "pain"),
        ("une poignée d'amandes", "1", "handful", "amandes"),
        ("2 Œufs", "2", None, "oeufs"),
    ],
)
def test_read_phrase(piece, quantity, unit, food):
    phrase = read_phrase(piece)

    assert phrase.text == piece
    assert phrase.quantity == (None if quantity is None else Decimal(quantity))
    assert (phrase.unit, phrase.food) == (unit, food)


@pytest.mark.parametrize(
    ("piece", "locale", "quantity", "food"),
    [
        # English groups thousands with a comma: a kilogram, not a gram.
        ("1,000 g rice", "en", "1000", "rice"),
        ("rice 1,000 g", "en", "1000", "rice"),
        ("2,500 g flour", "en", "2500", "flour"),
        ("1,5 g salt", "en", "1.5", "salt"),  # not a group of three: a decimal comma
        # French writes decimals with a comma.
        ("1,000 g riz", "fr", "1.000", "riz"),
        ("riz 1,000 g", "fr", "1.000", "riz"),
        # ... and thousands with a space: "1 500 g de riz" was 1 of "500 g riz".
        ("1 500 g de riz", "fr", "1500", "riz"),
        ("riz 1 500 g", "fr", "1500", "riz"),
        # A narrow no-break space between digits groups them in any locale.
        ("1\u202f500 g rice", "en", "1500", "rice"),
    ],
)
def test_thousands_separators_are_read_as_the_locale_writes_them(piece, locale, quantity, food):
    phrase = read_phrase(piece, locale)
    assert (phrase.quantity, phrase.unit, phrase.food) == (Decimal(quantity), "g", food)


@pytest.mark.parametrize(
    ("word", "stemmed"),
    [
        ("eggs", "egg"),
        ("potatoes", "potato"),
        ("sandwiches", "sandwich"),
        ("strawberries", "strawberr"),
        ("strawberry", "strawberr"),
        ("glasses", "glass"),
        ("hummus", "hummus"),
        ("rice", "rice"),
    ],
)
def test_stem_is_a_prefix_of_singular_and_plural(word, stemmed):
    assert stem(word) == stemmed


def test_food_words_fold_accents_and_drop_articles():
    assert food_words("some Crème Fraîche") == ["creme", "fraiche"]
    assert food_words("a café") == ["cafe"]
