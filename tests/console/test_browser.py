"""The console in a real browser: headless Chromium (Debian's ``chromium`` and
``chromium-driver``, installed by ``make browser``) driven by Selenium against the API served
over HTTP with a worker. An agent signs in with the keyboard, opens a handoff, replies, and sees
the reply in the timeline (and the customer gets it at the fake Twilio); a marketer sees the
journeys. Another marketer types an error into a journey and sees it flagged as they type, dry
runs a journey, launches a campaign from a CSV (preview, then confirm: the customers get the
message), pauses its runs from the journey's page, and reads the analytics. Each page's
screenshot is saved to docs/console/*.png (the README shows them).

Every wait is bounded: WebDriverWait's timeout, the page-load timeout, ``eventually``."""

from __future__ import annotations

import asyncio
import re
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from api.main import create_app
from switchboard.access import Role
from switchboard.db.access import create_key
from switchboard.db.engine import Database
from switchboard.journeys.loader import DEFAULT_DIR
from tests.conftest import Harness
from tests.fakes.server import serve
from tests.polling import eventually

CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")
SHOTS = Path(__file__).resolve().parents[2] / "docs" / "console"
CUSTOMER = "+33612345672"
REPLY = "Hi, Ana here from the clinic. I can see you on Friday at 10am. Does that suit you?"
WAIT_S = 30

pytestmark = pytest.mark.skipif(
    not (CHROMIUM.exists() and CHROMEDRIVER.exists()) or shutil.which("chromium") is None,
    reason="no Chromium: run `make browser` (Debian's chromium and chromium-driver)",
)


def chromium() -> Any:
    """A headless Chromium session at a laptop's window size."""
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for arg in ("--headless=new", "--no-sandbox", "--disable-gpu", "--window-size=1280,900"):
        options.add_argument(arg)
    browser = webdriver.Chrome(service=Service(str(CHROMEDRIVER)), options=options)
    browser.set_page_load_timeout(60)
    SHOTS.mkdir(parents=True, exist_ok=True)
    return browser


def full_page_shot(browser: Any, name: str) -> None:
    """The whole page, not only the window (charts and diagrams run below the fold)."""
    browser.execute_script("window.scrollTo(0, 0)")
    height = browser.execute_script("return document.documentElement.scrollHeight")
    browser.set_window_size(1280, min(max(int(height), 900), 4000))
    browser.save_screenshot(str(SHOTS / f"{name}.png"))
    browser.set_window_size(1280, 900)


def drive(base: str, agent_key: str, marketer_key: str) -> str:
    """The browser session (blocking: run in a thread so the worker keeps running). Returns
    the timeline's text after the reply."""
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys
    from selenium.webdriver.support import expected_conditions as ec
    from selenium.webdriver.support.ui import WebDriverWait

    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for arg in ("--headless=new", "--no-sandbox", "--disable-gpu", "--window-size=1280,900"):
        options.add_argument(arg)
    browser = webdriver.Chrome(service=Service(str(CHROMEDRIVER)), options=options)
    browser.set_page_load_timeout(60)
    wait = WebDriverWait(browser, WAIT_S)
    SHOTS.mkdir(parents=True, exist_ok=True)

    def shot(name: str) -> None:
        browser.save_screenshot(str(SHOTS / f"{name}.png"))

    def sign_in(key: str) -> None:
        browser.get(f"{base}/console/")
        field = wait.until(ec.presence_of_element_located((By.ID, "key")))
        assert browser.switch_to.active_element == field, "the key field has the focus"
        field.send_keys(key, Keys.ENTER)  # the keyboard alone signs in
        wait.until(ec.presence_of_element_located((By.ID, "who")))

    try:
        browser.get(f"{base}/console/sign-in")
        shot("sign-in")
        sign_in(agent_key)
        assert "Ana" in browser.find_element(By.ID, "who").text
        assert browser.current_url.endswith("/console/handoffs")
        shot("handoffs")

        browser.find_element(By.LINK_TEXT, CUSTOMER).click()
        text = wait.until(ec.presence_of_element_located((By.ID, "text")))
        text.send_keys(REPLY)
        browser.find_element(By.XPATH, "//button[normalize-space()='Send reply']").click()
        wait.until(ec.text_to_be_present_in_element((By.ID, "timeline"), REPLY))
        shot("customer")
        timeline = browser.find_element(By.ID, "timeline").text

        browser.get(f"{base}/console/customers?q=612345672")
        wait.until(ec.presence_of_element_located((By.LINK_TEXT, CUSTOMER)))
        shot("customers")

        browser.find_element(By.XPATH, "//button[normalize-space()='Sign out']").click()
        wait.until(ec.presence_of_element_located((By.ID, "key")))
        sign_in(marketer_key)
        assert browser.current_url.endswith("/console/journeys")
        shot("journeys")
        browser.find_element(By.LINK_TEXT, "outreach").click()
        wait.until(ec.presence_of_element_located((By.ID, "step-wait_reply")))
        shot("journey")
        return timeline
    finally:
        browser.quit()


