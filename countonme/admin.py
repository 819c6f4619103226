"""The back office's own pages (the activity page); the apps register theirs."""

from countonme.backoffice import activity  # noqa: F401 - registers the activity page
