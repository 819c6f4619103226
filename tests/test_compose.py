"""docker-compose.yml describes the production topology, checked where Docker is absent.

``docker compose config`` cannot run here (no Docker engine), so this parses the
file as Compose does: anchors and merge keys resolved by YAML, every reference
(depends_on, networks, volumes) pointing at something defined, every
``${VAR:?...}`` set by the environment the tests give it. Then the topology the
README promises: replicas behind the proxy, PgBouncer in transaction mode
between the app and PostgreSQL, a worker and exactly one beat.
"""

import re

import pytest
import yaml

from tests.serving import BASE_DIR

COMPOSE = BASE_DIR / "docker-compose.yml"
TEMPLATES = BASE_DIR / "deploy" / "nginx" / "templates"
# ${NAME}, ${NAME:-default}, ${NAME-default}, ${NAME:?error}, ${NAME?error}; $$ escapes.
VARIABLE = re.compile(r"\$\{(?P<name>[A-Za-z_][A-Za-z0-9_]*)(?:(?P<op>:?[-?])(?P<arg>[^}]*))?\}")


@pytest.fixture(scope="module")
def compose() -> dict:
    return yaml.safe_load(COMPOSE.read_text())


@pytest.fixture(scope="module")
def services(compose) -> dict:
    return compose["services"]


def interpolate(text: str, environ: dict[str, str]) -> str:
    """Compose's variable substitution; raises ``KeyError`` for a required variable unset."""

    def value(match: re.Match) -> str:
        name, op, arg = match["name"], match["op"], match["arg"]
        if op in (":?", "?") and not environ.get(name):
            raise KeyError(f"{name}: {arg}")
        if op in (":-", "-"):
            return environ.get(name) or arg
        return environ.get(name, "")

    return VARIABLE.sub(value, text.replace("$$", "\0")).replace("\0", "$")


def test_every_variable_is_well_formed_and_the_required_ones_say_what_to_set():
    text = COMPOSE.read_text()
    dollars = text.replace("$$", "").count("$")
    assert dollars == len(VARIABLE.findall(text)), "a $ that is not a ${VARIABLE}"
    with pytest.raises(KeyError, match="SECRET_KEY"):
        interpolate(text, {})
    rendered = interpolate(text, {"SECRET_KEY": "k" * 50, "DEVICE_TOKEN_PEPPER": "p" * 50})
    assert yaml.safe_load(rendered)["services"]["web"]["environment"]["SECRET_KEY"] == "k" * 50


def test_references_point_at_defined_services_networks_and_volumes(compose, services):
    for name, service in services.items():
        for dependency, condition in (service.get("depends_on") or {}).items():
            assert dependency in services, (name, dependency)
            assert condition["condition"] in {
                "service_started",
                "service_healthy",
                "service_completed_successfully",
            }
            if condition["condition"] == "service_healthy":
                assert "healthcheck" in services[dependency], (name, dependency)
        for network in service.get("networks") or []:
            assert network in compose["networks"], (name, network)
        for volume in service.get("volumes") or []:
            source = volume.split(":")[0]
            if source.startswith("."):
                assert (BASE_DIR / source).exists(), (name, source)
            else:
                assert source in compose["volumes"], (name, source)


def test_web_replicas_sit_behind_the_proxy_and_reach_postgres_through_pgbouncer(services):
    web = services["web"]
    assert web["deploy"]["replicas"] >= 2
    assert "ports" not in web  # only the proxy reaches gunicorn
    assert web["environment"]["DATABASE_URL"].endswith("@pgbouncer:5432/countonme")
    assert web["environment"]["REDIS_URL"].startswith("redis://redis:")
    assert web["depends_on"]["pgbouncer"]["condition"] == "service_healthy"

    proxy = services["proxy"]
    assert proxy["ports"] == ["${PORT:-8000}:80"]
    assert proxy["environment"]["COUNTONME_UPSTREAM"] == "web:8000"
    assert "./deploy/nginx/templates:/etc/nginx/templates:ro" in proxy["volumes"]
    assert "/etc/nginx/conf.d" in proxy["tmpfs"]  # no default.conf answering for localhost
    upstream = (TEMPLATES / "upstream.conf.template").read_text()
    assert "upstream countonme_app {" in upstream
    assert re.search(r"server \$\{COUNTONME_UPSTREAM\} resolve", upstream)
    assert "keepalive" in upstream
    server_block = (TEMPLATES / "countonme.conf.template").read_text()
    assert "proxy_pass http://countonme_app;" in server_block
    assert re.search(r"^\s*proxy_next_upstream error timeout;", server_block, re.M)
    assert "non_idempotent" not in re.findall(r"^\s*proxy_next_upstream .*", server_block, re.M)[0]


def test_pgbouncer_pools_transactions_and_migrations_bypass_it(services):
    pgbouncer = services["pgbouncer"]["environment"]
    assert pgbouncer["POOL_MODE"] == "transaction"
    assert pgbouncer["DB_HOST"] == "db"
    assert services["pgbouncer"]["depends_on"]["db"]["condition"] == "service_healthy"
    migrate = services["migrate"]
    assert migrate["environment"]["DATABASE_URL"].endswith("@db:5432/countonme")
    assert migrate["command"] == ["python", "manage.py", "prepare"]
    # The merge key kept the rest of the app's environment.
    assert migrate["environment"]["COUNTONME_ENV"] == "production"


def test_jobs_run_on_a_worker_and_exactly_one_beat(services):
    worker, beat = services["worker"], services["beat"]
    assert worker["command"][:4] == ["celery", "--app", "countonme.jobs", "worker"]
    assert beat["command"][:4] == ["celery", "--app", "countonme.jobs", "beat"]
    assert beat["deploy"]["replicas"] == 1
    for service in (worker, beat):
        assert service["environment"]["CELERY_BROKER_URL"].startswith("redis://redis:")
    assert worker["environment"]["DATABASE_URL"].endswith("@pgbouncer:5432/countonme")
    # The old shell loop is gone: the beat schedules the purge.
    assert "purge" not in services
    assert not any("sleep" in str(service.get("command")) for service in services.values())
