"""What a search query stands for: its words, their plural and singular, other spellings.

Pure, no Django. A query is folded like the names it is compared with
(``products.folding``), then read into the forms a name may use for it:

- **plural and singular** of the last word, the head noun in English
  ("strawberry" → "strawberries", "green beans" → "green bean"). A handful of
  suffix rules cover the catalog's nouns; ``inflect`` was measured (1.7 s to
  import, "hummus" → "hummu") and does not fit a keystroke search;
- **spellings and synonyms**: British and American spellings and the names a
  food goes by on either side ("yoghurt" = "yogurt", "courgette" =
  "zucchini", "semi-skimmed" = "2%"), from ``SPELLINGS``;
- **stems** of every word, for names that hold the words in another order
  ("raw banana" → "Bananas, raw");
- **typo patterns** (SQLite's stand-in for PostgreSQL's trigram similarity):
  each word of 4 letters or more with one letter left out, added, changed or
  two swapped, as ``LIKE`` patterns where ``_`` stands for any one letter.
"""

from __future__ import annotations

import functools
import itertools
import re
from dataclasses import dataclass
from functools import cached_property

from products.folding import fold_name

# Groups of spellings and names of one food, folded. A query holding one of
# them also searches for the others. Kept to words whose every reading is the
# same food: "chips" (crisps or fries) and "biscuit" (a cookie or a scone-like
# bread) are left out.
SPELLINGS: tuple[tuple[str, ...], ...] = (
    ("yoghurt", "yogurt", "yoghourt"),
    ("wholemeal", "whole-wheat", "whole wheat", "wholewheat"),
    ("wholegrain", "whole grain", "whole-grain"),
    ("skimmed", "skim", "nonfat", "fat free", "fat-free"),
    ("semi skimmed", "semi-skimmed", "2%", "reduced fat"),
    ("courgette", "zucchini"),
    ("aubergine", "eggplant"),
    ("coriander", "cilantro"),
    ("rocket", "arugula"),
    ("prawn", "shrimp"),
    ("beetroot", "beet"),
    ("spring onion", "scallion", "green onion"),
    ("mince", "ground beef"),
    ("minced beef", "ground beef"),
    ("crisps", "potato chips"),
    ("porridge", "oatmeal"),
    ("sultana", "raisin"),
    ("icing sugar", "powdered sugar"),
    ("caster sugar", "granulated sugar"),
    ("cornflour", "cornstarch"),
    ("double cream", "heavy cream"),
    ("single cream", "light cream"),
    ("mangetout", "snow pea"),
    ("swede", "rutabaga"),
    ("garbanzo", "chickpea"),
    ("ketchup", "catsup"),
    ("chilli", "chili"),
    ("doughnut", "donut"),
    ("soya", "soy"),
    ("tinned", "canned"),
    ("flavour", "flavor"),
    ("flavoured", "flavored"),
    ("oj", "orange juice"),
    ("pb", "peanut butter"),
)
# How many spellings a query is read into at most (a query naming several
# foods of the table does not multiply without end).
MAX_SPELLINGS = 6
# Words that stay as they are: a plural of its own or no plural.
_INVARIANT = frozenset(
    {"hummus", "asparagus", "couscous", "molasses", "swiss", "fish", "rice", "oats", "grits"}
)
_WORD = re.compile(r"[^\W_]+(?:[-'%][^\W_]+)*%?")
_SEPARATORS = re.compile(r"\s+")
# Typos are looked for in words (their stems) at least this long: shorter ones
# have too many neighbours ("pea" is one letter from "tea", "pear", "peas";
# "tast" from "past").
MIN_TYPO_WORD = 5
# ... and at most this long: past it nothing is a word (and the patterns would
# grow with the text, up to 200 characters).
MAX_TYPO_WORD = 24
MIN_TYPO_TRIGRAMS = 2


# Words that join a food's name ("mac and cheese") and tell nothing about it.
_JOINERS = frozenset({"and", "with", "or", "et", "avec", "ou", "au", "aux", "a", "the", "of"})


def _has_letter(word: str) -> bool:
    return any(char.isalpha() for char in word)


def fold_query(text: str) -> str:
    """``text`` folded as names are, single-spaced: "  Crème  brûlée " → "creme brulee"."""
    return _SEPARATORS.sub(" ", fold_name(text)).strip()


def words_of(folded: str) -> list[str]:
    """The words of a folded text, signs kept where they are part of one: "2%", "whole-wheat"."""
    return _WORD.findall(folded)


