"""val_report: per-site validation of a checkpoint, on the smoke test's tiny dataset and run."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Dict

import pytest
from test_smoke import TINY_CONFIG, make_dataset

from neurotriage_train import train, val_report


@pytest.fixture(scope="module")
def workspace(tmp_path_factory: pytest.TempPathFactory) -> Dict[str, Path]:
    """The smoke test's tiny dataset and a short run on it."""
    root = tmp_path_factory.mktemp("nt-val")
    data = make_dataset(root / "data")
    config = root / "config.json"
    config.write_text(json.dumps({**TINY_CONFIG, "steps": 10, "valInterval": 0, "checkpointInterval": 10}))
    out = root / "run"
    assert train.main(["--data", str(data), "--out", str(out), "--config", str(config)]) == 0
    return {"data": data, "out": out}


def test_reports_each_validation_site(workspace: Dict[str, Path], capsys: pytest.CaptureFixture[str]) -> None:
    val_report.main(["--arrays", str(workspace["data"]), "--checkpoint", str(workspace["out"] / "checkpoint.pt"), "--json"])
    lines = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    # The smoke dataset's one validation case (case05, site2) has a lesion.
    assert [line["site"] for line in lines] == ["site2"]
    assert lines[0]["lesionCases"] == 1 and lines[0]["normalCases"] == 0
    assert 0.0 <= lines[0]["meanDice"] <= 1.0
    assert lines[0]["truthMl"] > 0
