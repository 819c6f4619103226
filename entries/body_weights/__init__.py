"""Body weights (``/v1/body-weights``): a diary of weigh-ins, one live weight per day.

Moved from ``devices`` with its table and rows (``entries/migrations/0005``).
Here: the model (``models``, also named by ``entries.models``), the writes
(``services``), the bodies (``serializers``), the ``from``/``to`` filter
(``filters``) and the endpoints (``views``). Its back office is in
``entries/admin/diary.py``, its reads for stats and the export in
``entries/selectors.py``.
"""
