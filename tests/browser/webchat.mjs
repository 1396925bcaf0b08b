// Drives the worker's chat page (Microsoft's Web Chat on the service's own Direct Line) in a real browser,
// Debian's chromium through playwright-core, at a phone's size (390×844, touch, mobile viewport) against a
// running host: the page and its policy, the welcome, a policy question and its answer, a suggested action,
// the handoff to a person up to the case number, an operator's reply arriving without a reload and marked
// as from a person, then a reload that resumes the same conversation, and one that starts a new conversation
// when the saved one is gone.
//
//   node webchat.mjs --base-url http://127.0.0.1:5000 --operator-text TEXT
//     [--question TEXT]        the policy question (default 老板拖欠工资三个月了怎么办)
//     [--answer-word TEXT]     a word the answer must hold (default 仲裁)
//     [--description TEXT]     what the worker tells the handoff dialog
//     [--phone DIGITS]         the callback number given to it (default 13812348000)
//     [--window TEXT]          the time window button to press (default 工作日下午)
//     [--screenshot FILE]      where to save a screenshot when a check fails
//     [--final-screenshot FILE] where to save the phone screen at the end
//     [--chromium PATH]        default $CHROMIUM_PATH or /usr/bin/chromium
//
// After the case number shows it prints "CASE_OPENED <id>": the caller then claims the case and writes
// --operator-text into it as an operator. Prints one "ok: ..." line per check and "timing: ..." lines (read
// in the page with performance.now()), then PASS; exit 0, 1 on a failed check, 2 on bad arguments.
import { parseArgs } from 'node:util';
import { check, launch, ok, requireOptions, run, STEP_TIMEOUT, text, timing, watchProblems } from './harness.mjs';

const PHONE = { width: 390, height: 844 };
// The bot answers in well under a second here; this leaves room for a slow CI machine.
const REPLY_TIMEOUT = 20_000;
// The operator's reply goes out through a follow-up job: claim, post, the job's poll, delivery.
const OPERATOR_TIMEOUT = 60_000;

const { values: opts } = parseArgs({
  options: {
    'base-url': { type: 'string', default: process.env.HOTLINE_BASE_URL },
    'operator-text': { type: 'string' },
    question: { type: 'string', default: '老板拖欠工资三个月了怎么办' },
    'answer-word': { type: 'string', default: '仲裁' },
    description: { type: 'string', default: '在工地干了三个月，老板一直拖着工资不发，想请工会帮忙' },
    phone: { type: 'string', default: '13812348000' },
    window: { type: 'string', default: '工作日下午' },
    screenshot: { type: 'string' },
    'final-screenshot': { type: 'string' },
    chromium: { type: 'string', default: process.env.CHROMIUM_PATH || '/usr/bin/chromium' },
  },
});
requireOptions(opts, ['base-url', 'operator-text']);

const base = new URL(opts['base-url']);
const origin = base.origin;

