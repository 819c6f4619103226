"""What the portion tests share: a create body, the nested route, the defaults of a product."""

from products.models import Portion

BODY = {"label": "1 slice", "base_amount": 1, "base_unit": "pcs", "gram_weight": 30, "calories": 80}


def portions_url(product) -> str:
    return f"/v1/products/{product.id}/portions"


def defaults_of(product) -> list[str]:
    """The labels of ``product``'s live default portions (one, when the rules hold)."""
    return list(
        Portion.objects.filter(product=product, is_default=True).values_list("label", flat=True)
    )
