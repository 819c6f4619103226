"""``POST /v1/quick-add/parse``: a glass of wine is its 5 fl oz serving, a bottle 750 ml.

Against the starter catalog (SR28) through the API. "a glass of wine" was
quick add's general 250 ml glass (207 kcal); the standard serving of wine —
SR28's "serving (5 fl oz)", 148 g of table wine, the Dietary Guidelines' and
NIAAA's drink — is 5 US fl oz (148 ml). "a bottle of wine" was one 5 fl oz
serving; a wine bottle is 750 ml. A bottle of beer stays its 12 fl oz can.
"""

import pytest

from tests.quick_add_calls import parse, rows

pytestmark = pytest.mark.django_db

WINE = "Alcoholic beverage, wine, table, all"
RED_WINE = "Alcoholic beverage, wine, table, red"
BEER = "Alcoholic beverage, beer, regular, all"


@pytest.mark.parametrize(
    ("text", "locale", "expected"),
    [
        ("a glass of wine", "en", (WINE, "1.000", "serving", "148.000", "122.840")),
        ("a small glass of wine", "en", (WINE, "1.000", "serving", "148.000", "122.840")),
        ("2 glasses of red wine", "en", (RED_WINE, "2.000", "serving", "294.000", "249.900")),
        ("un verre de vin rouge", "fr", (RED_WINE, "1.000", "serving", "147.000", "124.950")),
        # 750 ml at the fl oz portion's 29.5 g per 29.574 ml; 83 kcal/100 g.
        ("a bottle of wine", "en", (WINE, "750.000", "ml", "748.123", "620.942")),
        ("a bottle of beer", "en", (BEER, "1.000", "serving", "356.000", "153.080")),
    ],
)
def test_wine_by_the_glass_and_the_bottle(starter_catalog, device_client, text, locale, expected):
    body = parse(device_client, text, locale)
    assert rows(body) == [expected]
    assert body["items"][0]["confidence"] == 0.56  # an estimate the app asks about
    assert body["unparsed"] == []
