"""The sync tests' calls: one page, every page, cursors as older servers wrote them."""

import base64

from rest_framework.test import APIClient

from countonme.sync.changes import Position

SYNC = "/v1/sync/since"


KINDS = ("body_weights", "food_entries", "goals", "portions", "products")


def sync(client, cursor: str | None = None, limit: int | None = None) -> dict:
    params = {}
    if cursor is not None:
        params["cursor"] = cursor
    if limit is not None:
        params["limit"] = limit
    response = client.get(SYNC, params)
    assert response.status_code == 200, response.content[:300]
    return response.json()


def client_for_token(token: str):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")
    return client


def legacy_cursor(position: Position) -> str:
    """A cursor as this server issued it before cursors carried the device's life (v1)."""
    raw = f"v1:{position.version}:{position.kind}:{position.id.hex}"
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def ids(page: dict) -> set[tuple[str, str]]:
    return {(kind, row["id"]) for kind in KINDS for row in page[kind]}


def sync_all(
    client, cursor: str | None = None, limit: int = 1000
) -> tuple[list[tuple[str, str]], str]:
    """Page until has_more is false; every (kind, id) seen, in order, and the last cursor."""
    seen: list[tuple[str, str]] = []
    for _ in range(10_000):
        page = sync(client, cursor, limit)
        seen += sorted(ids(page))
        cursor = page["cursor"]
        if not page["has_more"]:
            return seen, cursor
    raise AssertionError("sync never finished")
