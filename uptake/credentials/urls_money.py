from __future__ import annotations

from django.urls import path

from uptake.credentials import views_money as v

# Names other modules rely on: stipends, transcript.
urlpatterns: list = [
    path("stipends/", v.stipends, name="stipends"),
    path("stipends/payroll.csv", v.stipends_csv, name="stipends_csv"),
    path("totals/", v.totals, name="totals"),
    path("transcripts/", v.transcripts, name="transcripts"),
    path("transcript/<int:person_id>/", v.transcript, name="transcript"),
    path("transcript/<int:person_id>/transcript.csv", v.transcript_csv,
         name="transcript_csv"),
    path("transcript/<int:person_id>/transcript.pdf", v.transcript_pdf,
         name="transcript_pdf"),
]
