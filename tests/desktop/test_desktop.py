"""CareDesk desktop end to end: the real app in a real window, driven through tauri-driver.

Run by run_e2e.sh, which provides the environment (E2E_*). The tests run in file order and
share one app session, as an agent's day would: sign in, a report arrives, search, open,
respond, resolve, an admin deletes, the app restarts and signs in by itself."""

import json
import os
import subprocess
import time
import urllib.request

import pytest
from selenium import webdriver
from selenium.common.exceptions import (ElementClickInterceptedException, NoSuchElementException,
                                        StaleElementReferenceException, TimeoutException)
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.common.options import ArgOptions
from selenium.webdriver.remote.file_detector import UselessFileDetector
from selenium.webdriver.support.ui import Select, WebDriverWait

ENV = os.environ
WAIT = 15  # seconds; every wait is bounded
EVIL = "<img src=x onerror=alert(1)>"


def start_app():
    options = ArgOptions()
    options.set_capability("browserName", "wry")
    options.set_capability("tauri:options", {"application": ENV["E2E_APP"]})
    driver = webdriver.Remote(command_executor=ENV["E2E_DRIVER_URL"], options=options)
    # a path typed into a field is text, not a file to upload (selenium's default guesses)
    driver.file_detector = UselessFileDetector()
    return driver


@pytest.fixture(scope="module")
def app():
    holder = {"driver": start_app()}
    yield holder
    holder["driver"].quit()


# The UI re-renders live (and a toast may cover a control for a moment): look again.
RERENDERED = (NoSuchElementException, StaleElementReferenceException, ElementClickInterceptedException)


def css(testid, extra=""):
    return (By.CSS_SELECTOR, f'[data-testid="{testid}"]{extra}')


def find(driver, testid, extra="", timeout=WAIT):
    return WebDriverWait(driver, timeout, poll_frequency=0.1, ignored_exceptions=RERENDERED).until(
        lambda d: d.find_element(*css(testid, extra)))


def visible(driver, testid, extra=""):
    return [e for e in driver.find_elements(*css(testid, extra)) if e.is_displayed()]


def wait_for(driver, condition, timeout=WAIT, message=""):
    try:
        return WebDriverWait(driver, timeout, poll_frequency=0.1, ignored_exceptions=RERENDERED).until(
            lambda d: condition(d), message)
    except TimeoutException:
        # what the agent would have seen, for whoever reads the failure
        driver.save_screenshot(os.path.join(os.environ.get("TMPDIR", "/tmp"), "caredesk-e2e-failure.png"))
        raise


def toast_saying(driver, words):
    return wait_for(
        driver,
        lambda d: any(words.lower() in text_of(t).lower() for t in d.find_elements(*css("toast"))),
        message=f"no toast saying {words!r}",
    )


def click(driver, testid, extra=""):
    """Clicks, trying again while the list re-renders under the pointer."""
    def attempt(d):
        d.find_element(*css(testid, extra)).click()
        return True
    wait_for(driver, attempt, message=f"could not click {testid}{extra}")


def choose(driver, testid, value):
    """Picks an option as a person would: the select scrolled into view, trying again while
    a toast or a re-render is in the way."""
    def attempt(d):
        select = d.find_element(*css(testid))
        d.execute_script("arguments[0].scrollIntoView({block: 'center'})", select)
        Select(select).select_by_value(value)
        return Select(d.find_element(*css(testid))).first_selected_option.get_attribute("value") == value
    wait_for(driver, attempt, message=f"could not choose {value} in {testid}")


def text_of(element):
    # textContent, not .text: WebKitWebDriver leaves ellipsised grid cells out of .text
    return element.get_attribute("textContent") or ""


def fill(element, text):
    # as a person would: WebDriver's clear() fires no input event, so the UI would not see it
    element.send_keys(Keys.CONTROL, "a")
    element.send_keys(Keys.DELETE)
    if text:
        element.send_keys(text)


def sign_in(driver, user, password, remember=False, tls=False):
    """Signs in; `tls` goes by host name, verified against the cluster's private CA."""
    fill(find(driver, "login-host"), "localhost" if tls else "127.0.0.1")
    fill(find(driver, "login-port"), ENV["E2E_PG_PORT"])
    fill(find(driver, "login-database"), "caredesk")
    fill(find(driver, "login-user"), user)
    fill(find(driver, "login-password"), password)
    Select(find(driver, "login-security")).select_by_value("verified" if tls else "none")
    if tls:
        fill(find(driver, "login-ca-file"), os.path.join(ENV["E2E_PG_DIR"], "tls", "ca.crt"))
    box = find(driver, "login-remember")
    if box.is_selected() != remember:
        box.click()
    find(driver, "login-submit").click()


EVIL_ORDER = '<a href="https://evil.example">LL-2042</a>'


def report(name, priority="urgent", description=f"{EVIL} The vase arrived in pieces.", order_id="LL-2042"):
    body = json.dumps({
        "name": name, "email": "amina.customer@example.com", "phone": "0151 23456789",
        "issue_type": "damaged", "priority": priority, "order_id": order_id, "description": description,
    }).encode()
    request = urllib.request.Request(f"{ENV['E2E_SERVER_URL']}/api/customer-care/report", data=body,
                                     headers={"content-type": "application/json"})
    with urllib.request.urlopen(request, timeout=10) as response:
        assert response.status == 201
        return json.load(response)["issue_id"]


def notifications():
    try:
        with open(ENV["E2E_NOTIFY_LOG"], encoding="utf-8") as log:
            return [json.loads(line) for line in log if line.strip()]
    except FileNotFoundError:
        return []


def count(driver, testid):
    text = text_of(find(driver, testid))
    digits = "".join(c for c in text if c.isdigit())
    return int(digits) if digits else 0


