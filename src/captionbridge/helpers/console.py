"""What a capture of whisper's console holds besides its segments.

Users capture whisper with ``2>&1 | tee``: the segment lines come with whisper.cpp's and ggml's
log lines (``whisper_model_load: ...``, ``system_info: ...``, ``main: processing ...``,
``whisper_print_timings: ...``, ``whisper_print_progress_callback: progress = 100%``),
whisper-stream's ``[Start speaking]`` and ``### Transcription N START/END`` blocks, OpenAI
whisper's language lines, tqdm progress bars and Python warnings. :class:`ConsoleLines` tells
those from speech by their shape (the rule is in docs/bracket.md) and counts them for one
report; :func:`strip_tokens` removes whisper's special tokens (``[_BEG_]``, ``[_TT_123]``,
``<|endoftext|>``, ``[BLANK_AUDIO]``) from segment texts.
"""

from __future__ import annotations

import re

from ..model import Note

__all__ = ["ConsoleLines", "has_tokens", "strip_tokens"]

# Each alternative is one producer's shape; a line is console output when one matches at its
# start. A C function name in snake_case is what whisper.cpp and ggml print before their logs
# (``__func__``); ``main`` and ``init`` are whisper-cli's and whisper-stream's own.
_LOG_LINE = re.compile(
    r"[ \t]*(?:"
    r"(?:[a-z][a-z0-9]*(?:_[a-z0-9]+)+|main|init)[ \t]*:(?:[ \t]|$)"
    r"|Device \d+: "  # ggml_cuda_init's device list, indented under it
    r"|### Transcription \d+ (?:START|END)\b"
    r"|\[Start speaking\][ \t]*$"
    r"|Detecting language using up to the first 30 seconds\."
    r"|Detected language(?:: [A-Z][a-z]+(?: [A-Z][a-z]+)*[ \t]*$| '[^'\n]{1,40}' with probability )"
    r"|(?:[^|\n]{0,80}: *)?\d{1,3}%\|"  # a tqdm bar, with or without a description
    r")"
)
# Python's warning display, "file:line: Category: message"; tried only on lines that hold
# "Warning: " (the lazy scan would otherwise run over every long line of speech)
_WARNING = re.compile(r"[ \t]*\S[^\n]*?:\d+: [A-Z][A-Za-z]*Warning: ")
# what the log says the language is: OpenAI whisper's "Detected language: English" (and
# whisper-ctranslate2's "Detected language 'English' with probability ..."), whisper.cpp's
# "auto-detected language: en (p = 0.97)" and "main: processing ... lang = en, ..."
_LANGUAGE = re.compile(
    r"Detected language(?:: |\s+')([A-Z][a-z]+(?: [A-Z][a-z]+)*)"
    r"|[a-z_]+: auto-detected language: ([a-z]{2,3}) "
    r"|main: processing .*?, lang = ([a-z]{2,3}),"
)
# whisper's language names (openai/whisper tokenizer.py LANGUAGES), to give a code for a name
_NAMES = (
    "en:english,zh:chinese,de:german,es:spanish,ru:russian,ko:korean,fr:french,ja:japanese,"
    "pt:portuguese,tr:turkish,pl:polish,ca:catalan,nl:dutch,ar:arabic,sv:swedish,it:italian,"
    "id:indonesian,hi:hindi,fi:finnish,vi:vietnamese,he:hebrew,uk:ukrainian,el:greek,ms:malay,"
    "cs:czech,ro:romanian,da:danish,hu:hungarian,ta:tamil,no:norwegian,th:thai,ur:urdu,"
    "hr:croatian,bg:bulgarian,lt:lithuanian,la:latin,mi:maori,ml:malayalam,cy:welsh,sk:slovak,"
    "te:telugu,fa:persian,lv:latvian,bn:bengali,sr:serbian,az:azerbaijani,sl:slovenian,"
    "kn:kannada,et:estonian,mk:macedonian,br:breton,eu:basque,is:icelandic,hy:armenian,"
    "ne:nepali,mn:mongolian,bs:bosnian,kk:kazakh,sq:albanian,sw:swahili,gl:galician,mr:marathi,"
    "pa:punjabi,si:sinhala,km:khmer,sn:shona,yo:yoruba,so:somali,af:afrikaans,oc:occitan,"
    "ka:georgian,be:belarusian,tg:tajik,sd:sindhi,gu:gujarati,am:amharic,yi:yiddish,lo:lao,"
    "uz:uzbek,fo:faroese,ht:haitian creole,ps:pashto,tk:turkmen,nn:nynorsk,mt:maltese,"
    "sa:sanskrit,lb:luxembourgish,my:myanmar,bo:tibetan,tl:tagalog,mg:malagasy,as:assamese,"
    "tt:tatar,haw:hawaiian,ln:lingala,ha:hausa,ba:bashkir,jv:javanese,su:sundanese,yue:cantonese"
)
_CODES = {name: code for code, _, name in (pair.partition(":") for pair in _NAMES.split(","))}
_BLOCK_START = re.compile(r"### Transcription \d+ START \| t0 = (\d+) ms")
_BLOCK_PREFIX = "### Transcription "

