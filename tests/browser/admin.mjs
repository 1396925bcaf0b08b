// Drives the admins' page at /admin in a real browser (Debian's chromium through playwright-core) against a
// running host: sign in as an admin, search for an entry and open it, meet a concurrent edit (412) and reload,
// have an emptied question refused (400, the field marked), preview the answer, save a unique marker into it
// and ask the bot through POST /api/messages (expectReplies) until its reply holds the marker, read the
// history and restore the previous version, test a question, show an entry whose question is markup as text,
// look at the other tabs (unanswered inbox, review list, regression run, import dry run), then check that an
// operator's account is refused.
//
//   node admin.mjs --base-url http://127.0.0.1:5000 --username chief --password ... \
//       --operator-username li.ming --operator-password ... --entry-id overtime-pay-rates --markup-entry-id ID
//     [--search TEXT]          what to search for to find --entry-id (default 加班费)
//     [--bot-question TEXT]    what to ask the bot; it must be answered with --entry-id (default 加班工资怎么算)
//     [--marker TEXT]          the unique text put into the answer (default one made up here)
//     [--unanswered-wording TEXT --unanswered-answer TEXT]  a question the bot could not answer (asked before
//                              the run, by a worker who opted in): its inbox group gets a new entry with this
//                              answer, the workers are notified, the bot then answers it
//     [--similar-wording TEXT --similar-entry-id ID]  another such question: 加为相似问法 to that entry
//     [--screenshot FILE]      where to save a screenshot when a check fails
//     [--chromium PATH]        default $CHROMIUM_PATH or /usr/bin/chromium
//
// Prints one "ok: ..." line per check and "timing: ..." lines (the edit-to-live figures), then PASS; exit 0,
// 1 on a failed check, 2 on bad arguments.
import { randomUUID } from 'node:crypto';
import { parseArgs } from 'node:util';
import { check, launch, ok, requireOptions, run, STEP_TIMEOUT, text, timing, watchProblems } from './harness.mjs';

// Every change is live for the bot in the same request; this only bounds a broken run.
const LIVE_TIMEOUT = 10_000;

const { values: opts } = parseArgs({
  options: {
    'base-url': { type: 'string', default: process.env.HOTLINE_BASE_URL },
    username: { type: 'string' },
    password: { type: 'string' },
    'operator-username': { type: 'string' },
    'operator-password': { type: 'string' },
    'entry-id': { type: 'string' },
    'markup-entry-id': { type: 'string' },
    'unanswered-wording': { type: 'string' },
    'unanswered-answer': { type: 'string' },
    'similar-wording': { type: 'string' },
    'similar-entry-id': { type: 'string' },
    search: { type: 'string', default: '加班费' },
    'bot-question': { type: 'string', default: '加班工资怎么算' },
    marker: { type: 'string', default: `核对标记${randomUUID().slice(0, 8)}` },
    screenshot: { type: 'string' },
    chromium: { type: 'string', default: process.env.CHROMIUM_PATH || '/usr/bin/chromium' },
  },
});

requireOptions(opts, ['base-url', 'username', 'password', 'operator-username', 'operator-password', 'entry-id', 'markup-entry-id']);

const base = new URL(opts['base-url']);
const origin = base.origin;
const entryId = opts['entry-id'];
const marker = opts.marker;
const entryPath = `/api/knowledge/${encodeURIComponent(entryId)}`;

/** Asks the bot as a channel does (expectReplies, so the replies come back in the response); their text. */
async function askBot(question) {
  const conversation = `conv-admin-${randomUUID().slice(0, 12)}`;
  const activity = {
    type: 'message',
    id: `act-${randomUUID().slice(0, 12)}`,
    timestamp: new Date().toISOString(),
    channelId: 'emulator',
    // Nothing listens there: expectReplies must not need it.
    serviceUrl: 'http://127.0.0.1:9/',
    from: { id: `user-${conversation}`, name: '工友', role: 'user' },
    recipient: { id: 'hotline-bot', name: 'HotlineBot', role: 'bot' },
    conversation: { id: conversation },
    locale: 'zh-CN',
    text: question,
    textFormat: 'plain',
    deliveryMode: 'expectReplies',
  };
  const response = await fetch(new URL('/api/messages', base), {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(activity),
  });
  check(response.status === 200, `POST /api/messages answered ${response.status}`);
  const body = await response.json();
  return (body.activities || []).filter((a) => a.type === 'message').map((a) => a.text || '').join('\n');
}

