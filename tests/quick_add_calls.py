"""Calls of quick add (``POST /v1/quick-add/parse``) and merged search, for their tests."""

PARSE = "/v1/quick-add/parse"
SEARCH = "/v1/products/search"


def parse(client, text: str, locale: str = "en") -> dict:
    """The 200 body of quick add for ``text``."""
    response = client.post(PARSE, {"text": text, "locale": locale}, format="json")
    assert response.status_code == 200, response.content
    return response.json()


def rows(body: dict) -> list[tuple[str, str, str, str, str]]:
    """(food, quantity, unit, grams, kcal) of each proposed item."""
    return [
        (
            item["match"]["name"],
            item["quantity"],
            item["unit"],
            item["grams"],
            item["nutrition"]["calories"],
        )
        for item in body["items"]
    ]


def names(client, query: str, **params) -> list[str]:
    """The names merged search answers for ``query``, in its order."""
    response = client.get(SEARCH, {"q": query, **params})
    assert response.status_code == 200, response.content
    return [item["name"] for item in response.json()]
