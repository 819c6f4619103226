"""Which parser quick add uses: the rules, or the model when ``QUICK_ADD_MODEL`` is set."""

from functools import cache
from typing import TYPE_CHECKING, Any, Protocol

from django.conf import settings

from entries.quick_add.proposal import Proposal
from entries.quick_add.rules import RulesParser

if TYPE_CHECKING:
    from entries.quick_add.model import ModelParser


class QuickAddParser(Protocol):
    """Reads a text into a proposal for ``device``; never writes."""

    name: str

    def parse(self, *, device: Any, text: str, locale: str = "en") -> Proposal: ...


def configured_parser() -> QuickAddParser:
    """The model parser when ``QUICK_ADD_MODEL`` names a model, else the rules parser."""
    if settings.QUICK_ADD_MODEL:
        return model_parser(settings.QUICK_ADD_MODEL, settings.QUICK_ADD_MODEL_TIMEOUT)
    return RulesParser()


@cache
def model_parser(model: str, timeout: float) -> "ModelParser":
    """The model parser for a model name, built once per process (it holds the HTTP client)."""
    # Imported here: without a model configured, PydanticAI is never loaded.
    from entries.quick_add.model import ModelParser

    return ModelParser(model=model, timeout=timeout)
