"""A Redis cache that degrades instead of failing: the cache only saves work, so when Redis is
unreachable a read is a miss and a write is dropped (with a warning in the log), and the page is
computed as if nothing had been cached. Every use of Django's cache goes through it."""

from __future__ import annotations

import functools
import logging
from typing import Any

from django.core.cache.backends.redis import RedisCache
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)


def _degrade(fallback: Any):
    """Wrap a cache method: on a Redis error log it and return ``fallback`` (or the default)."""

    def decorate(method):
        @functools.wraps(method)
        def wrapper(self, *args, **kwargs):
            try:
                return method(self, *args, **kwargs)
            except (RedisError, OSError) as error:
                logger.warning("cache %s skipped, Redis unreachable: %s", method.__name__, error)
                if method.__name__ == "get":
                    return kwargs.get("default", args[1] if len(args) > 1 else None)
                return fallback() if callable(fallback) else fallback

        return wrapper

    return decorate


class DegradingRedisCache(RedisCache):
    """RedisCache whose errors become misses and dropped writes (see the module docstring)."""

    get = _degrade(None)(RedisCache.get)
    set = _degrade(None)(RedisCache.set)
    add = _degrade(False)(RedisCache.add)
    touch = _degrade(False)(RedisCache.touch)
    delete = _degrade(False)(RedisCache.delete)
    get_many = _degrade(dict)(RedisCache.get_many)
    set_many = _degrade(list)(RedisCache.set_many)
    delete_many = _degrade(None)(RedisCache.delete_many)
    has_key = _degrade(False)(RedisCache.has_key)
    clear = _degrade(False)(RedisCache.clear)

    def incr(self, key, delta=1, version=None):
        try:
            return super().incr(key, delta, version)
        except (RedisError, OSError) as error:
            # incr of a missing key raises ValueError in Django's contract: an unreachable cache
            # holds no key, so callers treat it as missing.
            logger.warning("cache incr skipped, Redis unreachable: %s", error)
            raise ValueError(f"Key {key!r} not found (cache unreachable).") from error
