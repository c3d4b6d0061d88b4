"""benchmarks/gate.py: the quality gate fails when a figure drops below its floor, and only then."""

from __future__ import annotations

import json
import shlex
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
GATE = REPO / "benchmarks" / "gate.py"
FLOORS = REPO / "benchmarks" / "floors.json"


def _fake_benchmark(tmp_path: Path, figures: dict) -> str:
    """A benchmark command that prints a line of text, then its figures as one JSON line."""
    script = tmp_path / "fake_benchmark.py"
    script.write_text(f"print('scoring...')\nprint({json.dumps(json.dumps(figures))})\n", encoding="utf-8")
    return f"python {shlex.quote(str(script))} --data {{data}}"


def _floors(tmp_path: Path, command: str, *rows: dict) -> Path:
    path = tmp_path / "floors.json"
    figures = [{"name": f"figure {n}", "command": command, **row} for n, row in enumerate(rows)]
    path.write_text(json.dumps({"figures": figures}), encoding="utf-8")
    return path


def _gate(tmp_path: Path, floors: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    data = tmp_path / "data"
    data.mkdir(exist_ok=True)
    return subprocess.run(
        [sys.executable, str(GATE), "--data", str(data), "--floors", str(floors), *extra],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_a_figure_below_its_floor_fails_the_gate(tmp_path: Path) -> None:
    command = _fake_benchmark(tmp_path, {"precision": 0.91, "recall": 0.5})
    floors = _floors(
        tmp_path,
        command,
        {"key": "precision", "floor": 0.92, "better": "higher"},
        {"key": "recall", "floor": 0.5, "better": "higher"},
    )
    done = _gate(tmp_path, floors)
    assert done.returncode == 1
    assert "figure 0" in done.stdout and "NO" in done.stdout
    assert "FAILED: 1 of 2" in done.stdout


def test_figures_at_or_above_their_floors_pass_the_gate(tmp_path: Path) -> None:
    command = _fake_benchmark(tmp_path, {"story": {"bcubed_p": 0.9614}, "fp_rate": 0.1})
    floors = _floors(
        tmp_path,
        command,
        {"key": "story.bcubed_p", "floor": 0.9614, "better": "higher"},
        {"key": "fp_rate", "floor": 0.2, "better": "lower"},
    )
    done = _gate(tmp_path, floors)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "passed: 2 figures" in done.stdout


def test_the_same_runs_baseline_is_shown_beside_a_figure_and_never_gated(tmp_path: Path) -> None:
    command = _fake_benchmark(tmp_path, {"precision": 0.9, "baseline_precision": 0.95})
    floors = _floors(
        tmp_path,
        command,
        {"key": "precision", "floor": 0.9, "better": "higher", "baseline": "baseline_precision"},
        {"key": "precision", "floor": 0.9, "better": "higher", "baseline": "renamed_baseline"},
    )
    done = _gate(tmp_path, floors)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "0.9500" in done.stdout.splitlines()[1]
    assert done.stdout.splitlines()[2].split()[-2] == "-"


def test_a_lower_is_better_figure_above_its_ceiling_fails_the_gate(tmp_path: Path) -> None:
    command = _fake_benchmark(tmp_path, {"false_disagreement_rate": 0.3})
    floors = _floors(tmp_path, command, {"key": "false_disagreement_rate", "floor": 0.2, "better": "lower"})
    assert _gate(tmp_path, floors).returncode == 1


def test_a_figure_missing_from_the_json_line_or_not_a_number_fails_the_gate(tmp_path: Path) -> None:
    command = _fake_benchmark(tmp_path, {"citation_precision": None})
    floors = _floors(
        tmp_path,
        command,
        {"key": "citation_precision", "floor": 0.9, "better": "higher"},
        {"key": "renamed_figure", "floor": 0.9, "better": "higher"},
    )
    done = _gate(tmp_path, floors)
    assert done.returncode == 1
    assert "not a number" in done.stdout and "no figure 'renamed_figure'" in done.stdout


def test_a_benchmark_that_crashes_fails_the_gate_with_its_error(tmp_path: Path) -> None:
    script = tmp_path / "broken.py"
    script.write_text("raise SystemExit('no such split')\n", encoding="utf-8")
    floors = _floors(
        tmp_path, f"python {shlex.quote(str(script))}", {"key": "f1", "floor": 0.5, "better": "higher"}
    )
    done = _gate(tmp_path, floors)
    assert done.returncode == 1
    assert "no such split" in done.stdout


def test_without_the_labelled_data_the_gate_skips_and_passes(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, str(GATE), "--data", str(tmp_path / "absent")],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0
    assert "skipped" in done.stdout


def test_update_raises_a_floor_to_the_measured_figure_less_its_tolerance(tmp_path: Path) -> None:
    command = _fake_benchmark(tmp_path, {"rouge1": 39.5, "precision": 0.95})
    floors = _floors(
        tmp_path,
        command,
        {"key": "rouge1", "floor": 39.0, "better": "higher", "tolerance": 0.2, "reason": "ties"},
        {"key": "precision", "floor": 0.9, "better": "higher"},
    )
    assert _gate(tmp_path, floors, "--update").returncode == 0
    written = {f["key"]: f["floor"] for f in json.loads(floors.read_text())["figures"]}
    assert written == {"rouge1": 39.3, "precision": 0.95}


def test_update_records_nothing_when_a_figure_dropped(tmp_path: Path) -> None:
    command = _fake_benchmark(tmp_path, {"precision": 0.8, "recall": 0.9})
    floors = _floors(
        tmp_path,
        command,
        {"key": "precision", "floor": 0.85, "better": "higher"},
        {"key": "recall", "floor": 0.5, "better": "higher"},
    )
    before = floors.read_text()
    assert _gate(tmp_path, floors, "--update").returncode == 1
    assert floors.read_text() == before


def test_a_tolerance_without_its_reason_is_refused(tmp_path: Path) -> None:
    command = _fake_benchmark(tmp_path, {"f1": 0.9})
    floors = _floors(tmp_path, command, {"key": "f1", "floor": 0.85, "better": "higher", "tolerance": 0.05})
    done = _gate(tmp_path, floors)
    assert done.returncode != 0
    assert "needs its reason" in done.stderr


def test_every_recorded_floor_names_a_benchmark_script_of_this_repository() -> None:
    rows = json.loads(FLOORS.read_text(encoding="utf-8"))["figures"]
    assert rows
    for row in rows:
        argv = shlex.split(row["command"])
        assert argv[0] == "python" and (REPO / argv[1]).is_file(), row["name"]
        assert row["better"] in ("higher", "lower"), row["name"]
        assert not row.get("tolerance") or row.get("reason"), row["name"]


@pytest.mark.shared
def test_a_real_benchmark_figure_above_its_measured_value_fails_the_gate(
    shared_dir: Path, tmp_path: Path
) -> None:
    floors = tmp_path / "floors.json"
    command = "python benchmarks/quotes.py --data {data}/polnear --split dev --limit 2"
    rows = [
        {
            "name": "quote attribution P, impossible floor",
            "command": command,
            "key": "attribution_precision",
            "floor": 1.01,
            "better": "higher",
        }
    ]
    floors.write_text(json.dumps({"figures": rows}), encoding="utf-8")
    done = subprocess.run(
        [sys.executable, str(GATE), "--data", str(shared_dir / "data"), "--floors", str(floors)],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 1, done.stdout + done.stderr
    assert "quote attribution P, impossible floor" in done.stdout
