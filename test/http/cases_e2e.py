#!/usr/bin/env python3
"""HTTP end to end of the identification and assistance workflow (issue 6):
the real `zhenxing serve --test-clock-file` on 127.0.0.1 with a temporary
demo database (`zhenxing demo --households 3000`).

Usage: python3 cases_e2e.py <zhenxing> <source-dir>

Covers: opening a case (scope, duplicates, department); every illegal
transition (an action the case's stage does not allow) refused; every
out-of-scope actor refused (a village cadre of another village, a township
of another township, department and auditor, prefecture read-only);
role-wrong actions refused; bad payloads (400) and a missing CSRF token;
optimistic concurrency (8 parallel clients, one expected_version: exactly
one 200, seven 409 with the Chinese conflict message, exactly one new event;
then several clients adding visits with a retry loop lose nothing); the
public notice HTML (title, households, no ID number or phone of any
household) and its PDF; the test clock (a notice cannot close before five
days, can after); one case from lead to risk elimination across the
village, township and county accounts; work queue, overdue list, KPIs,
quality report and export, audit chain verification (province/auditor
only) and the openapi document listing the new routes.
Standard library only.
"""
import http.client
import json
import os
import re
import signal
import subprocess
import sys
import tempfile
import threading
import time

ZX, SRC = sys.argv[1], sys.argv[2]
PASSWORD = "Demo2025pw"
NEW_PASSWORD = "Changed2025pw"
DAY = 86400
FAILURES = []
CHECKED = [0]


def check(condition, what):
    CHECKED[0] += 1
    if not condition:
        FAILURES.append(what)
        print("FAIL:", what, file=sys.stderr)
    return condition


class Client:
    """One browser: a cookie jar of one cookie and the CSRF token."""

    def __init__(self, port, username=None, password=PASSWORD):
        self.port = port
        self.cookie = None
        self.csrf = None
        self.username = username
        self.password = password

    def request(self, method, path, body=None, csrf=True, raw=False):
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=120)
        headers = {}
        data = None
        if body is not None:
            data = json.dumps(body).encode()
            headers["Content-Type"] = "application/json"
        if self.cookie:
            headers["Cookie"] = "zx_session=" + self.cookie
        if csrf and self.csrf and method not in ("GET", "HEAD"):
            headers["X-CSRF-Token"] = self.csrf
        conn.request(method, path, body=data, headers=headers)
        resp = conn.getresponse()
        payload = resp.read()
        set_cookie = resp.getheader("Set-Cookie")
        if set_cookie and set_cookie.startswith("zx_session="):
            self.cookie = set_cookie.split(";", 1)[0].split("=", 1)[1] or None
        conn.close()
        if raw:
            return resp.status, payload, resp
        try:
            parsed = json.loads(payload) if payload else None
        except ValueError:
            parsed = None
        return resp.status, parsed, resp

    def login(self):
        status, body, _ = self.request("POST", "/api/v1/auth/login",
                                       {"username": self.username, "password": self.password})
        if status == 200:
            self.csrf = body["data"]["csrf_token"]
            self.user = body["data"]["user"]
            if self.user["must_change_password"]:
                status, body, _ = self.request("POST", "/api/v1/auth/password",
                                               {"old_password": self.password, "new_password": NEW_PASSWORD})
                check(status == 200, "%s changes its initial password" % self.username)
                self.password = NEW_PASSWORD
        check(status == 200, "%s logs in (%s)" % (self.username, status))
        return status

    def get(self, path):
        return self.request("GET", path)

    def post(self, path, body):
        return self.request("POST", path, body)


class World:
    def __init__(self, port, clock_file):
        self.port = port
        self.clock_file = clock_file
        self.offset = 0
        self.clients = {}

    def client(self, username, password=PASSWORD):
        c = Client(self.port, username, password)
        c.login()
        self.clients[username] = c
        return c

    def advance(self, seconds):
        """Moves the server's clock; sessions idle longer than 8 hours end, so everyone logs in again."""
        self.offset += seconds
        with open(self.clock_file, "w") as f:
            f.write("%d\n" % self.offset)
        for c in self.clients.values():
            c.login()


def case_of(client, case_id):
    status, body, _ = client.get("/api/v1/cases/%d" % case_id)
    check(status == 200, "detail of case %d (%s %s)" % (case_id, status, body and body.get("msg")))
    return body["data"]


