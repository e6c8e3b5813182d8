"""Settings read from the environment, and production mode passes Django's deploy checks."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from policytrack.env import envbool, envint, envlist, envsecret

ROOT = Path(__file__).resolve().parent.parent


def test_it_reads_typed_values(monkeypatch):
    monkeypatch.setenv("X_BOOL", "yes")
    monkeypatch.setenv("X_INT", "42")
    monkeypatch.setenv("X_LIST", "a.example, b.example,")
    assert envbool("X_BOOL", False) is True
    assert envbool("X_MISSING", True) is True
    assert envint("X_INT", 0) == 42
    assert envlist("X_LIST") == ["a.example", "b.example"]


def test_it_rejects_malformed_values(monkeypatch):
    monkeypatch.setenv("X_BOOL", "maybe")
    monkeypatch.setenv("X_INT", "ten")
    with pytest.raises(ImproperlyConfigured, match="X_BOOL"):
        envbool("X_BOOL", False)
    with pytest.raises(ImproperlyConfigured, match="X_INT"):
        envint("X_INT", 0)


def test_it_reads_secrets_from_files_and_fails_loudly(monkeypatch, tmp_path):
    secret = tmp_path / "secret"
    secret.write_text("s3cret\n", encoding="utf-8")
    monkeypatch.setenv("X_SECRET_FILE", str(secret))
    assert envsecret("X_SECRET") == "s3cret"
    monkeypatch.setenv("X_SECRET_FILE", str(tmp_path / "missing"))
    with pytest.raises(ImproperlyConfigured, match="X_SECRET_FILE"):
        envsecret("X_SECRET")


def run_manage(*args, **env):
    full_env = {k: v for k, v in os.environ.items() if k not in ("DJANGO_SETTINGS_MODULE", "DJANGO_ALLOW_ASYNC_UNSAFE")}
    full_env.update(env)
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=full_env, capture_output=True, text=True, timeout=120
    )


def test_it_passes_the_deploy_checks_with_the_documented_environment(tmp_path):
    done = run_manage(
        "check", "--deploy", "--fail-level", "WARNING",
        DEBUG="0",
        SECRET_KEY="a-production-secret-key-that-is-long-and-random-0123456789abcdef",
        ALLOWED_HOSTS="policytrack.example.gov.cn",
        DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}",
        REDIS_URL="redis://redis:6379/0",  # the shared cache of a production with several processes
    )
    assert done.returncode == 0, done.stdout + done.stderr


def test_it_refuses_to_start_in_production_without_a_secret_key(tmp_path):
    done = run_manage("check", DEBUG="0", SECRET_KEY="", DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}")
    assert done.returncode != 0
    assert "SECRET_KEY" in done.stderr
