import time

import pytest

from fleetui.inventory.sync.read_ahead import read_ahead


def test_items_come_in_order():
    assert list(read_ahead(iter(range(50)))) == list(range(50))


def test_the_next_item_is_fetched_while_the_caller_works_on_this_one():
    fetched: list[int] = []

    def pages():
        for number in range(3):
            fetched.append(number)
            yield number

    reader = read_ahead(pages())
    assert next(reader) == 0
    deadline = time.monotonic() + 5
    while len(fetched) < 2 and time.monotonic() < deadline:
        time.sleep(0.01)
    assert fetched == [0, 1]  # page 1 was fetched before the caller asked for it, and no further
    assert list(reader) == [1, 2]


def test_an_error_is_raised_after_the_items_before_it():
    def pages():
        yield "first"
        raise RuntimeError("page 2 failed")

    reader = read_ahead(pages())
    assert next(reader) == "first"
    with pytest.raises(RuntimeError, match="page 2 failed"):
        next(reader)


def test_the_thread_stops_when_the_caller_stops_early():
    produced: list[int] = []

    def pages():
        for number in range(1000):
            produced.append(number)
            yield number

    reader = read_ahead(pages())
    assert next(reader) == 0
    reader.close()
    # The producer is parked on the full buffer; after close it gives up instead of reading all 1000.
    time.sleep(0.5)
    assert len(produced) <= 3
