"""Fetch the next page while the caller stores this one.

A sync spends most of its time waiting for AWS to build and send the next page. Reading one page
ahead in a thread overlaps that wait with the transform and the database writes of the page in hand,
so a sync costs little more than the fetch alone. Only the producer thread calls AWS (botocore
clients are thread-safe); the database is used only by the caller's thread.
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Iterator
from typing import Any, TypeVar

T = TypeVar("T")
_POLL = 0.1


def read_ahead(items: Iterator[T], *, depth: int = 1) -> Iterator[T]:
    """Yield what `items` yields, in order, with up to `depth` items fetched ahead in a thread.

    An exception raised by `items` is raised here, after every item before it was yielded. If the
    caller stops early, the thread stops after the item it is fetching (it is never joined: a fetch
    can take as long as the read timeout).
    """
    buffer: queue.Queue[tuple[str, Any]] = queue.Queue(maxsize=depth)
    stop = threading.Event()

    def put(entry: tuple[str, Any]) -> bool:
        while not stop.is_set():
            try:
                buffer.put(entry, timeout=_POLL)
                return True
            except queue.Full:
                continue
        return False

    def produce() -> None:
        try:
            for item in items:
                if not put(("item", item)):
                    return
        except BaseException as error:  # handed to the caller's thread, which raises it
            put(("error", error))
        else:
            put(("done", None))

    threading.Thread(target=produce, name="fleetui-read-ahead", daemon=True).start()
    try:
        while True:
            kind, value = buffer.get()
            if kind == "done":
                return
            if kind == "error":
                raise value
            yield value
    finally:
        stop.set()
