"""The architecture README states: the layering of imports, and the files a food-entry create walks.

Both are read off the code itself (``ast`` for imports, a profiler hook for
the walk), so the README's "Architecture" cannot drift from them unnoticed.
"""

import ast
import sys
from collections.abc import Iterator
from pathlib import Path
from types import FrameType
from typing import Any

from tests.entry_bodies import ENTRIES, food_entry_body
from tests.factories import PortionFactory

ROOT = Path(__file__).resolve().parent.parent

LAYERS = ("countonme", "devices", "products", "entries")
"""Lowest first: a package may import its own layer and those before it, never one after."""


def imported_modules(source: str) -> Iterator[tuple[int, str]]:
    """``(line, module)`` of every absolute import in ``source``, in functions too."""
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            yield node.lineno, node.module


def upward_imports(layer: str, source: str) -> list[tuple[int, str]]:
    """The imports of a ``layer`` module's ``source`` that reach a layer above it."""
    above = LAYERS[LAYERS.index(layer) + 1 :]
    return [
        (line, module) for line, module in imported_modules(source) if module.split(".")[0] in above
    ]


def test_the_walk_finds_an_upward_import() -> None:
    source = (
        "import entries.models\n"
        "from devices.models import Device\n"
        "def late():\n"
        "    from products import units\n"
    )
    assert upward_imports("countonme", source) == [
        (1, "entries.models"),
        (2, "devices.models"),
        (4, "products"),
    ]
    assert upward_imports("products", source) == [(1, "entries.models")]
    assert upward_imports("entries", source) == []


def test_no_module_imports_from_a_layer_above() -> None:
    found = {}
    for layer in LAYERS:
        for path in sorted((ROOT / layer).rglob("*.py")):
            upward = upward_imports(layer, path.read_text())
            if upward:
                found[str(path.relative_to(ROOT))] = upward
    assert found == {}


# --- A food-entry create's walk --------------------------------------------------

# Every authenticated API request runs these before (and after) its view:
# middleware, the bearer token, the device read and the throttle.
REQUEST_FRAME = [
    "countonme/ops/middleware.py",
    "countonme/ops/security_headers.py",
    "countonme/ops/health.py",
    "devices/authentication.py",
    "devices/tokens.py",
    "countonme/base/compiled.py",
    "devices/models.py",
    "countonme/base/throttling.py",
    "countonme/base/throttle_counters.py",
    "countonme/ops/network.py",
    "countonme/ops/log_format.py",
]

# What the create itself runs, in the order it first enters each file
# (README, "Architecture": why each one). entries/urls.py and
# entries/models.py are in the walk too but run no code of their own: a
# route is data, and the model's save is the base's.
CREATE_WALK = [
    "countonme/base/viewsets.py",  # the create: lock, client id, hooks, transaction
    "countonme/base/models.py",  # the device lock, the version stamp, the save
    "countonme/base/compiled.py",  # the lock, the product and portion: SQL compiled once
    "countonme/base/parsers.py",  # the JSON body, its depth bounded
    "entries/serializers.py",  # the shape: FoodEntrySerializer
    "countonme/base/serializers.py",  # the device's own product and portion, decimals
    "countonme/base/strict_input.py",  # strict day, decimal and uuid parsing
    "entries/views.py",  # the save hook: calls the service
    "entries/services.py",  # the rules: the portion, the snapshot
    "products/limits.py",  # the portion's physical limits (rows older than them)
    "products/units.py",  # the amount in the portion's unit
    "countonme/base/numbers.py",  # half-up rounding of the snapshot
]


class Walk:
    """Project files whose code runs, by first entry, inside and outside the view's ``create``."""

    def __init__(self) -> None:
        self.frame: list[str] = []
        self.create: list[str] = []
        self.depth = 0

    def __call__(self, frame: FrameType, event: str, arg: Any) -> None:
        code = frame.f_code
        is_create = code.co_name == "create" and code.co_filename.endswith(
            "countonme/base/viewsets.py"
        )
        if event == "return" and is_create:
            self.depth -= 1
        if event != "call":
            return
        if is_create:
            self.depth += 1
        path = Path(code.co_filename)
        if not path.is_relative_to(ROOT) or ".venv" in path.parts:
            return
        name = str(path.relative_to(ROOT))
        if name.startswith("tests/") or "/migrations/" in name or name.endswith("settings.py"):
            return
        seen = self.create if self.depth else self.frame
        if name not in seen:
            seen.append(name)


def test_a_food_entry_create_walks_these_files(device_client, device) -> None:
    portion = PortionFactory(product__device=device)
    # A first create fills the process's caches (compiled SQL, DRF's settings).
    assert device_client.post(ENTRIES, food_entry_body(portion), format="json").status_code == 201
    walk = Walk()
    sys.setprofile(walk)
    try:
        response = device_client.post(ENTRIES, food_entry_body(portion), format="json")
    finally:
        sys.setprofile(None)
    assert response.status_code == 201
    assert response.json()["calories"] == "100.000"
    assert walk.create == CREATE_WALK
    assert walk.frame == REQUEST_FRAME
