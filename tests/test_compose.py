"""docker-compose.yml runs as several containers of each kind (`docker compose up --scale web=3
--scale worker=2`): no fixed name or host port per web container, migrations once before
anything starts, exactly one beat, healthchecks, and the evidence volume shared by web and worker."""

import re
from pathlib import Path

import pytest
import yaml

from policytrack.health import HEALTH_PATH
from policytrack.storage import S3_VARIABLES

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def services() -> dict:
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text(encoding="utf-8"))["services"]


def command(service: dict) -> str:
    value = service.get("command", "")
    return " ".join(value) if isinstance(value, list) else value


def test_no_container_has_a_fixed_name(services):
    assert [name for name, service in services.items() if "container_name" in service] == []


def test_web_has_no_host_port_and_only_the_proxy_has_one(services):
    assert "ports" not in services["web"]
    assert [name for name, service in services.items() if service.get("ports")] == ["proxy"]
    conf = (ROOT / services["proxy"]["volumes"][0].split(":")[0]).read_text(encoding="utf-8")
    assert re.search(r"server\s+web:8000\b", conf), "the proxy balances over the web service's containers"
    assert "0.0.0.0:8000" in command(services["web"])


def test_migrations_run_once_before_web_worker_and_beat(services):
    migrate = services["migrate"]
    assert "manage.py migrate" in command(migrate) and migrate["restart"] == "no"
    for name in ("web", "worker", "beat"):
        assert "migrate" not in command(services[name]), name
        assert services[name]["depends_on"]["migrate"] == {"condition": "service_completed_successfully"}, name


def test_exactly_one_beat(services):
    beats = [name for name, service in services.items() if re.search(r"celery .*\bbeat\b", command(service))]
    assert beats == ["beat"]
    assert services["beat"]["deploy"]["replicas"] == 1


def test_web_and_worker_have_healthchecks(services):
    assert HEALTH_PATH in " ".join(services["web"]["healthcheck"]["test"])
    assert "inspect ping" in " ".join(services["worker"]["healthcheck"]["test"])
    assert services["proxy"]["depends_on"]["web"] == {"condition": "service_healthy"}


def test_web_and_worker_share_evidence_database_cache_and_key(services):
    dockerfile = (ROOT / "Dockerfile").read_text(encoding="utf-8")
    media_root = re.search(r"MEDIA_ROOT=(\S+)", dockerfile)[1]
    web, worker = services["web"], services["worker"]
    for service in (web, worker):
        assert f"media:{media_root}" in service["volumes"]
        assert service["environment"]["MEDIA_ROOT"] == media_root
    assert "media" in yaml.safe_load((ROOT / "docker-compose.yml").read_text(encoding="utf-8"))["volumes"]
    for variable in ("DATABASE_URL", "REDIS_URL", "SECRET_KEY", *S3_VARIABLES):
        assert web["environment"][variable] == worker["environment"][variable], variable
    assert web["environment"]["REDIS_URL"].startswith("redis://"), "one cache for every container"
    assert "CACHE_USE_REDIS" not in web["environment"]
