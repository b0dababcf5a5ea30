"""What a story says to a family, in plain words (English and Spanish).

The verdicts of the analysis become sentences a parent can read without a statistics
class, and never claim a cause: "things got better and stayed better", not "the change
made things better". Every sentence is translatable; call these while the reader's
language is active (the share view activates it for each request).
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop, ngettext


def verdict_heading(label: str | None) -> str:
    """The verdict of a chart as a family reads it (no causal claim)."""
    headings = {
        "sustained_improvement": _("Things got better and stayed better"),
        "change_not_sustained": _("Things changed, but the change has not lasted (yet)"),
        "got_worse": _("Things got worse"),
        "no_signal": _("No clear change so far"),
        "not_enough_data": _("Not enough information yet to tell"),
    }
    if label is None:
        return _("No verdict: the date the change started has not been set")
    return headings.get(label, _("No verdict yet"))


def verdict_tone(label: str | None) -> str:
    """A class name for the verdict's colour (the words carry the meaning)."""
    return {"sustained_improvement": "ok", "got_worse": "bad",
            "change_not_sustained": "warn"}.get(label or "", "neutral")


def chart_explainer(chart: dict[str, Any]) -> str:
    """One sentence on what the chart shows."""
    better = (_("Lower is better.") if chart.get("direction") == "down"
              else _("Higher is better."))
    return _("Each point is the class result on one date, before and after the teacher "
             "started the change. %(better)s") % {"better": better}


def _number(text: Any) -> float | None:
    try:
        return float(str(text).replace(",", ""))
    except (TypeError, ValueError):
        return None


def _plain(text: Any) -> str:
    """A snapshot number without its sign ("-3.1" -> "3.1")."""
    return str(text).lstrip("-\u2212")


def change_sentence(change: dict[str, Any] | None) -> str:
    """The class-level change, with its uncertainty, as one sentence (empty: none)."""
    if not change:
        return ""
    mean = _number(change.get("mean"))
    if mean is None:
        return ""
    values = {"mean": _plain(change["mean"]), "low": change.get("low"),
              "high": change.get("high"), "confidence": change.get("confidence"),
              "n": change.get("n")}
    if mean > 0:
        text = _("On average, students' scores went up %(mean)s points (we are "
                 "%(confidence)s%% sure it was between %(low)s and %(high)s).")
    elif mean < 0:
        text = _("On average, students' scores went down %(mean)s points (we are "
                 "%(confidence)s%% sure the change was between %(low)s and %(high)s).")
    else:
        text = _("On average, students' scores stayed the same (we are %(confidence)s%% "
                 "sure the change was between %(low)s and %(high)s).")
    return text % values


def change_basis(change: dict[str, Any] | None) -> str:
    if not change:
        return ""
    n = int(change.get("n") or 0)
    return ngettext("This compares the same %(n)s student before and after.",
                    "This compares the same %(n)s students before and after.", n) % {"n": n}


def growth_sentence(growth: dict[str, Any] | None) -> str:
    """How many students improved, stayed, declined (empty: not shown)."""
    if not growth:
        return ""
    n = int(growth.get("n") or 0)
    return ngettext(
        "Of the %(n)s student with results before and after: %(improved)s did better, "
        "%(stayed)s did about the same, %(declined)s did less well.",
        "Of the %(n)s students with results before and after: %(improved)s did better, "
        "%(stayed)s did about the same, %(declined)s did less well.", n) % {
            "n": n, "improved": growth.get("improved", 0), "stayed": growth.get("stayed", 0),
            "declined": growth.get("declined", 0)}


def level_name(level: int) -> str:
    """Guskey's levels, named for a family."""
    names = {
        1: _("How teachers found the learning"),
        2: _("What teachers learned"),
        3: _("Support from the school"),
        4: _("Teachers using it in class"),
        5: _("What happened for students"),
    }
    return names.get(int(level), str(level))


def hidden_group() -> str:
    return _("hidden to protect small groups")


def group_rows(groups: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """A chart's group rows as families read them: each shown group on its own row, and a
    grouping's hidden groups on one row together ("Race/ethnicity: Asian, Black or African
    American"), so that a table of mostly small groups stays short enough for one page.

    >>> rows = group_rows([{"dimension": "EL", "group": "No", "n": None},
    ...                    {"dimension": "EL", "group": "Yes", "n": None},
    ...                    {"dimension": "Sex", "group": "Male", "n": 15, "median_change": "6"}])
    >>> [(r["label"], r["n"]) for r in rows]
    [('EL: No, Yes', None), ('Sex: Male', 15)]
    """
    rows: list[dict[str, Any]] = []
    hidden: dict[str, dict[str, Any]] = {}
    for g in groups:
        if g.get("n") is None:
            row = hidden.get(g["dimension"])
            if row is None:
                row = hidden[g["dimension"]] = {"label": f"{g['dimension']}: {g['group']}",
                                                "n": None, "median_change": None}
                rows.append(row)
            else:
                row["label"] += f", {g['group']}"
        else:
            rows.append({"label": f"{g['dimension']}: {g['group']}", "n": g["n"],
                         "median_change": g.get("median_change")})
    return rows


# The kinds of evidence on the ladder, as each app registers them in English
# (``registry.evidence_kinds``), marked here for the catalogue so that a family reading in
# Spanish reads them in Spanish; a label missing from this list is shown as registered,
# marked as English (a test names any that are missing).
LADDER_LABELS = (
    gettext_noop("pieces of evidence she collected"),
    gettext_noop("sources she learned from (books, courses, research)"),
    gettext_noop("peer observations of her class"),
    gettext_noop("measures of her students' learning, with data"),
    gettext_noop("sets of student work looked at together"),
)


def ladder_label(label: str) -> str:
    """A kind of evidence's label in the active language (as registered when unknown)."""
    return _(label) if ladder_known(label) else label


def ladder_known(label: str) -> bool:
    return label in LADDER_LABELS