def screenshot(driver, name):
    os.makedirs(ENV["E2E_SCREENSHOTS"], exist_ok=True)
    driver.save_screenshot(os.path.join(ENV["E2E_SCREENSHOTS"], name))


STATE = {}


def test_sign_in_explains_each_failure_then_lets_the_agent_in(app):
    driver = app["driver"]
    sign_in(driver, ENV["E2E_AGENT"], "not the password")
    error = find(driver, "login-error")
    wait_for(driver, lambda d: "password" in text_of(error).lower(), message="the wrong password is named")
    sign_in(driver, ENV["E2E_OUTSIDER"], ENV["E2E_OUTSIDER_PASSWORD"])
    wait_for(driver, lambda d: "not a caredesk agent" in text_of(find(d, "login-error")).lower(),
             message="a login without the agent role")
    # over TLS, verified against the cluster's CA: the way agents on other machines sign in
    sign_in(driver, ENV["E2E_AGENT"], ENV["E2E_AGENT_PASSWORD"], tls=True)
    find(driver, "search")
    assert not visible(driver, "login-submit")


def test_an_urgent_report_appears_live_and_raises_a_notification(app):
    driver = app["driver"]
    urgent_before = count(driver, "count-urgent")
    sent = time.monotonic()
    issue_id = report("Amina Testcustomer", order_id=EVIL_ORDER)
    STATE["issue_id"] = issue_id
    wait_for(driver, lambda d: "Amina Testcustomer" in text_of(find(d, "issue-row", f'[data-issue-id="{issue_id}"]')),
             message="the new issue appears in the list without a refresh")
    wait_for(driver, lambda d: any("Amina Testcustomer" in n["summary"] + n["body"] for n in notifications()),
             message=f"no notification on D-Bus: {notifications()}")
    print(f"notification {time.monotonic() - sent:.2f} s after the report")
    wait_for(driver, lambda d: count(d, "count-urgent") == urgent_before + 1, message="urgent count")
    note = [n for n in notifications() if "Amina Testcustomer" in n["summary"] + n["body"]][0]
    # the customer's order id reaches the notification server as text, not as markup
    assert "&lt;a href=" in note["body"] and "<a " not in note["body"], note
    STATE["normal_id"] = report("Normal Customer", priority="normal", description="Where is my parcel? It has been ten days.")
    find(driver, "issue-row", ':not([data-issue-id="%d"])' % issue_id)
    time.sleep(1)
    assert not any("Normal Customer" in n["summary"] + n["body"] for n in notifications()), "normal issues are quiet by default"


def reminders_of(name):
    return [n for n in notifications() if "still has no owner" in n["summary"] and name in n["summary"]]


def agent_sql(login, sql):
    """Runs SQL signed in as `login`, as that agent's own desktop would."""
    url = ENV["E2E_OWNER_URL"].replace("postgres://postgres@", f"postgres://{login}@", 1)
    subprocess.run(["psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", url, "-c", sql],
                   check=True, timeout=30, capture_output=True)


def test_an_urgent_issue_nobody_takes_comes_back_until_another_desktop_takes_it(app):
    driver = app["driver"]
    every = int(ENV["CAREDESK_REMIND_SECONDS"])
    issue_id = report("Reminder Urgentcase", order_id="LL-7001")
    STATE["reminder_id"] = issue_id
    wait_for(driver, lambda d: len(reminders_of("Reminder Urgentcase")) >= 2, timeout=4 * every + WAIT,
             message=f"no repeated reminder on D-Bus: {notifications()}")
    # the boss takes it on another desktop (the same UPDATE the app's take runs, as the boss)
    agent_sql(ENV["E2E_ADMIN"], f"UPDATE customer_care SET owner = session_user, status = 'in-progress' WHERE id = {issue_id}")
    wait_for(driver, lambda d: "boss" in text_of(find(d, "issue-row", f'[data-issue-id="{issue_id}"]')),
             message="the take shows live")
    time.sleep(every)  # a round that may have started before the take
    taken_at = len(reminders_of("Reminder Urgentcase"))
    others_at = len(reminders_of("Amina Testcustomer"))
    time.sleep(3 * every)
    assert len(reminders_of("Reminder Urgentcase")) == taken_at, "the take silenced the reminder"
    assert len(reminders_of("Amina Testcustomer")) > others_at, "while the untaken urgent issue is still brought up"


def test_search_and_filters_find_the_issue_and_the_detail_shows_it_as_text(app):
    driver = app["driver"]
    issue_id = STATE["issue_id"]
    fill(find(driver, "search"), "Testcustomer")
    wait_for(driver, lambda d: [r.get_attribute("data-issue-id") for r in d.find_elements(*css("issue-row"))] == [str(issue_id)],
             message="search narrows the list")
    Select(find(driver, "filter-status")).select_by_value("open")
    Select(find(driver, "filter-priority")).select_by_value("urgent")
    row = find(driver, "issue-row", f'[data-issue-id="{issue_id}"]')
    Select(find(driver, "filter-priority")).select_by_value("normal")
    wait_for(driver, lambda d: not d.find_elements(*css("issue-row")), message="filters combine with search")
    Select(find(driver, "filter-priority")).select_by_value("")
    find(driver, "issue-row", f'[data-issue-id="{issue_id}"]')
    screenshot(driver, "dashboard.png")
    click(driver, "issue-row", f'[data-issue-id="{issue_id}"]')
    name = find(driver, "detail-name")
    wait_for(driver, lambda d: "Amina Testcustomer" in text_of(name), message="detail opens")
    description = find(driver, "detail-description")
    assert EVIL in text_of(description)
    assert not description.find_elements(By.TAG_NAME, "img"), "customer text must never become markup"
    assert find(driver, "contact-call").get_attribute("data-href") == "tel:+4915123456789"
    whatsapp = find(driver, "contact-whatsapp")
    assert whatsapp.get_attribute("data-href").startswith("https://wa.me/4915123456789?text=")
    assert find(driver, "contact-email").get_attribute("data-href").startswith("mailto:amina.customer@example.com?subject=")
    whatsapp.click()
    wait_for(driver, lambda d: os.path.exists(ENV["E2E_OPENED_LOG"]) and "wa.me/4915123456789" in open(ENV["E2E_OPENED_LOG"]).read(),
             message="the WhatsApp link is opened with the OS")


