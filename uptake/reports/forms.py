"""The case's three paragraphs, as the coordinator edits them."""

from __future__ import annotations

from django import forms

from uptake.reports.models import PARAGRAPH_MAX


class CaseForm(forms.Form):
    challenge = forms.CharField(
        label="Challenge", required=False, max_length=PARAGRAPH_MAX,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="The need: who your students are and what they need to learn.")
    solution = forms.CharField(
        label="Solution", required=False, max_length=PARAGRAPH_MAX,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="The professional learning: what it is, who took part, what it cost.")
    impact = forms.CharField(
        label="Impact", required=False, max_length=PARAGRAPH_MAX,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text="What changed for students, with the numbers. Leave a paragraph as the "
                  "draft (or empty) and it keeps following the figures.")
