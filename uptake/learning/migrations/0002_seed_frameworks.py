"""Give every existing district the seven Standards for Professional Learning and a
generic teaching-practice framework (domains and components).

New districts get them from ``uptake.learning.actions.do_seed_frameworks`` (called when a
district is created). This is a frozen copy of ``uptake/learning/seeds.py`` as it was when
the migration was written: migrations never import app code.
"""

from django.db import migrations

# (seed_key, name, kind, description, elements); element = (code, title, description, children)
FRAMEWORKS = (('standards-for-professional-learning',
  'Standards for Professional Learning',
  'standards',
  'The seven standards for professional learning that improves educator practice and results '
  'for students.',
  (('LC',
    'Learning Communities',
    'Educators learn together in teams that share responsibility for every student and keep '
    'improving.',
    ()),
   ('LE',
    'Leadership',
    "Leaders at every level make professional learning a priority, build others' capacity and "
    'create the conditions for it.',
    ()),
   ('RE',
    'Resources',
    'Time, people, money and tools for learning are planned, fairly shared and checked for '
    'what they return.',
    ()),
   ('DA',
    'Data',
    'Evidence about students, educators and the system decides what to learn and shows whether '
    'the learning worked.',
    ()),
   ('LD',
    'Learning Designs',
    'Learning is designed around how adults learn best and what it should achieve.',
    ()),
   ('IM',
    'Implementation',
    'New practice is supported over time, with feedback, until it takes hold in classrooms.',
    ()),
   ('OU',
    'Outcomes',
    'Learning is tied to what educators are expected to do and what students are expected to '
    'learn, and aims at results for students.',
    ()))),
 ('teaching-practice',
  'Teaching practice',
  'practice',
  "A generic framework of the domains of a teacher's work and their components. Rename, "
  "reorder or replace it with your district's own.",
  (('1',
    'Planning and Preparation',
    'The work done before students arrive.',
    (('1.1', 'Knowing the subject and how students come to understand it', '', ()),
     ('1.2', 'Knowing these students: their strengths, interests and needs', '', ()),
     ('1.3', 'Setting clear, worthwhile learning outcomes', '', ()),
     ('1.4', 'Choosing materials and resources that fit the outcomes', '', ()),
     ('1.5', 'Designing lessons and units that build on each other', '', ()),
     ('1.6', 'Planning how learning will be checked', '', ()))),
   ('2',
    'Classroom Environment',
    'The room students learn in, and how it feels.',
    (('2.1', 'Relationships grounded in respect and trust', '', ()),
     ('2.2', 'A shared belief that effort and learning matter', '', ()),
     ('2.3', 'Routines that keep time for learning', '', ()),
     ('2.4', 'Agreed expectations for conduct, upheld consistently', '', ()),
     ('2.5', 'A space arranged so that everyone can take part', '', ()))),
   ('3',
    'Instruction',
    'What happens while students are learning.',
    (('3.1', 'Explaining purpose and content clearly', '', ()),
     ('3.2', "Questions and discussion that push students' thinking", '', ()),
     ('3.3', 'Tasks that engage every student in real thinking', '', ()),
     ('3.4', 'Checking for understanding and giving feedback during lessons', '', ()),
     ('3.5', 'Adjusting in the moment to what students show', '', ()))),
   ('4',
    'Professional Responsibilities',
    'The work around and beyond lessons.',
    (('4.1', 'Reflecting on teaching and its effect on students', '', ()),
     ('4.2', 'Keeping accurate, useful records', '', ()),
     ('4.3', 'Working with families as partners', '', ()),
     ('4.4', "Contributing to colleagues' learning and the school's", '', ()),
     ('4.5', 'Learning and growing as a professional', '', ()),
     ('4.6', 'Acting with integrity and speaking up for students', '', ()))))))


def _elements(FrameworkElement, framework, elements, parent=None):
    for order, (code, title, description, children) in enumerate(elements, start=1):
        element = FrameworkElement.objects.create(
            framework=framework, parent=parent, code=code, title=title,
            description=description, order=order)
        _elements(FrameworkElement, framework, children, element)


def seed(apps, schema_editor):
    District = apps.get_model("accounts", "District")
    Framework = apps.get_model("learning", "Framework")
    FrameworkElement = apps.get_model("learning", "FrameworkElement")
    for district in District.objects.all().iterator():
        have = set(Framework.objects.filter(district=district).values_list("seed_key", flat=True))
        names = set(Framework.objects.filter(district=district).values_list("name", flat=True))
        for seed_key, name, kind, description, elements in FRAMEWORKS:
            if seed_key in have:
                continue
            framework = Framework.objects.create(
                district=district, name=name if name not in names else f"{name} (Uptake)",
                kind=kind, description=description, seed_key=seed_key)
            _elements(FrameworkElement, framework, elements)


class Migration(migrations.Migration):

    dependencies = [
        ("accounts", "0001_initial"),
        ("learning", "0001_initial"),
    ]

    operations = [
        # Reversing keeps the rows: coordinators may have edited them since.
        migrations.RunPython(seed, migrations.RunPython.noop),
    ]