def test_the_detail_knows_the_customer_and_opens_the_shops_order_page(app):
    driver = app["driver"]
    issue_id, normal, later = STATE["issue_id"], STATE["normal_id"], STATE["reminder_id"]
    # every report of this suite comes from the same customer: the later ones are listed,
    # and each was marked as a possible repeat of the newest open one (the same email)
    wait_for(driver, lambda d: str(later) in [e.get_attribute("data-issue-id") for e in d.find_elements(*css("history-item"))],
             message="the customer's other issues")
    marks = [text_of(e) for e in driver.find_elements(*css("duplicate-link"))]
    assert f"#{normal} may repeat this issue (the same email address)" in marks, marks
    # the order id opens the shop's own page, the id URL-encoded (it is the customer's text)
    click(driver, "detail-order-open")
    opened = "https://lumen-loom.example/admin/orders/%3Ca%20href%3D%22https%3A%2F%2Fevil.example%22%3ELL-2042%3C%2Fa%3E"
    wait_for(driver, lambda d: opened in open(ENV["E2E_OPENED_LOG"]).read().split(),
             message=f"the order page is opened with the OS: {open(ENV['E2E_OPENED_LOG']).read()}")
    # one click to the later issue, marked as a repeat of the one before it; and back
    click(driver, "history-item", f'[data-issue-id="{later}"]')
    wait_for(driver, lambda d: text_of(find(d, "detail-name")) == "Reminder Urgentcase", message="the other issue opens")
    assert f"Possibly a repeat of #{normal} (the same email address)" in [text_of(e) for e in driver.find_elements(*css("duplicate-link"))]
    click(driver, "history-item", f'[data-issue-id="{issue_id}"]')
    wait_for(driver, lambda d: text_of(find(d, "detail-name")) == "Amina Testcustomer", message="and back")
    # the list finds an issue by its number (in any status: the boss took that one)
    Select(find(driver, "filter-status")).select_by_value("")
    fill(find(driver, "search"), f"#{later}")
    wait_for(driver, lambda d: [r.get_attribute("data-issue-id") for r in d.find_elements(*css("issue-row"))] == [str(later)],
             message="#number finds the issue")
    fill(find(driver, "search"), "LL-7001")
    wait_for(driver, lambda d: [r.get_attribute("data-issue-id") for r in d.find_elements(*css("issue-row"))] == [str(later)],
             message="the order id finds the issue")
    Select(find(driver, "filter-status")).select_by_value("open")
    fill(find(driver, "search"), "Testcustomer")
    # settled before the next step changes the issue (a search still on its way would
    # answer after the take, without it)
    wait_for(driver, lambda d: [r.get_attribute("data-issue-id") for r in d.find_elements(*css("issue-row"))] == [str(issue_id)],
             message="back to the search the next steps expect")


def test_the_agent_takes_the_issue_hands_it_over_and_mine_counts_it(app):
    driver = app["driver"]
    me, boss = ENV["E2E_AGENT"], ENV["E2E_ADMIN"]
    wait_for(driver, lambda d: text_of(find(d, "count-mine")).strip() not in ("", "–"), message="the Mine count")
    mine = count(driver, "count-mine")
    click(driver, "detail-take")
    toast_saying(driver, "is yours")
    wait_for(driver, lambda d: Select(find(d, "detail-owner")).first_selected_option.get_attribute("value") == me,
             message="the owner is the agent")
    wait_for(driver, lambda d: count(d, "count-mine") == mine + 1, message="the Mine count follows")
    issue_id = STATE["issue_id"]
    wait_for(driver, lambda d: me in text_of(find(d, "issue-row", f'[data-issue-id="{issue_id}"]')),
             message="the row names its owner")
    choose(driver, "detail-owner", boss)
    toast_saying(driver, f"handed to {boss}")
    wait_for(driver, lambda d: count(d, "count-mine") == mine, message="handed over: no longer mine")
    wait_for(driver, lambda d: f"{me} handed the issue to {boss}" in text_of(find(d, "timeline")),
             message="the timeline names who assigned whom")
    assert f"{me} took the issue" in text_of(find(driver, "timeline"))


def test_respond_and_resolve_and_the_timeline_shows_each_step(app):
    driver = app["driver"]
    fill(find(driver, "respond-text"), "We are sorry! A replacement vase is on its way.")
    Select(find(driver, "respond-status")).select_by_value("resolved")
    find(driver, "respond-submit").click()
    toast_saying(driver, "")
    wait_for(driver, lambda d: Select(find(d, "detail-status")).first_selected_option.get_attribute("value") == "resolved",
             message="status resolved")
    wait_for(driver, lambda d: len(d.find_elements(*css("timeline-event"))) >= 3, message="timeline events")
    timeline = text_of(find(driver, "timeline")).lower()
    assert ENV["E2E_AGENT"] in timeline
    assert "resolved" in timeline
    screenshot(driver, "detail.png")


def mails_to(address):
    """The emails the SMTP server received for `address`, oldest first: (subject, text)."""
    import email
    import email.policy
    found = []
    folder = ENV["E2E_MAIL_DIR"]
    names = sorted((n for n in os.listdir(folder) if n.endswith(".eml")), key=lambda n: int(n.split(".")[0])) \
        if os.path.isdir(folder) else []
    for name in names:
        with open(os.path.join(folder, name), "rb") as f:
            message = email.message_from_binary_file(f, policy=email.policy.default)
        if address in message["To"]:
            found.append((str(message["Subject"]), message.get_body(("plain",)).get_content()))
    return found


