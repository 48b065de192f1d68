"""`python manage.py tag --jsonl FILE`: one JSON line out per incident in, and a bad line is
reported by number without stopping the rest."""

import io
import json

import pytest
from django.core.management import CommandError, call_command


def run_tag(path):
    out, err = io.StringIO(), io.StringIO()
    error = None
    try:
        call_command("tag", jsonl=str(path), stdout=out, stderr=err)
    except CommandError as raised:
        error = raised
    return [json.loads(line) for line in out.getvalue().splitlines()], err.getvalue(), error


def test_each_incident_gets_a_line_with_slugs_and_evidence(db, tmp_path):
    source = tmp_path / "incidents.jsonl"
    incidents = [
        {
            "id": "nhs-111",
            "title": "NHS 111 software supplier hit by ransomware",
            "text": "Call handlers ran on contingency plans after Advanced, a managed service "
            "provider, isolated its systems.",
        },
        {"id": 2, "title": "", "text": "Payroll file emailed to the wrong recipient at a law firm"},
        {"id": 3, "title": "Quiet day", "text": "Nothing happened anywhere."},
    ]
    source.write_text("\n".join(json.dumps(i) for i in incidents) + "\n", encoding="utf-8")

    lines, errors, error = run_tag(source)

    assert error is None and errors == ""
    assert [line["id"] for line in lines] == ["nhs-111", 2, 3]
    assert all(set(line) == {"id", "sectors", "risk_types", "evidence"} for line in lines)
    first = lines[0]
    assert first["sectors"] == ["healthcare"]
    assert {"ransomware", "supply-chain", "outage"} <= set(first["risk_types"])
    assert set(first["evidence"]) == set(first["sectors"]) | set(first["risk_types"])
    for slug, items in first["evidence"].items():
        for item in items:
            field = incidents[0][item["field"]]
            assert field[item["start"] : item["end"]] == item["text"], slug
    assert lines[1]["sectors"] == ["professional-services"]
    assert "human-error" in lines[1]["risk_types"]
    assert lines[2] == {"id": 3, "sectors": [], "risk_types": [], "evidence": {}}


def test_a_bad_line_is_named_by_number_and_the_rest_still_runs(db, tmp_path):
    source = tmp_path / "mixed.jsonl"
    source.write_bytes(
        b'{"id": 1, "title": "Hospital hit by ransomware", "text": ""}\n'
        b"{not json}\n"
        b"\n"
        b'["a list"]\n'
        b'{"title": "No id here"}\n'
        b'{"id": 6, "text": 42}\n'
        b'{"id": 7, "title": "caf\xe9 chain"}\n'
        b'{"id": 8, "text": "DDoS attack knocked the airline website offline"}\n'
    )

    lines, errors, error = run_tag(source)

    assert [line["id"] for line in lines] == [1, 8]
    assert lines[0]["sectors"] == ["healthcare"] and lines[0]["risk_types"] == ["ransomware"]
    assert {"ddos", "outage"} <= set(lines[1]["risk_types"])
    reported = errors.splitlines()
    assert [line.split(": ")[1] for line in reported] == [
        "line 2",
        "line 4",
        "line 5",
        "line 6",
        "line 7",
    ]
    assert "not valid JSON" in reported[0]
    assert 'missing "id"' in reported[2]
    assert "not UTF-8" in reported[4]
    assert error is not None and "5 line(s)" in str(error)


def test_a_missing_file_is_a_clear_error(db, tmp_path):
    with pytest.raises(CommandError, match="cannot read"):
        call_command("tag", jsonl=str(tmp_path / "absent.jsonl"), stdout=io.StringIO())
