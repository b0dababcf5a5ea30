"""``uptake analyze FILE``: run and control charts and the verdict for a CSV or XLSX file.

A pure function, ``main(argv) -> exit status``; the ``uptake`` command calls it without
setting up Django. Output keys are documented in ``docs/analysis.md``.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import math
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TextIO

from uptake.analysis.control import control_chart
from uptake.analysis.runs import ihi_rules, runs_analysis
from uptake.analysis.verdict import verdict

__all__ = ["InputError", "Table", "analyze", "main", "read_table", "series_kwargs"]

KNOWN_COLUMNS = ("value", "numerator", "denominator", "date", "label")
CHART_CHOICES = ("run", "i", "p", "pprime", "u", "c")
RULE_CHOICES = ("anhoej", "ihi", "mdc", "we", "nelson")


class InputError(ValueError):
    """Bad input file; the message names the file, row and column."""


@dataclass(frozen=True)
class Table:
    """The series read from a file: values, or numerators and denominators, and labels."""

    values: list[float | None] | None
    numerators: list[float | None] | None
    denominators: list[float | None] | None
    labels: list[str] | None

    @property
    def n(self) -> int:
        return len(self.values if self.values is not None else self.numerators or [])


def _column_letter(i: int) -> str:
    letters = ""
    i += 1
    while i:
        i, r = divmod(i - 1, 26)
        letters = chr(65 + r) + letters
    return letters


def _raw_rows(path: Path) -> list[list[Any]]:
    """All rows of the first sheet (XLSX) or of the CSV file, as lists of cells."""
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        import openpyxl

        try:
            book = openpyxl.load_workbook(path, read_only=True, data_only=True)
        except Exception as exc:  # openpyxl raises many kinds for a broken file
            raise InputError(f"{path.name}: not a readable XLSX file ({exc}).") from exc
        sheet = book.worksheets[0]
        rows = [list(r) for r in sheet.iter_rows(values_only=True)]
        book.close()
        return rows
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(f"{path.name}: not a UTF-8 text file; save it as CSV (UTF-8).") from exc
    try:
        dialect: Any = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    return [list(r) for r in csv.reader(io.StringIO(text), dialect)]


def _blank(cell: Any) -> bool:
    return cell is None or (isinstance(cell, str) and not cell.strip())


def _number(cell: Any, where: str) -> float | None:
    if _blank(cell):
        return None
    if isinstance(cell, bool):
        raise InputError(f"{where}: {cell!r} is not a number.")
    if isinstance(cell, int | float):
        value = float(cell)
    else:
        try:
            value = float(str(cell).strip())
        except ValueError:
            raise InputError(f"{where}: {str(cell).strip()!r} is not a number.") from None
    if math.isnan(value):
        return None
    if math.isinf(value):
        raise InputError(f"{where}: {cell!r} is not a finite number.")
    return value


def _label(cell: Any) -> str:
    if _blank(cell):
        return ""
    if hasattr(cell, "isoformat"):
        text = cell.isoformat()
        return text[:10] if text.endswith("T00:00:00") else text
    return str(cell).strip()


def _header(rows: list[list[Any]], name: str) -> dict[str, int]:
    if not rows or all(_blank(c) for c in rows[0]):
        raise InputError(f"{name}: the file is empty; the first row must name the columns "
                         "(value, or numerator and denominator; optionally date or label).")
    columns: dict[str, int] = {}
    for i, cell in enumerate(rows[0]):
        if _blank(cell):
            continue
        key = str(cell).strip().lower()
        if key not in KNOWN_COLUMNS:
            raise InputError(
                f"{name}: row 1, column {_column_letter(i)}: unknown column {str(cell)!r}; "
                "expected value, or numerator and denominator, with optional date or label.")
        if key in columns:
            raise InputError(f"{name}: row 1, column {_column_letter(i)}: the column "
                             f"{key!r} appears twice.")
        columns[key] = i
    has_value = "value" in columns
    has_counts = "numerator" in columns or "denominator" in columns
    if has_value == has_counts or (has_counts and not {"numerator", "denominator"} <= set(columns)):
        raise InputError(f"{name}: row 1: give a 'value' column, or both 'numerator' and "
                         "'denominator' columns (not both kinds).")
    return columns


def read_table(path: str | Path, *, chart: str = "run") -> Table:
    """Read a CSV or XLSX file into a :class:`Table`, checking every cell.

    Rows are numbered as a spreadsheet shows them (the header is row 1). Blank cells
    are missing values; blank rows are skipped.
    """
    path = Path(path)
    name = path.name
    if not path.is_file():
        raise InputError(f"{path}: no such file.")
    rows = _raw_rows(path)
    columns = _header(rows, name)
    cells: dict[str, list[Any]] = {k: [] for k in columns}
    row_numbers: list[int] = []
    for r, row in enumerate(rows[1:], start=2):
        if all(_blank(c) for c in row):
            continue
        row_numbers.append(r)
        for key, i in columns.items():
            cells[key].append(row[i] if i < len(row) else None)
    if not row_numbers:
        raise InputError(f"{name}: the file has a header row but no data rows.")

    def numbers(key: str) -> list[float | None]:
        letter = _column_letter(columns[key])
        return [_number(c, f"{name}: row {r}, column {letter} ({key})")
                for c, r in zip(cells[key], row_numbers, strict=True)]

    labels = None
    for key in ("date", "label"):
        if key in columns:
            labels = [_label(c) or str(i + 1) for i, c in enumerate(cells[key])]
    if "value" in columns:
        values = numbers("value")
        if chart == "c":
            _check_counts(values, None, row_numbers, columns, name, chart)
        return Table(values, None, None, labels)
    k, n = numbers("numerator"), numbers("denominator")
    _check_counts(k, n, row_numbers, columns, name, chart)
    return Table(None, k, n, labels)


def _check_counts(k: list[float | None], n: list[float | None] | None, rows: list[int],
                  columns: dict[str, int], name: str, chart: str) -> None:
    key = "numerator" if n is not None else "value"
    for i, r in enumerate(rows):
        where = f"{name}: row {r}, column {_column_letter(columns[key])} ({key})"
        if k[i] is not None and k[i] < 0:  # type: ignore[operator]
            raise InputError(f"{where}: {k[i]:g} is negative; counts cannot be negative.")
        if n is None:
            continue
        d = n[i]
        dwhere = f"{name}: row {r}, column {_column_letter(columns['denominator'])} (denominator)"
        if d is not None and d < 0:
            raise InputError(f"{dwhere}: {d:g} is negative; counts cannot be negative.")
        # A rate (u chart) may exceed its exposure; "k of n" may not.
        if chart != "u" and k[i] is not None and d is not None and k[i] > d:  # type: ignore[operator]
            raise InputError(f"{where}: the numerator {k[i]:g} is larger than the "
                             f"denominator {d:g}.")


def series_kwargs(table: Table, chart: str) -> dict[str, Any]:
    """The data arguments (values, or numerators and denominators) for a chart type."""
    if chart in ("p", "pprime", "u"):
        if table.numerators is None:
            raise InputError(f"A {chart} chart needs 'numerator' and 'denominator' columns.")
        return {"numerators": table.numerators, "denominators": table.denominators}
    if chart == "c":
        return {"values": table.values if table.values is not None else table.numerators}
    if table.values is not None:
        return {"values": table.values}
    k, n = table.numerators or [], table.denominators or []
    return {"values": [a / b if a is not None and b else None for a, b in zip(k, n, strict=True)]}


def analyze(table: Table, *, chart: str = "run", baseline: int | None = None,
            direction: str = "up", rules: str = "anhoej") -> dict[str, Any]:
    """The ``--json`` object for a table (see docs/analysis.md for the keys)."""
    if chart != "run" and rules == "ihi":
        raise InputError("The IHI rules are for run charts; use --chart run.")
    if chart == "run" and rules in ("mdc", "we", "nelson"):
        raise InputError(f"The {rules} rules need control limits; choose --chart i, p, u or c.")
    data = series_kwargs(table, chart)
    limits = None
    outside: list[int] = []
    if chart == "run":
        runs = runs_analysis(data["values"], baseline_n=baseline)
        centre, plotted = runs.centre, data["values"]
    else:
        c = control_chart(**data, chart=chart, baseline_n=baseline,
                          rules="default" if rules == "anhoej" else rules)
        runs, centre, outside, plotted = c.runs, c.centre, list(c.outside), list(c.values)
        limits = {"cl": c.centre, "ucl": list(c.ucl), "lcl": list(c.lcl)}

    ihi = ihi_rules(plotted, baseline_n=baseline)
    return {
        "n_obs": runs.n_obs,
        "n_useful": runs.n_useful,
        "centre": centre,
        "baseline_n": baseline,
        "runs": {
            "longest_run": runs.longest_run, "longest_run_max": runs.longest_run_max,
            "n_crossings": runs.n_crossings, "n_crossings_min": runs.n_crossings_min,
            "signal": runs.signal,
        },
        "ihi": {
            "shift": ihi.shift, "trend": ihi.trend, "longest_trend": ihi.longest_trend,
            "n_runs": ihi.n_runs, "runs_lower": ihi.runs_lower, "runs_upper": ihi.runs_upper,
            "too_few_runs": ihi.too_few_runs, "too_many_runs": ihi.too_many_runs,
        },
        "limits": limits,
        "outside": outside,
        "verdict": _verdict(data, runs.n_obs, chart, baseline, direction, rules),
    }


def _verdict(data: dict[str, Any], n_obs: int, chart: str, baseline: int | None,
             direction: str, rules: str) -> dict[str, Any]:
    if baseline is None:
        return {"label": None, "reason": "No baseline was given (--baseline N), so there is "
                "no before and after to compare."}
    if baseline >= n_obs:
        return {"label": "not_enough_data", "reason": f"The baseline covers all {n_obs} "
                "points; there are no points after it to judge."}
    v = verdict(**data, baseline_n=baseline, direction=direction, chart=chart,
                rules="default" if rules == "anhoej" else rules)
    return {"label": v.label, "reason": v.reason}


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="uptake analyze",
        description="Run chart or control chart, and the change-vs-improvement verdict, "
                    "for a CSV or XLSX file with a 'value' column (or 'numerator' and "
                    "'denominator'), and optionally 'date' or 'label'.",
    )
    p.add_argument("file", help="CSV or XLSX file")
    p.add_argument("--chart", choices=CHART_CHOICES, default="run")
    p.add_argument("--baseline", type=int, metavar="N",
                   help="the first N points are the baseline (before the change)")
    p.add_argument("--direction", choices=("up", "down"), default="up",
                   help="whether higher (up) or lower (down) values are better")
    p.add_argument("--rules", choices=RULE_CHOICES, default="anhoej")
    p.add_argument("--json", action="store_true", help="print one JSON object")
    p.add_argument("--svg", metavar="OUT.svg", help="also write the chart as SVG")
    return p


def main(argv: Sequence[str] | None = None, *, stdout: TextIO | None = None,
         stderr: TextIO | None = None) -> int:
    """Run ``uptake analyze``; return the exit status (0 ok, 2 bad input or usage)."""
    out, err = stdout or sys.stdout, stderr or sys.stderr
    parser = _parser()
    try:
        with _redirect(err):
            args = parser.parse_args(list(sys.argv[1:] if argv is None else argv))
    except SystemExit as exc:
        return int(exc.code or 0)
    try:
        if args.baseline is not None and args.baseline < 1:
            raise InputError("--baseline must be at least 1.")
        table = read_table(args.file, chart=args.chart)
        if args.baseline is not None and args.baseline > table.n:
            raise InputError(f"--baseline {args.baseline} is longer than the {table.n} points "
                             f"in {Path(args.file).name}.")
        result = analyze(table, chart=args.chart, baseline=args.baseline,
                         direction=args.direction, rules=args.rules)
        if args.svg:
            _write_svg(args, table)
    except (InputError, ValueError) as exc:
        print(f"uptake analyze: {exc}", file=err)
        return 2
    if args.json:
        print(json.dumps(result, indent=2, allow_nan=False), file=out)
    else:
        print(summary(result, args), file=out)
    return 0


class _redirect:
    """Send argparse's usage messages to ``stderr`` (tests pass a StringIO)."""

    def __init__(self, err: TextIO) -> None:
        self.err = err

    def __enter__(self) -> None:
        self.saved = sys.stderr
        sys.stderr = self.err

    def __exit__(self, *exc: object) -> None:
        sys.stderr = self.saved


