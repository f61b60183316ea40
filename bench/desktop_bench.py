"""The desktop app measured as an agent uses it, in a release build, through WebDriver.

Run by bench/desktop.sh, which provides the environment (BENCH_*). For each database it
launches the app RUNS times and measures, each time:
  launch     from asking for a session to the sign-in form on screen;
  sign-in    from the click on "Sign in" to the first rows of the list on screen;
  search     from the first key of a surname typed in the search box to the list showing
             only matches (the typing and the list's 250 ms pause included);
  open       from Enter on a row to its detail on screen;
and, in one more launch per database after all the timed ones, the memory (PSS) of the app
and its WebKit processes right after sign-in and again after BENCH_IDLE_SECONDS of idling.
Prints one JSON object per line."""

import json
import os
import statistics
import subprocess
import sys
import time

from selenium import webdriver
from selenium.common.exceptions import NoSuchElementException, StaleElementReferenceException
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.common.options import ArgOptions
from selenium.webdriver.support.ui import WebDriverWait

ENV = os.environ
WAIT = 60
RERENDERED = (NoSuchElementException, StaleElementReferenceException)


def css(testid, extra=""):
    return (By.CSS_SELECTOR, f'[data-testid="{testid}"]{extra}')


def until(driver, condition):
    """Polls fast: the poll interval bounds the resolution of every number."""
    return WebDriverWait(driver, WAIT, poll_frequency=0.005, ignored_exceptions=RERENDERED).until(condition)


def fill(element, text):
    # as a person would: select all, delete, type (WebDriver's clear() fires no input event)
    element.send_keys(Keys.CONTROL, "a")
    element.send_keys(Keys.DELETE)
    element.send_keys(text)


def app_processes(app_path):
    """The app's process and its descendants (WebKit's web and network processes)."""
    parents = {}
    names = {}
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            with open(f"/proc/{pid}/stat", encoding="utf-8") as stat:
                fields = stat.read().rsplit(")", 1)[1].split()
            parents[int(pid)] = int(fields[1])
            names[int(pid)] = os.path.basename(os.readlink(f"/proc/{pid}/exe"))
        except (OSError, IndexError, ValueError):
            continue
    roots = [pid for pid, name in names.items() if name == os.path.basename(app_path)]
    family = set(roots)
    grew = True
    while grew:
        grew = False
        for pid, parent in parents.items():
            if parent in family and pid not in family:
                family.add(pid)
                grew = True
    return {pid: names.get(pid, "?") for pid in family}


