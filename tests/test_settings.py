"""Settings from the environment: production refuses weak secrets, development makes its own."""

import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

BASE_DIR = Path(__file__).resolve().parent.parent
STRONG = "k7Qw-" + "aB3dE9fG1hJ2kL4mN6pQ8rS0tU5vW7xY9zA1bC3dE5fG7hJ9kL"
STRONG_PEPPER = "p3pP-" + "zY8xW6vU4tS2rQ0pO9nM7lK5jI3hG1fE8dC6bA4zY2xW0vU8tS"
SETTINGS_SNIPPET = "import django; django.setup(); from django.conf import settings; "


def run(args: list[str], tmp_path: Path, **env: str) -> subprocess.CompletedProcess:
    """Run Python in a clean environment: only the variables given here are set."""
    keep = {k: v for k, v in os.environ.items() if k in {"PATH", "HOME", "LANG", "PYTHONPATH"}}
    keep.update(DJANGO_SETTINGS_MODULE="countonme.settings", COUNTONME_VAR_DIR=str(tmp_path), **env)
    return subprocess.run(
        [sys.executable, *args], env=keep, cwd=BASE_DIR, capture_output=True, text=True, timeout=120
    )


def production(**overrides: str) -> dict[str, str]:
    env = {
        "COUNTONME_ENV": "production",
        "SECRET_KEY": STRONG,
        "DEVICE_TOKEN_PEPPER": STRONG_PEPPER,
        "ALLOWED_HOSTS": "api.example.org",
    }
    env.update(overrides)
    return {k: v for k, v in env.items() if v is not None}


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"SECRET_KEY": None}, "SECRET_KEY is not set"),
        ({"SECRET_KEY": "changeme"}, "SECRET_KEY is shorter than 50 characters"),
        ({"SECRET_KEY": "a" * 60}, "SECRET_KEY has fewer than 5 distinct characters"),
        ({"SECRET_KEY": "django-insecure-" + STRONG}, "insecure development placeholder"),
        ({"DEVICE_TOKEN_PEPPER": None}, "DEVICE_TOKEN_PEPPER is not set"),
        ({"DEVICE_TOKEN_PEPPER": "pepper"}, "DEVICE_TOKEN_PEPPER is shorter than 50"),
        ({"DEVICE_TOKEN_PEPPER": STRONG}, "DEVICE_TOKEN_PEPPER must differ from SECRET_KEY"),
        (
            {"DEVICE_TOKEN_PEPPER_FALLBACKS": f"old-pepper,{STRONG}"},
            "DEVICE_TOKEN_PEPPER_FALLBACKS must not contain SECRET_KEY",
        ),
        (
            {"DEVICE_REPAIRING_WINDOW_HOURS": "0"},
            "DEVICE_REPAIRING_WINDOW_HOURS=0 must be at least 1",
        ),
        ({"ALLOWED_HOSTS": None}, "ALLOWED_HOSTS is not set"),
        ({"DEBUG": "true"}, "DEBUG=true with COUNTONME_ENV=production"),
    ],
)
def test_production_refuses_to_start_on_missing_or_weak_settings(tmp_path, overrides, message):
    result = run(["manage.py", "check"], tmp_path, **production(**overrides))
    assert result.returncode != 0
    assert message in result.stderr
    assert not list(tmp_path.glob("*.secret")), "production must never generate secrets"


def test_production_passes_the_deploy_checklist_without_warnings(tmp_path):
    result = run(
        ["manage.py", "check", "--deploy", "--fail-level", "WARNING"], tmp_path, **production()
    )
    assert result.returncode == 0, result.stderr
    assert "System check identified no issues" in result.stdout
    assert "WARNINGS" not in result.stdout + result.stderr


def test_development_generates_secrets_once_and_keeps_them(tmp_path):
    code = SETTINGS_SNIPPET + "print(settings.SECRET_KEY); print(settings.DEVICE_TOKEN_PEPPER)"
    first = run(["-c", code], tmp_path)
    second = run(["-c", code], tmp_path)
    assert first.returncode == 0, first.stderr
    assert first.stdout == second.stdout
    secret_key, pepper = first.stdout.split()
    assert secret_key != pepper
    assert len(secret_key) >= 50
    assert len(pepper) >= 50
    for name in ("secret_key.secret", "device_token_pepper.secret"):
        mode = stat.S_IMODE((tmp_path / name).stat().st_mode)
        assert mode == 0o600


def test_development_defaults(tmp_path):
    code = SETTINGS_SNIPPET + (
        "print(settings.DEBUG, settings.DATABASES['default']['ENGINE'], "
        "settings.THROTTLE_REGISTER, settings.THROTTLE_DEVICE, settings.TRUSTED_PROXY_COUNT, "
        "settings.CACHES['default']['BACKEND'].rsplit('.', 1)[1])"
    )
    result = run(["-c", code], tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [
        "False",
        "django.db.backends.sqlite3",
        "10/min",
        "1200/min",
        "0",
        "LocMemCache",
    ]


def test_environment_values_are_read(tmp_path):
    code = SETTINGS_SNIPPET + (
        "print(settings.DEBUG, settings.DATABASES['default']['ENGINE'], "
        "settings.TRUSTED_PROXY_COUNT, "
        "settings.CACHES['default']['BACKEND'].rsplit('.', 1)[1], settings.ALLOWED_HOSTS, "
        "settings.DATABASES['default']['OPTIONS']['pool']['max_size'])"
    )
    result = run(
        ["-c", code],
        tmp_path,
        DEBUG="true",
        DATABASE_URL="postgres://u@db.example:5432/countonme",
        TRUSTED_PROXY_COUNT="2",
        REDIS_URL="redis://cache.example:6379/1",
        ALLOWED_HOSTS="a.example, b.example",
        DATABASE_POOL_MAX_SIZE="12",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split(" ", 4)[:4] == [
        "True",
        "django.db.backends.postgresql",
        "2",
        "RedisCache",
    ]
    assert "['a.example', 'b.example'] 12" in result.stdout


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"DEBUG": "maybe"}, "DEBUG='maybe' is not a boolean"),
        ({"TRUSTED_PROXY_COUNT": "-1"}, "TRUSTED_PROXY_COUNT=-1 must be at least 0"),
        ({"COUNTONME_ENV": "staging"}, "COUNTONME_ENV='staging'"),
        ({"THROTTLE_DEVICE": "lots"}, "THROTTLE_DEVICE: Invalid throttle rate 'lots'"),
    ],
)
def test_unreadable_values_stop_start_up(tmp_path, env, message):
    result = run(["manage.py", "check"], tmp_path, **env)
    assert result.returncode != 0
    assert message in result.stderr
