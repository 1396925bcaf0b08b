// The admins' page: the knowledge base through /api/knowledge, signed in with the hotline.auth cookie.
// Every piece of data is put on the page as text nodes (never HTML), and an answer's Markdown is drawn
// from a small subset into DOM nodes, so an entry or a worker's question cannot become markup.
// No framework and no inline script: the page runs under `default-src 'self'`.
'use strict';

(() => {
  const PAGE_SIZE = 20;
  const FLASH_MS = 8000;
  const API = '/api/knowledge';

  const STATUS_LABELS = { draft: '草稿', published: '已发布', retired: '已停用' };
  const CATEGORY_LABELS = {
    wages: '工资报酬',
    'labour-contract': '劳动合同',
    'hours-leave': '工时与休假',
    'social-insurance': '社会保险',
    'work-injury': '工伤',
    termination: '解除与终止',
    union: '工会',
    disputes: '劳动争议',
    'women-workers': '女职工',
    'employment-forms': '用工形式',
    'hotline-services': '热线服务',
  };
  const FIELD_LABELS = {
    id: '编号',
    question: '标准问题',
    alternates: '相似问法',
    answer: '答案',
    category: '分类',
    sources: '依据',
    tags: '标签',
    region: '适用地区',
    effectiveFrom: '生效日期',
    reviewBy: '复核日期',
    status: '状态',
    version: '版本',
  };
  const KIND_LABELS = { created: '新建', seeded: '初始导入', updated: '修改', retired: '停用', restored: '恢复' };
  const BAND_LABELS = { answer: '直接回答', clarify: '追问确认', fallback: '兜底回复（未找到答案）' };
  const CASE_KINDS = { answer: '应回答', fallback: '应兜底', handoff: '应转人工', emergency: '紧急情况', clarify: '应追问', smalltalk: '应寒暄' };
  // What a regression run says the bot did (a reply kind, or nothing).
  const OUTCOME_LABELS = {
    answer: '回答', clarify: '追问', fallback: '兜底', handoff: '转人工', emergency: '紧急提示', smalltalk: '寒暄', nothing: '无回复',
  };
  const SOURCE_LABELS = { fallback: '未找到答案', noneOfThese: '选了“都不是”', notSolved: '点了“没解决”' };

  const { ApiError, $, el, show } = window.Staff;
  const formatTime = window.Staff.timeFormatter({ year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit' });

  const state = {
    me: null,
    tab: 'entries',
    page: 1,
    total: 0,
    searches: 0,
    // The entry in the editor: its stored form (null while creating) and, when it came from the
    // unanswered inbox, the group to resolve once it is saved.
    entry: null,
    resolveGroup: null,
    flashTimer: 0,
    importText: null,
    // The regression questions by id, to say what a failing one expects (the failures name only the reply kinds).
    cases: new Map(),
  };


  // ---- DOM helpers: text only ----


  function button(label, onClick, cls) {
    const node = el('button', { type: 'button', class: cls || null }, label);
    node.addEventListener('click', onClick);
    return node;
  }


  function setError(id, message) {
    const node = $(id);
    node.textContent = message || '';
    node.hidden = !message;
  }


  function confidence(value) {
    const n = Number(value);
    return Number.isFinite(n) ? n.toFixed(2) : '—';
  }

  function statusTag(status) {
    return el('span', { class: `tag status-${status || 'none'}` }, STATUS_LABELS[status] || status || '');
  }

  function categoryLabel(id) {
    return CATEGORY_LABELS[id] ? `${CATEGORY_LABELS[id]}（${id}）` : id || '';
  }

  function list(value) {
    return Array.isArray(value) ? value : [];
  }

  function flash(message) {
    const banner = $('flash');
    banner.textContent = message;
    banner.hidden = false;
    clearTimeout(state.flashTimer);
    state.flashTimer = setTimeout(() => {
      banner.hidden = true;
    }, FLASH_MS);
  }

  // ---- the answer's Markdown, as the worker's chat shows it: **bold**, "- " lists, line breaks ----

  function inline(text) {
    const parts = [];
    const pattern = /\*\*(.+?)\*\*/g;
    let at = 0;
    for (let match = pattern.exec(text); match; match = pattern.exec(text)) {
      if (match.index > at) parts.push(document.createTextNode(text.slice(at, match.index)));
      parts.push(el('strong', null, match[1]));
      at = match.index + match[0].length;
    }
    if (at < text.length) parts.push(document.createTextNode(text.slice(at)));
    return parts;
  }

  function markdown(text) {
    const fragment = document.createDocumentFragment();
    let paragraph = null;
    let items = null;
    for (const raw of String(text || '').replace(/\r\n?/g, '\n').split('\n')) {
      const line = raw.trimEnd();
      const item = /^\s*[-*]\s+(.*)$/.exec(line);
      if (item) {
        paragraph = null;
        if (!items) {
          items = el('ul');
          fragment.append(items);
        }
        items.append(el('li', null, inline(item[1])));
      } else if (!line.trim()) {
        paragraph = null;
        items = null;
      } else {
        items = null;
        if (paragraph) paragraph.append(el('br'));
        else {
          paragraph = el('p');
          fragment.append(paragraph);
        }
        paragraph.append(...inline(line));
      }
    }
    return fragment;
  }

  function renderReply(containerId, text, actions) {
    $(containerId).replaceChildren(markdown(text));
    if (actions !== undefined) {
      // The buttons the worker gets under the answer; shown, not pressed.
      $('preview-actions').replaceChildren(...list(actions).map((a) => el('span', { class: 'chip' }, a)));
    }
  }

  // ---- HTTP ----

  function messageFor(status) {
    if (status === 401) return '请先登录。';
    if (status === 403) return '无权限：只有管理员可以管理知识库。';
    if (status === 404) return '条目不存在。';
    if (status === 409) return '编号已被使用。';
    if (status === 412) return '内容已被他人修改。';
    if (status === 413) return '内容太大。';
    if (status === 429) return '操作太频繁，请稍后再试。';
    return '服务器暂时无法处理，请稍后再试。';
  }

  // Calls the API (see Staff.apiClient); a lapsed sign-in or a missing admin role changes the page.
  const api = window.Staff.apiClient(messageFor, (status, path) => {
    if (status === 401 && state.me && path !== '/api/auth/login') signedOut('登录已过期，请重新登录。');
    else if (status === 403 && state.me) forbidden();
  });

  function entryUrl(id, action) {
    return `${API}/${encodeURIComponent(id)}${action ? `/${action}` : ''}`;
  }

  function ifMatch(version) {
    return { 'If-Match': `"${version}"` };
  }

  // ---- sign-in ----

  function hideViews() {
    for (const id of ['loading', 'sign-in-view', 'forbidden-view', 'admin-view']) show(id, false);
  }

  function showSignIn(message) {
    hideViews();
    show('who', false);
    show('sign-in-view', true);
    setError('sign-in-error', message);
    $('username').focus();
  }

  function showWho() {
    const roleLabel = state.me.role === 'admin' ? '管理员' : state.me.role === 'operator' ? '话务员' : state.me.role;
    $('who-name').textContent = `${state.me.username}（${roleLabel}）`;
    show('who', true);
  }

  function forbidden() {
    hideViews();
    showWho();
    $('forbidden-text').textContent = `无权限：知识库管理页面仅限管理员使用，当前账号 ${state.me.username} 不是管理员。话务员请使用工单台（/operator）。`;
    show('forbidden-view', true);
  }

  function entered(me) {
    state.me = me;
    if (!me || me.role !== 'admin') {
      forbidden();
      return;
    }
    hideViews();
    showWho();
    show('admin-view', true);
    loadCategories();
    const fromHash = decodeURIComponent(location.hash.replace(/^#/, ''));
    selectTab('entries');
    search(1);
    if (fromHash) openEntry(fromHash);
  }

  function signedOut(message) {
    state.me = null;
    closeEditor();
    $('entry-list').replaceChildren();
    showSignIn(message);
  }

  const { signIn, signOut } = window.Staff.signInHandlers(api, { entered, showSignIn, signedOut });

  // ---- tabs ----

  const TAB_LOADERS = {
    entries: () => {},
    ask: () => $('ask-q').focus(),
    unanswered: () => loadUnanswered(),
    review: () => loadReview(),
    transfer: () => {},
    regression: () => loadRegression(),
    audit: () => loadAudit(1),
  };

  function selectTab(name) {
    state.tab = name;
    for (const tab of document.querySelectorAll('[role="tab"]')) {
      const selected = tab.dataset.tab === name;
      tab.setAttribute('aria-selected', String(selected));
      tab.tabIndex = selected ? 0 : -1;
      $(tab.getAttribute('aria-controls')).hidden = !selected;
    }
    TAB_LOADERS[name]();
  }

  // ---- categories ----

  async function loadCategories() {
    try {
      const data = await api('GET', `${API}/categories`);
      const items = list(data && data.items);
      const select = $('search-category');
      const chosen = select.value;
      select.replaceChildren(el('option', { value: '' }, '全部分类'),
        ...items.map((c) => el('option', { value: c.id }, `${categoryLabel(c.id)} ${c.count}`)));
      select.value = chosen;
      $('category-options').replaceChildren(...items.map((c) => el('option', { value: c.id }, CATEGORY_LABELS[c.id] || c.id)));
    } catch {
      // The filter still works by typing; the list is a convenience.
    }
  }

  // ---- entries: search and list ----

  function entryRow(entry) {
    const open = el('button', { type: 'button', class: 'row', 'data-entry-id': entry.id },
      el('span', { class: 'row-title' }, entry.question || '（无问题）'),
      el('span', { class: 'row-tags' },
        statusTag(entry.status),
        entry.reviewDue ? el('span', { class: 'tag due' }, '待复核') : null,
        el('span', { class: 'tag' }, categoryLabel(entry.category))),
      el('span', { class: 'row-meta' }, `${entry.id} · 第${entry.version}版${entry.reviewBy ? ` · 复核日期 ${entry.reviewBy}` : ''}`));
    open.addEventListener('click', () => openEntry(entry.id));
    return el('li', null, open);
  }

  async function search(page) {
    const params = new URLSearchParams({ page: String(page), pageSize: String(PAGE_SIZE) });
    const query = $('search-query').value.trim();
    if (query) params.set('query', query);
    if ($('search-category').value) params.set('category', $('search-category').value);
    if ($('search-status').value) params.set('status', $('search-status').value);
    $('entry-count').textContent = '正在搜索…';
    // Only the latest search's answer is shown, whichever comes back last.
    const sequence = ++state.searches;
    try {
      const data = await api('GET', `${API}?${params}`);
      if (sequence !== state.searches) return;
      const items = list(data && data.items);
      state.page = page;
      state.total = Number(data && data.total) || 0;
      $('entry-list').replaceChildren(...items.map((e) => entryRow(e)));
      $('entry-count').textContent = state.total ? `共 ${state.total} 条` : '没有找到条目。';
      const pages = Math.max(1, Math.ceil(state.total / PAGE_SIZE));
      $('page-info').textContent = `第 ${page} / ${pages} 页`;
      $('page-prev').disabled = page <= 1;
      $('page-next').disabled = page >= pages;
      markSelected();
    } catch (error) {
      if (sequence === state.searches) $('entry-count').textContent = `搜索失败：${error.message}`;
    }
  }

  function markSelected() {
    const id = state.entry && state.entry.id;
    for (const row of document.querySelectorAll('#entry-list .row')) row.classList.toggle('selected', row.dataset.entryId === id);
  }

  // ---- the editor ----

  function sourceRow(source) {
    const index = $('f-sources').children.length + 1;
    const title = el('input', { class: 'source-title', maxlength: 200, 'aria-label': `依据${index} 法规名称`, placeholder: '法规名称，如 劳动法' });
    const article = el('input', { class: 'source-article', maxlength: 100, 'aria-label': `依据${index} 条款`, placeholder: '条款，如 第四十四条' });
    title.value = (source && source.title) || '';
    article.value = (source && source.article) || '';
    const row = el('li', { class: 'source-row' }, title, article);
    row.append(button('删除', () => row.remove(), 'link'));
    return row;
  }

  function clearFieldErrors() {
    for (const node of document.querySelectorAll('#editor-form .invalid')) node.classList.remove('invalid');
    for (const node of document.querySelectorAll('#editor-form [aria-invalid]')) node.removeAttribute('aria-invalid');
  }

  function clearEditorMessages() {
    clearFieldErrors();
    setError('editor-error', '');
    show('stale-box', false);
    show('retire-box', false);
    show('editor-regression', false);
  }

  function fillEditor(entry, isNew) {
    clearEditorMessages();
    state.entry = isNew ? null : entry;
    show('editor-placeholder', false);
    show('editor-form', true);
    show('preview-box', false);
    show('history-box', false);
    $('editor-title').textContent = isNew ? '新建条目' : `编辑条目：${entry.question || entry.id}`;
    const meta = $('editor-meta');
    meta.replaceChildren();
    if (!isNew) {
      meta.append(`${entry.id} · 第${entry.version}版 · `, statusTag(entry.status));
      if (entry.reviewDue) meta.append(' ', el('span', { class: 'tag due' }, '待复核'));
    }
    $('f-id').value = entry.id || '';
    $('f-id').readOnly = !isNew;
    $('f-question').value = entry.question || '';
    $('f-alternates').value = list(entry.alternates).join('\n');
    $('f-answer').value = entry.answer || '';
    $('f-category').value = entry.category || '';
    $('f-status').value = entry.status || 'draft';
    $('f-sources').replaceChildren();
    for (const source of list(entry.sources)) $('f-sources').append(sourceRow(source));
    $('f-tags').value = list(entry.tags).join('，');
    $('f-region').value = entry.region || '';
    $('f-effectiveFrom').value = entry.effectiveFrom || '';
    $('f-reviewBy').value = entry.reviewBy || '';
    show('history-entry', !isNew);
    show('retire-entry', !isNew && entry.status !== 'retired');
    const context = $('editor-context');
    context.textContent = state.resolveGroup ? `来自未解决问题“${state.resolveGroup.wording}”：保存后这组问题将标记为已解决。` : '';
    context.hidden = !state.resolveGroup;
    if (!isNew) history.replaceState(null, '', `#${encodeURIComponent(entry.id)}`);
    markSelected();
  }

  function closeEditor() {
    state.entry = null;
    state.resolveGroup = null;
    show('editor-form', false);
    show('preview-box', false);
    show('history-box', false);
    show('editor-placeholder', true);
    history.replaceState(null, '', location.pathname);
    markSelected();
  }

  function lines(text) {
    return text.split('\n').map((l) => l.trim()).filter(Boolean);
  }

  /** The form as an entry for the API; empty optional fields are left out, so the server's defaults apply. */
  function formEntry() {
    const entry = {
      question: $('f-question').value.trim(),
      alternates: lines($('f-alternates').value),
      answer: $('f-answer').value.replace(/\s+$/, ''),
      category: $('f-category').value.trim(),
      sources: Array.from($('f-sources').children)
        .map((row) => ({ title: row.querySelector('.source-title').value.trim(), article: row.querySelector('.source-article').value.trim() }))
        .filter((s) => s.title || s.article),
      tags: $('f-tags').value.split(/[\s,，、;；]+/).map((t) => t.trim()).filter(Boolean),
      status: $('f-status').value,
    };
    const id = $('f-id').value.trim();
    if (id) entry.id = id;
    for (const name of ['region', 'effectiveFrom', 'reviewBy']) {
      const value = $(`f-${name}`).value.trim();
      if (value) entry[name] = value;
    }
    if (state.entry) entry.version = state.entry.version;
    return entry;
  }

  function highlightField(field) {
    const name = String(field || '').split(/[.[]/)[0];
    const box = name && document.querySelector(`#editor-form [data-field="${CSS.escape(name)}"]`);
    if (!box) return;
    box.classList.add('invalid');
    const input = box.querySelector('input, textarea, select');
    if (input) {
      input.setAttribute('aria-invalid', 'true');
      input.focus();
    }
  }

  /** A refusal by the publishing guard: the regression questions it would break, and 「仍然发布」 to write anyway. */
  async function showRegressionRefusal(containerId, error, force) {
    const box = $(containerId);
    const failures = list(error.body && error.body.failures);
    await loadCases(failures);
    const forceButton = button('仍然发布', async () => {
      forceButton.disabled = true;
      box.hidden = true;
      await force();
    }, 'danger');
    forceButton.id = `${containerId}-force`;
    box.replaceChildren(
      el('p', null, el('strong', null, '未发布：'), error.message || '这次修改会使回归问题失败。'),
      el('ul', { class: 'failures' }, failures.map(failureItem)),
      el('div', { class: 'form-buttons left' }, forceButton, button('取消', () => {
        box.hidden = true;
      }, 'secondary')));
    box.hidden = false;
  }

  function outcomes(kinds) {
    return String(kinds || '').split(',').filter(Boolean).map((k) => OUTCOME_LABELS[k] || k).join('、') || '—';
  }

  function failureItem(f) {
    const known = state.cases.get(f.caseId);
    return el('li', { 'data-case-id': f.caseId || null },
      el('span', { class: 'case-id' }, f.caseId || ''), ' ', f.question || '',
      el('div', { class: 'muted small' },
        `期望：${outcomes(f.want)}${list(f.expect || (known && known.expect)).length ? `，回复包含 ${expectText(f.expect || known.expect)}` : ''}；实际：${outcomes(f.got)}`,
        f.entryId ? `（命中 ${f.entryId}，置信度 ${confidence(f.confidence)}）` : ''),
      f.reply ? el('div', { class: 'muted small failure-reply' }, `回复摘录：${f.reply}`) : null);
  }

  /** Makes sure the cases the failures name are known; a failure still shows without them. */
  async function loadCases(failures) {
    if (failures.every((f) => state.cases.has(f.caseId))) return;
    try {
      rememberCases(await api('GET', `${API}/regression`));
    } catch {
      // Shown without what they expect.
    }
  }

  function rememberCases(data) {
    const items = list(data && data.items);
    state.cases = new Map(items.map((c) => [c.id, c]));
    return items;
  }

  /** Shows an editor action's failure where the admin can act on it; `retry(force)` repeats the action. */
  function editorFailure(error, retry) {
    if (error.status === 401 || error.status === 403) return;
    if (error.status === 412) {
      show('stale-box', true);
      $('reload-entry').focus();
    } else if (error.status === 422 && error.body && error.body.error === 'regression') {
      showRegressionRefusal('editor-regression', error, () => retry(true));
    } else if ((error.status === 400 || error.status === 409) && error.body && error.body.field) {
      const label = FIELD_LABELS[String(error.body.field).split(/[.[]/)[0]];
      setError('editor-error', label ? `${label}：${error.message}` : error.message);
      highlightField(error.body.field);
    } else {
      setError('editor-error', error.message);
    }
  }

  async function editorAction(run) {
    const buttons = document.querySelectorAll('#editor-form .form-buttons button');
    for (const b of buttons) b.disabled = true;
    try {
      await run();
    } finally {
      for (const b of buttons) b.disabled = false;
    }
  }

  async function openEntry(id, keepResolve) {
    if (!keepResolve) state.resolveGroup = null;
    if (state.tab !== 'entries') selectTab('entries');
    try {
      fillEditor(await api('GET', entryUrl(id)), false);
      $('editor-form').scrollIntoView({ block: 'start' });
    } catch (error) {
      if (error.status === 401 || error.status === 403) return;
      show('editor-placeholder', true);
      show('editor-form', false);
      $('editor-placeholder').textContent = `无法打开条目 ${id}：${error.message}`;
    }
  }

  function newEntry(prefill, group) {
    state.resolveGroup = group || null;
    if (state.tab !== 'entries') selectTab('entries');
    fillEditor({ status: 'published', category: $('search-category').value, ...(prefill || {}) }, true);
    history.replaceState(null, '', location.pathname);
    $('f-question').focus();
  }

  function save(event, force) {
    if (event) event.preventDefault();
    return editorAction(async () => {
      clearEditorMessages();
      const entry = formEntry();
      const query = force ? '?force=true' : '';
      let saved;
      try {
        saved = state.entry
          ? await api('PUT', `${entryUrl(state.entry.id)}${query}`, { body: entry, headers: ifMatch(state.entry.version) })
          : await api('POST', `${API}${query}`, { body: entry });
      } catch (error) {
        editorFailure(error, (again) => save(null, again));
        return;
      }
      const group = state.resolveGroup;
      const created = !state.entry;
      state.resolveGroup = null;
      fillEditor(saved, false);
      let message = created ? `已新建条目 ${saved.id}（第${saved.version}版），机器人已可使用。` : `已保存（第${saved.version}版），机器人已使用新内容。`;
      if (group) {
        try {
          const resolved = await api('POST', `${API}/unanswered/${encodeURIComponent(group.id)}/resolve`, { body: { entryId: saved.id } });
          message += ` 未解决问题“${group.wording}”已标记为已解决（${Number(resolved && resolved.resolved) || 0} 条）。`;
          groupResolved(group, saved);
        } catch (error) {
          message += ` 但未能标记未解决问题：${error.message}`;
        }
      }
      flash(message);
      search(state.page);
    });
  }

  /** After an entry made for an inbox group is saved: the workers who asked may be told the answer from here. */
  function groupResolved(group, entry) {
    const result = el('span', { id: 'group-notify-result', role: 'status' });
    const report = (message, failed) => {
      result.textContent = message;
      result.className = failed ? 'error' : '';
    };
    const notifyButton = button('通知提问职工', () => notify(group, entry.id, report), 'secondary small-button');
    notifyButton.id = 'group-notify';
    $('editor-context').replaceChildren(
      `已为未解决问题“${group.wording}”新建此条目（${Number(group.optedIn) || 0} 位职工希望有答案时收到通知）。`,
      ' ', notifyButton, ' ', result);
    show('editor-context', true);
  }

  function reloadEntry() {
    if (state.entry) openEntry(state.entry.id, true);
  }

  function retire(force) {
    const entry = state.entry;
    if (!entry) return undefined;
    return editorAction(async () => {
      clearEditorMessages();
      try {
        const retired = await api('DELETE', `${entryUrl(entry.id)}${force ? '?force=true' : ''}`, { headers: ifMatch(entry.version) });
        fillEditor(retired, false);
        flash(`已停用 ${retired.id}，机器人不再使用这个条目。`);
        search(state.page);
      } catch (error) {
        editorFailure(error, (again) => retire(again));
      }
    });
  }

  async function preview() {
    clearEditorMessages();
    try {
      const data = await api('POST', `${API}/preview`, { body: formEntry() });
      renderReply('preview-text', data && data.text, data && data.actions);
      show('preview-box', true);
      $('preview-box').scrollIntoView({ block: 'nearest' });
    } catch (error) {
      editorFailure(error, () => preview());
    }
  }

  // ---- history ----

  // The history sends list fields (alternates, tags, sources) as their JSON text.
  function parsed(value) {
    if (typeof value !== 'string' || !/^[[{]/.test(value)) return value;
    try {
      return JSON.parse(value);
    } catch {
      return value;
    }
  }

  function itemText(v) {
    return v && typeof v === 'object' ? [v.title, v.article].filter(Boolean).join(' ') : String(v);
  }

  function valueText(value, field) {
    if (value === null || value === undefined || value === '') return '（空）';
    if (Array.isArray(value)) {
      return value.length ? value.map(itemText).join('；') : '（空）';
    }
    if (typeof value === 'object') return JSON.stringify(value);
    if (field === 'status' && STATUS_LABELS[value]) return `${STATUS_LABELS[value]}（${value}）`;
    return String(value);
  }

  function changeItem(change) {
    let before = parsed(change.old);
    let after = parsed(change.new);
    let note = null;
    if (Array.isArray(before) && Array.isArray(after)) {
      // A list that changed: only what was taken out and what was put in.
      const was = new Set(before.map(itemText));
      const now = new Set(after.map(itemText));
      before = before.filter((v) => !now.has(itemText(v)));
      after = after.filter((v) => !was.has(itemText(v)));
      note = el('span', { class: 'muted small change-note' }, `（删去 ${before.length} 项，新增 ${after.length} 项）`);
    }
    return el('li', { class: 'change', 'data-field': change.field || null },
      el('span', { class: 'change-field' }, FIELD_LABELS[change.field] || change.field || '', note),
      el('del', null, valueText(before, change.field)),
      el('span', { class: 'arrow', 'aria-hidden': 'true' }, '→'),
      el('span', { class: 'visually-hidden' }, '改为'),
      el('ins', null, valueText(after, change.field)));
  }

  function historyItem(item, current) {
    const head = el('div', { class: 'history-head' },
      el('strong', null, `第${item.version}版`), ' ',
      KIND_LABELS[item.kind] || item.kind || '', ' · ', item.author || '系统', ' · ', formatTime(item.at));
    const children = [head];
    const changes = list(item.changes);
    if (changes.length) children.push(el('ul', { class: 'changes' }, changes.map(changeItem)));
    if (current && item.version !== current.version) {
      children.push(button('恢复此版本', () => restore(item.version), 'secondary small-button restore'));
    } else if (current) {
      children.push(el('span', { class: 'tag' }, '当前版本'));
    }
    return el('li', { 'data-version': item.version }, children);
  }

  async function showHistory() {
    const entry = state.entry;
    if (!entry) return;
    try {
      const data = await api('GET', entryUrl(entry.id, 'history'));
      if (!state.entry || state.entry.id !== entry.id) return;
      // Newest first: the change just made is what the admin looks for.
      const items = list(data && data.items).slice().reverse();
      $('history-list').replaceChildren(...(items.length ? items.map((i) => historyItem(i, state.entry)) : [el('li', { class: 'muted' }, '暂无记录')]));
      show('history-box', true);
      $('history-box').scrollIntoView({ block: 'nearest' });
    } catch (error) {
      editorFailure(error, () => showHistory());
    }
  }

  function restore(version, force) {
    const entry = state.entry;
    if (!entry) return undefined;
    return editorAction(async () => {
      clearEditorMessages();
      try {
        const restored = await api('POST', `${entryUrl(entry.id, 'restore')}${force ? '?force=true' : ''}`,
          { body: { version }, headers: ifMatch(entry.version) });
        fillEditor(restored, false);
        flash(`已恢复为第${version}版的内容（新版本：第${restored.version}版）。`);
        search(state.page);
        await showHistory();
      } catch (error) {
        editorFailure(error, (again) => restore(version, again));
      }
    });
  }

  // ---- 测试问题 ----

  async function ask(event) {
    event.preventDefault();
    const q = $('ask-q').value.trim();
    setError('ask-error', '');
    if (!q) {
      setError('ask-error', '请输入问题。');
      return;
    }
    $('ask-button').disabled = true;
    try {
      const data = await api('GET', `${API}/ask?q=${encodeURIComponent(q)}`);
      $('ask-band').replaceChildren(el('span', { class: `tag band-${data.band}` }, BAND_LABELS[data.band] || data.band || '—'));
      $('ask-reason').textContent = data.reason || '—';
      $('ask-confidence').textContent = confidence(data.confidence);
      $('ask-normalized').textContent = data.normalized || '—';
      const candidates = list(data.candidates);
      $('ask-candidates').replaceChildren(...(candidates.length ? candidates.map(candidateItem) : [el('li', { class: 'muted' }, '没有候选条目')]));
      renderReply('ask-reply', data.reply && data.reply.text);
      show('ask-result', true);
    } catch (error) {
      if (error.status !== 401 && error.status !== 403) setError('ask-error', error.message);
    } finally {
      $('ask-button').disabled = false;
    }
  }

  function candidateItem(c) {
    const open = button(c.question || c.id, () => openEntry(c.id), 'link');
    const terms = list(c.matchedTerms);
    return el('li', { 'data-entry-id': c.id },
      open, ' ', el('span', { class: 'muted small' }, `${c.id} · 置信度 ${confidence(c.confidence)}`),
      c.matchedPhrasing ? el('div', { class: 'small' }, `匹配的问法：${c.matchedPhrasing}`) : null,
      terms.length ? el('div', { class: 'terms' }, '匹配的词：', terms.map((t) => el('span', { class: 'chip' }, t))) : null);
  }

  // ---- 未解决问题 ----

  async function loadUnanswered(event) {
    if (event) event.preventDefault();
    setError('unanswered-error', '');
    $('unanswered-count').textContent = '正在加载…';
    try {
      const data = await api('GET', `${API}/unanswered?days=${encodeURIComponent($('unanswered-days').value)}`);
      const items = list(data && data.items);
      $('unanswered-list').replaceChildren(...items.map(groupItem));
      $('unanswered-count').textContent = items.length ? `共 ${Number(data.total) || items.length} 组` : '暂无未解决问题。';
    } catch (error) {
      $('unanswered-count').textContent = '';
      if (error.status !== 401 && error.status !== 403) setError('unanswered-error', error.message);
    }
  }

  function groupItem(group) {
    const sources = group.sources || {};
    const examples = list(group.examples);
    const result = el('p', { class: 'group-result', role: 'status' });
    const error = el('p', { class: 'error', role: 'alert', hidden: true });
    const regression = el('div', { class: 'alert', role: 'alert', hidden: true });
    const inputId = `entry-for-${group.id}`;
    const target = el('input', { id: inputId, class: 'entry-target', maxlength: 100, autocomplete: 'off', placeholder: '条目编号' });
    target.value = (group.suggestion && group.suggestion.id) || '';
    const report = (message, failed) => {
      error.textContent = failed ? message : '';
      error.hidden = !failed;
      if (!failed) result.textContent = message;
    };
    const card = el('li', { class: 'group', 'data-group-id': group.id },
      el('h3', null, group.wording || '（无）'),
      el('p', { class: 'muted small' },
        `共 ${Number(group.count) || 0} 次 · ${formatTime(group.firstAt)} 至 ${formatTime(group.lastAt)} · 同意接收答复的职工 ${Number(group.optedIn) || 0} 人`),
      el('p', { class: 'small' }, Object.keys(SOURCE_LABELS).map((k) => `${SOURCE_LABELS[k]} ${Number(sources[k]) || 0}`).join(' · ')),
      examples.length ? el('ul', { class: 'examples' }, examples.map((e) => el('li', null, e))) : null,
      group.suggestion
        ? el('p', { class: 'small' }, '建议条目：', el('strong', null, group.suggestion.question || ''),
          ` （${group.suggestion.id}，置信度 ${confidence(group.suggestion.confidence)}）`)
        : el('p', { class: 'muted small' }, '没有相近的条目。'),
      el('div', { class: 'group-actions' },
        button('新建条目', () => newEntry({ question: group.wording || '', alternates: examples.filter((e) => e !== group.wording) }, group), 'new-from-group'),
        el('label', { for: inputId }, '条目编号'),
        target,
        button('加为相似问法', () => addAlternates(group, target.value.trim(), report, regression), 'secondary add-alternates'),
        button('通知提问职工', () => notify(group, target.value.trim(), report), 'secondary notify')),
      regression, error, result);
    return card;
  }

  async function addAlternates(group, entryId, report, regression, force) {
    if (!entryId) {
      report('请填写条目编号。', true);
      return;
    }
    regression.hidden = true;
    try {
      const entry = await api('GET', entryUrl(entryId));
      const known = new Set([entry.question, ...list(entry.alternates)]);
      const added = [];
      for (const example of list(group.examples)) {
        if (example && !known.has(example)) {
          known.add(example);
          added.push(example);
        }
      }
      if (added.length) {
        await api('PUT', `${entryUrl(entryId)}${force ? '?force=true' : ''}`, {
          body: { ...entry, alternates: [...list(entry.alternates), ...added] },
          headers: ifMatch(entry.version),
        });
      }
      const resolved = await api('POST', `${API}/unanswered/${encodeURIComponent(group.id)}/resolve`, { body: { entryId } });
      report(`已为 ${entryId} 加入 ${added.length} 个相似问法，${Number(resolved && resolved.resolved) || 0} 条问题已标记为已解决。`, false);
      flash(`“${group.wording}”已加为 ${entryId} 的相似问法。`);
    } catch (error) {
      if (error.status === 401 || error.status === 403) return;
      if (error.status === 422 && error.body && error.body.error === 'regression') {
        regression.id = `regression-${group.id}`;
        showRegressionRefusal(regression.id, error, () => addAlternates(group, entryId, report, regression, true));
      } else if (error.status === 412) {
        report('内容已被他人修改，请重试。', true);
      } else {
        report(error.message, true);
      }
    }
  }

  async function notify(group, entryId, report) {
    if (!entryId) {
      report('请填写条目编号。', true);
      return;
    }
    try {
      const data = await api('POST', `${API}/unanswered/${encodeURIComponent(group.id)}/notify`, { body: { entryId } });
      report(`通知结果：已发送 ${Number(data.sent) || 0} 人，发送失败 ${Number(data.failed) || 0} 人，此前已发送 ${Number(data.alreadySent) || 0} 人。`, false);
    } catch (error) {
      if (error.status !== 401 && error.status !== 403) report(error.message, true);
    }
  }

  // ---- 待复核 ----

  async function loadReview() {
    setError('review-error', '');
    try {
      const data = await api('GET', `${API}/review`);
      const items = list(data && data.items);
      $('review-list').replaceChildren(...items.map((e) => entryRow(e)));
      $('review-count').textContent = items.length ? `共 ${Number(data.total) || items.length} 条待复核` : '没有待复核的条目。';
    } catch (error) {
      if (error.status !== 401 && error.status !== 403) setError('review-error', error.message);
    }
  }

  // ---- 导入导出 ----

  function resetImport() {
    state.importText = null;
    show('import-confirm', false);
    show('import-regression', false);
    setError('import-error', '');
    $('import-result').replaceChildren();
  }

  function guessFormat() {
    const file = $('import-file').files[0];
    const name = file ? file.name.toLowerCase() : '';
    if (name.endsWith('.json')) $('import-format').value = 'json';
    else if (name.endsWith('.csv')) $('import-format').value = 'csv';
    else if (name.endsWith('.yaml') || name.endsWith('.yml')) $('import-format').value = 'yaml';
    resetImport();
  }

  function changeList(changes) {
    return el('ul', { class: 'changes' }, list(changes).map(changeItem));
  }

  function importSection(title, items, render) {
    return el('section', { class: 'import-part' }, el('h3', null, `${title}（${items.length}）`),
      items.length ? el('ul', { class: 'rows plain' }, items.map(render)) : null);
  }

  function renderImport(result, dryRun) {
    const creates = list(result.create);
    const updates = list(result.update);
    const conflicts = list(result.conflicts);
    const errors = list(result.errors);
    const summary = `${dryRun ? '预检结果' : '导入完成'}：新建 ${creates.length}，更新 ${updates.length}，未变 ${Number(result.unchanged) || 0}，冲突 ${conflicts.length}，错误 ${errors.length}。`;
    $('import-result').replaceChildren(
      el('p', { id: 'import-summary', class: errors.length ? 'error' : 'score' }, summary,
        !dryRun && !result.applied ? '（没有写入）' : ''),
      importSection('新建', creates, (c) => el('li', null, `${c.id || '（自动编号）'}：${c.question || ''}`)),
      importSection('更新', updates, (u) => el('li', null, el('strong', null, u.id), changeList(u.changes))),
      importSection('冲突（不会导入，请在编辑页处理）', conflicts, (c) => el('li', null,
        el('strong', null, c.id), ` 当前第${c.currentVersion}版，文件中第${c.fileVersion}版`, changeList(c.changes))),
      importSection('错误（有错误时不会导入任何内容）', errors, (e) => el('li', { class: 'error' },
        [e.entry ? `条目 ${e.entry}` : '', e.line ? `第${e.line}行` : '', e.field ? FIELD_LABELS[e.field] || e.field : ''].filter(Boolean).join(' · '),
        '：', e.message || '')));
    return errors.length === 0 && creates.length + updates.length > 0;
  }

  async function runImport(dryRun, force) {
    const format = $('import-format').value;
    const text = state.importText;
    show('import-regression', false);
    setError('import-error', '');
    $('import-dry-run').disabled = true;
    $('import-confirm').disabled = true;
    try {
      const query = new URLSearchParams({ format, dryRun: String(dryRun) });
      if (force) query.set('force', 'true');
      const result = await api('POST', `${API}/import?${query}`, { text });
      const applicable = renderImport(result || {}, dryRun);
      show('import-confirm', dryRun && applicable);
      if (!dryRun) {
        state.importText = null;
        flash('导入完成，机器人已使用新内容。');
        search(1);
      }
    } catch (error) {
      if (error.status === 401 || error.status === 403) return;
      if (error.status === 422 && error.body && error.body.error === 'regression') {
        showRegressionRefusal('import-regression', error, () => runImport(false, true));
      } else {
        setError('import-error', error.message);
      }
    } finally {
      $('import-dry-run').disabled = false;
      $('import-confirm').disabled = false;
    }
  }

  async function dryRun(event) {
    event.preventDefault();
    resetImport();
    const file = $('import-file').files[0];
    if (!file) {
      setError('import-error', '请选择要导入的文件。');
      return;
    }
    try {
      state.importText = await file.text();
    } catch {
      setError('import-error', '无法读取这个文件。');
      return;
    }
    await runImport(true, false);
  }

  // ---- 回归问题 ----

  function expectText(expect) {
    return list(expect).map((group) => list(group).join(' 或 ')).join('；并且 ') || '—';
  }

  async function loadRegression() {
    setError('regression-error', '');
    try {
      const data = await api('GET', `${API}/regression`);
      const items = rememberCases(data);
      $('regression-count').textContent = `（${Number(data.total) || items.length}）`;
      $('regression-list').replaceChildren(...items.map((c) => el('li', { class: 'case', 'data-case-id': c.id },
        el('span', { class: 'case-id' }, c.id), ' ', el('span', { class: 'tag' }, CASE_KINDS[c.kind] || c.kind || ''), ' ',
        c.q || '', ' ', button('编辑', () => editCase(c), 'link edit-case'), button('删除', (event) => deleteCase(c, event.currentTarget), 'link danger delete-case'),
        el('div', { class: 'muted small' }, `主题 ${c.topic || '—'} · 回复应包含：${expectText(c.expect)}`))));
    } catch (error) {
      if (error.status !== 401 && error.status !== 403) setError('regression-error', error.message);
    }
  }

  // ---- audit log ----

  const AUDIT_PAGE_SIZE = 20;

  function auditItem(item) {
    const changes = list(item.changes);
    return el('li', { class: 'audit-item', 'data-entry-id': item.entryId || null },
      el('div', { class: 'history-head' },
        button(item.entryId || '', () => openEntry(item.entryId), 'link open-entry'), ' ',
        `第${item.version}版 `, KIND_LABELS[item.kind] || item.kind || '', ' · ', item.author || '系统', ' · ', formatTime(item.at)),
      changes.length ? el('ul', { class: 'changes' }, changes.map(changeItem)) : null);
  }

  async function loadAudit(page) {
    setError('audit-error', '');
    const query = new URLSearchParams({ author: $('audit-author').value.trim(), page: String(page), pageSize: String(AUDIT_PAGE_SIZE) });
    try {
      const data = await api('GET', `${API}/audit?${query}`);
      const items = list(data.items);
      const total = Number(data.total) || 0;
      const pages = Math.max(1, Math.ceil(total / AUDIT_PAGE_SIZE));
      state.auditPage = page;
      $('audit-list').replaceChildren(...items.map(auditItem));
      $('audit-page').textContent = `第 ${page} / ${pages} 页，共 ${total} 条`;
      $('audit-prev').disabled = page <= 1;
      $('audit-next').disabled = page >= pages;
    } catch (error) {
      if (error.status !== 401 && error.status !== 403) setError('audit-error', error.message);
    }
  }

  // ---- regression questions: add, edit, delete ----

  const CASE_FIELDS = { id: '编号', topic: '主题', kind: '应答方式', q: '问题', expect: '回复应包含的关键词' };

  /** One keyword group per line; alternatives in a group separated by "|" or "、". */
  function parseExpect(text) {
    return lines(text).map((line) => line.split(/[|、]/).map((w) => w.trim()).filter(Boolean)).filter((g) => g.length);
  }

  function editCase(c) {
    $('case-form-title').textContent = `编辑回归问题 ${c.id}`;
    $('case-id').value = c.id || '';
    $('case-id').readOnly = true;
    $('case-topic').value = c.topic || '';
    $('case-kind').value = c.kind || 'answer';
    $('case-q').value = c.q || '';
    $('case-expect').value = list(c.expect).map((g) => list(g).join('|')).join('\n');
    setError('case-error', '');
    $('case-q').focus();
  }

  function newCase() {
    $('case-form').reset();
    $('case-id').readOnly = false;
    $('case-form-title').textContent = '添加回归问题';
    setError('case-error', '');
  }

  async function saveCase(event) {
    event.preventDefault();
    setError('case-error', '');
    for (const id of ['case-id', 'case-topic', 'case-kind', 'case-q', 'case-expect']) $(id).removeAttribute('aria-invalid');
    const id = $('case-id').value.trim();
    if (!id) {
      $('case-id').setAttribute('aria-invalid', 'true');
      setError('case-error', '编号：请填写。');
      return;
    }
    const body = { topic: $('case-topic').value.trim(), kind: $('case-kind').value, q: $('case-q').value.trim(), expect: parseExpect($('case-expect').value) };
    $('case-save').disabled = true;
    try {
      await api('PUT', `${API}/regression/${encodeURIComponent(id)}`, { body });
      flash(`已保存回归问题 ${id}`);
      newCase();
      await loadRegression();
    } catch (error) {
      const field = error.body && error.body.field;
      if (field && $(`case-${field}`)) $(`case-${field}`).setAttribute('aria-invalid', 'true');
      if (error.status !== 401 && error.status !== 403) setError('case-error', field ? `${CASE_FIELDS[field] || field}：${error.message}` : error.message);
    } finally {
      $('case-save').disabled = false;
    }
  }

  /** The first click asks (the button becomes 确认删除), the second deletes: no browser dialog. */
  async function deleteCase(c, node) {
    if (node.dataset.armed !== 'true') {
      node.dataset.armed = 'true';
      node.textContent = '确认删除';
      return;
    }
    setError('regression-error', '');
    try {
      await api('DELETE', `${API}/regression/${encodeURIComponent(c.id)}`);
      flash(`已删除回归问题 ${c.id}`);
      await loadRegression();
    } catch (error) {
      if (error.status !== 401 && error.status !== 403) setError('regression-error', error.message);
    }
  }

  async function runRegression() {
    setError('regression-error', '');
    $('regression-run').disabled = true;
    $('regression-score').textContent = '正在运行…';
    show('regression-score', true);
    try {
      const data = await api('POST', `${API}/regression/run`);
      const failures = list(data.failures);
      await loadCases(failures);
      $('regression-score').textContent = `${data.scoreLine || ''}（通过 ${Number(data.passed) || 0}，评判 ${Number(data.judged) || 0}，跳过 ${Number(data.skipped) || 0}）`;
      $('regression-failures').replaceChildren(...failures.map(failureItem));
    } catch (error) {
      show('regression-score', false);
      if (error.status !== 401 && error.status !== 403) setError('regression-error', error.message);
    } finally {
      $('regression-run').disabled = false;
    }
  }

  // ---- start ----

  async function start() {
    $('sign-in-form').addEventListener('submit', signIn);
    $('sign-out').addEventListener('click', signOut);
    $('forbidden-sign-out').addEventListener('click', signOut);
    const tabs = Array.from(document.querySelectorAll('[role="tab"]'));
    for (const tab of tabs) {
      tab.addEventListener('click', () => selectTab(tab.dataset.tab));
      // Arrow keys move between tabs, as a tab list does.
      tab.addEventListener('keydown', (event) => {
        const step = { ArrowRight: 1, ArrowLeft: -1 }[event.key];
        if (!step) return;
        const next = tabs[(tabs.indexOf(tab) + step + tabs.length) % tabs.length];
        selectTab(next.dataset.tab);
        next.focus();
      });
    }
    $('search-form').addEventListener('submit', (event) => {
      event.preventDefault();
      search(1);
    });
    $('search-category').addEventListener('change', () => search(1));
    $('search-status').addEventListener('change', () => search(1));
    $('page-prev').addEventListener('click', () => search(state.page - 1));
    $('page-next').addEventListener('click', () => search(state.page + 1));
    $('new-entry').addEventListener('click', () => newEntry());
    $('editor-form').addEventListener('submit', (event) => save(event, false));
    $('add-source').addEventListener('click', () => $('f-sources').append(sourceRow()));
    $('preview-entry').addEventListener('click', preview);
    $('history-entry').addEventListener('click', showHistory);
    $('retire-entry').addEventListener('click', () => {
      show('retire-box', true);
      $('retire-confirm').focus();
    });
    $('retire-confirm').addEventListener('click', () => retire(false));
    $('retire-cancel').addEventListener('click', () => show('retire-box', false));
    $('close-entry').addEventListener('click', closeEditor);
    $('reload-entry').addEventListener('click', reloadEntry);
    $('ask-form').addEventListener('submit', ask);
    $('unanswered-form').addEventListener('submit', loadUnanswered);
    $('import-file').addEventListener('change', guessFormat);
    $('import-format').addEventListener('change', resetImport);
    $('import-form').addEventListener('submit', dryRun);
    $('import-confirm').addEventListener('click', () => runImport(false, false));
    $('regression-run').addEventListener('click', runRegression);
    $('case-form').addEventListener('submit', saveCase);
    $('audit-form').addEventListener('submit', (event) => {
      event.preventDefault();
      loadAudit(1);
    });
    $('audit-prev').addEventListener('click', () => loadAudit((state.auditPage || 1) - 1));
    $('audit-next').addEventListener('click', () => loadAudit((state.auditPage || 1) + 1));
    $('case-new').addEventListener('click', newCase);

    try {
      entered(await api('GET', '/api/me'));
    } catch (error) {
      showSignIn(error.status === 401 || error.status === 403 ? '' : error.message);
    }
  }

  start();
})();
