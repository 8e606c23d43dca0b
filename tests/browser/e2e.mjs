// End-to-end test of samspil's main flow in Debian's headless Chromium,
// against `samspil demo`:
//
//   1. community staff create a task (its title carries markup that must show
//      as text), give it a required question and publish it;
//   2. a municipality (user-751, Aarhus) starts it, is refused completion
//      while the question is unanswered, answers it and completes it;
//   3. staff see the totals change on the task page and in the task list;
//   4. the language switch turns the pages English and back;
//   5. axe-core (WCAG 2.1 AA) on the states only this flow reaches: a draft,
//      a refused change with its message, a completed task, English;
//   3a. staff edit the draft, then the published task: refused without a
//      reason (the text kept), saved with one into its history; the answered
//      question's kind locked, its text refused without a reason too;
//   3b. the task as a PDF file, a question in Aarhus' thread answered by
//      staff, and a calendar address read without a session, then revoked;
//   6. a keyboard-only walk-through: admin-101 (København) logs in, finds the
//      task, answers and completes it with Tab, arrow keys, Space and Enter
//      only, every focus stop visibly focused; the totals change again.
//
// A screenshot of each main page is kept in $SAMSPIL_E2E_ARTIFACTS
// (default tests/browser/artifacts/).
//
// Usage:
//   SAMSPIL_URL=http://127.0.0.1:8080 SAMSPIL_API_TOKEN=samspil_… node e2e.mjs
// The token is a staff token (`samspil token create --user staff`): the pages
// have no question editor, so the question is added through the JSON API.
// Prints "e2e: N passed, N failed" and exits non-zero on any failure.

import { chromium } from "playwright-core";
import { AxeBuilder } from "@axe-core/playwright";
import { mkdirSync } from "node:fs";
import { strict as assert } from "node:assert";
import { completeSecondFactor } from "./totp.mjs";

const base = process.env.SAMSPIL_URL ?? "http://127.0.0.1:8080";
const password = process.env.SAMSPIL_DEMO_PASSWORD ?? "samspil-demo";
const token = process.env.SAMSPIL_API_TOKEN;
const shots = process.env.SAMSPIL_E2E_ARTIFACTS
  ?? new URL("./artifacts/", import.meta.url).pathname;
mkdirSync(shots, { recursive: true });

if (!token) {
  console.error("e2e: set SAMSPIL_API_TOKEN to a staff token (samspil token create --user staff)");
  process.exit(2);
}

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
  args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--no-first-run"],
});

let passed = 0;
let failed = 0;

/** Runs one step of the flow; a failed step ends the flow (later steps need it). */
async function step(name, fn) {
  const started = Date.now();
  try {
    await fn();
    passed += 1;
    console.log(`ok   ${name} (${Date.now() - started} ms)`);
  } catch (error) {
    failed += 1;
    console.log(`FAIL ${name}\n     ${String(error?.stack ?? error).split("\n").join("\n     ")}`);
    throw error;
  }
}

async function shot(page, name) {
  await page.screenshot({ path: `${shots}${name}.png`, fullPage: true });
}

/** axe-core at WCAG 2.1 A/AA on the states of a page only this flow reaches
 * (a draft, a refused status change, a completed task); a11y.mjs covers the
 * pages as they first appear. */
async function accessible(page, name) {
  const results = await new AxeBuilder({ page })
    .withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"])
    .analyze();
  const found = results.violations.map((v) =>
    `${v.id}: ${v.help} (${v.nodes.slice(0, 3).map((n) => n.target.join(" ")).join(", ")})`);
  assert.deepEqual(found, [], `axe-core on ${name}`);
}