/** The first line of an activity's text without Markdown marks: what its bubble shows first. */
function firstLine(activityText) {
  const line = (activityText || '').split('\n').map((l) => l.replace(/[*_#>`]/g, '').trim()).find((l) => l.length > 0) || '';
  return line.slice(0, 16);
}

function kindOf(activity) {
  return activity.channelData && activity.channelData.hotline ? activity.channelData.hotline.kind : undefined;
}

await run(opts.screenshot, async (opened) => {
  const browser = await launch(opts.chromium);
  opened.browser = browser;
  const context = await browser.newContext({
    locale: 'zh-CN',
    timezoneId: 'Asia/Shanghai',
    viewport: PHONE,
    screen: PHONE,
    deviceScaleFactor: 3,
    isMobile: true,
    hasTouch: true,
  });
  context.setDefaultTimeout(STEP_TIMEOUT);

  // In the page, before its own scripts (injected by the browser, so the page's CSP does not apply): when
  // each message first appears, when the worker last pressed send or a button, and any CSP violation.
  await context.addInitScript(() => {
    const probe = { seen: [], sends: [], violations: [], errors: [] };
    window.__hotlineProbe = probe;
    window.addEventListener('error', (e) => probe.errors.push(String(e.message)));
    document.addEventListener('securitypolicyviolation', (e) => probe.violations.push(`${e.violatedDirective}: ${e.blockedURI || 'inline'}`));
    new MutationObserver(() => {
      for (const article of document.querySelectorAll('article.webchat__basic-transcript__activity')) {
        if (!article.hotlineSeen) {
          article.hotlineSeen = true;
          probe.seen.push({ t: performance.now(), element: article });
        }
      }
    }).observe(document, { childList: true, subtree: true });
    document.addEventListener('click', (e) => {
      if (e.target instanceof Element && e.target.closest('.webchat__send-button, .webchat__suggested-action')) probe.sends.push(performance.now());
    }, true);
  });

  const page = await context.newPage();
  opened.page = page;
  // Only while a vanished conversation is resumed (at the end) is a refusal of it expected.
  let vanished = null;
  const problems = watchProblems(page, origin, (status, path) => vanished !== null && status >= 400 && status < 500 && path === `/v3/directline/conversations/${vanished}`);

  // What the service sent, as the page received it on the Direct Line stream.
  const received = [];
  page.on('websocket', (ws) => {
    ws.on('framereceived', ({ payload }) => {
      if (typeof payload !== 'string' || payload.length === 0) return;
      try {
        received.push(...(JSON.parse(payload).activities || []));
      } catch {
        problems.push(`a stream frame is not JSON: ${payload.slice(0, 80)}`);
      }
    });
  });
  const requests = [];
  page.on('request', (r) => requests.push(`${r.method()} ${new URL(r.url()).pathname}`));

  /** Waits for a bot message received after `after` (an index into `received`) that `accept` takes. */
  async function botMessage(after, accept, what, timeout = REPLY_TIMEOUT) {
    const deadline = Date.now() + timeout;
    for (;;) {
      const found = received.slice(after).find((a) => a.type === 'message' && a.from && a.from.role === 'bot' && accept(a));
      if (found) return found;
      check(Date.now() < deadline, `no ${what} within ${timeout} ms; received: ${received.slice(after).map((a) => `${a.type}/${kindOf(a)}: ${(a.text || '').slice(0, 30)}`).join(' | ')}`);
      await page.waitForTimeout(50);
    }
  }

  /** The bubble showing `fragment`, once visible. */
  async function bubble(fragment, timeout = REPLY_TIMEOUT) {
    const found = page.locator('article.webchat__basic-transcript__activity .webchat__bubble__content').filter({ hasText: fragment }).last();
    await found.waitFor({ state: 'visible', timeout });
    return found;
  }

  /** performance.now() when the message showing `fragment` first appeared (after `since`), and the last send before it. */
  async function appeared(fragment, since = 0) {
    return page.evaluate(({ fragment, since }) => {
      const { seen, sends } = window.__hotlineProbe;
      const entry = seen.find((s) => s.t >= since && s.element.textContent.includes(fragment));
      return entry ? { t: entry.t, send: sends.filter((s) => s <= entry.t).pop() } : null;
    }, { fragment, since });
  }

  async function send(textToSend) {
    await page.fill('textarea.webchat__send-box-text-box__html-text-area', textToSend);
    await page.click('button.webchat__send-button');
    await bubble(textToSend);
  }

  async function pressSuggested(title) {
    const button = page.locator('.webchat__suggested-actions button.webchat__suggested-action').filter({ hasText: title }).first();
    await button.waitFor({ state: 'visible' });
    await button.click();
  }

  // -- the page, its policy and its layout on a phone
  const response = await page.goto(new URL('/', base).href);
  check(response && response.status() === 200, `GET / answered ${response && response.status()}`);
  const headers = response.headers();
  const policy = headers['content-security-policy'] || '';
  const directive = (name) => (policy.split(';').map((d) => d.trim()).find((d) => d.startsWith(`${name} `)) || '');
  check(policy.startsWith("default-src 'self'"), `the policy does not start with default-src 'self': ${policy}`);
  check(directive('script-src') === "script-src 'self'", `scripts are not limited to our own files: ${directive('script-src')}`);
  // Web Chat's CSS-in-JS fills empty <style> elements through the CSSOM: the hash of an empty element is all it needs.
  check(directive('style-src') === "style-src 'self' 'sha256-47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU='", `inline styles are allowed beyond empty elements: ${directive('style-src')}`);
  check(!policy.includes('unsafe-inline') && !policy.includes('unsafe-eval'), `the policy allows unsafe-inline or unsafe-eval: ${policy}`);
  check(directive('connect-src').includes(`ws://${base.host}`), `the stream's origin is not in connect-src: ${directive('connect-src')}`);
  check(headers['x-content-type-options'] === 'nosniff', 'no X-Content-Type-Options: nosniff on /');
  ok(`/ is served with its policy: ${policy}`);

  check((await page.locator('script:not([src])').count()) === 0, 'the page has an inline script');
  const scripts = await page.locator('script[src]').evaluateAll((s) => s.map((e) => e.getAttribute('src')));
  check(scripts.every((src) => src.startsWith('/chat/')), `a script comes from elsewhere: ${scripts.join(', ')}`);
  ok(`every script is a file of ours: ${scripts.join(', ')}`);

  await page.locator('h1').filter({ hasText: '职工服务热线 智能助手' }).waitFor({ state: 'visible' });
  const tagline = await text(page.locator('.tagline'));
  for (const topic of ['欠薪', '劳动合同', '加班', '工伤', '社保', '入会', '法律援助', '困难帮扶']) {
    check(tagline.includes(topic), `the tagline does not mention ${topic}: ${tagline}`);
  }
  for (const number of ['110', '120', '119', '12351']) {
    const link = page.locator(`.emergency a[href="tel:${number}"]`);
    await link.waitFor({ state: 'visible' });
    const box = await link.boundingBox();
    check(box && box.x >= 0 && box.x + box.width <= PHONE.width && box.y + box.height <= PHONE.height, `${number} is not on the phone's screen: ${JSON.stringify(box)}`);
  }
  ok(`branded, with "${tagline}" and 110 / 120 / 119 / 12351 on screen as tel: links`);

  const layout = await page.evaluate(() => ({
    innerWidth: window.innerWidth,
    scrollWidth: document.documentElement.scrollWidth,
    viewport: document.querySelector('meta[name="viewport"]')?.getAttribute('content'),
  }));
  check(layout.innerWidth === PHONE.width, `the page is laid out ${layout.innerWidth} px wide on a ${PHONE.width} px phone (viewport meta: ${layout.viewport})`);
  check(layout.scrollWidth <= PHONE.width, `the page scrolls sideways: ${layout.scrollWidth} px wide`);
  ok(`fits the phone without zooming: laid out ${layout.innerWidth} px wide, nothing wider (viewport "${layout.viewport}")`);

  // -- the welcome
  const welcome = await botMessage(0, (a) => kindOf(a) === 'smalltalk', 'welcome');
  const welcomeLine = firstLine(welcome.text);
  await bubble(welcomeLine);
  const welcomeShown = await appeared(welcomeLine);
  check(await page.locator('#status').isHidden(), `the page still shows "${await text(page.locator('#status-text'))}" with the welcome`);
  const firstLoad = await page.evaluate(() => ({
    paint: performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? -1,
    scripts: performance.getEntriesByType('navigation')[0]?.domContentLoadedEventEnd ?? -1,
  }));
  ok(`the welcome shows: "${welcomeLine}…"`);

  const input = page.locator('textarea.webchat__send-box-text-box__html-text-area');
  await input.waitFor({ state: 'visible' });
  const inputFontSize = await input.evaluate((e) => parseFloat(getComputedStyle(e).fontSize));
  // Phones zoom into a text box whose font is smaller than 16 px.
  check(inputFontSize >= 16, `the message box's font is ${inputFontSize} px: a phone zooms in when it is tapped`);
  check((await page.locator('.webchat__upload-button').count()) === 0, 'the upload button is shown');
  check((await input.getAttribute('placeholder'))?.length > 0, 'the message box has no placeholder');
  const examples = page.locator('.webchat__suggested-actions button.webchat__suggested-action');
  check((await examples.count()) === (welcome.suggestedActions?.actions?.length || 0), 'the welcome\'s suggested actions are not all buttons');
  ok(`Chinese send box (${inputFontSize} px, "${await input.getAttribute('placeholder')}"), no upload button, ${await examples.count()} example questions as buttons`);

  const styles = await page.evaluate(() => [...document.querySelectorAll('style')].map((s) => ({ text: s.textContent.length, rules: s.sheet ? s.sheet.cssRules.length : -1 })));
  check(styles.length > 0 && styles.every((s) => s.text === 0 && s.rules > 0), `Web Chat's style elements are not empty elements filled through the CSSOM: ${JSON.stringify(styles)}`);
  ok(`Web Chat's styles are in place: ${styles.length} empty style elements holding ${styles.reduce((n, s) => n + s.rules, 0)} rules`);

  // -- a policy question
  let mark = received.length;
  await send(opts.question);
  const answer = await botMessage(mark, (a) => kindOf(a) === 'answer', `answer to "${opts.question}"`);
  check(answer.text.includes(opts['answer-word']), `the answer does not mention ${opts['answer-word']}: ${answer.text}`);
  const answerLine = firstLine(answer.text);
  await bubble(answerLine);
  const answerShown = await appeared(answerLine, welcomeShown.t);
  check(answerShown && answerShown.send, 'the answer\'s arrival or the question\'s sending was not seen in the page');
  ok(`"${opts.question}" is answered (${answer.channelData.hotline.entryId}): "${answerLine}…"`);

  // -- a suggested action: the answer's first button
  const actions = answer.suggestedActions?.actions || [];
  check(actions.length > 0, 'the answer offers no suggested action');
  const action = actions[0];
  mark = received.length;
  await pressSuggested(action.title);
  await bubble(action.displayText || action.title);
  const thanks = await botMessage(mark, () => true, `reply to the ${action.title} button`);
  await bubble(firstLine(thanks.text));
  const actionShown = await appeared(firstLine(thanks.text), answerShown.t);
  ok(`pressing "${action.title}" sends it and the bot replies "${firstLine(thanks.text)}…"`);

  // -- a person: the handoff questions up to the case number
  mark = received.length;
  await send('转人工');
  await botMessage(mark, (a) => kindOf(a) === 'handoff', 'handoff question (what happened)');
  mark = received.length;
  await send(opts.description);
  const phoneQuestion = await botMessage(mark, (a) => kindOf(a) === 'handoff', 'handoff question (callback number)');
  check(phoneQuestion.text.includes('号码'), `the handoff did not ask for a number: ${phoneQuestion.text}`);
  mark = received.length;
  await send(opts.phone);
  const windowQuestion = await botMessage(mark, (a) => kindOf(a) === 'handoff', 'handoff question (time window)');
  const windows = (windowQuestion.suggestedActions?.actions || []).map((a) => a.title);
  check(windows.includes(opts.window), `the time window ${opts.window} is not offered: ${windows.join(', ')}`);
  mark = received.length;
  await pressSuggested(opts.window);
  const confirmQuestion = await botMessage(mark, (a) => kindOf(a) === 'handoff', 'handoff question (confirm)');
  await bubble(firstLine(confirmQuestion.text));
  const masked = `${opts.phone.slice(0, 3)}****${opts.phone.slice(-4)}`;
  check(confirmQuestion.text.includes(masked) && !confirmQuestion.text.includes(opts.phone), `the summary does not show the number masked as ${masked}: ${confirmQuestion.text}`);
  mark = received.length;
  const yes = (confirmQuestion.suggestedActions?.actions || []).find((a) => a.title === '是');
  if (yes) await pressSuggested('是');
  else await send('是');
  const confirmation = await botMessage(mark, (a) => kindOf(a) === 'handoff' && Boolean(a.channelData.hotline.caseId), 'case number');
  const caseId = confirmation.channelData.hotline.caseId;
  await bubble(caseId);
  ok(`the handoff asked what happened, a number (shown masked, ${masked}), a time (${windows.join(' / ')}) and a confirmation${yes ? ' (是 pressed)' : ''}, then showed case ${caseId}`);

  // -- an operator's reply, pushed into the open page
  mark = received.length;
  const caseOpenedAt = Date.now();
  const beforeOperator = await page.evaluate(() => performance.now());
  console.log(`CASE_OPENED ${caseId}`);
  const operatorMessage = await botMessage(mark, (a) => kindOf(a) === 'operator', 'operator reply', OPERATOR_TIMEOUT);
  check(operatorMessage.text.includes(opts['operator-text']), `the operator's message is not the reply written: ${operatorMessage.text}`);
  const staff = page.locator('.hotline-staff').filter({ hasText: opts['operator-text'] });
  await staff.waitFor({ state: 'visible', timeout: OPERATOR_TIMEOUT });
  const operatorShownMs = Date.now() - caseOpenedAt;
  check((await text(staff.locator('.hotline-staff__label'))) === '工作人员', 'the operator\'s message is not labelled 工作人员');
  check((await text(staff.locator('.webchat__bubble__content'))).startsWith('【工作人员】'), 'the operator\'s message does not start with 【工作人员】');
  check((await page.locator('.hotline-staff').count()) === 1, 'a message other than the operator\'s is marked as from a person');
  check(await page.evaluate((t) => window.__hotlineProbe.seen.some((s) => s.t > t && s.element.textContent.includes('【工作人员】')), beforeOperator), 'the operator\'s message did not arrive in the open page');
  ok(`the operator's reply arrives without a reload, labelled 工作人员: "${await text(staff.locator('.webchat__bubble__content'))}"`);

  // The probe starts afresh with the next page: what it caught so far is checked now.
  const violationsBeforeReload = await page.evaluate(() => window.__hotlineProbe.violations);
  check(violationsBeforeReload.length === 0, `CSP violations: ${violationsBeforeReload.join('; ')}`);

  // -- a reload resumes the conversation
  const saved = await page.evaluate(() => JSON.parse(sessionStorage.getItem('hotline.chat') || 'null'));
  check(saved && saved.conversationId && saved.token, `nothing kept in sessionStorage: ${JSON.stringify(saved)}`);
  const requestsBefore = requests.length;
  mark = received.length;
  const reloadStart = Date.now();
  await page.reload();
  await bubble(opts['operator-text']);
  await bubble(caseId);
  await bubble(opts.question);
  const reloadMs = Date.now() - reloadStart;
  const resumedShown = await page.evaluate((fragment) => window.__hotlineProbe.seen.find((s) => s.element.textContent.includes(fragment))?.t, opts['operator-text']);
  const after = requests.slice(requestsBefore);
  check(!after.includes('POST /api/chat/token') && !after.includes('POST /v3/directline/conversations'), `the reload started a new conversation: ${after.join(', ')}`);
  check(after.includes(`GET /v3/directline/conversations/${saved.conversationId}`), `the reload did not resume conversation ${saved.conversationId}: ${after.join(', ')}`);
  const welcomes = await page.locator('article.webchat__basic-transcript__activity .webchat__bubble__content').filter({ hasText: welcomeLine }).count();
  check(welcomes === 1, `the welcome shows ${welcomes} times after the reload`);
  const resumedStaff = page.locator('.hotline-staff').filter({ hasText: opts['operator-text'] });
  await resumedStaff.waitFor({ state: 'visible' });
  check((await text(resumedStaff.locator('.hotline-staff__label'))) === '工作人员', 'after the reload the operator\'s message is no longer labelled');
  const stillSaved = await page.evaluate(() => JSON.parse(sessionStorage.getItem('hotline.chat') || 'null'));
  check(stillSaved && stillSaved.conversationId === saved.conversationId, 'the reload changed the saved conversation');
  check(await page.locator('#status').isHidden(), `the page shows "${await text(page.locator('#status-text'))}" after the reload`);
  ok(`a reload resumes conversation ${saved.conversationId}: the question, case ${caseId} and the operator's labelled reply show again, the welcome once`);

  if (opts['final-screenshot']) {
    await page.screenshot({ path: opts['final-screenshot'] });
    console.log(`final screenshot: ${opts['final-screenshot']}`);
  }

  // -- a saved conversation the service no longer has (it restarted) gives way to a new one
  vanished = `gone${saved.conversationId}`;
  await page.evaluate((id) => {
    const session = JSON.parse(sessionStorage.getItem('hotline.chat'));
    sessionStorage.setItem('hotline.chat', JSON.stringify({ ...session, conversationId: id }));
  }, vanished);
  const problemsBefore = problems.length;
  const requestsBeforeRestart = requests.length;
  mark = received.length;
  await page.reload();
  await botMessage(mark, (a) => kindOf(a) === 'smalltalk', 'welcome of a new conversation');
  await bubble(welcomeLine);
  const restarted = requests.slice(requestsBeforeRestart);
  check(restarted.includes(`GET /v3/directline/conversations/${vanished}`) && restarted.includes('POST /api/chat/token') && restarted.includes('POST /v3/directline/conversations'),
    `the page did not try the saved conversation and then start a new one: ${restarted.join(', ')}`);
  const fresh = await page.evaluate(() => JSON.parse(sessionStorage.getItem('hotline.chat') || 'null'));
  check(fresh && fresh.conversationId !== vanished && fresh.conversationId !== saved.conversationId, `the new conversation was not kept: ${JSON.stringify(fresh)}`);
  check((await page.locator('article.webchat__basic-transcript__activity').filter({ hasText: opts.question }).count()) === 0, 'the new conversation shows the old one');
  check(await page.locator('#status').isHidden(), `the page shows "${await text(page.locator('#status-text'))}" after starting afresh`);
  // DirectLineJS reports the refused resume as an uncaught "ajax error 403": expected here, and nothing else.
  const duringRestart = problems.splice(problemsBefore);
  const uncaught = await page.evaluate(() => window.__hotlineProbe.errors);
  check(duringRestart.every((p) => p.startsWith('page error: ')) && duringRestart.length <= uncaught.length
    && uncaught.every((m) => /ajax error 4\d\d$/.test(m)), `unexpected while starting afresh: ${duringRestart.join('; ')} (in the page: ${uncaught.join('; ')})`);
  vanished = null;
  ok(`a saved conversation the service no longer has gives way to a new one (${fresh.conversationId}) with its welcome`);

  timing(`page load to welcome shown ${Math.round(welcomeShown.t)} ms (performance.now() in the page, from navigation start); `
    + `header and emergency numbers painted at ${Math.round(firstLoad.paint)} ms, scripts run (DOMContentLoaded) at ${Math.round(firstLoad.scripts)} ms`);
  timing(`question sent to answer shown ${Math.round(answerShown.t - answerShown.send)} ms`);
  timing(`suggested action pressed to reply shown ${Math.round(actionShown.t - actionShown.send)} ms`);
  timing(`case opened to operator reply shown ${operatorShownMs} ms (claim and post through the API, the delivery job, the stream)`);
  timing(`reload to resumed conversation shown ${reloadMs} ms (performance.now() ${Math.round(resumedShown ?? -1)} ms after the new navigation)`);

  const violations = await page.evaluate(() => window.__hotlineProbe.violations);
  check(violations.length === 0, `CSP violations: ${violations.join('; ')}`);
  check(problems.length === 0, problems.join('\n'));
  ok('no script errors, CSP violations, failed requests or requests to other origins');
});
