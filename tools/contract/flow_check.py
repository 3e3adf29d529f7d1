"""What fuzzing cannot reach: success answers built from real data, checked strictly against the OpenAPI document.

A fuzzer never logs a nurse in, so the records, document and verify answers it sees are empty lists and 404s. This
walks the COSS flow on embedded defaults (start a login, the embedded virtual phone scans as N001, getSignResult
until FINISH, queryImage, isSameCaUser, signDocWithCa, the records list, the document, verify, endAutoSign) and an
Anhui encrypt confirmed by the embedded virtual app (the finished operation, its result, seal-data of the nurse's
certificate serial), and validates each answer against its operation's 200 schema with every object schema closed
(`additionalProperties: false` where the document does not say otherwise), so a field the code returns but the
document does not name fails as surely as a missing one. Exits 1 on any mismatch.

    python flow_check.py <base-url> <api-key>
"""

import sys
import time
import uuid

import jsonschema_rs
import requests

from sse_check import to_json_schema


def closed(node, part_of_all_of=False):
    """Every object schema that lists its properties refuses others, unless it says what it allows. The parts of an
    allOf stay open: each describes only some of the fields of one object."""
    if isinstance(node, list):
        return [closed(item, part_of_all_of) for item in node]
    if not isinstance(node, dict):
        return node
    out = {key: closed(value, key == "allOf") for key, value in node.items()}
    if "properties" in out and "additionalProperties" not in out and not part_of_all_of:
        out["additionalProperties"] = False
    return out


class Contract:
    def __init__(self, base, key):
        self.base, self.headers = base, {"authorization": f"Bearer {key}", "accept-language": "en"}
        self.document = requests.get(base + "/docs-json", timeout=10).json()
        self.components = closed(to_json_schema(self.document["components"]))
        self.problems, self.checked = [], 0

    def call(self, method, template, path=None, **kwargs):
        res = requests.request(method, self.base + (path or template), headers=self.headers, timeout=30, **kwargs)
        if res.status_code != 200:
            self.problems.append(f"{method} {template}: {res.status_code} {res.text[:300]}")
            return None
        schema = self.document["paths"][template][method.lower()]["responses"]["200"]["content"]["application/json"]
        # The envelope's own schema is an allOf of two open parts: `data` is what is checked closed.
        envelope = closed(to_json_schema(schema["schema"]))
        validator = jsonschema_rs.validator_for({**envelope, "components": self.components})
        errors = [f"{e.instance_path}: {e.message}" for e in validator.iter_errors(res.json())]
        self.checked += 1
        if errors:
            self.problems.append(f"{method} {template}: the answer does not match the document: {errors[:3]}")
        return res.json()["data"]


def anhui(c):
    """encrypt, confirmed by the embedded virtual app as sm2-nurse; the finished operation; seal-data of her serial."""
    started = c.call("POST", "/ca/operations/encrypt", json={"plaintext": "合同测试", "provider": "anhui"})
    if not started:
        return
    scan = requests.post(f"{c.base}/console/embedded/anhui/scan", json={"qrCode": started["qrCode"], "user": "sm2-nurse"},
                         timeout=10)
    if scan.status_code >= 300:
        c.problems.append(f"the embedded virtual app did not scan: {scan.status_code} {scan.text[:200]}")
        return
    operation, deadline = None, time.monotonic() + 20
    path = f"/ca/operations/{started['operationId']}"
    while time.monotonic() < deadline:
        operation = c.call("GET", "/ca/operations/{operationId}", path)
        if not operation or operation["status"] != "PENDING":
            break
        time.sleep(0.3)
    if not operation or operation["status"] != "FINISH":
        c.problems.append(f"the encrypt operation did not finish: {operation}")
        return
    c.call("POST", "/ca/operations/result", json={"operationId": started["operationId"]})
    c.call("POST", "/ca/operations/seal-data", json={"caSerialId": operation["result"]["certificate"]["serialNumber"]})


def main():
    c = Contract(sys.argv[1].rstrip("/"), sys.argv[2])
    login = c.call("POST", "/coss/service/v1/startAutoSign", json={"userCode": "N001", "timeRegion": 30})
    if login:
        scan = requests.post(f"{c.base}/console/embedded/coss/scan", json={"qrCode": login["qrCode"], "user": "N001"},
                             timeout=10)
        if scan.status_code >= 300:
            c.problems.append(f"the embedded virtual phone did not scan: {scan.status_code} {scan.text[:200]}")
        result, deadline = None, time.monotonic() + 20
        while time.monotonic() < deadline:
            result = c.call("POST", "/coss/service/v1/getSignResult", json={"signDataId": login["signDataId"]})
            if not result or result["jobStatus"] != "UNSIGN":
                break
            time.sleep(0.3)
        if result and result["jobStatus"] == "FINISH":
            token, handle = result["msspId"], login["signDataId"]
            c.call("POST", "/coss/service/v1/queryImage", json={"userId": token})
            c.call("POST", "/WRMSMnis/doc/ca/isSameCaUser/{UserCode}", "/WRMSMnis/doc/ca/isSameCaUser/N001",
                   json={"accessToken": token, "signDataId": handle})
            doc_id = f"CONTRACT-{uuid.uuid4().hex[:8]}"
            signed = c.call("POST", "/windranger/doc/ca/signDocWithCa", json={
                "caIdentityParamsMap": {"accessToken": token, "signDataId": handle},
                "docData": {"id": doc_id, "temperature": 36.8, "note": "合同测试"},
                "type": "document",
                "userCode": "N001",
            })
            if signed:
                c.call("GET", "/windranger/doc/ca/records", params={"docId": doc_id, "type": "document"})
                c.call("GET", "/windranger/doc/{type}/{id}", f"/windranger/doc/document/{doc_id}")
                c.call("POST", "/windranger/doc/ca/records/{recordId}/verify",
                       f"/windranger/doc/ca/records/{signed['recordId']}/verify")
            c.call("POST", "/coss/service/v1/endAutoSign", json={"userId": token})
        else:
            c.problems.append(f"the login did not finish: {result}")
    anhui(c)
    for problem in c.problems:
        print(f"  FAILED {problem}")
    print(f"flows: {c.checked} success answers checked against the document, {len(c.problems)} problem(s)")
    sys.exit(1 if c.problems else 0)


if __name__ == "__main__":
    main()