async function newPage() {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  // A page must never run script of its own inline (CSP) nor fail to load a resource.
  const problems = [];
  // (A refused form answers its page with 422 on purpose; the browser logs
  // that as a failed load, so responses are judged here instead.)
  page.on("console", (m) => {
    if (m.type() === "error" && !m.text().startsWith("Failed to load resource")) problems.push(m.text());
  });
  page.on("pageerror", (e) => problems.push(String(e)));
  page.on("response", (r) => {
    const navigation = r.request().isNavigationRequest();
    if (r.status() >= 500 || (!navigation && r.status() >= 400)) problems.push(`${r.status()} ${r.url()}`);
  });
  return { context, page, problems };
}

async function logIn(page, login) {
  await page.goto(`${base}/login`);
  await page.fill("#login", login);
  await page.fill("#password", password);
  await Promise.all([page.waitForNavigation(), page.click("button[type=submit].button-primary")]);
  if (login === "staff") {
    // Staff's password alone opens nothing: the code from the app follows.
    assert.equal(new URL(page.url()).pathname, "/login/kode", "staff are asked for a code");
    await completeSecondFactor(page, base);
  }
  assert.equal(new URL(page.url()).pathname, "/", `${login} lands on the front page`);
}

/** The counts under a published task's chart: {completed, started, not_started, total}. */
async function counts(page) {
  const numbers = await page.$$eval("figure.status-chart + p strong",
    (els) => els.map((e) => Number(e.textContent.trim())));
  assert.equal(numbers.length, 4, "the task page shows four counts");
  const [completed, started, not_started, total] = numbers;
  return { completed, started, not_started, total };
}

async function navTexts(page) {
  return page.$$eval("nav.nav a", (links) => links.map((a) => a.textContent.trim()));
}

