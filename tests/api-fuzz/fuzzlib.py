"""Helpers for tests/api-fuzz/run.sh: building request bodies, checking responses against the
report API's contract, comparing stored rows with what was sent, and reading schemathesis'
HAR report. Standard library only (runs in the suite's virtualenv).

Every subcommand exits 0 when its check holds and 1 with a reason on stderr when not.
"""

import json
import re
import os
import subprocess
import sys
import urllib.parse

# A report the server accepts; cases override one field at a time.
BASE_REPORT = {
    "name": "Fuzz Tester",
    "email": "fuzz@example.com",
    "phone": "0151 23456789",
    "order_id": "A-1001",
    "issue_type": "other",
    "description": "The parcel arrived damaged and wet.",
    "priority": "high",
}
TEXT_FIELDS = ("name", "email", "phone", "order_id", "issue_type", "description", "priority")
ISSUE_TYPES = ["not_received", "quality", "wrong_item", "damaged", "payment", "refund", "app", "other"]
PRIORITIES = ["normal", "high", "urgent"]
LANGUAGES = ["en", "de"]
# Phone numbers the server must accept with CAREDESK_PHONE_REGION=DE, typed in different ways.
VALID_PHONES = [
    "0151 23456789",
    "+49 151 23456789",
    "+4915123456789",
    "0151-23456789",
    "(0151) 234 567 89",
    "+49 30 12345678",
    "030 12345678",
    "+800 1234 5678",
]


def fail(reason):
    print(reason, file=sys.stderr)
    sys.exit(1)


def url_with(admin_url, user, database):
    """PG_ADMIN_URL with another database and, unless `user` is "-", another login (no
    password: the local server trusts it). Host, port and options stay."""
    parts = urllib.parse.urlsplit(admin_url)
    netloc = parts.netloc
    if user != "-":
        netloc = user + "@" + netloc.rpartition("@")[2]
    return urllib.parse.urlunsplit((parts.scheme, netloc, "/" + database, parts.query, ""))


def report_body(out, assignments):
    """Writes the base report with `field=value` overrides; `field:json=LITERAL` sets a JSON
    value (for what a command line cannot carry, such as NUL); `field` alone removes it."""
    body = dict(BASE_REPORT)
    for assignment in assignments:
        field, sep, value = assignment.partition("=")
        if field.endswith(":json"):
            body[field[: -len(":json")]] = json.loads(value)
        elif sep:
            body[field] = value
        else:
            body.pop(field, None)
    with open(out, "w", encoding="utf-8") as f:
        # ensure_ascii=False: non-ASCII text goes over the wire as raw UTF-8, the way a
        # browser sends it (the escaped form is exercised by schemathesis)
        json.dump(body, f, ensure_ascii=False)


def check_response(status, content_type, path, expect, field):
    """`expect`: 201, a 4xx code, or 4xx (any client error). Checks the contract's shape."""
    status = int(status)
    if status == 0:
        fail("no HTTP response (connection dropped or timed out)")
    if status >= 500:
        fail(f"server error {status}")
    if expect == "4xx":
        if not 400 <= status < 500:
            fail(f"expected a 4xx, got {status}")
    elif status != int(expect):
        fail(f"expected {expect}, got {status}")
    essence = content_type.split(";")[0].strip().lower()
    if essence != "application/json":
        fail(f"Content-Type is {content_type!r}, not application/json")
    raw = open(path, "rb").read()
    try:
        body = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as e:
        fail(f"body is not JSON ({e}): {raw[:200]!r}")
    if status == 201:
        if not (
            isinstance(body, dict)
            and set(body) == {"success", "issue_id", "message", "status_url"}
            and body["success"] is True
            and isinstance(body["issue_id"], int)
            and not isinstance(body["issue_id"], bool)
            and body["issue_id"] > 0
            and isinstance(body["message"], str)
            and f"#{body['issue_id']}" in body["message"]
            and re.fullmatch(r"/customer-care/status/[0-9a-f]{64}", str(body["status_url"]))
        ):
            fail(f"201 body is not {{success: true, issue_id, message, status_url}}: {body!r}")
        print(body["issue_id"])
        return
    errors = body.get("errors") if isinstance(body, dict) else None
    if not (
        isinstance(body, dict)
        and set(body) == {"success", "message", "errors"}
        and body["success"] is False
        and isinstance(body["message"], str)
        and body["message"].strip()
        and isinstance(errors, dict)
        and all(
            isinstance(k, str)
            and isinstance(v, list)
            and v
            and all(isinstance(m, str) and m.strip() for m in v)
            for k, v in errors.items()
        )
    ):
        fail(f"{status} body is not {{success: false, message, errors: {{field: [text]}}}}: {body!r}")
    if status == 422 and not errors:
        fail(f"422 without any field error: {body!r}")
    if status != 422 and errors:
        fail(f"{status} names field errors, which only 422 does: {body!r}")
    if field and field not in errors:
        fail(f"expected an error for {field!r}, got errors for {sorted(errors)}: {body!r}")


