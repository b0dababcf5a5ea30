"""The dashboard's tables: one shape (a title, a header, rows of cells) for the page's data
tables, the CSV and XLSX downloads and the API, so that every place shows the same numbers
the same way. A hidden cell is the word ``"hidden"`` (never a blank a reader might take for
zero)."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from uptake.analysis.aggregates import VERDICTS, Breakdown
from uptake.district.figures import (
    DIMENSIONS,
    GROUP_ATTRIBUTES,
    ClassEffect,
    CostFigure,
    DistrictFigures,
    FunnelStep,
    PooledByKind,
    ProgramFigures,
)
from uptake.programs.models import FundingSource
from uptake.spreadsheets import safe_cell

HIDDEN = "hidden"
SOURCE_LABELS = {str(key): str(label) for key, label in FundingSource.choices}


@dataclass(frozen=True)
class Table:
    key: str
    title: str
    header: tuple[str, ...]
    rows: tuple[tuple[Any, ...], ...]

    def texts(self) -> list[list[str]]:
        """The rows as text (for the API; a spreadsheet takes :meth:`cells`)."""
        return [[_text(v) for v in row] for row in self.rows]

    def cells(self) -> list[list[str]]:
        return [[safe_cell(_text(v)) for v in self.header]] + [
            [safe_cell(_text(v)) for v in row] for row in self.rows]


def _text(value: Any) -> str:
    if value is None:
        return HIDDEN
    if isinstance(value, float):
        return f"{value:.2f}"
    if isinstance(value, Decimal):
        return f"{value:.2f}"
    return str(value)


def funnel_table(key: str, title: str, steps: Sequence[FunnelStep]) -> Table:
    return Table(key, title, ("Step", "People"), tuple((s.label, s.count) for s in steps))


def breakdown_table(breakdown: Breakdown, labels: dict[str, str], dim_label: str) -> Table:
    header = (dim_label, "Classes", *(label for _, label in VERDICTS))
    rows: list[tuple[Any, ...]] = []
    for row in breakdown.rows:
        counts = row.counts
        rows.append((labels.get(row.value, row.value), row.classes if counts else None,
                     *((counts[k] if counts else None) for k, _ in VERDICTS)))
    rows.append(("Total of the rows shown", sum(breakdown.total.values()),
                 *(breakdown.total[k] for k, _ in VERDICTS)))
    return Table(f"verdicts_{breakdown.dimension}", f"Verdicts by {dim_label.lower()}",
                 header, tuple(rows))


def effects_table(effects: Sequence[ClassEffect]) -> Table:
    return Table("effects", "Effect sizes per class (standardized mean change)",
                 ("Class and measure", "Kind", "Students", "Effect", "95% interval low",
                  "95% interval high"),
                 tuple((e.label, e.kind, e.n_students, e.smc, e.ci_low, e.ci_high)
                       for e in effects))


def pooled_table(pooled: Sequence[PooledByKind]) -> Table:
    rows = []
    for p in pooled:
        if p.pooled is None:
            rows.append((p.label, p.k, "", "", "", "", "", "Fewer than 3 classes: not pooled"))
            continue
        q = p.pooled
        rows.append((p.label, p.k, q.estimate, q.ci_low, q.ci_high, q.tau2, q.i2, q.plainly))
    return Table("pooled", "Pooled estimates (random effects) by kind of outcome",
                 ("Kind of outcome", "Classes", "Pooled effect", "95% CI low", "95% CI high",
                  "tau²", "I²", "In plain words"), tuple(rows))


def groups_table(figures: DistrictFigures | ProgramFigures) -> Table:
    rows: list[tuple[Any, ...]] = []
    groups = figures.groups
    if groups is not None:
        for attribute, label in GROUP_ATTRIBUTES:
            for row in groups.of(attribute):
                rows.append((label, row.group, row.n, row.mean_change, row.classes or None,
                             groups.left_out.get(attribute, 0)))
    return Table("groups", "Results by student group",
                 ("Attribute", "Group", "Students", "Mean change", "Classes",
                  "Classes left out of this attribute"), tuple(rows))


def spending_table(key: str, title: str, years: Sequence[int],
                   totals: dict[tuple[int, str], Decimal], labels: dict[str, str]) -> Table:
    names = sorted({name for _, name in totals}, key=lambda n: labels.get(n, n))
    rows = []
    for name in names:
        rows.append((labels.get(name, name),
                     *(totals.get((year, name), Decimal("0")) for year in years)))
    rows.append(("Total", *(sum((v for (y, _), v in totals.items() if y == year),
                                Decimal("0")) for year in years)))
    return Table(key, title, ("", *(f"FY {year}" for year in years)), tuple(rows))


def costs_table(costs: Sequence[CostFigure]) -> Table:
    return Table("costs", "Cost per participant, credential and improvement",
                 ("Figure", "Spending", "Count", "Amount", "Caveat"),
                 tuple((c.label, c.spending, c.count, c.amount if c.amount is not None
                        else "no count to divide by", c.caveat) for c in costs))


def use_labels() -> dict[str, str]:
    from uptake.spending.models import Use

    return {str(k): str(v) for k, v in Use.choices}


def district_tables(figures: DistrictFigures) -> list[Table]:
    tables = [
        funnel_table("funnel", "Participation and completion", figures.funnel),
        funnel_table("credential_funnel", "Micro-credentials", figures.credential_funnel),
    ]
    dims = dict(DIMENSIONS)
    for breakdown in figures.breakdowns:
        tables.append(breakdown_table(breakdown, figures.labels.get(breakdown.dimension, {}),
                                      dims[breakdown.dimension]))
    tables += [effects_table(figures.effects), pooled_table(figures.pooled_by_kind),
               groups_table(figures)]
    if figures.spending_total is not None:
        tables += [
            spending_table("spending_source", "Spending by funding source",
                           figures.spending_years, figures.spending_by_source, SOURCE_LABELS),
            spending_table("spending_use", "Spending by use", figures.spending_years,
                           figures.spending_by_use, use_labels()),
            costs_table(figures.costs)]
    return tables


def program_tables(figures: ProgramFigures) -> list[Table]:
    tables = [funnel_table("funnel", "Participation and completion", figures.funnel),
              funnel_table("credential_funnel", "Micro-credentials", figures.credential_funnel),
              Table("ladder", "Guskey's five levels", ("Level", "Evidence", "Count", "Detail"),
                    tuple((f"{lv.level} {lv.label}", i.label, i.count, i.detail)
                          for lv in figures.ladder for i in lv.items)
                    or (("", "No evidence yet at any level", 0, ""),)),
              effects_table(figures.effects), pooled_table(figures.pooled_by_kind),
              groups_table(figures)]
    if figures.spending_total is not None:
        tables.append(costs_table(figures.costs))
    return tables


def csv_bytes(table: Table) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerows(table.cells())
    return out.getvalue().encode("utf-8")


def xlsx_bytes(table: Table) -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = table.key[:31]
    for row in table.cells():
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
