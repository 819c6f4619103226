"""Phrases written the way people log a meal, with the food and weight a person means.

Each entry: the text, its locale, the expected items in order — the
starter-catalog food (or a few equally right rows) and its weight in grams,
right within ±10 % (SR28's own household measures: a large egg is 50 g, a
medium banana 118 g, a cup of whole milk 244 g) — and the pieces that must
stay unparsed. ``MUST_STAY_UNPARSED`` names no food at all: any item proposed
for one of them is invented.

Conventions of the expectations: no amount means the food's default portion
(100 g in the catalog) or one of its usual pieces (a slice, a strip, a piece, a
medium one); a bare count is a medium one; a glass is 250 ml, a
bowl 300 ml, a handful 30 g (quick add's documented estimates); "oz" of a
drink is a US fluid ounce.
"""

EGG = "Egg, whole, raw, fresh"
BOILED_EGG = "Egg, whole, cooked, hard-boiled"
EGG_WHITE = "Egg, white, raw, fresh"
WHOLE_MILK = "Milk, whole, 3.25% milkfat, with added vitamin D"
MILK_1 = (
    "Milk, lowfat, fluid, 1% milkfat, with added vitamin A and vitamin D",
    "Milk, fluid, 1% fat, without added vitamin A and vitamin D",
)
MILK_2 = (
    "Milk, reduced fat, fluid, 2% milkfat, with added vitamin A and vitamin D",
    "Milk, reduced fat, fluid, 2% milkfat, without added vitamin A and vitamin D",
)
SKIM_MILK = (
    "Milk, nonfat, fluid, with added vitamin A and vitamin D (fat free or skim)",
    "Milk, nonfat, fluid, with added nonfat milk solids, vitamin A and vitamin D "
    "(fat free or skim)",
    "Milk, nonfat, fluid, without added vitamin A and vitamin D (fat free or skim)",
)
RICE = "Rice, white, long-grain, regular, enriched, cooked"
BROWN_RICE = ("Rice, brown, long-grain, cooked", "Rice, brown, long-grain, raw")
BREAD = "Bread, white, commercially prepared (includes soft bread crumbs)"
WHOLE_WHEAT_BREAD = "Bread, whole-wheat, commercially prepared"
WHOLE_WHEAT_TOAST = "Bread, whole-wheat, commercially prepared, toasted"
TOAST = "Bread, white, commercially prepared, toasted"
COFFEE = "Beverages, coffee, brewed, prepared with tap water"
TEA = "Beverages, tea, black, brewed, prepared with tap water"
WATER = "Beverages, water, tap, drinking"
OATMEAL = (
    "Cereals, oats, regular and quick, unenriched, cooked with water "
    "(includes boiling and microwaving), without salt"
)
OATS = "Cereals, oats, regular and quick, not fortified, dry"
CHICKEN_BREAST = "Chicken, broilers or fryers, breast, meat only, cooked, roasted"
CHICKEN = (
    CHICKEN_BREAST,
    "Chicken, broilers or fryers, meat only, raw",
    "Chicken, ground, raw",
    "Chicken, roasting, meat only, raw",
    "Chicken, stewing, meat only, raw",
    "Chicken, broilers or fryers, meat only, roasted",
)
YOGURT = "Yogurt, plain, whole milk, 8 grams protein per 8 ounce"
GREEK_YOGURT = "Yogurt, Greek, plain, whole milk"
BANANA = "Bananas, raw"
APPLE = "Apples, raw, with skin"
STRAWBERRIES = "Strawberries, raw"
ALMONDS = "Nuts, almonds"
CHEDDAR = "Cheese, cheddar"
OLIVE_OIL = "Oil, olive, salad or cooking"
PEANUT_BUTTER = "Peanut butter, smooth style, with salt"
SUGAR = "Sugars, granulated"
BUTTER = "Butter, salted"
HONEY = "Honey"
SALMON = "Fish, salmon, Atlantic, farmed, cooked, dry heat"
PASTA = "Pasta, cooked, enriched, without added salt"
POTATO = "Potatoes, baked, flesh and skin, without salt"
AVOCADO = "Avocados, raw, all commercial varieties"
ORANGE_JUICE = "Orange juice, raw"
CROISSANT = "Croissants, butter"
GROUND_BEEF = (
    "Beef, grass-fed, ground, raw",
    "Beef, ground, 85% lean meat / 15% fat, patty, cooked, broiled",
    "Beef, ground, 80% lean meat / 20% fat, raw",
    "Beef, ground, 85% lean meat / 15% fat, raw",
    "Beef, ground, 90% lean meat / 10% fat, raw",
    "Beef, ground, 95% lean meat / 5% fat, raw",
    "Beef, ground, 70% lean meat / 30% fat, raw",
    "Beef, ground, 75% lean meat / 25% fat, raw",
)

