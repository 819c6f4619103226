"""Support staff's notes on a device ("user called, re-pair granted, ticket #123")."""