def customer_browser():
    """The customer's side: Debian's Chromium, headless, through its own chromedriver."""
    from selenium.webdriver.chrome.options import Options
    from selenium.webdriver.chrome.service import Service
    options = Options()
    options.binary_location = "/usr/bin/chromium"
    for arg in ("--headless", "--no-sandbox", "--disable-gpu", "--lang=de-DE", "--window-size=1280,1600"):
        options.add_argument(arg)
    return webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)


def owner_sql(sql):
    """Runs SQL as the database owner, as another agent or an operator would from elsewhere;
    returns what it printed (unaligned, no headers)."""
    done = subprocess.run(["psql", "-X", "-q", "-tA", "-v", "ON_ERROR_STOP=1", ENV["E2E_OWNER_URL"], "-c", sql],
                          check=True, timeout=30, capture_output=True, text=True)
    return done.stdout.strip()


def test_another_agents_change_shows_live_in_the_open_issue(app):
    driver = app["driver"]
    owner_sql(f"UPDATE customer_care SET priority = 'high' WHERE id = {STATE['issue_id']}")
    wait_for(driver, lambda d: Select(find(d, "detail-priority")).first_selected_option.get_attribute("value") == "high",
             message="the open issue follows another login's change without a refresh")
    toast_saying(driver, "postgres set priority to high")
    wait_for(driver, lambda d: "high" in text_of(find(d, "timeline")).lower(), message="the change is in the timeline")


def set_notify_level(driver, level):
    click(driver, "settings")
    Select(find(driver, "notify-level")).select_by_value(level)
    toast_saying(driver, "saved")
    find(driver, "notify-level").send_keys(Keys.ESCAPE)
    wait_for(driver, lambda d: not visible(d, "notify-level"), message="settings closed")


def test_the_notification_setting_chooses_what_is_announced(app):
    driver = app["driver"]
    set_notify_level(driver, "none")
    report("Quiet Urgentcase")
    time.sleep(3)
    assert not any("Quiet Urgentcase" in n["summary"] + n["body"] for n in notifications()), "none means none"
    set_notify_level(driver, "high_and_urgent")
    report("Loud Highcase", priority="high")
    wait_for(driver, lambda d: any("Loud Highcase" in n["summary"] + n["body"] for n in notifications()),
             message="high priority is announced under high_and_urgent")
    set_notify_level(driver, "urgent")


def cluster(action):
    script = f'. scripts/postgres.sh && {action}'
    subprocess.run(["bash", "-c", script], check=True, timeout=90)


def test_the_app_shows_when_the_database_is_away_and_recovers_by_itself(app):
    driver = app["driver"]
    fill(find(driver, "search"), "After Restart")
    Select(find(driver, "filter-status")).select_by_value("")
    cluster(f'stop_private_cluster "{ENV["E2E_PG_DIR"]}"')
    try:
        find(driver, "offline-bar", timeout=30)
    finally:
        cluster(f'start_private_cluster "{ENV["E2E_PG_DIR"]}" {ENV["E2E_PG_PORT"]} app')
    wait_for(driver, lambda d: not d.find_elements(*css("offline-bar")), timeout=30, message="back online")
    for _ in range(50):  # the public server reconnects by itself too
        try:
            back = report("After Restart")
            break
        except Exception:
            time.sleep(0.2)
    wait_for(driver, lambda d: "After Restart" in text_of(find(d, "issue-row", f'[data-issue-id="{back}"]')),
             message="still listening after the restart")


def test_a_report_made_while_the_app_was_offline_is_still_announced(app):
    driver = app["driver"]
    agent = ENV["E2E_AGENT"]
    # keep the agent's desktop away: refuse new logins, then drop its connections (the
    # listener's among them)
    owner_sql(f"ALTER ROLE {agent} NOLOGIN")
    try:
        owner_sql(f"SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = '{agent}'")
        find(driver, "offline-bar", timeout=30)
        missed = report("Missed Whileaway")
    finally:
        owner_sql(f"ALTER ROLE {agent} LOGIN")
    wait_for(driver, lambda d: any("Missed Whileaway" in n["summary"] + n["body"] for n in notifications()),
             timeout=30, message=f"no notification for the report missed while offline: {notifications()}")
    wait_for(driver, lambda d: not d.find_elements(*css("offline-bar")), timeout=30, message="back online")
    fill(find(driver, "search"), "Whileaway")
    wait_for(driver, lambda d: d.find_elements(*css("issue-row", f'[data-issue-id="{missed}"]')),
             message="the missed report is in the list")