async function api(method, path, body) {
  const response = await fetch(`${base}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  assert.ok(response.ok, `${method} ${path}: ${response.status} ${text}`);
  return JSON.parse(text);
}

async function expectClean(problems, where) {
  assert.deepEqual(problems, [], `no console errors, script errors or 5xx on ${where}`);
}

const stamp = Date.now().toString(36).toUpperCase();
const code = `E2E-${stamp}`;
const title = `Indfør <script>window.__samspilXss = 1</script> & "MitID" ${stamp}`;
let taskId;
let questionId;
let published;

try {
  // ---- 1. Community staff create, question and publish a task. ----
  const staff = await newPage();
  await step("staff log in and see the front page", async () => {
    await logIn(staff.page, "staff");
    await shot(staff.page, "staff-home");
    // The staff's own front page (issue 14): near deadlines, changes, empty roles.
    for (const id of ["home-near", "home-changes", "home-gaps"]) {
      assert.ok(await staff.page.$(`#${id}`), `the front page has #${id}`);
    }
  });

  await step("staff create a task as a draft; the <script> in its title shows as text", async () => {
    const { page } = staff;
    await page.goto(`${base}/opgaver`);
    await shot(page, "staff-tasks");
    await Promise.all([page.waitForNavigation(), page.click("a[href='/opgaver/ny']")]);
    await shot(page, "staff-task-new");
    const project = await page.$eval("#new-project_id option", (o) => o.value);
    await page.selectOption("#new-project_id", project);
    await page.fill("#new-code", code);
    await page.fill("#new-title", title);
    await page.fill("#new-description", "Oprettet af browsertesten.");
    await page.selectOption("#new-type", "critical");
    await page.fill("#new-start", "2030-01-01");
    await page.fill("#new-end", "2030-06-30");
    await Promise.all([page.waitForNavigation(), page.click("form[action='/opgaver/ny'] button[type=submit]")]);
    const match = new URL(page.url()).pathname.match(/^\/opgaver\/(\d+)$/);
    assert.ok(match, `redirected to the new task, got ${page.url()}`);
    taskId = Number(match[1]);
    const heading = await page.textContent("h1");
    assert.ok(heading.includes("<script>window.__samspilXss = 1</script>"), `title shown as text: ${heading}`);
    assert.equal(await page.evaluate(() => window.__samspilXss), undefined, "the title's script never ran");
    assert.equal(await page.$("h1 script"), null, "no script element in the heading");
    await shot(page, "staff-task-draft");
    await accessible(page, "the draft task");
  });

  await step("staff edit the draft: everything may change, no reason asked, the change confirmed", async () => {
    const { page } = staff;
    await page.goto(`${base}/opgaver/${taskId}/rediger`);
    assert.equal(await page.$("#edit-reason"), null, "a draft asks no reason");
    assert.equal(await page.getAttribute("#edit-code", "readonly"), null, "a draft's code may change");
    assert.equal(await page.inputValue("#edit-title"), title, "the title as typed, markup and all");
    await shot(page, "staff-task-edit-draft");
    await accessible(page, "the draft's edit page");
    await page.fill("#edit-description", "Oprettet af browsertesten. Rettet i kladden.");
    await Promise.all([page.waitForNavigation(), page.click("form#edit button[type=submit]")]);
    assert.equal(new URL(page.url()).pathname, `/opgaver/${taskId}`);
    assert.ok(await page.$(".alert-success"), "the change is confirmed");
    assert.ok((await page.textContent("main")).includes("Rettet i kladden."), "the new description is shown");
    assert.equal(await page.evaluate(() => window.__samspilXss), undefined, "the title's script never ran");
  });

  await step("staff add a required yes/no question (JSON API) and publish the task", async () => {
    const { page } = staff;
    const question = await api("POST", `/api/v1/tasks/${taskId}/questions`,
      { prompt: "Er MitID-løsningen testet?", kind: "yes_no", required: true });
    questionId = question.id;
    await page.reload();
    // Publishing to every municipality of the project asks first.
    await Promise.all([page.waitForNavigation(), page.click(`a[href='/opgaver/${taskId}/bekraeft/publicer']`)]);
    assert.equal(new URL(page.url()).pathname, `/opgaver/${taskId}/bekraeft/publicer`);
    await accessible(page, "the confirmation before publishing");
    await Promise.all([page.waitForNavigation(), page.click(`form[action='/opgaver/${taskId}/publicer'] button[type=submit]`)]);
    assert.equal(new URL(page.url()).pathname, `/opgaver/${taskId}`);
    published = await counts(page);
    assert.ok(published.total > 0, "published to the project's municipalities");
    assert.equal(published.not_started, published.total, "nobody has started yet");
    assert.equal(published.completed, 0);
    await shot(page, "staff-task-published");
  });

  await step("staff's other main pages render: status, progress, organisations", async () => {
    const { page } = staff;
    for (const [path, name] of [["/status", "staff-status"], ["/status/fremdrift", "staff-progress"],
                                ["/organisationer", "staff-organisations"]]) {
      const response = await page.goto(`${base}${path}`);
      assert.equal(response.status(), 200, path);
      await shot(page, name);
    }
    await expectClean(staff.problems, "staff's pages");
  });

  // ---- 2. A municipality answers and completes it. ----
  const aarhus = await newPage();
  await step("user-751 (Aarhus) finds the new task in its list", async () => {
    const { page } = aarhus;
    await logIn(page, "user-751");
    // The person's own front page: open tasks, deadlines, given to me, messages.
    for (const id of ["home-open", "home-upcoming", "home-mine", "home-messages"]) {
      assert.ok(await page.$(`#${id}`), `the front page has #${id}`);
    }
    await shot(page, "municipality-home");
    await page.goto(`${base}/opgaver`);
    await shot(page, "municipality-tasks");
    // The filters are folded away until asked for.
    await page.click("details.task-filters-details > summary");
    await page.fill("#filter-q", code);
    await Promise.all([page.waitForNavigation(), page.press("#filter-q", "Enter")]);
    await Promise.all([page.waitForNavigation(), page.click(`table a[href='/opgaver/${taskId}']`)]);
    assert.ok((await page.textContent("h1")).includes(stamp));
    await shot(page, "municipality-task");
  });

  await step("user-751 starts the task; completing it is refused while the question is unanswered", async () => {
    const { page } = aarhus;
    await page.check("#status-started");
    await Promise.all([page.waitForNavigation(), page.click(`form[action='/opgaver/${taskId}/status'] button`)]);
    assert.ok(await page.isChecked("#status-started"), "the status is started");
    await page.check("#status-completed");
    const [response] = await Promise.all([
      page.waitForNavigation(), page.click(`form[action='/opgaver/${taskId}/status'] button`)]);
    assert.equal(response.status(), 422, "completion refused");
    // Refused in place: the summary at the top, the choice kept as typed.
    assert.ok(await page.$("#error-summary"), "the error summary is shown");
    assert.ok(await page.isChecked("#status-completed"), "the chosen status is kept");
    await shot(page, "municipality-task-refused");
    await accessible(page, "the refused status change");
  });

  await step("user-751 answers the question and completes the task", async () => {
    const { page } = aarhus;
    await page.check(`#q-${questionId}-yes`);
    await Promise.all([page.waitForNavigation(), page.click(`form[action='/opgaver/${taskId}/svar'] button`)]);
    assert.ok(await page.isChecked(`#q-${questionId}-yes`), "the answer is kept");
    await page.check("#status-completed");
    const [response] = await Promise.all([
      page.waitForNavigation(), page.click(`form[action='/opgaver/${taskId}/status'] button`)]);
    assert.equal(response.status(), 200);
    assert.ok(await page.isChecked("#status-completed"), "the status is completed");
    await shot(page, "municipality-task-completed");
    await accessible(page, "the completed task");
    await expectClean(aarhus.problems, "the municipality's pages");
  });

  // ---- 3. Staff see the totals change. ----
  await step("staff see the totals change: one more completed, one fewer not started", async () => {
    const { page } = staff;
    await page.goto(`${base}/opgaver/${taskId}`);
    const now = await counts(page);
    assert.deepEqual(now, { ...published, completed: published.completed + 1,
                            not_started: published.not_started - 1 });
    await page.click("details summary");  // the municipalities behind "completed"
    const completedList = await page.$$eval("details[open] a", (links) => links.map((a) => a.textContent.trim()));
    assert.ok(completedList.includes("Aarhus"), `Aarhus is listed as completed: ${completedList}`);
    await page.goto(`${base}/opgaver?q=${encodeURIComponent(code)}`);
    const row = await page.$$eval(`table a[href='/opgaver/${taskId}']`,
      (links) => [...links[0].closest("tr").querySelectorAll("td")].map((td) => td.textContent.trim()));
    assert.deepEqual(row.slice(-3), [String(published.completed + 1), "0", String(published.not_started - 1)],
      `the task list's counts: ${row}`);
    await shot(page, "staff-task-totals");
  });

  await step("staff edit the published task: refused without a reason keeping the text, saved with one into its history; the answered question keeps its kind", async () => {
    const { page } = staff;
    await page.goto(`${base}/opgaver/${taskId}/rediger`);
    assert.ok(await page.getAttribute("#edit-code", "readonly") !== null, "the code is fixed once published");
    // Aarhus has answered the question: its text may change, not its kind.
    assert.equal(await page.$(`#question-${questionId}-kind`), null, "the answered question's kind is locked");
    assert.ok(await page.$(`#question-${questionId}-prompt`), "its text can still be corrected");
    await shot(page, "staff-task-edit-published");
    await accessible(page, "the published task's edit page");
    const description = "Oprettet af browsertesten. Rettet efter publicering.";
    await page.fill("#edit-description", description);
    const [refused] = await Promise.all([
      page.waitForNavigation(), page.click("form#edit button[type=submit]")]);
    assert.equal(refused.status(), 422, "a published task's change needs a reason");
    assert.ok(await page.$("#error-summary a[href='#edit-reason']"), "the summary links to the reason");
    assert.equal(await page.inputValue("#edit-description"), description, "the typed text is kept");
    await shot(page, "staff-task-edit-refused");
    await accessible(page, "the refused change of a published task");
    const reason = `Browsertesten retter beskrivelsen ${stamp}`;
    await page.fill("#edit-reason", reason);
    await Promise.all([page.waitForNavigation(), page.click("form#edit button[type=submit]")]);
    assert.equal(new URL(page.url()).pathname, `/opgaver/${taskId}`);
    assert.ok(await page.$(".alert-success"), "the change is confirmed");
    const text = await page.textContent("main");
    assert.ok(text.includes("Rettet efter publicering."), "the new description is shown");
    assert.ok(text.includes(reason), "the reason is in the task's history");
    // The answered question's text: likewise refused without a reason.
    await page.goto(`${base}/opgaver/${taskId}/rediger`);
    await page.fill(`#question-${questionId}-prompt`, "Er MitID-løsningen testet i produktion?");
    const [questionRefused] = await Promise.all([
      page.waitForNavigation(), page.click(`form#question-${questionId} button[type=submit]`)]);
    assert.equal(questionRefused.status(), 422, "the question's change needs a reason");
    assert.equal(await page.inputValue(`#question-${questionId}-prompt`),
      "Er MitID-løsningen testet i produktion?", "the typed text is kept");
    await accessible(page, "the refused change of an answered question");
    await page.fill(`#question-${questionId}-reason`, "Præciseret af browsertesten.");
    await Promise.all([page.waitForNavigation(), page.click(`form#question-${questionId} button[type=submit]`)]);
    assert.equal(new URL(page.url()).pathname, `/opgaver/${taskId}`);
    assert.ok((await page.textContent("main")).includes("Er MitID-løsningen testet i produktion?"));
    await expectClean(staff.problems, "the edit pages");
  });

  // ---- 3b. The task as a PDF, a two-way comment, the calendar feed (issue 14). ----
  await step("user-751 saves the task as a PDF file", async () => {
    const { page } = aarhus;
    await page.goto(`${base}/opgaver/${taskId}`);
    const href = await page.getAttribute(`a[href='/opgaver/${taskId}/opgave.pdf']`, "href");
    assert.ok(href, "the page links its PDF");
    const response = await page.request.get(`${base}${href}`);
    assert.equal(response.status(), 200);
    assert.equal(response.headers()["content-type"], "application/pdf");
    const body = await response.body();
    assert.equal(body.subarray(0, 5).toString("latin1"), "%PDF-", "a PDF file");
  });

  await step("user-751 asks in the task's thread; staff reply there; Aarhus reads the reply", async () => {
    const question = `Gælder det også Aarhus Vand? ${stamp}`;
    const reply = `Ja, Aarhus Vand er med. ${stamp}`;
    await aarhus.page.fill("#comment-body", question);
    await Promise.all([aarhus.page.waitForNavigation(),
      aarhus.page.click(`form[action='/opgaver/${taskId}/kommentarer'] button`)]);
    assert.ok((await aarhus.page.textContent(".task-comments")).includes(question));
    const { page } = staff;
    await page.goto(`${base}/opgaver/${taskId}`);
    assert.ok((await page.textContent(".task-comments")).includes(question), "staff read the question");
    await page.fill(`form[action='/opgaver/${taskId}/kommentarer'] textarea`, reply);
    await Promise.all([page.waitForNavigation(),
      page.click(`form[action='/opgaver/${taskId}/kommentarer'] button`)]);
    await shot(page, "staff-task-thread");
    await accessible(page, "the staff's reply in a thread");
    await aarhus.page.goto(`${base}/opgaver/${taskId}`);
    assert.ok((await aarhus.page.textContent(".task-comment-community")).includes(reply),
      "the reply is shown as the community's");
    await shot(aarhus.page, "municipality-task-thread");
  });

  await step("user-751 makes a calendar address, a calendar reads it without a session, revoked it is gone", async () => {
    const { page } = aarhus;
    await page.goto(`${base}/konto/kalender`);
    await Promise.all([page.waitForNavigation(),
      page.click("form[action='/konto/kalender'] button[type=submit]")]);
    const url = await page.inputValue("#calendar-url");
    assert.match(url, /\/kalender\/[A-Za-z0-9_-]{43}\.ics$/);
    await shot(page, "municipality-calendar-created");
    await accessible(page, "the new calendar address");
    const feedUrl = `${base}${new URL(url).pathname}`;
    const feed = await fetch(feedUrl);  // no cookies, as a calendar program
    assert.equal(feed.status, 200);
    assert.match(feed.headers.get("content-type"), /^text\/calendar/);
    const text = await feed.text();
    assert.ok(text.startsWith("BEGIN:VCALENDAR\r\n"), "an iCalendar file");
    assert.ok(text.includes("BEGIN:VEVENT\r\n"), "with Aarhus' open deadlines");
    await Promise.all([page.waitForNavigation(),
      page.click("form[action='/konto/kalender/tilbagekald'] button[type=submit]")]);
    assert.equal((await fetch(feedUrl)).status, 404, "a revoked address is not found");
    await expectClean(aarhus.problems, "the municipality's pages");
  });

  // ---- 4. Language switch. ----
  await step("the language switch turns the pages English and back to Danish", async () => {
    const { page } = staff;
    await page.goto(`${base}/opgaver/${taskId}`);
    assert.equal(await page.getAttribute("html", "lang"), "da");
    await Promise.all([page.waitForNavigation(), page.click(".samspil-session a[hreflang='en']")]);
    assert.equal(new URL(page.url()).pathname, `/opgaver/${taskId}`, "stays on the same page");
    assert.equal(await page.getAttribute("html", "lang"), "en");
    assert.ok((await navTexts(page)).includes("Tasks"), "English navigation");
    assert.ok((await page.textContent("main, body")).includes("Completed"), "English statuses");
    await shot(page, "en-staff-task");
    await accessible(page, "the English task page");
    for (const [path, name] of [["/", "en-staff-home"], ["/opgaver", "en-staff-tasks"], ["/status", "en-staff-status"]]) {
      await page.goto(`${base}${path}`);
      assert.equal(await page.getAttribute("html", "lang"), "en", path);
      await shot(page, name);
    }
    await Promise.all([page.waitForNavigation(), page.click(".samspil-session a[hreflang='da']")]);
    assert.equal(await page.getAttribute("html", "lang"), "da");
    assert.ok((await navTexts(page)).includes("Opgaver"), "Danish navigation again");
  });

  // ---- 5. Keyboard only. ----
  const kbd = await newPage();
  const stops = [];

  /** Presses Tab until the focused element matches `selector`; fails after `max` presses. */
  async function tabTo(selector, max = 120) {
    for (let i = 0; i < max; i += 1) {
      await kbd.page.keyboard.press("Tab");
      const here = await focused();
      stops.push(here);
      if (await kbd.page.evaluate((s) => document.activeElement?.matches(s) ?? false, selector)) {
        assert.ok(here.visible, `focus on ${here.desc} is visible`);
        return;
      }
    }
    throw new Error(`Tab never reached ${selector} on ${kbd.page.url()}`);
  }

  /** The focused element and whether it shows a focus indicator. */
  async function focused() {
    return kbd.page.evaluate(() => {
      const el = document.activeElement;
      if (!el || el === document.body) return { desc: "body", visible: true };
      const desc = `${el.tagName.toLowerCase()}${el.id ? `#${el.id}` : ""}${el.getAttribute("href") ? `[href=${el.getAttribute("href")}]` : ""}`;
      const drawn = (style) => (style.outlineStyle !== "none" && parseFloat(style.outlineWidth) > 0)
        || (style.boxShadow && style.boxShadow !== "none");
      let visible = drawn(getComputedStyle(el));
      // DKFDS hides radio and check boxes and draws their focus on the label.
      if (!visible && (el.type === "radio" || el.type === "checkbox") && el.id) {
        const label = document.querySelector(`label[for="${el.id}"]`);
        visible = label && (drawn(getComputedStyle(label)) || drawn(getComputedStyle(label, "::before")));
      }
      return { desc, visible: Boolean(visible) };
    });
  }

  async function pressAndWait(key) {
    await Promise.all([kbd.page.waitForNavigation(), kbd.page.keyboard.press(key)]);
  }

  await step("keyboard: the first Tab stop is the skip link, and it moves focus to the content", async () => {
    const { page } = kbd;
    await page.goto(`${base}/login`);
    await tabTo("a.skipnav", 1);
    await page.keyboard.press("Enter");
    assert.equal(new URL(page.url()).hash, "#main-content");
  });

  await step("keyboard: admin-101 logs in with Tab, typing and Enter", async () => {
    const { page } = kbd;
    await tabTo("#login");
    await page.keyboard.type("admin-101");
    await tabTo("#password", 1);
    await page.keyboard.type(password);
    await pressAndWait("Enter");
    assert.equal(new URL(page.url()).pathname, "/");
  });

  await step("keyboard: to the task list, search for the task and open it", async () => {
    const { page } = kbd;
    await tabTo("nav.nav a[href='/opgaver']");
    await pressAndWait("Enter");
    // Enter on the fold's summary opens the filters.
    await tabTo("details.task-filters-details > summary");
    await page.keyboard.press("Enter");
    await tabTo("#filter-q");
    await page.keyboard.type(code);
    await pressAndWait("Enter");
    await tabTo(`a[href='/opgaver/${taskId}']`);
    await pressAndWait("Enter");
    assert.equal(new URL(page.url()).pathname, `/opgaver/${taskId}`);
  });

  await step("keyboard: answer the question with Space and save it with Enter", async () => {
    const { page } = kbd;
    await tabTo(`input[name='q-${questionId}']`);
    // Space picks the first radio of a group that has none checked: "yes".
    await page.keyboard.press("Space");
    assert.ok(await page.isChecked(`#q-${questionId}-yes`), "yes is chosen");
    await tabTo(`form[action='/opgaver/${taskId}/svar'] button`);
    await pressAndWait("Enter");
    assert.ok(await page.isChecked(`#q-${questionId}-yes`), "the answer is saved");
  });

  await step("keyboard: set the status with the arrow keys to started, then completed", async () => {
    const { page } = kbd;
    for (const next of ["started", "completed"]) {
      await tabTo("input[name='status']");
      await page.keyboard.press("ArrowDown");
      assert.ok(await page.isChecked(`#status-${next}`), `arrow moves to ${next}`);
      await tabTo(`form[action='/opgaver/${taskId}/status'] button`);
      await pressAndWait("Enter");
      assert.ok(await page.isChecked(`#status-${next}`), `saved as ${next}`);
    }
    await shot(page, "keyboard-task-completed");
    await expectClean(kbd.problems, "the keyboard walk-through");
  });

  await step("keyboard: every focus stop on the way was visibly focused", async () => {
    const hidden = stops.filter((s) => !s.visible).map((s) => s.desc);
    assert.deepEqual([...new Set(hidden)], [], "focus stops without a visible focus indicator");
    console.log(`     ${stops.length} Tab presses`);
  });

  await step("staff see the second completion in the totals", async () => {
    const { page } = staff;
    await page.goto(`${base}/opgaver/${taskId}`);
    const now = await counts(page);
    assert.equal(now.completed, published.completed + 2);
    assert.equal(now.not_started, published.not_started - 2);
    await expectClean(staff.problems, "staff's pages");
  });
} catch {
  // The failure is reported by step(); the flow stops there.
} finally {
  await browser.close();
}

console.log(`e2e: ${passed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
