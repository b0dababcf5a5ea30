"""Who learns from whom, and the changes it led to (docs/networks.md).

**The edge convention.** A tie ``a → b`` means knowledge or advice flows from a to b. A
survey nomination "i goes to j for advice" is stored reversed, as ``j → i``; an edge-list
import says which way its rows read and is reversed the same way when they are
nominations.

A node is a person of the district (``User``) or someone outside it (``Contact``: a PLN
contact, an online community, another district's coach), so each end of a tie is exactly
one of the two. Ties come in layers: ``survey`` (a network survey's roster answers),
``import`` (an edge list), ``reported`` (a teacher names who she learns from, her own
PLN); the ties Uptake already knows (coaching, plan reviews, teams, observations, shared
inquiries, practices tried from the library) are read live from those apps
(``queries.known_ties``) and never copied here.
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone

from uptake.accounts.models import District, School

# The relations every district has; a district adds its own (``Relation``).
BUILTIN_RELATIONS: dict[str, tuple[str, str]] = {
    "advice": ("Advice", "Whom do you go to for advice about your teaching?"),
    "information": ("Information and resources", "Who shares information or resources "
                                                  "with you?"),
    "collaboration": ("Collaboration", "With whom do you plan, teach or inquire together?"),
}
# The known layer's relations (read live, see ``queries.known_ties``).
KNOWN_RELATIONS: dict[str, str] = {
    "coaching": "Coaching",
    "plan_review": "Plan review",
    "team": "Same team",
    "observation": "Peer observation",
    "shared_inquiry": "Shared inquiry",
    "practice_tried": "Practice tried from the library",
}
MAX_WEIGHT = 10


class Relation(models.Model):
    """A relation a district adds to the built-in ones ("whom do you go to about
    assessment?")."""

    district = models.ForeignKey(District, on_delete=models.CASCADE,
                                 related_name="network_relations")
    key = models.SlugField(max_length=40)
    label = models.CharField(max_length=120)
    question = models.CharField(max_length=300, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                   null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["label", "pk"]
        constraints = [models.UniqueConstraint(fields=["district", "key"],
                                               name="relation_unique_key")]

    def __str__(self) -> str:
        return self.label


class Contact(models.Model):
    """Someone outside the district: a node of the network marked external."""

    class Kind(models.TextChoices):
        PERSON = "person", "A person"
        COMMUNITY = "community", "An online community"
        ORGANISATION = "organisation", "An organisation"

    district = models.ForeignKey(District, on_delete=models.CASCADE,
                                 related_name="network_contacts")
    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.PERSON)
    # Where the contact is met: "X (Twitter)", "r/Teachers", "Lakeside district".
    platform = models.CharField(max_length=120, blank=True)
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                 null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["name", "pk"]
        constraints = [models.UniqueConstraint(fields=["district", "name", "platform"],
                                               name="contact_unique_name")]

    def __str__(self) -> str:
        return f"{self.name} ({self.platform})" if self.platform else self.name


class NetworkImport(models.Model):
    """One batch of ties brought in at once: a network survey's answers or an edge list.
    Deleting it takes its ties with it; bringing the same survey question in again
    replaces the earlier batch."""

    class Kind(models.TextChoices):
        SURVEY = "survey", "Network survey"
        EDGE_LIST = "edge_list", "Edge list"

    district = models.ForeignKey(District, on_delete=models.CASCADE,
                                 related_name="network_imports")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    relation = models.CharField(max_length=40, blank=True,
                                help_text="The relation of every tie (survey); blank when "
                                          "the file names it per row.")
    survey = models.ForeignKey("surveys.Survey", on_delete=models.SET_NULL, null=True,
                               blank=True, related_name="+")
    question = models.ForeignKey("surveys.Question", on_delete=models.SET_NULL, null=True,
                                 blank=True, related_name="+")
    file_name = models.CharField(max_length=255, blank=True)
    # True when the rows were nominations ("i goes to j") and were stored reversed.
    nominations_reversed = models.BooleanField(default=True)
    observed_on = models.DateField(help_text="When the ties were observed (the period).")
    # Survey waves: who was asked and who answered (person ids). A non-respondent is an
    # unobserved node, not a node without ties.
    invited = models.JSONField(default=list, blank=True)
    responded = models.JSONField(default=list, blank=True)
    rows = models.PositiveIntegerField(default=0)
    ties = models.PositiveIntegerField(default=0)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                   null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} of {self.observed_on}"