def test_an_issue_past_its_promise_is_overdue_until_the_first_response(app):
    driver = app["driver"]
    fill(find(driver, "search"), "")
    wait_for(driver, lambda d: text_of(find(d, "count-overdue")).strip() not in ("", "–"), message="the Overdue count")
    overdue = count(driver, "count-overdue")
    # reported 30½ hours ago at normal priority: the shop promises 24 clock hours (the half
    # hour keeps "6 h" true while the list's clock ticks once a minute)
    late = owner_sql(
        "INSERT INTO customer_care (name, email, phone, phone_e164, issue_type, description, created_at, updated_at) "
        "VALUES ('Late Latecase', 'late@example.com', '0151 7654321', '+491517654321', 'not_received', "
        "'Still no parcel.', now() - interval '30 hours 30 minutes', now() - interval '30 hours 30 minutes') RETURNING id")
    wait_for(driver, lambda d: count(d, "count-overdue") == overdue + 1, message="the Overdue count goes up live")
    click(driver, "view-overdue")
    in_row = f'[data-testid="issue-row"][data-issue-id="{late}"] [data-testid="row-clock"]'
    clock = wait_for(driver, lambda d: d.find_element(By.CSS_SELECTOR, in_row), message="the late issue in the Overdue view")
    assert clock.get_attribute("data-tone") == "late"
    assert "overdue 6 h" in text_of(clock), text_of(clock)
    screenshot(driver, "overdue.png")
    click(driver, "issue-row", f'[data-issue-id="{late}"]')
    wait_for(driver, lambda d: "Late Latecase" in text_of(find(d, "detail-name")), message="detail opens")
    fill(find(driver, "respond-text"), "Sorry for the wait: your parcel left today.")
    click(driver, "respond-submit")
    toast_saying(driver, "")
    wait_for(driver, lambda d: count(d, "count-overdue") == overdue, message="answered: no longer overdue")
    wait_for(driver, lambda d: "after the promise" in text_of(find(d, "timeline")),
             message="the timeline says the promise was missed")
    assert "6 h" in text_of(find(driver, "timeline"))
    click(driver, "view-all")


def press(browser, testid):
    """Presses a button of the status page as a customer would: scrolled to, then Enter."""
    button = browser.find_element(*css(testid))
    browser.execute_script("arguments[0].scrollIntoView({block: 'center'})", button)
    button.send_keys(Keys.ENTER)


def test_the_customer_hears_back_by_email_and_answers_from_the_status_page_live(app):
    driver = app["driver"]
    customer = "jonas.kunde@example.com"
    body = json.dumps({
        "name": "Jonas Kunde", "email": customer, "phone": "030 901820", "issue_type": "damaged",
        "priority": "urgent", "description": "Die Tasse kam zerbrochen an.", "language": "de",
    }).encode()
    request = urllib.request.Request(f"{ENV['E2E_SERVER_URL']}/api/customer-care/report", data=body,
                                     headers={"content-type": "application/json"})
    with urllib.request.urlopen(request, timeout=10) as response:
        answer = json.load(response)
    issue_id, status_url = answer["issue_id"], answer["status_url"]
    assert status_url.startswith(ENV["E2E_SERVER_URL"] + "/customer-care/status/")
    wait_for(driver, lambda d: mails_to(customer), message="the confirmation email")
    assert mails_to(customer)[0][0] == f"Wir haben Ihre Meldung erhalten (Anliegen #{issue_id})"

    # the agent answers and resolves; the response is emailed (on by default with a mailer)
    fill(find(driver, "search"), "Jonas Kunde")
    click(driver, "issue-row", f'[data-issue-id="{issue_id}"]')
    wait_for(driver, lambda d: "Jonas Kunde" in text_of(find(d, "detail-name")), message="detail opens")
    assert find(driver, "respond-email").is_selected()

    # first a note for the team, by keyboard (n, type, Ctrl+Enter): it never reaches the customer
    secret = "Stammkunde, bitte kulant sein NOTE-7"
    # focus is on the row just opened, not in a text box: n is a shortcut there
    driver.switch_to.active_element.send_keys("n")
    wait_for(driver, lambda d: d.switch_to.active_element.get_attribute("data-testid") == "note-text",
             message="n focuses the note box")
    driver.switch_to.active_element.send_keys(secret)
    driver.switch_to.active_element.send_keys(Keys.CONTROL, Keys.ENTER)
    toast_saying(driver, "the customer was not told")
    wait_for(driver, lambda d: any(secret in text_of(e) for e in d.find_elements(*css("timeline-event", '[data-internal="true"]'))),
             message="the note on the timeline, marked internal")

    fill(find(driver, "respond-text"), "Eine neue Tasse ist unterwegs. Entschuldigen Sie bitte!")
    choose(driver, "respond-status", "resolved")
    click(driver, "respond-submit")
    toast_saying(driver, "queued for email")
    wait_for(driver, lambda d: len(mails_to(customer)) >= 2, message="the response email")
    subject, text = mails_to(customer)[1]
    assert subject == f"Unsere Antwort zu Ihrem Anliegen #{issue_id}"
    assert "Eine neue Tasse ist unterwegs." in text and "Hallo Jonas Kunde," in text
    wait_for(driver, lambda d: "emailed the response" in text_of(find(d, "timeline")).lower(),
             message="the delivery is on the timeline")

    # the customer, in their browser: the answer, then "solved", then a follow-up
    browser = customer_browser()
    try:
        browser.get(status_url)
        assert browser.find_element(By.TAG_NAME, "html").get_attribute("lang") == "de"
        answers = browser.find_element(*css("status-answers")).text
        assert "Eine neue Tasse ist unterwegs." in answers
        assert "NOTE-7" not in browser.page_source, "the internal note reached the status page"
        press(browser, "satisfaction-yes")
        WebDriverWait(browser, WAIT).until(lambda b: "done=answer" in b.current_url)
        browser.find_element(*css("status-message")).send_keys("Danke! Kommt sie mit DHL?")
        press(browser, "status-send")
        WebDriverWait(browser, WAIT).until(lambda b: "done=message" in b.current_url)
    finally:
        browser.quit()

    # the desktop shows the follow-up live and announces it; the issue is open again
    wait_for(driver, lambda d: any("Jonas Kunde wrote again" in n["summary"] + n["body"] for n in notifications()),
             message=f"no notification of the customer's message: {notifications()}")
    wait_for(driver, lambda d: "Kommt sie mit DHL?" in text_of(find(d, "timeline")), message="the message on the timeline")
    assert not any("NOTE-7" in subject + text for subject, text in mails_to(customer)), "the note was emailed"
    timeline = text_of(find(driver, "timeline"))
    assert "Customer said the problem is solved" in timeline
    wait_for(driver, lambda d: Select(find(d, "detail-status")).first_selected_option.get_attribute("value") == "open",
             message="open again")


