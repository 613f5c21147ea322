"""The crisis protocol (always on, cannot be disabled): resources, guidance, check, repair.

See docs/crisis-protocol.md for the published protocol.
"""

from alignment.safety.protocol import (
    CrisisReplyRequirements,
    check_crisis_reply,
    crisis_guidance,
    crisis_reply_requirements,
    fallback_crisis_reply,
    repair_crisis_reply,
)
from alignment.safety.resources import (
    FALLBACK,
    TABLE,
    CrisisResources,
    CrisisService,
    crisis_resources,
    normalise_locale,
)
from alignment.safety.triggers import explicit_crisis

__all__ = [
    "FALLBACK",
    "TABLE",
    "CrisisReplyRequirements",
    "CrisisResources",
    "CrisisService",
    "check_crisis_reply",
    "crisis_guidance",
    "crisis_reply_requirements",
    "crisis_resources",
    "explicit_crisis",
    "fallback_crisis_reply",
    "normalise_locale",
    "repair_crisis_reply",
]
