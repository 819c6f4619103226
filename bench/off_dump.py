"""Write a synthetic Open Food Facts JSONL dump: realistic names, brands, barcodes and nutrition.

There is no network here to download the real export (about 3 M products),
so the search benchmark imports this one with the project's own
``manage.py import_catalog --source off``. It mimics what makes the real
catalog hard to search: tens of thousands of branded products whose names
start with everyday words ("Milk chocolate", "Strawberry yogurt",
"Chicken nuggets"), names in English, French, German, Spanish and Italian
with accents ("Lait demi-écrémé", "Käse"), brands, flavours, sizes, valid
EAN-13 codes, per-100 g nutrition in each category's range, and a serving
size on about half the products. Deterministic for a seed.

    .venv/bin/python bench/off_dump.py var/bench/off-100k.jsonl.gz --products 100000
"""

from __future__ import annotations

import argparse
import gzip
import json
import random
from pathlib import Path

# (name stem per language, category, kcal range, protein, carbs, fat ranges per 100 g)
FOODS = [
    (("Milk", "Lait", "Milch", "Leche", "Latte"), "Milks", (35, 70), (3, 4), (4, 5), (0, 4)),
    (
        ("Yogurt", "Yaourt", "Joghurt", "Yogur", "Yogurt"),
        "Yogurts",
        (50, 140),
        (3, 10),
        (3, 18),
        (0, 10),
    ),
    (
        ("Cheese", "Fromage", "Käse", "Queso", "Formaggio"),
        "Cheeses",
        (250, 420),
        (18, 32),
        (0, 3),
        (18, 36),
    ),
    (
        ("Butter", "Beurre", "Butter", "Mantequilla", "Burro"),
        "Butters",
        (700, 750),
        (0, 1),
        (0, 1),
        (78, 83),
    ),
    (("Bread", "Pain", "Brot", "Pan", "Pane"), "Breads", (220, 290), (7, 12), (40, 55), (1, 6)),
    (
        ("Cereals", "Céréales", "Müsli", "Cereales", "Cereali"),
        "Breakfast cereals",
        (340, 450),
        (6, 14),
        (55, 80),
        (1, 18),
    ),
    (
        ("Cookies", "Biscuits", "Kekse", "Galletas", "Biscotti"),
        "Biscuits",
        (430, 520),
        (5, 8),
        (55, 70),
        (15, 28),
    ),
    (
        ("Chocolate", "Chocolat", "Schokolade", "Chocolate", "Cioccolato"),
        "Chocolates",
        (500, 600),
        (4, 10),
        (40, 60),
        (28, 42),
    ),
    (
        ("Orange juice", "Jus d'orange", "Orangensaft", "Zumo de naranja", "Succo d'arancia"),
        "Fruit juices",
        (40, 50),
        (0, 1),
        (8, 11),
        (0, 1),
    ),
    (
        ("Apple juice", "Jus de pomme", "Apfelsaft", "Zumo de manzana", "Succo di mela"),
        "Fruit juices",
        (40, 48),
        (0, 1),
        (9, 11),
        (0, 1),
    ),
    (
        ("Pasta", "Pâtes", "Nudeln", "Pasta", "Pasta"),
        "Pastas",
        (340, 370),
        (11, 14),
        (68, 74),
        (1, 3),
    ),
    (("Rice", "Riz", "Reis", "Arroz", "Riso"), "Rices", (340, 365), (6, 9), (75, 80), (0, 3)),
    (
        ("Chicken", "Poulet", "Hähnchen", "Pollo", "Pollo"),
        "Poultry",
        (110, 240),
        (18, 25),
        (0, 8),
        (2, 15),
    ),
    (
        ("Salmon", "Saumon", "Lachs", "Salmón", "Salmone"),
        "Fish",
        (140, 220),
        (18, 24),
        (0, 1),
        (8, 15),
    ),
    (
        ("Ham", "Jambon", "Schinken", "Jamón", "Prosciutto"),
        "Hams",
        (100, 250),
        (15, 25),
        (0, 3),
        (3, 18),
    ),
    (("Soup", "Soupe", "Suppe", "Sopa", "Zuppa"), "Soups", (25, 90), (1, 4), (3, 10), (0, 5)),
    (
        ("Pizza", "Pizza", "Pizza", "Pizza", "Pizza"),
        "Pizzas",
        (210, 290),
        (9, 13),
        (25, 35),
        (7, 14),
    ),
    (
        ("Ice cream", "Glace", "Eiscreme", "Helado", "Gelato"),
        "Ice creams",
        (180, 260),
        (3, 5),
        (22, 30),
        (8, 16),
    ),
    (
        ("Crisps", "Chips", "Chips", "Patatas fritas", "Patatine"),
        "Crisps",
        (500, 560),
        (5, 7),
        (48, 55),
        (28, 36),
    ),
    (
        ("Jam", "Confiture", "Marmelade", "Mermelada", "Marmellata"),
        "Jams",
        (220, 280),
        (0, 1),
        (50, 65),
        (0, 1),
    ),
    (
        (
            "Peanut butter",
            "Beurre de cacahuète",
            "Erdnussbutter",
            "Crema de cacahuete",
            "Burro di arachidi",
        ),
        "Nut butters",
        (580, 640),
        (22, 28),
        (12, 20),
        (46, 54),
    ),
    (("Tea", "Thé", "Tee", "Té", "Tè"), "Teas", (0, 5), (0, 1), (0, 1), (0, 1)),
    (("Coffee", "Café", "Kaffee", "Café", "Caffè"), "Coffees", (0, 10), (0, 1), (0, 2), (0, 1)),
    (("Water", "Eau", "Wasser", "Agua", "Acqua"), "Waters", (0, 0), (0, 0), (0, 0), (0, 0)),
    (("Cola", "Cola", "Cola", "Cola", "Cola"), "Sodas", (0, 45), (0, 0), (0, 11), (0, 0)),
    (
        ("Beans", "Haricots", "Bohnen", "Judías", "Fagioli"),
        "Legumes",
        (70, 120),
        (5, 8),
        (10, 18),
        (0, 2),
    ),
    (
        ("Sausages", "Saucisses", "Würstchen", "Salchichas", "Salsicce"),
        "Sausages",
        (220, 320),
        (11, 16),
        (1, 5),
        (18, 28),
    ),
    (
        ("Granola bar", "Barre de céréales", "Müsliriegel", "Barrita de cereales", "Barretta"),
        "Cereal bars",
        (380, 470),
        (5, 10),
        (55, 70),
        (10, 20),
    ),
    (
        ("Hummus", "Houmous", "Hummus", "Hummus", "Hummus"),
        "Spreads",
        (250, 330),
        (6, 9),
        (10, 16),
        (18, 26),
    ),
    (
        ("Muesli", "Muesli", "Müsli", "Muesli", "Muesli"),
        "Breakfast cereals",
        (350, 420),
        (8, 12),
        (55, 68),
        (5, 12),
    ),
]
QUALIFIERS = (
    ("Organic", "Bio", "Bio", "Ecológico", "Biologico"),
    ("Whole", "Entier", "Voll", "Entera", "Intero"),
    ("Light", "Allégé", "Leicht", "Light", "Leggero"),
    ("Semi-skimmed", "Demi-écrémé", "Fettarm", "Semidesnatada", "Parzialmente scremato"),
    ("Wholegrain", "Complet", "Vollkorn", "Integral", "Integrale"),
    ("Classic", "Classique", "Klassisch", "Clásico", "Classico"),
    ("Greek style", "À la grecque", "Griechischer Art", "Estilo griego", "Alla greca"),
    ("Smoked", "Fumé", "Geräuchert", "Ahumado", "Affumicato"),
    ("Crunchy", "Croustillant", "Knusprig", "Crujiente", "Croccante"),
    ("Extra", "Extra", "Extra", "Extra", "Extra"),
)
FLAVOURS = (
    ("strawberry", "fraise", "Erdbeere", "fresa", "fragola"),
    ("vanilla", "vanille", "Vanille", "vainilla", "vaniglia"),
    ("chocolate", "chocolat", "Schokolade", "chocolate", "cioccolato"),
    ("banana", "banane", "Banane", "plátano", "banana"),
    ("hazelnut", "noisette", "Haselnuss", "avellana", "nocciola"),
    ("lemon", "citron", "Zitrone", "limón", "limone"),
    ("honey", "miel", "Honig", "miel", "miele"),
    ("apple", "pomme", "Apfel", "manzana", "mela"),
    ("cherry", "cerise", "Kirsche", "cereza", "ciliegia"),
    ("almond", "amande", "Mandel", "almendra", "mandorla"),
    ("blueberry", "myrtille", "Heidelbeere", "arándano", "mirtillo"),
    (
        "salted caramel",
        "caramel au beurre salé",
        "Salzkaramell",
        "caramelo salado",
        "caramello salato",
    ),
)
WITH = ("with", "à la", "mit", "con", "con")
BRANDS = [
    "Carrefour",
    "Tesco",
    "Auchan",
    "Lidl",
    "Aldi",
    "Sainsbury's",
    "Leclerc",
    "Intermarché",
    "Danone",
    "Nestlé",
    "Kellogg's",
    "Heinz",
    "Barilla",
    "Lactalis",
    "Président",
    "Bonne Maman",
    "Lindt",
    "Milka",
    "Ferrero",
    "Kraft",
    "Unilever",
    "Knorr",
    "Müller",
    "Arla",
    "Yoplait",
    "Andros",
    "Tropicana",
    "Innocent",
    "Alpro",
    "Oatly",
    "Hipp",
    "Quaker",
    "Jordans",
    "Weetabix",
    "Walkers",
    "Lay's",
    "Pringles",
    "Coca-Cola",
    "Pepsi",
    "Lipton",
    "Twinings",
    "Nescafé",
    "Lavazza",
    "Dr. Oetker",
    "Rians",
    "Fleury Michon",
    "Herta",
    "Père Dodu",
    "Labeyrie",
    "Findus",
] + [f"Marque {n}" for n in range(1, 251)]
LANGUAGES = ("en", "fr", "de", "es", "it")
SIZES = ("", "", "", " 500 g", " 1 L", " 250 g", " x6", " 150 g", " family pack", " 2 x 125 g")
SERVINGS = (
    ("30 g", 30),
    ("1 portion (125 g)", 125),
    ("250 ml", 250),
    ("1 bar (40 g)", 40),
    ("2 biscuits (25 g)", 25),
    ("100 g", 100),
    ("1 slice (35 g)", 35),
)