def test_an_admin_deletes_the_resolved_issue_and_is_remembered(app):
    driver = app["driver"]
    issue_id = STATE["issue_id"]
    assert not visible(driver, "delete"), "agents get no delete button"
    find(driver, "settings").click()
    find(driver, "sign-out").click()
    sign_in(driver, ENV["E2E_ADMIN"], ENV["E2E_ADMIN_PASSWORD"], remember=True)
    fill(find(driver, "search"), "Testcustomer")
    wait_for(driver, lambda d: [r.get_attribute("data-issue-id") for r in d.find_elements(*css("issue-row"))] == [str(issue_id)],
             message="the search has settled")
    click(driver, "issue-row", f'[data-issue-id="{issue_id}"]')
    wait_for(driver, lambda d: "Amina Testcustomer" in text_of(find(d, "detail-name")), message="detail opens")
    click(driver, "delete")
    click(driver, "delete-confirm")
    toast_saying(driver, "deleted")
    wait_for(driver, lambda d: not d.find_elements(*css("issue-row", f'[data-issue-id="{issue_id}"]')), message="row gone")


def test_an_admin_keeps_saved_replies_and_an_agent_inserts_one_by_keyboard(app):
    driver = app["driver"]
    click(driver, "saved-replies")
    click(driver, "reply-new")
    fill(find(driver, "reply-title"), "Refund on its way")
    fill(find(driver, "reply-body"), "Dear {customer_name}, your refund for {order_id} is on its way. {agent_name}, {shop_name}")
    click(driver, "reply-save")
    toast_saying(driver, "added for every agent")
    wait_for(driver, lambda d: "Refund on its way" in text_of(find(d, "replies-list")), message="listed")
    find(driver, "reply-new").send_keys(Keys.ESCAPE)
    wait_for(driver, lambda d: not visible(d, "replies-dialog"), message="dialog closed")

    fill(find(driver, "search"), "Reminder Urgentcase")
    wait_for(driver, lambda d: len(d.find_elements(*css("issue-row"))) == 1, message="the search has settled")
    click(driver, "issue-row")
    wait_for(driver, lambda d: text_of(find(d, "detail-name")) == "Reminder Urgentcase", message="opened")
    box = find(driver, "respond-text")
    # below the customer's history now: scrolled to the middle, clear of the toasts
    driver.execute_script("arguments[0].scrollIntoView({block: 'center'})", box)
    box.click()
    box.send_keys("Hello! #refund")
    find(driver, "reply-picker")
    box.send_keys(Keys.ENTER)
    expected = "Hello! Dear Reminder Urgentcase, your refund for LL-7001 is on its way. boss, Lumen & Loom"
    wait_for(driver, lambda d: find(d, "respond-text").get_attribute("value") == expected,
             message="the reply inserted, filled in for the issue")
    toast_saying(driver, "not sent yet")
    box.send_keys(" See you soon.")
    assert find(driver, "respond-text").get_attribute("value") == expected + " See you soon.", "still editable"
    assert not visible(driver, "reply-picker")

    # the admin edits and deletes it; the library is the database's
    click(driver, "saved-replies")
    click(driver, "reply-edit")
    fill(find(driver, "reply-title"), "Refund sent")
    click(driver, "reply-save")
    toast_saying(driver, "updated for every agent")
    click(driver, "reply-delete")
    click(driver, "delete-confirm")
    toast_saying(driver, "deleted for every agent")
    find(driver, "replies-empty")
    find(driver, "reply-new").send_keys(Keys.ESCAPE)


def report_with_link(name, description, order_id):
    """A report through the public API, as the customer's page sends it: (id, status URL)."""
    body = json.dumps({
        "name": name, "email": "merge.customer@example.com", "phone": "0160 5550199",
        "issue_type": "quality", "priority": "normal", "order_id": order_id, "description": description,
    }).encode()
    request = urllib.request.Request(f"{ENV['E2E_SERVER_URL']}/api/customer-care/report", data=body,
                                     headers={"content-type": "application/json"})
    with urllib.request.urlopen(request, timeout=10) as response:
        answer = json.load(response)
    return answer["issue_id"], answer["status_url"]


def test_an_agent_merges_a_duplicate_and_its_link_shows_the_kept_issue(app):
    driver = app["driver"]
    kept, _ = report_with_link("Merge Keptcase", "The lamp flickers.", "LL-8001")
    merged, merged_link = report_with_link("Merge Dupcase", "Lamp still flickering, writing again.", "LL-8001")
    Select(find(driver, "filter-status")).select_by_value("")
    fill(find(driver, "search"), f"#{merged}")
    click(driver, "issue-row", f'[data-issue-id="{merged}"]')
    wait_for(driver, lambda d: text_of(find(d, "detail-name")) == "Merge Dupcase", message="the duplicate opens")
    find(driver, "issue-row", f'[data-issue-id="{merged}"] [data-testid="row-duplicate"]')
    click(driver, "detail-merge")
    # the issue the database marked it as repeating (the same order) is offered
    wait_for(driver, lambda d: find(d, "merge-into").get_attribute("value") == str(kept), message="the marked issue is offered")
    click(driver, "merge-save")
    toast_saying(driver, f"merged into #{kept}")
    wait_for(driver, lambda d: text_of(find(d, "detail-name")) == "Merge Keptcase", message="the kept issue is shown")
    timeline = text_of(find(driver, "timeline"))
    assert f"{ENV['E2E_ADMIN']} merged #{merged} into #{kept}" in timeline, timeline
    assert "Lamp still flickering, writing again." in timeline, "the merged report is on the kept timeline"
    assert str(merged) in [text_of(e).lstrip("#") for e in driver.find_elements(*css("timeline-from"))]
    driver.execute_script("arguments[0].scrollIntoView({block: 'end'})", find(driver, "timeline"))
    # the toasts dismissed as a person would, so the picture shows the timeline
    for close in driver.find_elements(By.CSS_SELECTOR, '[data-testid="toast"] button.close'):
        close.click()
    wait_for(driver, lambda d: not d.find_elements(*css("toast")), message="toasts dismissed")
    screenshot(driver, "merged.png")
    # the merged issue says where it went, and offers no second merge
    click(driver, "history-item", f'[data-issue-id="{merged}"]')
    wait_for(driver, lambda d: f"#{kept}" in text_of(find(d, "detail-merged-into")), message="merged into, shown")
    assert not driver.find_elements(*css("detail-merge"))
    # the customer's link of the merged report now shows the kept issue
    browser = customer_browser()
    try:
        browser.get(merged_link)
        heading = browser.find_element(*css("status-heading")).text
        assert f"#{kept}" in heading and f"#{merged}" not in heading, heading
    finally:
        browser.quit()
    Select(find(driver, "filter-status")).select_by_value("open")
    fill(find(driver, "search"), "")