def act(client, case_id, action, expect=200, what=None, **payload):
    """Acts with the case's current version (read first) unless expected_version is given."""
    if "expected_version" not in payload:
        status, body, _ = client.get("/api/v1/cases/%d" % case_id)
        payload["expected_version"] = body["data"]["case"]["version"] if status == 200 else 1
    payload["action"] = action
    status, body, _ = client.post("/api/v1/cases/%d/actions" % case_id, payload)
    label = what or "%s %s on case %d" % (client.username, action, case_id)
    ok_codes = expect if isinstance(expect, tuple) else (expect,)
    check(status in ok_codes, "%s → %s (got %s: %s)" % (label, expect, status, body and body.get("msg")))
    if status == 200:
        return body["data"]["case"]
    return body


def today_iso(world):
    t = time.time() + world.offset + 8 * 3600
    return time.strftime("%Y-%m-%d", time.gmtime(t))


def main():
    work = tempfile.mkdtemp(prefix="zx_cases_e2e_")
    db = os.path.join(work, "demo.db")
    clock = os.path.join(work, "clock")
    demo = subprocess.run([ZX, "demo", "--db", db, "--households", "3000", "--demo-password", PASSWORD],
                          capture_output=True, text=True)
    if not check(demo.returncode == 0, "demo exits 0: " + demo.stderr):
        return 1
    for year in ("2024", "2025"):
        screen = subprocess.run([ZX, "screen", "--db", db, "--year", year], capture_output=True, text=True)
        check(screen.returncode == 0, "screen %s exits 0: %s" % (year, screen.stderr[-300:]))
    server = subprocess.Popen([ZX, "serve", "--db", db, "--port", "0", "--threads", "10",
                               "--test-clock-file", clock, "--notice-contact", "城关镇人民政府 0971-0000000",
                               "--access-log", os.path.join(work, "access.log")],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        line = server.stdout.readline()
        match = re.search(r"http://127\.0\.0\.1:(\d+)/", line)
        if not match:
            print("server did not print its URL:", line, server.stderr.read(), file=sys.stderr)
            return 1
        warning = server.stdout.readline() + server.stdout.readline() + server.stdout.readline()
        check("测试时钟" in warning, "server warns that the test clock is on")
        run_checks(World(int(match.group(1)), clock))
    finally:
        server.send_signal(signal.SIGTERM)
        try:
            code = server.wait(timeout=60)
        except subprocess.TimeoutExpired:
            server.kill()
            code = -1
        check(code == 0, "SIGTERM → exit 0 (got %s)" % code)
    subprocess.run(["rm", "-rf", work])
    if FAILURES:
        print("%d check(s) failed" % len(FAILURES), file=sys.stderr)
        return 1
    print("all %d workflow HTTP end-to-end checks passed" % CHECKED[0])
    return 0


def household_ok_for_elimination(detail):
    """Registry facts the elimination preconditions read: guarantees secured, some labour."""
    if detail["housing"] in ("C级", "D级") or not detail["food_clothing_secure"]:
        return False
    if not all(detail["water"].values()):
        return False
    labour = False
    for m in detail["members"]:
        if m["deceased"]:
            continue
        if not m["medical_insurance"]:
            return False
        if 6 <= m["age"] <= 16 and m["schooling"] in ("辍学", "非在校生"):
            return False
        if m["labour_skill"] in ("技能劳动力", "普通劳动力", "弱劳动力或半劳动力"):
            labour = True
    return labour


def run_checks(world):
    admin = world.client("admin")
    county = world.client("county")
    township = world.client("township")
    village = world.client("village")
    department = world.client("department")
    auditor = world.client("auditor")
    prefecture = world.client("prefecture")
    village_code = village.user["division_code"]
    township_code = township.user["division_code"]
    county_code = county.user["division_code"]
    check(village_code.startswith(township_code[:9]) and township_code.startswith(county_code[:6]),
          "demo accounts form one chain village ⊂ township ⊂ county (%s %s %s)" % (village_code, township_code, county_code))

    # Households of the village, the ones fit for a full elimination first.
    status, body, _ = village.get("/api/v1/households?page_size=200")
    numbers = [r["household_number"] for r in body["rows"]]
    check(len(numbers) >= 3, "the demo village has at least 3 households (%d)" % len(numbers))
    fit = []
    for number in numbers:
        status, detail, _ = county.get("/api/v1/households/%s" % number)
        if status == 200 and household_ok_for_elimination(detail["data"]):
            fit.append(number)
    check(len(fit) >= 1, "a household of the village can be eliminated (guarantees, labour)")
    life_number = fit[0] if fit else numbers[0]
    others = [n for n in numbers if n != life_number]
    race_number, spare_number = others[0], others[1]
    id_numbers, phones = collect_private(county, numbers)

    # Other actors: a village cadre of another village in the same township and
    # a township user of another township in the same county.
    status, body, _ = admin.get("/api/v1/divisions/children?parent=%s" % township_code)
    other_village = next(d["code"] for d in body["data"] if d["code"] != village_code)
    status, body, _ = admin.get("/api/v1/divisions/children?parent=%s" % county_code)
    other_township = next(d["code"] for d in body["data"] if d["code"] != township_code)
    for username, role, code in (("village_b", "village", other_village), ("township_b", "township", other_township)):
        status, body, _ = admin.post("/api/v1/users", {"username": username, "display_name": username, "role": role,
                                                       "division_code": code, "password": "Initial12345"})
        check(status == 200, "admin creates %s (%s)" % (username, body and body.get("msg")))
    village_b = world.client("village_b", "Initial12345")
    township_b = world.client("township_b", "Initial12345")

    # --- opening ------------------------------------------------------------
    status, body, _ = village.request("POST", "/api/v1/cases", {"household_number": life_number, "source": "self_application"}, csrf=False)
    check(status == 403 and "CSRF" in body["msg"], "opening without CSRF → 403")
    status, body, _ = village.post("/api/v1/cases", {"household_number": life_number, "source": "nonsense"})
    check(status == 400, "unknown source → 400")
    status, body, _ = village_b.post("/api/v1/cases", {"household_number": life_number, "source": "self_application"})
    check(status in (403, 404), "a village cadre of another village cannot open a case here (%s)" % status)
    for client in (auditor, prefecture):
        status, body, _ = client.post("/api/v1/cases", {"household_number": life_number, "source": "self_application"})
        check(status == 403, "%s cannot open a case (%s)" % (client.username, status))
    status, body, _ = department.post("/api/v1/cases", {"household_number": life_number, "source": "self_application"})
    check(status == 403, "department opens only department alerts (%s)" % status)
    status, body, _ = village.post("/api/v1/cases", {"household_number": life_number, "source": "self_application",
                                                     "source_detail": "农户到村委会提出申请"})
    check(status == 200 and body["data"]["stage"] == "verification" and body["data"]["version"] == 1,
          "village opens a case (%s)" % (body and body.get("msg")))
    life = body["data"]["id"]
    opened_at = body["data"]["opened_at"]
    check(body["data"]["due_at"] - opened_at == 15 * DAY, "the identification deadline is 15 days")
    status, body, _ = township.post("/api/v1/cases", {"household_number": life_number, "source": "cadre_visit"})
    check(status == 409, "a second open case for the household → 409 (%s)" % status)
    status, body, _ = department.get("/api/v1/cases/%d" % life)
    check(status == 403, "department cannot read cases")

    # --- reading: scope ------------------------------------------------------
    for client in (village, township, county, prefecture, admin, auditor):
        status, body, _ = client.get("/api/v1/cases/%d" % life)
        check(status == 200, "%s reads the case" % client.username)
    for client in (village_b, township_b):
        status, body, _ = client.get("/api/v1/cases/%d" % life)
        check(status == 404, "%s (out of scope) gets 404 for the case" % client.username)
        status, body, _ = client.get("/api/v1/cases?page_size=200")
        check(status == 200 and all(r["id"] != life for r in body["rows"]), "%s's list does not show it" % client.username)
    status, body, _ = county.get("/api/v1/cases?household_number=%s" % life_number)
    check(status == 200 and body["total"] == 1 and body["rows"][0]["id"] == life, "list filters by household number")
    status, body, _ = county.get("/api/v1/cases?stage=verification&open=true")
    check(status == 200 and any(r["id"] == life for r in body["rows"]), "list filters by stage")
    status, body, _ = county.get("/api/v1/cases?stage=monitored")
    check(status == 200 and all(r["id"] != life for r in body["rows"]), "stage filter excludes other stages")
    status, body, _ = county.get("/api/v1/cases?stage=bogus")
    check(status == 400, "unknown stage filter → 400")
    status, body, _ = county.get("/api/v1/cases?division=%s" % other_village)
    check(status == 200 and body["total"] == 0, "division filter narrows the list")
    status, body, _ = village.get("/api/v1/cases?division=%s" % county_code)
    check(status == 404, "a division outside the user's scope → 404")
    status, body, _ = village.get("/api/v1/work-queue")
    check(status == 200 and any(r["id"] == life and any(a["code"] == "verify" for a in r["actions"])
                                for r in body["data"]["rows"]), "the case is in the village's work queue with 'verify'")
    status, body, _ = county.get("/api/v1/work-queue")
    check(status == 200 and all(r["id"] != life for r in body["data"]["rows"]), "not in the county's queue yet")

    detail = case_of(village, life)
    check([a["code"] for a in detail["allowed_actions"]] == ["verify", "reject"] or
          set(a["code"] for a in detail["allowed_actions"]) == {"verify", "reject"},
          "village may verify or reject at verification (%s)" % detail["allowed_actions"])
    check(all(a["code"] != "verify" for a in case_of(county, life)["allowed_actions"]), "county may not verify")
    check(case_of(auditor, life)["allowed_actions"] == [], "auditor has no actions")
    check(detail["household"]["head_name"] != "" and detail["household"]["size"] > 0, "detail has the household summary")
    check(len(detail["events"]) == 1 and detail["events"][0]["action"] == "open" and detail["events"][0]["actor"] == "village",
          "the timeline starts with the open event by village")

    # --- illegal transitions: every action the verification stage does not allow
    for action in ("compare", "appraise", "raise_objection", "resolve_objection", "close_notice", "review",
                   "approve", "send_back", "add_measure", "record_visit", "propose_elimination"):
        for client in (village, township, county):
            status, body, _ = client.post("/api/v1/cases/%d/actions" % life,
                                          {"action": action, "expected_version": 1, "reason": "测试",
                                           "monitoring_type": "100A03002", "risk_codes": ["01"],
                                           "elimination_kind": "assisted", "objection_id": 1,
                                           "measure": {"category_code": "100A39", "responsible_cadre": "张三",
                                                       "amount_yuan": "100", "start_date": today_iso(world)},
                                           "visit": {"visit_date": today_iso(world), "per_capita_income_yuan": "9000"}})
            check(status in (403, 409), "%s %s at verification refused (%s %s)" % (client.username, action, status,
                                                                                  body and body.get("msg")))
    # Out-of-scope and read-only actors.
    for client in (village_b, township_b):
        status, body, _ = client.post("/api/v1/cases/%d/actions" % life, {"action": "verify", "expected_version": 1,
                                                                          "authorization_signed": True})
        check(status in (403, 404), "%s (out of scope) cannot act (%s)" % (client.username, status))
    for client in (department, auditor, prefecture, admin):
        status, body, _ = client.post("/api/v1/cases/%d/actions" % life, {"action": "verify", "expected_version": 1,
                                                                          "authorization_signed": True})
        check(status == 403, "%s cannot act on cases (%s)" % (client.username, status))
    # Role-wrong at the right stage.
    for client in (township, county):
        act(client, life, "verify", expect=403, authorization_signed=True)
    # Bad payloads.
    status, body, _ = village.post("/api/v1/cases/%d/actions" % life, {"action": "verify"})
    check(status == 400 and "expected_version" in body["msg"], "missing expected_version → 400")
    status, body, _ = village.post("/api/v1/cases/%d/actions" % life, {"action": "fly", "expected_version": 1})
    check(status == 400, "unknown action → 400")
    status, body, _ = village.post("/api/v1/cases/%d/actions" % life, {"action": "verify", "expected_version": "1"})
    check(status == 400, "expected_version as a string → 400")
    status, body, _ = village.post("/api/v1/cases/999999/actions", {"action": "verify", "expected_version": 1})
    check(status == 404, "unknown case → 404")
    act(village, life, "verify", expect=409, what="verify without the signed authorisation", authorization_signed=False)
    act(village, life, "verify", expect=409, what="verify with a stale version", expected_version=7, authorization_signed=True)
    check(len(case_of(county, life)["events"]) == 1, "refused actions leave no event")

    # --- the lifecycle: identification ---------------------------------------
    c = act(village, life, "verify", authorization_signed=True, note="已入户核实，授权书已签")
    check(c["stage"] == "comparison" and c["version"] == 2, "verify → comparison, version 2")
    act(village, life, "compare", expect=403)
    c = act(county, life, "compare", note="已比对医保、民政等部门数据")
    check(c["stage"] == "appraisal", "compare → appraisal")
    act(village, life, "appraise", expect=400, appraisal_for=0, appraisal_against=0)
    act(village, life, "appraise", expect=400, appraisal_for=10, appraisal_against=1, notice_days=3)
    c = act(village, life, "appraise", appraisal_for=15, appraisal_against=1, notice_days=5)
    check(c["stage"] == "notice" and c["notice_ends_at"] - c["notice_started_at"] >= 5 * DAY, "appraise → notice of ≥ 5 days")

    # Notice document.
    notice_checks(world, village, county, village_b, auditor, village_code, life_number, id_numbers, phones)

    # Objections: raised by the village, resolved (dismissed) by the township.
    act(township, life, "raise_objection", expect=403, reason="x")
    act(village, life, "raise_objection", expect=400, reason="")
    c = act(village, life, "raise_objection", reason="有群众反映家庭收入情况与实际不符")
    check(len(c["objections"]) == 1 and not c["objections"][0]["resolved"], "objection recorded")
    objection_id = c["objections"][0]["id"]
    act(village, life, "close_notice", expect=409, what="close the notice before 5 days")
    act(village, life, "resolve_objection", expect=403, objection_id=objection_id, reason="x")
    c = act(township, life, "resolve_objection", objection_id=objection_id, upheld=False, reason="经核实收入情况属实，异议不成立")
    check(c["objections"][0]["resolved"] and c["stage"] == "notice", "township resolves the objection, notice continues")
    world.advance(2 * DAY)
    act(village, life, "close_notice", expect=409, what="close the notice after 2 days")
    world.advance(4 * DAY)
    c = act(village, life, "close_notice")
    check(c["stage"] == "township_review", "after 6 days the village closes the notice")
    act(village, life, "review", expect=403)
    act(township_b, life, "review", expect=(403, 404))
    act(township, life, "send_back", expect=400, reason="")
    c = act(township, life, "review", note="审核通过")
    check(c["stage"] == "county_approval", "township review → county approval")
    act(county, life, "approve", expect=400, monitoring_type="100A03002", risk_codes=["01", "02", "03", "04", "05", "06"])
    act(county, life, "approve", expect=400, monitoring_type="BOGUS", risk_codes=["01"])
    act(county, life, "approve", expect=400, monitoring_type="100A03002", risk_codes=["77"])
    c = act(county, life, "approve", monitoring_type="100A03002", risk_codes=["01", "04"], note="同意纳入")
    check(c["stage"] == "monitored" and c["monitoring_type"] == "100A03002" and c["risk_codes"] == ["01", "04"]
          and c["decided_at"] > 0, "county approves with a type and risk codes → monitored")

    # --- assistance ---------------------------------------------------------
    measure = {"category_code": "100A40", "description": "安排公益性岗位", "responsible_cadre": "李四",
               "amount_yuan": "6000.00", "start_date": today_iso(world)}
    act(village, life, "add_measure", expect=403, measure=measure)
    act(county, life, "add_measure", expect=400, measure=dict(measure, category_code="X1"))
    act(county, life, "add_measure", expect=400, measure=dict(measure, amount_yuan="abc"))
    act(county, life, "add_measure", expect=400)
    c = act(county, life, "add_measure", measure=measure)
    check(len(c["measures"]) == 1 and c["measures"][0]["amount_yuan"] == "6000.00" and c["measures"][0]["id"] > 0,
          "county adds a measure")
    visit = {"visit_date": today_iso(world), "per_capita_income_yuan": "18000", "guarantees_secured": True, "note": "入户回访"}
    act(county, life, "record_visit", expect=403, visit=visit)
    c = act(village, life, "record_visit", visit=visit)
    check(len(c["visits"]) == 1, "village records a visit")
    detail = case_of(village, life)
    pre = {p["code"]: p["met"] for p in detail["elimination_preconditions"].get("assisted", [])}
    check(pre and not all(pre.values()), "elimination preconditions are shown and not all met yet (%s)" % pre)
    act(village, life, "propose_elimination", expect=409, elimination_kind="assisted", reason="收入稳定")

    # Concurrency on another case while this one waits.
    concurrency_checks(world, village, county, race_number)

    # Six and a half months of visits, income above the line.
    for month in range(1, 7):
        world.advance(32 * DAY)
        act(village, life, "record_visit", visit=dict(visit, visit_date=today_iso(world), per_capita_income_yuan=str(18000 + month * 100)))
    detail = case_of(village, life)
    pre = detail["elimination_preconditions"].get("assisted", [])
    check(pre and all(p["met"] for p in pre), "after 6+ months all preconditions are met (%s)" %
          [(p["code"], p["detail"]) for p in pre if not p["met"]])
    act(village, life, "propose_elimination", expect=400, reason="收入稳定")
    c = act(village, life, "propose_elimination", elimination_kind="assisted", reason="收入持续稳定高于监测线")
    check(c["stage"] == "elimination_appraisal", "propose elimination → elimination appraisal")
    c = act(village, life, "appraise", appraisal_for=14, appraisal_against=0, notice_days=5)
    check(c["stage"] == "elimination_notice", "elimination appraisal → notice")
    status, body, resp = village.request("GET", "/api/v1/notices/%s?stage=elimination" % village_code, raw=True)
    html = body.decode("utf-8")
    check(status == 200 and "风险消除的公示" in html and life_number in html, "the elimination notice lists the household")
    act(village, life, "close_notice", expect=409)
    world.advance(5 * DAY + 3600)
    act(village, life, "close_notice")
    act(township, life, "review")
    c = act(county, life, "approve", note="同意风险消除")
    check(c["stage"] == "eliminated" and not c["open"] and c["closed_at"] > 0, "county approves → 已消除风险")
    for action in ("verify", "record_visit", "approve"):
        act(county if action == "approve" else village, life, action, expect=409,
            what="%s on an eliminated case" % action, authorization_signed=True, visit=visit)
    detail = case_of(auditor, life)
    actions = [e["action"] for e in detail["events"]]
    check(actions[0] == "open" and actions[-1] == "approve" and len(actions) >= 20,
          "the timeline holds every step (%d events)" % len(actions))
    check(all(e["actor_role_name"] and e["at"] > 0 for e in detail["events"]), "every event names actor role and time")
    check([e["case_version"] for e in detail["events"]] == list(range(1, len(actions) + 1)), "event versions are 1..n")
    # Re-entry after elimination.
    status, body, _ = village.post("/api/v1/cases", {"household_number": life_number, "source": "cadre_visit"})
    check(status == 200, "re-entry: a new case for the eliminated household")
    if status == 200:
        detail = case_of(village, body["data"]["id"])
        check(any(o["id"] == life for o in detail["other_cases"]), "the new case lists the earlier one")
        act(village, body["data"]["id"], "reject", reason="经核实不符合条件")

    # --- rejection and send back on the spare household ----------------------
    status, body, _ = village.post("/api/v1/cases", {"household_number": spare_number, "source": "cadre_visit"})
    spare = body["data"]["id"]
    act(village, spare, "verify", authorization_signed=True)
    act(county, spare, "send_back", expect=400, reason="")
    c = act(county, spare, "send_back", reason="授权书扫描件不清晰，请重新核实")
    check(c["stage"] == "verification", "county sends back to verification")
    act(village, spare, "reject", expect=400, reason="")
    c = act(village, spare, "reject", reason="农户收入明显高于监测范围")
    check(c["stage"] == "rejected" and not c["open"], "village rejects at verification")
    act(village, spare, "verify", expect=409, authorization_signed=True)

    # --- overdue, work queues, KPIs, quality ----------------------------------
    status, body, _ = village.post("/api/v1/cases", {"household_number": spare_number, "source": "self_application"})
    late = body["data"]["id"] if status == 200 else 0
    world.advance(16 * DAY)
    status, body, _ = county.get("/api/v1/overdue")
    data = body["data"]
    check(status == 200 and data["overdue"] >= 1 and any(any(c["id"] == late for c in row["cases"]) for row in data["counties"]),
          "the 16-day-old case is on the county's overdue list")
    status, body, _ = admin.get("/api/v1/overdue")
    check(status == 200 and body["data"]["overdue"] >= 1 and body["data"]["counties"][0]["county_name"] != "",
          "the province sees overdue cases by county")
    status, body, _ = village.get("/api/v1/cases?overdue=true")
    check(status == 200 and any(r["id"] == late and r["overdue"] for r in body["rows"]), "overdue filter")
    status, body, _ = village.get("/api/v1/work-queue")
    row = next((r for r in body["data"]["rows"] if r["id"] == late), None)
    check(row is not None and row["overdue"] and row["days_left"] < 0, "the work queue marks it overdue")
    year = int(today_iso(world)[:4])
    for client in (county, admin, village):
        status, body, _ = client.get("/api/v1/kpis?year=%d" % year)
        check(status == 200 and body["data"]["rows"] and body["data"]["rows"][-1]["is_total"],
              "%s reads KPIs (%s)" % (client.username, body and body.get("msg")))
    status, body, _ = county.get("/api/v1/kpis?year=%d" % year)
    total = body["data"]["rows"][-1]["year"]
    check(total["cases_opened"] >= 1 and len(body["data"]["rows"][-1]["months"]) == 12, "KPIs count the cases, 12 months")
    status, body, _ = county.get("/api/v1/kpis?year=1990")
    check(status == 400, "KPIs for 1990 → 400")
    status, body, _ = county.get("/api/v1/quality")
    check(status == 200 and len(body["data"]["checks"]) >= 6 and body["data"]["cases_checked"] >= 3,
          "quality report has every check (%s)" % (body and body.get("msg")))
    status, payload, resp = county.request("GET", "/api/v1/exports/quality", raw=True)
    check(status == 200 and payload[:2] == b"PK", "quality report exports as xlsx")
    status, body, _ = department.get("/api/v1/kpis")
    check(status == 403, "department cannot read KPIs")

    # --- audit chain ----------------------------------------------------------
    for client in (admin, auditor):
        status, body, _ = client.get("/api/v1/audit/chain")
        check(status == 200 and body["data"]["ok"] and body["data"]["events"] >= 30,
              "%s verifies the event chain (%s)" % (client.username, body and body.get("data")))
    for client in (county, village, prefecture):
        status, body, _ = client.get("/api/v1/audit/chain")
        check(status == 403, "%s may not verify the chain" % client.username)

    # --- openapi --------------------------------------------------------------
    status, body, _ = admin.get("/api/v1/openapi.json")
    for path in ("/cases", "/cases/{id}", "/cases/{id}/actions", "/work-queue", "/overdue", "/notices/{village_code}",
                 "/kpis", "/quality", "/audit/chain"):
        check(path in body["paths"], "openapi lists " + path)


def collect_private(client, numbers):
    """Full ID numbers and phones of the village's households (audited unmask), for the notice check."""
    ids, phones = set(), set()
    for number in numbers:
        status, body, _ = client.get("/api/v1/households/%s" % number)
        if status != 200:
            continue
        for member in body["data"]["members"]:
            status, got, _ = client.post("/api/v1/households/%s/unmask" % number,
                                         {"field": "id_number", "ordinal": member["ordinal"]})
            if status == 200:
                ids.add(got["data"]["value"])
        status, got, _ = client.post("/api/v1/households/%s/unmask" % number, {"field": "phone"})
        if status == 200 and got["data"]["value"]:
            phones.add(got["data"]["value"])
    check(len(ids) >= 3, "collected the village's ID numbers for the privacy check (%d)" % len(ids))
    return ids, phones


def notice_checks(world, village, county, village_b, auditor, village_code, number, id_numbers, phones):
    status, body, resp = village.request("GET", "/api/v1/notices/%s?stage=identification" % village_code, raw=True)
    html = body.decode("utf-8")
    check(status == 200 and resp.getheader("Content-Type").startswith("text/html"), "the notice is an HTML page")
    check("监测对象识别的公示" in html and number in html, "the notice names the household")
    check("0971-0000000" in html, "the notice prints the township contact from --notice-contact")
    leaked = [x for x in id_numbers if x in html] + [p for p in phones if p in html]
    check(not leaked, "the notice shows no ID number or phone (%s)" % leaked[:2])
    check(re.search(r"\d{17}[\dXx]", html) is None, "no 18-character ID-like string in the notice")
    check("<script" not in html and "src=" not in html, "the notice is self-contained and script-free")
    status, body, _ = village.get("/api/v1/notices")
    check(status == 200 and any(r["village_code"] == village_code and r["identification"] >= 1 for r in body["data"]),
          "the notice list shows the village")
    status, body, _ = village_b.get("/api/v1/notices/%s" % village_code)
    check(status == 404, "another village's cadre cannot print this notice")
    status, body, _ = auditor.get("/api/v1/notices/%s" % village_code)
    check(status == 403, "auditor cannot export notices")
    status, body, _ = village.get("/api/v1/notices/%s?stage=other" % village_code)
    check(status == 400, "unknown notice stage → 400")
    status, body, _ = county.get("/api/v1/notices/%s" % county.user["division_code"])
    check(status == 400, "a notice is per village")
    status, body, resp = village.request("GET", "/api/v1/notices/%s.pdf" % village_code, raw=True)
    if os.access("/usr/bin/chromium", os.X_OK):
        check(status == 200 and body[:5] == b"%PDF-", "the notice prints to PDF (%s %s)" % (status, body[:200]))
    else:
        check(status == 503, "without chromium the PDF answers 503")


def concurrency_checks(world, village, county, number):
    status, body, _ = village.post("/api/v1/cases", {"household_number": number, "source": "self_application"})
    check(status == 200, "a case for the concurrency test")
    race = body["data"]["id"]
    events_before = len(case_of(county, race)["events"])
    clients = []
    for _ in range(8):
        c = Client(world.port, "village", village.password)
        c.login()
        clients.append(c)
    results = [None] * 8
    barrier = threading.Barrier(8)

    def submit(idx):
        barrier.wait()
        results[idx] = clients[idx].post("/api/v1/cases/%d/actions" % race,
                                         {"action": "verify", "expected_version": 1, "authorization_signed": True,
                                          "note": "client %d" % idx})

    threads = [threading.Thread(target=submit, args=(i,)) for i in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    codes = sorted(r[0] for r in results)
    check(codes == [200] + [409] * 7, "8 parallel verifies: one 200, seven 409 (%s)" % codes)
    conflicts = [r[1]["msg"] for r in results if r[0] == 409]
    check(all("已被他人修改" in m and "刷新" in m for m in conflicts), "409 says 已被他人修改，请刷新 (%s)" % conflicts[:1])
    detail = case_of(county, race)
    check(len(detail["events"]) == events_before + 1 and detail["case"]["version"] == 2,
          "exactly one new event, version 2")
    # Bring it into monitoring, then several clients add visits with retries.
    act(county, race, "compare")
    act(village, race, "appraise", appraisal_for=9, appraisal_against=0, notice_days=5)
    world.advance(5 * DAY + 60)
    for c in clients:
        c.login()
    act(village, race, "close_notice")
    act(world.clients["township"], race, "review")
    act(county, race, "approve", monitoring_type="100A03001", risk_codes=["07"])
    date = today_iso(world)
    per_client = 3
    attempts = [0] * 4

    def add_visits(idx):
        for n in range(per_client):
            while True:
                attempts[idx] += 1
                status, body, _ = clients[idx].get("/api/v1/cases/%d" % race)
                version = body["data"]["case"]["version"]
                status, body, _ = clients[idx].post("/api/v1/cases/%d/actions" % race, {
                    "action": "record_visit", "expected_version": version,
                    "visit": {"visit_date": date, "per_capita_income_yuan": "%d" % (9000 + idx * 10 + n),
                              "guarantees_secured": True, "note": "client %d visit %d" % (idx, n)}})
                if status == 200:
                    break
                if status != 409 or attempts[idx] > 200:
                    check(False, "visit retry loop got %s: %s" % (status, body and body.get("msg")))
                    return

    threads = [threading.Thread(target=add_visits, args=(i,)) for i in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    detail = case_of(county, race)
    notes = sorted(v["note"] for v in detail["case"]["visits"])
    expected = sorted("client %d visit %d" % (i, n) for i in range(4) for n in range(per_client))
    check(notes == expected, "4 clients × 3 visits with retries: all 12 visits kept (%d)" % len(notes))
    visit_events = [e for e in detail["events"] if e["action"] == "record_visit"]
    check(len(visit_events) == 12, "12 visit events (%d); %d attempts" % (len(visit_events), sum(attempts)))


if __name__ == "__main__":
    sys.exit(main())
