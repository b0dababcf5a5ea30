"""``uptake analyze FILE``: summaries, the JSON contract, and precise errors (exit 2)."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest

from uptake.analysis.command import main

ROWS = [60, 64, 61, 63, 59, 62, 65, 58, 62, 61, 63, 60, 66, 67, 65, 68, 70, 66, 69, 67, 68, 70]
JSON_KEYS = {"n_obs", "n_useful", "centre", "baseline_n", "runs", "ihi", "limits", "outside",
             "verdict"}


def run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    status = main(list(argv), stdout=out, stderr=err)
    return status, out.getvalue(), err.getvalue()


def write_csv(path: Path, text: str) -> str:
    path.write_text(text, encoding="utf-8")
    return str(path)


@pytest.fixture
def scores(tmp_path: Path) -> str:
    lines = ["date,value"] + [f"2026-01-{i + 1:02d},{v}" for i, v in enumerate(ROWS)]
    lines[5] = "2026-01-05,"  # a blank cell is a missing value
    return write_csv(tmp_path / "scores.csv", "\n".join(lines) + "\n")


def test_it_prints_a_short_summary_with_the_verdict(scores: str) -> None:
    status, out, err = run(scores, "--baseline", "12")
    assert status == 0, err
    assert "scores.csv: run chart, 22 points" in out
    assert "Verdict: sustained improvement" in out
    assert "above the baseline median of 62" in out  # 59 (row 6) is blank


def test_it_prints_exactly_the_documented_json_keys(scores: str) -> None:
    status, out, _ = run(scores, "--baseline", "12", "--json", "--chart", "i")
    assert status == 0
    data = json.loads(out)
    assert set(data) == JSON_KEYS
    assert set(data["runs"]) == {"longest_run", "longest_run_max", "n_crossings",
                                 "n_crossings_min", "signal"}
    assert set(data["ihi"]) == {"shift", "trend", "longest_trend", "n_runs", "runs_lower",
                                "runs_upper", "too_few_runs", "too_many_runs"}
    assert set(data["limits"]) == {"cl", "ucl", "lcl"}
    assert len(data["limits"]["ucl"]) == len(data["limits"]["lcl"]) == 22
    assert set(data["verdict"]) == {"label", "reason"}
    assert data["n_obs"] == 22 and data["baseline_n"] == 12
    assert data["verdict"]["label"] == "sustained_improvement"


def test_it_leaves_limits_empty_for_a_run_chart_and_the_verdict_open_without_a_baseline(
    scores: str,
) -> None:
    data = json.loads(run(scores, "--json")[1])
    assert data["limits"] is None and data["outside"] == []
    assert data["verdict"]["label"] is None and "--baseline" in data["verdict"]["reason"]


def test_it_reads_xlsx_counts_for_a_p_chart(tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["Label", "Numerator", "Denominator"])
    k = [10, 12, 11, 9, 13, 10, 12, 11, 10, 12, 18, 19, 17, 20, 18, 19, 18, 20, 19, 18]
    for i, x in enumerate(k):
        sheet.append([f"Week {i + 1}", x, 25])
    sheet.append([None, None, None])  # a blank row is skipped
    path = tmp_path / "passing.xlsx"
    book.save(path)
    status, out, err = run(str(path), "--chart", "p", "--baseline", "10", "--json")
    assert status == 0, err
    data = json.loads(out)
    assert data["centre"] == pytest.approx(110 / 250)
    assert data["verdict"]["label"] == "sustained_improvement"


@pytest.mark.parametrize(
    ("text", "args", "message"),
    [
        ("value\n1\nabc\n", (), "row 3, column A (value): 'abc' is not a number"),
        ("", (), "the file is empty"),
        ("value\n", (), "no data rows"),
        ("numerator,denominator\n3,4\n5,4\n", ("--chart", "p"),
         "row 3, column A (numerator): the numerator 5 is larger than the denominator 4"),
        ("numerator,denominator\n-1,4\n", ("--chart", "p"),
         "row 2, column A (numerator): -1 is negative"),
        ("numerator,denominator\n1,-4\n", ("--chart", "u"),
         "row 2, column B (denominator): -4 is negative"),
        ("value\n3\n-2\n", ("--chart", "c"), "row 3, column A (value): -2 is negative"),
        ("date,score\n2026-01-01,3\n", (), "row 1, column B: unknown column 'score'"),
        ("date\n2026-01-01\n", (), "give a 'value' column"),
        ("value,numerator,denominator\n1,1,2\n", (), "not both kinds"),
        ("value\n1\n2\n", ("--baseline", "5"), "--baseline 5 is longer than the 2 points"),
        ("value\n1\n2\n", ("--rules", "mdc"), "need control limits"),
        ("value\n1\n2\n", ("--chart", "p"), "needs 'numerator' and 'denominator' columns"),
    ],
)
def test_it_exits_2_naming_the_row_and_column_of_bad_input(
    tmp_path: Path, text: str, args: tuple[str, ...], message: str
) -> None:
    path = write_csv(tmp_path / "bad.csv", text)
    status, out, err = run(path, *args)
    assert status == 2
    assert out == ""
    assert message in err


def test_it_exits_2_for_a_missing_file_or_an_unknown_option(tmp_path: Path) -> None:
    assert run(str(tmp_path / "nope.csv"))[0] == 2
    status, _, err = run(str(tmp_path / "nope.csv"), "--chart", "xbar")
    assert status == 2 and "invalid choice" in err


def test_it_writes_an_accessible_svg(scores: str, tmp_path: Path) -> None:
    target = tmp_path / "chart.svg"
    status, _, err = run(scores, "--baseline", "12", "--svg", str(target))
    assert status == 0, err
    svg = target.read_text(encoding="utf-8")
    assert svg.startswith("<svg") and 'role="img"' in svg and "<desc>" in svg


def test_it_runs_as_uptake_analyze_without_django_settings(scores: str) -> None:
    env = {k: v for k, v in os.environ.items()
           if k not in ("DJANGO_SETTINGS_MODULE", "SECRET_KEY", "UPTAKE_TESTING")}
    done = subprocess.run(
        [sys.executable, "-m", "uptake.cli", "analyze", scores, "--baseline", "12", "--json"],
        capture_output=True, text=True, env=env, check=False,
        cwd=Path(__file__).resolve().parents[3],
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["verdict"]["label"] == "sustained_improvement"
    bad = subprocess.run([sys.executable, "-m", "uptake.cli", "analyze", "/nonexistent.csv"],
                         capture_output=True, text=True, env=env, check=False,
                         cwd=Path(__file__).resolve().parents[3])
    assert bad.returncode == 2 and "no such file" in bad.stderr


def test_it_suggests_laney_when_most_points_fall_outside_p_limits(tmp_path: Path) -> None:
    rows = "\n".join(f"{k},1000" for k in (300, 420, 350, 480, 310, 460))
    path = write_csv(tmp_path / "big.csv", f"numerator,denominator\n{rows}\n")
    status, out, _ = run(path, "--chart", "p")
    assert status == 0 and "try --chart pprime" in out
    assert "try --chart pprime" not in run(path, "--chart", "pprime")[1]


def test_it_says_there_is_no_variation_when_every_value_is_equal(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "flat.csv", "value\n" + "5\n" * 16)
    status, out, _ = run(path, "--baseline", "8")
    assert status == 0
    assert "no variation to analyse" in out and "None" not in out
    data = json.loads(run(path, "--baseline", "8", "--json")[1])
    assert data["n_useful"] == 0 and data["runs"]["longest_run"] is None
    assert data["verdict"]["label"] == "no_signal"