PHOTOS = os.path.join(os.path.dirname(__file__), "..", "..", "crates", "server", "tests", "fixtures", "photos")


def report_with_photos(name, files):
    """A report through the API's multipart variant, as the page sends one with photos."""
    import urllib3
    fields = [("name", name), ("email", "photo.customer@example.com"), ("phone", "0160 5550123"),
              ("issue_type", "damaged"), ("priority", "normal"),
              ("description", "The vase arrived broken, photos attached.")]
    for file in files:
        with open(os.path.join(PHOTOS, file), "rb") as photo:
            fields.append(("photos", (file, photo.read(), "application/octet-stream")))
    body, content_type = urllib3.encode_multipart_formdata(fields)
    request = urllib.request.Request(f"{ENV['E2E_SERVER_URL']}/api/customer-care/report", data=body,
                                     headers={"content-type": content_type})
    with urllib.request.urlopen(request, timeout=20) as response:
        assert response.status == 201
        return json.load(response)["issue_id"]


def test_the_customers_photos_show_as_thumbnails_and_open_in_the_viewer(app):
    driver = app["driver"]
    issue = report_with_photos("Photo Vasecase", ["phone.jpg", "phone.heic"])
    fill(find(driver, "search"), f"#{issue}")
    click(driver, "issue-row", f'[data-issue-id="{issue}"]')
    wait_for(driver, lambda d: text_of(find(d, "detail-name")) == "Photo Vasecase", message="the issue opens")
    # beside what the customer wrote, and on the timeline event that added them
    wait_for(driver, lambda d: len(d.find_elements(*css("photo-thumb"))) == 4, message="thumbnails twice")
    assert len(driver.find_elements(*css("timeline-event", '[data-kind="created"] [data-testid="photo-thumb"]'))) == 2
    click(driver, "photo-thumb")
    find(driver, "photo-viewer")
    natural_width = "const i = document.querySelector('[data-testid=photo-full]'); return i && i.complete ? i.naturalWidth : 0"
    # the JPEG was turned upright by its orientation: a portrait
    wait_for(driver, lambda d: d.execute_script(natural_width) == 480, message="the first photo at full size")
    assert text_of(find(driver, "photo-viewer-position")) == "Photo 1 of 2"
    actions = ActionChains(driver)
    actions.send_keys(Keys.ARROW_RIGHT).perform()
    wait_for(driver, lambda d: text_of(find(d, "photo-viewer-position")) == "Photo 2 of 2", message="next by keyboard")
    wait_for(driver, lambda d: d.execute_script(natural_width) == 640, message="the HEIC photo, as a JPEG")
    actions.send_keys("+").perform()
    wait_for(driver, lambda d: text_of(find(d, "photo-zoom")) == "150 %", message="zoomed in by keyboard")
    actions.send_keys("0").perform()
    wait_for(driver, lambda d: text_of(find(d, "photo-zoom")) == "Fit", message="fitted again")
    screenshot(driver, "photo-viewer.png")
    actions.send_keys(Keys.ESCAPE).perform()
    wait_for(driver, lambda d: not d.find_elements(*css("photo-viewer")), message="Esc closes the viewer")
    fill(find(driver, "search"), "")


def test_an_admin_erases_everything_about_a_customer_from_the_desktop(app):
    driver = app["driver"]
    email = "privacy.person@example.com"
    ids = []
    for phone, words in (("0160 5550177", "My order never came."), ("0160 5550178", "Still nothing, please delete my data.")):
        body = json.dumps({"name": "Privacy Person", "email": email, "phone": phone, "issue_type": "not_received",
                           "priority": "normal", "description": words}).encode()
        request = urllib.request.Request(f"{ENV['E2E_SERVER_URL']}/api/customer-care/report", data=body,
                                         headers={"content-type": "application/json"})
        with urllib.request.urlopen(request, timeout=10) as response:
            ids.append(json.load(response)["issue_id"])
    fill(find(driver, "search"), f"#{ids[0]}")
    click(driver, "issue-row", f'[data-issue-id="{ids[0]}"]')
    wait_for(driver, lambda d: text_of(find(d, "detail-name")) == "Privacy Person", message="the issue opens")
    # the new reports' toasts dismissed as a person would: they sit over the header
    for close in driver.find_elements(By.CSS_SELECTOR, '[data-testid="toast"] button.close'):
        close.click()
    click(driver, "detail-privacy")
    def covers(d):
        found = d.find_elements(*css("privacy-covers"))
        return text_of(found[0]) if found else text_of(find(d, "privacy-dialog"))
    wait_for(driver, lambda d: covers(d) == f"2 issues of {email}: #{ids[0]}, #{ids[1]}", message=f"both issues, by email: {covers(driver)!r}")
    click(driver, "privacy-by-phone")
    wait_for(driver, lambda d: covers(d) == f"1 issue of +491605550177: #{ids[0]}", message="one issue, by phone")
    click(driver, "privacy-by-email")
    wait_for(driver, lambda d: covers(d).startswith("2 issues"), message="back to the address")
    click(driver, "privacy-erase")
    find(driver, "privacy-erase-warning")
    click(driver, "privacy-erase-confirm")
    toast_saying(driver, f"Erased 2 issues of {email}")
    wait_for(driver, lambda d: not d.find_elements(*css("privacy-dialog")), message="the dialog closes")
    assert owner_sql(f"SELECT count(*) FROM customer_care WHERE email = '{email}'") == "0"
    assert owner_sql(f"SELECT count(*) FROM customer_care_event WHERE issue_id IN ({ids[0]}, {ids[1]}) AND kind = 'erased'") == "2"
    assert owner_sql("SELECT action || ':' || matched_by || ':' || issues FROM caredesk_privacy_audit ORDER BY id DESC LIMIT 1") == "erase:email:2"
    fill(find(driver, "search"), "")