def singular_forms(word: str) -> set[str]:
    """What ``word`` may be the plural of: "berries" → {"berry"}, "tomatoes" → {"tomato", …}."""
    if word in _INVARIANT or len(word) < 4:
        return set()
    if word.endswith("ies") and len(word) > 4:
        return {word[:-3] + "y"}
    if word.endswith("ves"):
        return {word[:-3] + "f", word[:-1]}  # "loaves" → "loaf"; "olives" → "olive"
    if word.endswith(("oes", "ches", "shes", "sses", "xes", "zes")):
        return {word[:-2], word[:-1]}  # "potatoes" → "potato"; "quiches" → "quiche"
    if word.endswith("s") and not word.endswith(("ss", "us")):
        return {word[:-1]}
    return set()


def plural_forms(word: str) -> set[str]:
    """The plural(s) of ``word``: "cherry" → {"cherries"}, "potato" → {"potatoes", "potatos"}."""
    if word in _INVARIANT or not word[-1:].isalpha() or singular_forms(word):
        return set()
    if word.endswith("y") and len(word) > 2 and word[-2] not in "aeiou":
        return {word[:-1] + "ies"}
    if word.endswith(("s", "x", "z", "ch", "sh")):
        return {word + "es"}
    if word.endswith("o"):
        return {word + "es", word + "s"}
    if word.endswith("f"):
        return {word[:-1] + "ves", word + "s"}
    return {word + "s"}


def number_forms(word: str) -> set[str]:
    """``word`` and its plural or singular."""
    return {word, *singular_forms(word), *plural_forms(word)}


def stem(word: str) -> str:
    """The part a word's singular and plural share: "berries" → "berr", "eggs" → "egg"."""
    # The singular's forms too, so a word and its plural share one stem
    # ("oeuf" and "oeufs": "oeu", as "oeuves" would be a plural of "oeuf").
    forms = number_forms(word).union(*(number_forms(one) for one in singular_forms(word)))
    shortest = min(forms, key=len)
    common = shortest
    for form in forms:
        while not form.startswith(common):
            common = common[:-1]
    # "potato"/"potatoes" share "potato"; never less than 3 letters of a longer word.
    return common if len(common) >= min(3, len(word)) else word


def _spelling_variants(folded: str) -> list[str]:
    """``folded`` and the same text with its table spellings swapped for the others.

    One regular expression holds every spelling and its plural, longest
    first, so "semi skimmed milk" swaps "semi skimmed", never "skimmed" alone;
    a plural is swapped for the other spelling's plural ("prawns" → "shrimps").
    """
    spans: list[tuple[int, int, list[str]]] = []
    for match in _spelling_pattern().finditer(folded):
        group, plural = _spelling_forms()[match.group()]
        others = [
            min(_phrase_plurals(other)) if plural and _phrase_plurals(other) else other
            for other in SPELLINGS[group]
            if other != match.group() and other not in _singulars(match.group())
        ]
        spans.append((match.start(), match.end(), [match.group(), *others]))
    variants: list[str] = []
    for choice in itertools.product(*(alternatives for _, _, alternatives in spans)):
        text, end = "", 0
        for (start, stop, _), spelling in zip(spans, choice, strict=True):
            text += folded[end:start] + spelling
            end = stop
        variants.append(text + folded[end:])
        if len(variants) == MAX_SPELLINGS:
            break
    return variants


def _singulars(phrase: str) -> set[str]:
    lead, _, last = phrase.rpartition(" ")
    return {f"{lead} {form}".strip() for form in singular_forms(last)}


@functools.cache
def _spelling_forms() -> dict[str, tuple[int, bool]]:
    """Every spelling of the table and its plural → (its group, whether it is the plural)."""
    forms: dict[str, tuple[int, bool]] = {}
    for index, group in enumerate(SPELLINGS):
        for spelling in group:
            forms.setdefault(spelling, (index, False))
            for plural in _phrase_plurals(spelling):
                forms.setdefault(plural, (index, True))
    return forms


@functools.cache
def _spelling_pattern() -> re.Pattern[str]:
    alternatives = sorted(_spelling_forms(), key=len, reverse=True)
    return re.compile(rf"(?<![\w%-])(?:{'|'.join(map(re.escape, alternatives))})(?![\w%-])")


def _phrase_plurals(phrase: str) -> set[str]:
    """The plural(s) of a phrase: its last word's ("spring onion" → "spring onions")."""
    lead, _, last = phrase.rpartition(" ")
    return {f"{lead} {form}".strip() for form in plural_forms(last)}


def _trigrams(pattern: str) -> int:
    """How many trigrams a LIKE pattern's literal runs hold ("chi_ken": 2)."""
    return sum(max(len(run) - 2, 0) for run in pattern.split("_"))


