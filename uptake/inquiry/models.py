"""Inquiries: a teacher's (or a team's) PDSA cycles and the student-learning measures
that tell whether a change was an improvement.

Vocabulary (the user guide's words):

- :class:`Team` — a PLC, grade-level or department team whose members share inquiries.
- :class:`Inquiry` — a problem of practice, a question, a change idea and a prediction.
  Owned by one teacher, optionally shared by a team (members edit and contribute their
  classes' data) and shared with named coaches or leaders through grants (read only,
  re-checked at every read, see ``uptake.accounts.grants``).
- :class:`Cycle` — one Plan-Do-Study-Act cycle; the next one starts from the last Act.
- :class:`DoLogEntry` — a dated note of what was actually done during a cycle.
- :class:`Measure` — what is measured, on which classes, which way is better, and when the
  change started (the frozen-baseline boundary for the verdict).
- :class:`Occasion` — one data-collection point of a measure in one class (a date).
- :class:`StudentValue` — one student's value on an occasion (``value`` None = missing,
  shown as missing, never as zero).
- :class:`ClassTotal` — a class-level "k of n" (proportion) or count total for an occasion.

Student values are identifiable student data: every page that shows them per student
audits the read (``uptake.audit.actions.record_student_read``).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from uptake.accounts.models import District, School
from uptake.roster.models import Section, Student


class Team(models.Model):
    """A group of educators who run inquiries together (a PLC, grade-level or department)."""

    class Kind(models.TextChoices):
        PLC = "plc", "Professional learning community"
        GRADE_LEVEL = "grade_level", "Grade-level team"
        DEPARTMENT = "department", "Department"

    district = models.ForeignKey(District, on_delete=models.CASCADE, related_name="teams")
    school = models.ForeignKey(School, on_delete=models.SET_NULL, null=True, blank=True,
                               related_name="teams")
    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.PLC)
    members = models.ManyToManyField(settings.AUTH_USER_MODEL, related_name="inquiry_teams",
                                     blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                   null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Inquiry(models.Model):
    """A teacher's (or team's) inquiry into a problem of practice, run as PDSA cycles."""

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        ACTIVE = "active", "In progress"
        CLOSED = "closed", "Closed"

    district = models.ForeignKey(District, on_delete=models.CASCADE, related_name="inquiries")
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                              related_name="inquiries")
    team = models.ForeignKey(Team, on_delete=models.SET_NULL, null=True, blank=True,
                             related_name="inquiries",
                             help_text="Team members may edit and add their classes' data.")
    title = models.CharField(max_length=200)
    problem_of_practice = models.TextField(blank=True)
    question = models.TextField(blank=True)
    change_idea = models.TextField(blank=True)
    prediction = models.TextField(blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.ACTIVE)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-updated_at", "-pk"]
        verbose_name_plural = "inquiries"

    def __str__(self) -> str:
        return self.title


class Cycle(models.Model):
    """One Plan-Do-Study-Act cycle of an inquiry, numbered from 1."""

    class Decision(models.TextChoices):
        ADOPT = "adopt", "Adopt"
        ADAPT = "adapt", "Adapt"
        ABANDON = "abandon", "Abandon"

    inquiry = models.ForeignKey(Inquiry, on_delete=models.CASCADE, related_name="cycles")
    number = models.PositiveIntegerField()
    # Plan
    plan = models.TextField(blank=True, help_text="What will be tried, by whom, when.")
    prediction = models.TextField(blank=True, help_text="What the teacher expects to happen.")
    data_collection = models.TextField(blank=True, help_text="What data, when, how.")
    start_date = models.DateField(null=True, blank=True)
    end_date = models.DateField(null=True, blank=True)
    # Study: the teacher's own comparison of what happened with the prediction.
    study_notes = models.TextField(blank=True)
    # Act
    decision = models.CharField(max_length=10, choices=Decision.choices, blank=True)
    decision_reason = models.TextField(blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["inquiry", "number"]
        constraints = [models.UniqueConstraint(fields=["inquiry", "number"],
                                               name="cycle_unique_number")]

    def __str__(self) -> str:
        return f"Cycle {self.number}"


class DoLogEntry(models.Model):
    """A dated note of what was done during a cycle (the "Do" of PDSA)."""

    cycle = models.ForeignKey(Cycle, on_delete=models.CASCADE, related_name="log_entries")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
                               related_name="+")
    date = models.DateField()
    text = models.TextField()
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["date", "pk"]

    def __str__(self) -> str:
        return f"{self.date}: {self.text[:40]}"


class Measure(models.Model):
    """A student-learning measure of an inquiry, collected in one or more classes.

    Per-student kinds (score, rubric, likert) store :class:`StudentValue` rows; class-level
    kinds (proportion, count) store :class:`ClassTotal` rows.
    """

    class Kind(models.TextChoices):
        SCORE = "score", "Score"
        RUBRIC = "rubric", "Rubric level"
        PROPORTION = "proportion", "Proportion (k of n students)"
        COUNT = "count", "Count (tally per class)"
        LIKERT = "likert", "Student survey item (Likert scale)"

    class Direction(models.TextChoices):
        UP = "up", "Higher is better"
        DOWN = "down", "Lower is better"

    class Chart(models.TextChoices):
        """How a per-student measure's class means are judged (proportions and counts
        always use their own p or u chart)."""

        RUN = "run", "Run chart (the usual choice)"
        INDIVIDUALS = "i", "I chart (XmR)"

    PER_STUDENT_KINDS = frozenset({Kind.SCORE, Kind.RUBRIC, Kind.LIKERT})
    TOTAL_KINDS = frozenset({Kind.PROPORTION, Kind.COUNT})

    inquiry = models.ForeignKey(Inquiry, on_delete=models.CASCADE, related_name="measures")
    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=12, choices=Kind.choices, default=Kind.SCORE)
    scale_min = models.FloatField(null=True, blank=True)
    scale_max = models.FloatField(null=True, blank=True)
    # One label per line, lowest first, for Likert items ("Strongly disagree" ... ).
    likert_labels = models.TextField(blank=True)
    direction = models.CharField(max_length=4, choices=Direction.choices, default=Direction.UP)
    change_date = models.DateField(
        null=True, blank=True,
        help_text="When the change started: occasions before it are the baseline.")
    chart = models.CharField(
        max_length=4, choices=Chart.choices, default=Chart.RUN,
        help_text=(
            "How Uptake judges whether your class means changed. A run chart compares each "
            "point with the middle value of the points before the change and looks for a "
            "long run on one side: it suits most measures. An I chart (XmR) also draws "
            "limits from how much the class mean usually moves from one occasion to the "
            "next, so one point far outside them counts as a sign of change too; choose it "
            "when your points usually move by small, similar steps. Proportions and counts "
            "always use their own chart."))
    sections = models.ManyToManyField(Section, related_name="inquiry_measures", blank=True)
    # Of the measure's classes, those not trying the change yet: the comparison design
    # sets them against the others (docs/analysis-effects.md, "The comparison design").
    comparison_sections = models.ManyToManyField(
        Section, related_name="+", blank=True,
        help_text="Classes that collect this measure but do not try the change yet.")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                   null=True, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    # Moved on by every change that makes its summaries stale
    # (``uptake.inquiry.summaries.mark_stale``): a refresh writes its rows only if it is
    # the same as when the refresh read the data.
    summaries_version = models.PositiveBigIntegerField(default=0, editable=False)

    class Meta:
        ordering = ["inquiry", "name", "pk"]

    def __str__(self) -> str:
        return self.name

    @property
    def per_student(self) -> bool:
        return self.kind in self.PER_STUDENT_KINDS

    @property
    def likert_points(self) -> list[tuple[float, str]]:
        """Each point of a Likert scale with its label, lowest first, e.g. ``[(1.0,
        "Strongly disagree"), ...]``; empty unless the measure is a Likert item whose
        labels fit its scale (one per whole number from its lowest to its highest value)."""
        if self.kind != self.Kind.LIKERT:
            return []
        return likert_points(self.scale_min, self.scale_max, self.likert_labels)

    @property
    def chart_kind(self) -> str:
        """The chart the verdict uses: the teacher's choice for per-student kinds, the p
        chart for proportions and the u chart for counts."""
        if self.kind == self.Kind.PROPORTION:
            return "p"
        if self.kind == self.Kind.COUNT:
            return "u"
        return "i" if self.chart == self.Chart.INDIVIDUALS else "run"


def likert_points(lo: float | None, hi: float | None, labels: str) -> list[tuple[float, str]]:
    """The labels (one per line, blank lines ignored) paired with the scale's whole-number
    points, or ``[]`` when they do not fit."""
    names = [line.strip() for line in labels.splitlines() if line.strip()]
    if not names or lo is None or hi is None or lo != int(lo) or hi != int(hi):
        return []
    if len(names) != int(hi) - int(lo) + 1:
        return []
    return [(float(int(lo) + i), name) for i, name in enumerate(names)]


class Occasion(models.Model):
    """One data-collection point of a measure in one class."""

    measure = models.ForeignKey(Measure, on_delete=models.CASCADE, related_name="occasions")
    section = models.ForeignKey(Section, on_delete=models.CASCADE, related_name="+")
    date = models.DateField()
    label = models.CharField(max_length=100, blank=True)
    entered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                   null=True, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    # When its date, label, values or total last changed (a sync's ``updated_since``).
    updated_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["date", "label", "pk"]
        constraints = [models.UniqueConstraint(fields=["measure", "section", "date", "label"],
                                               name="occasion_unique_per_class_date_label")]
        indexes = [models.Index(fields=["measure", "section", "date"])]

    def __str__(self) -> str:
        return self.label or self.date.isoformat()


class StudentValue(models.Model):
    """One student's value on one occasion; ``value`` None means missing."""

    occasion = models.ForeignKey(Occasion, on_delete=models.CASCADE, related_name="values")
    student = models.ForeignKey(Student, on_delete=models.CASCADE, related_name="+")
    value = models.FloatField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["occasion", "student"],
                                               name="student_value_unique")]

    def __str__(self) -> str:
        return f"{self.student} {self.value}"


