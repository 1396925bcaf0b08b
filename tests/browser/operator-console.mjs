// Drives the operator console in a real browser (Debian's chromium through playwright-core) against a
// running host: sign in, find the case in the queue, open it, claim it, reveal the phone, reply with
// markup that must stay text, see a worker's new message arrive without a reload, resolve, sign out.
//
//   node operator-console.mjs --base-url http://127.0.0.1:5000 --username li.ming --password ... --case-id 12351-...
//     [--worker-text TEXT]       a worker line the transcript must show
//     [--phone DIGITS]           the callback number: masked at first, in clear after 显示号码
//     [--expect-delivery STATE]  wait until the reply's delivery shows this state (delivered | failed)
//     [--followup-text TEXT]     print WAITING_FOR_WORKER_MESSAGE, then wait for this worker line to appear
//     [--screenshot FILE]        where to save a screenshot when a check fails
//     [--chromium PATH]          default $CHROMIUM_PATH or /usr/bin/chromium
//
// Prints one "ok: ..." line per check and "timing: ..." lines, then PASS; exit 0, 1 on a failed check, 2 on bad arguments.
import { parseArgs } from 'node:util';
import { check, launch, ok, requireOptions, run, STEP_TIMEOUT, text, timing, watchProblems } from './harness.mjs';

const REPLY = '请把最近三个月的工资条拍照发给我们 <b>x</b> & "引号"';

const { values: opts } = parseArgs({
  options: {
    'base-url': { type: 'string', default: process.env.HOTLINE_BASE_URL },
    username: { type: 'string', default: process.env.HOTLINE_USERNAME },
    password: { type: 'string', default: process.env.HOTLINE_PASSWORD },
    'case-id': { type: 'string', default: process.env.HOTLINE_CASE_ID },
    'worker-text': { type: 'string' },
    phone: { type: 'string' },
    'expect-delivery': { type: 'string' },
    'followup-text': { type: 'string' },
    screenshot: { type: 'string' },
    chromium: { type: 'string', default: process.env.CHROMIUM_PATH || '/usr/bin/chromium' },
  },
});

requireOptions(opts, ['base-url', 'username', 'password', 'case-id']);
if (!/^[\w-]+$/.test(opts['case-id'])) {
  console.error('usage: --case-id must be letters, digits, "-" or "_"');
  process.exit(2);
}

const base = new URL(opts['base-url']);
const origin = base.origin;
const caseId = opts['case-id'];

