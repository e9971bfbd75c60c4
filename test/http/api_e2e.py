#!/usr/bin/env python3
"""HTTP end to end: the real `zhenxing serve` on 127.0.0.1 (a free port chosen
by the server, --port 0) with a temporary database made by
`zhenxing demo --households 2000 --demo-password …`.

Usage: python3 api_e2e.py <zhenxing> <source-dir>

Covers login/logout, wrong password, lockout, the forced password change,
CSRF (missing/wrong → 403), each role's subtree in /divisions/children and
/users (guessed codes and usernames → 404), who may create users, masking
(when the registry endpoints are present), body limits (413), import of a
CSV with errors (row/column/field and the report download, owner only),
import outside the user's scope, and a clean exit on SIGTERM.
Standard library only.
"""
import csv
import http.client
import io
import json
import os
import re
import signal
import socket
import subprocess
import sys
import tempfile
import time

ZX, SRC = sys.argv[1], sys.argv[2]
PASSWORD = "Demo2025pw"
FAILURES = []


def check(condition, what):
    if not condition:
        FAILURES.append(what)
        print("FAIL:", what, file=sys.stderr)


class Client:
    """One browser: a cookie jar of one cookie and the CSRF token."""

    def __init__(self, port):
        self.port = port
        self.cookie = None
        self.csrf = None

    def request(self, method, path, body=None, headers=None, csrf=True, raw=False):
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        hdrs = dict(headers or {})
        data = None
        if body is not None:
            if isinstance(body, (bytes, bytearray)):
                data = bytes(body)
            else:
                data = json.dumps(body).encode()
                hdrs.setdefault("Content-Type", "application/json")
        if self.cookie:
            hdrs["Cookie"] = "zx_session=" + self.cookie
        if csrf and self.csrf and method not in ("GET", "HEAD"):
            hdrs["X-CSRF-Token"] = self.csrf
        conn.request(method, path, body=data, headers=hdrs)
        resp = conn.getresponse()
        payload = resp.read()
        set_cookie = resp.getheader("Set-Cookie")
        if set_cookie and set_cookie.startswith("zx_session="):
            value = set_cookie.split(";", 1)[0].split("=", 1)[1]
            self.cookie = value or None
        conn.close()
        if raw:
            return resp.status, payload, resp
        parsed = json.loads(payload) if payload else None
        return resp.status, parsed, resp

    def login(self, username, password=PASSWORD):
        status, body, resp = self.request("POST", "/api/v1/auth/login", {"username": username, "password": password})
        if status == 200:
            self.csrf = body["data"]["csrf_token"]
            self.user = body["data"]["user"]
        return status, body, resp


def significant(code):
    code = str(code)
    for digits in (2, 4, 6, 9):
        if code[digits:] == "0" * (12 - digits):
            return code[:digits]
    return code