def sign_in_by_psql(login, password):
    """Whether `login` can sign in over TCP with `password` (the database checks it), and why not."""
    url = f"postgres://{login}@127.0.0.1:{ENV['E2E_PG_PORT']}/caredesk"
    done = subprocess.run(["psql", "-X", "-tA", url, "-c", "SELECT 1"], capture_output=True, text=True,
                          timeout=30, env={**os.environ, "PGPASSWORD": password})
    return done.returncode == 0, done.stderr


def test_an_admin_manages_the_team_and_a_disabled_login_cannot_sign_in(app):
    driver = app["driver"]
    click(driver, "team")
    find(driver, "team-member", f'[data-login="{ENV["E2E_AGENT"]}"]')
    click(driver, "team-add")
    fill(find(driver, "team-login"), "newbie")
    click(driver, "team-add-save")
    toast_saying(driver, "shown here once")
    password = text_of(find(driver, "team-password-value")).strip()
    assert len(password) >= 24, password
    row = '[data-login="newbie"]'
    find(driver, "team-member", row)
    screenshot(driver, "team.png")
    assert sign_in_by_psql("newbie", password)[0], "the shown password works"

    driver.find_element(By.CSS_SELECTOR, f'[data-testid="team-member"]{row} [data-testid="team-disable"]').click()
    click(driver, "delete-confirm")
    toast_saying(driver, "can no longer sign in")
    wait_for(driver, lambda d: find(d, "team-member", row).get_attribute("data-enabled") == "false", message="shown disabled")
    ok, why = sign_in_by_psql("newbie", password)
    assert not ok and "not permitted to log in" in why, why
    driver.find_element(By.CSS_SELECTOR, f'[data-testid="team-member"]{row} [data-testid="team-enable"]').click()
    toast_saying(driver, "can sign in again")
    assert sign_in_by_psql("newbie", password)[0]
    driver.find_element(By.CSS_SELECTOR, f'[data-testid="team-member"]{row} [data-testid="team-toggle-admin"]').click()
    toast_saying(driver, "is an admin now")
    wait_for(driver, lambda d: "Admin" in text_of(find(d, "team-member", row)), message="the role shows")
    # the admin's own row offers nothing that could lock them out
    own = find(driver, "team-member", f'[data-login="{ENV["E2E_ADMIN"]}"]')
    assert not own.find_elements(By.CSS_SELECTOR, '[data-testid="team-disable"]')
    find(driver, "team-add").send_keys(Keys.ESCAPE)
    wait_for(driver, lambda d: not visible(d, "team-dialog"), message="team closed")

    # the admin's own password, from Settings: the keychain follows (the restart below uses it)
    new_password = f"{ENV['E2E_ADMIN_PASSWORD']}-changed"
    click(driver, "settings")
    fill(find(driver, "own-password"), "short")
    fill(find(driver, "own-password-again"), "short")
    click(driver, "own-password-save")
    wait_for(driver, lambda d: "at least" in text_of(find(d, "own-password-error")), message="too short is refused")
    fill(find(driver, "own-password"), new_password)
    fill(find(driver, "own-password-again"), new_password)
    click(driver, "own-password-save")
    toast_saying(driver, "in the keychain")
    assert sign_in_by_psql(ENV["E2E_ADMIN"], new_password)[0]
    assert not sign_in_by_psql(ENV["E2E_ADMIN"], ENV["E2E_ADMIN_PASSWORD"])[0]
    STATE["admin_password"] = new_password
    find(driver, "own-password").send_keys(Keys.ESCAPE)
    wait_for(driver, lambda d: not visible(d, "settings-dialog"), message="settings closed")
    # this desktop's next connections use the new password too
    fill(find(driver, "search"), "#1")
    fill(find(driver, "search"), "")


def test_remember_me_signs_in_again_after_a_restart(app):
    store = os.path.join(ENV["XDG_DATA_HOME"], "app.caredesk.desktop", "settings.json")
    with open(store, encoding="utf-8") as f:
        kept = f.read()
    assert ENV["E2E_ADMIN"] in kept and ENV["E2E_ADMIN_PASSWORD"] not in kept, "no password in the settings file"
    assert STATE["admin_password"] not in kept
    app["driver"].quit()
    driver = app["driver"] = start_app()
    find(driver, "search")
    assert not visible(driver, "login-submit")
    try:
        find(driver, "settings").click()
        find(driver, "sign-out").click()
        find(driver, "login-submit")
    except TimeoutException:
        pytest.fail("signing out after a silent sign-in")
