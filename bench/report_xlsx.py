"""The report's XLSX workbook at the whole country's size: fieldkit's own writer against openpyxl, interleaved.

The report is the real one for 2026-Q4 from a copy of the country demo's database when one is given
(``--sqlite``, as ``bench.country`` builds it: 3,321 communes, 10^6 entries), else a synthetic one made of the
report services' own dataclasses: 3,321 communes with plausible counts, a gap list, a committee per commune in
the bodies and money sheets. Each round writes the workbook with both writers, one after the other, in an order
that alternates; the median of the rounds is published into docs/benchmarks.md. The openpyxl writer is the
report's own as it was at OPENPYXL (the last commit that wrote the workbook with openpyxl), read from git.

    python -m bench.report_xlsx [--rounds N] [--sqlite PATH] [--profile]
"""

import argparse
import cProfile
import importlib.util
import io
import os
import platform
import pstats
import random
import statistics
import subprocess
import sys
import tempfile
import time
import types
from datetime import date, datetime, timedelta, timezone

import openpyxl

from bench.report import publish
from fieldkit import create_app, periods
from fieldkit.activities.bodies import BodyCoverage
from fieldkit.activities.coverage import AreaCoverage, Totals
from fieldkit.activity_types import ActivityType
from fieldkit.banners.report import BannerCounts
from fieldkit.funding.money import Account, Money
from fieldkit.models import Organization
from fieldkit.reports import services
from fieldkit.reports.services import Block, Line, Report

OPENPYXL = "7c26591"  # the commit whose fieldkit/reports/xlsx*.py wrote the workbook with openpyxl
VN = timezone(timedelta(hours=7))
PERIOD = "2026-Q4"
COMMUNES = 3321
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def synthetic(communes: int = COMMUNES, seed: int = 159) -> Report:
    """A report of ``communes`` communes with plausible numbers, built as services.build builds one."""
    rng = random.Random(seed)
    blocks, gaps, bodies, accounts = [], [], [], []
    for index in range(communes):
        code, name = f"{10000 + index}", f"Xã Thử Nghiệm {index + 1}"
        forms = [_form(rng, kind) for kind in ActivityType]
        blocks.append(Block(code, name, services._sum(forms), forms))
        households = rng.randint(2000, 12000)
        area = AreaCoverage(code, name, "Xã", households=households, poor_households=rng.randint(20, 600),
                            near_poor_households=rng.randint(20, 600), illustrative=False,
                            activities={f.label: f.activities for f in forms}, people=forms[0].people or 0,
                            poor_reached=rng.randint(0, 60), near_poor_reached=rng.randint(0, 60))  # fmt: skip
        gaps.append(area)
        body = Organization(code=Organization.committee_code(code), name_vi=f"Ủy ban nhân dân {name.lower()}",
                            name_en=f"People's Committee of {name}", kind="committee")  # fmt: skip
        bodies.append(BodyCoverage(body, activities=dict(area.activities), items=rng.randint(0, 500),
                                   people=area.people, poor_reached=area.poor_reached, communes=1,
                                   spent_vnd=rng.randint(0, 50) * 100_000))  # fmt: skip
        accounts.append(Account(code, name, {"city": rng.randint(10, 90) * 1_000_000}, {"city": bodies[-1].spent_vnd}))
    totals_forms = [services._sum([b.forms[i] for b in blocks], t.value) for i, t in enumerate(ActivityType)]
    gaps.sort(key=lambda area: -(area.gap_score or 0))
    total = Account(
        "", "", {"city": sum(a.allocated_vnd for a in accounts)}, {"city": sum(a.spent_vnd for a in accounts)}
    )
    return Report(
        period=periods.parse(PERIOD),
        scope=None,
        commune_issuer=None,
        totals=Block("", "", services._sum(totals_forms), totals_forms),
        communes=blocks,
        gaps=gaps,
        today=date(2026, 12, 1),
        overview=Totals("", "", "", communes=communes),
        bodies=bodies,
        money=Money(2026, [Account("city", "", total.allocated, total.spent)], accounts, accounts, total),
        banners=BannerCounts(standing=rng.randint(1000, 5000), inspected=rng.randint(100, 900)),
    )


def _form(rng: random.Random, kind: ActivityType) -> Line:
    activities = rng.choice((0, 0, 1, 2, 3, 5, 8, 13))
    line = Line(kind.value, activities, target=rng.choice((None, 10, 20, 40)))
    line.year_to_date = activities + rng.randint(0, 30)
    if kind is ActivityType.TALK:
        line.people, line.poor, line.near_poor = activities * 40, activities * 5, activities * 7
    elif kind is ActivityType.LEAFLET:
        line.items, line.people, line.poor, line.near_poor = activities * 200, activities * 50, activities * 9, 12
    else:
        line.items = activities * rng.randint(1, 6)
    return line