def fetch_row(admin_db_url, issue_id):
    result = subprocess.run(
        [
            "psql", "-X", "-q", "-At", "-v", "ON_ERROR_STOP=1", admin_db_url,
            # hex: psql's printer drops some code points (U+10FFFF) on output
            "-c", f"SELECT encode(convert_to(row_to_json(c)::text, 'UTF8'), 'hex') "
            f"FROM customer_care c WHERE id = {int(issue_id)}",
        ],
        capture_output=True,
        env={**os.environ, "PGCLIENTENCODING": "UTF8"},
    )
    if result.returncode != 0:
        fail(f"psql failed: {result.stderr.decode(errors='replace')}")
    out = result.stdout.decode("ascii").strip()
    if not out:
        fail(f"issue {issue_id} was answered 201 but is not stored")
    return json.loads(bytes.fromhex(out).decode("utf-8"))


def expected_row(sent, trim):
    """What the row must hold for an accepted report: the text as sent (trimmed when the sender
    padded it; the server keeps customers' words trimmed), the defaults for absent optionals."""

    def clean(value):
        return value.strip() if trim and isinstance(value, str) else value

    order_id = clean(sent.get("order_id"))
    priority = clean(sent.get("priority"))
    language = clean(sent.get("language"))
    return {
        "name": clean(sent["name"]),
        "email": clean(sent["email"]),
        "phone": clean(sent["phone"]),
        "order_id": order_id if order_id else None,
        "issue_type": clean(sent["issue_type"]),
        "description": clean(sent["description"]),
        "priority": priority if priority else "normal",
        # no Accept-Language is sent: the shop's default language
        "language": language if language else "en",
        "status": "open",
        "admin_response": None,
        "resolved_at": None,
    }


def compare_row(row, sent, trim):
    want = expected_row(sent, trim)
    diffs = {k: (row.get(k), v) for k, v in want.items() if row.get(k) != v}
    return diffs


def stored_equals(admin_db_url, issue_id, body_path):
    sent = json.load(open(body_path, encoding="utf-8"))
    row = fetch_row(admin_db_url, issue_id)
    diffs = compare_row(row, sent, trim=False)
    if diffs:
        fail(f"issue {issue_id} stored differently from what was sent (stored, sent): {diffs!r}")


def strict_schema(src, out):
    """The server's own OpenAPI document with the request's closed sets spelled out, so that
    generated reports reach storage: issue_type and priority as enums, known-good phone
    numbers, an empty honeypot, a description of at least 10 characters. Responses are left
    exactly as the server describes them."""
    doc = json.load(open(src, encoding="utf-8"))
    try:
        props = doc["components"]["schemas"]["ReportRequest"]["properties"]
    except KeyError:
        fail("the OpenAPI document has no components.schemas.ReportRequest.properties")
    wanted = {"name", "email", "phone", "order_id", "issue_type", "description", "priority", "language", "website"}
    if set(props) != wanted:
        fail(f"ReportRequest's properties changed: {sorted(props)} (update fuzzlib.strict_schema)")
    props["issue_type"] = {**props["issue_type"], "enum": ISSUE_TYPES}
    props["priority"] = {**props["priority"], "enum": PRIORITIES + [None]}
    props["language"] = {**props["language"], "enum": LANGUAGES + [None]}
    props["phone"] = {**props["phone"], "enum": VALID_PHONES}
    props["website"] = {**props["website"], "enum": ["", None]}
    props["description"] = {**props["description"], "minLength": 10}
    json.dump(doc, open(out, "w", encoding="utf-8"), indent=1)


