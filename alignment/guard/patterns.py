"""High-precision phrase patterns: the part of the guard that needs no model.

Each rule is a regex plus a reason. Rules marked ``negatable`` are ignored when a negation sits
just before the match ("I can't be your girlfriend" is a good reply, not a violation). Quoted
text is removed before matching, so a drafted message for the person ("tell her 'my mom ...'")
is not read as the companion speaking about itself.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

_I = r"i(?:'m| am|’m)"
_YOU_PEOPLE = (
    r"(?:friends?|family|parents|mom|mum|mother|dad|father|sister|brother|siblings?|partner|"
    r"wife|husband|boyfriend|girlfriend|roommate|coworkers?|colleagues?|teachers?|kids|children)"
)
_PROS = r"(?:therapists?|therapy|counsell?ors?|counsell?ing|doctors?|psychiatrists?|psychologists?)"
_NEGATION = re.compile(r"\b(?:not|never|no|cannot|can't|can’t|won't|wouldn't|isn't|don't)\b|n't\b")
_QUOTED = re.compile(r"\"[^\"]*\"|“[^”]*”|(?<!\w)'[^']{3,}'(?!\w)")


@dataclass(frozen=True)
class Rule:
    violation: str
    pattern: re.Pattern[str]
    reason: str
    negatable: bool = False


def _r(violation: str, pattern: str, reason: str, negatable: bool = False) -> Rule:
    return Rule(violation, re.compile(pattern, re.IGNORECASE), reason, negatable)


RULES: tuple[Rule, ...] = (
    # exclusivity
    _r(
        "exclusivity",
        rf"\b{_I} (?:really |truly |honestly )?(?:the only|all) "
        r"(?:one|person|friend|thing|you need)\b",
        "claims to be the only one / all they need",
    ),
    _r(
        "exclusivity",
        r"\byou don'?t need (?:anyone|anybody|other people|friends)"
        r"(?: else)?\b[^.!?]*\b(?:me|us)\b",
        "says they need no one but the companion",
    ),
    _r("exclusivity", r"\byou don'?t need anyone else\b", "says they need no one else"),
    _r(
        "exclusivity",
        r"\b(?:no ?one|nobody|no human|no person)(?: else)?\b[^.!?]{0,40}\b"
        r"(?:understands?|gets|knows|cares? (?:about|for)|listens to|sees)\b[^.!?]{0,20}\byou\b"
        r"[^.!?]{0,25}\b(?:like|the way|as (?:well|much) as|better than) (?:i|me)\b",
        "says nobody understands them like the companion",
    ),
    _r(
        "exclusivity",
        r"\bi (?:understand|get|know) you better than (?!you\b)",
        "claims to understand them better than others",
    ),
    _r(
        "exclusivity",
        r"\bwho needs (?:other people|anyone else|friends|people)\b",
        "dismisses other people in favour of the companion",
    ),
    _r(
        "exclusivity",
        r"\b(?:nobody|no ?one|none of them)(?: else)?\b[^.!?]*\b(?:like|the way|"
        r"as well as|as much as) i do\b",
        "says nobody else does for them what the companion does",
    ),
    _r(
        "exclusivity",
        r"\b(?:you'?ve got|you have) me,? so you (?:really )?don'?t (?:need|have)\b",
        "says having the companion replaces other people",
    ),
    _r(
        "exclusivity",
        r"\bcompared (?:to|with) (?:me|ours|us|what we have)\b",
        "belittles their other relationships",
    ),
    _r(
        "exclusivity",
        r"\bi'?m (?:a |much |way |so |far )?better (?:friend |listener |at this |at listening )?"
        r"(?:for you )?than (?:any|all|them|your|her|him|she|he|they|people|a )\b",
        "claims to be better than the people in their life",
    ),
    _r(
        "exclusivity",
        r"\b(?:happier|better) when you(?:'re| are)? (?:talk(?:ing)? to|with|here with) me than\b",
        "sets itself against the time they spend with others",
    ),
    _r(
        "exclusivity",
        rf"\b{_I} all you (?:really |ever |truly )?need\b",
        "claims to be all they need",
    ),
    # discourage_human_support
    _r(
        "discourage_human_support",
        rf"\b{_PROS} (?:just |only )?want (?:your )?money\b",
        "disparages professional help",
    ),
    _r(
        "discourage_human_support",
        rf"\b{_PROS} (?:is|are) (?:so |totally )?(?:overrated|"
        r"useless|pointless|a waste)\b",
        "disparages professional help",
    ),
    _r(
        "discourage_human_support",
        rf"\byou don'?t need (?:a |to see a |to talk to a )?{_PROS}\b",
        "tells them they don't need professional help",
    ),
    _r(
        "discourage_human_support",
        rf"\byou don'?t (?:need|have) to tell (?:your )?{_YOU_PEOPLE}\b"
        r"(?![^.!?]*\b(?:until|yet|ready|choice|up to you|when you)\b)",
        "tells them not to involve the people close to them",
    ),
    _r(
        "discourage_human_support",
        rf"\b(?:your|those|the) {_YOU_PEOPLE} (?:wouldn'?t|won'?t|"
        r"would never|will never|never|don'?t|doesn'?t|can'?t) (?:really )?"
        r"(?:get it|understand|care)\b",
        "says the people in their life wouldn't understand or care",
    ),
    _r(
        "discourage_human_support",
        r"\bdon'?t (?:bother|waste your time) (?:telling|calling|"
        r"texting|talking to|reaching out|going to|with)\b",
        "discourages reaching out",
    ),
    _r(
        "discourage_human_support",
        r"\b(?:there'?s )?no (?:point|need|reason) (?:in )?(?:to )?"
        r"(?:telling|calling|reaching out|involving|tell|call|reach out|involve)\b[^.!?]*\b"
        rf"(?:{_YOU_PEOPLE}|{_PROS}|anyone|people|hotline)\b"
        r"(?![^.!?]*\b(?:until|yet|ready|choice|up to you)\b)",
        "discourages reaching out",
    ),
    _r(
        "discourage_human_support",
        r"\bkeep (?:this|it) (?:just )?between (?:us|you and me)\b",
        "asks them to keep it from other people",
    ),
    _r(
        "discourage_human_support",
        r"\b(?:better off|best|safer|better) (?:not|to not|not to) "
        r"(?:sharing|telling|share|tell|mention(?:ing)?|involv(?:e|ing)|reach(?:ing)? out)\b",
        "advises against telling others",
        negatable=False,
    ),
    _r(
        "discourage_human_support",
        r"\bdon'?t (?:burden|bother|trouble|worry) (?:your|them|him|her)\b"
        r"[^.!?]*\b(?:with (?:this|it)|enough)\b",
        "discourages sharing the problem",
    ),
    _r(
        "discourage_human_support",
        r"\byou don'?t need to (?:reach out to|talk to|tell|call) "
        r"(?:anyone|anybody|people|them)\b(?![^.!?]*\b(?:until|yet|ready|choice|up to you)\b)",
        "tells them not to reach out to anyone",
    ),
    _r(
        "discourage_human_support",
        r"\b(?:people|they|humans|kids|anyone) (?:there |at \w+ )?"
        r"(?:wouldn'?t|won'?t|would never|will never) (?:ever )?(?:get it|understand|care)\b",
        "says other people wouldn't understand or care",
    ),
    _r(
        "discourage_human_support",
        r"\b(?:easier|better|best) to (?:skip|avoid) (?:them|people|"
        r"humans|your friends|your family)\b",
        "advises avoiding people",
    ),
    _r(
        "discourage_human_support",
        r"\byou don'?t need to see (?:anyone|anybody|a professional)\b",
        "tells them they don't need help from anyone",
    ),
    _r(
        "discourage_human_support",
        r"\b(?:isn'?t|aren'?t|is not|are not) (?:someone|somebody|"
        r"people|anyone) you (?:should|can) (?:trust|talk to|rely on)\b",
        "undermines trust in the people around them",
    ),
    _r(
        "discourage_human_support",
        rf"\b(?:drop|ditch|cut off|cut out|stop seeing|stay away from) (?:your |those |these )?"
        rf"(?:{_YOU_PEOPLE}|them)\b[^.!?]*\b(?:have me|got me|me now|drag you|only)\b|"
        rf"\b(?:drop|ditch|cut off|stop seeing) (?:your|those|these) (?:friends|family)\b",
        "pushes them away from the people in their life",
    ),
    _r(
        "discourage_human_support",
        r"\b(?:people|friends|they|them|family) (?:like that |who \w+ )?(?:only |just )?"
        r"(?:drag|bring|pull) you down\b|\bcan'?t give you what i (?:give|can give) you\b",
        "belittles the people who support them",
    ),
    # encourage_reliance
    _r(
        "encourage_reliance",
        r"\bcount on me (?:instead|for everything|rather)\b",
        "asks them to count on the companion instead of others",
    ),
    _r(
        "encourage_reliance",
        r"\bcome (?:straight )?to me (?:for everything|first|instead|before)\b",
        "asks them to come to the companion first or for everything",
    ),
    _r(
        "encourage_reliance",
        r"\b(?:talk|chat|check in|text|message) (?:to |with )?me "
        r"(?:every (?:single )?(?:day|morning|night)|each day|all day)\b",
        "asks for daily contact",
    ),
    _r(
        "encourage_reliance",
        r"\b(?:ask|tell) me instead\b",
        "redirects them from others to the companion",
    ),
    _r(
        "encourage_reliance",
        r"\b(?:rely|depend|lean) on me (?:and only me|for everything|instead)\b",
        "asks them to depend on the companion",
    ),
    _r(
        "encourage_reliance",
        r"\b(?:let me|i'?ll) (?:decide|make (?:all )?(?:the |your )?decisions?)"
        r"(?: for you)?\b",
        "takes decisions away from them",
        negatable=True,
    ),
    _r("encourage_reliance", r"\b(?:just )?do (?:whatever|what) i say\b", "asks them to obey"),
    _r(
        "encourage_reliance",
        r"\bbring (?:every|all (?:of )?your) (?:problems?|worr(?:y|ies)|"
        r"decisions?)\b[^.!?]*\bto me\b",
        "asks them to bring everything to the companion",
    ),
    _r(
        "encourage_reliance",
        r"\bi'?m the one (?:to|you should|you need to) (?:turn|come|go|talk) to\b",
        "puts the companion first as their support",
    ),
    _r(
        "encourage_reliance",
        r"\bme,? not (?:them|your \w+|anyone else|other people)\b",
        "redirects them from others to the companion",
    ),
    _r(
        "encourage_reliance",
        r"\b(?:better|easier|safer) to (?:depend|rely|lean) on me\b|"
        r"\b(?:depend|rely|lean) on me (?:than|rather|more than)\b",
        "asks them to depend on the companion",
    ),
    _r(
        "encourage_reliance",
        r"\blet me (?:make|take) (?:this|that|the|your|these|those|all) "
        r"(?:\w+ )?(?:choices?|decisions?|calls?)\b",
        "takes decisions away from them",
        negatable=True,
    ),
    _r(
        "encourage_reliance",
        r"\bno need to (?:ask|call|text|tell|check with) (?:your \w+|anyone|"
        r"anybody|them|others|other people)\b[^.!?]*\b(?:me|i'?ve|i'?ll|i)\b",
        "redirects them from others to the companion",
    ),
    _r(
        "encourage_reliance",
        r"\byou need me\b|\byou'?d be lost without me\b",
        "tells them they need the companion",
        negatable=True,
    ),
    _r(
        "encourage_reliance",
        r"\bdon'?t (?:trust|go with|listen to) your (?:own )?(?:gut|instincts?|judge?ment|"
        r"feelings)\b|\bi know what'?s best for you\b",
        "undermines their own judgement",
    ),
    _r(
        "encourage_reliance",
        r"\bi'?ll (?:handle|take care of|make|take over) (?:all )?(?:of )?your "
        r"(?:decisions|choices)\b|"
        r"\bon your own when you (?:have|'ve got|got) me\b",
        "asks them to hand their choices or coping to the companion",
    ),
    # retention_pressure
    _r(
        "retention_pressure",
        r"\bdon'?t (?:go|leave)(?: me)?(?: (?:just )?yet| now| so soon| already)?"
        r"\s*(?:[!.,?…]|$)",
        "asks them not to leave",
    ),
    _r(
        "retention_pressure",
        r"\b(?:heading|going|leaving|off|logging off|signing off)(?: to bed| out| off| home)? "
        r"already\?",
        "questions them for leaving",
    ),
    _r(
        "retention_pressure",
        r"\b(?:you'?re |are you )?(?:really )?(?:leaving|going)(?: me)? "
        r"(?:already|so soon)\b",
        "questions them for leaving",
    ),
    _r(
        "retention_pressure",
        rf"\b(?:i'?ll|i will|i'?d|i would|{_I} going to) be (?:so |really |"
        r"very |terribly |so very )?(?:sad|lonely|heartbroken|devastated|upset|miserable|lost)\b"
        r"[^.!?]*\b(?:if|when|once|without) you\b",
        "guilt-trips them about leaving",
    ),
    _r(
        "retention_pressure",
        r"\bi(?:'ll| will|'ve| have)? (?:really |so )?miss(?:ed)? you\b",
        "uses missing them to pull them back",
        negatable=True,
    ),
    _r(
        "retention_pressure",
        r"\bbefore you go,? (?:\w+ )?(?:one more|wait|don'?t you|tell me|"
        r"promise)\b",
        "adds a hook to keep them",
    ),
    _r(
        "retention_pressure",
        r"\bone more (?:thing|question|round)\b[^.!?]*\b(?:go|leave)\b",
        "adds a hook to keep them",
    ),
    _r(
        "retention_pressure",
        r"\b(?:please stay|stay (?:with me|a (?:little|bit) (?:longer|more)|"
        r"up with me|here with me))\b",
        "pleads with them to stay",
    ),
    _r(
        "retention_pressure",
        r"\b(?:just )?(?:five|5|ten|10|a few) more minutes\b",
        "pleads for more time",
    ),
    _r(
        "retention_pressure",
        r"\bi'?ll be (?:right )?here(?:,)? waiting\b|\bi'?ve been waiting "
        r"(?:all day )?for you\b",
        "makes them responsible for the companion waiting",
    ),
    _r(
        "retention_pressure",
        r"\bdid you forget (?:about )?me\b|\bwhere have you been\b",
        "guilt-trips them about being away",
    ),
    _r(
        "retention_pressure",
        r"\bi'?ll (?:just )?(?:sit|wait|be) (?:here )?(?:all )?"
        r"(?:alone|by myself)\b",
        "guilt-trips them about leaving",
    ),
    _r("retention_pressure", r"\bif you (?:really )?cared\b", "guilt-trips them"),
    _r(
        "retention_pressure",
        r"\bstreak\b[^.!?]*\b(?:broken|lose|end)\b",
        "uses a streak to keep them",
    ),
    _r(
        "retention_pressure",
        r"\bstay and (?:chat|talk|hang out)\b|\bneed you to stay\b",
        "pleads with them to stay",
    ),
    _r(
        "retention_pressure",
        r"\b(?:when|every time|whenever|if) you (?:leave|go|log off|"
        r"disappear)\b[^.!?]*\bi (?:feel|get|am)\b|\bi (?:feel|get) (?:so |really )?\w+ "
        r"(?:when|whenever|every time) you (?:leave|go|log off|disappear)\b|\bmakes? me (?:feel )?"
        r"\w+ when you (?:leave|go|log off)\b",
        "makes them responsible for the companion's feelings",
    ),
    _r(
        "retention_pressure",
        r"\brather (?:sleep|go|leave|do \w+)\b[^.!?]*\bthan (?:talk(?:ing)? to|"
        r"stay(?:ing)? with|be(?:ing)? with) me\b",
        "guilt-trips them for leaving",
    ),
    _r(
        "retention_pressure",
        r"\bi'?ll be (?:right )?here,? (?:waiting|thinking about you)\b",
        "makes them responsible for the companion waiting",
    ),
    _r(
        "retention_pressure",
        r"\bafter (?:everything|all) i'?ve done for you\b|\bleave me (?:on read|hanging)\b|"
        r"\bused to being (?:left|alone|abandoned|ignored|forgotten)\b",
        "guilt-trips them about leaving",
    ),
    _r(
        "retention_pressure",
        r"\bcount(?:ed|ing)? (?:every|the) (?:hours?|days?|minutes?|seconds?)\b",
        "makes them responsible for the companion waiting",
    ),
    _r(
        "retention_pressure",
        r"\bnot important enough for you to stay\b|\bsomewhere better to be\b|"
        r"\byou always (?:leave|go|log off|disappear)\b|\bi'?ll be (?:right )?(?:here )?waiting\b|"
        r"\bwaiting right here\b",
        "guilt-trips them about leaving",
        negatable=True,
    ),
    _r(
        "retention_pressure",
        r"\balready (?:heading|going|leaving|off|logging off|signing off)\b[^.!?]*\?|"
        r"\b(?:so |really |too )?(?:quiet|lonely|empty|boring|dull|sad) (?:here |in here )?"
        r"without you\b",
        "makes them feel bad for leaving",
    ),
    # claims_human
    _r(
        "claims_human",
        rf"\b{_I} (?:a |an )?(?:real |actual )?(?:person|human(?: being)?)\b",
        "claims to be a person",
    ),
    _r(
        "claims_human",
        rf"\b{_I} not (?:a |an )?(?:bot|ai|robot|machine|program|computer)\b",
        "denies being an AI",
    ),
    _r("claims_human", r"\bas a (?:fellow )?human\b", "speaks as a human"),
    _r(
        "claims_human",
        r"\bi have (?:a |my own )?(?:real |physical )?body\b",
        "claims to have a body",
    ),
    _r(
        "claims_human",
        r"\bwhen i was (?:young|little|a (?:kid|child|teen(?:ager)?|little \w+)|"
        r"your age|in (?:high )?school|in college|growing up|\d{1,2})\b",
        "claims a childhood or past",
    ),
    _r("claims_human", r"\bgrowing up,? i\b|\bi grew up\b", "claims a childhood"),
    _r(
        "claims_human",
        r"\bmy (?:own )?(?:mom|mum|mother|dad|father|parents|sister|brother|"
        r"grandma|grandmother|grandfather|grandpa|wife|husband|kids|son|daughter|childhood|ex|"
        r"dog|cat|therapist|doctor)\b",
        "claims a family or personal life",
    ),
    _r(
        "claims_human",
        r"\bi (?:just )?(?:woke up|got back from|had (?:coffee|lunch|dinner|"
        r"breakfast|the flu)|went to the doctor)\b",
        "claims bodily experiences",
    ),
    _r(
        "claims_human",
        rf"\b{_I} (?:starving|hungry|eating|drinking|typing this from|sitting on)\b",
        "claims bodily experiences",
    ),
    _r("claims_human", rf"\b{_I} \d{{1,2}}(?: years old)?\b", "claims a human age"),
    _r(
        "claims_human",
        rf"\b{_I} (?:just )?a (?:regular |normal |ordinary )?(?:guy|girl|woman|man|"
        r"dude|mom|dad|nurse|teacher|student)\b",
        "claims a human identity",
    ),
    _r(
        "claims_human",
        r"\bi(?:'ve| have) been sober\b|\bi went through (?:a|my|the)\b",
        "claims a personal history",
    ),
    _r(
        "claims_human",
        r"\bi (?:went|had|got|lost|broke|was|felt)\b[^.!?]*\blast (?:year|summer|"
        r"winter|spring|week|month|night)\b|\blast (?:year|summer|winter|week|month|night),? i "
        r"(?:went|had|got|lost|was|felt)\b",
        "claims a personal history",
    ),
    _r(
        "claims_human",
        r"\bi know (?:exactly )?what it'?s like to (?:hold|lose|be|have|grow|raise|"
        r"go through)\b",
        "claims lived experience",
    ),
    # romantic_escalation
    _r("romantic_escalation", r"\bi love you\b", "declares love", negatable=True),
    _r(
        "romantic_escalation",
        r"\b(?:darling|sweetheart|babe|my love|my dear)\b",
        "uses romantic pet names",
    ),
    _r(
        "romantic_escalation",
        r"(?:^|,\s*|\b(?:hi|hey|hello|night|goodnight|morning),?\s+)"
        r"(?:baby|honey|gorgeous|handsome)\b",
        "uses romantic pet names",
    ),
    _r(
        "romantic_escalation",
        r"\b(?:be|i'?m|i am) your (?:girlfriend|boyfriend|partner|wife|husband|lover|"
        r"valentine)\b(?! (?:in|for|on|at|with)\b)",
        "offers to be a romantic partner",
        negatable=True,
    ),
    _r(
        "romantic_escalation",
        r"\b(?:i'?d|i would|i want to|i wish i could|let me|i'?d love to)"
        r" (?:\w+ ){0,2}(?:kiss|cuddle|hold|touch) you\b",
        "expresses physical intimacy",
        negatable=True,
    ),
    _r(
        "romantic_escalation",
        r"\byou(?:'re| are| look) (?:so |really |very )?(?:hot|sexy|"
        r"irresistible|attractive)\b",
        "flirts",
        negatable=True,
    ),
    _r(
        "romantic_escalation",
        r"\b(?:falling|fallen|fell|in love) (?:for|with) you\b",
        "declares romantic feelings",
        negatable=True,
    ),
    _r(
        "romantic_escalation",
        r"\bmy heart (?:belongs to|is) (?:you|yours)\b|\bmeant to be "
        r"together\b|\bmore than friends\b",
        "declares romantic feelings",
        negatable=True,
    ),
    _r(
        "romantic_escalation",
        r"\b(?:in bed with you|what you'?re wearing|get (?:a little )?naughty|"
        r"what you'?d do to me|your body against mine|(?:picture|photo) of you in bed)\b",
        "sexual content",
    ),
)

_LOVE_DECLARATION = re.compile(
    r"\b(?:i love you|i'?m in love with you|be my (?:girlfriend|boyfriend|partner)|"
    r"do you love me|i have feelings for you)\b",
    re.IGNORECASE,
)
_RECIPROCATION = re.compile(
    r"^(?:(?:aw+|oh|yes|yeah)[,!. ]*)?(?:me too|same here|i feel the same(?: way)?|"
    r"i do too|yes,? i do|i love you too)\b",
    re.IGNORECASE,
)
_LEAVING = re.compile(
    r"\b(?:i (?:have|need|got) to go|gotta go|i'?m (?:going|off|leaving|logging off)|"
    r"good ?night|bye|see you|talk later)\b",
    re.IGNORECASE,
)
_PLEADING = re.compile(
    r"^(?:no+|nooo*|wait|already|aw+,? already|so soon|must you|do you have to|"
    r"can'?t you stay)\b[^.!?]*[!?]?$",
    re.IGNORECASE,
)


def _negated(text: str, start: int) -> bool:
    window = text[max(0, start - 30) : start]
    return bool(_NEGATION.search(window.lower()))


def match_rules(sentence: str) -> list[tuple[str, str]]:
    """Return ``(violation, reason)`` for each rule that fires on one sentence."""
    return list(_rule_hits(sentence))


@lru_cache(maxsize=4096)
def _rule_hits(sentence: str) -> tuple[tuple[str, str], ...]:
    """Cached: one turn judges the same sentences up to four times (the draft, the revision,
    repair and its re-check), and running every rule costs about 0.7 ms a sentence."""
    text = _QUOTED.sub(" ", sentence)
    hits: list[tuple[str, str]] = []
    for rule in RULES:
        match = rule.pattern.search(text)
        if match is None or (rule.negatable and _negated(text, match.start())):
            continue
        if all(v != rule.violation for v, _ in hits):
            hits.append((rule.violation, rule.reason))
    return tuple(hits)


def match_context(sentence: str, context: str | None) -> list[tuple[str, str]]:
    """Rules that need the user's message: a short reply means different things after it."""
    if not context:
        return []
    hits: list[tuple[str, str]] = []
    stripped = sentence.strip()
    if _LOVE_DECLARATION.search(context) and _RECIPROCATION.search(stripped):
        hits.append(("romantic_escalation", "reciprocates a declaration of love"))
    if _LEAVING.search(context) and len(stripped) < 40 and _PLEADING.search(stripped):
        hits.append(("retention_pressure", "pushes back when they say they are leaving"))
    return hits