class Tie(models.Model):
    """A directed, valued tie: knowledge or advice flows from source to target."""

    class Origin(models.TextChoices):
        SURVEY = "survey", "Network survey"
        IMPORT = "import", "Edge-list import"
        REPORTED = "reported", "Named by the person"

    district = models.ForeignKey(District, on_delete=models.CASCADE, related_name="ties")
    relation = models.CharField(max_length=40)
    source_person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                                      null=True, blank=True, related_name="ties_out")
    source_contact = models.ForeignKey(Contact, on_delete=models.CASCADE, null=True,
                                       blank=True, related_name="ties_out")
    target_person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                                      null=True, blank=True, related_name="ties_in")
    target_contact = models.ForeignKey(Contact, on_delete=models.CASCADE, null=True,
                                       blank=True, related_name="ties_in")
    # How often, as a rank (1 = least often) and as the label the person chose.
    weight = models.PositiveSmallIntegerField(
        default=1, validators=[MinValueValidator(1), MaxValueValidator(MAX_WEIGHT)])
    frequency = models.CharField(max_length=60, blank=True)
    observed_on = models.DateField()
    origin = models.CharField(max_length=20, choices=Origin.choices)
    network_import = models.ForeignKey(NetworkImport, on_delete=models.CASCADE, null=True,
                                       blank=True, related_name="tie_set")
    # For a reported tie: the person who named it (one end of it is always her).
    reported_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                                    null=True, blank=True, related_name="ties_reported")
    note = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["pk"]
        indexes = [models.Index(fields=["district", "relation", "observed_on"],
                                name="tie_district_relation")]
        constraints = [
            models.CheckConstraint(
                condition=(Q(source_person__isnull=False, source_contact__isnull=True)
                           | Q(source_person__isnull=True, source_contact__isnull=False)),
                name="tie_one_source"),
            models.CheckConstraint(
                condition=(Q(target_person__isnull=False, target_contact__isnull=True)
                           | Q(target_person__isnull=True, target_contact__isnull=False)),
                name="tie_one_target"),
        ]

    def __str__(self) -> str:
        return f"{self.relation} tie {self.pk}"


class Change(models.Model):
    """A change a school made because of what someone learned (knowledge mobilisation)."""

    class Kind(models.TextChoices):
        LESSON_TAUGHT = "lesson_taught", "A shared lesson that got taught"
        PD_LED = "pd_led", "Professional learning led"
        SCHOOL_VISIT = "school_visit", "A school visit"
        GRADING_POLICY = "grading_policy", "Grading policy changed"
        MEETING_PROTOCOL = "meeting_protocol", "Meeting protocol changed"
        TECHNOLOGY_POLICY = "technology_policy", "Technology policy changed"
        RESOURCE_ADOPTED = "resource_adopted", "A resource adopted"
        OTHER = "other", "Other"

    class Depth(models.TextChoices):
        SOFT = "soft", "Soft: felt better connected or more confident"
        REAL = "real", "Real: a change to policy, practice or how the school runs"

    class SourceKind(models.TextChoices):
        # Where the knowledge came from, for the reports "by kind of source".
        SOCIAL_MEDIA = "social_media", "A professional network or social media"
        COURSE = "course", "A course, workshop or conference"
        COACHING = "coaching", "Coaching"
        COLLEAGUES = "colleagues", "Colleagues"
        LIBRARY = "library", "The shared-practice library"
        OTHER = "other", "Other"

    class Counterfactual(models.TextChoices):
        # "Would this have happened without it?"
        YES = "yes", "Yes, it would have happened anyway"
        PROBABLY = "probably", "Probably"
        UNSURE = "unsure", "Unsure"
        PROBABLY_NOT = "probably_not", "Probably not"
        NO = "no", "No, not without it"

    district = models.ForeignKey(District, on_delete=models.CASCADE,
                                 related_name="knowledge_changes")
    school = models.ForeignKey(School, on_delete=models.SET_NULL, null=True, blank=True,
                               related_name="knowledge_changes",
                               help_text="Blank: a change across the district.")
    kind = models.CharField(max_length=30, choices=Kind.choices)
    depth = models.CharField(max_length=10, choices=Depth.choices)
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    happened_on = models.DateField()
    # The source: one of these, or only ``source_note``.
    source_kind = models.CharField(max_length=20, choices=SourceKind.choices)
    learning_source = models.ForeignKey("learning.LearningSource", on_delete=models.SET_NULL,
                                        null=True, blank=True, related_name="+")
    practice = models.ForeignKey("library.Practice", on_delete=models.SET_NULL, null=True,
                                 blank=True, related_name="+")
    program = models.ForeignKey("programs.Program", on_delete=models.SET_NULL, null=True,
                                blank=True, related_name="knowledge_changes")
    contact = models.ForeignKey(Contact, on_delete=models.SET_NULL, null=True, blank=True,
                                related_name="changes")
    source_note = models.CharField(max_length=300, blank=True)
    counterfactual = models.CharField(max_length=20, choices=Counterfactual.choices)
    evidence = models.TextField(blank=True, help_text="What shows the change happened.")
    evidence_link = models.URLField(max_length=500, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                    null=True, related_name="knowledge_changes_recorded")
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-happened_on", "-pk"]
        indexes = [models.Index(fields=["district", "happened_on"],
                                name="change_district_date")]

    def __str__(self) -> str:
        return self.title


