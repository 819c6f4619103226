"""System checks for settings that Django cannot check itself."""

from typing import Any

from django.conf import settings
from django.core.checks import Error, register

from countonme.base.throttling import parse_rate


@register()
def throttle_rates_are_readable(app_configs: Any = None, **kwargs: Any) -> list[Error]:
    """THROTTLE_REGISTER and THROTTLE_DEVICE must parse, or every request would fail."""
    errors = []
    for name in ("THROTTLE_REGISTER", "THROTTLE_DEVICE"):
        try:
            parse_rate(getattr(settings, name))
        except ValueError as problem:
            errors.append(Error(f"{name}: {problem}", id="countonme.E001"))
    return errors
