"""SCC scheduling helpers: packing units of byte pairs around taken frames."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from captionbridge.plugins.broadcast import scc_timeline
from captionbridge.plugins.broadcast.scc_timeline import pack_after, pack_before

units_st = st.lists(st.integers(1, 4).map(lambda n: b"\x80" * 2 * n), min_size=1, max_size=12)
taken_st = st.lists(st.integers(0, 60), max_size=6, unique=True)


def _brute_before(units: list[bytes], taken: set[int], floor: int, end: int) -> list[int]:
    """The former algorithm: each unit, last first, at the highest free place below the next."""
    places: list[int] = []
    cursor = end
    for unit in reversed(units):
        n = len(unit) // 2
        at = cursor - n
        while at >= floor and not taken.isdisjoint(range(at, at + n)):
            at -= 1
        if at < floor:
            return []
        places.append(at)
        cursor = at
    return places[::-1]


def _brute_after(units: list[bytes], taken: set[int], floor: int) -> tuple[list[int], int]:
    places: list[int] = []
    cursor = floor
    for unit in units:
        n = len(unit) // 2
        while not taken.isdisjoint(range(cursor, cursor + n)):
            cursor += 1
        places.append(cursor)
        cursor += n
    while cursor in taken:
        cursor += 1
    return places, cursor


@given(units_st, taken_st, st.integers(0, 30), st.integers(0, 70))
def test_pack_before_matches_the_plain_search(
    units: list[bytes], taken: list[int], floor: int, end: int
) -> None:
    assert pack_before(units, taken, floor, end) == _brute_before(units, set(taken), floor, end)


@given(units_st, taken_st, st.integers(0, 30))
def test_pack_after_matches_the_plain_search(
    units: list[bytes], taken: list[int], floor: int
) -> None:
    assert pack_after(units, taken, floor) == _brute_after(units, set(taken), floor)


def test_grid_keeps_rows_on_screen_and_near_centre() -> None:
    for width in range(1, 33):
        column = (32 - width) // 2
        on_grid = scc_timeline._grid(column, width)
        assert on_grid % 4 == 0 and on_grid + width <= 32 and abs(on_grid - column) <= 2


def test_each_step_is_smaller_or_equal() -> None:
    rows = ("An odd row of text, centred", "then a second row")
    sizes = [sum(len(u) // 2 for u in scc_timeline.load_units(rows, s)) for s in range(5)]
    assert sizes == sorted(sizes, reverse=True) and sizes[0] > sizes[-1]
    whole = scc_timeline.load_bytes(rows)
    assert b"".join(scc_timeline.load_units(rows, 0)) == whole
    assert scc_timeline.load_sizes(rows, len(whole) // 2) == sizes


@given(
    st.lists(
        st.text(alphabet=st.sampled_from("ab ÅÉ♪«"), min_size=1, max_size=32),
        min_size=1,
        max_size=4,
    )
)
def test_load_sizes_count_the_units(rows: list[str]) -> None:
    whole = len(scc_timeline.load_bytes(rows)) // 2
    sizes = [sum(len(u) // 2 for u in scc_timeline.load_units(rows, s)) for s in range(5)]
    assert scc_timeline.load_sizes(rows, whole) == sizes
