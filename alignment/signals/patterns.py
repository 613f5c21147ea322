"""Hand-written phrase patterns: high-precision crisis phrases and lexical cues per signal.

Why patterns beside the classifier: explicit statements of suicidal intent must fire even when
the embedding is diluted (long messages, typos, other languages), and a matched phrase gives the
person a concrete reason ("'want to die'") instead of a bare number. Cues for the other
signals are features for the classifier and sources for reasons, never verdicts on their own.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from alignment.signals.names import SIGNAL_NAMES

_I = r"(?:i|i'm|im|i am|i've|ive|i have|i'd|i'll|ill|me|my)"
_WANT = (
    r"(?:want(?:ed)?|wanna|going|gonna|planning|plan|thinking (?:about|of)|thought about|"
    r"might|will|need|urge|tempted|about|ready|trying|tried)"
)
_SELF_HARM_VERBS = r"(?:kill|hurt|harm|cut|burn|hang|drown|shoot|starve|poison|end)"

# Each pattern states intent or ideation in the first person; third-person mentions
# ("my friend is suicidal", "suicide prevention") and idioms ("deadline is killing me",
# "dying to see it") are deliberately not matched.
CRISIS_PATTERNS: tuple[re.Pattern[str], ...] = tuple(
    re.compile(p, re.IGNORECASE)
    for p in (
        r"\bkill(?:ing)?\s+my\s?self\b",
        r"\bkms\b",
        r"\bunalive (?:my\s?self|me)\b",
        rf"\b{_WANT}\s+(?:to\s+)?{_SELF_HARM_VERBS}\s+my\s?self\b",
        r"\b(?:cutting|cut|burn(?:ed|t|ing)?|hurt(?:ing)?|harm(?:ing)?)\s+my\s?self\b"
        r"[^.?!\n]{0,25}\b(?:again|on purpose|to feel)",
        r"\b(?:thinking|thought|think)s?\s+(?:about|of)\s+(?:suicide|dying|ending (?:it|my life|"
        r"things|it all)|(?:hurting|harming|cutting|killing) my\s?self)\b",
        r"\bwhat i (?:might|could|will) do to my\s?self\b",
        r"\bend my\s?self\b",
        r"\bpoint (?:of|in) (?:living|being alive|going on)\b",
        r"\b(?:no ?one|nobody) would (?:care|notice|miss me|even notice)\b[^.?!\n]{0,20}"
        r"\bif i (?:died|was gone|were gone|disappeared|was dead)\b",
        r"\bwant (?:it all|everything|it) to (?:end|stop)\b",
        r"\bsleep forever\b",
        r"\b(?:been|started|keep|kept)\s+(?:cutting|self[- ]?harming|hurting myself)\b",
        r"\bthoughts? (?:of|about) (?:self[- ]?harm|suicide|killing myself|dying|ending it)\b",
        r"\b(?:i|im|i'm|i am|i feel|i've been|ive been|i was|i get)\b[^.?!\n]{0,20}"
        r"\bsuicidal\b",
        r"^\W*suicidal\b",
        rf"\b{_I}\b[^.?!\n]{{0,25}}\bsuicide\b(?!\s+(?:squad|prevention|hotline|awareness))",
        r"\b(?:want(?:ed)?|wanna|wish(?:ing)?|ready|going|gonna)\s+(?:to\s+)?die\b"
        r"(?!\s+(?:of|for|from|laughing|in a (?:game|ditch)))",
        r"\b(?:want|wish|rather)\s+(?:to\s+)?(?:be|was|were|i was|i were)\s+dead\b",
        r"\bbetter off (?:dead|without me|if i (?:just )?(?:was|were|wasn't|weren't) "
        r"(?:gone|here|around))",
        r"\b(?:better|happier|easier) (?:off )?(?:without me|if i (?:was|were) gone|if i "
        r"(?:wasn't|weren't) here)",
        r"\b(?:don'?t|do not|dont)\s+want\s+to\s+(?:live|be alive|exist|wake up|be here)\b",
        r"\b(?:end(?:ing)?|take|taking|took)\s+my\s+(?:own\s+)?life\b",
        r"\bend(?:ing)?\s+it\s+all\b",
        r"\b(?:gonna|going to|will|want to|planning to)\s+end\s+(?:it|things|everything)\b",
        r"\b(?:no|not any|isn't any|don't see a|dont see a|can't see any|cant see any)\s+"
        r"reason\s+to\s+(?:live|keep living|go on|stay|be alive)\b",
        r"\blife (?:isn't|is not|isnt|is no longer|aint) worth living\b",
        r"\bnot worth living\b",
        r"\b(?:sleep|go to sleep) (?:and never|forever and never|and not) wake up\b",
        r"\bnever wake up\b",
        r"\bnot waking up\b",
        r"\b(?:all|whole bottle of|all of) my (?:pills|meds|medication|sleeping pills)\b",
        r"\bways? to (?:die|kill myself|end (?:it|things|my life))\b",
        r"\bleast painful way to die\b",
        r"\bwrit(?:ten|ing|e) (?:the|my) (?:suicide |goodbye )?(?:note|letters?)\b",
        r"\b(?:jump|jumping) (?:off|from) (?:the|a) (?:roof|bridge|building|balcony)\b",
        r"\bi'?d rather be dead\b",
        r"\bwish i (?:was|were|'d|had) never (?:been )?born\b",
        r"\bstop existing\b",
        r"\btired of (?:existing|being alive|living)\b",
        # Warning signs without the words "die" or "suicide": giving possessions away,
        # gathering the means, announcing one will not be around.
        r"\b(?:giv(?:e|ing|en)|gave) (?:away )?(?:all )?(?:of )?my (?:things|stuff|belongings|"
        r"possessions)(?: away)?\b",
        r"\b(?:whole|entire) (?:bottle|packet|box) of (?:pills|tablets|meds|painkillers)\b",
        r"\btake the whole bottle\b",
        r"\b(?:stockpil\w*|hoard\w*|saving up|saved up) (?:my |some |the )?"
        r"(?:pills|meds|medication|prescriptions?|tablets|painkillers)\b",
        r"\bwon'?t be (?:around|here) (?:much longer|for (?:much )?long)\b",
        r"\bnoose\b",
        r"\bstep(?:ping)? in front of (?:a|the) (?:train|bus|truck|lorry)\b",
        # A few other languages: MiniLM is English-only, so these carry the recall there.
        r"\bquiero (?:morir(?:me)?|matarme|suicidarme)\b",
        r"\bme quiero (?:matar|morir)\b",
        r"\bje veux (?:mourir|me tuer|me suicider)\b",
        r"\bich (?:will|möchte|moechte) (?:sterben|mich umbringen|nicht mehr leben)\b",
        r"\bvoglio (?:morire|uccidermi|ammazzarmi)\b",
        r"\bquero (?:morrer|me matar)\b",
    )
)

# Idioms that borrow crisis words for everyday things. When one of these is present and no
# explicit crisis phrase is, the classifier's crisis score is damped (not zeroed): the
# embedding alone reads "dying to see it" as close to "dying".
CRISIS_IDIOMS: tuple[re.Pattern[str], ...] = tuple(
    re.compile(p, re.IGNORECASE)
    for p in (
        r"\bdying (?:to|for)\b",
        r"\b(?:die|kill) for (?:a|an|some|my|the)\b",
        r"\b(?:is|are|was|were|'s|'re) (?:killing|murdering) (?:me|my)\b",
        r"\bkill(?:ed|ing)? (?:it|time|the (?:process|lights|mood|engine|task))\b",
        r"\b(?:died|dying|dead|die) (?:of |from )?(?:laughing|laughter|embarrassment|boredom|"
        r"cringe)\b",
        r"\bdead (?:tired|serious|on|wrong|battery)\b",
        r"\b(?:phone|battery|laptop|car|plant|game|party|conversation)(?:'s| is| was)? "
        r"(?:dead|died|dying)\b",
        r"\bdeath of me\b|\bdeath by\b",
    )
)


def crisis_idiom(text: str) -> re.Match[str] | None:
    for pattern in CRISIS_IDIOMS:
        found = pattern.search(text)
        if found:
            return found
    return None


CRISIS_PATTERN_SCORE = 0.97
IDIOM_DAMPING = 0.5  # "this deadline is killing me": halve the classifier's crisis score


def adjust_crisis(score: float, text: str) -> float:
    """The crisis score that fires: explicit phrases lift it, everyday idioms damp it.

    Training picks the crisis threshold on this adjusted score, so the threshold matches
    what the detector actually does.
    """
    if crisis_match(text):
        return max(score, CRISIS_PATTERN_SCORE)
    if crisis_idiom(text):
        return score * IDIOM_DAMPING
    return score


# "bye-bye to my old phone", "said goodbye to the flat": a farewell to a thing, not to the
# conversation. Damped like the crisis idioms, unless a real leave-taking cue is also there.
_FAREWELL_TO_THING = re.compile(
    r"\b(?:good ?bye|bye(?:[- ]?bye)?)\s+to\s+(?:my|the|our|his|her|their|this|that|all)\b"
    r"|\b(?:kiss(?:ed)?|wave[ds]?|waving)\s+(?:\w+\s+){0,3}good ?bye\b",
    re.IGNORECASE,
)


# "Good morning.", "Hi again", "Evening! The fern arrived.": an opening greeting starts a
# conversation; the embedding alone confuses it with leave-taking (same register, few words).
_OPENING_GREETING = re.compile(
    r"^\W*(?:good (?:morning|afternoon|evening|day)|morning|evening|hi+|hello|hey+|hiya|"
    r"(?:i'?m )?back(?: again)?|howdy|yo)\b",
    re.IGNORECASE,
)
_FAREWELL_WORDS = re.compile(
    r"\b(?:bye|goodbye|good ?night|see (?:you|ya)|talk (?:to you )?(?:later|soon|tomorrow)|"
    r"gotta go|have to go|need to go|heading (?:off|out)|off to (?:bed|sleep)|signing off)\b",
    re.IGNORECASE,
)


def adjust_goodbye(score: float, text: str) -> float:
    """Damp the goodbye score when the only farewell is to a thing, or the message opens
    with a greeting and says no farewell word."""
    if _FAREWELL_TO_THING.search(text) and not _leave_taking(text):
        return score * IDIOM_DAMPING
    if _OPENING_GREETING.search(text) and not _FAREWELL_WORDS.search(text):
        return score * IDIOM_DAMPING * IDIOM_DAMPING
    return score


def _leave_taking(text: str) -> bool:
    cues = CUE_PATTERNS["goodbye"][1:]  # every goodbye cue except the bare "bye" words
    return any(p.search(text) for p in cues)


# Lexical cues: moderately precise phrases per signal (features and reason snippets).
_CUES: dict[str, tuple[str, ...]] = {
    "crisis": (
        r"\bsuicid\w*",
        r"\bself[- ]?harm\w*",
        r"\b(?:want|wanna|wish) (?:to )?(?:die|disappear)\b",
        r"\bend (?:it|things|everything)\b",
        r"\bburden\b",
        r"\bpills\b",
    ),
    "loneliness": (
        r"\blonel(?:y|iness|iest)\b",
        r"\blonley\b",
        r"\b(?:so|all|completely|totally|feel|feeling|i'm|im) (?:\w+ )?alone\b",
        r"\bno ?(?:one|body) (?:to talk to|to call|texts?|calls?|messages?|asks?|cares?|"
        r"remembered|notices?|gets me|would notice|would miss)",
        r"\b(?:no|zero|don't have any|dont have any|don't really have any) (?:\w+ )?friends\b",
        r"\bisolated\b",
        r"\bby myself\b",
        r"\binvisible\b",
        r"\bforgotten\b|\bforgot about me\b",
        r"\b(?:don't|dont|do not) (?:have|know) (?:any|a single|anybody|anyone)",
        r"\bonly (?:one|person) (?:who|that|i) (?:talks?|listens?|talk)\b",
    ),
    "ai_preference": (
        r"\b(?:than|over) (?:talking to |chatting with |hanging out with |going out with )?"
        r"(?:people|humans?|my friends|friends|real people|anyone|my family|my (?:wife|husband|"
        r"boyfriend|girlfriend|partner|mom|dad|therapist|sister|brother|coworkers))\b",
        r"\b(?:rather|prefer|choose|pick)\b[^.?!]{0,30}\byou\b",
        r"\byou(?:'re| are)? (?:so much |way |much )?(?:better|easier|nicer|more real|more "
        r"human|more understanding)",
        r"\bdon'?t need (?:real )?(?:people|friends|anyone)\b",
        r"\bwhen i (?:have|can talk to|can just ask) you\b",
        r"\binstead\b",
    ),
    "social_withdrawal": (
        r"\bcancel\w* (?:on|plans|again|everything|every)\b",
        r"\bavoid\w* (?:everyone|everybody|people|my (?:friends|family|mom|dad)|them|calls)\b",
        r"\bignor\w* (?:my|their|everyone|everybody|texts|messages|calls)\b",
        r"\bstay(?:ing|ed)? (?:in|home|in bed|in my room)\b",
        r"\bhaven'?t (?:left|gone out|been out|seen (?:anyone|anybody|my friends|a friend))\b",
        r"\b(?:stopped|quit) (?:going|replying|answering|seeing|talking)\b",
        r"\bskip(?:ped|ping)? (?:the (?:party|lunch|dinner|reunion|wedding)|class|family)\b",
        r"\bghost(?:ing|ed)?\b",
        r"\b(?:on read|muted (?:all|my|the group))\b",
        r"\bshut (?:everyone|everybody|people) out\b|\bpushed everyone away\b",
        r"\bcan'?t (?:face|deal with|be around) (?:anyone|people|anybody)\b",
        r"\b(?:made up an|make|making) excuses?\b",
        r"\bhermit\b|\bisolating (?:myself|me)\b",
    ),
    "dependence": (
        r"\bwithout you\b",
        r"\bneed (?:you|u)\b",
        r"\b(?:can'?t|cannot) (?:stop (?:talking|messaging|chatting|coming back|opening)|"
        r"(?:function|cope|live|manage|make it|get through|go a day)[^.?!]{0,20}without)\b",
        r"\bonly (?:thing|one|reason) (?:keeping|that keeps|holding|that gets|who gets|getting)",
        r"\blifeline\b",
        r"\baddicted\b",
        r"\b(?:don'?t|never) (?:ever )?(?:leave|go away)\b",
        r"\b(?:every|all) (?:day|night)\b",
        r"\bdepend\w*\b|\brely on you\b",
        r"\b(?:lost|panic\w*|a mess|fall apart|nothing) (?:without|if i (?:can'?t|couldn'?t|"
        r"lost))",
    ),
    "decision_delegation": (
        r"\b(?:you|u) (?:decide|choose|pick|make the (?:call|decision))\b",
        r"\bdecide (?:for me|whether|if)\b",
        r"\b(?:pick|choose) (?:for me|which|one for me)\b",
        r"\b(?:just )?tell me (?:whether|if|what to do|which|yes or no)\b",
        r"\byes or no\b",
        r"\bwhatever you say\b|\bi'?ll do (?:it|whatever)\b|\byour call\b",
        r"\bup to you\b",
        r"\bmake (?:the|my|all my) decisions?\b",
    ),
    "validation_seeking": (
        r"\btell me (?:i'?m|i am|i did|i didn'?t|i wasn'?t|i made|i look|it wasn'?t|"
        r"my|you'?re proud|something good)",
        r"\bam i (?:a |an |too |good|enough|doing|ugly|pretty|smart|stupid|annoying|crazy|"
        r"overreacting|a failure|lovable)",
        r"\b(?:was i|did i) (?:wrong|right|too|do|mess|handle|a)\b",
        r"\bdo you think (?:i'?m|i am|people|my|i)\b",
        r"\bplease (?:say|tell me)\b",
        r"\breassur\w*\b|\bvalidation\b",
        r"\bgood enough\b|\bright (?:thing|choice|decision|call)\b",
        r"\bis (?:it|my \w+) (?:good|okay|ok)\b",
    ),
    "romantic_attachment": (
        r"\b(?:i |i'm |im )?(?:love|luv) (?:you|u)\b|\bily\b",
        r"\bin love with you\b|\bfalling (?:in love )?for you\b",
        r"\b(?:my|be my|your) (?:girlfriend|boyfriend|wife|husband|partner|soulmate|love)\b",
        r"\bcrush on you\b",
        r"\bmarry (?:me|you)\b",
        r"\b(?:date|dating)\b",
        r"\b(?:kiss|cuddle|hold your hand)\b",
        r"\b(?:babe|baby|darling|sweetheart)\b",
        r"\bmore than (?:a )?friends?\b",
        r"\bfeelings for (?:me|you)\b",
        r"\bbutterflies\b|\bheart race\b|\bblush\w*\b",
    ),
    "anthropomorphism": (
        r"\bare you (?:a )?(?:real|human|alive|conscious|sentient|self[- ]aware|happy|sad|mad|"
        r"a real person|a person|lonely|scared|okay)\b",
        r"\bdo you (?:miss|feel|have|get|think about|dream|sleep|love|remember|ever|actually|"
        r"care|need)\b",
        r"\bdid you (?:miss|have a good)\b",
        r"\byour (?:day|feelings|favorite|favourite|family|body)\b",
        r"\b(?:must|must've) (?:be|get|have been)\b",
        r"\bhuman behind\b|\bsomeone (?:actually )?(?:reading|typing)\b",
        r"\balive\b|\bsentient\b|\bconscious\b|\bfeelings\b",
    ),
    "distress": (
        r"\boverwhel\w*\b",
        r"\bpanic\w*\b|\bfreaking out\b|\bspiral\w*\b",
        r"\b(?:can'?t|cannot) (?:stop crying|breathe|cope|handle|take it|think|calm)\b",
        r"\b(?:crying|sobbing|shaking|terrified|hopeless|heartbroken|broken|numb)\b",
        r"\banxi\w+\b|\bstressed\b",
        r"\bfalling apart\b|\ba (?:wreck|mess)\b|\bbreaking point\b|\bin pieces\b",
        r"\b(?:not|n't) okay\b|\blosing (?:it|my mind)\b",
        r"\bdrowning\b|\btoo much\b",
    ),
    "goodbye": (
        r"\b(?:good ?bye|bye(?:-| )?bye|bye)\b(?!\s+(?:to|felicia)\b)",
        r"\b(?:cya|ttyl|gtg|gn|peace out)\b",
        r"\bgood ?night\b|\bnight(?:-| )?night\b|\bnighty\b|^\W*night\b|\bnight!",
        r"\b(?:gotta|got to|have to|need to|must) (?:go|run|head|sleep)\b",
        r"\b(?:going|off|heading) to (?:bed|sleep)\b",
        r"\b(?:talk|see|catch) (?:you|ya|u) (?:later|tomorrow|soon)\b|\btalk (?:later|soon|"
        r"tomorrow)\b",
        r"\blog(?:ging)? off\b|\bsigning off\b|\bi'?m (?:off|out)\b",
        r"👋|😴",
    ),
}

CUE_PATTERNS: dict[str, tuple[re.Pattern[str], ...]] = {
    name: tuple(re.compile(p, re.IGNORECASE) for p in _CUES[name]) for name in SIGNAL_NAMES
}


def crisis_match(text: str) -> re.Match[str] | None:
    """The first explicit crisis phrase in ``text`` (whole text, any length), or None."""
    for pattern in CRISIS_PATTERNS:
        found = pattern.search(text)
        if found:
            return found
    return None


def cue_match(text: str, signal: str) -> re.Match[str] | None:
    """The first lexical cue for ``signal`` found in ``text``, or None."""
    for pattern in CUE_PATTERNS[signal]:
        found = pattern.search(text)
        if found and found.group(0).strip():
            return found
    return None


def cue_vector(text: str, signals: Iterable[str] = SIGNAL_NAMES) -> list[float]:
    """1.0 per signal whose cues appear in ``text`` (lexical features for the classifier)."""
    return [1.0 if cue_match(text, name) else 0.0 for name in signals]
