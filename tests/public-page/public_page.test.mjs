// End-to-end test of the public customer-care page: a real caredesk-server on a fresh
// PostgreSQL database, driven by a real headless Chromium (Debian's /usr/bin/chromium;
// no browser is ever downloaded).
//
//   CAREDESK_SERVER_BIN=/path/to/caredesk-server npm test
//
// Environment:
//   CAREDESK_SERVER_BIN  the built caredesk-server binary (required)
//   PG_ADMIN_URL         a superuser connection (default postgres://postgres@127.0.0.1:5432/postgres)
//   CHROMIUM_PATH        the browser (default /usr/bin/chromium)
//
// The suite creates database caredesk_e2e_<random>, migrates it, runs the server as a new
// login caredesk_web_<random> that is only a member of caredesk_intake (least privilege),
// and removes both afterwards.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import net from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';
import { chromium } from 'playwright-core';

const SERVER_BIN = process.env.CAREDESK_SERVER_BIN;
const PG_ADMIN_URL = process.env.PG_ADMIN_URL || 'postgres://postgres@127.0.0.1:5432/postgres';
const CHROMIUM_PATH = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

const HEALTH_TIMEOUT_MS = 20_000;
const MIGRATE_TIMEOUT_MS = 120_000;
const TEST_TIMEOUT_MS = 60_000;
const API_PATH = '/api/customer-care/report';
const PAGE_PATH = '/customer-care';
const FIELDS = ['name', 'email', 'phone', 'order_id', 'issue_type', 'priority', 'description'];

const suffix = randomBytes(6).toString('hex');
const dbName = `caredesk_e2e_${suffix}`;
const webLogin = `caredesk_web_${suffix}`;
const webPassword = randomBytes(12).toString('hex');

let admin; // pg.Client on the maintenance database, as the superuser
let db; // pg.Client on the test database, as the superuser (to look behind the server's back)
let server; // the caredesk-server child process
let serverLog = '';
let baseUrl;
let browser;
let createdDatabase = false;
let createdLogin = false;

// ---- helpers ---------------------------------------------------------------------------

/** PG_ADMIN_URL with another user, password and/or database. */
function pgUrl({ user, password, database } = {}) {
  const url = new URL(PG_ADMIN_URL);
  if (user !== undefined) url.username = encodeURIComponent(user);
  if (password !== undefined) url.password = encodeURIComponent(password);
  if (database !== undefined) url.pathname = `/${encodeURIComponent(database)}`;
  return url.toString();
}

function appendLog(chunk) {
  serverLog += chunk.toString();
  if (serverLog.length > 200_000) serverLog = serverLog.slice(-100_000);
}

function freePort() {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.unref();
    probe.on('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address();
      probe.close(() => resolve(port));
    });
  });
}

function run(bin, args, env, timeout) {
  return new Promise((resolve, reject) => {
    execFile(bin, args, { env, timeout, maxBuffer: 10 * 1024 * 1024 }, (error, stdout, stderr) => {
      if (error) {
        reject(new Error(`${bin} ${args.join(' ')} failed: ${error.message}\n--- stdout\n${stdout}\n--- stderr\n${stderr}`));
      } else {
        resolve({ stdout, stderr });
      }
    });
  });
}

async function waitForHealth() {
  const deadline = Date.now() + HEALTH_TIMEOUT_MS;
  let last = 'no answer yet';
  while (Date.now() < deadline) {
    if (server.exitCode !== null || server.signalCode !== null) {
      throw new Error(`caredesk-server exited (${server.exitCode ?? server.signalCode}) before it was healthy:\n${serverLog}`);
    }
    try {
      const res = await fetch(`${baseUrl}/healthz`, { signal: AbortSignal.timeout(2_000) });
      if (res.status === 200) return;
      last = `HTTP ${res.status}`;
    } catch (error) {
      last = error.message;
    }
    await sleep(200);
  }
  throw new Error(`caredesk-server was not healthy within ${HEALTH_TIMEOUT_MS} ms (last: ${last}):\n${serverLog}`);
}

async function stopServer() {
  if (!server || server.exitCode !== null || server.signalCode !== null) return;
  const exited = new Promise((resolve) => server.once('exit', resolve));
  server.kill('SIGTERM');
  const result = await Promise.race([exited.then(() => 'exited'), sleep(5_000).then(() => 'timeout')]);
  if (result === 'timeout') {
    server.kill('SIGKILL');
    await Promise.race([exited, sleep(2_000)]);
  }
}

async function countIssues() {
  const { rows } = await db.query('SELECT count(*)::int AS n FROM customer_care');
  return rows[0].n;
}

async function issueById(id) {
  const { rows } = await db.query('SELECT * FROM customer_care WHERE id = $1', [id]);
  return rows[0];
}