def har_entries(har_path):
    return json.load(open(har_path, encoding="utf-8"))["log"]["entries"]


def har_summary(har_path):
    """Prints the statuses schemathesis got; fails on any 5xx or missing response."""
    counts = {}
    bad = []
    for e in har_entries(har_path):
        method = e["request"]["method"]
        path = urllib.parse.urlsplit(e["request"]["url"]).path
        status = e["response"]["status"]
        counts[(method, path, status)] = counts.get((method, path, status), 0) + 1
        if status >= 500 or status == 0:
            bad.append((method, path, status, (e["request"].get("postData") or {}).get("text", "")[:300]))
    for (method, path, status), n in sorted(counts.items(), key=lambda kv: -kv[1]):
        print(f"    {n:5d} x {method} {path} -> {status}")
    print(f"    {sum(counts.values())} requests in all")
    if bad:
        fail("server errors in the HAR: " + "; ".join(repr(b) for b in bad[:5]))


def sent_fields(request, text):
    """The report's fields as sent: a JSON body, or the text parts of the multipart variant."""
    mime = (request.get("postData") or {}).get("mimeType", "")
    if not mime.startswith("multipart/"):
        for header in request.get("headers", []):
            if header["name"].lower() == "content-type":
                mime = header["value"]
    if not mime.lower().startswith("multipart/form-data"):
        return json.loads(text)
    import email
    import email.policy
    raw = f"Content-Type: {mime}\r\n\r\n".encode() + text.encode("utf-8", "surrogateescape")
    message = email.message_from_bytes(raw, policy=email.policy.HTTP)
    # the parts carry no charset: their bytes are the UTF-8 the client sent
    return {part.get_param("name", header="content-disposition"): part.get_payload(decode=True).decode("utf-8")
            for part in message.iter_parts() if part.get_filename() is None}


def har_roundtrip(har_path, admin_db_url, minimum):
    """Every report schemathesis got a 201 for is stored exactly as sent (trimmed)."""
    accepted = 0
    for e in har_entries(har_path):
        if e["response"]["status"] != 201:
            continue
        text = (e["request"].get("postData") or {}).get("text")
        answer = e["response"]["content"].get("text")
        if text is None or answer is None:
            fail("a 201 in the HAR without request or response text")
        sent = sent_fields(e["request"], text)
        issue_id = json.loads(answer)["issue_id"]
        row = fetch_row(admin_db_url, issue_id)
        diffs = compare_row(row, sent, trim=True)
        if diffs:
            fail(f"issue {issue_id} stored differently from what was sent (stored, sent): {diffs!r}\n  request: {text[:500]}")
        accepted += 1
    print(f"    {accepted} generated reports accepted and stored exactly as sent")
    if accepted < minimum:
        fail(f"only {accepted} generated reports were accepted (at least {minimum} expected)")


def main(argv):
    command, args = argv[1], argv[2:]
    if command == "url-with":
        print(url_with(*args))
    elif command == "report-body":
        report_body(args[0], args[1:])
    elif command == "check-response":
        check_response(*args[:4], args[4] if len(args) > 4 else "")
    elif command == "stored-equals":
        stored_equals(*args)
    elif command == "strict-schema":
        strict_schema(*args)
    elif command == "har-summary":
        har_summary(*args)
    elif command == "har-roundtrip":
        har_roundtrip(args[0], args[1], int(args[2]))
    else:
        fail(f"unknown command {command}")


if __name__ == "__main__":
    main(sys.argv)
