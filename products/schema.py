"""OpenAPI of the products app's operations: ids, responses and the longer descriptions.

Beside the views, not on top of them: ``products.views`` applies these
decorators by name, so a view module reads as what the endpoints do.
"""

from drf_spectacular.utils import extend_schema, extend_schema_view

from countonme.base.examples import exception_example, register_parameter_examples
from countonme.base.schema import NOT_FOUND_RESPONSE, create_responses, error_response
from products import examples, serializers
from products.services import BarcodeTaken, DefaultRequired

_BARCODE_TAKEN = error_response(
    "Another live product of this device has this barcode, in any GTIN form (`barcode_taken`).",
    exception_example(BarcodeTaken),
)

register_parameter_examples(
    {
        ("/v1/products/{id}", "id"): examples.OATS_ID,
        "product_id": examples.OATS_ID,
        ("/v1/portions/{id}", "id"): examples.OATS_CUP_ID,
        ("/v1/catalog/products/{id}", "id"): examples.CATALOG_OATS_ID,
        "barcode": examples.OATS_BARCODE,
        "search": "oats",
        "q": "oats",
        ("/v1/products/search", "limit"): 2,
        "name": "Rolled oats",
        "ordering": "-updated_at",
    }
)
BARCODE_FORMS = (
    "Barcodes are compared as GTINs: EAN-13, UPC-A (12 digits), GTIN-14 and EAN-8 "
    "are one number whatever leading zeros they carry (`041196133066` = "
    "`0041196133066` = `00041196133066`), spaces and hyphens are ignored, and an "
    "8-digit UPC-E code (number system 0 or 1) is its UPC-A. A code that is no valid "
    "GTIN (wrong check digit, letters: store labels, Code 128) is kept and matched "
    "exactly as sent. `barcode` is returned as it was sent."
)

products = extend_schema_view(
    list=extend_schema(
        description="Live products, ordered by name (case-insensitive) unless `ordering` says.",
        examples=[examples.PRODUCT_RESPONSE],
    ),
    create=extend_schema(
        responses=create_responses(
            serializers.ProductSerializer,
            replayed=(
                "A live product of this device already has that barcode (in any GTIN "
                "form), or the id was posted before: the stored product, nothing "
                "created. Also the answer when the id is of a deleted product and a "
                "live one now has its barcode: the live one, nothing restored."
            ),
        ),
        description=(
            "Creates a product. With `kcal_100g` (and optional per-100 g macros) it also "
            "creates its default portion '100 g', in one transaction.\n\n" + BARCODE_FORMS
        ),
        examples=[examples.PRODUCT_REQUEST, examples.PRODUCT_RESPONSE],
    ),
    retrieve=extend_schema(examples=[examples.PRODUCT_RESPONSE]),
    update=extend_schema(
        operation_id="products_replace",
        responses={200: serializers.ProductSerializer, 409: _BARCODE_TAKEN},
        description="Full replace of `name` and `barcode` (an omitted barcode becomes null).",
        examples=[examples.PRODUCT_REPLACE, examples.PRODUCT_RENAMED],
    ),
    partial_update=extend_schema(
        operation_id="products_update",
        responses={200: serializers.ProductSerializer, 409: _BARCODE_TAKEN},
        examples=[examples.PRODUCT_RENAME, examples.PRODUCT_RENAMED],
    ),
    destroy=extend_schema(
        operation_id="products_delete",
        description="Soft delete; the product's portions too. Food entries that use it stay.",
    ),
)

check_name = extend_schema(
    operation_id="products_check_name",
    summary="Check a product name is free",
    parameters=[serializers.CheckNameQuerySerializer],
    responses={200: serializers.NameAvailabilitySerializer},
    examples=[examples.NAME_AVAILABILITY],
    description=(
        "Whether no live product of this device has this name, ignoring case and "
        "accents ('pate' is taken by 'Pâté')."
    ),
)

search = extend_schema(
    operation_id="products_search",
    summary="Search products and the catalog",
    parameters=[serializers.SearchQuerySerializer],
    responses={200: serializers.SearchResultSerializer(many=True)},
    examples=[examples.SEARCH_RESULTS, examples.SEARCH_USER_RESULT],
    description=(
        "The device's products and the catalog, merged: names starting with `q` (or "
        "its plural, singular or another spelling: 'yoghurt' finds 'Yogurt') first, "
        "then names containing it, then names holding its words in any order and "
        "typos; by relevance within each tier: a name whose first part is the food "
        "('Strawberries, raw' for 'strawberry'), the device's own products on equal "
        "relevance, the plain form before prepared, flavoured, branded and baby "
        "foods, then shorter names. One or two letters match the start of a name, "
        "then the start of a word. `limit` defaults to 35, values above 60 are "
        "capped. " + serializers.ACCENTS_HELP
    ),
)

product_portions = extend_schema_view(
    list=extend_schema(
        operation_id="product_portions_list",
        description="Live portions of the product, the default first, then by label.",
        examples=[examples.PORTION_LIST],
    ),
    create=extend_schema(
        operation_id="product_portions_create",
        responses=create_responses(
            serializers.PortionSerializer,
            not_found="Unknown product, deleted, or another device's (`not_found`).",
        ),
        description=(
            "The product's first live portion becomes its default whatever `is_default` "
            "says; `is_default: true` moves the default here."
        ),
        examples=[examples.PORTION_REQUEST, examples.PORTION_RESPONSE],
    ),
)

portions = extend_schema_view(
    retrieve=extend_schema(examples=[examples.PORTION_RESPONSE]),
    partial_update=extend_schema(
        operation_id="portions_update",
        responses={
            200: serializers.PortionSerializer,
            409: error_response(
                "`is_default: false` on the product's default portion (`default_required`).",
                exception_example(DefaultRequired),
            ),
        },
        examples=[examples.PORTION_MAKE_DEFAULT, examples.PORTION_MADE_DEFAULT],
    ),
    destroy=extend_schema(
        operation_id="portions_delete",
        description="Soft delete. Deleting the default promotes the oldest remaining portion.",
    ),
)

catalog_products = extend_schema_view(
    list=extend_schema(
        parameters=[serializers.CatalogListQuerySerializer],
        description=(
            "The global food catalog, alphabetical. With `search`: names starting with "
            "it first, then names containing it, then names holding its words in any "
            "order, by relevance within each (as `GET /v1/products/search`, without "
            "its typo step). " + serializers.ACCENTS_HELP
        ),
        examples=[examples.CATALOG_LIST],
    ),
    retrieve=extend_schema(
        responses={200: serializers.CatalogProductDetailSerializer},
        examples=[examples.CATALOG_DETAIL],
    ),
)

catalog_by_barcode = extend_schema(
    operation_id="catalog_products_by_barcode",
    summary="Find a catalog product by barcode",
    responses={200: serializers.CatalogProductDetailSerializer, 404: NOT_FOUND_RESPONSE},
    examples=[examples.CATALOG_BY_BARCODE],
    description=(
        "The catalog product with this barcode, in any form a scanner reports it. " + BARCODE_FORMS
    ),
)
