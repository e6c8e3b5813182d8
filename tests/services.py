"""Skip tests that need an outside service when it is missing, except where REQUIRE_SERVICES=1
(CI) demands that everything runs: there a missing service is a failure, not a skip."""

import os
import shutil

import pytest


def require_services() -> bool:
    return os.environ.get("REQUIRE_SERVICES") == "1"


def skip_or_fail(reason: str) -> None:
    if require_services():
        pytest.fail(f"REQUIRE_SERVICES=1 but {reason}")
    pytest.skip(reason)


def uses_postgres() -> bool:
    return os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://"))


def chromium_path() -> str | None:
    return os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or shutil.which("chromium-browser")


def redis_url() -> str | None:
    """REDIS_URL when a Redis server answers there."""
    url = os.environ.get("REDIS_URL")
    if not url:
        return None
    try:
        import redis

        redis.Redis.from_url(url, socket_connect_timeout=2).ping()
    except Exception:
        return None
    return url


def use_broker(app, url: str, *, eager: bool) -> None:
    """Point the Celery app at another broker for a test. Producer pools are cached by kombu's
    global registry, by the app and again by its AMQP layer: all three are reset, or publishing
    would keep using the previous broker."""
    from kombu import pools

    app.conf.update(broker_url=url, task_always_eager=eager)
    pools.reset()
    app._pool = None
    app.amqp._producer_pool = None
