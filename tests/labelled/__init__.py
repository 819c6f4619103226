"""Labelled sets that measure search and quick add against the starter catalog (issue 19)."""