def _write_svg(args: argparse.Namespace, table: Table) -> None:
    from uptake.analysis.charts import render_chart

    baseline = args.baseline if args.baseline is not None and args.baseline < table.n else None
    img = render_chart(
        **series_kwargs(table, args.chart), chart=args.chart, baseline_n=baseline,
        direction=args.direction, rules="default" if args.rules == "anhoej" else args.rules,
        labels=table.labels, title=Path(args.file).stem,
    )
    try:
        Path(args.svg).write_text(img.svg, encoding="utf-8")
    except OSError as exc:
        raise InputError(f"{args.svg}: cannot write the chart ({exc.strerror}).") from exc


def _g(v: float | None) -> str:
    return "none" if v is None else f"{v:.4g}"


def summary(r: dict[str, Any], args: argparse.Namespace) -> str:
    """The short human-readable summary printed without ``--json``."""
    kind = "run chart" if args.chart == "run" else f"{args.chart} chart"
    better = "higher is better" if args.direction == "up" else "lower is better"
    base = (f"baseline: first {r['baseline_n']} points" if r["baseline_n"] is not None
            else "no baseline given")
    lines = [f"{Path(args.file).name}: {kind}, {r['n_obs']} points ({base}; {better})"]
    what = "median" if args.chart == "run" else "centre line"
    lines.append(f"Centre line ({what}): {_g(r['centre'])}")
    runs = r["runs"]
    if runs["longest_run"] is None:
        lines.append("Runs: no variation to analyse (every value is on the centre line).")
    else:
        lines.append(
            f"Runs (Anhøj): longest run {runs['longest_run']} (signal if over "
            f"{runs['longest_run_max']}), crossings {runs['n_crossings']} (signal if under "
            f"{runs['n_crossings_min']}): {'signal' if runs['signal'] else 'no signal'}")
    ihi = r["ihi"]
    expected = (f", expected {ihi['runs_lower']} to {ihi['runs_upper']}"
                if ihi["runs_lower"] is not None else "")
    if ihi["n_runs"] is not None:
        lines.append(f"IHI rules: shift {'yes' if ihi['shift'] else 'no'}, trend "
                     f"{'yes' if ihi['trend'] else 'no'} (longest {ihi['longest_trend']} "
                     f"points), {ihi['n_runs']} runs{expected}")
    if r["limits"] is not None:
        lines.append(f"Points outside the limits: "
                     f"{', '.join(str(i + 1) for i in r['outside']) or 'none'}")
        present = sum(u is not None for u in r["limits"]["ucl"])
        if args.chart == "p" and len(r["outside"]) > present / 2:
            # ControlChart.laney_suggested, from the JSON object.
            lines.append("Note: most points are outside the p chart's limits, as happens with "
                         "very large denominators; try --chart pprime (Laney's p').")
    label = r["verdict"]["label"]
    lines.append(f"Verdict: {label.replace('_', ' ') if label else 'none'}")
    lines.append(f"  {r['verdict']['reason']}")
    return "\n".join(lines)
