"""The back office's frame: the admin site (dashboard hook, no "View site"),
its time zone, its HTML error pages and its stylesheet.

The apps register their pages on it as on any admin site; ``entries.admin``
gives it the dashboard's figures (it is the app that sees every other).
"""
