"""The quick-add parse's own rate, on top of the per-device one."""

from countonme.base.throttling import DeviceRateThrottle


class QuickAddRateThrottle(DeviceRateThrottle):
    """Quick-add parses per device (``THROTTLE_QUICK_ADD``, default 30/min)."""

    scope = "quick_add"
    rate_setting = "THROTTLE_QUICK_ADD"
