"""The scale-out, proven on one host: `make cluster` under load, with its pieces killed.

nginx in front of two gunicorn replicas, PgBouncer in transaction mode in front
of a fresh PostgreSQL database, a Celery worker and beat (deploy/cluster.py),
started once for this package. Each test talks to it over HTTP through the proxy
(or straight to one replica, to be sure both take part), looks at its database
directly, and restarts what it broke.
"""

import pytest

from tests.cluster import running_cluster


@pytest.fixture(scope="package")
def cluster(tmp_path_factory):
    with running_cluster(tmp_path_factory.mktemp("cluster")) as running:
        yield running


@pytest.fixture(autouse=True)
def _clear_throttles():
    """Not here: the cluster's Celery broker shares the Redis database the suite flushes.

    Each test registers its own devices, so no throttle budget carries over.
    """