def main():
    work = tempfile.mkdtemp(prefix="zx_http_e2e_")
    db = os.path.join(work, "demo.db")
    demo = subprocess.run([ZX, "demo", "--db", db, "--households", "2000", "--demo-password", PASSWORD],
                          capture_output=True, text=True)
    check(demo.returncode == 0, "demo exits 0: " + demo.stderr)
    check("admin" in demo.stdout and "auditor" in demo.stdout, "demo prints the logins table")

    server = subprocess.Popen([ZX, "serve", "--db", db, "--port", "0", "--threads", "4",
                               "--access-log", os.path.join(work, "access.log")],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        line = server.stdout.readline()
        match = re.search(r"http://127\.0\.0\.1:(\d+)/", line)
        if not match:
            print("server did not print its URL:", line, server.stderr.read(), file=sys.stderr)
            return 1
        port = int(match.group(1))
        run_checks(port, work, db)
    finally:
        server.send_signal(signal.SIGTERM)
        try:
            code = server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
            code = -1
        rest = server.stdout.read()
        check(code == 0, "SIGTERM → exit 0 (got %s)" % code)
        check("已停止" in rest, "server says it stopped")
    log = open(os.path.join(work, "access.log"), encoding="utf-8").read()
    check(re.search(r"GET /api/v1/divisions/children 200 \d+B [\d.]+ms county", log) is not None,
          "access log has method, path, status, bytes, ms, user")
    subprocess.run(["rm", "-rf", work])
    if FAILURES:
        print("%d check(s) failed" % len(FAILURES), file=sys.stderr)
        return 1
    print("all HTTP end-to-end checks passed")
    return 0


def run_checks(port, work, db):
    anon = Client(port)
    status, body, _ = anon.request("GET", "/api/v1/health")
    check(status == 200 and body["code"] == 0, "health is public")
    status, body, _ = anon.request("GET", "/api/v1/openapi.json")
    check(status == 200 and body.get("openapi", "").startswith("3."), "openapi.json is served")
    status, body, _ = anon.request("GET", "/api/v1/auth/me")
    check(status == 401 and body["code"] == 401, "anonymous /auth/me → 401")
    status, body, _ = anon.request("GET", "/api/v1/nothing")
    check(status == 404, "unknown API path → 404")

    # --- login / logout / wrong password ---------------------------------
    status, body, _ = anon.login("admin", "wrong-password1")
    check(status == 401 and body["msg"] == "用户名或密码错误", "wrong password → 401")
    status, body, _ = anon.login("no-such-user", "whatever1")
    check(status == 401 and body["msg"] == "用户名或密码错误", "unknown user → same 401")

    clients = {}
    for role in ("admin", "prefecture", "county", "township", "village", "department", "auditor"):
        client = Client(port)
        status, body, resp = client.login(role)
        check(status == 200, role + " logs in")
        cookie = resp.getheader("Set-Cookie") or ""
        check("HttpOnly" in cookie and "SameSite=Strict" in cookie, role + " cookie is HttpOnly SameSite=Strict")
        check(not client.user["must_change_password"], role + " demo account needs no password change")
        clients[role] = client
    admin, county, township, village = clients["admin"], clients["county"], clients["township"], clients["village"]

    status, body, _ = county.request("GET", "/api/v1/auth/me")
    check(status == 200 and body["data"]["user"]["username"] == "county", "/auth/me returns the user")
    check(body["data"]["csrf_token"] == county.csrf, "/auth/me returns the session's CSRF token")

    # --- CSRF --------------------------------------------------------------
    throwaway = Client(port)
    throwaway.login("village")
    status, body, _ = throwaway.request("POST", "/api/v1/auth/logout", csrf=False)
    check(status == 403 and body["msg"] == "缺少或错误的 CSRF 令牌", "logout without CSRF → 403")
    status, body, _ = throwaway.request("POST", "/api/v1/auth/logout", headers={"X-CSRF-Token": "0" * 32}, csrf=False)
    check(status == 403, "logout with a wrong CSRF token → 403")
    status, body, _ = throwaway.request("POST", "/api/v1/users", {"username": "x"}, csrf=False)
    check(status == 403 and "CSRF" in body["msg"], "POST /users without CSRF → 403")
    status, _, _ = throwaway.request("POST", "/api/v1/auth/logout")
    check(status == 200, "logout with CSRF → 200")
    status, _, _ = throwaway.request("GET", "/api/v1/auth/me")
    check(status == 401, "after logout the session is gone")

    # --- scope: divisions --------------------------------------------------
    codes = {role: client.user["division_code"] for role, client in clients.items()}
    for role, client in clients.items():
        status, body, _ = client.request("GET", "/api/v1/divisions/children")
        check(status == 200, role + " lists its children")
        prefix = significant(codes[role])
        for child in body["data"] if status == 200 else []:
            check(child["code"].startswith(prefix), "%s child %s inside its subtree" % (role, child["code"]))
    # Guessing codes outside the subtree → 404 like a missing one.
    status, body, _ = county.request("GET", "/api/v1/divisions/children?parent=630000000000")
    check(status == 404, "county asking for the province's children → 404")
    status, children, _ = admin.request("GET", "/api/v1/divisions/children?parent=" + codes["prefecture"])
    other_county = next(c["code"] for c in children["data"] if c["code"] != codes["county"])
    status, body, _ = county.request("GET", "/api/v1/divisions/children?parent=" + other_county)
    check(status == 404, "county asking for a sibling county → 404")
    status, missing, _ = county.request("GET", "/api/v1/divisions/children?parent=639999000000")
    check(status == 404 and missing["code"] == 404, "missing code → 404")
    status, body, _ = village.request("GET", "/api/v1/divisions/children?parent=" + codes["township"])
    check(status == 404, "village asking for its township → 404")
    status, body, _ = county.request("GET", "/api/v1/divisions/children?parent=abc")
    check(status == 400, "malformed code → 400")

    # --- scope: users ------------------------------------------------------
    for role in ("admin", "prefecture", "county", "township", "auditor"):
        status, body, _ = clients[role].request("GET", "/api/v1/users?page_size=200")
        check(status == 200, role + " lists users")
        prefix = significant(codes[role])
        names = set()
        for row in body.get("rows", []):
            names.add(row["username"])
            check(row["division_code"].startswith(prefix), "%s sees only users in its subtree (%s)" % (role, row["username"]))
        check(role.replace("admin", "admin") in names or role == "admin", role + " sees itself")
    status, body, _ = admin.request("GET", "/api/v1/users?page_size=200")
    check(body["total"] == 7, "admin sees all 7 demo users")
    status, body, _ = county.request("GET", "/api/v1/users/admin")
    check(status == 404, "county guessing username admin → 404")
    status, body, _ = county.request("PUT", "/api/v1/users/prefecture", {"display_name": "x"})
    check(status == 404, "county editing its prefecture user → 404")
    status, body, _ = county.request("POST", "/api/v1/users/admin/reset-password", {"password": "Hacked12345"})
    check(status == 404, "county resetting admin's password → 404")
    status, body, _ = village.request("GET", "/api/v1/users")
    check(status == 403, "village cannot list users")

    # --- who may create users ---------------------------------------------
    new_user = {"username": "t_new", "display_name": "新用户", "role": "auditor",
                "division_code": codes["county"], "password": "Initial123"}
    for role in ("department", "auditor", "village"):
        status, body, _ = clients[role].request("POST", "/api/v1/users", new_user)
        check(status == 403, role + " cannot create users")
    status, body, _ = county.request("POST", "/api/v1/users", dict(new_user, role="prefecture",
                                                                     division_code=codes["prefecture"]))
    check(status == 404, "county creating a user at its prefecture → 404 (outside subtree)")
    status, body, _ = township.request("POST", "/api/v1/users", dict(new_user, role="county"))
    check(status == 404, "township creating a county user → 404")
    status, body, _ = county.request("POST", "/api/v1/users", dict(new_user, role="township",
                                                                     division_code=codes["county"]))
    check(status == 400, "role at the wrong level → 400")
    status, body, _ = county.request("POST", "/api/v1/users", dict(new_user, division_code=other_county))
    check(status == 404, "county creating a user in a sibling county → 404")
    status, body, _ = county.request("POST", "/api/v1/users", dict(new_user, password="short"))
    check(status == 400, "weak password → 400")
    status, body, _ = county.request("POST", "/api/v1/users", dict(new_user, role="township", division_code=codes["township"]))
    check(status == 200 and body["data"]["must_change_password"], "county creates a township user who must change the password")
    status, body, _ = county.request("POST", "/api/v1/users", dict(new_user, role="township", division_code=codes["township"]))
    check(status == 409, "duplicate username → 409")
    status, body, _ = county.request("PUT", "/api/v1/users/t_new", {"role": "prefecture"})
    check(status == 403 or status == 400, "county cannot raise a user to prefecture")
    status, body, _ = county.request("PUT", "/api/v1/users/county", {"disabled": True})
    check(status == 403, "nobody disables itself")

    # --- forced password change -------------------------------------------
    fresh = Client(port)
    status, body, _ = fresh.login("t_new", "Initial123")
    check(status == 200 and body["data"]["user"]["must_change_password"], "new user logs in, flagged")
    status, body, _ = fresh.request("GET", "/api/v1/divisions/children")
    check(status == 403 and body["msg"] == "请先修改初始密码", "gate: 403 请先修改初始密码")
    status, body, _ = fresh.request("GET", "/api/v1/auth/me")
    check(status == 200, "/auth/me passes the gate")
    status, body, _ = fresh.request("POST", "/api/v1/auth/password", {"old_password": "bad", "new_password": "Changed123"})
    check(status == 400, "wrong old password → 400")
    status, body, _ = fresh.request("POST", "/api/v1/auth/password", {"old_password": "Initial123", "new_password": "Changed123"})
    check(status == 200, "password changed")
    status, body, _ = fresh.request("GET", "/api/v1/divisions/children")
    check(status == 200, "after the change the gate opens")

    # --- lockout -----------------------------------------------------------
    victim = Client(port)
    statuses = [victim.login("t_new", "Wrong%d" % attempt)[0] for attempt in range(5)]
    check(statuses[:4] == [401] * 4 and statuses[4] == 429, "5 failures → 429 on the 5th (%s)" % statuses)
    status, body, _ = victim.login("t_new", "Changed123")
    check(status == 429 and "登录失败次数过多" in body["msg"], "locked account refuses the right password")
    status, body, _ = county.request("GET", "/api/v1/users/t_new")
    check(status == 200 and body["data"]["locked"], "the user shows as locked")
    status, body, _ = county.request("POST", "/api/v1/users/t_new/unlock")
    check(status == 200, "county unlocks")
    status, body, _ = victim.login("t_new", "Changed123")
    check(status == 200, "unlocked user logs in")

    # --- code tables -------------------------------------------------------
    status, body, _ = village.request("GET", "/api/v1/code-tables")
    check(status == 200 and len(body["data"]["monitoring_types"]) >= 3 and len(body["data"]["roles"]) == 7,
          "code tables")

    # --- registry: scope, masking, unmask audit, exports ------------------------
    MASKED_ID = r"\d{6}\*{8}[\dX]{4}"
    # The county sees only its county; every row masked.
    status, body, _ = county.request("GET", "/api/v1/households?page_size=50")
    check(status == 200 and body["total"] > 0, "county lists households")
    for row in body.get("rows", []):
        check(re.fullmatch(MASKED_ID, row["head_id_number"]) is not None,
              "head_id_number masked: " + row["head_id_number"])
        check(row["village_code"].startswith(significant(codes["county"])), "county list stays in its county")
    county_total = body["total"]
    status, body, _ = admin.request("GET", "/api/v1/households?page_size=1")
    check(status == 200 and body["total"] > county_total, "province sees more households than one county")
    number = None
    status, body, _ = county.request("GET", "/api/v1/households?page_size=200")
    for row in body.get("rows", []):
        if not row["household_number"].startswith(significant(codes["village"])):
            number = row["household_number"]
            break
    check(number is not None, "a county household outside the demo village exists")
    if number:
        status, detail, _ = county.request("GET", "/api/v1/households/" + number)
        check(status == 200, "county opens a household of its county")
        for member in detail["data"]["members"]:
            check(re.fullmatch(MASKED_ID, member["id_number"]) is not None, "member id_number masked")
        check("*" in detail["data"]["phone"] or detail["data"]["phone"] == "", "phone masked")
        # Guessing: the village user asking for a household of another village gets 404, as if missing.
        status, _, _ = village.request("GET", "/api/v1/households/" + number)
        check(status == 404, "household outside village's subtree → 404")
        status, _, _ = village.request("GET", "/api/v1/households/0000000000000000")
        check(status == 404, "missing household → 404")
        # Unmasking: the county may (and it is audited); the village and the auditor may not.
        status, body, _ = county.request("POST", "/api/v1/households/%s/unmask" % number,
                                         {"field": "id_number", "ordinal": 1})
        check(status == 200 and re.fullmatch(r"\d{17}[\dX]", body["data"]["value"]) is not None,
              "county unmasks an ID number")
        status, _, _ = county.request("POST", "/api/v1/households/%s/unmask" % number,
                                      {"field": "id_number", "ordinal": 1}, csrf=False)
        check(status == 403, "unmask without CSRF token → 403")
        status, _, _ = clients["auditor"].request("POST", "/api/v1/households/%s/unmask" % number,
                                                  {"field": "phone"})
        check(status == 403, "auditor cannot unmask")
        audit = subprocess.run(["sqlite3", db, "SELECT count(*) FROM access_audit WHERE action = 'unmask' "
                                "AND actor = 'county' AND target = '%s'" % number],
                               capture_output=True, text=True)
        check(audit.stdout.strip() == "1", "exactly the one successful unmask is audited: " + audit.stdout)
    # Dashboards: own division yes, the province no (404, not 403: no existence leak).
    status, body, _ = village.request("GET", "/api/v1/dashboard")
    check(status == 200 and body["data"]["division"]["code"] == codes["village"], "village dashboard")
    status, _, _ = village.request("GET", "/api/v1/dashboard?division=630000000000")
    check(status == 404, "village asking for the province dashboard → 404")
    status, body, _ = admin.request("GET", "/api/v1/dashboard?year=2025")
    check(status == 200 and len(body["data"]["children"]) == 8, "province dashboard has 8 prefectures")
    # Exports stay masked, in CSV and in XLSX.
    status, payload, resp = county.request("GET", "/api/v1/exports/households?format=csv", raw=True)
    text = payload.decode("utf-8-sig")
    ids = re.findall(r",(\d{6}\S{8}[\dX]{4}),", text)
    check(status == 200 and len(ids) == county_total, "CSV export has every county household")
    check(all(re.fullmatch(MASKED_ID, value) for value in ids), "CSV export keeps IDs masked")
    check(re.search(r"\d{17}[\dX]", text) is None, "no full ID anywhere in the CSV export")
    status, payload, resp = county.request("GET", "/api/v1/exports/households?format=xlsx", raw=True)
    check(status == 200 and payload[:2] == b"PK", "XLSX export is a zip")
    if status == 200:
        import io
        import zipfile
        sheet = zipfile.ZipFile(io.BytesIO(payload))
        xml = "".join(sheet.read(name).decode("utf-8") for name in sheet.namelist() if name.endswith(".xml"))
        check(re.search(r"\d{6}\*{8}[\dX]{4}", xml) is not None, "XLSX export has masked IDs")
        check(re.search(r"(?<![\d*])\d{17}[\dX](?![\d*])", xml) is None, "no full ID anywhere in the XLSX export")

    # --- body limits ----------------------------------------------------------
    big = b'{"username":"' + b"x" * (1100 * 1024) + b'"}'
    status, body, _ = county.request("POST", "/api/v1/users", big, headers={"Content-Type": "application/json"})
    check(status == 413 and "请求体过大" in body["msg"], "1.1 MiB JSON → 413 with a Chinese message")
    # 64 MiB import limit: announced by Content-Length, refused before the body is sent.
    sock = socket.create_connection(("127.0.0.1", port), timeout=30)
    sock.sendall(("POST /api/v1/imports/households HTTP/1.1\r\nHost: x\r\nCookie: zx_session=%s\r\n"
                  "X-CSRF-Token: %s\r\nX-File-Name: a.csv\r\nContent-Length: %d\r\n\r\n"
                  % (county.cookie, county.csrf, 65 * 1024 * 1024)).encode())
    reply = sock.recv(4096).decode("utf-8", "replace")
    sock.close()
    check(reply.startswith("HTTP/1.1 413") and "请求体过大" in reply, "65 MiB import → 413")

    # --- imports ---------------------------------------------------------------
    exported = os.path.join(work, "county.csv")
    result = subprocess.run([ZX, "export", "--db", db, "households", "--out", exported,
                             "--division", codes["township"]], capture_output=True, text=True)
    check(result.returncode == 0, "export for the import test: " + result.stderr)
    with open(exported, encoding="utf-8-sig") as f:
        rows = list(csv.reader(f))
    header = rows[0]
    id_col = header.index("证件号码")
    good_csv = "\n".join(",".join(row) for row in rows).encode()
    status, body, _ = township.request("POST", "/api/v1/imports/households", good_csv,
                                       headers={"X-File-Name": "good.csv"})
    check(status == 200 and body["data"]["accepted"] and body["data"]["unchanged"] > 0,
          "re-importing the township's own export is accepted, unchanged (%s)" % (body and body.get("data")))
    bad_rows = [list(row) for row in rows]
    bad_rows[2][id_col] = "63012119800101123"  # 17 characters
    bad_csv = "\n".join(",".join(row) for row in bad_rows).encode()
    status, body, _ = township.request("POST", "/api/v1/imports/households", bad_csv,
                                       headers={"X-File-Name": "%E5%86%9C%E6%88%B7.csv"})
    data = body["data"] if status == 200 else {}
    check(status == 200 and data.get("accepted") is False and data.get("error_count", 0) >= 1,
          "CSV with an error is refused as a whole")
    errors = data.get("errors", [])
    check(any(e["row"] == 3 and e["field"] == "证件号码" and e["column"] for e in errors),
          "the error names row 3, its column and field 证件号码 (%s)" % errors[:2])
    report_id = data.get("report_id", "")
    status, payload, resp = township.request("GET", "/api/v1/imports/%s/report" % report_id, raw=True)
    check(status == 200 and payload[:2] == b"PK", "the error report downloads as xlsx")
    status, _, _ = county.request("GET", "/api/v1/imports/%s/report" % report_id, raw=True)
    check(status == 404, "another user cannot download the report")
    # Outside the scope: the village user imports the township's file.
    status, body, _ = village.request("POST", "/api/v1/imports/households", good_csv, headers={"X-File-Name": "t.csv"})
    data = body["data"] if status == 200 else {}
    check(status == 200 and data.get("accepted") is False and
          any(e["kind"] == "outside_scope" for e in data.get("errors", [])) and data.get("inserted") == 0,
          "import outside the user's subtree is refused")
    status, body, _ = clients["auditor"].request("POST", "/api/v1/imports/households", good_csv,
                                                 headers={"X-File-Name": "t.csv"})
    check(status == 403, "auditor cannot import")
    status, body, _ = township.request("POST", "/api/v1/imports/households", b"x", headers={"X-File-Name": "t.txt"})
    check(status == 400, "unsupported extension → 400")


if __name__ == "__main__":
    sys.exit(main())
