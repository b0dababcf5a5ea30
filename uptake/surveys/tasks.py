"""Background work of surveys, run by ``manage.py db_worker`` (django.tasks): the daily
reminders, the same as ``manage.py survey_reminders``."""

from __future__ import annotations

from django.tasks import task

from uptake.surveys.actions import remind_open_surveys


@task()
def remind_open_surveys_task() -> int:
    """Remind non-respondents of every open survey; how many reminders went out."""
    return sum(remind_open_surveys().values())