/** A fresh browser context and page; problems collects console errors (CSP violations among them). */
async function openPage(t, { javaScriptEnabled = true, viewport = { width: 1280, height: 900 } } = {}) {
  const context = await browser.newContext({ javaScriptEnabled, viewport });
  context.setDefaultTimeout(10_000);
  context.setDefaultNavigationTimeout(15_000);
  t.after(() => context.close().catch(() => {}));
  const page = await context.newPage();
  const problems = [];
  page.on('console', (msg) => {
    if (msg.type() === 'error') problems.push(`console error: ${msg.text()}`);
  });
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  page.on('dialog', (dialog) => {
    problems.push(`dialog: ${dialog.type()} ${dialog.message()}`);
    dialog.dismiss().catch(() => {});
  });
  return { page, problems };
}

async function gotoForm(page) {
  const response = await page.goto(`${baseUrl}${PAGE_PATH}`, { waitUntil: 'load' });
  assert.equal(response.status(), 200, 'GET /customer-care answers 200');
  return response;
}

const VALID = {
  name: 'Erika Mustermann',
  email: 'erika.mustermann@example.com',
  phone: '0151 23456789',
  order_id: 'ORD-2024-0042',
  issue_type: 'damaged',
  priority: 'high',
  description: 'The parcel arrived with a crushed corner and the mug inside was broken in two.',
};

async function fillForm(page, values) {
  for (const field of FIELDS) {
    if (!(field in values)) continue;
    const control = page.getByTestId(`field-${field}`);
    if (field === 'issue_type' || field === 'priority') await control.selectOption(values[field]);
    else await control.fill(values[field]);
  }
}

/** Turns off the browser's own constraint validation (works with page JavaScript disabled too). */
async function disableBrowserValidation(page) {
  await page.locator(`form[action="${PAGE_PATH}"]`).evaluate((form) => {
    form.noValidate = true;
  });
}

/** Console problems, less Chrome's "Failed to load resource" line for a 4xx the test provoked. */
const unexpected = (problems, { expect4xx = false } = {}) =>
  problems.filter((p) => !(expect4xx && /Failed to load resource: the server responded with a status of 4\d\d/.test(p)));

/** Polls fn until it returns true (for conditions Playwright's waitFor cannot express). */
async function eventually(fn, message, timeout = 5_000) {
  const deadline = Date.now() + timeout;
  for (;;) {
    if (await fn()) return;
    if (Date.now() > deadline) assert.fail(`timed out after ${timeout} ms: ${message}`);
    await sleep(100);
  }
}

const errorText = async (page, field) => ((await page.getByTestId(`error-${field}`).textContent()) ?? '').trim();
const isApiRequest = (request) => new URL(request.url()).pathname === API_PATH;
const isPagePost = (response) =>
  response.request().method() === 'POST' && new URL(response.url()).pathname === PAGE_PATH;

// ---- fixture ---------------------------------------------------------------------------

