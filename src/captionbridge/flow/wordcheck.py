"""Keep word timings honest: after a transform, words that no longer spell their turn go.

A transform that rewrites text (SDH removal, a plugin's clean-up...) may not know about word
timings. Rather than let stale words reach a karaoke writer, the pipeline checks every turn that
has words after each stage and drops the words of a turn whose text they no longer spell,
with one note saying how many turns lost them and which step changed them.
"""

from __future__ import annotations

from dataclasses import replace

from ..model import Columns, Content, Note, Transcript, Turn, words_agree

__all__ = ["drop_stale_words"]


def drop_stale_words(transcript: Transcript, step: str) -> Transcript:
    """``transcript`` with the words of every turn that ``step`` left out of agreement
    dropped, and a note counting them; the same object when nothing had to change."""
    starts, ends, contents = transcript.columns()
    fixed: dict[int, Content] = {}
    dropped = 0
    for index in transcript.turned_indexes():
        content = contents[index]
        assert not isinstance(content, str)
        if all(words_agree(turn) for turn in content):
            continue
        turns: list[Turn] = []
        for turn in content:
            if words_agree(turn):
                turns.append(turn)
            else:
                dropped += 1
                turns.append(replace(turn, words=()))
        fixed[index] = tuple(turns)
    if not fixed:
        return transcript
    new_contents = [fixed.get(i, content) for i, content in enumerate(contents)]
    note = Note(
        f"{step} changed the text of {dropped} turn(s) without their word timings; "
        "those word timings were dropped",
        transcript.source,
    )
    return transcript.with_columns(Columns(starts, ends, new_contents)).with_notes(note)
