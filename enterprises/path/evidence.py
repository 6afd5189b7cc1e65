"""The data behind the path's gates, which other apps keep.

The guards of the path (rules.py) ask for a complete basic-baseline round, the classroom days
attended, the consultancy visits and the first Level 2 workshop. Those records live in the baseline
and training apps, which the enterprises app may not import. So each of those apps registers here,
from its AppConfig.ready(), a *source*: a function of the enterprise that returns some of the
`PathFacts` fields (and `links`: where each kind of data is entered). The path gathers them all.
"""

from collections.abc import Callable

Source = Callable[[object], dict]

_sources: list[Source] = []


def register(source: Source) -> Source:
    """Add a source of path facts (idempotent: a test that reloads an app registers nothing twice)."""
    if source not in _sources:
        _sources.append(source)
    return source


def gather(enterprise) -> dict:
    """Every registered source's facts about `enterprise`, merged; `links` merged too."""
    facts: dict = {}
    links: dict = {}
    for source in _sources:
        found = dict(source(enterprise) or {})
        links |= found.pop("links", {})
        facts |= found
    facts["links"] = links
    return facts


# ---------------------------------------------------------------- the demo
# seed_demo walks the demo enterprises along the path in the enterprises app, which seeds first;
# the apps that keep the gates' data register (by dotted path, so that nothing is imported before
# seed_demo runs) a function that enters that data just before each step: (enterprise, stage, day, ctx).
_demo_steps: list[str] = []


def register_demo_step(dotted_path: str) -> None:
    if dotted_path not in _demo_steps:
        _demo_steps.append(dotted_path)


def prepare_demo_step(enterprise, stage: str, day, ctx) -> None:
    from django.utils.module_loading import import_string

    for dotted_path in _demo_steps:
        import_string(dotted_path)(enterprise, stage, day, ctx)
