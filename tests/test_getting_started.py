"""docs/getting-started.md: served in the API docs, linked from the schema, and true.

The guide's curl calls are run against the API in the order it gives them,
with the headers they carry; each answers with the status the guide shows,
and every complete ``"field": value`` the guide shows is in the answer.
"""

import gc
import json
import re
import runpy
import shlex
from pathlib import Path
from typing import Any

import pytest
from rest_framework.test import APIClient

GUIDE = Path(__file__).resolve().parent.parent / "docs" / "getting-started.md"

pytestmark = pytest.mark.django_db


def test_the_guide_is_a_page_of_the_api_docs(client):
    response = client.get("/api/docs/getting-started/")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/html; charset=utf-8"
    page = response.content.decode()
    assert "<h1>Getting started with the CountOnMe API</h1>" in page
    for heading in ("1. Register the device", "2. Log a food", "3. Read the day", "4. Sync"):
        assert f"<h2>{heading}</h2>" in page
    assert 'href="/api/docs/"' in page
    assert 'href="/api/redoc/"' in page
    # The docs' CSP holds: no script, nothing loaded from another host.
    assert "<script" not in page
    assert "script-src 'self'" in response["Content-Security-Policy"]
    assert not re.search(r'(?:src|href)="https?://', page)


def test_the_guide_is_linked_from_the_schema_description(client):
    schema = client.get("/api/schema/?format=json").json()
    assert "[Getting started](/api/docs/getting-started/)" in schema["info"]["description"]


def test_the_guide_refuses_writes(client):
    response = client.post("/api/docs/getting-started/")
    assert response.status_code == 405


def guide_calls() -> list[tuple[str, int, str]]:
    """``(curl command, status shown, answer line)`` of each call, in the guide's order."""
    text = GUIDE.read_text()
    calls = []
    for match in re.finditer(r"```sh\n(curl .*?)```\n\n→ \*\*(\d{3})\*\* ([^\n]*)", text, re.S):
        command = match.group(1).replace("\\\n", " ")
        calls.append((command, int(match.group(2)), match.group(3)))
    return calls


def shown_fields(answer_line: str) -> list[tuple[str, Any]]:
    """The complete ``"field": value`` pairs of an answer line (not those cut with …)."""
    pairs = re.findall(r'"(\w+)": ("[^"…]*"|-?\d+(?:\.\d+)?|null|true|false)(?=[,}])', answer_line)
    return [(key, json.loads(value)) for key, value in pairs]


def all_fields(value: Any) -> list[tuple[str, Any]]:
    if isinstance(value, dict):
        found = [(k, v) for k, v in value.items() if not isinstance(v, dict | list)]
        return found + [pair for v in value.values() for pair in all_fields(v)]
    if isinstance(value, list):
        return [pair for item in value for pair in all_fields(item)]
    return []


def send(command: str, variables: dict[str, str]):
    for name, value in variables.items():
        command = command.replace(f"${name}", value)
    words = shlex.split(command)
    assert words[0] == "curl"
    method, url, body, headers = "GET", None, None, {}
    position = 1
    while position < len(words):
        word = words[position]
        if word == "-s":
            position += 1
            continue
        if word in ("-X", "-H", "-d"):
            argument = words[position + 1]
            if word == "-X":
                method = argument
            elif word == "-H":
                name, _, value = argument.partition(": ")
                headers[name] = value
            else:
                body = argument
            position += 2
            continue
        url = word
        position += 1
    meta = {
        "HTTP_" + name.upper().replace("-", "_"): value
        for name, value in headers.items()
        if name != "Content-Type"
    }
    return APIClient().generic(
        method, url, body or "", content_type=headers.get("Content-Type"), **meta
    )


def test_every_call_of_the_guide_answers_as_shown(starter_catalog):
    calls = guide_calls()
    assert len(calls) == 10
    variables = {"API": ""}
    for command, status, answer_line in calls:
        response = send(command, variables)
        assert response.status_code == status, (command, response.content[:300])
        answer = response.json()
        if "device_token" in answer:
            variables["TOKEN"] = answer["device_token"]
        if "cursor" in answer:
            variables["CURSOR"] = answer["cursor"]
        present = all_fields(answer)
        missing = [pair for pair in shown_fields(answer_line) if pair not in present]
        assert missing == [], command
    # The guide ran as one device through to its last sync: nothing new after the first.
    assert answer["products"] == answer["food_entries"] == []


def test_make_run_says_where_to_start_and_how_to_get_data(capsys):
    """gunicorn's start-up lines: the guide, demo data, and the import barcodes need."""
    config = runpy.run_path(str(GUIDE.parent.parent / "gunicorn.conf.py"))
    try:
        config["when_ready"](None)
    finally:
        gc.unfreeze()  # when_ready freezes what the master loaded; this is a test process
    printed = capsys.readouterr().out
    assert "/api/docs/getting-started/" in printed
    assert ".venv/bin/python manage.py seed_demo" in printed
    assert "manage.py import_catalog --source off openfoodfacts-products.jsonl.gz" in printed