# a special token with the blanks before it: "Hello [_TT_10] world" -> "Hello world"
_TOKEN = re.compile(r"[ \t]*(?:\[_[A-Za-z0-9_]+\]|<\|[^|<>\s]{1,40}\|>|\[BLANK_AUDIO\])")


def has_tokens(text: str) -> bool:
    """True when ``text`` may hold a special token. The one-character searches come first: they
    run at memchr speed, where ``"[_" in text`` stops at every ``[`` of a long transcript."""
    return ("_" in text and ("[_" in text or "[BLANK_AUDIO]" in text)) or (
        "|" in text and "<|" in text
    )


def strip_tokens(text: str) -> str:
    """``text`` without whisper's special tokens and ``[BLANK_AUDIO]``, stripped."""
    return _TOKEN.sub("", text).strip()


class ConsoleLines:
    """Recognises console lines one at a time and keeps what the report needs.

    Also follows whisper-stream's blocks: segment times inside ``### Transcription N START |
    t0 = T ms`` count from ``T`` (whisper-stream prints them relative to the block's audio)."""

    def __init__(self) -> None:
        self.count = 0
        self.first_line = 0
        self.first_text = ""
        #: milliseconds to add to the times of the segments read now
        self.offset = 0
        #: the language code the log gives, if any (the last one wins)
        self.language: str | None = None
        self.blocks = 0
        self._after_warning = False

    def take(self, line: str, number: int) -> bool:
        """True when ``line`` (line ``number`` of the input) is console output; it is counted."""
        if self._after_warning and line[:1] in (" ", "\t"):
            self._after_warning = False  # the source line Python shows under a warning
        elif "Warning: " in line and _WARNING.match(line) is not None:
            self._after_warning = True
        elif _LOG_LINE.match(line) is None:
            self._after_warning = False
            return False
        else:
            self._after_warning = False
            if "language" in line or "lang = " in line:
                self._language(line)
            if line.startswith(_BLOCK_PREFIX):
                start = _BLOCK_START.match(line)
                self.offset = int(start.group(1)) if start else 0
                self.blocks += start is not None
        if not self.count:
            self.first_line = number
            self.first_text = line.strip()
        self.count += 1
        return True

    def _language(self, line: str) -> None:
        found = _LANGUAGE.search(line)
        if found is None:
            return
        name, detected, given = found.groups()
        code = _CODES.get(name.lower()) if name else detected or given
        if code is not None:
            self.language = code

    def note(self, source: str) -> Note | None:
        """The report of the skipped lines, or ``None`` when there were none."""
        if not self.count:
            return None
        extra = "" if self.language is None else f"; language {self.language!r} from the log"
        if self.blocks:
            extra += f"; the times of {self.blocks} whisper-stream block(s) count from its t0"
        return Note(
            f"skipped {self.count} console line(s) that are not speech (logs, progress,"
            f" timings), the first: {self.first_text[:80]!r}{extra}",
            source,
            self.first_line,
        )
