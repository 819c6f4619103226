"""The nutrient vocabulary: the names a portion, an entry's snapshot and the stats share.

One declaration, so a column, a limit, a sum and a search row cannot drift
apart: each of them lists its nutrients from here, in this order (the API's).
"""

MACROS = ("protein", "carbs", "fat")
"""The macronutrients, in grams per base amount (a portion) or eaten (an entry)."""

NUTRIENTS = ("calories", *MACROS)
"""Energy in kcal, then the macros: a portion's values, an entry's snapshot, a day's totals."""
