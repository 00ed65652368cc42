"""The server's memory over a lesson (bench/memory.py measures it): glibc's malloc gives each thread that allocates
a heap of its own (an "arena", up to 8 per core) and keeps what is freed there for that thread's next allocation
rather than handing it back. Gradio answers events on many worker threads, and a training frees hundreds of MB of
images and tensors, so the freed memory piled up in many arenas. Two arenas, and a trim after each training, hand
it back. Elsewhere than glibc (macOS, musl) both do nothing.
"""

import ctypes
import ctypes.util
import gc

M_ARENA_MAX = -8  # mallopt's parameter number for the arena limit (glibc's malloc.h)
ARENAS = 2


def _glibc():
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
        return libc if hasattr(libc, "malloc_trim") and hasattr(libc, "mallopt") else None
    except OSError:
        return None


LIBC = _glibc()


def fewer_arenas(count: int = ARENAS) -> None:
    """At start-up, before the threads: at most `count` malloc arenas for the whole process."""
    if LIBC is not None:
        LIBC.mallopt(M_ARENA_MAX, count)


def give_back() -> None:
    """After a training: collect Python's cycles (models, graphs), then return free heap pages to the system."""
    gc.collect()
    if LIBC is not None:
        LIBC.malloc_trim(0)
