"""Request bodies and setup shared by the cluster proofs."""

import uuid

from tests.cluster import call


def product_body(name: str, **extra) -> dict:
    return {"name": name, "kcal_100g": 120, "protein_100g": 5, **extra}


def a_product(cluster, token: str, base: str | None = None) -> tuple[str, str]:
    """A new product with its "100 g" default portion: (product id, portion id)."""
    answer = call(f"{base or cluster.url}/v1/products", "POST", product_body("Oats"), token)
    assert answer.status == 201, answer
    portions = call(f"{base or cluster.url}/v1/products/{answer.body['id']}/portions", token=token)
    return answer.body["id"], portions.body[0]["id"]


def entry_body(product_id: str, portion_id: str, **extra) -> dict:
    return {
        "product_id": product_id,
        "portion_id": portion_id,
        "day": "2026-03-14",
        "meal_type": "lunch",
        "amount": "50",
        "unit": "g",
        **extra,
    }


def tombstones(cluster, token: str, count: int) -> list[uuid.UUID]:
    """``count`` products deleted through the API, their deletion aged past the retention."""
    ids = []
    for n in range(count):
        answer = call(f"{cluster.url}/v1/products", "POST", {"name": f"gone {n}"}, token)
        deleted = call(f"{cluster.url}/v1/products/{answer.body['id']}", "DELETE", token=token)
        assert deleted.status == 204
        ids.append(uuid.UUID(answer.body["id"]))
    cluster.sql(
        "UPDATE products_product SET deleted_at = now() - interval '40 days' WHERE id = ANY(%s)",
        (ids,),
    )
    return ids
