"""Quick add: "2 eggs and a slice of toast" read into a proposal of diary entries.

``phrases`` reads the text (pieces, quantities, units), ``foods`` finds each
food among the device's products and the catalog, ``proposal`` turns a food
and an amount into a proposed entry with grams and nutrition. Two parsers
produce proposals: ``rules`` (offline, the default) and ``model`` (a
PydanticAI agent, when ``QUICK_ADD_MODEL`` is set), chosen by ``parsers``.
Nothing here writes: the app saves a confirmed proposal through
``POST /v1/food-entries/batch``.
"""
