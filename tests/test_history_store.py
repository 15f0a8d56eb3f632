"""History queries: filters, paging and deleting whole sessions (store level, no Qt)."""

from __future__ import annotations

import numpy as np
import pytest

from offscript.store.history import HistoryFilter, count_takes, delete_session, query_takes
from offscript.store.records import TakeRecord
from offscript.store.takes import Store

RATE = 16000


def record_take(
    store: Store,
    question_id: str,
    analysis: dict | None = None,
    samples: np.ndarray | None = None,
    session: int | None = None,
    text: str | None = None,
) -> TakeRecord:
    """A finished take with audio (``samples``, default 0.5 s of tone) and an analysis."""
    if session is None:
        session = store.create_session("", "fast")
    row = store.add_question(session, question_id, "bank", text or f"Question {question_id}?", 0)
    take_id, writer = store.start_take(row, RATE, 1)
    if samples is None:
        samples = (0.2 * np.sin(np.arange(RATE // 2) * 0.1)).astype(np.float32)
    writer.write(samples.reshape(-1, 1))
    take = store.finish_take(take_id, writer)
    if analysis is not None:
        store.save_analysis(take.id, analysis, "fast")
    return take


def scored(wpm: float, fillers: float = 2.0, polish: float | None = 0.5) -> dict:
    return {"pace": {"wpm": wpm}, "fillers": {"per_minute": fillers},
            "candour": {"polish_score": polish}, "delivery": {"rehearsed_score": 0.3}}  # fmt: skip


@pytest.fixture
def store():
    s = Store.open()
    yield s
    s.close()


def test_history_filters_by_question_stage_date_and_score(store: Store) -> None:
    slow = record_take(store, "why-us", scored(110), text="Why do you want to work here?")
    fast = record_take(store, "conflict", scored(190, fillers=9.0))
    record_take(store, "conflict", None)  # not analysed: no scores
    assert count_takes(store) == 3
    assert [r.take_id for r in query_takes(store, HistoryFilter(text="WORK HERE"))] == [slow.id]
    by_stage = HistoryFilter(question_ids=("conflict", "other"))
    assert count_takes(store, by_stage) == 2
    assert count_takes(store, HistoryFilter(question_ids=())) == 0
    quick = HistoryFilter(score="wpm", min_score=150)
    assert [r.take_id for r in query_takes(store, quick)] == [fast.id]
    calm = HistoryFilter(score="fillers", max_score=5)
    assert [r.take_id for r in query_takes(store, calm)] == [slow.id]
    today = slow.started_at[:10]
    assert count_takes(store, HistoryFilter(since=today, until=today)) == 3
    assert count_takes(store, HistoryFilter(until="2000-01-01")) == 0
    row = query_takes(store, quick)[0]
    assert (row.wpm, row.fillers, row.polish, row.rehearsed, row.model) == (
        190, 9.0, 0.5, 0.3, "fast")  # fmt: skip
    with pytest.raises(ValueError, match="unknown score"):
        count_takes(store, HistoryFilter(score="charm", min_score=1))


def test_history_pages_newest_first(store: Store) -> None:
    ids = [record_take(store, f"q{i}", scored(100 + i)).id for i in range(7)]
    pages = [query_takes(store, limit=3, offset=o) for o in (0, 3, 6)]
    assert [r.take_id for page in pages for r in page] == ids[::-1]


def test_delete_session_removes_rows_and_files_after_commit(store: Store) -> None:
    session = store.create_session("", "fast")
    takes = [record_take(store, "why-us", scored(120), session=session) for _ in range(2)]
    other = record_take(store, "why-us", scored(130))
    files = [store.audio_file(t) for t in takes]
    assert all(f.is_file() for f in files)
    assert delete_session(store, session)
    assert not any(f.exists() for f in files)
    assert not (store.audio_dir / str(session)).exists()
    assert [r.take_id for r in query_takes(store)] == [other.id]
    assert store.latest_analysis(takes[0].id) is None
    assert store.audio_file(other).is_file()
    assert not delete_session(store, session)
