"""Local, model-free text analysis for the write path.

Everything here is rules over words: it runs in microseconds, works offline and never
calls a model, so every turn can be remembered with no latency the person would notice.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from bm25s.stopwords import STOPWORDS_EN

from memory.errors import InvalidMemoryText

MAX_MESSAGE_CHARS = 20_000  # longer input is refused rather than silently cut
MAX_RECORD_CHARS = 1_000  # one record's text; longer messages become several records

# Words that carry no memory on their own: stopwords plus chat filler.
FILLER = frozenset(STOPWORDS_EN) | frozenset(
    [
        "i",
        "me",
        "my",
        "mine",
        "myself",
        "you",
        "your",
        "yours",
        "we",
        "us",
        "our",
        "it's",
        "i'm",
        "i've",
        "i'd",
        "i'll",
        "that's",
        "so",
        "just",
        "really",
        "too",
        "very",
        "oh",
        "wow",
        "yeah",
        "yes",
        "yep",
        "nope",
        "hey",
        "hi",
        "hello",
        "thanks",
        "thank",
        "awesome",
        "great",
        "cool",
        "amazing",
        "nice",
        "good",
        "glad",
        "sounds",
        "sound",
        "totally",
        "lot",
        "what's",
        "how's",
        "ok",
        "okay",
        "sure",
        "haha",
        "lol",
        "please",
        "right",
        "well",
        "also",
        "much",
        "can",
        "could",
        "would",
        "should",
        "will",
        "do",
        "does",
        "did",
        "done",
        "got",
        "get",
        "like",
        "love",
    ]
)
_QUERY_FILLER = frozenset(
    [
        "what",
        "when",
        "who",
        "whom",
        "how",
        "why",
        "which",
        "where",
        "has",
        "have",
        "had",
        "kind",
        "type",
    ]
)

_SENTENCE = re.compile(r"(?<=[.!?…])\s+|\n+")
_WORD = re.compile(r"[^\W_]+(?:'[^\W_]+)?", re.UNICODE)
_INVISIBLE = {"Cc", "Cf", "Cs", "Co", "Cn"}

MONTHS = [
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
]
_NOT_NAMES = (
    frozenset(FILLER)
    | frozenset(
        [
            "monday",
            "tuesday",
            "wednesday",
            "thursday",
            "friday",
            "saturday",
            "sunday",
            "today",
            "tomorrow",
            "yesterday",
            "god",
            "lol",
            "omg",
            "ai",
            "mr",
            "mrs",
            "ms",
            "dr",
            "english",
        ]
    )
    | frozenset(MONTHS)
    | frozenset(
        # Capitalised mid-sentence but not people: languages and nationalities, software,
        # services and devices people chat about, holidays. Without these, "my Python
        # script" would add a person called Python whom the social module then suggests
        # calling.
        [
            "arabic",
            "chinese",
            "dutch",
            "french",
            "german",
            "greek",
            "hindi",
            "italian",
            "japanese",
            "korean",
            "polish",
            "portuguese",
            "russian",
            "spanish",
            "swedish",
            "turkish",
            "ukrainian",
            "american",
            "british",
            "canadian",
            "australian",
            "irish",
            "scottish",
            "welsh",
            "european",
            "african",
            "asian",
            "indian",
            "mexican",
            "brazilian",
            "python",
            "java",
            "javascript",
            "typescript",
            "rust",
            "golang",
            "kotlin",
            "perl",
            "php",
            "html",
            "css",
            "sql",
            "linux",
            "windows",
            "macos",
            "ios",
            "android",
            "ubuntu",
            "excel",
            "powerpoint",
            "outlook",
            "google",
            "gmail",
            "chrome",
            "firefox",
            "safari",
            "youtube",
            "netflix",
            "spotify",
            "instagram",
            "facebook",
            "whatsapp",
            "tiktok",
            "twitter",
            "reddit",
            "discord",
            "slack",
            "zoom",
            "teams",
            "amazon",
            "ebay",
            "uber",
            "airbnb",
            "iphone",
            "ipad",
            "kindle",
            "playstation",
            "xbox",
            "nintendo",
            "lego",
            "wifi",
            "bluetooth",
            "github",
            "chatgpt",
            "christmas",
            "easter",
            "halloween",
            "thanksgiving",
            "ramadan",
            "diwali",
            "hanukkah",
            "eid",
        ]
    )
)

RELATIONS = [
    "mother",
    "mom",
    "mum",
    "father",
    "dad",
    "parent",
    "sister",
    "brother",
    "sibling",
    "son",
    "daughter",
    "child",
    "kid",
    "wife",
    "husband",
    "partner",
    "boyfriend",
    "girlfriend",
    "fiance",
    "fiancee",
    "friend",
    "bestie",
    "colleague",
    "coworker",
    "boss",
    "manager",
    "neighbour",
    "neighbor",
    "roommate",
    "flatmate",
    "aunt",
    "uncle",
    "cousin",
    "grandma",
    "grandmother",
    "grandpa",
    "grandfather",
    "niece",
    "nephew",
    "teacher",
    "therapist",
    "doctor",
    "coach",
    "mentor",
]
_REL = "|".join(RELATIONS)
_NAME = r"([A-Z][\w'-]+(?:\s[A-Z][\w'-]+)?)"
_RELATION_PATTERNS = (
    re.compile(rf"\b[Mm]y (?:best |older |younger |little |big )?({_REL})(?:,)? {_NAME}"),
    re.compile(rf"{_NAME}(?:,)? (?:is |was )?my (?:best |older |younger |little |big )?({_REL})\b"),
)

_SLOT_PATTERNS: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"\bmy (?:favou?rite) ([a-z]+(?: [a-z]+)?) (?:is|are) (.+)", re.I), "favorite {0}"),
    (re.compile(r"\bi (?:now )?live in (.+)", re.I), "home"),
    (re.compile(r"\bi(?:'ve| have)? moved to (.+)", re.I), "home"),
    (re.compile(r"\bi (?:now )?work (?:as|at|for) (.+)", re.I), "work"),
    (re.compile(r"\bmy ([a-z]+)'s name is (.+)", re.I), "name of {0}"),
    (re.compile(r"\bi(?:'m| am) (\d{1,3}) (?:years old|now)\b", re.I), "age"),
    (re.compile(r"\bmy birthday is (.+)", re.I), "birthday"),
)

_PREFERENCE = re.compile(
    r"\b(i (?:really )?(?:love|like|enjoy|prefer|hate|dislike|adore)|i'm (?:a )?(?:big )?fan of|"
    r"my favou?rite|can't stand|i'm into)\b",
    re.I,
)
_EVENT = re.compile(
    r"\b(yesterday|today|tonight|last (?:week|month|year|night|weekend)|this (?:week|weekend|"
    r"morning)|next (?:week|month|year)|tomorrow|went|visited|started|finished|got|had|met|"
    r"moved|joined|bought|won|lost|will|going to|planning|plan to|\d{4})\b",
    re.I,
)
_EMOTION = re.compile(
    r"\b(love|hate|afraid|scared|worried|anxious|proud|excited|sad|happy|grief|died|passed away|"
    r"diagnos\w*|married|divorc\w*|pregnant|born|job|promot\w*|fired|graduat\w*|important)\b",
    re.I,
)


def clean(text: str, *, limit: int = MAX_MESSAGE_CHARS) -> str:
    """Normalise unicode and drop invisible/control characters; refuse empty or huge text."""
    if not isinstance(text, str):
        raise InvalidMemoryText(f"memory text must be a string, got {type(text).__name__}")
    if len(text) > limit:
        raise InvalidMemoryText(
            f"text is too long ({len(text):,} characters; the limit is {limit:,})"
        )
    text = unicodedata.normalize("NFC", text)
    out = []
    for ch in text:
        if ch in "\n\t":
            out.append("\n" if ch == "\n" else " ")
        elif unicodedata.category(ch) not in _INVISIBLE or ch == "\u200d":  # keep emoji joiners
            out.append(ch)
    cleaned = re.sub(r"[ \u00a0]+", " ", "".join(out))
    cleaned = re.sub(r"\s*\n\s*", "\n", cleaned).strip()
    if not cleaned:
        raise InvalidMemoryText("memory text is empty (nothing left after removing blanks)")
    return cleaned


def words(text: str) -> list[str]:
    return [w.lower() for w in _WORD.findall(text)]


def content_words(text: str) -> list[str]:
    return [w for w in words(text) if w not in FILLER and len(w) > 1]


def query_words(text: str) -> list[str]:
    return [w for w in content_words(text) if w not in _QUERY_FILLER]


def sentences(text: str) -> list[str]:
    return [s.strip() for s in _SENTENCE.split(text) if s and s.strip()]


_SIGN_OFF = re.compile(
    r"^\W*(ok(ay)?|right|well|anyway|alright)?[,\s]*(i (need|have|gotta|got) to go|i'?m off|"
    r"gotta go|(good ?night|night night|bye|goodbye|see (you|ya)|talk (to you )?(later|soon|"
    r"tomorrow)|ttyl)\b|(i'?m )?(going|off|heading) to (bed|sleep)|i (need|should|have) to "
    r"(go to )?(sleep|bed))",
    re.I,
)


def is_chatter(sentence: str) -> bool:
    """Greetings, thanks, sign-offs, short reactions and small questions: nothing to keep."""
    if _SIGN_OFF.search(sentence):
        return True
    n = len(content_words(sentence))
    if sentence.rstrip().endswith("?") and n < 4:
        return True
    return n < 2


_LABEL = re.compile(r"^([A-Z][\w'-]*(?: [A-Z][\w'-]*)?): ")


def memorable_parts(text: str) -> list[str]:
    """The message without chatter, cut into record-sized pieces (empty when nothing is left).

    A leading speaker label ("Ana: ...", as in transcripts) is kept on every piece but not
    counted as content, so "Ana: Thanks!" is still chatter.
    """
    label = _LABEL.match(text)
    if label:
        body = text[label.end() :]
        return [f"{label.group(1)}: {part}" for part in memorable_parts(body)] if body else []
    kept = [s for s in sentences(text) if not is_chatter(s)]
    parts: list[str] = []
    current = ""
    for sentence in kept:
        while len(sentence) > MAX_RECORD_CHARS:  # one enormous sentence: cut at a space
            cut = sentence.rfind(" ", 0, MAX_RECORD_CHARS)
            cut = cut if cut > MAX_RECORD_CHARS // 2 else MAX_RECORD_CHARS
            if current:
                parts.append(current)
                current = ""
            parts.append(sentence[:cut].strip())
            sentence = sentence[cut:].strip()
        if current and len(current) + 1 + len(sentence) > MAX_RECORD_CHARS:
            parts.append(current)
            current = ""
        current = f"{current} {sentence}".strip()
    if current:
        parts.append(current)
    return parts


@dataclass
class Analysis:
    kind: str
    people: list[str]
    relations: dict[str, str] = field(default_factory=dict)
    importance: float = 0.5
    slot: str | None = None
    slot_value: str | None = None


def people_in(text: str, known: set[str] | frozenset[str] = frozenset()) -> list[str]:
    """Names in ``text``: capitalised words that are not sentence openers or common words.

    A sentence's first word counts only when it is already a known person or stands as a
    speaker label ("Ana: ..."), so "Running is fun" does not invent a person called Running.
    """
    found: list[str] = []
    for sentence in sentences(text):
        tokens = list(re.finditer(r"[A-Z][\w'-]*", sentence))
        for match in tokens:
            name = match.group(0).removesuffix("'s").rstrip("'")
            if len(name) < 2 or name.lower() in _NOT_NAMES or name.isupper():
                continue
            before = sentence[: match.start()]
            at_start = before.strip(" \"'([-") == ""
            if re.search(r"\b(?:in|to|from|at|near|visit(?:ed|ing)?)\s+$", before, re.I):
                continue  # "moved to Lisbon": most likely a place
            label = sentence[match.end() : match.end() + 1] == ":"
            if at_start and not label and name not in known:
                continue
            if name not in found:
                found.append(name)
    return found


def relations_in(text: str) -> dict[str, str]:
    out: dict[str, str] = {}
    for pattern in _RELATION_PATTERNS:
        for match in pattern.finditer(text):
            a, b = match.groups()
            relation, name = (a, b) if a.lower() in RELATIONS else (b, a)
            if name.lower() not in _NOT_NAMES:
                out[name] = relation.lower()
    return out


def slot_of(text: str) -> tuple[str, str] | None:
    """("favorite color", "green") for "My favourite color is green.", else None."""
    for pattern, template in _SLOT_PATTERNS:
        match = pattern.search(text)
        if match:
            groups = [g.strip().lower() for g in match.groups()]
            key = template.format(*groups[:-1]) if "{0}" in template else template
            value = re.split(r"[.!?,;]| but | and ", groups[-1])[0].strip()
            if value:
                return key, value
    return None


def analyse(text: str, known_people: set[str] | frozenset[str] = frozenset()) -> Analysis:
    relations = relations_in(text)
    people = people_in(text, known_people | set(relations))
    for name in relations:
        if name not in people:
            people.append(name)
    slot = slot_of(text)
    if relations or (people and re.search(rf"\b({_REL})\b", text, re.I)):
        kind = "person"
    elif _PREFERENCE.search(text) or (slot and slot[0].startswith("favorite")):
        kind = "preference"
    elif _EVENT.search(text):
        kind = "event"
    else:
        kind = "fact"
    n_content = len(content_words(text))
    importance = 0.3 + min(n_content, 20) / 100
    importance += 0.15 if _EMOTION.search(text) else 0.0
    importance += 0.1 if people else 0.0
    importance += 0.1 if slot or kind in ("preference", "person") else 0.0
    importance += 0.05 if re.search(r"\d", text) else 0.0
    return Analysis(
        kind=kind,
        people=people,
        relations=relations,
        importance=round(min(importance, 1.0), 3),
        slot=slot[0] if slot else None,
        slot_value=slot[1] if slot else None,
    )
