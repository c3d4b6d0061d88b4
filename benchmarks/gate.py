"""Quality gate: every figure a reader would notice stays at or above the floor recorded for it.

    python benchmarks/gate.py [--data DIR] [--floors benchmarks/floors.json] [--only TEXT] [--update]

``benchmarks/floors.json`` lists, per figure, the benchmark command that measures it (``{data}``
stands for ``--data``, default ``../shared/data`` beside the repository), the key of the figure in
that command's closing JSON line (dotted for nested objects), the floor, which direction is good
(``higher`` or ``lower``), a ``tolerance`` with its ``reason`` where the figure is not exactly
repeatable, and the key of the same run's ``baseline`` figure, printed beside it and never gated.
Each distinct command runs once, in a child process, against this checkout's ``src``.

Prints one row per figure (floor, measured, ok) and the seconds each command took; exits 1 when
any figure is worse than its floor or a command fails, 0 otherwise. Without the labelled data
the gate says so and exits 0: a clone without ``../shared`` has nothing to measure.

``--update`` rewrites the floors from this run (measured value less the tolerance) after a
deliberate improvement. It writes nothing when any figure is below its floor: a drop is never
recorded by accident; lowering a floor is a hand edit to floors.json, with its reason.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shlex
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
FLOORS = REPO / "benchmarks" / "floors.json"
DEFAULT_DATA = REPO.parent / "shared" / "data"
# The whole gate costs about 300 CPU-seconds with every cache cold (2026-12-06; its longest command
# 78): a command still running after 900 s is stuck, and CI must end.
COMMAND_TIMEOUT = 900
# Benchmarks round their figures to 4 decimals; equal at that precision is not a drop.
EPSILON = 1e-9


@dataclass
class Figure:
    name: str
    command: str
    key: str
    floor: float
    better: str  # "higher" or "lower"
    tolerance: float = 0.0
    reason: str = ""
    baseline: str = ""  # key of the same run's baseline figure, shown beside it (never gated)


@dataclass
class Outcome:
    figure: Figure
    measured: float | None
    error: str = ""
    baseline: float | None = None

    @property
    def ok(self) -> bool:
        if self.measured is None:
            return False
        if self.figure.better == "higher":
            return self.measured >= self.figure.floor - EPSILON
        return self.measured <= self.figure.floor + EPSILON


def read_floors(path: Path) -> list[Figure]:
    """The figures of ``path``; a malformed entry is an error that names it."""
    rows = json.loads(path.read_text(encoding="utf-8"))["figures"]
    figures = []
    for row in rows:
        figure = Figure(**row)
        if figure.better not in ("higher", "lower"):
            raise ValueError(
                f"{path}: {figure.name}: 'better' must be 'higher' or 'lower', not {figure.better!r}"
            )
        if figure.tolerance and not figure.reason:
            raise ValueError(f"{path}: {figure.name}: a tolerance needs its reason")
        figures.append(figure)
    return figures


@dataclass
class Took:
    wall: float
    cpu: float  # user + system seconds of the command and its children: a busy machine stretches wall


def run_command(command: str, data: Path) -> tuple[dict[str, object], Took]:
    """Run one benchmark command; its closing JSON line and the time it took."""
    argv = shlex.split(command.replace("{data}", str(data)))
    if argv and argv[0] == "python":
        argv[0] = sys.executable
    env = dict(os.environ)
    # measure this checkout's code, whatever checkout the interpreter's editable install points at
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(REPO / "src"), env.get("PYTHONPATH", "")) if p)
    started, cpu = time.perf_counter(), _children_cpu()
    done = subprocess.run(
        argv, cwd=REPO, env=env, capture_output=True, text=True, timeout=COMMAND_TIMEOUT, check=False
    )
    took = Took(time.perf_counter() - started, _children_cpu() - cpu)
    if done.returncode != 0:
        last = (done.stderr.strip().splitlines() or ["(no message)"])[-1]
        raise RuntimeError(f"exit {done.returncode}: {last}")
    return last_json_line(done.stdout), took


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def last_json_line(stdout: str) -> dict[str, object]:
    for line in reversed(stdout.strip().splitlines()):
        try:
            value = json.loads(line)
        except json.JSONDecodeError:
            continue
        if isinstance(value, dict):
            return value
    raise RuntimeError("no JSON line of figures in its output")


def lookup(figures: dict[str, object], key: str) -> float:
    value: object = figures
    for part in key.split("."):
        if not isinstance(value, dict) or part not in value:
            raise KeyError(f"no figure {key!r} in the JSON line")
        value = value[part]
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise KeyError(f"figure {key!r} is {value!r}, not a number")
    return float(value)


def measure(figures: list[Figure], data: Path) -> tuple[list[Outcome], dict[str, Took]]:
    """Run each distinct command once; every figure's outcome, and each command's time."""
    results: dict[str, dict[str, object] | str] = {}
    seconds: dict[str, Took] = {}
    for command in dict.fromkeys(f.command for f in figures):
        print(f"running {command}", file=sys.stderr, flush=True)
        try:
            results[command], seconds[command] = run_command(command, data)
        except (RuntimeError, subprocess.TimeoutExpired, OSError) as exc:
            results[command] = str(exc)
    outcomes = []
    for figure in figures:
        result = results[figure.command]
        if isinstance(result, str):
            outcomes.append(Outcome(figure, None, result))
            continue
        try:
            outcome = Outcome(figure, lookup(result, figure.key))
        except KeyError as exc:
            outcome = Outcome(figure, None, str(exc.args[0]))
        if figure.baseline:
            outcome.baseline = _optional(result, figure.baseline)
        outcomes.append(outcome)
    return outcomes, seconds


def _optional(figures: dict[str, object], key: str) -> float | None:
    try:
        return lookup(figures, key)
    except KeyError:
        return None


def print_table(outcomes: list[Outcome], seconds: dict[str, Took]) -> None:
    width = max(len(o.figure.name) for o in outcomes)
    print(f"{'figure':<{width}}  {'good':>6}  {'floor':>8}  {'measured':>8}  {'baseline':>8}  ok")
    for o in outcomes:
        measured = "-" if o.measured is None else f"{o.measured:.4f}"
        baseline = "-" if o.baseline is None else f"{o.baseline:.4f}"
        print(
            f"{o.figure.name:<{width}}  {o.figure.better:>6}  {o.figure.floor:>8.4f}  {measured:>8}  "
            f"{baseline:>8}  {'yes' if o.ok else 'NO'}{'  ' + o.error if o.error else ''}"
        )
    print(f"{'wall s':>7}  {'cpu s':>7}  command")
    for command, took in seconds.items():
        print(f"{took.wall:7.1f}  {took.cpu:7.1f}  {command}")
    wall, cpu = sum(t.wall for t in seconds.values()), sum(t.cpu for t in seconds.values())
    print(f"{wall:7.1f}  {cpu:7.1f}  in all")


def update_floors(path: Path, outcomes: list[Outcome]) -> None:
    """Write each measured figure, less its tolerance, as its new floor."""
    document = json.loads(path.read_text(encoding="utf-8"))
    measured = {o.figure.name: o for o in outcomes}
    for row in document["figures"]:
        outcome = measured.get(row["name"])
        if outcome is None or outcome.measured is None:
            continue
        tolerance = row.get("tolerance", 0.0)
        new = outcome.measured - tolerance if row["better"] == "higher" else outcome.measured + tolerance
        if round(new, 4) != row["floor"]:
            print(f"floor of {row['name']}: {row['floor']} -> {round(new, 4)}")
        row["floor"] = round(new, 4)
    path.write_text(json.dumps(document, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA, help="the labelled data (../shared/data)")
    parser.add_argument("--floors", type=Path, default=FLOORS)
    parser.add_argument("--only", default="", help="only the figures whose name or command holds this text")
    parser.add_argument("--update", action="store_true", help="record this run's figures as the floors")
    args = parser.parse_args(argv)
    if not args.data.is_dir():
        print(f"quality gate skipped: no labelled data at {args.data}")
        return 0
    figures = [f for f in read_floors(args.floors) if args.only in f.name or args.only in f.command]
    if not figures:
        print(f"no figure in {args.floors} matches {args.only!r}", file=sys.stderr)
        return 2
    outcomes, seconds = measure(figures, args.data)
    print_table(outcomes, seconds)
    failed = [o for o in outcomes if not o.ok]
    if failed:
        print(
            f"quality gate FAILED: {len(failed)} of {len(outcomes)} figures below their floor or not measured"
        )
        if args.update:
            print("floors left as they were: --update records improvements, never a drop")
        return 1
    if args.update:
        update_floors(args.floors, outcomes)
    print(f"quality gate passed: {len(outcomes)} figures at or above their floors")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
