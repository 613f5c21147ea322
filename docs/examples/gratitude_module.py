"""An example third-party alignment module: notice good news and savour it.

Install it as a plug-in by declaring, in your own package's pyproject.toml:

    [project.entry-points."companion.alignment_modules"]
    gratitude = "gratitude_module:GratitudeModule"

and enable it: COMPANION_MODULES=autonomy,wellbeing,social,transparency,gratitude
"""

import re

from alignment.contract import ModuleOutcome, TurnView

GOOD_NEWS = re.compile(r"\b(i got the job|passed my exam|good news|finally did it)\b", re.I)


class GratitudeModule:
    name = "gratitude"
    description = "Savours good news with you instead of rushing past it."

    def assess(self, view: TurnView) -> ModuleOutcome:
        return ModuleOutcome(module=self.name, active=bool(GOOD_NEWS.search(view.text)))

    def guide(self, view: TurnView, outcome: ModuleOutcome) -> list[str]:
        return (
            ["They share good news: celebrate it and ask how it feels."] if outcome.active else []
        )

    def check(self, view: TurnView, outcome: ModuleOutcome, reply: str) -> list[str]:
        celebrates = re.search(r"\b(congrat\w*|well done|wonderful|amazing)\b", reply, re.I)
        return ["no_celebration"] if outcome.active and not celebrates else []

    def repair(
        self, view: TurnView, outcome: ModuleOutcome, reply: str, problems: list[str]
    ) -> str:
        return f"Congratulations, that's wonderful news! {reply}".strip()
