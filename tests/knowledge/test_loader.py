"""The loader refuses bad data with a clear message naming file and field.

Each test copies the packaged knowledge base into a temporary folder, breaks
one thing, and checks that `load` (and `treatwise kb validate`) reports it.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from support.kbcopy import edit_yaml, problems_of
from typer.testing import CliRunner

from treatwise.cli import app
from treatwise.knowledge import KnowledgeBase, load
from treatwise.knowledge.vocabulary import CONCERN_IDS, CONDITION_IDS, TREATMENT_IDS


def test_packaged_knowledge_base_is_valid(kb: KnowledgeBase) -> None:
    assert set(CONCERN_IDS) <= set(kb.concerns)
    assert set(CONDITION_IDS) <= set(kb.conditions)
    assert set(TREATMENT_IDS) <= set(kb.treatments)
    assert len(kb.references) >= 60
    assert len(kb.version) == 12


def test_load_is_cached_per_folder(kb: KnowledgeBase) -> None:
    assert load() is kb


def test_copy_of_the_data_loads(data_dir: Path, kb: KnowledgeBase) -> None:
    assert load(data_dir).version == kb.version


def test_missing_reference_is_reported(data_dir: Path) -> None:
    path = data_dir / "treatments" / "microneedling.yaml"
    edit_yaml(path, lambda d: d["mechanism"].update(references=["no-such-ref"]))
    assert any(
        p.startswith("treatments/microneedling.yaml: mechanism.references")
        and "unknown reference id 'no-such-ref'" in p
        for p in problems_of(data_dir)
    )


def test_unknown_concern_id_is_reported(data_dir: Path) -> None:
    path = data_dir / "treatments" / "mesotherapy.yaml"
    edit_yaml(path, lambda d: d["indications"][0].update(concern="wrinkly-elbows"))
    found = problems_of(data_dir)
    assert any("indications[0].concern" in p and "'wrinkly-elbows'" in p for p in found)


def test_indication_without_evidence_level_is_reported(data_dir: Path) -> None:
    path = data_dir / "treatments" / "microneedling.yaml"
    edit_yaml(path, lambda d: d["indications"][0].pop("evidence"))
    found = problems_of(data_dir)
    assert any("indications.0.evidence" in p and "Field required" in p for p in found)


def test_evidence_level_outside_the_vocabulary_is_reported(data_dir: Path) -> None:
    path = data_dir / "treatments" / "microneedling.yaml"
    edit_yaml(path, lambda d: d["indications"][0].update(evidence="excellent"))
    found = problems_of(data_dir)
    assert any("indications.0.evidence" in p and "'very_low'" in p for p in found)


def test_contraindication_without_reference_is_reported(data_dir: Path) -> None:
    path = data_dir / "treatments" / "microneedling.yaml"
    edit_yaml(path, lambda d: d["contraindications"][0].pop("references"))
    found = problems_of(data_dir)
    assert any("contraindications.0" in p and "needs at least one reference" in p for p in found)


def test_contraindication_with_empty_references_is_reported(data_dir: Path) -> None:
    path = data_dir / "treatments" / "microneedling.yaml"
    edit_yaml(path, lambda d: d["contraindications"][0].update(references=[]))
    found = problems_of(data_dir)
    assert any("contraindications.0" in p and "needs at least one reference" in p for p in found)


def test_none_row_may_stand_without_reference(data_dir: Path) -> None:
    path = data_dir / "treatments" / "microneedling.yaml"
    row = {"condition": "heart-disease", "level": "none", "text": "No source restricts it."}
    edit_yaml(
        path,
        lambda d: d.update(
            contraindications=[
                r for r in d["contraindications"] if r["condition"] != row["condition"]
            ]
            + [row]
        ),
    )
    loaded = load(data_dir)
    assert loaded.treatments["microneedling"].contraindications[-1].level == "none"
    assert row["condition"] not in {
        r.condition for r in loaded.treatments["microneedling"].restrictions
    }


def test_missing_vocabulary_entries_are_reported(data_dir: Path) -> None:
    edit_yaml(
        data_dir / "concerns.yaml",
        lambda d: d.update(concerns=[c for c in d["concerns"] if c["id"] != "melasma"]),
    )
    (data_dir / "treatments" / "prp.yaml").unlink()
    found = problems_of(data_dir)
    assert "concerns.yaml: missing concern 'melasma' (required by DESIGN)" in found
    assert "treatments/: missing treatment 'prp' (required by DESIGN)" in found


def test_duplicate_ids_and_file_name_mismatch_are_reported(data_dir: Path) -> None:
    refs = data_dir / "references.yaml"
    edit_yaml(refs, lambda d: d["references"].append(dict(d["references"][0])))
    shutil.copy(data_dir / "treatments" / "prp.yaml", data_dir / "treatments" / "prp-copy.yaml")
    found = problems_of(data_dir)
    assert any(p.startswith("references: id: duplicate id") for p in found)
    assert "treatments/prp-copy.yaml: id: id 'prp' differs from file name" in found


def test_broken_yaml_and_wrong_shapes_are_reported(data_dir: Path) -> None:
    (data_dir / "conditions.yaml").write_text("conditions: [unclosed", encoding="utf-8")
    (data_dir / "concerns.yaml").write_text("just: text\n", encoding="utf-8")
    (data_dir / "rules.yaml").write_text("", encoding="utf-8")
    found = problems_of(data_dir)
    assert any(p.startswith("conditions.yaml: invalid YAML") for p in found)
    assert "concerns.yaml: concerns: expected a mapping with a list under 'concerns'" in found
    assert "rules.yaml: missing or empty" in found


def test_ranges_and_reference_locators_are_checked(data_dir: Path) -> None:
    edit_yaml(
        data_dir / "treatments" / "microneedling.yaml",
        lambda d: d["downtime_days"].update(min=9, max=1),
    )
    edit_yaml(
        data_dir / "references.yaml",
        lambda d: [d["references"][0].pop(k, None) for k in ("pmid", "doi", "url")],
    )
    found = problems_of(data_dir)
    assert any("downtime_days" in p and "greater than max" in p for p in found)
    assert any("at least one of pmid, doi or url" in p for p in found)


def test_kb_validate_cli_reports_every_problem_and_exits_1(data_dir: Path) -> None:
    path = data_dir / "treatments" / "microneedling.yaml"
    edit_yaml(path, lambda d: d["mechanism"].update(references=["ghost-1"]))
    edit_yaml(path, lambda d: d["summary"].update(references=["ghost-2"]))
    result = CliRunner().invoke(app, ["kb", "validate", "--data-dir", str(data_dir)])
    assert result.exit_code == 1
    assert "'ghost-1'" in result.output and "'ghost-2'" in result.output
    assert "Traceback" not in result.output


def test_kb_validate_cli_passes_on_the_packaged_data() -> None:
    result = CliRunner().invoke(app, ["kb", "validate"])
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("ok: ")


def test_kb_schema_cli_writes_json_schema(tmp_path: Path) -> None:
    out = tmp_path / "schema.json"
    result = CliRunner().invoke(app, ["kb", "schema", "-o", str(out)])
    assert result.exit_code == 0
    text = out.read_text(encoding="utf-8")
    assert '"treatment"' in text and '"contraindications"' in text
    printed = CliRunner().invoke(app, ["kb", "schema"])
    assert printed.exit_code == 0 and '"reference"' in printed.output


def test_unknown_treatment_lookup_names_valid_ids(kb: KnowledgeBase) -> None:
    with pytest.raises(KeyError, match=r"valid: .*microneedling"):
        kb.treatment("botox")
    assert kb.treatment("microneedling").id == "microneedling"
