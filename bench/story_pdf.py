"""Benchmark: the story PDF at district size, against WeasyPrint's own floor.

    .venv/bin/python bench/story_pdf.py [--repeats 15] [--seed 1] [--keep DIR]

The story a district's teacher publishes at the end of a year: three charts of a class of
30 over 40 weekly points (drawn by ``uptake.analysis.charts.render_chart``, as the study
page draws them: 20 before the change, 20 after; the class result of each point rests on
30 students), each with its class-level change, growth and six group rows, two photos
from a phone (4032 x 3024 JPEG, about 3 MB each), the four parts of the narrative written
out (about 700 characters each), and the evidence ladder with four levels filled. The
snapshot has the shape ``uptake.stories.snapshot.build_snapshot`` gives; rendering it
reads no database, so none is built.

Targets, each rendered ``--repeats`` times after two warm-up renders (fonts and
stylesheets loaded), timed with ``time.perf_counter``:

- floor: WeasyPrint writing a tagged PDF/UA-1 of a minimal page (one heading, one
  paragraph, the same DejaVu font), the least any PDF costs;
- words: the story with no chart and no photo (``render_story_pdf``): the template, the
  partial, the print stylesheet, the tagging of the text;
- one chart: the story with its first chart only and the two photos (the typical
  one-page story);
- story: the whole story, as a download draws it (``render_story_pdf`` with the three
  charts inline as SVG and the two photos, already shrunk);
- photos: shrinking the two photos to print size (``uptake.stories.pdf._shrink``),
  which every download does after reading them from storage.

Prints the median and p90 milliseconds of each, its ratio to the floor, and the story's
page count and size. The machine's other load moves the absolute figures; the ratios are
what to compare. ``--keep DIR`` writes the story PDF there to look at.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import platform
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

WEEKS = 40
BASELINE = 20
CLASS_SIZE = 30
PHOTO = (4032, 3024)
NARRATIVE = (
    "In the fall, most of my students could get an answer but very few could say how they "
    "got there. When I asked why, the same three hands went up. I wanted every student to "
    "explain their thinking out loud and in writing, not only the confident ones. "
)


def setup(workdir: Path) -> None:
    from web_throughput import django_env  # production settings, as every benchmark

    os.environ.update(django_env(workdir / "unused.sqlite3", workdir))
    import django

    django.setup()


def _paragraphs(rng: random.Random, sentences: int = 4) -> str:
    words = NARRATIVE.split()
    out = []
    for _ in range(2):
        rng.shuffle(words)
        out.append(" ".join(words[: 12 * sentences // 2]).capitalize() + ".")
    return "\n\n".join(out)[:700]


def chart(rng: random.Random, name: str, start: date) -> dict[str, Any]:
    """One chart of a class of 30 over 40 weeks, as the snapshot holds it."""
    from uptake.analysis.charts import render_chart

    values = [round(55 + rng.gauss(0, 6) + (9 if week >= BASELINE else 0), 1)
              for week in range(WEEKS)]
    labels = [f"{start + timedelta(weeks=w):%b %-d}" for w in range(WEEKS)]
    title = f"{name}: Grade 7 Math - Period 3"
    wide = render_chart(values, baseline_n=BASELINE, labels=labels, title=title,
                        y_title="Class mean", y_scale=(0, 100), layout="wide")
    label = wide.verdict.label if wide.verdict is not None else "not_enough_data"
    return {
        "title": title, "measure": name, "direction": "up", "verdict": label,
        "verdict_text": label.replace("_", " "),
        "reason": wide.verdict.reason if wide.verdict is not None else "",
        "svg": wide.svg, "svg_narrow": "", "description": wide.description,
        "points": [{"when": (start + timedelta(weeks=w)).isoformat(), "name": labels[w],
                    "value": f"{v:.3g}", "n": CLASS_SIZE,
                    "phase": "before" if w < BASELINE else "after"}
                   for w, v in enumerate(values)],
        "change": {"n": CLASS_SIZE, "mean": "8.7", "low": "6.1", "high": "11.2",
                   "confidence": 95},
        "growth": {"n": CLASS_SIZE, "improved": 21, "stayed": 6, "declined": 3},
        "groups": [{"dimension": d, "group": g, "n": n, "median_change": m}
                   for d, g, n, m in (("English learners", "Yes", None, None),
                                      ("English learners", "No", None, None),
                                      ("Special education", "Not reported", 30, "8.5"),
                                      ("Economically disadvantaged", "Yes", 18, "9.1"),
                                      ("Economically disadvantaged", "No", 12, "7.9"),
                                      ("Sex", "Not specified", 30, "8.5"))],
    }


def photo(rng: random.Random) -> bytes:
    """A phone photo's worth of JPEG: noise, so it compresses as a photo does."""
    from PIL import Image

    small = Image.frombytes("RGB", (PHOTO[0] // 8, PHOTO[1] // 8),
                            rng.randbytes(PHOTO[0] // 8 * PHOTO[1] // 8 * 3))
    out = io.BytesIO()
    small.resize(PHOTO).save(out, "JPEG", quality=90)
    return out.getvalue()


def snapshot(rng: random.Random) -> dict[str, Any]:
    start = date(2025, 9, 1)
    return {
        "version": 1, "taken_at": "2026-06-12T15:00:00+00:00",
        "title": "Talk moves in Grade 7 math", "language": "en",
        "teacher": "Jamie Nguyen", "school": "Cedar Middle", "district": "Maple Valley Unified",
        "question": _paragraphs(rng), "what_changed": _paragraphs(rng),
        "what_happened": _paragraphs(rng), "whats_next": _paragraphs(rng),
        "charts": [chart(rng, name, start) for name in ("Exit ticket", "Explains reasoning",
                                                         "Unit test")],
        "artifacts": [{"artifact_id": i, "title": title, "kind": "photo",
                       "kind_label": "Photo", "caption": caption,
                       "description": "Chart paper with the class's sentence starters",
                       "is_image": True, "has_file": True, "link": "", "body": "",
                       "identifies_students": False}
                      for i, title, caption in ((1, "Anchor chart", "Week 9, our sentence "
                                                 "starters"),
                                                (2, "Talk-move cards", "On every table"))],
        "ladder": [{"level": 1, "label": "Reactions", "items": [
                        {"label": "reflections", "count": 3}]},
                   {"level": 2, "label": "Learning", "items": [
                        {"label": "learning sources", "count": 2}]},
                   {"level": 3, "label": "Organization support", "items": []},
                   {"level": 4, "label": "Use", "items": [
                        {"label": "observations", "count": 4}]},
                   {"level": 5, "label": "Student outcomes", "items": [
                        {"label": "measures with data", "count": 3}]}],
        "min_group_size": 10,
    }


def timed(fn: Callable[[], Any], repeats: int) -> list[float]:
    for _ in range(2):
        fn()
    times = []
    for _ in range(repeats):
        started = time.perf_counter()
        fn()
        times.append(time.perf_counter() - started)
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeats", type=int, default=15)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--keep", type=Path, default=None)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as folder:
        setup(Path(folder))
        import weasyprint

        from uptake.stories.pdf import Image, _shrink, render_story_pdf

        rng = random.Random(args.seed)
        story = snapshot(rng)
        raw = [photo(rng) for _ in story["artifacts"]]
        shrunk = {a["artifact_id"]: Image(a["artifact_id"], *_shrink(data, "image/jpeg"))
                  for a, data in zip(story["artifacts"], raw, strict=True)}
        words = {**story, "charts": [], "artifacts": []}
        typical = {**story, "charts": story["charts"][:1]}
        floor_html = ('<!doctype html><html lang="en"><head><meta charset="utf-8"><title>'
                      'Floor</title></head><body style="font-family: DejaVu Sans"><h1>A '
                      'story</h1><p>One paragraph of text.</p></body></html>')

        def floor() -> bytes:
            return weasyprint.HTML(string=floor_html).write_pdf(pdf_variant="pdf/ua-1",
                                                                pdf_tags=True)

        def draw_words() -> bytes:
            return render_story_pdf(words, language="en")

        def draw_typical() -> bytes:
            return render_story_pdf(typical, language="en", artifact_images=shrunk)

        def draw_story() -> bytes:
            return render_story_pdf(story, language="en", artifact_images=shrunk)

        def shrink_photos() -> None:
            for data in raw:
                _shrink(data, "image/jpeg")

        targets = {"floor": floor, "words": draw_words, "one chart": draw_typical,
                   "story": draw_story,
                   "photos": shrink_photos}
        results = {name: timed(fn, args.repeats) for name, fn in targets.items()}
        pdf = draw_story()
        import pikepdf

        with pikepdf.open(io.BytesIO(pdf)) as document:
            pages = len(document.pages)
        with pikepdf.open(io.BytesIO(draw_typical())) as document:
            typical_pages = len(document.pages)
        if args.keep:
            args.keep.mkdir(parents=True, exist_ok=True)
            (args.keep / "story.pdf").write_bytes(pdf)

    floor_median = statistics.median(results["floor"])
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python "
          f"{platform.python_version()}, WeasyPrint {weasyprint.__version__}, load "
          f"{os.getloadavg()[0]:.1f}")
    print(f"story: 3 charts x {WEEKS} points, class of {CLASS_SIZE}, 2 photos "
          f"{PHOTO[0]}x{PHOTO[1]} ({sum(map(len, raw)) / 1e6:.1f} MB); PDF {pages} page(s), "
          f"{len(pdf) / 1e3:.0f} kB (one chart: {typical_pages} page(s)); {args.repeats} "
          "renders each")
    print(f"{'target':<10}{'median ms':>11}{'p90 ms':>9}{'x floor':>9}")
    summary = {}
    for name, times in results.items():
        median = statistics.median(times)
        p90 = statistics.quantiles(times, n=10)[-1] if len(times) >= 2 else median
        summary[name] = {"median_ms": round(median * 1000, 1), "p90_ms": round(p90 * 1000, 1),
                         "ratio": round(median / floor_median, 1)}
        print(f"{name:<10}{median * 1000:>11.1f}{p90 * 1000:>9.1f}"
              f"{median / floor_median:>9.1f}")
    print(json.dumps({"pages": pages, "typical_pages": typical_pages, "bytes": len(pdf),
                      **summary}))


if __name__ == "__main__":
    main()
