"""Characters no caption format should receive, mapped before any writer sees the text.

Transcripts from unattended pipelines carry what speech-to-text and earlier tools leave behind:
NUL and other control characters, lone surrogates from broken UTF-16, carriage returns, Unicode
line and paragraph separators. Every writer gets its text through :func:`safe_for_writers`
(called by :func:`captionbridge.flow.pipeline.produce`), which maps them once, the same way for all:

- CR, CR LF, U+2028 and U+2029 become a line break (``\\n``);
- the other C0 controls but TAB and LF, DEL and the C1 controls are removed;
- lone surrogates become U+FFFD (the replacement character);
- the noncharacters U+FFFE and U+FFFF are removed.

Zero-width characters, bidi controls, combining marks and emoji sequences are text and are kept;
each writer still escapes what its own format treats as markup.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from itertools import chain

from ..helpers.pieces import joined_pieces
from ..helpers.render import turn_texts
from ..helpers.words import with_text
from ..model import Content, Note, Speaker, Transcript

__all__ = ["safe_for_writers", "safe_text"]

# patterns, compiled by re (and cached there) the first time a text needs them: most runs only
# ever call isprintable(), and compiling these wide character classes costs start-up time
_HOSTILE = "[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff\ufffe\uffff]"
_BREAKS = "\r\n|[\r\u2028\u2029]"
_DROPPED = "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffe\uffff]"
_SURROGATE = "[\ud800-\udfff]"


def safe_text(text: str) -> str:
    """``text`` with the characters above mapped (returned as is when there are none)."""
    if _is_safe(text):
        return text
    text = re.sub(_BREAKS, "\n", text)
    text = re.sub(_DROPPED, "", text)
    return re.sub(_SURROGATE, "\ufffd", text)


def _content_texts(contents: Sequence[Content], turned: list[int]) -> Iterator[str]:
    """Every cue text joined, a piece at a time (with spaces: line breaks are for the regex
    to look at); the turns' texts after the plain ones."""
    if not turned:
        return joined_pieces(contents, " ")  # type: ignore[arg-type]  # plain cues: joins in C
    plain = list(contents)
    for i in turned:
        plain[i] = ""
    texts = turn_texts(contents, turned)
    return chain(joined_pieces(plain, " "), joined_pieces(texts, " "))  # type: ignore[arg-type]


def _is_safe(text: str) -> bool:
    # every character mapped here is unprintable: isprintable() clears most texts faster than
    # the regex; it also refuses line breaks, tabs and harmless format characters, which the
    # regex then looks at
    return text.isprintable() or re.search(_HOSTILE, text) is None


def safe_for_writers(transcript: Transcript, notes: list[Note] | None = None) -> Transcript:
    """The transcript with every cue text and speaker name made safe; the same object when
    nothing needed mapping. A note counting the changed cues goes to ``notes``."""
    starts, ends, contents = transcript.columns()
    names = "\n".join(s.label for s in transcript.speakers.values())
    texts = _content_texts(contents, transcript.turned_indexes())
    if _is_safe(names) and all(map(_is_safe, texts)):
        return transcript
    changed = 0
    fixed: list[object] = []
    for content in contents:
        if isinstance(content, str):
            new: object = safe_text(content)
        else:
            new = tuple(with_text(t, safe_text(t.text)) for t in content)
        changed += new != content
        fixed.append(new)
    speakers = {
        key: Speaker(s.id, s.name if _is_safe(s.label) else safe_text(s.label), s.color)
        for key, s in transcript.speakers.items()
    }
    if notes is not None and changed:
        notes.append(
            Note(
                f"{changed} cue(s) held control characters, lone surrogates or line separators;"
                " mapped (see SECURITY.md)",
                transcript.source,
            )
        )
    return Transcript.from_columns(
        starts,
        ends,
        fixed,  # type: ignore[arg-type]
        speakers=speakers,
        language=transcript.language,
        source=transcript.source,
        notes=transcript.notes,
    )
