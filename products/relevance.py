"""How plain a catalog food is: the raw or plain form before prepared, flavoured and baby foods.

Pure, no Django. ``plainness`` scores a name once, when the row is written
(``CatalogProduct.plainness``, kept by every save and import like
``name_folded``), so a search orders thousands of candidates by a stored
integer instead of reading each name again. Lower is plainer.

The score reads what USDA and Open Food Facts names say:

- the kind of food: baby foods and infant formula, brands (Open Food Facts
  rows with a brand, USDA names with one in capitals: "KELLOGG'S"), and the
  dish and snack groups USDA files foods under ("Candies, almonds, chocolate
  coated", "Fast foods, …", "Restaurant, …") come after the food itself;
- how it was made: canned, frozen, dried, sweetened, flavoured, a mix or a
  powder after the fresh food, and less-eaten parts (giblets, skin) after the
  meat or the potato, the yolk or white after the whole egg, buttermilk after milk, a nut's
  oil after the nut;
- plain words: raw, fresh, plain, whole (milk, eggs, grains) count for it;
- except for the foods sold dry and eaten cooked (rice, pasta, noodles, dry
  beans, lentils, chickpeas, split peas, quinoa, couscous, bulgur, barley,
  millet): there the cooked row is the plain one and the raw, dry or uncooked
  row comes after it. USDA's survey database (FNDDS, which codes what NHANES
  respondents ate) holds these foods only as cooked ("Rice, white, cooked",
  "Pasta, cooked"), and a plate is weighed cooked: cooked white rice is
  130 kcal/100 g, raw 365 (SR28), so the raw row first logged ~2.8× the energy.
  Oats and flour are weighed dry and keep raw first; a query that says "raw"
  or "dry" finds only rows with that word, the raw ones;
- the number of descriptors: "Milk, whole, 3.25% milkfat" is plainer than
  "Milk, chocolate, fluid, commercial, reduced fat".

A search uses it after the tier and the head match and before the name's
length (``products.search``); the weights only order foods among themselves.
"""

from __future__ import annotations

import re

from products.folding import fold_name

# What a food is, when it is not the plain food.
_BABY = re.compile(r"\b(?:babyfood|baby food|infant formula|toddler formula|infant|toddler)\b")
_GROUPS = re.compile(
    r"^(?:fast foods?|restaurant|snacks?|candies|candy|cereals ready-to-eat|desserts?"
    r"|puddings?|ice creams?|cookies|crackers|cake|pie|pastry|soup|sauce|gravy"
    r"|salad dressing|beverages?, (?:[^,]* )?(?:mix|powder|drink)|sandwich spread)\b"
)
# How it was made or kept, one count each.
_PREPARED = re.compile(
    r"\b(?:canned|frozen|dried|dehydrated|dry|powder|powdered|mix|instant|concentrate"
    r"|concentrated|syrup|sweetened|candied|flavou?r|flavou?red|imitation|substitutes?"
    r"|breaded|battered|fried|pickled|smoked|cured|sweetener|coated|glazed|stuffed"
    r"|reduced sodium|low sodium|fortified|protein fortified|meatless|condensed"
    r"|evaporated|frosted|filled|toasted)\b|-flavou?r\b"
)
# Parts and kinds people mean less often than the plain meat or milk.
_UNUSUAL = re.compile(
    r"\b(?:giblets|gizzard|liver|hearts?|kidneys?|tongue|skin only|neck|feet|back"
    r"|separable fat|fat only|variety meats|by-products|mechanically|human|goat|sheep"
    r"|buffalo|producer|lauric|hydrogenated|wild|baby|alaska native|northern plains indians"
    r"|yolks?|buttermilk)\b"
    # An egg's white, and a nut's or seed's oil: "Egg, white" and "Oil, almond" are
    # a letter shorter than "Egg, whole" and "Nuts, almonds", which people mean.
    r"|^eggs?, whites?\b|^oil, "
    # The skin of a potato or a chicken ("Potatoes, raw, skin"), not "with skin".
    r"|, skin\b"
)
_PLAIN = re.compile(
    r"\b(?:raw|fresh|plain|whole|regular|granulated|all commercial varieties|all varieties)\b"
)
# Foods sold dry and eaten cooked (see the module's docstring): the food's name is the
# whole first part ("Rice, white, …", not "Rice flour" or "Rice noodles" … "Rice cakes"),
# or a dry legume's "mature seeds".
_EATEN_COOKED = re.compile(
    r"^(?:rice|wild rice|rice noodles|pasta|spaghetti|macaroni|noodles|quinoa|couscous"
    r"|bulgur|barley|millet|lentils|peas, split)(?:,|$)|\bmature seeds\b"
)
# A form of them eaten as it is, not the dry food: sprouts, flour, snacks.
_NOT_DRY_FOOD = re.compile(r"\b(?:sprouted|flour|bran|snacks?|immature|canned)\b")
# How they are sold, before cooking: a prepared form here (``dry`` already is).
_AS_SOLD = re.compile(r"\b(?:raw|uncooked|unprepared|as purchased)\b")
_PLAIN_COOKED = re.compile(r"\b(?:cooked|boiled|plain|whole|regular|all varieties)\b")
# Capitals that are abbreviations, not brands.
_NOT_BRANDS = frozenset({"USDA", "BBQ", "DHA", "ARA", "US", "USA", "NFS", "NS", "UHT", "II"})
_CAPITALS = re.compile(r"\b[A-Z][A-Z'&.-]{2,}\b")

BABY_FOOD = 40
BRANDED = 20
GROUP = 12
PREPARED = 4
UNUSUAL = 6
PLAIN = -4
MAX_PLAIN = 8
MAX_DESCRIPTORS = 8


def is_branded(name: str, brand: str = "") -> bool:
    """A brand's product: a brand given, or one written in capitals in a USDA name."""
    if brand.strip():
        return True
    return any(word.strip("'.-") not in _NOT_BRANDS for word in _CAPITALS.findall(name))


def plainness(name: str, brand: str = "") -> int:
    """How far ``name`` is from the plain food: 0 or less for "Strawberries, raw"; higher later.

    A small integer (about -8 to 100) for ordering within a search tier.
    """
    folded = fold_name(name)
    score = 0
    if _BABY.search(folded):
        score += BABY_FOOD
    if is_branded(name, brand):
        score += BRANDED
    if _GROUPS.search(folded):
        score += GROUP
    score += PREPARED * len(_PREPARED.findall(folded))
    score += UNUSUAL * min(len(_UNUSUAL.findall(folded)), 2)
    plain = _PLAIN
    if _EATEN_COOKED.search(folded) and not _NOT_DRY_FOOD.search(folded):
        score += PREPARED * len(_AS_SOLD.findall(folded))
        plain = _PLAIN_COOKED
    score += max(PLAIN * len(plain.findall(folded)), -MAX_PLAIN)
    score += min(folded.count(","), MAX_DESCRIPTORS)
    return score