def real(path: str) -> tuple[Report, float]:
    """The report for PERIOD city-wide from the country database at ``path`` (a copy: only read here), and the
    seconds its figures took."""
    app = _app("sqlite:///" + path)
    with app.app_context(), app.test_request_context():
        started = time.perf_counter()
        built = services.build(services.city_reporter(), periods.parse(PERIOD))
        return built, time.perf_counter() - started


def main_writer() -> types.ModuleType:
    """The openpyxl writer (fieldkit/reports/xlsx.py at OPENPYXL, with its xlsx_accountability), as a module."""
    folder = tempfile.mkdtemp(prefix="main-xlsx-")
    accountability = _module_from_main("fieldkit/reports/xlsx_accountability.py", folder, "main_xlsx_accountability")
    source = _git_show("fieldkit/reports/xlsx.py").replace(
        "from fieldkit.reports import wording, xlsx_accountability",
        "from fieldkit.reports import wording\nimport main_xlsx_accountability as xlsx_accountability",
    )
    sys.modules[accountability.__name__] = accountability
    return _module(source, folder, "main_xlsx")


def _git_show(path: str) -> str:
    shown = subprocess.run(["git", "show", f"{OPENPYXL}:{path}"], cwd=ROOT, check=True, capture_output=True, text=True)
    return shown.stdout


def _module_from_main(path: str, folder: str, name: str) -> types.ModuleType:
    return _module(_git_show(path), folder, name)


def _module(source: str, folder: str, name: str) -> types.ModuleType:
    path = os.path.join(folder, name + ".py")
    with open(path, "w", encoding="utf-8") as out:
        out.write(source)
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _app(url: str = "sqlite://"):
    return create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "bench", "FIELDKIT_UPLOADS": "/tmp/fk-bench-up"})


def timed(write, report: Report) -> tuple[float, float, bytes]:
    """Wall-clock and CPU seconds of one workbook, and its bytes (CPU time leaves out waiting for other jobs)."""
    started, cpu = time.perf_counter(), time.process_time()
    data = write(report)
    return time.perf_counter() - started, time.process_time() - cpu, data


def cells(data: bytes) -> int:
    book = openpyxl.load_workbook(io.BytesIO(data), read_only=True)
    return sum(1 for sheet in book.worksheets for row in sheet.iter_rows() for cell in row if cell.value is not None)


def differences(old: bytes, new: bytes, limit: int = 20) -> list[str]:
    """What a reader would see differ between two workbooks: sheets, every cell's value, font, alignment, border
    and number format, merged ranges, column widths, row heights, print titles and page set-up."""
    a, b = (openpyxl.load_workbook(io.BytesIO(data)) for data in (old, new))
    found = [] if a.sheetnames == b.sheetnames else [f"sheets {a.sheetnames} != {b.sheetnames}"]
    for x, y in zip(a.worksheets, b.worksheets, strict=False):
        for what, left, right in _sheet_facts(x, y):
            if left != right:
                found.append(f"{x.title}: {what}: {left!r} != {right!r}")
        for coordinate in sorted(set(x._cells) | set(y._cells)):
            left, right = _cell_facts(x.cell(*coordinate)), _cell_facts(y.cell(*coordinate))
            if left != right:
                found.append(f"{x.title}!{y.cell(*coordinate).coordinate}: {left} != {right}")
            if len(found) >= limit:
                return found
    return found


def _sheet_facts(x, y):
    for name, fact in (
        ("merged", lambda s: sorted(str(r) for r in s.merged_cells.ranges)),
        ("widths", lambda s: {k: d.width for k, d in s.column_dimensions.items() if d.customWidth}),
        ("heights", lambda s: {k: d.height for k, d in s.row_dimensions.items() if d.height}),
        ("print titles", lambda s: s.print_title_rows),
        ("page", lambda s: (s.page_setup.orientation, s.page_setup.paperSize, s.page_setup.fitToWidth,
                            s.page_setup.fitToHeight, s.sheet_properties.pageSetUpPr and
                            s.sheet_properties.pageSetUpPr.fitToPage, s.print_options.horizontalCentered)),
        ("margins", lambda s: (s.page_margins.left, s.page_margins.right, s.page_margins.top, s.page_margins.bottom)),
        ("footer", lambda s: s.oddFooter.center.text),
    ):  # fmt: skip
        yield name, fact(x), fact(y)


