"""What a search query stands for (``products.search_words``) and how plain a food is
(``products.relevance``): pure functions, and the stored column that keeps the latter."""

import pytest

from products.models import CatalogProduct
from products.relevance import is_branded, plainness
from products.search_words import SearchTerms, number_forms, stem
from tests.factories import CatalogProductFactory


@pytest.mark.parametrize(
    ("word", "forms"),
    [
        ("strawberry", {"strawberry", "strawberries"}),
        ("strawberries", {"strawberries", "strawberry"}),
        ("egg", {"egg", "eggs"}),
        ("potato", {"potato", "potatoes", "potatos"}),
        ("peach", {"peach", "peaches"}),
        ("hummus", {"hummus"}),
        ("zucchinis", {"zucchinis", "zucchini"}),
    ],
)
def test_number_forms(word, forms):
    assert number_forms(word) == forms


@pytest.mark.parametrize(
    ("word", "stemmed"),
    [("strawberry", "strawberr"), ("strawberries", "strawberr"), ("oeufs", "oeu"), ("oeuf", "oeu")],
)
def test_a_word_and_its_plural_share_a_stem(word, stemmed):
    assert stem(word) == stemmed


@pytest.mark.parametrize(
    ("query", "spellings"),
    [
        ("Yoghurt", ["yoghurt", "yogurt", "yoghourt"]),
        ("semi skimmed milk", [
            "semi skimmed milk", "semi-skimmed milk", "2% milk", "reduced fat milk",
        ]),
        ("prawns", ["prawns", "shrimps"]),
        ("courgette and aubergine", [
            "courgette and aubergine", "courgette and eggplant",
            "zucchini and aubergine", "zucchini and eggplant",
        ]),
        ("banana", ["banana"]),
    ],
)  # fmt: skip
def test_spellings_swap_table_words_longest_first(query, spellings):
    assert SearchTerms.of(query).spellings == spellings


def test_phrases_hold_the_plural_and_singular_of_the_head_noun():
    assert SearchTerms.of("green beans").phrases == ["green beans", "green bean"]


def test_head_nouns_and_modifiers_of_a_written_food():
    terms = SearchTerms.of("1% milk")
    assert terms.nouns == ["milk", "milks"]
    assert terms.modifier_sets == [("1%",)]


def test_typo_patterns_are_one_edit_away_and_selective():
    patterns = SearchTerms.of("chiken").typo_patterns()
    assert "chi_ken" in patterns  # a letter left out: "chicken"
    assert "chi_en" not in patterns  # holds one trigram only: it would read every "chi…"
    assert SearchTerms.of("milk").typo_patterns() == []  # too short to guess
    assert SearchTerms.of("raw milk").typo_patterns() == []  # one word only
    assert SearchTerms.of("x" * 200).typo_patterns() == []  # no word is that long


@pytest.mark.parametrize(
    ("plainer", "less_plain"),
    [
        ("Strawberries, raw", "Strawberries, frozen, sweetened, sliced"),
        ("Strawberries, raw", "Babyfood, fruit, strawberry"),
        ("Milk, whole, 3.25% milkfat, with added vitamin D", "Milk, sheep, fluid"),
        ("Nuts, almonds", "Candies, almonds, chocolate coated"),
        ("Apples, raw, with skin", "Apples, frozen, unsweetened, heated"),
        ("Sugars, granulated", "KELLOGG'S, sugar frosted flakes"),
    ],
)
def test_the_plain_food_scores_lower(plainer, less_plain):
    assert plainness(plainer) < plainness(less_plain)


def test_brands():
    assert is_branded("KELLOGG'S, corn flakes")
    assert is_branded("Corn flakes", brand="Kellogg's")
    assert not is_branded("Chicken, broiler, rotisserie, BBQ, breast meat only")


@pytest.mark.django_db
def test_plainness_is_kept_on_every_write():
    food = CatalogProductFactory(name="Strawberries, raw")
    assert CatalogProduct.objects.get(pk=food.pk).plainness == plainness("Strawberries, raw")
    food.name = "Strawberries, frozen, sweetened, sliced"
    food.save(update_fields=["name"])
    stored = CatalogProduct.objects.get(pk=food.pk).plainness
    assert stored == plainness("Strawberries, frozen, sweetened, sliced")
    CatalogProduct.objects.bulk_update(
        [CatalogProduct(pk=food.pk, name="Babyfood, pears")], ["name"]
    )
    assert CatalogProduct.objects.get(pk=food.pk).plainness == plainness("Babyfood, pears")
