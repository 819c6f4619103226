"""`make cluster`'s own logic (deploy/cluster.py), without starting anything.

tests/cluster_proofs/ starts the real thing; these pin what it is made from:
where each piece listens, PgBouncer's configuration, the shared secrets, and
the pid files that let `make cluster-stop` end exactly what was started.
"""

import os
import subprocess
import sys

import pytest

from deploy.cluster import Database, Settings, app_environment, pgbouncer_config
from deploy.processes import ClusterError, Recorded


def settings_of(tmp_path, **environ: str) -> Settings:
    return Settings.from_environment({"CLUSTER_DIR": str(tmp_path), **environ})


def test_ports_follow_port_and_the_database_defaults_to_the_local_postgres(tmp_path):
    settings = settings_of(tmp_path, PORT="8230")
    assert (settings.port, settings.web_ports, settings.pgbouncer_port) == (
        8230,
        [8231, 8232],
        8233,
    )
    assert settings.proxy_url == "http://127.0.0.1:8230"
    assert settings.database == Database("127.0.0.1", 5432, "countonme", "postgres", "")
    three = settings_of(tmp_path, PORT="9000", CLUSTER_REPLICAS="3")
    assert (three.web_ports, three.pgbouncer_port) == ([9001, 9002, 9003], 9004)
    chosen = settings_of(tmp_path, CLUSTER_WEB_PORTS="7001,7005", CLUSTER_PGBOUNCER_PORT="7009")
    assert (chosen.web_ports, chosen.pgbouncer_port) == ([7001, 7005], 7009)


def test_the_cluster_runs_on_postgresql_only(tmp_path):
    with pytest.raises(ClusterError, match="runs on PostgreSQL"):
        settings_of(tmp_path, DATABASE_URL="sqlite:///var/db.sqlite3")


def test_the_app_runs_with_production_settings_through_pgbouncer(tmp_path):
    settings = settings_of(
        tmp_path,
        PORT="8230",
        DATABASE_URL="postgres://app:s3cret@db.local:5433/diary",
        THROTTLE_DEVICE="60/min",
    )
    env = app_environment(settings)
    assert env["COUNTONME_ENV"] == "production"
    assert env["SECURE_SSL_REDIRECT"] == "false"
    assert env["TRUSTED_PROXY_COUNT"] == "1"
    assert env["DATABASE_URL"] == "postgres://app:s3cret@127.0.0.1:8233/diary"
    assert env["THROTTLE_DEVICE"] == "60/min"  # what make run honours, the cluster honours
    # Generated once and shared by every replica (a token one hands out, the other checks).
    assert len(env["SECRET_KEY"]) >= 50
    assert app_environment(settings)["DEVICE_TOKEN_PEPPER"] == env["DEVICE_TOKEN_PEPPER"]
    assert (tmp_path / "secrets.env").stat().st_mode & 0o777 == 0o600
    given = app_environment(settings_of(tmp_path, SECRET_KEY="k" * 60))
    assert given["SECRET_KEY"] == "k" * 60


def test_pgbouncer_pools_transactions_and_authenticates_as_postgres_does(tmp_path):
    trusting = pgbouncer_config(settings_of(tmp_path, PORT="8230"))
    assert "pool_mode = transaction" in trusting
    assert "listen_port = 8233" in trusting
    assert "countonme = host=127.0.0.1 port=5432 dbname=countonme" in trusting
    assert "auth_type = trust" in trusting  # the local PostgreSQL trusts the loopback
    with_password = pgbouncer_config(
        settings_of(tmp_path, DATABASE_URL="postgres://app:pw@127.0.0.1/diary")
    )
    assert "auth_type = scram-sha-256" in with_password
    assert "pw" not in with_password  # the password lives in the 0600 userlist only


def test_a_pid_file_names_that_process_only(tmp_path):
    child = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(30)"])
    try:
        recorded = Recorded("sleeper", tmp_path / "run" / "sleeper.pid")
        recorded.record(child.pid)
        assert recorded.pid == child.pid
        # The same pid with another start time: a process that reused the pid.
        pid, started = recorded.pid_file.read_text().split()
        recorded.pid_file.write_text(f"{pid} {int(started) - 1}\n")
        assert recorded.pid is None
        assert recorded.stop() is False  # nothing of ours to end
        assert child.poll() is None
    finally:
        child.kill()
        child.wait()
    assert Recorded("gone", tmp_path / "missing.pid").pid is None


def test_stop_ends_the_whole_process_group(tmp_path):
    leader = subprocess.Popen(
        [sys.executable, "-c", "import subprocess, sys, time;"
         "subprocess.Popen([sys.executable, '-c', 'import time; time.sleep(60)']);"
         "time.sleep(60)"],
        start_new_session=True,
    )  # fmt: skip
    recorded = Recorded("group", tmp_path / "group.pid")
    recorded.record(leader.pid)
    assert recorded.stop(timeout=5) is True
    leader.wait(timeout=5)
    with pytest.raises(ProcessLookupError):
        os.killpg(leader.pid, 0)  # no process left in the group
    assert not recorded.pid_file.exists()