def _cell_facts(cell) -> tuple:
    font, align, border = cell.font, cell.alignment, cell.border
    value = round(cell.value, 12) if isinstance(cell.value, float) else cell.value
    return (
        value,
        (font.name, font.sz, bool(font.b), bool(font.i)),
        (align.horizontal, align.vertical, bool(align.wrap_text)),
        tuple(getattr(border, side).style for side in ("left", "right", "top", "bottom")),
        cell.number_format,
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--sqlite", help="a copy of the country database (bench.country's); synthetic without")
    parser.add_argument("--profile", action="store_true", help="profile this branch's writer once, then stop")
    args = parser.parse_args()
    from fieldkit.reports.xlsx import workbook as ours

    report, figures = real(args.sqlite) if args.sqlite else (synthetic(), None)
    theirs = main_writer().workbook
    app = _app()
    with app.app_context(), app.test_request_context():
        if args.profile:
            profile = cProfile.Profile()
            profile.runcall(ours, report)
            pstats.Stats(profile).sort_stats("cumulative").print_stats(30)
            return
        times, cpus = {"main": [], "branch": []}, {"main": [], "branch": []}
        for round_ in range(args.rounds):
            order = (("main", theirs), ("branch", ours)) if round_ % 2 == 0 else (("branch", ours), ("main", theirs))
            for name, write in order:
                seconds, cpu, data = timed(write, report)
                times[name].append(seconds)
                cpus[name].append(cpu)
                print(f"round {round_ + 1}: {name} {seconds:.2f} s ({cpu:.2f} s CPU), {len(data):,} bytes", flush=True)
        books = {name: write(report) for name, write in (("main", theirs), ("branch", ours))}
    found = differences(books["main"], books["branch"])
    print("\n".join(found) or "the two workbooks agree cell by cell", flush=True)
    sizes = {name: len(data) for name, data in books.items()}
    publish_section(args, report, times, cpus, sizes, cells(books["branch"]), figures, found)


def publish_section(
    args, report: Report, times: dict, cpus: dict, sizes: dict, filled: int, figures: float | None, found: list
) -> None:
    main_s, branch_s = statistics.median(times["main"]), statistics.median(times["branch"])
    source = (
        f"the real report of {PERIOD} city-wide from a copy of the country database ({args.sqlite})"
        if args.sqlite
        else f"a synthetic report ({COMMUNES:,} communes with random plausible counts, a committee per commune)"
    )
    lines = [
        f"\n## The report's XLSX workbook at the country's size — {datetime.now(VN):%Y-%m-%d %H:%M}\n",
        f"`python -m bench.report_xlsx{' --sqlite ' + args.sqlite if args.sqlite else ''}`: {source}, "
        f"{len(report.communes):,} communes, {filled:,} cells with a value. Both writers take the same `Report`; "
        f"{args.rounds} rounds, the two interleaved (order alternating), median shown (CPU: the process's own "
        f"seconds, without the time spent waiting for other jobs). openpyxl: the report's writer at {OPENPYXL} "
        "(`reports/xlsx.py` on openpyxl, styles cached per workbook). fieldkit: its own XML writer. "
        f"{platform.processor() or 'cpu'}, {os.cpu_count()} cores shared with other work, Python "
        f"{sys.version.split()[0]}, 1-minute load {os.getloadavg()[0]:.1f} at the end.\n",
        "| writer | median (s) | min (s) | max (s) | median CPU (s) | bytes |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for name, value in (("openpyxl", "main"), ("fieldkit", "branch")):
        t, cpu = times[value], statistics.median(cpus[value])
        lines.append(
            f"| {name} | {statistics.median(t):.2f} | {min(t):.2f} | {max(t):.2f} | {cpu:.2f} | {sizes[value]:,} |"
        )
    lines.append(f"\nfieldkit ÷ openpyxl: {branch_s / main_s:.2f} ({main_s / branch_s:.1f}× faster). ")
    lines[-1] += (
        "The two workbooks agree: every cell's value, font, alignment, border and number format, the merged "
        "ranges, column widths, row heights, print titles, page set-up and footer, as openpyxl reads them."
        if not found
        else f"The workbooks DIFFER ({len(found)} differences shown first: {found[:3]})."
    )
    if figures is not None:
        lines[-1] += (
            f" The report's figures (`services.build`) took {figures:.1f} s in the same run: figures + workbook "
            f"{figures + branch_s:.1f} s with fieldkit's writer, {figures + main_s:.1f} s with openpyxl."
        )
    lines[-1] += "\n"
    publish("\n".join(lines))


if __name__ == "__main__":
    main()