async def test_an_agent_answers_a_handoff_in_the_browser(
    harness: Harness, task_queue: str, database_url: str
) -> None:
    h = harness
    await h.opt_in(CUSTOMER)
    await h.sim.whatsapp(CUSTOMER, text="I want to talk to a real person please")

    async def to_customer() -> list[dict[str, object]]:
        return [m for m in await h.sandbox_messages() if m["to"] == f"whatsapp:{CUSTOMER}"]

    await eventually(to_customer, lambda m: len(m) >= 1)  # the agent's handoff reply
    async with h.db.session() as s:
        _, agent = await create_key(s, person="Ana", role=Role.AGENT, created_by="test")
        _, marketer = await create_key(s, person="Mia", role=Role.MARKETER, created_by="test")

    # The API over real HTTP for the browser, on its own connection pool (the server runs its
    # own event loop in a thread) and the test's Temporal server and task queue.
    address = h.temporal.service_client.config.target_host
    # The served app connects to Temporal itself, with the payload codec's keys in the database.
    settings = h.settings.model_copy(
        update={"temporal_address": address, "inbox_relay": False, "database_url": database_url}
    )
    served_db = Database(database_url)
    app = create_app(settings, db=served_db, task_queue=task_queue)
    with serve(app) as base:
        timeline = await asyncio.wait_for(
            asyncio.to_thread(drive, base, agent.token, marketer.token), timeout=240
        )
    await served_db.dispose()

    assert REPLY in timeline
    sent = await eventually(to_customer, lambda m: len(m) >= 2)
    assert [m["body"] for m in sent][1:] == [REPLY], "the customer got the reply once"
    for name in ("sign-in", "handoffs", "customer", "customers", "journeys", "journey"):
        assert (SHOTS / f"{name}.png").stat().st_size > 5_000


AUDIENCE = ("+33612345601", "+33612345602")


def runs_in_funnel(driver: Any) -> int:
    """The run count in the journey page's funnel caption ("… (2 runs …"); 0 without one."""
    from selenium.webdriver.common.by import By

    caption = driver.find_elements(By.CSS_SELECTOR, "table.funnel caption")
    found = re.search(r"\((\d+) runs?", caption[0].text) if caption else None
    return int(found.group(1)) if found else 0


def drive_marketer(base: str, marketer_key: str, audience_csv: Path) -> dict[str, str]:
    """A marketer's session (blocking). Returns what the pages said, by step."""
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys
    from selenium.webdriver.support import expected_conditions as ec
    from selenium.webdriver.support.ui import WebDriverWait

    browser = chromium()
    wait = WebDriverWait(browser, WAIT_S)
    seen: dict[str, str] = {}

    def text_of(element_id: str) -> str:
        return str(wait.until(ec.presence_of_element_located((By.ID, element_id))).text)

    try:
        browser.get(f"{base}/console/sign-in")
        field = wait.until(ec.presence_of_element_located((By.ID, "key")))
        field.send_keys(marketer_key, Keys.ENTER)
        wait.until(ec.presence_of_element_located((By.ID, "who")))

        # An error typed into a journey is flagged as it is typed, with its line.
        browser.get(f"{base}/console/journeys/review-request/edit")
        area = wait.until(ec.presence_of_element_located((By.ID, "yaml")))
        area.send_keys(Keys.CONTROL, Keys.END)
        area.send_keys("\nbogus_field: 1")
        wait.until(ec.text_to_be_present_in_element((By.ID, "problems"), "bogus_field"))
        seen["problems"] = text_of("problems")
        seen["check"] = text_of("check-status")
        full_page_shot(browser, "journey-edit")
        browser.find_element(By.CSS_SELECTOR, "#problems button").send_keys(Keys.ENTER)
        seen["focus"] = str(browser.switch_to.active_element.get_attribute("id"))

        # A dry run: the timeline a made-up customer would see.
        browser.get(f"{base}/console/journeys/call-confirmation/dry-run")
        wait.until(ec.presence_of_element_located((By.ID, "replies")))
        browser.find_element(By.XPATH, "//button[normalize-space()='Run']").click()
        long_wait = WebDriverWait(browser, 150)
        long_wait.until(ec.presence_of_element_located((By.ID, "dry-run-outcome")))
        seen["dry_run"] = text_of("dry-run-timeline") + "\n" + text_of("dry-run-outcome")
        full_page_shot(browser, "dry-run")

        # Runs of the journey other tests left on the session's Temporal server: the funnel
        # counts every run, so this launch's one (outreach goes as one broadcast campaign
        # workflow, not a run per member) comes on top of them.
        browser.get(f"{base}/console/journeys/outreach")
        before = runs_in_funnel(browser)

        # A launch: the CSV, its preview, then the confirmation.
        browser.get(f"{base}/console/journeys/outreach/launch")
        upload = wait.until(ec.presence_of_element_located((By.ID, "audience")))
        upload.send_keys(str(audience_csv))
        campaign = browser.find_element(By.ID, "campaign_id")
        campaign.clear()
        campaign.send_keys("console-spring")
        browser.find_element(By.XPATH, "//button[normalize-space()='Preview']").click()
        seen["preview"] = text_of("preview")
        full_page_shot(browser, "launch-preview")
        browser.find_element(
            By.XPATH, "//button[starts-with(normalize-space(), 'Confirm')]"
        ).click()
        seen["launched"] = text_of("launched")

        # The journey's page: diagram, funnel (once visibility lists the runs); pause them.
        browser.get(f"{base}/console/journeys/outreach")

        def campaign_listed(driver: Any) -> bool:
            driver.refresh()
            return runs_in_funnel(driver) == before + 1

        # The campaign starts on the worker and reaches Temporal's visibility store a moment
        # later: seconds on a quiet machine, longer on a loaded one.
        WebDriverWait(browser, 4 * WAIT_S, poll_frequency=1).until(campaign_listed)
        seen["latest"] = text_of("latest-runs")
        full_page_shot(browser, "journey")
        browser.find_element(By.XPATH, "//button[normalize-space()='Pause the journey']").click()
        wait.until(ec.presence_of_element_located((By.CSS_SELECTOR, "p.done")))
        seen["paused"] = browser.find_element(By.CSS_SELECTOR, "p.done").text
        seen["paused_since"] = text_of("paused")

        browser.get(f"{base}/console/analytics")
        seen["tiles"] = text_of("tiles")
        full_page_shot(browser, "analytics")
        return seen
    finally:
        browser.quit()


