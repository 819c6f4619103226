"""Everyday search queries and the starter-catalog food a person typing them means.

Each entry: the query as typed, and the names (one or a few equally right
rows) of which at least one must be among the first three results of
``GET /v1/products/search``. The queries are what people type into a food
tracker's search box — singular and plural, British and American spellings,
typos — not tuned to the catalog. Queries whose food the contract's tiers
cannot rank first (a name starting with the query always comes before one
only containing it: "coffee" → "Coffeecake" before "Beverages, coffee") are
left out; README → "Search" lists them.
"""

CHICKEN_MEAT = (
    "Chicken, broilers or fryers, meat only, raw",
    "Chicken, ground, raw",
    "Chicken, roasting, meat only, raw",
    "Chicken, stewing, meat only, raw",
)
STRAWBERRIES = ("Strawberries, raw",)
BANANAS = ("Bananas, raw",)
APPLES = ("Apples, raw, with skin", "Apples, raw, without skin")
EGGS = ("Egg, whole, raw, fresh",)
YOGURT = (
    "Yogurt, plain, whole milk, 8 grams protein per 8 ounce",
    "Yogurt, Greek, plain, whole milk",
    "Yogurt, plain, low fat, 12 grams protein per 8 ounce",
)
ZUCCHINI = ("Squash, summer, zucchini, includes skin, raw", "Squash, zucchini, baby, raw")
EGGPLANT = ("Eggplant, raw",)
SHRIMP = (
    "Crustaceans, shrimp, raw (not previously frozen)",
    "Crustaceans, shrimp, mixed species, raw (may have been previously frozen)",
)
RAISINS = ("Raisins, seedless", "Raisins, golden seedless")
LENTILS = (
    "Lentils, mature seeds, cooked, boiled, without salt",
    "Lentils, mature seeds, cooked, boiled, with salt",
)
CHICKPEAS = (
    "Chickpeas (garbanzo beans, bengal gram), mature seeds, cooked, boiled, without salt",
    "Chickpeas (garbanzo beans, bengal gram), mature seeds, cooked, boiled, with salt",
)

SEARCH_SET: list[tuple[str, tuple[str, ...]]] = [
    ("strawberry", STRAWBERRIES),
    ("strawberries", STRAWBERRIES),
    ("Strawberry", STRAWBERRIES),
    ("cherry", ("Cherries, sweet, raw", "Cherries, sour, red, raw")),
    ("blueberry", ("Blueberries, raw",)),
    ("blueberries", ("Blueberries, raw",)),
    ("raspberry", ("Raspberries, raw",)),
    ("almond", ("Nuts, almonds",)),
    ("almonds", ("Nuts, almonds",)),
    ("walnuts", ("Nuts, walnuts, english",)),
    ("cashew", ("Nuts, cashew nuts, raw",)),
    ("milk", ("Milk, whole, 3.25% milkfat, with added vitamin D",)),
    ("egg", EGGS),
    ("eggs", EGGS),
    ("banana", BANANAS),
    ("bananas", BANANAS),
    ("apple", APPLES),
    ("orange", ("Oranges, raw, all commercial varieties",)),
    ("pear", ("Pears, raw",)),
    ("peach", ("Peaches, yellow, raw",)),
    ("mango", ("Mangos, raw",)),
    ("pineapple", ("Pineapple, raw, all varieties",)),
    ("watermelon", ("Watermelon, raw",)),
    ("grapes", ("Grapes, red or green (European type, such as Thompson seedless), raw",)),
    ("kiwi", ("Kiwifruit, green, raw",)),
    ("lemon", ("Lemons, raw, without peel",)),
    ("avocado", ("Avocados, raw, all commercial varieties",)),
    ("broccoli", ("Broccoli, raw",)),
    ("carrot", ("Carrots, raw",)),
    ("carrots", ("Carrots, raw",)),
    ("spinach", ("Spinach, raw",)),
    ("onion", ("Onions, raw",)),
    ("garlic", ("Garlic, raw",)),
    ("cucumber", ("Cucumber, with peel, raw",)),
    ("sweet potato", ("Sweet potato, raw, unprepared",)),
    ("mushrooms", ("Mushrooms, white, raw",)),
    # Eaten cooked (USDA FNDDS codes them cooked): SR28's cooked rows, 116 and 164
    # kcal/100 g, not the dry "Lentils, raw" (352) and raw chickpeas (378) once pinned here.
    ("lentils", LENTILS),
    ("chickpeas", CHICKPEAS),
    ("oats", ("Oats",)),
    ("butter", ("Butter, salted", "Butter, without salt")),
    ("cheddar", ("Cheese, cheddar",)),
    ("mozzarella", ("Cheese, mozzarella, whole milk",)),
    ("yogurt", YOGURT),
    ("yoghurt", YOGURT),
    ("honey", ("Honey",)),
    ("sugar", ("Sugars, granulated",)),
    (
        "tofu",
        (
            "Tofu, raw, firm, prepared with calcium sulfate",
            "Tofu, raw, regular, prepared with calcium sulfate",
        ),
    ),
    ("ham", ("Ham, sliced, regular (approximately 11% fat)",)),
    ("chicken", CHICKEN_MEAT),
    (
        "peanut butter",
        ("Peanut butter, smooth style, with salt", "Peanut butter, chunk style, with salt"),
    ),
    ("orange juice", ("Orange juice, raw",)),
    ("olive oil", ("Oil, olive, salad or cooking",)),
    ("ketchup", ("Catsup",)),
    ("crisps", ("Snacks, potato chips, plain, salted",)),
    ("courgette", ZUCCHINI),
    ("zucchini", ZUCCHINI),
    ("aubergine", EGGPLANT),
    ("eggplant", EGGPLANT),
    ("prawns", SHRIMP),
    ("shrimp", SHRIMP),
    ("sultanas", RAISINS),
    (
        "semi skimmed milk",
        ("Milk, reduced fat, fluid, 2% milkfat, with added vitamin A and vitamin D",),
    ),
    (
        "skim milk",
        (
            "Milk, nonfat, fluid, with added vitamin A and vitamin D (fat free or skim)",
            "Milk, nonfat, fluid, with added nonfat milk solids, vitamin A and vitamin D "
            "(fat free or skim)",
        ),
    ),
    ("chiken", CHICKEN_MEAT),
    ("bananna", BANANAS),
    ("brocoli", ("Broccoli, raw",)),
    ("stawberry", STRAWBERRIES),
    ("avacado", ("Avocados, raw, all commercial varieties",)),
    ("jalapeño", ("Peppers, jalapeno, raw",)),
]