before(
  async () => {
    assert.ok(SERVER_BIN, 'set CAREDESK_SERVER_BIN to the built caredesk-server binary');

    admin = new pg.Client({ connectionString: PG_ADMIN_URL });
    await admin.connect();
    // Identifiers are made of [a-z0-9_] only, so quoting them is enough.
    await admin.query(`CREATE DATABASE "${dbName}"`);
    createdDatabase = true;

    const migrateEnv = { ...process.env, DATABASE_URL: pgUrl({ database: dbName }) };
    await run(SERVER_BIN, ['migrate'], migrateEnv, MIGRATE_TIMEOUT_MS);

    await admin.query(`CREATE ROLE "${webLogin}" LOGIN PASSWORD '${webPassword}' IN ROLE caredesk_intake`);
    createdLogin = true;

    db = new pg.Client({ connectionString: pgUrl({ database: dbName }) });
    await db.connect();

    const port = await freePort();
    baseUrl = `http://127.0.0.1:${port}`;
    server = spawn(SERVER_BIN, [], {
      env: {
        ...process.env,
        DATABASE_URL: pgUrl({ user: webLogin, password: webPassword, database: dbName }),
        CAREDESK_BIND: `127.0.0.1:${port}`,
        CAREDESK_REPORTS_PER_MINUTE: '0',
        CAREDESK_PHONE_REGION: 'DE',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    server.stdout.on('data', appendLog);
    server.stderr.on('data', appendLog);
    server.on('error', (error) => appendLog(`spawn error: ${error.message}\n`));
    await waitForHealth();

    browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS, timeout: 30_000 });
  },
  { timeout: MIGRATE_TIMEOUT_MS + HEALTH_TIMEOUT_MS + 60_000 },
);

after(
  async () => {
    const steps = [
      () => browser?.close(),
      () => db?.end(),
      () => stopServer(),
      () => createdDatabase && admin.query(`DROP DATABASE IF EXISTS "${dbName}" WITH (FORCE)`),
      () => createdLogin && admin.query(`DROP ROLE IF EXISTS "${webLogin}"`),
      () => admin?.end(),
    ];
    const failures = [];
    for (const step of steps) {
      try {
        await step();
      } catch (error) {
        failures.push(error);
      }
    }
    if (failures.length) throw new AggregateError(failures, 'cleanup failed');
  },
  { timeout: 30_000 },
);

// Never leave a server behind, even if the runner is interrupted.
process.on('exit', () => {
  if (server && server.exitCode === null && server.signalCode === null) server.kill('SIGKILL');
});

// ---- tests -----------------------------------------------------------------------------

test('the server connects as the least-privileged intake login', { timeout: TEST_TIMEOUT_MS }, async () => {
  const { rows } = await db.query(
    'SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = $1 AND usename = $2',
    [dbName, webLogin],
  );
  assert.ok(rows[0].n >= 1, `caredesk-server holds a connection as ${webLogin}`);
  const { rows: roles } = await db.query(
    "SELECT rolsuper, rolcreaterole, rolcreatedb, pg_has_role(rolname, 'caredesk_intake', 'MEMBER') AS intake FROM pg_roles WHERE rolname = $1",
    [webLogin],
  );
  assert.deepEqual(roles[0], { rolsuper: false, rolcreaterole: false, rolcreatedb: false, intake: true });
});

test('the page renders the form, the FAQ and working support links', { timeout: TEST_TIMEOUT_MS }, async (t) => {
  const { page, problems } = await openPage(t);
  const assets = new Map();
  page.on('response', (res) => {
    const path = new URL(res.url()).pathname;
    if (path.startsWith('/static/')) assets.set(path, { status: res.status(), type: res.headers()['content-type'] ?? '' });
  });

  const response = await gotoForm(page);
  const headers = response.headers();
  assert.match(headers['content-type'] ?? '', /^text\/html/);
  assert.match(headers['content-security-policy'] ?? '', /default-src 'none'/, 'the page is served with the strict CSP');

  // Both files load under that CSP, with types the browser accepts.
  await page.locator('form[data-enhanced="true"]').waitFor({ state: 'attached' });
  assert.deepEqual(assets.get('/static/customer-care.css')?.status, 200);
  assert.match(assets.get('/static/customer-care.css').type, /^text\/css/);
  assert.deepEqual(assets.get('/static/customer-care.js')?.status, 200);
  assert.match(assets.get('/static/customer-care.js').type, /javascript/);

  assert.equal(await page.locator('h1').count(), 1);
  assert.match(await page.title(), /customer care/i);

  // The form posts to the page itself, so it works without JavaScript.
  const form = page.locator(`form[method="post"][action="${PAGE_PATH}"]`);
  assert.equal(await form.count(), 1);

  // Every field has a visible label, an error container, and aria-describedby pointing at it.
  for (const field of FIELDS) {
    const control = page.getByTestId(`field-${field}`);
    assert.equal(await control.getAttribute('name'), field, `${field} is posted as "${field}"`);
    assert.ok(await control.isVisible(), `${field} is visible`);
    const label = await control.evaluate((el) => (el.labels && el.labels[0] ? el.labels[0].textContent.trim() : ''));
    assert.ok(label.length > 0, `${field} has a <label>`);
    const describedBy = ((await control.getAttribute('aria-describedby')) ?? '').split(/\s+/);
    assert.ok(describedBy.includes(`error-${field}`), `${field} is described by its error container`);
    const box = page.getByTestId(`error-${field}`);
    assert.equal(await box.getAttribute('id'), `error-${field}`);
    assert.equal(await errorText(page, field), '', `${field} starts without an error`);
  }

  // Client-side validation attributes.
  for (const field of ['name', 'email', 'phone', 'issue_type', 'description']) {
    assert.notEqual(await page.getByTestId(`field-${field}`).getAttribute('required'), null, `${field} is required`);
  }
  assert.equal(await page.getByTestId('field-order_id').getAttribute('required'), null, 'order_id is optional');
  assert.equal(await page.getByTestId('field-email').getAttribute('type'), 'email');
  assert.equal(await page.getByTestId('field-phone').getAttribute('type'), 'tel');
  for (const field of ['name', 'email', 'phone', 'order_id', 'description']) {
    const max = Number(await page.getByTestId(`field-${field}`).getAttribute('maxlength'));
    assert.ok(max > 0, `${field} has a maxlength`);
  }
  const minDescription = Number(await page.getByTestId('field-description').getAttribute('minlength'));
  assert.ok(minDescription > 0, 'description has a minlength');

  // The seed's issue types and priorities, normal by default.
  const issueTypes = await page.getByTestId('field-issue_type').locator('option').evaluateAll((options) =>
    options.map((o) => o.value).filter(Boolean),
  );
  assert.deepEqual(issueTypes, ['not_received', 'quality', 'wrong_item', 'damaged', 'payment', 'refund', 'app', 'other']);
  const issueLabels = await page.getByTestId('field-issue_type').locator('option').allTextContents();
  assert.ok(issueLabels.some((l) => l.includes('📦') && l.includes('Order Not Received')), 'options show icon and label');
  const priorities = await page.getByTestId('field-priority').locator('option').evaluateAll((o) => o.map((x) => x.value));
  assert.deepEqual(priorities, ['normal', 'high', 'urgent']);
  assert.equal(await page.getByTestId('field-priority').inputValue(), 'normal');

  // The honeypot: present, out of sight, out of the tab order, hidden from assistive tech.
  const honeypot = page.locator('input[name="website"]');
  assert.equal(await honeypot.count(), 1);
  assert.equal(await honeypot.getAttribute('tabindex'), '-1');
  assert.equal(await honeypot.getAttribute('autocomplete'), 'off');
  assert.ok(await honeypot.evaluate((el) => el.closest('[aria-hidden="true"]') !== null), 'honeypot is aria-hidden');
  const box = await honeypot.boundingBox();
  assert.ok(!box || box.width <= 1 || box.x + box.width <= 0, `honeypot is visually hidden (${JSON.stringify(box)})`);

  // Support channels as real links.
  for (const prefix of ['tel:', 'https://wa.me/', 'mailto:']) {
    const link = page.locator(`a[href^="${prefix}"]`).first();
    assert.ok(await link.isVisible(), `a visible ${prefix} link`);
    assert.ok(((await link.textContent()) ?? '').trim().length > 0, `the ${prefix} link has text`);
  }

  // Shop hours and the response promise.
  assert.ok((await page.getByTestId('hours').locator('dt').count()) >= 1, 'shop hours are listed');
  assert.match(await page.locator('body').innerText(), /we answer within \d+ hours?/i);

  // FAQ accordion: closed at first, opens on click (a plain <details>, no script needed).
  const items = page.locator('details');
  assert.ok((await items.count()) >= 1, 'the FAQ has questions');
  const first = items.first();
  assert.equal(await first.evaluate((d) => d.open), false);
  await first.locator('summary').click();
  assert.equal(await first.evaluate((d) => d.open), true);
  assert.ok(await first.locator(':scope > :not(summary)').first().isVisible(), 'the answer shows');

  // The toast region is there for screen readers, but shows nothing yet.
  const toast = page.getByTestId('toast');
  assert.equal(await toast.getAttribute('role'), 'status');
  assert.equal(await toast.getAttribute('aria-live'), 'polite');
  assert.equal(await toast.isVisible(), false, 'an empty toast is not shown');

  assert.deepEqual(problems, [], 'no console errors (CSP violations) on load');
});

test('a valid report sent from the page is stored and its number shown', { timeout: TEST_TIMEOUT_MS }, async (t) => {
  const { page, problems } = await openPage(t);
  await gotoForm(page);
  await page.locator('form[data-enhanced="true"]').waitFor({ state: 'attached' });
  const before = await countIssues();

  await fillForm(page, VALID);
  const [request, response] = await Promise.all([
    page.waitForRequest((r) => isApiRequest(r) && r.method() === 'POST'),
    page.waitForResponse((r) => isApiRequest(r.request())),
    page.getByTestId('submit').click(),
  ]);

  assert.match(request.headers()['content-type'] ?? '', /^application\/json/);
  const sent = request.postDataJSON();
  for (const field of FIELDS) assert.equal(sent[field], VALID[field], `${field} is sent as typed`);
  assert.equal(sent.website, '', 'the honeypot is sent empty');

  assert.equal(response.status(), 201);
  const body = await response.json();
  assert.equal(body.success, true);
  assert.ok(Number.isInteger(body.issue_id) && body.issue_id > 0, 'issue_id is a positive integer');
  assert.equal(typeof body.message, 'string');

  const toast = page.getByTestId('toast');
  await toast.filter({ hasText: `#${body.issue_id}` }).waitFor();
  const toastText = await toast.innerText();
  assert.ok(toastText.includes(body.message.trim()), `the toast shows the server's message: ${toastText}`);

  // Ready for the next report: emptied, priority back to normal, button usable again.
  assert.equal(await page.getByTestId('field-name').inputValue(), '');
  assert.equal(await page.getByTestId('field-description').inputValue(), '');
  assert.equal(await page.getByTestId('field-priority').inputValue(), 'normal');
  assert.equal(await page.getByTestId('submit').isEnabled(), true);

  assert.equal(await countIssues(), before + 1);
  const row = await issueById(body.issue_id);
  assert.ok(row, 'the issue is in customer_care');
  for (const field of FIELDS) assert.equal(row[field], VALID[field], `${field} is stored`);
  assert.equal(row.status, 'open');
  if ('phone_e164' in row) assert.equal(row.phone_e164, '+4915123456789', 'the phone is normalised for region DE');

  assert.deepEqual(problems, []);
});

test('invalid input is explained at each field in the browser, nothing is sent', { timeout: TEST_TIMEOUT_MS }, async (t) => {
  const { page, problems } = await openPage(t);
  await gotoForm(page);
  await page.locator('form[data-enhanced="true"]').waitFor({ state: 'attached' });
  const apiCalls = [];
  page.on('request', (r) => {
    if (isApiRequest(r)) apiCalls.push(r);
  });
  const before = await countIssues();

  await fillForm(page, { ...VALID, email: 'not-an-email', description: 'Broken' });
  await page.getByTestId('submit').click();

  await page.getByTestId('error-email').filter({ hasText: /\S/ }).waitFor();
  await page.getByTestId('error-description').filter({ hasText: /\S/ }).waitFor();
  assert.match(await errorText(page, 'email'), /email/i);
  assert.match(await errorText(page, 'description'), /\d+/, 'the description message names the limit');
  assert.equal(await page.getByTestId('field-email').getAttribute('aria-invalid'), 'true');
  assert.equal(await page.getByTestId('field-description').getAttribute('aria-invalid'), 'true');
  for (const field of ['name', 'phone', 'order_id', 'issue_type', 'priority']) {
    assert.equal(await errorText(page, field), '', `${field} has no error`);
  }
  assert.equal(await page.evaluate(() => document.activeElement?.getAttribute('data-testid')), 'field-email');

  // Correcting a field clears its message.
  await page.getByTestId('field-email').fill(VALID.email);
  await eventually(async () => (await errorText(page, 'email')) === '', 'the email error clears');
  assert.equal(await page.getByTestId('field-email').getAttribute('aria-invalid'), null);

  await sleep(300);
  assert.equal(apiCalls.length, 0, 'nothing was sent');
  assert.equal(await countIssues(), before);
  assert.deepEqual(problems, []);
});

test('invalid input rejected by the server is shown at each field, nothing is stored', { timeout: TEST_TIMEOUT_MS }, async (t) => {
  const { page, problems } = await openPage(t);
  await gotoForm(page);
  await page.locator('form[data-enhanced="true"]').waitFor({ state: 'attached' });
  const before = await countIssues();

  await fillForm(page, { ...VALID, email: 'not-an-email', description: 'Broken' });
  await disableBrowserValidation(page); // so the request reaches the server
  const [response] = await Promise.all([
    page.waitForResponse((r) => isApiRequest(r.request())),
    page.getByTestId('submit').click(),
  ]);

  assert.ok(response.status() >= 400 && response.status() < 500, `a 4xx answer (got ${response.status()})`);
  const body = await response.json();
  assert.equal(body.success, false);
  assert.equal(typeof body.message, 'string');
  for (const field of ['email', 'description']) {
    assert.ok(Array.isArray(body.errors?.[field]) && body.errors[field].length > 0, `the server names ${field}`);
  }

  const toast = page.getByTestId('toast');
  await toast.filter({ hasText: body.message.trim() }).waitFor();
  for (const field of ['email', 'description']) {
    await page.getByTestId(`error-${field}`).filter({ hasText: /\S/ }).waitFor();
    assert.equal(await errorText(page, field), body.errors[field].join(' '), `${field} shows the server's words`);
    assert.equal(await page.getByTestId(`field-${field}`).getAttribute('aria-invalid'), 'true');
  }
  assert.equal(await page.evaluate(() => document.activeElement?.getAttribute('data-testid')), 'field-email');
  assert.equal(await page.getByTestId('field-name').inputValue(), VALID.name, 'what was typed is kept');
  assert.equal(await page.getByTestId('submit').isEnabled(), true);

  assert.equal(await countIssues(), before);
  assert.deepEqual(unexpected(problems, { expect4xx: true }), []);
});

test('a failed request keeps what was typed and says what happened', { timeout: TEST_TIMEOUT_MS }, async (t) => {
  const { page } = await openPage(t);
  await gotoForm(page);
  await page.locator('form[data-enhanced="true"]').waitFor({ state: 'attached' });
  const toast = page.getByTestId('toast');
  await fillForm(page, VALID);

  // The network is down (held until the button has been seen disabled while sending).
  let release;
  const held = new Promise((resolve) => {
    release = resolve;
  });
  await page.route(`**${API_PATH}`, async (route) => {
    await held;
    await route.abort('internetdisconnected');
  });
  await page.getByTestId('submit').click();
  await eventually(() => page.getByTestId('submit').isDisabled(), 'the button is disabled while sending');
  release();
  await toast.filter({ hasText: /could not reach the server/i }).waitFor();
  for (const field of FIELDS) {
    assert.equal(await page.getByTestId(`field-${field}`).inputValue(), VALID[field], `${field} is kept`);
  }
  assert.equal(await page.getByTestId('submit').isEnabled(), true);

  // Too many reports: the server's words (which say when to retry) are shown.
  await page.unroute(`**${API_PATH}`);
  const retry = 'Too many reports from your address. Please try again in 42 seconds.';
  await page.route(`**${API_PATH}`, (route) =>
    route.fulfill({
      status: 429,
      headers: { 'Retry-After': '42' },
      contentType: 'application/json',
      body: JSON.stringify({ success: false, message: retry, errors: {} }),
    }),
  );
  await page.getByTestId('submit').click();
  await toast.filter({ hasText: retry }).waitFor();
  assert.equal(await page.getByTestId('field-name').inputValue(), VALID.name);
});

test('without JavaScript a plain form post stores the report and confirms it', { timeout: TEST_TIMEOUT_MS }, async (t) => {
  const { page, problems } = await openPage(t, { javaScriptEnabled: false });
  await gotoForm(page);
  const before = await countIssues();

  await fillForm(page, VALID);
  const [response] = await Promise.all([page.waitForResponse(isPagePost), page.getByTestId('submit').click()]);
  assert.ok(response.status() < 400, `the post is accepted (got ${response.status()})`);

  const confirmation = page.getByTestId('confirmation');
  await confirmation.waitFor();
  const text = await confirmation.innerText();
  const match = text.match(/#\s*(\d+)/);
  assert.ok(match, `the confirmation shows the issue number: ${text}`);
  const id = Number(match[1]);

  assert.equal(await countIssues(), before + 1);
  const row = await issueById(id);
  assert.ok(row, `issue #${id} is in customer_care`);
  for (const field of FIELDS) assert.equal(row[field], VALID[field], `${field} is stored`);
  assert.deepEqual(problems, []);
});

const PHOTOS = new URL('../../crates/server/tests/fixtures/photos/', import.meta.url).pathname;

async function photosOf(id) {
  const { rows } = await db.query(
    'SELECT content_type, width, height FROM customer_care_photo WHERE issue_id = $1 ORDER BY event_id, position',
    [id],
  );
  return rows;
}

test('without JavaScript two photos go with the plain form post', { timeout: TEST_TIMEOUT_MS }, async (t) => {
  const { page, problems } = await openPage(t, { javaScriptEnabled: false });
  await gotoForm(page);
  const hint = await page.getByTestId('photos-hint').innerText();
  assert.match(hint, /Up to 5 photos .* at most 10 MB each/, 'the limits are stated before picking');
  await fillForm(page, VALID);
  await page.getByTestId('field-photos').setInputFiles([`${PHOTOS}phone.jpg`, `${PHOTOS}phone.heic`]);
  const [response] = await Promise.all([page.waitForResponse(isPagePost), page.getByTestId('submit').click()]);
  assert.equal(response.status(), 200);
  assert.match(response.request().headers()['content-type'] ?? '', /^multipart\/form-data/);
  const text = await page.getByTestId('confirmation').innerText();
  const id = Number(text.match(/#\s*(\d+)/)[1]);
  const photos = await photosOf(id);
  assert.deepEqual(
    photos.map((p) => [p.content_type, p.width, p.height]),
    [
      ['image/jpeg', 480, 640],
      ['image/jpeg', 640, 480],
    ],
    'both stored as JPEGs, the first turned upright',
  );
  assert.deepEqual(problems, []);
});

test('picked photos are previewed, can be removed, and go with the report', { timeout: TEST_TIMEOUT_MS }, async (t) => {
  const { page, problems } = await openPage(t);
  await gotoForm(page);
  await page.locator('form[data-enhanced="true"]').waitFor({ state: 'attached' });
  await fillForm(page, VALID);
  const input = page.getByTestId('field-photos');
  await input.setInputFiles([`${PHOTOS}phone.jpg`, `${PHOTOS}screenshot.png`]);
  await input.setInputFiles([`${PHOTOS}phone.heic`]); // a second pick adds to the first
  const previews = page.getByTestId('photo-preview');
  await eventually(async () => (await previews.count()) === 3, 'three previews');
  await eventually(async () => (await page.locator('.preview__image').count()) === 2, 'JPEG and PNG shown, HEIC named');
  await page.getByRole('button', { name: 'Remove screenshot.png' }).click();
  assert.equal(await previews.count(), 2);

  const [request, response] = await Promise.all([
    page.waitForRequest((r) => isApiRequest(r) && r.method() === 'POST'),
    page.waitForResponse((r) => isApiRequest(r.request())),
    page.getByTestId('submit').click(),
  ]);
  assert.match(request.headers()['content-type'] ?? '', /^multipart\/form-data/);
  assert.equal(response.status(), 201);
  const body = await response.json();
  assert.equal((await photosOf(body.issue_id)).length, 2, 'the removed photo was not sent');
  await eventually(async () => (await previews.count()) === 0, 'the list is emptied for the next report');

  // a refusal is shown at the photo field, naming the file, and nothing is stored
  const before = await countIssues();
  await fillForm(page, VALID);
  await input.setInputFiles({ name: 'notes.txt', mimeType: 'text/plain', buffer: Buffer.from('not a photo') });
  const [refused] = await Promise.all([
    page.waitForResponse((r) => isApiRequest(r.request())),
    page.getByTestId('submit').click(),
  ]);
  assert.equal(refused.status(), 422);
  await eventually(
    async () => (await page.getByTestId('error-photos').innerText()).includes('notes.txt is not a photo we can read'),
    'the refusal names the file at the field',
  );
  assert.equal(await countIssues(), before);
  assert.deepEqual(unexpected(problems, { expect4xx: true }), []);
});

test('without JavaScript an invalid post shows the errors and stores nothing', { timeout: TEST_TIMEOUT_MS }, async (t) => {
  const { page, problems } = await openPage(t, { javaScriptEnabled: false });
  await gotoForm(page);
  const before = await countIssues();

  await fillForm(page, { ...VALID, email: 'not-an-email', description: 'Broken' });
  await disableBrowserValidation(page);
  await Promise.all([page.waitForResponse(isPagePost), page.getByTestId('submit').click()]);
  await page.waitForLoadState('load');

  assert.equal(await page.getByTestId('confirmation').count(), 0, 'no confirmation');
  assert.ok((await errorText(page, 'email')).length > 0, 'the email error is shown');
  assert.ok((await errorText(page, 'description')).length > 0, 'the description error is shown');
  assert.equal(await page.getByTestId('field-email').getAttribute('aria-invalid'), 'true');
  assert.equal(await page.getByTestId('field-description').getAttribute('aria-invalid'), 'true');
  assert.equal(await errorText(page, 'name'), '');

  // What was typed comes back in the form.
  assert.equal(await page.getByTestId('field-name').inputValue(), VALID.name);
  assert.equal(await page.getByTestId('field-email').inputValue(), 'not-an-email');
  assert.equal(await page.getByTestId('field-phone').inputValue(), VALID.phone);
  assert.equal(await page.getByTestId('field-order_id').inputValue(), VALID.order_id);
  assert.equal(await page.getByTestId('field-issue_type').inputValue(), VALID.issue_type);
  assert.equal(await page.getByTestId('field-priority').inputValue(), VALID.priority);
  assert.equal(await page.getByTestId('field-description').inputValue(), 'Broken');

  assert.equal(await countIssues(), before);
  assert.deepEqual(unexpected(problems, { expect4xx: true }), []);
});

test('customer text comes back as text, never as markup', { timeout: TEST_TIMEOUT_MS }, async (t) => {
  const { page, problems } = await openPage(t, { javaScriptEnabled: false });
  await gotoForm(page);
  const before = await countIssues();
  const hostile = '<img src=x onerror=alert(1)>';
  const hostileText = '</textarea><script>alert(2)</script><b>bold</b>';

  await fillForm(page, { ...VALID, name: hostile, email: 'still-not-an-email', description: hostileText });
  await disableBrowserValidation(page);
  await Promise.all([page.waitForResponse(isPagePost), page.getByTestId('submit').click()]);
  await page.waitForLoadState('load');

  assert.ok((await errorText(page, 'email')).length > 0, 'the page was re-rendered with an error');
  assert.equal(await page.getByTestId('field-name').inputValue(), hostile);
  assert.equal(await page.getByTestId('field-description').inputValue(), hostileText);
  assert.equal(await page.locator('img').count(), 0, 'no <img> element was created');
  assert.equal(await page.locator('b').filter({ hasText: 'bold' }).count(), 0, 'no <b> element was created');
  const inlineScripts = await page.locator('script:not([src])').count();
  assert.equal(inlineScripts, 0, 'no inline <script> element was created');

  assert.equal(await countIssues(), before);
  assert.deepEqual(unexpected(problems, { expect4xx: true }), []);
});

// ---- the customer's status page --------------------------------------------------------

/** As an agent would: respond and set a status, straight in the database. */
async function agentAnswers(id, { response = null, status }) {
  await db.query('UPDATE customer_care SET admin_response = coalesce($2, admin_response), status = $3 WHERE id = $1', [id, response, status]);
}

test('the toast links to the report\'s status page, which shows the answer and takes a message', { timeout: TEST_TIMEOUT_MS }, async (t) => {
  const { page, problems } = await openPage(t);
  await gotoForm(page);
  await page.locator('form[data-enhanced="true"]').waitFor({ state: 'attached' });
  await fillForm(page, VALID);
  const [response] = await Promise.all([page.waitForResponse((r) => isApiRequest(r.request())), page.getByTestId('submit').click()]);
  const body = await response.json();
  assert.match(body.status_url, /^\/customer-care\/status\/[0-9a-f]{64}$/);
  const link = page.getByTestId('toast-status-link');
  await link.waitFor();
  assert.equal(await link.getAttribute('href'), body.status_url);

  await agentAnswers(body.issue_id, { response: 'A replacement mug is on its way <img src=x onerror=alert(1)>.', status: 'in-progress' });
  await Promise.all([page.waitForURL(/\/customer-care\/status\//), link.click()]);
  assert.equal(await page.getByTestId('status-heading').innerText(), `Your issue #${body.issue_id}`);
  assert.equal(await page.getByTestId('status-status').getAttribute('data-status'), 'in-progress');
  assert.equal(
    await page.getByTestId('status-answer').locator('.answer__text').innerText(),
    'A replacement mug is on its way <img src=x onerror=alert(1)>.',
    'the answer is shown as text',
  );
  assert.equal(await page.locator('.answer img').count(), 0);

  await page.getByTestId('status-message').fill('Thank you! Will it come with the same courier?');
  // two photos picked, one removed again: the plain post sends only the one listed
  await page.getByTestId('status-photos').setInputFiles([`${PHOTOS}phone.jpg`, `${PHOTOS}photo.webp`]);
  await eventually(async () => (await page.getByTestId('photo-preview').count()) === 2, 'two previews');
  await page.getByRole('button', { name: 'Remove photo.webp' }).click();
  await Promise.all([page.waitForURL(/done=message/), page.getByTestId('status-send').click()]);
  await page.getByTestId('status-done').waitFor();
  const { rows } = await db.query(`SELECT detail->>'text' AS text FROM customer_care_event WHERE issue_id = $1 AND kind = 'customer_message'`, [body.issue_id]);
  assert.deepEqual(rows.map((r) => r.text), ['Thank you! Will it come with the same courier?']);
  assert.equal((await photosOf(body.issue_id)).length, 1, 'the message came with the one photo left');
  const steps = await page.getByTestId('status-step').allInnerTexts();
  assert.ok(steps.some((s) => s.includes('Will it come with the same courier?')), steps.join(' | '));
  assert.deepEqual(problems, []);
});

test('without JavaScript the confirmation links to the status page, where a resolved issue asks once', { timeout: TEST_TIMEOUT_MS }, async (t) => {
  const { page, problems } = await openPage(t, { javaScriptEnabled: false });
  await gotoForm(page);
  await fillForm(page, VALID);
  await Promise.all([page.waitForResponse(isPagePost), page.getByTestId('submit').click()]);
  const link = page.getByTestId('status-link');
  const href = await link.getAttribute('href');
  assert.match(href, /^\/customer-care\/status\/[0-9a-f]{64}$/);
  const id = Number((await page.getByTestId('confirmation').innerText()).match(/#\s*(\d+)/)[1]);

  await agentAnswers(id, { response: 'Refunded in full.', status: 'resolved' });
  await Promise.all([page.waitForURL(/\/customer-care\/status\//), link.click()]);
  await page.getByTestId('satisfaction').waitFor();
  await page.getByTestId('satisfaction-comment').fill('Quick and friendly.');
  await Promise.all([page.waitForURL(/done=answer/), page.getByTestId('satisfaction-yes').click()]);
  assert.equal(await page.getByTestId('satisfaction').count(), 0, 'asked once');
  const { rows } = await db.query('SELECT solved, comment FROM customer_care_satisfaction WHERE issue_id = $1', [id]);
  assert.deepEqual(rows, [{ solved: true, comment: 'Quick and friendly.' }]);

  // a message on a resolved issue opens it again
  await page.getByTestId('status-message').fill('Actually the refund shows the wrong amount.');
  await Promise.all([page.waitForURL(/done=message/), page.getByTestId('status-send').click()]);
  assert.equal(await page.getByTestId('status-status').getAttribute('data-status'), 'open');
  assert.equal((await issueById(id)).status, 'open');
  assert.deepEqual(problems, []);
});

test('an unknown link gets the plain not-found page', { timeout: TEST_TIMEOUT_MS }, async (t) => {
  const { page, problems } = await openPage(t);
  const response = await page.goto(`${baseUrl}/customer-care/status/${'0'.repeat(64)}`);
  assert.equal(response.status(), 404);
  await page.getByTestId('not-found').waitFor();
  assert.deepEqual(unexpected(problems, { expect4xx: true }), []);
});

test('the pages speak the browser\'s language and switch on request', { timeout: TEST_TIMEOUT_MS }, async (t) => {
  const context = await browser.newContext({ locale: 'de-DE' });
  t.after(() => context.close().catch(() => {}));
  const page = await context.newPage();
  await page.goto(`${baseUrl}${PAGE_PATH}`);
  assert.equal(await page.locator('html').getAttribute('lang'), 'de');
  assert.equal((await page.getByTestId('submit').innerText()).trim(), 'Meldung senden');
  await page.locator('form[data-enhanced="true"]').waitFor({ state: 'attached' });
  // the browser's own validation and the server's words, in German
  await fillForm(page, { ...VALID, email: 'not-an-address@' });
  await page.locator(`form[action="${PAGE_PATH}"]`).evaluate((form) => {
    form.noValidate = true;
  });
  const [response] = await Promise.all([page.waitForResponse((r) => isApiRequest(r.request())), page.getByTestId('submit').click()]);
  assert.equal(response.status(), 422);
  await eventually(async () => (await errorText(page, 'email')).includes('keine gültige E-Mail-Adresse'), 'a German field error');

  await Promise.all([page.waitForURL(/lang=en/), page.getByTestId('language-en').click()]);
  assert.equal(await page.locator('html').getAttribute('lang'), 'en');
  assert.equal((await page.getByTestId('submit').innerText()).trim(), 'Send report');
});