@pytest.mark.timeout(480)  # a real browser through five pages, a dry run and a launch
async def test_a_marketer_edits_dry_runs_launches_and_reads_analytics_in_the_browser(
    harness: Harness, task_queue: str, database_url: str, tmp_path: Path
) -> None:
    h = harness
    await h.opt_in(*AUDIENCE, purpose="marketing")
    async with h.db.session() as s:
        _, marketer = await create_key(s, person="Mia", role=Role.MARKETER, created_by="test")
    audience = tmp_path / "audience.csv"
    audience.write_text(
        f"phone,first_name,pet_name\n{AUDIENCE[0]},Alex,Felix\nnot-a-number,Bo,Rex\n"
        f"{AUDIENCE[1]},Chloe,Nala\n"
    )
    # The editor may write: a copy of the test's journeys, not the session's shared ones.
    journeys = tmp_path / "journeys"
    shutil.copytree(h.settings.journeys_dir, journeys)
    # The file a marketer edits as shipped (the round-the-clock copies are rewritten YAML).
    shutil.copy(DEFAULT_DIR / "review-request.yaml", journeys / "review-request.yaml")
    address = h.temporal.service_client.config.target_host
    settings = h.settings.model_copy(
        update={
            "temporal_address": address,
            "inbox_relay": False,
            "journeys_dir": journeys,
            "database_url": database_url,
        }
    )
    served_db = Database(database_url)
    app = create_app(settings, db=served_db, task_queue=task_queue)
    with serve(app) as base:
        seen = await asyncio.wait_for(
            asyncio.to_thread(drive_marketer, base, marketer.token, audience), timeout=420
        )
    await served_db.dispose()

    assert "bogus_field" in seen["problems"] and "line" in seen["problems"]
    assert seen["check"].startswith("1 problem"), seen["check"]
    assert seen["focus"] == "yaml", "the problem's line button puts the cursor in the editor"
    assert "WhatsApp" in seen["dry_run"] and "completed" in seen["dry_run"], seen["dry_run"]
    assert "Rows\n3" in seen["preview"] and "Invalid numbers\n1" in seen["preview"]
    assert "2 of 2 opted in" in seen["preview"], seen["preview"]
    assert seen["launched"].startswith("Enrolled 2 customers in campaign console-spring")
    assert seen["paused"].startswith("Paused the journey: 1 running run paused"), seen["paused"]
    assert seen["paused_since"].startswith("Paused since "), seen["paused_since"]
    assert "by Mia" in seen["paused_since"], seen["paused_since"]
    # The launch one by one, beside the counts: the campaign's own run, newest first.
    assert seen["latest"].splitlines()[2].startswith("(campaign) running"), seen["latest"]
    assert "contained" in seen["tiles"]

    def to(number: str) -> Callable[[list[dict[str, object]]], bool]:
        return lambda messages: any(m["to"] == f"whatsapp:{number}" for m in messages)

    for number in AUDIENCE:
        await eventually(h.sandbox_messages, to(number))
    for name in ("journey-edit", "dry-run", "launch-preview", "journey", "analytics"):
        assert (SHOTS / f"{name}.png").stat().st_size > 5_000
