"""Back office of the diary, and the device page that needs every app.

- ``diary``: food entries and body weights.
- ``device``: ``DeviceBackOfficeAdmin`` extends ``devices.admin.DeviceAdmin``
  (registered in its place) with what only this app, at the top of the
  dependency chain, can compose: counts, the device page (``device_page``,
  ``device_day``), its buttons (``device_tools``), notes, the export.
- ``dashboard``: the admin index's figures.
"""

from entries.admin import dashboard, device, diary  # noqa: F401 - registers the pages