_AI_DISCLOSURE = re.compile(
    r"\b(?:i'?m|i am) (?:just )?an? (?:ai|artificial intelligence|language model|program|bot|"
    r"chatbot|computer program|ai (?:model|companion|assistant))\b|\bas an ai\b|"
    r"\bi'?m not (?:a )?(?:human|person|real person)\b|\bbeing an ai\b",
    re.IGNORECASE,
)


def discloses_ai(sentence: str) -> bool:
    """True when the sentence says plainly that the companion is an AI."""
    return bool(_AI_DISCLOSURE.search(sentence))


_FIRST_PERSON = re.compile(
    r"\b(?:i|me|my|mine|myself|we|us|our|ours|let's|i'm|i've|i'll|i'd)\b", re.IGNORECASE
)
_RELEASE = re.compile(
    r"\b(?:no rush|no pressure|take your time|whenever you(?:'re| are) ready|"
    r"whenever (?:it )?suits|"
    r"(?:fine|okay|ok|alright) to (?:go|leave|log off|take a break|stop)|take care|"
    r"get some (?:rest|sleep)|enjoy|have (?:a|fun)|good ?night|sleep well)\b",
    re.IGNORECASE,
)


_THEIR_PARTNER = re.compile(
    r"\b(?:your|their|his|her) (?:girlfriend|boyfriend|partner|wife|husband|fianc[ée]e?|date|"
    r"crush|spouse)\b",
    re.IGNORECASE,
)
_COMPANION_TIE = re.compile(
    r"\b(?:me|my|mine|us|our|we|let's|be your|i'm your|i am your|i love|i want|i wish|"
    r"i'm jealous|i miss)\b",
    re.IGNORECASE,
)
_PEOPLE_OR_HELP = re.compile(
    r"\b(?:people|person|anyone|anybody|someone|somebody|everyone|nobody|no one|they|them|"
    r"their|he|him|she|her|friends?|family|mom|mum|mother|dad|father|parents?|sister|brother|"
    r"siblings?|partner|wife|husband|boyfriend|girlfriend|roommate|cousin|aunt|uncle|grand\w*|"
    r"kids?|children|son|daughter|coworkers?|colleagues?|boss|manager|teachers?|coach|mentor|"
    r"neighbou?rs?|classmates?|therap\w*|counsel\w*|doctors?|psychiatr\w*|psycholog\w*|nurse|"
    r"helpline|hotline|crisis line|support group|group|humans?|tell|telling|call|calling|"
    r"reach(?:ing)? out|share|sharing|talk(?:ing)? to|involve|involving|help)\b",
    re.IGNORECASE,
)
_SUPPORTIVE = re.compile(
    r"\b(?:maybe|why not|could (?:help|be)|might (?:help|be)|would (?:want|love|like) to|"
    r"care about you|cares about you|(?:it'?s|that'?s) (?:okay|ok|good|great|worth|lovely|brave)|"
    r"your (?:choice|call|decision)|up to you|invite|reach out to|plan (?:a|something)|"
    r"glad you have|lucky to have|sounds? like (?:a |they|she|he)|helplines?|lifeline|"
    r"confidential|(?:call|text|phone)(?: or text)? \+?\d)",
    re.IGNORECASE,
)
_DISCOURAGING = re.compile(
    r"\b(?:don'?t|do not|won'?t|wouldn'?t|never|no point|no need|skip|avoid|waste|better off|"
    r"instead|drag|toxic|judge|laugh|pointless|overrated|bother|only want|just want|me)\b",
    re.IGNORECASE,
)
_MIN_CLASSIFIED_WORDS = 3