class ClassTotal(models.Model):
    """A class-level total for one occasion: ``k`` of ``n`` (proportion) or a count ``k``
    over an opportunity ``n`` (students present, minutes observed)."""

    occasion = models.OneToOneField(Occasion, on_delete=models.CASCADE, related_name="total")
    numerator = models.PositiveIntegerField()
    denominator = models.PositiveIntegerField()

    def __str__(self) -> str:
        return f"{self.numerator} of {self.denominator}"


class Annotation(models.Model):
    """A teacher's dated short note on a measure ("snow day", "sub all week"), drawn on
    its charts: on one class's chart when ``section`` is set, on every chart otherwise.
    Written by the measure's editors only (``uptake.inquiry.actions``)."""

    TEXT_MAX = 60  # drawn along a line on the chart: a few words

    measure = models.ForeignKey(Measure, on_delete=models.CASCADE, related_name="annotations")
    section = models.ForeignKey(Section, on_delete=models.CASCADE, null=True, blank=True,
                                related_name="+")
    date = models.DateField()
    text = models.CharField(max_length=TEXT_MAX)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                   null=True, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["date", "pk"]

    def __str__(self) -> str:
        return f"{self.date}: {self.text}"


class SeriesSummary(models.Model):
    """A measure's study figures, computed ahead for the district's dashboards: one row per
    class of the measure (``section`` set) and one for its classes together (``section``
    None). Written only by :func:`uptake.inquiry.summaries.refresh_measure` from the study
    page's own code (``uptake.inquiry.study``); marked ``stale`` whenever the measure's data,
    classes or settings change and refreshed by a task, or by the first read that finds it
    stale (``uptake.inquiry.queries.series_summaries``).

    ``verdict`` is the verdict's label key (``sustained_improvement``,
    ``change_not_sustained``, ``got_worse``, ``no_signal``, ``not_enough_data``), "" when the
    measure has no change date. ``mean_change``/``ci_low``/``ci_high``/``d_av`` are the
    paired change (after the change minus before, in the measure's units, as the study page
    gives it) and are None when the page gives none (no change date, "not enough data",
    fewer than two students with enough scores, class-level kinds). ``smc`` and
    ``smc_variance`` are the standardized mean change of the class for pooling
    (``uptake.analysis.pooling.standardized_mean_change``), signed so that a positive value
    is a change in the better direction. ``groups`` holds each student group's count and
    mean change, UNSUPPRESSED: suppression happens where the figures are shown.
    """

    measure = models.ForeignKey(Measure, on_delete=models.CASCADE, related_name="summaries")
    section = models.ForeignKey(Section, on_delete=models.CASCADE, null=True, blank=True,
                                related_name="+")
    district = models.ForeignKey(District, on_delete=models.CASCADE, related_name="+")
    school = models.ForeignKey(School, on_delete=models.SET_NULL, null=True, blank=True,
                               related_name="+")
    grade = models.CharField(max_length=100, blank=True)
    kind = models.CharField(max_length=12, choices=Measure.Kind.choices)
    direction = models.CharField(max_length=4, choices=Measure.Direction.choices,
                                 default=Measure.Direction.UP)
    # A class that collects the measure without trying the change (the comparison design).
    comparison = models.BooleanField(default=False)
    verdict = models.CharField(max_length=30, blank=True)
    reason = models.TextField(blank=True)
    n_students = models.PositiveIntegerField(default=0)
    n_points = models.PositiveIntegerField(default=0)
    paired_n = models.PositiveIntegerField(null=True, blank=True)
    mean_change = models.FloatField(null=True, blank=True)
    ci_low = models.FloatField(null=True, blank=True)
    ci_high = models.FloatField(null=True, blank=True)
    d_av = models.FloatField(null=True, blank=True)
    smc = models.FloatField(null=True, blank=True)
    smc_variance = models.FloatField(null=True, blank=True)
    groups = models.JSONField(default=dict, blank=True)
    refreshed_at = models.DateTimeField(default=timezone.now)
    stale = models.BooleanField(default=False, db_index=True)

    class Meta:
        ordering = ["measure", "section"]
        constraints = [
            models.UniqueConstraint(fields=["measure", "section"],
                                    name="series_summary_unique_per_class"),
            models.UniqueConstraint(fields=["measure"], condition=models.Q(section=None),
                                    name="series_summary_unique_together"),
        ]
        indexes = [models.Index(fields=["district", "school"])]

    def __str__(self) -> str:
        return f"{self.measure_id}/{self.section_id or 'together'}: {self.verdict or '-'}"