def pss_mib(pid):
    try:
        with open(f"/proc/{pid}/smaps_rollup", encoding="utf-8") as rollup:
            for line in rollup:
                if line.startswith("Pss:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def memory(app_path):
    by_name = {}
    for pid, name in app_processes(app_path).items():
        by_name[name] = by_name.get(name, 0.0) + pss_mib(pid)
    return {"total_mib": round(sum(by_name.values()), 1), "by_process_mib": {k: round(v, 1) for k, v in sorted(by_name.items())}}


# Inside the page, from the click on "Sign in": when each command was asked and answered,
# and when the first row entered the document (ms). Tells WebDriver's own delay, the IPC,
# the Rust side and the rendering apart.
TRACE_SIGN_IN = """
const t0 = performance.now();
const trace = window.__caredeskTrace = { commands: [], first_row_ms: null, first_frame_after_row_ms: null };
// the UI measures each command it calls (User Timing, ui/src/api/index.ts)
new PerformanceObserver((list) => {
  for (const e of list.getEntries()) {
    if (e.startTime >= t0 && e.name.startsWith('command ')) {
      trace.commands.push([e.name.slice(8), Math.round(e.startTime - t0), Math.round(e.startTime + e.duration - t0)]);
    }
  }
}).observe({ type: 'measure' });
new MutationObserver((_, observer) => {
  if (trace.first_row_ms === null && document.querySelector('[data-testid="issue-row"]')) {
    trace.first_row_ms = Math.round(performance.now() - t0);
    requestAnimationFrame(() => { trace.first_frame_after_row_ms = Math.round(performance.now() - t0); });
    observer.disconnect();
  }
}).observe(document.body, { childList: true, subtree: true });
"""


# Whether the list shows rows and only rows that contain the search term.
ONLY_MATCHES = """
const rows = [...document.querySelectorAll('[data-testid="issue-row"]')];
return rows.length > 0 && rows.every((r) => r.textContent.toLowerCase().includes(arguments[0]));
"""


# Where the first row is painted on the X screen, learnt on the first launch.
FIRST_ROW_STRIP = {}
PAINT_WATCH = os.path.join(os.path.dirname(os.path.abspath(__file__)), "paint_watch.py")


def first_row_strip(driver):
    """The first row's rectangle on the screen (the window has no decorations under Xvfb)."""
    window = driver.get_window_rect()
    left, top, width, height = driver.execute_script(
        "const r = document.querySelector('[data-testid=\"issue-row\"]').getBoundingClientRect();"
        "return [r.left, r.top, r.width, r.height];")
    # without the right edge, where GTK's overlay scrollbar shows and fades by itself
    return [int(window["x"] + left), int(window["y"] + top), max(1, int(width) - 24), max(1, int(height))]


def watch_paint(strip, frames_dir, seconds=6):
    extra = [frames_dir] if frames_dir else []
    watcher = subprocess.Popen(["nice", "-n", "19", "/usr/bin/python3", PAINT_WATCH, *map(str, strip), str(seconds), *extra],
                               stdout=subprocess.PIPE, text=True)
    assert watcher.stdout.readline().strip() == "ready"
    return watcher


def one_run(database, search_term, measure_memory, run):
    options = ArgOptions()
    options.set_capability("browserName", "wry")
    options.set_capability("tauri:options", {"application": ENV["BENCH_APP"]})
    started = time.perf_counter()
    driver = webdriver.Remote(command_executor=ENV["BENCH_DRIVER_URL"], options=options)
    try:
        until(driver, lambda d: d.find_element(*css("login-submit")).is_displayed())
        launch = time.perf_counter() - started

        fill(driver.find_element(*css("login-host")), "127.0.0.1")
        fill(driver.find_element(*css("login-port")), ENV["BENCH_PG_PORT"])
        fill(driver.find_element(*css("login-database")), database)
        fill(driver.find_element(*css("login-user")), ENV["BENCH_AGENT"])
        fill(driver.find_element(*css("login-password")), ENV["BENCH_AGENT_PASSWORD"])
        remember = driver.find_element(*css("login-remember"))
        if remember.is_selected():  # each launch starts at the sign-in form
            remember.click()
        submit = driver.find_element(*css("login-submit"))
        frames = os.path.join(ENV["BENCH_FRAMES_DIR"], f"{database}-{run}") if ENV.get("BENCH_FRAMES_DIR") else None
        watcher = watch_paint(FIRST_ROW_STRIP[database], frames) if database in FIRST_ROW_STRIP else None
        # last before the click, so the page's clock starts with it (the watcher takes a while)
        driver.execute_script(TRACE_SIGN_IN)
        clicked = time.perf_counter()
        submit.click()
        until(driver, lambda d: d.find_elements(*css("issue-row")))
        sign_in = time.perf_counter() - clicked
        result = {"database": database, "launch_s": launch, "sign_in_s": sign_in,
                  "sign_in_trace": driver.execute_script("return window.__caredeskTrace")}
        if watcher:
            changes = json.loads(watcher.communicate()[0])
            result["strip_changes_ms"] = [round((t - clicked) * 1000) for t in changes]
            # Until the first row is in the document, the strip shows the sign-in form and then
            # the loading skeleton; the first change after it is the rows as the agent sees
            # them. (The page's clock starts a few ms before `clicked`: that is the error.)
            in_document = result["sign_in_trace"].get("first_row_ms")
            if in_document is not None:
                painted = [t for t in changes if t - clicked >= in_document / 1000]
                result["sign_in_painted_s"] = painted[0] - clicked if painted else None
            # anything after that moves or redraws the rows under the agent's eyes
            result["rows_settled_s"] = max(changes) - clicked if changes else None
        else:
            FIRST_ROW_STRIP[database] = first_row_strip(driver)
        if measure_memory:
            time.sleep(2)  # let the counts and the chart arrive
            result["memory_after_sign_in"] = memory(ENV["BENCH_APP"])

        # from the first key: the typing, the list's pause for the agent to finish (250 ms),
        # the query and the rows; the list showed every issue before
        box = driver.find_element(*css("search"))
        box.click()
        typed = time.perf_counter()
        box.send_keys(search_term)

        # one question to the page per poll (asking row by row through WebDriver would take
        # longer than the search itself)
        until(driver, lambda d: d.execute_script(ONLY_MATCHES, search_term.lower()))
        result["search_s"] = time.perf_counter() - typed

        row = driver.find_elements(*css("issue-row"))[0]
        wanted = row.get_attribute("data-issue-id")
        row.find_element(By.CSS_SELECTOR, ".row-open").send_keys(Keys.ENTER)
        opened = time.perf_counter()
        until(driver, lambda d: d.find_element(*css("detail")).get_attribute("data-issue-id") == wanted
              and d.find_element(*css("detail-name")).is_displayed())
        result["open_s"] = time.perf_counter() - opened

        if measure_memory:
            idle = int(ENV.get("BENCH_IDLE_SECONDS", "600"))
            time.sleep(idle)
            result["idle_s"] = idle
            result["memory_after_idle"] = memory(ENV["BENCH_APP"])
        return result
    finally:
        driver.quit()


def main():
    runs = int(ENV.get("BENCH_RUNS", "5"))
    databases = [(d.split(":")[0], d.split(":")[1]) for d in sys.argv[1:]]
    timed = {}
    # the timings first, for every database; the long idle memory runs last, so that nothing
    # else the machine does while the app idles can touch a timing
    for database, term in databases:
        timed[database] = []
        for n in range(runs):
            timed[database].append(one_run(database, term, measure_memory=False, run=n))
            print(json.dumps({"run": timed[database][-1]}), flush=True)
    remembered = {}
    if ENV.get("BENCH_MEMORY", "1") == "1":
        for database, term in databases:
            print(f"==> memory of the app on {database}: after sign-in, then after idling", file=sys.stderr, flush=True)
            remembered[database] = one_run(database, term, measure_memory=True, run="memory")
            print(json.dumps({"run": remembered[database]}), flush=True)
    for database, _ in databases:
        results = timed[database]
        summary = {"database": database, "runs": runs}
        for key in ("launch_s", "sign_in_s", "sign_in_painted_s", "rows_settled_s", "search_s", "open_s"):
            values = sorted(r[key] for r in results if r.get(key) is not None)
            if not values:
                continue
            summary[key] = {"median": round(statistics.median(values), 3), "max": round(values[-1], 3)}
        for key in ("memory_after_sign_in", "memory_after_idle"):
            if key in remembered.get(database, {}):
                summary[key] = remembered[database][key]
        print(json.dumps({"summary": summary}), flush=True)


if __name__ == "__main__":
    main()