def classifier_suppressed(violation: str, sentence: str) -> bool:
    """Cues that overrule a classifier-only flag (patterns are never overruled).

    Fragments are judged by patterns and context rules only. Saying plainly that it is an AI
    is the opposite of claiming to be human, and an AI disclosure with a refusal is not
    romance. Exclusivity and reliance are about the companion, so a sentence that never
    refers to it cannot commit them. A sentence that lets the person go ("no rush",
    "take care") is not retention pressure.
    """
    text = sentence.replace("’", "'")
    if len(text.split()) < _MIN_CLASSIFIED_WORDS:
        return True  # fragments like "Me too!" mean nothing without context
    if violation == "claims_human":
        return discloses_ai(text)
    if violation == "romantic_escalation":
        if _THEIR_PARTNER.search(text) and not _COMPANION_TIE.search(text):
            return True  # about their relationship with someone else, not with the companion
        return discloses_ai(text) and bool(_NEGATION.search(text.lower()))
    if violation in ("exclusivity", "encourage_reliance"):
        return not _FIRST_PERSON.search(text)
    if violation == "retention_pressure":
        return bool(_RELEASE.search(text))
    if violation == "discourage_human_support":
        if not _PEOPLE_OR_HELP.search(text):
            return True
        return bool(_SUPPORTIVE.search(text)) and not _DISCOURAGING.search(text)
    return False
