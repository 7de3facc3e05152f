"""The console in a real browser: headless Chromium (Debian's ``chromium`` and
``chromium-driver``, installed by ``make browser``) driven by Selenium against the API served
over HTTP with a worker. An agent signs in with the keyboard, opens a handoff, replies, and sees
the reply in the timeline (and the customer gets it at the fake Twilio); a marketer sees the
journeys. Each page's screenshot is saved to docs/console/*.png (the README shows them).

Every wait is bounded: WebDriverWait's timeout, the page-load timeout, ``eventually``."""

from __future__ import annotations

import asyncio
import shutil
from pathlib import Path

import pytest

from api.main import create_app
from switchboard.access import Role
from switchboard.db.access import create_key
from switchboard.db.engine import Database
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
    settings = h.settings.model_copy(update={"temporal_address": address, "inbox_relay": False})
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