await run(opts.screenshot, async (opened) => {
  const browser = await launch(opts.chromium);
  opened.browser = browser;
  const context = await browser.newContext({ locale: 'zh-CN', timezoneId: 'Asia/Shanghai', viewport: { width: 1280, height: 900 } });
  context.setDefaultTimeout(STEP_TIMEOUT);
  const page = await context.newPage();
  opened.page = page;

  // A CSP violation, a script error or a request to another origin fails the run at the end.
  // The only failures expected: 401 from /api/me while signed out and from the wrong password's login.
  const problems = watchProblems(page, origin, (status, path) => status === 401 && (path === '/api/me' || path === '/api/auth/login'));

  // -- load and sign in
  const loadStart = Date.now();
  const response = await page.goto(new URL('/operator', base).href);
  check(response && response.status() === 200, `GET /operator answered ${response && response.status()}`);
  const headers = response.headers();
  check((headers['content-security-policy'] || '').includes("default-src 'self'"), `no strict CSP on /operator: ${headers['content-security-policy']}`);
  check(headers['x-content-type-options'] === 'nosniff', 'no X-Content-Type-Options: nosniff on /operator');
  await page.locator('#sign-in-form').waitFor({ state: 'visible' });
  const formShown = Date.now() - loadStart;
  ok('the console loads with its CSP and shows the sign-in form');

  await page.fill('#password', 'Wrong-password-1');
  await page.fill('#username', opts.username);
  await page.click('#sign-in-button');
  await page.locator('#sign-in-error').waitFor({ state: 'visible' });
  check((await text(page.locator('#sign-in-error'))) === '用户名或密码不正确。', 'a wrong password does not say 用户名或密码不正确。');
  ok('a wrong password is refused with 用户名或密码不正确。');

  await page.fill('#password', opts.password);
  const signInStart = Date.now();
  await page.click('#sign-in-button');
  await page.locator('#who-name').waitFor({ state: 'visible' });
  check((await text(page.locator('#who-name'))).includes(opts.username), 'the signed-in user is not shown');
  const cookies = await context.cookies();
  const auth = cookies.find((c) => c.name === 'hotline.auth');
  check(auth && auth.httpOnly && auth.sameSite === 'Strict', `the sign-in cookie is not HttpOnly SameSite=Strict: ${JSON.stringify(auth)}`);
  ok(`signed in as ${opts.username} with an HttpOnly SameSite=Strict cookie`);

  // -- the queue
  const row = page.locator(`#queue-list .case-row[data-case-id="${caseId}"]`);
  await row.waitFor({ state: 'visible' });
  const rowShown = Date.now();
  timing(`page load to sign-in form ${formShown} ms; sign-in click to case in queue ${rowShown - signInStart} ms; page load to case in queue ${rowShown - loadStart} ms`);
  const rowText = await text(row);
  check(rowText.includes(caseId), 'the queue row does not show the case id');
  const countdown = await text(row.locator('.countdown'));
  check(/^(剩余|已超时) (不到1分钟|\d+(分钟|小时|天)(\d+(分钟|小时))?)$/.test(countdown), `the countdown reads "${countdown}"`);
  const overdue = await row.locator('.countdown').evaluate((n) => n.classList.contains('overdue'));
  check(overdue === countdown.startsWith('已超时'), 'an overdue countdown is not marked red (or a running one is)');
  ok(`the case is in the queue with its countdown "${countdown}"`);

  // A reload keeps the session (the cookie) and shows the queue again.
  const reloadStart = Date.now();
  await page.reload();
  await row.waitFor({ state: 'visible' });
  timing(`reload to case in queue ${Date.now() - reloadStart} ms`);
  check(await page.locator('#sign-in-view').isHidden(), 'the sign-in form shows after a reload');
  ok('a reload keeps the session');
  const rowTags = await text(row.locator('.row-tags'));
  check(/紧急|较急|一般/.test(rowTags) && /咨询|帮扶|投诉|法律援助|建议/.test(rowTags), `the row lacks priority or category: "${rowTags}"`);
  ok(`the row shows priority, category and status: "${rowTags}"`);
  check((await text(row.locator('.row-meta'))) === '未认领', 'a new case does not say 未认领');

  const notice = page.locator(`#notification-list li[data-case-id="${caseId}"]`);
  await notice.first().waitFor({ state: 'visible' });
  ok(`the notifications list the new case: "${await text(notice.first())}"`);

  // -- the case view
  await row.click();
  await page.locator('#case-title').filter({ hasText: caseId }).waitFor({ state: 'visible' });
  const description = await text(page.locator('#case-description'));
  check(description.length > 0 && description !== '（无描述）', 'the case has no description');
  if (opts['worker-text']) {
    await page.locator('#transcript li.worker .line-text').filter({ hasText: opts['worker-text'] }).first().waitFor({ state: 'visible' });
  }
  check((await page.locator('#transcript li').count()) > 0, 'the transcript is empty');
  check((await text(page.locator('#case-countdown'))).length > 0, 'the case view has no countdown');
  ok(`the case opens with description "${description}" and its transcript`);

  if (opts.phone) {
    const masked = await text(page.locator('#case-phone'));
    check(masked.includes('****') && !masked.includes(opts.phone), `the phone is not masked before the case is claimed: "${masked}"`);
    check(await page.locator('#reveal-phone').isHidden(), '显示号码 is offered before the case is claimed');
    ok(`the callback phone is masked (${masked})`);
  }
  check(await page.locator('#reply-text').isDisabled(), 'the reply box is enabled before the case is claimed');

  // -- claim
  await page.click('#claim-button');
  await page.locator('#case-assignee').filter({ hasText: opts.username }).waitFor({ state: 'visible' });
  await page.locator('#reply-text:enabled').waitFor();
  check(await page.locator('#claim-button').isHidden(), '认领 is still offered after claiming');
  ok('claimed: the reply box is enabled and the case names its assignee');

  if (opts.phone) {
    await page.click('#reveal-phone');
    await page.locator('#case-phone').filter({ hasText: opts.phone }).waitFor({ state: 'visible' });
    ok('显示号码 shows the number in clear to the assignee');
  }

  // -- reply with markup: it must be shown as typed, never parsed
  await page.fill('#reply-text', REPLY);
  const replyStart = Date.now();
  await page.click('#reply-send');
  const line = page.locator('#transcript li.operator').filter({ hasText: REPLY }).last();
  await line.waitFor({ state: 'visible' });
  const replyShown = Date.now() - replyStart;
  check((await text(line.locator('.line-text'))) === REPLY, 'the reply is not shown literally');
  check((await page.locator('#transcript b').count()) === 0, 'the reply\'s <b> became an element');
  check((await page.locator('#reply-text').inputValue()) === '', 'the reply box was not cleared after sending');
  const state = await text(line.locator('.delivery'));
  check(/^(发送中|已送达|发送失败（重试\d+次）)$/.test(state), `the reply's delivery reads "${state}"`);
  ok(`the reply is shown literally (escaped) with its delivery state "${state}"`);
  if (opts['expect-delivery']) {
    const want = { delivered: '已送达', failed: '发送失败', pending: '发送中' }[opts['expect-delivery']] || opts['expect-delivery'];
    await line.locator('.delivery').filter({ hasText: want }).waitFor({ state: 'visible', timeout: 30_000 });
    ok(`the reply's delivery turns to ${want} without a reload`);
  }
  timing(`reply sent to shown in the transcript ${replyShown} ms`);

  // -- a worker's new message arrives through polling
  if (opts['followup-text']) {
    console.log('WAITING_FOR_WORKER_MESSAGE');
    const waitStart = Date.now();
    await page.locator('#transcript li.worker .line-text').filter({ hasText: opts['followup-text'] }).first()
      .waitFor({ state: 'visible', timeout: 30_000 });
    timing(`worker message asked for to shown in the open case ${Date.now() - waitStart} ms`);
    ok('the worker\'s new message appears in the open case without a reload');
  }

  // -- a network failure: the page says so and keeps polling
  const queueUrl = (url) => url.pathname === '/api/cases';
  await page.route(queueUrl, (route) => route.abort('connectionrefused'));
  await page.locator('#connection').waitFor({ state: 'visible' });
  await page.unroute(queueUrl);
  await page.locator('#connection').waitFor({ state: 'hidden' });
  ok('a failed poll shows the connection banner, and polling recovers by itself');

  // -- resolve
  await page.click('#resolve-button');
  await page.fill('#resolution-text', '已告知工友申请劳动仲裁的材料和流程 <i>y</i>');
  await page.click('#resolve-confirm');
  await page.locator('#reopen-button').waitFor({ state: 'visible' });
  check(await page.locator('#resolve-form').isHidden(), 'the resolve form is still open');
  check((await page.locator('#case-resolution i').count()) === 0, 'the resolution\'s <i> became an element');
  const stored = await page.evaluate(async (id) => {
    const r = await fetch(`/api/cases/${encodeURIComponent(id)}`, { headers: { 'X-Requested-With': 'XMLHttpRequest' } });
    return r.ok ? r.json() : { status: `HTTP ${r.status}` };
  }, caseId);
  check(stored.status === 'resolved', `the case is "${stored.status}" after 结案`);
  ok(`resolved: the case reads ${stored.statusLabel || stored.status} and offers 重新打开`);

  // -- filters
  await page.selectOption('#status-filter', 'mine');
  await row.waitFor({ state: 'visible' });
  await page.selectOption('#status-filter', 'all');
  await row.waitFor({ state: 'visible' });
  ok('the case is listed under 我认领的 and 全部');

  // -- sign out
  await page.click('#sign-out');
  await page.locator('#sign-in-form').waitFor({ state: 'visible' });
  check((await page.locator('#queue-list li').count()) === 0, 'the queue is still on the page after signing out');
  const after = await page.evaluate(async () => (await fetch('/api/me')).status);
  check(after === 401, `GET /api/me answers ${after} after signing out`);
  ok('signed out: the cookie no longer works');

  check(problems.length === 0, problems.join('\n'));
  ok('no script errors, CSP violations or requests to other origins');
});
