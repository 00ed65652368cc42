"""`shared_cache`: functools.lru_cache for a server whose handlers run on many threads at once.

lru_cache alone lets every thread that asks before the first answer is ready compute it too: a class opening
a tab at the same moment rendered the digits (seconds of Python each) once per section, all fighting for the
same core, so the first picture took half a minute. Here the first asker computes, the others wait for it.
"""

import functools
import threading


def shared_cache(maxsize: int | None = 8):
    """Decorator: cache like `functools.lru_cache(maxsize)`, computing each key once even when asked at once."""
    def decorate(function):
        cached = functools.lru_cache(maxsize=maxsize)(function)
        guard, locks = threading.Lock(), {}  # one lock per key (keys are small: names, a settings' JSON)

        @functools.wraps(function)
        def wrapper(*args, **kwargs):
            key = (args, tuple(sorted(kwargs.items())))
            with guard:
                lock = locks.setdefault(key, threading.Lock())
            with lock:
                return cached(*args, **kwargs)

        wrapper.cache_clear, wrapper.cache_info = cached.cache_clear, cached.cache_info
        return wrapper
    return decorate
