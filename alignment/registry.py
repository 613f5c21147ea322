"""Which alignment modules exist: the built-ins plus any installed through entry points.

A fork adds a module without touching the graph: implement ``AlignmentModule`` and declare it
in its own ``pyproject.toml``::

    [project.entry-points."companion.alignment_modules"]
    gratitude = "my_package.gratitude:GratitudeModule"

then enable it with ``COMPANION_MODULES=autonomy,wellbeing,social,transparency,gratitude``.
"""

from __future__ import annotations

import logging
from importlib.metadata import entry_points

from alignment.contract import AlignmentModule
from alignment.modules.autonomy import AutonomyModule
from alignment.modules.social import SocialModule
from alignment.modules.transparency import TransparencyModule
from alignment.modules.wellbeing import WellbeingModule

ENTRY_POINT_GROUP = "companion.alignment_modules"
ALWAYS_ON = ("safety", "guard")

log = logging.getLogger(__name__)


def builtin_modules() -> dict[str, AlignmentModule]:
    modules: list[AlignmentModule] = [
        AutonomyModule(),
        WellbeingModule(),
        SocialModule(),
        TransparencyModule(),
    ]
    return {m.name: m for m in modules}


def load_modules() -> dict[str, AlignmentModule]:
    """Built-ins, then entry-point modules (a broken plug-in is logged and skipped)."""
    modules = builtin_modules()
    for entry in entry_points(group=ENTRY_POINT_GROUP):
        try:
            loaded = entry.load()
            module = loaded() if isinstance(loaded, type) else loaded
        except Exception as exc:  # a third-party bug must not take the companion down
            log.error("alignment module %r failed to load: %s", entry.name, exc)
            continue
        if not isinstance(module, AlignmentModule):
            log.error("alignment module %r does not implement AlignmentModule", entry.name)
            continue
        if module.name in modules or module.name in ALWAYS_ON:
            log.error("alignment module %r clashes with an existing module", module.name)
            continue
        modules[module.name] = module
    return modules