/** Asks until the reply does (or, with `present` false, no longer does) hold `word`; when that was first seen. */
async function waitForReply(question, word, present) {
  const deadline = Date.now() + LIVE_TIMEOUT;
  for (;;) {
    const reply = await askBot(question);
    if (reply.includes(word) === present) return { at: Date.now(), reply };
    check(Date.now() < deadline, `the bot's reply to "${question}" ${present ? 'lacks' : 'still holds'} "${word}" after ${LIVE_TIMEOUT} ms: ${reply}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** A fetch from the page itself: the page's cookie and the header the server wants on changes. */
function pageFetch(page, method, path, body, headers) {
  return page.evaluate(async ({ method, path, body, headers }) => {
    const init = { method, headers: { 'X-Requested-With': 'XMLHttpRequest', ...(headers || {}) } };
    if (body !== undefined) {
      init.headers['Content-Type'] = 'application/json';
      init.body = JSON.stringify(body);
    }
    const r = await fetch(path, init);
    const raw = await r.text();
    let data = null;
    try {
      data = raw ? JSON.parse(raw) : null;
    } catch {
      data = raw;
    }
    return { status: r.status, data };
  }, { method, path, body, headers });
}

async function newPage(browser, problemsAllowed) {
  const context = await browser.newContext({ locale: 'zh-CN', timezoneId: 'Asia/Shanghai', viewport: { width: 1280, height: 900 } });
  context.setDefaultTimeout(STEP_TIMEOUT);
  const page = await context.newPage();
  const problems = watchProblems(page, origin, problemsAllowed);
  // An alert() would be markup run as script.
  page.on('dialog', (dialog) => {
    problems.push(`a dialog opened: ${dialog.type()} ${dialog.message()}`);
    dialog.dismiss().catch(() => {});
  });
  return { context, page, problems };
}

async function signIn(page, username, password) {
  const response = await page.goto(new URL('/admin', base).href);
  check(response && response.status() === 200, `GET /admin answered ${response && response.status()}`);
  const headers = response.headers();
  check((headers['content-security-policy'] || '').includes("default-src 'self'"), `no strict CSP on /admin: ${headers['content-security-policy']}`);
  check(headers['x-content-type-options'] === 'nosniff', 'no X-Content-Type-Options: nosniff on /admin');
  await page.locator('#sign-in-form').waitFor({ state: 'visible' });
  await page.fill('#username', username);
  await page.fill('#password', password);
  await page.click('#sign-in-button');
}

async function save(page) {
  await page.click('#save-entry');
}

await run(opts.screenshot, async (opened) => {
  const browser = await launch(opts.chromium);
  opened.browser = browser;

  // Expected failures: 401 while signed out; the 412, 400 and 422 this run provokes on purpose.
  const admin = await newPage(browser, (status, path) =>
    (status === 401 && (path === '/api/me' || path === '/api/auth/login'))
    || ((status === 412 || status === 400 || status === 422) && path === entryPath)
    // The regression form's refused empty question.
    || (status === 400 && path.startsWith('/api/knowledge/regression/') && path.endsWith('-bad')));
  const { page } = admin;
  opened.page = page;

  // -- sign in
  await signIn(page, opts.username, opts.password);
  await page.locator('#admin-view').waitFor({ state: 'visible' });
  check((await text(page.locator('#who-name'))).includes(opts.username), 'the signed-in admin is not shown');
  ok('the page loads with its CSP and an admin signs in');

  // -- search and open
  await page.fill('#search-query', opts.search);
  await page.click('#search-button');
  const row = page.locator(`#entry-list .row[data-entry-id="${entryId}"]`);
  await row.waitFor({ state: 'visible' });
  const rowTags = await text(row.locator('.row-tags'));
  check(rowTags.includes('已发布'), `the row does not show the status: "${rowTags}"`);
  ok(`searching "${opts.search}" lists ${entryId} with its status`);
  await row.click();
  await page.locator('#editor-form').waitFor({ state: 'visible' });
  const question = await page.inputValue('#f-question');
  const answer = await page.inputValue('#f-answer');
  check(question.length > 0 && answer.length > 0, 'the editor opened without question or answer');
  check((await page.locator('#f-sources .source-row').count()) > 0, 'the entry\'s sources are not in the editor');
  ok(`the entry opens in the editor: "${question}"`);

  // -- a concurrent edit: the save is refused (412) and a reload shows the other admin's version
  const current = await pageFetch(page, 'GET', entryPath);
  check(current.status === 200, `GET ${entryPath} answered ${current.status}`);
  const otherTag = `他人修改${randomUUID().slice(0, 4)}`;
  const other = await pageFetch(page, 'PUT', entryPath, { ...current.data, tags: [...current.data.tags, otherTag] }, { 'If-Match': `"${current.data.version}"` });
  check(other.status === 200, `the concurrent PUT answered ${other.status}: ${JSON.stringify(other.data)}`);
  await page.fill('#f-answer', `${answer}\n${marker}`);
  await save(page);
  await page.locator('#stale-box').waitFor({ state: 'visible' });
  check((await text(page.locator('#stale-box'))).includes('内容已被他人修改'), 'the 412 does not say 内容已被他人修改');
  await page.click('#reload-entry');
  await page.locator('#stale-box').waitFor({ state: 'hidden' });
  check((await page.inputValue('#f-tags')).includes(otherTag), 'the reload does not show the other admin\'s change');
  check(!(await page.inputValue('#f-answer')).includes(marker), 'the refused edit is still in the form after the reload');
  ok('a stale save shows 内容已被他人修改, and 重新加载 shows the current version');

  // -- an emptied question: 400 names the field, which is marked
  await page.fill('#f-question', '');
  await save(page);
  await page.locator('#editor-form .field.invalid[data-field="question"]').waitFor({ state: 'visible' });
  check(await page.locator('#editor-error').isVisible(), 'the 400 message is not shown');
  check((await page.getAttribute('#f-question', 'aria-invalid')) === 'true', 'the question field is not aria-invalid');
  ok(`an empty question is refused and the field marked: "${await text(page.locator('#editor-error'))}"`);
  await page.fill('#f-question', question);

  // -- preview: the answer as the worker gets it, Markdown drawn as elements
  await page.fill('#f-answer', `${answer}\n${marker}`);
  await page.click('#preview-entry');
  await page.locator('#preview-text').filter({ hasText: marker }).waitFor({ state: 'visible' });
  check((await page.locator('#preview-text strong').count()) > 0, 'the preview has no bold text');
  check((await page.locator('#preview-text li').count()) > 0, 'the preview has no list');
  check(!(await text(page.locator('#preview-text'))).includes('**'), 'the preview shows raw ** marks');
  ok(`the preview renders bold and list items, with ${await page.locator('#preview-actions .chip').count()} action buttons`);

  // -- save, then the bot answers with the new text (asked once before, so its first-call start-up is not counted)
  check(!(await askBot(opts['bot-question'])).includes(marker), 'the bot answers with the marker before it is saved');
  const askStart = Date.now();
  await askBot(opts['bot-question']);
  const roundTrip = Date.now() - askStart;
  const putDone = page.waitForResponse((r) => r.request().method() === 'PUT' && new URL(r.url()).pathname === entryPath);
  const clickedAt = Date.now();
  await save(page);
  const put = await putDone;
  const putAt = Date.now();
  check(put.status() === 200, `the save's PUT answered ${put.status()}`);
  check(Boolean(put.request().headers()['if-match']), 'the save sent no If-Match');
  const live = await waitForReply(opts['bot-question'], marker, true);
  timing(`edit to live: PUT response to bot reply with the new text ${live.at - putAt} ms; save click to bot reply ${live.at - clickedAt} ms; `
    + `save click to PUT response ${putAt - clickedAt} ms; one bot round trip before the edit ${roundTrip} ms`);
  ok(`after saving, the bot's reply to "${opts['bot-question']}" holds the marker ${marker}`);
  await page.locator('#flash').filter({ hasText: '已保存' }).waitFor({ state: 'visible' });
  const saved = await pageFetch(page, 'GET', entryPath);
  check(saved.data.answer.includes(marker), 'the stored answer lacks the marker');

  // -- an answer that breaks regression questions: refused (422) with the failing ones; 「仍然发布」 writes it anyway
  await page.fill('#f-answer', `本条目正在修订，请拨打12351咨询。${marker}`);
  await save(page);
  const refusal = page.locator('#editor-regression');
  await refusal.waitFor({ state: 'visible' });
  const failing = refusal.locator('li');
  check((await failing.count()) > 0, 'the refusal lists no failing regression question');
  ok(`an answer that breaks regression questions is refused, listing ${await failing.count()}, e.g. "${await text(failing.first())}"`);
  const forcedDone = page.waitForResponse((r) => r.request().method() === 'PUT' && new URL(r.url()).pathname === entryPath);
  await page.click('#editor-regression-force');
  const forced = await forcedDone;
  check(forced.status() === 200 && new URL(forced.url()).searchParams.get('force') === 'true', `仍然发布 answered ${forced.status()} for ${forced.url()}`);
  const forcedVersion = (await forced.json()).version;
  await page.locator('#editor-meta').filter({ hasText: `第${forcedVersion}版` }).waitFor({ state: 'visible' });
  check(await refusal.isHidden(), 'the refusal is still shown after 仍然发布');
  ok(`仍然发布 writes it anyway (version ${forcedVersion})`);

  // -- history and restore
  await page.click('#history-entry');
  const markerVersion = page.locator('#history-list > li').nth(1);
  await markerVersion.waitFor({ state: 'visible' });
  const answerChange = markerVersion.locator('.change[data-field="answer"]');
  check((await answerChange.count()) === 1, 'the marker\'s version lists no answer change');
  check((await text(answerChange.locator('ins'))).includes(marker) && !(await text(answerChange.locator('del'))).includes(marker),
    'the answer change is not shown as old → new');
  ok('the history shows the answer change old → new');
  const previous = page.locator('#history-list > li').nth(2);
  const previousVersion = Number(await previous.getAttribute('data-version'));
  await previous.locator('button.restore').click();
  await page.locator('#flash').filter({ hasText: `已恢复为第${previousVersion}版` }).waitFor({ state: 'visible' });
  check(!(await page.inputValue('#f-answer')).includes(marker), 'the editor still holds the marker after 恢复此版本');
  const restoredLive = await waitForReply(opts['bot-question'], marker, false);
  check(!restoredLive.reply.includes(marker), 'the bot still answers with the marker');
  ok(`恢复此版本 brings back version ${previousVersion}, and the bot's reply no longer holds the marker`);

  // -- 测试问题
  await page.click('#tab-ask');
  await page.fill('#ask-q', opts['bot-question']);
  await page.click('#ask-button');
  await page.locator('#ask-result').waitFor({ state: 'visible' });
  await page.locator(`#ask-candidates li[data-entry-id="${entryId}"]`).waitFor({ state: 'visible' });
  check((await text(page.locator('#ask-band'))).length > 0, 'the ask result shows no band');
  check((await text(page.locator('#ask-reply'))).length > 0, 'the ask result shows no reply');
  ok(`测试问题 shows band "${await text(page.locator('#ask-band'))}" and ${entryId} among the candidates`);

  // -- an entry whose question is markup is shown as text
  await page.click('#tab-entries');
  await page.fill('#search-query', '');
  await page.selectOption('#search-status', 'draft');
  const markupRow = page.locator(`#entry-list .row[data-entry-id="${opts['markup-entry-id']}"]`);
  await markupRow.waitFor({ state: 'visible' });
  const stored = await pageFetch(page, 'GET', `/api/knowledge/${encodeURIComponent(opts['markup-entry-id'])}`);
  check((await text(markupRow.locator('.row-title'))) === stored.data.question, 'the markup question is not shown literally in the list');
  await markupRow.click();
  await page.locator('#editor-title').filter({ hasText: stored.data.question }).waitFor({ state: 'visible' });
  await page.click('#preview-entry');
  await page.locator('#preview-box').waitFor({ state: 'visible' });
  check((await page.locator('img').count()) === 0, 'an <img> element was created from data');
  check((await page.locator('#preview-text b, #preview-text script').count()) === 0, 'markup in the answer became elements');
  ok('an entry whose question is <img src=x onerror=alert(1)> shows as text: no element, no script');

  // -- the other tabs
  await page.click('#tab-unanswered');
  await page.locator('#unanswered-count:not(:empty):not(:has-text("正在加载")), #unanswered-error:not([hidden])').first().waitFor({ state: 'visible' });
  check(await page.locator('#unanswered-error').isHidden(), `the unanswered inbox failed: ${await text(page.locator('#unanswered-error'))}`);
  ok(`未解决问题 loads: "${await text(page.locator('#unanswered-count'))}"`);
  const wording = opts['unanswered-wording'];
  if (wording) {
    const group = page.locator('#unanswered-list .group').filter({ has: page.locator('h3', { hasText: wording }) });
    await group.waitFor({ state: 'visible' });
    const groupText = await text(group);
    check(/共 [1-9]\d* 次/.test(groupText) && /同意接收答复的职工 [1-9]\d* 人/.test(groupText), `the group lacks its count or opt-ins: "${groupText}"`);
    ok(`the inbox shows the group "${wording}" with its count, sources and opt-ins`);
    await group.locator('button.new-from-group').click();
    await page.locator('#editor-form').waitFor({ state: 'visible' });
    check((await page.inputValue('#f-question')) === wording, '新建条目 does not prefill the question with the wording');
    check(await page.locator('#editor-context').isVisible(), 'the editor does not say the entry is for the inbox group');
    await page.fill('#f-answer', opts['unanswered-answer']);
    await page.fill('#f-category', 'labour-contract');
    const createdDone = page.waitForResponse((r) => r.request().method() === 'POST' && new URL(r.url()).pathname === '/api/knowledge');
    const resolvedDone = page.waitForResponse((r) => r.request().method() === 'POST' && /\/api\/knowledge\/unanswered\/[^/]+\/resolve$/.test(new URL(r.url()).pathname));
    await save(page);
    const created = await createdDone;
    check(created.status() === 201, `creating the entry answered ${created.status()}`);
    const newId = (await created.json()).id;
    const resolved = await resolvedDone;
    check(resolved.status() === 200 && (await resolved.request().postDataJSON()).entryId === newId, `resolve answered ${resolved.status()} or named another entry`);
    ok(`新建条目 creates ${newId} prefilled from the group and resolves the group with it`);
    await page.click('#group-notify');
    await page.locator('#group-notify-result').filter({ hasText: /已发送 \d+ 人，发送失败 \d+ 人，此前已发送 \d+ 人/ }).waitFor({ state: 'visible' });
    ok(`通知提问职工: "${await text(page.locator('#group-notify-result'))}"`);
    await page.click('#tab-unanswered');
    await page.locator('#unanswered-count:not(:empty):not(:has-text("正在加载"))').waitFor({ state: 'visible' });
    check((await group.count()) === 0, 'the resolved group is still in the inbox');
    const reply = await askBot(wording);
    check(reply.includes(opts['unanswered-answer']), `the bot does not answer "${wording}" with the new entry: ${reply}`);
    ok('the group leaves the inbox, and the bot now answers the question');
  }
  const similar = opts['similar-wording'];
  if (similar) {
    const target = opts['similar-entry-id'];
    const group = page.locator('#unanswered-list .group').filter({ has: page.locator('h3', { hasText: similar }) });
    await group.waitFor({ state: 'visible' });
    await group.locator('input.entry-target').fill(target);
    await group.locator('button.add-alternates').click();
    await group.locator('.group-result').filter({ hasText: `已为 ${target} 加入 1 个相似问法` }).waitFor({ state: 'visible' });
    const updated = await pageFetch(page, 'GET', `/api/knowledge/${encodeURIComponent(target)}`);
    check(updated.data.alternates.includes(similar), `${target}'s alternates lack "${similar}"`);
    // The search now finds the entry through the new phrasing (the band may still ask for a domain term).
    const asked = await pageFetch(page, 'GET', `/api/knowledge/ask?q=${encodeURIComponent(similar)}`);
    const top = asked.data.candidates[0];
    check(top && top.id === target && top.matchedPhrasing === similar, `"${similar}" does not find ${target} by the new phrasing: ${JSON.stringify(top)}`);
    await page.click('#unanswered-refresh');
    await page.locator('#unanswered-count:not(:empty):not(:has-text("正在加载"))').waitFor({ state: 'visible' });
    await group.waitFor({ state: 'detached' });
    ok(`加为相似问法 appends "${similar}" to ${target}, resolves the group, and the search now finds ${target} by it`);
  }

  await page.click('#tab-review');
  const dueRow = page.locator(`#review-list .row[data-entry-id="${opts['markup-entry-id']}"]`);
  await dueRow.waitFor({ state: 'visible' });
  check((await text(dueRow.locator('.row-tags'))).includes('待复核'), 'an entry past its review date is not flagged 待复核');
  check((await text(dueRow.locator('.row-title'))) === stored.data.question, 'the review list does not show the question literally');
  ok(`待复核 lists the entry past its review date, flagged: "${await text(page.locator('#review-count'))}"`);

  await page.click('#tab-regression');
  await page.locator('#regression-list li').first().waitFor({ state: 'visible' });
  await page.click('#regression-run');
  await page.locator('#regression-score').filter({ hasText: /\d+\/\d+/ }).waitFor({ state: 'visible', timeout: 60_000 });
  ok(`回归问题 runs: "${await text(page.locator('#regression-score'))}"`);

  // -- a regression question added in the form fails when its keywords are not in the reply, shows why, then is deleted
  const caseId = `browser-${marker}`;
  await page.fill('#case-id', caseId);
  await page.fill('#case-topic', 'browser');
  await page.selectOption('#case-kind', 'answer');
  await page.fill('#case-q', opts['bot-question']);
  await page.fill('#case-expect', `${marker}|不存在的词\n加班`);
  await page.click('#case-save');
  const caseRow = page.locator(`#regression-list li[data-case-id="${caseId}"]`);
  await caseRow.waitFor({ state: 'visible' });
  const savedCase = (await pageFetch(page, 'GET', '/api/knowledge/regression')).data.items.find((c) => c.id === caseId);
  check(JSON.stringify(savedCase && savedCase.expect) === JSON.stringify([[marker, '不存在的词'], ['加班']]), `the case was saved as ${JSON.stringify(savedCase)}`);
  await page.click('#regression-run');
  const failure = page.locator(`#regression-failures li[data-case-id="${caseId}"]`);
  await failure.waitFor({ state: 'visible', timeout: 60_000 });
  const failureText = await text(failure);
  check(failureText.includes(marker) && failureText.includes('回复摘录'), `the failure does not show the keywords and the reply: "${failureText}"`);
  await page.fill('#case-id', `${caseId}-bad`);
  await page.fill('#case-q', '');
  await page.click('#case-save');
  await page.locator('#case-error').waitFor({ state: 'visible' });
  check((await text(page.locator('#case-error'))).startsWith('问题：') && (await page.getAttribute('#case-q', 'aria-invalid')) === 'true',
    `an empty question's refusal does not name the field: "${await text(page.locator('#case-error'))}"`);
  await page.click('#case-new');
  await caseRow.locator('.delete-case').click();
  check((await pageFetch(page, 'GET', '/api/knowledge/regression')).data.items.some((c) => c.id === caseId), 'the case was deleted before the confirmation');
  await caseRow.locator('.delete-case').click();
  await caseRow.waitFor({ state: 'detached' });
  check(!(await pageFetch(page, 'GET', '/api/knowledge/regression')).data.items.some((c) => c.id === caseId), 'the case is still stored');
  ok(`回归问题: a case added in the form fails with its keywords and the reply shown, an empty question names q, 删除 asks then deletes`);

  await page.click('#tab-transfer');
  const exported = await page.evaluate(async () => {
    const r = await fetch(document.getElementById('export-json').getAttribute('href'));
    return { status: r.status, disposition: r.headers.get('content-disposition'), body: await r.text() };
  });
  check(exported.status === 200 && /attachment/.test(exported.disposition || ''), `the JSON export answered ${exported.status} (${exported.disposition})`);
  await page.setInputFiles('#import-file', { name: 'knowledge.json', mimeType: 'application/json', buffer: Buffer.from(exported.body) });
  check((await page.inputValue('#import-format')) === 'json', 'the format is not taken from the file name');
  await page.click('#import-dry-run');
  await page.locator('#import-summary').waitFor({ state: 'visible' });
  const summary = await text(page.locator('#import-summary'));
  check(/预检结果：新建 0，更新 0，未变 [1-9]\d*，冲突 0，错误 0/.test(summary), `re-importing the export is not all unchanged: "${summary}"`);
  check(await page.locator('#import-confirm').isHidden(), '确认导入 is offered with nothing to import');
  ok(`导入导出: the export's dry run reads "${summary}"`);

  // The same file with one answer changed: the dry run shows the update, 确认导入 applies it.
  const file = JSON.parse(exported.body);
  const entries = Array.isArray(file) ? file : file.entries;
  const imported = entries.find((e) => e.id === opts['markup-entry-id']);
  check(Boolean(imported), 'the export lacks the draft entry');
  imported.answer = `${imported.answer}\n导入修改${marker}`;
  await page.setInputFiles('#import-file', { name: 'knowledge.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(file)) });
  await page.click('#import-dry-run');
  await page.locator('#import-summary').filter({ hasText: '预检结果：新建 0，更新 1，' }).waitFor({ state: 'visible' });
  const afterDryRun = await pageFetch(page, 'GET', `/api/knowledge/${encodeURIComponent(opts['markup-entry-id'])}`);
  check(!afterDryRun.data.answer.includes(marker), 'the dry run wrote the change');
  await page.click('#import-confirm');
  await page.locator('#import-summary').filter({ hasText: '导入完成：新建 0，更新 1，' }).waitFor({ state: 'visible' });
  const afterImport = await pageFetch(page, 'GET', `/api/knowledge/${encodeURIComponent(opts['markup-entry-id'])}`);
  check(afterImport.data.answer.includes(`导入修改${marker}`), '确认导入 did not write the change');
  ok('a changed file: the dry run shows 更新 1 and writes nothing, 确认导入 applies it');

  // -- 审计日志 shows the admin's edit of the entry with its field changes; clicking opens the entry
  await page.click('#tab-audit');
  await page.fill('#audit-author', opts.username);
  await page.click('#audit-form button[type="submit"]');
  const audited = page.locator(`#audit-list li[data-entry-id="${entryId}"]`).filter({ hasText: marker }).first();
  await audited.waitFor({ state: 'visible' });
  const auditText = await text(audited);
  check(auditText.includes(opts.username), `the audit item does not name the admin: "${auditText}"`);
  await audited.locator('.open-entry').click();
  await page.locator('#tab-entries[aria-selected="true"]').waitFor();
  await page.locator('#editor-form').waitFor({ state: 'visible' });
  ok(`审计日志 shows the admin's edit of ${entryId} with the answer's change, and opens the entry`);

  // -- 停用 asks first, then retires the entry
  await page.click('#tab-entries');
  await markupRow.click();
  await page.locator('#editor-title').filter({ hasText: stored.data.question }).waitFor({ state: 'visible' });
  await page.click('#retire-entry');
  await page.locator('#retire-box').waitFor({ state: 'visible' });
  check((await pageFetch(page, 'GET', `/api/knowledge/${encodeURIComponent(opts['markup-entry-id'])}`)).data.status === 'draft', 'the entry was retired before the confirmation');
  await page.click('#retire-confirm');
  await page.locator('#editor-meta').filter({ hasText: '已停用' }).waitFor({ state: 'visible' });
  check((await pageFetch(page, 'GET', `/api/knowledge/${encodeURIComponent(opts['markup-entry-id'])}`)).data.status === 'retired', 'the entry is not retired');
  ok('停用 asks for confirmation, then retires the entry');

  check(admin.problems.length === 0, admin.problems.join('\n'));
  ok('no script errors, CSP violations or requests to other origins as admin');

  // -- an operator cannot use the page
  const operator = await newPage(browser, (status, path) =>
    (status === 401 && (path === '/api/me' || path === '/api/auth/login')) || (status === 403 && path.startsWith('/api/knowledge')));
  opened.page = operator.page;
  await signIn(operator.page, opts['operator-username'], opts['operator-password']);
  await operator.page.locator('#forbidden-view').waitFor({ state: 'visible' });
  check((await text(operator.page.locator('#forbidden-view'))).includes('无权限'), 'the operator is not told 无权限');
  check(await operator.page.locator('#admin-view').isHidden(), 'the admin view shows to an operator');
  const refused = await pageFetch(operator.page, 'GET', '/api/knowledge');
  check(refused.status === 403, `GET /api/knowledge answers ${refused.status} to an operator`);
  ok(`an operator signing in sees "${await text(operator.page.locator('#forbidden-text'))}", and the API answers 403`);
  check(operator.problems.length === 0, operator.problems.join('\n'));
});
