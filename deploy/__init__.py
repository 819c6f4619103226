"""Deployment: nginx templates (compose), and `make cluster`: cluster.py (the pieces and the
commands), processes.py (pid files, starting and waiting), proxy_config.py (nginx's frame)."""