@dataclass(frozen=True)
class SearchTerms:
    """A query read for search: the phrases a name may start with or contain, and its words."""

    text: str  # folded

    @classmethod
    def of(cls, query: str) -> SearchTerms:
        return _terms(fold_query(query))

    @cached_property
    def spellings(self) -> list[str]:
        """The query and its other spellings, the query first."""
        return _spelling_variants(self.text)

    @cached_property
    def phrases(self) -> list[str]:
        """Every spelling with its head noun in the singular and the plural, the query first.

        "strawberry" → ["strawberry", "strawberries"]; what a name may start
        with (the first tier) or contain (the second).
        """
        found: list[str] = []
        for spelling in self.spellings:
            for phrase in self._numbers(spelling):
                if phrase not in found:
                    found.append(phrase)
        return found

    @cached_property
    def word_sets(self) -> list[tuple[str, ...]]:
        """For each spelling, the stems of its words (a name holding them all, in any order)."""
        found: list[tuple[str, ...]] = []
        for spelling in self.spellings:
            stems = tuple(dict.fromkeys(stem(word) for word in words_of(spelling)))
            if stems and stems not in found:
                found.append(stems)
        return found

    @cached_property
    def head_words(self) -> list[str]:
        """Every word of every spelling in the singular and the plural.

        A name whose first part (before its first comma) is one of them names
        that food first: "Chicken, broilers or fryers, breast" for "chicken breast".
        """
        found: list[str] = []
        for spelling in self.spellings:
            for word in words_of(spelling):
                if word in _JOINERS:
                    continue
                for form in sorted(number_forms(word)):
                    if form not in found and form not in self.phrases:
                        found.append(form)
        return found

    @cached_property
    def nouns(self) -> list[str]:
        """The head noun of every spelling (its last word with a letter), singular and plural.

        What a food's name must hold for quick add: "egg whites" → "whites",
        "white"; modifiers only choose among the names that hold it.
        """
        found: list[str] = []
        for spelling in self.spellings:
            words = [word for word in words_of(spelling) if _has_letter(word)]
            if words:
                for form in sorted(number_forms(words[-1])):
                    if form not in found:
                        found.append(form)
        return found

    @cached_property
    def modifier_sets(self) -> list[tuple[str, ...]]:
        """For each spelling, the stems of its words other than the head noun ("1%", "skim")."""
        found: list[tuple[str, ...]] = []
        for spelling in self.spellings:
            words = words_of(spelling)
            letters = [i for i, word in enumerate(words) if _has_letter(word)]
            if not letters:
                continue
            others = [w for i, w in enumerate(words) if i != letters[-1] and w not in _JOINERS]
            stems = tuple(
                dict.fromkeys(stem(w) for w in others if len(w) >= 3 or any(c.isdigit() for c in w))
            )
            if stems not in found:
                found.append(stems)
        return found

    @property
    def is_short(self) -> bool:
        """One or two letters: matched by the start of a name only (an index range)."""
        return len(self.text) <= 2

    def typo_patterns(self) -> list[str]:
        """``LIKE`` patterns of the query's long words one edit away (``_`` = any letter).

        Only for a one-word query: a name holding a word one typo from it.
        """
        words = words_of(self.text)
        if len(words) != 1 or not MIN_TYPO_WORD <= len(words[0]) <= MAX_TYPO_WORD:
            return []
        if not words[0].isalpha():
            return []
        # The stem: "stawberry" → "stawberr", one edit from "strawberries" too.
        word = stem(words[0]) if len(stem(words[0])) >= MIN_TYPO_WORD else words[0]
        patterns: list[str] = []
        for i in range(len(word) + 1):
            patterns.append(word[:i] + "_" + word[i:])  # a letter left out
        for i in range(len(word)):
            patterns.append(word[:i] + "_" + word[i + 1 :])  # a letter changed
            if len(word) > MIN_TYPO_WORD:
                patterns.append(word[:i] + word[i + 1 :])  # a letter too many
        for i in range(len(word) - 1):
            patterns.append(word[:i] + word[i + 1] + word[i] + word[i + 2 :])  # two swapped
        # Each pattern must hold two trigrams: "chi_en" holds only "chi" and would
        # read every name with "chi" in it (the trigram index looks them all up).
        return sorted(p for p in set(patterns) - {word} if _trigrams(p) >= MIN_TYPO_TRIGRAMS)

    @staticmethod
    def _numbers(phrase: str) -> list[str]:
        words = phrase.rsplit(" ", 1)
        last = words[-1]
        lead = words[0] + " " if len(words) == 2 else ""
        return [phrase, *sorted(lead + form for form in number_forms(last) - {last})]


@functools.lru_cache(maxsize=4096)
def _terms(folded: str) -> SearchTerms:
    """One reading per text and process: quick add asks for the same food several times."""
    return SearchTerms(folded)
