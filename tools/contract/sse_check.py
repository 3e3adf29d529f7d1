"""Bounded contract check of the event-stream routes, which schemathesis cannot fuzz (a 200 never ends by itself).

For every operation the OpenAPI document describes as text/event-stream: an unknown id answers the documented 404
envelope, a malformed id the documented 400, and a real id (made by the route that starts such a job) opens a
text/event-stream whose first events each match one of the documented event shapes. Exits 1 on any mismatch.

    python sse_check.py <base-url> <api-key>
"""

import json
import sys

import jsonschema_rs
import requests

# How to make a real id for each stream: the route that starts such a job, its body, and the field of data to read.
PRODUCERS = {
    "/coss/service/v1/signResult/{signDataId}/events": ("/coss/service/v1/startAutoSign", {}, "signDataId"),
    "/ca/operations/{operationId}/events": ("/ca/operations/encrypt", {"plaintext": "contract"}, "operationId"),
}
STREAM_SECONDS = 5


def to_json_schema(node):
    """OpenAPI 3.0 `nullable` as JSON Schema (the only 3.0-only keyword the gateway's document uses)."""
    if isinstance(node, list):
        return [to_json_schema(item) for item in node]
    if not isinstance(node, dict):
        return node
    out = {key: to_json_schema(value) for key, value in node.items() if key != "nullable"}
    if node.get("nullable"):
        if "type" in out:
            out["type"] = [out["type"], "null"]
        if "enum" in out and None not in out["enum"]:
            out["enum"] = [*out["enum"], None]
        if "$ref" in out or "allOf" in out:
            out = {"anyOf": [out, {"type": "null"}]}
    return out


def validator(document, schema):
    return jsonschema_rs.validator_for({**to_json_schema(schema), "components": to_json_schema(document["components"])})


def read_first_event(response):
    """The first `event:`/`data:` block of an open stream (comment lines skipped); the read timeout bounds the wait."""
    block = {}
    for line in response.iter_lines(decode_unicode=True):
        if line == "" and block:
            return {"event": block.get("event", "message"), "data": json.loads(block.get("data", "null"))}
        if line and not line.startswith(":"):
            field, _, value = line.partition(":")
            block[field] = value[1:] if value.startswith(" ") else value
    return None


def check(base, key, document, path, operation, problems):
    headers = {"authorization": f"Bearer {key}", "accept-language": "en"}
    if path not in PRODUCERS:
        problems.append(f"{path}: no producer known to sse_check.py; add the route that starts such a job")
        return
    name = path.split("{")[1].split("}")[0]
    for status, value in ((404, "no-such-id-0000"), (400, "bad id!")):
        res = requests.get(base + path.replace("{" + name + "}", requests.utils.quote(value)), headers=headers, timeout=10)
        documented = operation["responses"].get(str(status), {}).get("content", {}).get("application/json", {})
        errors = [str(e) for e in validator(document, documented.get("schema", {})).iter_errors(res.json())]
        if res.status_code != status or errors:
            problems.append(f"{path} with {value!r}: {res.status_code} {errors[:2]}")
    start, body, field = PRODUCERS[path]
    started = requests.post(base + start, json=body, headers=headers, timeout=30)
    if started.status_code != 200:
        problems.append(f"{path}: {start} answered {started.status_code}")
        return
    real_id = started.json()["data"][field]
    items = operation["responses"]["200"]["content"]["text/event-stream"]["schema"]["items"]
    event_validator = validator(document, items)
    url = base + path.replace("{" + name + "}", real_id)
    with requests.get(url, headers=headers, stream=True, timeout=STREAM_SECONDS) as res:
        content_type = res.headers.get("content-type", "")
        if res.status_code != 200 or not content_type.startswith("text/event-stream"):
            problems.append(f"{path}: {res.status_code} {content_type}")
            return
        event = read_first_event(res)
    if event is None:
        problems.append(f"{path}: the stream ended without an event")
        return
    errors = [str(e) for e in event_validator.iter_errors(event)]
    if errors:
        problems.append(f"{path}: event {event['event']} does not match the document: {errors[:2]}")
    print(f"  {path}: 404 and 400 in the envelope; first event '{event['event']}' matches the document")


def main():
    base, key = sys.argv[1].rstrip("/"), sys.argv[2]
    document = requests.get(base + "/docs-json", timeout=10).json()
    problems, count = [], 0
    for path, item in document["paths"].items():
        for method, operation in item.items():
            content = operation.get("responses", {}).get("200", {}).get("content", {})
            if "text/event-stream" in content:
                count += 1
                check(base, key, document, path, operation, problems)
    for problem in problems:
        print(f"  FAILED {problem}")
    print(f"event streams: {count} checked, {len(problems)} problem(s)")
    sys.exit(1 if problems or count == 0 else 0)


if __name__ == "__main__":
    main()