# (text, locale, [(food or foods, grams)], unparsed)
PHRASES: list[tuple[str, str, list[tuple[str | tuple[str, ...], float]], list[str]]] = [
    # The rows of issue 19.
    ("1 and 1/2 cups of milk", "en", [(WHOLE_MILK, 366)], []),
    ("two and a half cups of rice", "en", [(RICE, 395)], []),
    ("2 large eggs", "en", [(EGG, 100)], []),
    ("1 medium banana", "en", [(BANANA, 118)], []),
    ("a small apple", "en", [(APPLE, 149)], []),
    ("half a dozen eggs", "en", [(EGG, 264)], []),
    ("une demi douzaine d'oeufs", "fr", [(EGG, 264)], []),
    ("rice, 150g", "en", [(RICE, 100)], ["150g"]),
    ("2 cups 1% milk", "en", [(MILK_1, 488)], []),
    ("2 egg whites", "en", [(EGG_WHITE, 66)], []),
    ("a glass of skim milk", "en", [(SKIM_MILK, 255)], []),
    ("8 fl oz milk", "en", [(WHOLE_MILK, 242)], []),
    ("8 oz of milk", "en", [(WHOLE_MILK, 242)], []),
    ("yoghurt", "en", [(YOGURT, 100)], []),
    ("a slice of wholemeal bread", "en", [(WHOLE_WHEAT_BREAD, 32)], []),
    ("a glass of semi skimmed milk", "en", [(MILK_2, 254)], []),
    ("200g of chiken", "en", [(CHICKEN, 200)], []),
    # Breakfast.
    ("2 eggs and a slice of toast", "en", [(EGG, 88), (TOAST, 22)], []),
    ("two boiled eggs", "en", [(BOILED_EGG, 100)], []),
    ("3 eggs", "en", [(EGG, 132)], []),
    ("a large egg", "en", [(EGG, 50)], []),
    ("an extra large egg", "en", [(EGG, 56)], []),
    # Butter spread on bread is about a pat (USDA: 5 g), not butter's 100 g default
    # (717 kcal), which this label held until a review weighed it.
    ("two slices of bread with butter", "en", [(BREAD, 58), (BUTTER, 5)], []),
    ("2 slices of wholemeal toast", "en", [(WHOLE_WHEAT_TOAST, 50)], []),
    ("a croissant", "en", [(CROISSANT, 57)], []),
    ("a large croissant", "en", [(CROISSANT, 67)], []),
    ("1 cup oatmeal", "en", [(OATMEAL, 234)], []),
    ("a bowl of porridge", "en", [(OATMEAL, 292.5)], []),
    ("half a cup of oats", "en", [(OATS, 40.5)], []),
    ("a cup of coffee", "en", [(COFFEE, 237)], []),
    ("2 cups of coffee", "en", [(COFFEE, 474)], []),
    ("a cup of tea", "en", [(TEA, 237)], []),
    ("one cup of tea with a tsp of sugar", "en", [(TEA, 237), (SUGAR, 4.2)], []),
    ("a glass of orange juice", "en", [(ORANGE_JUICE, 258)], []),
    ("8 oz orange juice", "en", [(ORANGE_JUICE, 245)], []),
    ("a cup of yogurt", "en", [(YOGURT, 245)], []),
    ("200g greek yoghurt", "en", [(GREEK_YOGURT, 200)], []),
    ("a tbsp of honey", "en", [(HONEY, 21)], []),
    ("1 tablespoon of peanut butter", "en", [(PEANUT_BUTTER, 16)], []),
    ("three tbsp peanut butter", "en", [(PEANUT_BUTTER, 48)], []),
    ("a teaspoon of butter", "en", [(BUTTER, 4.7)], []),
    ("1 1/2 cups milk", "en", [(WHOLE_MILK, 366)], []),
    ("1½ cups of milk", "en", [(WHOLE_MILK, 366)], []),
    ("200 ml of milk", "en", [(WHOLE_MILK, 203)], []),
    ("a glass of milk", "en", [(WHOLE_MILK, 254)], []),
    ("a glass of 2% milk", "en", [(MILK_2, 254)], []),
    ("half a cup of skimmed milk", "en", [(SKIM_MILK, 122.5)], []),
    # Fruit.
    ("a banana", "en", [(BANANA, 118)], []),
    ("a large banana", "en", [(BANANA, 136)], []),
    ("2 bananas", "en", [(BANANA, 236)], []),
    ("an apple", "en", [(APPLE, 182)], []),
    ("a large apple", "en", [(APPLE, 223)], []),
    ("a couple of strawberries", "en", [(STRAWBERRIES, 24)], []),
    ("a dozen strawberries", "en", [(STRAWBERRIES, 144)], []),
    ("a cup of strawberries", "en", [(STRAWBERRIES, 152)], []),
    ("a handful of blueberries", "en", [("Blueberries, raw", 30)], []),
    ("a cup of blueberries", "en", [("Blueberries, raw", 148)], []),
    ("a pear", "en", [("Pears, raw", 178)], []),
    ("a small pear", "en", [("Pears, raw", 148)], []),
    ("a peach", "en", [("Peaches, yellow, raw", 150)], []),
    ("an orange", "en", [("Oranges, raw, all commercial varieties", 131)], []),
    ("a kiwi", "en", [("Kiwifruit, green, raw", 69)], []),
    ("a mango", "en", [("Mangos, raw", 336)], []),
    ("half an avocado", "en", [(AVOCADO, 100.5)], []),
    (
        "a cup of grapes",
        "en",
        [("Grapes, red or green (European type, such as Thompson seedless), raw", 151)],
        [],
    ),
    # Vegetables.
    ("a carrot", "en", [("Carrots, raw", 61)], []),
    ("a large carrot", "en", [("Carrots, raw", 72)], []),
    ("2 small carrots", "en", [("Carrots, raw", 100)], []),
    ("a tomato", "en", [("Tomatoes, red, ripe, raw, year round average", 123)], []),
    ("an onion", "en", [("Onions, raw", 110)], []),
    ("a large onion", "en", [("Onions, raw", 150)], []),
    ("a cup of spinach", "en", [("Spinach, raw", 30)], []),
    ("a cup of broccoli", "en", [("Broccoli, raw", 91)], []),
    ("a cucumber", "en", [("Cucumber, with peel, raw", 301)], []),
    ("1,5 kg potatoes", "en", [(POTATO, 1500)], []),
    ("a medium potato", "en", [(POTATO, 173)], []),
    (
        "a courgette",
        "en",
        [(("Squash, summer, zucchini, includes skin, raw", "Squash, zucchini, baby, raw"), 196)],
        [],
    ),
    # Meals.
    ("200g chicken breast, 1 tbsp olive oil", "en", [(CHICKEN_BREAST, 200), (OLIVE_OIL, 13.5)], []),
    ("chicken breast 200g", "en", [(CHICKEN_BREAST, 200)], []),
    ("100 g chicken breast", "en", [(CHICKEN_BREAST, 100)], []),
    ("½ cup of rice", "en", [(RICE, 79)], []),
    ("150 g of rice", "en", [(RICE, 150)], []),
    ("a cup of brown rice", "en", [(BROWN_RICE, 195)], []),
    ("3 oz salmon", "en", [(SALMON, 85)], []),
    ("4 oz spaghetti", "en", [(PASTA, 113.4)], []),
    ("1 lb ground beef", "en", [(GROUND_BEEF, 453.6)], []),
    ("2 slices of ham", "en", [("Ham, sliced, regular (approximately 11% fat)", 56)], []),
    ("30 g cheddar cheese", "en", [(CHEDDAR, 30)], []),
    ("a slice of cheddar", "en", [(CHEDDAR, 28)], []),
    ("2 tbsp hummus", "en", [("Hummus, commercial", 30)], []),
    ("a cup of lentils", "en", [("Lentils, mature seeds, cooked, boiled, without salt", 198)], []),
    ("a handful of almonds", "en", [(ALMONDS, 30)], []),
    ("twelve almonds", "en", [(ALMONDS, 14.4)], []),
    (
        "a bagel",
        "en",
        [("Bagels, plain, enriched, with calcium propionate (includes onion, poppy, sesame)", 99)],
        [],
    ),
    (
        "2 bagels",
        "en",
        [("Bagels, plain, enriched, with calcium propionate (includes onion, poppy, sesame)", 198)],
        [],
    ),
    ("a tbsp of olive oil", "en", [(OLIVE_OIL, 13.5)], []),
    ("a tsp of sugar", "en", [(SUGAR, 4.2)], []),
    ("a beer", "en", [("Alcoholic beverage, beer, regular, all", 356)], []),
    ("500 ml water", "en", [(WATER, 500)], []),
    ("a glass of water", "en", [(WATER, 250)], []),
    ("4 oz salmon and a cup of rice", "en", [(SALMON, 113.4), (RICE, 158)], []),
    # No amount: one slice of toast, SR28 "Bread, white, commercially prepared, toasted"
    # "1 slice" 22 g (it pinned the 100 g default, 290 kcal).
    ("2 eggs, toast and a coffee", "en", [(EGG, 88), (TOAST, 22), (COFFEE, 237)], []),
    # French.
    ("deux oeufs et une tranche de pain", "fr", [(EGG, 88), (BREAD, 29)], []),
    ("un café au lait", "fr", [(COFFEE, 237), (WHOLE_MILK, 100)], []),
    ("une pomme", "fr", [(APPLE, 182)], []),
    ("une banane", "fr", [(BANANA, 118)], []),
    ("un verre de lait", "fr", [(WHOLE_MILK, 254)], []),
    ("200 g de riz", "fr", [(RICE, 200)], []),
    ("une tasse et demie de lait", "fr", [(WHOLE_MILK, 366)], []),
    ("trois oeufs", "fr", [(EGG, 132)], []),
    # Pieces that name no food, beside ones that do.
    ("2 eggs, 200g", "en", [(EGG, 88)], ["200g"]),
    ("a banana and something tasty", "en", [(BANANA, 118)], ["something tasty"]),
    (
        "a handful of blueberries + a plate of happiness",
        "en",
        [("Blueberries, raw", 30)],
        ["a plate of happiness"],
    ),
]

# Texts that name no food: an amount, a unit, a number, a negative or zero
# amount, or words that are not foods. Every piece must land in ``unparsed``.
MUST_STAY_UNPARSED: list[tuple[str, str]] = [
    ("200g", "en"),
    ("2 cups", "en"),
    ("-2 eggs", "en"),
    ("- 1 banana", "en"),
    ("minus 3 apples", "en"),
    ("0 eggs", "en"),
    ("something tasty", "en"),
    ("a plate of happiness", "en"),
    ("2", "en"),
    ("150", "en"),
    ("2%", "en"),
    ("3 tbsp", "en"),
    ("a slice", "en"),
    ("half", "en"),
    ("1/2 cup", "en"),
    ("500 ml", "en"),
    ("two", "en"),
    ("a dozen", "en"),
    ("lunch", "en"),
    ("I had a great day", "en"),
    ("xyz123", "en"),
    ("qwertyuiop", "en"),
    ("the usual", "en"),
    ("a few", "en"),
    ("deux", "fr"),
    ("un verre", "fr"),
    ("8 fl oz", "en"),
    ("1000", "en"),
]
