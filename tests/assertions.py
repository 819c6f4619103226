"""Assertions shared by the API tests."""

from typing import Any

_TYPES = {400: "validation_error"}


def assert_error(response: Any, status: int, code: str, attr: str | None = None) -> dict:
    """The response is an error of the one shape, with this status, first code and attr."""
    assert response.status_code == status, response.content[:500]
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert body["type"] == _TYPES.get(status, "client_error" if status < 500 else "server_error")
    first = body["errors"][0]
    assert (first["code"], first["attr"]) == (code, attr), body
    assert isinstance(first["detail"], str)
    assert first["detail"]
    return body


def assert_not_found(response: Any, attr: str | None = None) -> None:
    """404 in the error shape, with the same text whether the id is unknown or foreign."""
    body = assert_error(response, 404, "not_found", attr)
    assert body["errors"][0]["detail"] == "Not found."


def error_codes(response: Any) -> list[tuple[str, str | None]]:
    """``(code, attr)`` of each error, after checking the error shape."""
    body = response.json()
    assert set(body) == {"type", "errors"}
    assert body["type"] == _TYPES.get(
        response.status_code, "client_error" if response.status_code < 500 else "server_error"
    )
    for error in body["errors"]:
        assert set(error) == {"code", "detail", "attr"}
        assert error["detail"]
    return [(error["code"], error["attr"]) for error in body["errors"]]


PRODUCTS = "/v1/products"


def names(response: Any) -> list[str]:
    """The ``name`` of every item of a list answer, in order."""
    return [item["name"] for item in response.json()]