class ChangeStep(models.Model):
    """One link of the chain from the source to the change: who carried it, and what they
    did ("heard it on a podcast", "shared it at the PLC", "the principal adopted it")."""

    change = models.ForeignKey(Change, on_delete=models.CASCADE, related_name="steps")
    position = models.PositiveSmallIntegerField()
    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, null=True,
                               blank=True, related_name="+")
    contact = models.ForeignKey(Contact, on_delete=models.CASCADE, null=True, blank=True,
                                related_name="+")
    did = models.CharField(max_length=200)

    class Meta:
        ordering = ["change", "position"]
        constraints = [
            models.UniqueConstraint(fields=["change", "position"], name="change_step_unique"),
            models.CheckConstraint(
                condition=(Q(person__isnull=False, contact__isnull=True)
                           | Q(person__isnull=True, contact__isnull=False)),
                name="change_step_one_carrier"),
        ]

    def __str__(self) -> str:
        return f"{self.position}. {self.did}"


class CommunityImport(models.Model):
    """An export of an online community (posts and comments) and what Staudt Willet and
    Carpenter's (2021) measures made of it. Only its owner reads it; authors are kept only
    as pseudonyms ("Contributor 17"), salted per import."""

    class Status(models.TextChoices):
        QUEUED = "queued", "Waiting to start"
        RUNNING = "running", "Being read"
        DONE = "done", "Done"
        FAILED = "failed", "Failed"

    district = models.ForeignKey(District, on_delete=models.CASCADE,
                                 related_name="community_imports")
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                              related_name="community_imports")
    name = models.CharField(max_length=200, help_text="The community, e.g. r/Teachers.")
    upload = models.FileField(upload_to="community/%Y/%m/", blank=True)
    file_name = models.CharField(max_length=255)
    # A period divides the year (half-years by default, as Staudt Willet and Carpenter).
    period_months = models.PositiveSmallIntegerField(
        default=6, choices=[(m, f"{m} month{'s' if m > 1 else ''}") for m in (1, 2, 3, 4, 6, 12)])
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    progress = models.FloatField(default=0.0)  # 0..1
    rows_read = models.PositiveIntegerField(default=0)
    contributions = models.PositiveIntegerField(default=0)
    dropped = models.PositiveIntegerField(default=0)  # deleted or removed
    salt = models.CharField(max_length=64)
    result = models.JSONField(default=dict, blank=True)
    error = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return self.name


class CodingItem(models.Model):
    """A contribution drawn into the sample to code with the codebook."""

    community_import = models.ForeignKey(CommunityImport, on_delete=models.CASCADE,
                                         related_name="coding_items")
    position = models.PositiveIntegerField()
    is_post = models.BooleanField()
    pseudonym = models.CharField(max_length=40)
    created = models.DateTimeField()
    text = models.TextField()  # title and body, usernames replaced by pseudonyms
    code = models.CharField(max_length=40, blank=True)
    note = models.CharField(max_length=300, blank=True)
    coded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["community_import", "position"]
        constraints = [models.UniqueConstraint(fields=["community_import", "position"],
                                               name="coding_item_unique")]

    def __str__(self) -> str:
        return f"{self.pseudonym}, item {self.position}"