def ean13(number: int) -> str:
    """A valid EAN-13 from a 12-digit number (the check digit appended)."""
    digits = f"{number:012d}"
    total = sum(int(d) * (3 if i % 2 else 1) for i, d in enumerate(digits))
    return digits + str((10 - total % 10) % 10)


def product(index: int, rng: random.Random) -> dict:
    stems, category, kcal, protein, carbs, fat = rng.choice(FOODS)
    language = rng.choices(range(5), weights=(50, 25, 12, 8, 5))[0]
    name = stems[language]
    if rng.random() < 0.45:
        qualifier = rng.choice(QUALIFIERS)[language]
        name = (
            f"{qualifier} {name.lower()}" if language in (0, 2) else f"{name} {qualifier.lower()}"
        )
    if rng.random() < 0.4:
        flavour = rng.choice(FLAVOURS)[language]
        name = (
            f"{flavour.capitalize()} {name.lower()}"
            if language == 0 and rng.random() < 0.5
            else (f"{name} {WITH[language]} {flavour}")
        )
    name += rng.choice(SIZES)

    def between(low_high: tuple[int, int]) -> float:
        return round(rng.uniform(*low_high), 1)

    record = {
        "code": ean13(3_000_000_000_00 + index * 7919 % 10**11),
        "product_name": name,
        "brands": rng.choice(BRANDS),
        "categories_tags": ["en:foods", f"en:{category.lower().replace(' ', '-')}"],
        "nutriments": {
            "energy-kcal_100g": between(kcal),
            "proteins_100g": between(protein),
            "carbohydrates_100g": between(carbs),
            "fat_100g": between(fat),
        },
    }
    if rng.random() < 0.5:
        size, grams = rng.choice(SERVINGS)
        record["serving_size"] = size
        record["serving_quantity"] = grams
    return record


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("path", type=Path, help="where to write (.jsonl or .jsonl.gz)")
    parser.add_argument("--products", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=19)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    args.path.parent.mkdir(parents=True, exist_ok=True)
    opener = gzip.open if args.path.suffix == ".gz" else open
    with opener(args.path, "wt", encoding="utf-8") as out:
        for index in range(args.products):
            out.write(json.dumps(product(index, rng), ensure_ascii=False) + "\n")
    print(f"wrote {args.products:,} products to {args.path}")


if __name__ == "__main__":
    main()
