"""Deployment: the nginx configuration and `make cluster` (deploy/cluster.py)."""
