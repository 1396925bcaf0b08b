// The operators' console: signs in with the hotline.auth cookie, polls the case API every few seconds
// and builds every piece of user text with text nodes (never HTML), so a worker's message cannot
// become markup. No framework and no inline script: the page runs under `default-src 'self'`.
'use strict';

(() => {
  const POLL_MS = 3000;
  const FLASH_MS = 8000;
  const MAX_NOTIFICATIONS = 50;
  const MAX_REPLY = 2000;
  const PAGE_SIZE = 200;
  const SOON_MS = 15 * 60 * 1000;
  const ALL_STATUSES = 'new,claimed,waiting-for-worker,waiting-for-operator,resolved,closed';

  const ROLE_LABELS = { worker: '职工', bot: '机器人', operator: '话务员' };
  // For values the API sends without a label (history's from/to); the same words as its statusLabel.
  const STATUS_LABELS = {
    new: '待认领',
    claimed: '处理中',
    'waiting-for-worker': '等待职工回复',
    'waiting-for-operator': '职工已回复，待处理',
    resolved: '已处理，待回访',
    closed: '已结案',
  };
  const ACTION_LABELS = {
    open: '创建工单',
    claim: '认领',
    'ask-worker': '询问职工',
    'worker-replied': '职工回复',
    resolve: '结案',
    close: '关闭',
    reopen: '重新打开',
    'reveal-phone': '查看完整号码',
    callback: '回电',
    'callback-reminder': '回电提醒',
    'delivery-failed': '消息发送失败',
    'delivery-undeliverable': '消息无法送达',
    attachment: '附件',
    escalate: '升级',
    'notify-operators': '通知话务员',
    remind: '超时提醒',
    survey: '满意度评分',
    'survey-sent': '发出满意度回访',
  };
  const ACTOR_LABELS = { bot: '机器人', system: '系统', worker: '职工' };
  const DELIVERY_KINDS = { operator: '话务员回复', status: '进度通知', survey: '满意度回访' };

  const { ApiError, $, el, show } = window.Staff;
  const formatTime = window.Staff.timeFormatter({ month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit' });

  const state = {
    me: null,
    filter: 'open',
    queueKey: '',
    selectedId: null,
    detail: null,
    detailKey: '',
    revealedPhone: null,
    notificationsAfter: null,
    timer: 0,
    flashTimer: 0,
    // Bumped on sign-in, sign-out and case switch: answers to older requests are dropped.
    generation: 0,
  };


  // ---- DOM helpers: text only ----


  function setText(id, value) {
    $(id).textContent = value === null || value === undefined || value === '' ? '—' : String(value);
  }



  function duration(ms) {
    const minutes = Math.floor(ms / 60000);
    if (minutes < 1) return '不到1分钟';
    if (minutes < 60) return `${minutes}分钟`;
    const hours = Math.floor(minutes / 60);
    if (hours < 48) return minutes % 60 ? `${hours}小时${minutes % 60}分钟` : `${hours}小时`;
    const days = Math.floor(hours / 24);
    return hours % 24 ? `${days}天${hours % 24}小时` : `${days}天`;
  }

  // The first-response deadline as the operator reads it: time left, time overdue, or met.
  function countdown(item) {
    if (item.firstRespondedAt) return { text: '已响应', cls: 'met' };
    if (item.status === 'resolved' || item.status === 'closed') return { text: '已结案', cls: '' };
    if (!item.firstResponseDue) return { text: '无时限', cls: '' };
    const left = Date.parse(item.firstResponseDue) - Date.now();
    if (Number.isNaN(left)) return { text: '无时限', cls: '' };
    if (left >= 0) return { text: `剩余 ${duration(left)}`, cls: left < SOON_MS ? 'soon' : '' };
    return { text: `已超时 ${duration(-left)}`, cls: 'overdue' };
  }

  function applyCountdown(node) {
    const { text, cls } = countdown({
      firstResponseDue: node.dataset.due,
      firstRespondedAt: node.dataset.responded,
      status: node.dataset.status,
    });
    node.textContent = text;
    node.className = cls ? `countdown ${cls}` : 'countdown';
  }

  function setCountdown(node, item) {
    node.dataset.due = item.firstResponseDue || '';
    node.dataset.responded = item.firstRespondedAt || '';
    node.dataset.status = item.status || '';
    applyCountdown(node);
  }

  function tickCountdowns() {
    for (const node of document.querySelectorAll('.countdown[data-status]')) applyCountdown(node);
  }

  // ---- HTTP ----

  function messageFor(status) {
    if (status === 401) return '请先登录。';
    if (status === 403) return '没有权限执行这个操作。';
    if (status === 404) return '工单不存在。';
    if (status === 409) return '工单状态已变化，请刷新后重试。';
    if (status === 429) return '操作太频繁，请稍后再试。';
    return '服务器暂时无法处理，请稍后再试。';
  }

  const request = window.Staff.apiClient(messageFor, (status, path) => {
    if (status === 401 && state.me && path !== '/api/auth/login') signedOut('登录已过期，请重新登录。');
  });

  function api(method, path, body) {
    return request(method, path, { body });
  }

  function caseUrl(id, action) {
    return `/api/cases/${encodeURIComponent(id)}${action ? `/${action}` : ''}`;
  }

  // Network failures and server errors are transient: polling carries on and says so.
  function isTransient(error) {
    return !(error instanceof ApiError) || error.status === 0 || error.status >= 500 || error.status === 429;
  }

  // ---- sign-in ----

  function showSignIn(message) {
    show('loading', false);
    show('console-view', false);
    show('who', false);
    show('connection', false);
    show('sign-in-view', true);
    const error = $('sign-in-error');
    error.textContent = message || '';
    error.hidden = !message;
    $('username').focus();
  }

  function showConsole() {
    show('loading', false);
    show('sign-in-view', false);
    show('sign-in-error', false);
    $('who-name').textContent = `${state.me.username}（${state.me.role === 'admin' ? '管理员' : '话务员'}）`;
    show('who', true);
    show('console-view', true);
    show('case-view', true);
    startPolling();
    const fromHash = decodeURIComponent(location.hash.replace(/^#/, ''));
    if (fromHash && fromHash !== state.selectedId) openCase(fromHash);
  }

  function clearConsole() {
    $('queue-list').replaceChildren();
    $('notification-list').replaceChildren();
    show('notification-empty', true);
    state.queueKey = '';
    state.notificationsAfter = null;
    closeCase();
  }

  function signedOut(message) {
    state.me = null;
    state.generation += 1;
    clearTimeout(state.timer);
    clearConsole();
    showSignIn(message);
  }

  const { signIn, signOut } = window.Staff.signInHandlers(request, {
    entered: (me) => {
      state.me = me;
      showConsole();
    },
    showSignIn,
    signedOut,
  });

  // ---- polling ----

  function startPolling() {
    state.generation += 1;
    clearTimeout(state.timer);
    poll(state.generation);
  }

  async function poll(generation) {
    const results = await Promise.allSettled([loadQueue(), loadDetail(), loadNotifications()]);
    if (generation !== state.generation || !state.me) return;
    const transient = results.some((r) => r.status === 'rejected' && isTransient(r.reason));
    show('connection', transient);
    state.timer = setTimeout(() => poll(generation), POLL_MS);
  }

  // ---- queue ----

  // Soonest pending deadline first; a met deadline or none no longer orders the queue: oldest first after.
  function compareCases(a, b) {
    const due = (c) => (c.firstResponseDue && !c.firstRespondedAt ? Date.parse(c.firstResponseDue) : Infinity);
    const byDue = due(a) - due(b);
    if (byDue) return byDue;
    const byCreated = Date.parse(a.createdAt) - Date.parse(b.createdAt);
    if (byCreated) return byCreated;
    return String(a.id).localeCompare(String(b.id));
  }

  function tag(text, cls) {
    return el('span', { class: cls ? `tag ${cls}` : 'tag' }, text);
  }

  function shorten(text, max) {
    const chars = Array.from(String(text || ''));
    return chars.length > max ? `${chars.slice(0, max).join('')}…` : chars.join('');
  }

  function caseRow(item) {
    const time = el('span', { class: 'countdown' });
    setCountdown(time, item);
    const button = el(
      'button',
      { type: 'button', class: item.id === state.selectedId ? 'case-row selected' : 'case-row', 'data-case-id': item.id, title: item.description || '' },
      el('span', { class: 'row-id' }, item.id),
      time,
      el('span', { class: 'row-tags' }, tag(item.priorityLabel, item.priority), tag(item.categoryLabel), tag(item.statusLabel, 'status')),
      el('span', { class: 'row-desc' }, shorten(item.description, 60) || '（无描述）'),
      el('span', { class: 'row-meta' }, item.assignee ? `处理人：${item.assignee}` : '未认领'),
    );
    button.addEventListener('click', () => openCase(item.id));
    return el('li', null, button);
  }

  async function loadQueue() {
    const generation = state.generation;
    const filter = state.filter;
    const status = filter === 'all' ? `status=${ALL_STATUSES}&` : '';
    const data = await api('GET', `/api/cases?${status}page=1&pageSize=${PAGE_SIZE}`);
    if (generation !== state.generation || filter !== state.filter) return;
    let items = Array.isArray(data && data.items) ? data.items : [];
    if (filter === 'mine') {
      const me = state.me.username.toLowerCase();
      items = items.filter((c) => (c.assignee || '').toLowerCase() === me);
    }
    items = items.slice().sort(compareCases);
    const key = JSON.stringify([filter, state.selectedId, items, data.total]);
    if (key === state.queueKey) return;
    state.queueKey = key;
    $('queue-list').replaceChildren(...items.map(caseRow));
    $('queue-count').textContent = `（${items.length}）`;
    show('queue-empty', items.length === 0);
    const total = Number(data.total) || 0;
    const more = $('queue-more');
    more.textContent = total > PAGE_SIZE ? `共 ${total} 个，只显示前 ${PAGE_SIZE} 个。` : '';
    more.hidden = total <= PAGE_SIZE;
  }

  // ---- notifications ----

  function notificationItem(n, fresh) {
    const parts = [el('span', { class: 'muted' }, formatTime(n.at)), ' ', n.text || ''];
    if (n.caseId) {
      const open = el('button', { type: 'button', class: 'link' }, `查看 ${n.caseId}`);
      open.addEventListener('click', () => openCase(n.caseId));
      parts.push(' ', open);
    }
    return el('li', { class: fresh ? 'fresh' : null, 'data-notification-id': n.id, 'data-case-id': n.caseId || null }, ...parts);
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

  async function loadNotifications() {
    const generation = state.generation;
    const first = state.notificationsAfter === null;
    let after = state.notificationsAfter || 0;
    const fresh = [];
    // On the first load, catch up page by page without announcing old ones.
    for (let page = 0; page < 20; page += 1) {
      const data = await api('GET', `/api/notifications?after=${after}`);
      if (generation !== state.generation) return;
      const items = (Array.isArray(data && data.items) ? data.items : [])
        .filter((n) => Number(n.id) > after)
        .sort((a, b) => a.id - b.id);
      if (items.length === 0) break;
      fresh.push(...items);
      after = Number(items[items.length - 1].id);
      if (!(Number(data.total) > items.length)) break;
    }
    state.notificationsAfter = after;
    if (fresh.length === 0) return;
    const list = $('notification-list');
    for (const item of list.querySelectorAll('li.fresh')) item.classList.remove('fresh');
    for (const n of fresh) list.prepend(notificationItem(n, !first));
    while (list.children.length > MAX_NOTIFICATIONS) list.lastElementChild.remove();
    show('notification-empty', false);
    if (!first) {
      const latest = fresh[fresh.length - 1];
      flash(fresh.length > 1 ? `${fresh.length} 条新通知：${latest.text}` : `新通知：${latest.text}`);
      // A new case or worker message should show up now, not at the next poll.
      state.queueKey = '';
    }
  }

  // ---- the open case ----

  function closeCase() {
    state.selectedId = null;
    state.detail = null;
    state.detailKey = '';
    state.revealedPhone = null;
    show('case-body', false);
    show('case-placeholder', true);
  }

  function openCase(id) {
    if (!id || !state.me) return;
    if (id !== state.selectedId) {
      state.generation += 1;
      state.selectedId = id;
      state.detail = null;
      state.detailKey = '';
      state.revealedPhone = null;
      // A half-typed reply must never go to another worker.
      $('reply-text').value = '';
      updateReplyCount();
      show('resolve-form', false);
      show('reopen-form', false);
      show('case-error', false);
      history.replaceState(null, '', `#${encodeURIComponent(id)}`);
      for (const row of document.querySelectorAll('.case-row')) {
        row.classList.toggle('selected', row.dataset.caseId === id);
      }
      clearTimeout(state.timer);
      poll(state.generation);
    }
    $('case-view').scrollIntoView({ block: 'start', behavior: 'smooth' });
  }

  async function loadDetail() {
    const id = state.selectedId;
    if (!id) return;
    try {
      const detail = await api('GET', caseUrl(id));
      if (id === state.selectedId) renderDetail(detail);
    } catch (error) {
      if (id === state.selectedId && !isTransient(error) && error.status !== 401) {
        showCaseError(error.message);
      }
      throw error;
    }
  }

  function showCaseError(message) {
    const node = $('case-error');
    node.textContent = message;
    node.hidden = !message;
  }

  function deliveryLabel(delivery) {
    if (!delivery) return null;
    if (delivery.state === 'delivered') return { text: '已送达', cls: 'delivered' };
    if (delivery.state === 'failed') return { text: `发送失败（重试${Number(delivery.attempts) || 0}次）`, cls: 'failed' };
    // The channel will never take it (outside its reply window, the worker left): the reason says why.
    if (delivery.state === 'undeliverable') {
      return { text: delivery.lastError ? `无法送达：${delivery.lastError}` : '无法送达', cls: 'failed undeliverable' };
    }
    return { text: '发送中', cls: 'pending' };
  }

  function transcriptLine(line) {
    const head = el('div', { class: 'line-head' },
      el('span', { class: 'line-role' }, ROLE_LABELS[line.role] || line.role || ''),
      el('time', { datetime: line.at || null }, formatTime(line.at)));
    const label = deliveryLabel(line.delivery);
    if (label) {
      head.append(el('span', {
        class: `delivery ${label.cls}`,
        title: line.delivery.lastError || null,
        'data-delivery-id': line.delivery.id || null,
        'data-state': line.delivery.state || null,
      }, label.text));
    }
    return el('li', { class: `line ${line.role || ''}` }, head, el('div', { class: 'line-text' }, line.text || ''));
  }

  function deliveryItem(d) {
    const label = deliveryLabel(d);
    return el('li', null,
      el('span', { class: 'muted' }, formatTime(d.createdAt)), ' ',
      `${DELIVERY_KINDS[d.kind] || d.kind || ''}${d.author ? `（${d.author}）` : ''}：`,
      shorten(d.text, 80), ' ',
      el('span', { class: `delivery ${label.cls}`, title: d.lastError || null }, label.text));
  }

  // A link only to a web address (the API checks it too): never javascript: or anything else the browser would run.
  function attachmentItem(a) {
    const url = typeof a.url === 'string' && /^https?:\/\//i.test(a.url) ? a.url : null;
    const label = `${a.isImage ? '图片' : '文件'}${a.name ? ` ${a.name}` : ''}`;
    return el('li', null,
      el('span', { class: 'muted' }, formatTime(a.addedAt)), ' ',
      url ? el('a', { href: url, target: '_blank', rel: 'noopener noreferrer' }, label) : label);
  }

  function historyItem(h) {
    const status = (s) => STATUS_LABELS[s] || s || '—';
    let change = '';
    if (!h.from && h.to) change = `（${status(h.to)}）`;
    else if (h.from && h.to && h.from !== h.to) change = `（${status(h.from)} → ${status(h.to)}）`;
    return el('li', null,
      el('span', { class: 'muted' }, formatTime(h.at)), ' ',
      ACTOR_LABELS[h.actor] || h.actor || '系统', ' ', ACTION_LABELS[h.action] || h.action || '', change,
      h.note ? `：${h.note}` : '');
  }

  function renderDetail(d) {
    if (!d || !state.me || d.id !== state.selectedId) return;
    const key = JSON.stringify([d, state.revealedPhone]);
    if (key === state.detailKey) return;
    const firstRender = !state.detail || state.detail.id !== d.id;
    state.detail = d;
    state.detailKey = key;

    show('case-placeholder', false);
    show('case-body', true);
    $('case-title').textContent = `工单 ${d.id}`;
    $('case-priority').textContent = d.priorityLabel || d.priority || '';
    $('case-priority').className = `tag ${d.priority || ''}`;
    $('case-category').textContent = d.categoryLabel || d.category || '';
    $('case-status').textContent = d.statusLabel || STATUS_LABELS[d.status] || d.status || '';
    $('case-status').dataset.status = d.status || '';
    setCountdown($('case-countdown'), d);

    setText('case-worker', d.workerName);
    setText('case-channel', d.channelId);
    const revealed = state.revealedPhone && state.revealedPhone.id === d.id ? state.revealedPhone.phone : null;
    $('case-phone').textContent = revealed || d.callbackPhone || '未留电话';
    show('reveal-phone', Boolean(d.canRevealPhone && d.callbackPhone && !revealed));
    setText('case-window', d.callbackWindow);
    setText('case-assignee', d.assignee || '未认领');
    setText('case-created', formatTime(d.createdAt));
    setText('case-due', d.firstResponseDue ? formatTime(d.firstResponseDue) : null);
    $('case-description').textContent = d.description || '（无描述）';

    show('claim-button', Boolean(d.canClaim));
    show('resolve-button', Boolean(d.canResolve));
    show('reopen-button', Boolean(d.canReopen));
    if (!d.canResolve) show('resolve-form', false);
    if (!d.canReopen) show('reopen-form', false);

    const resolution = $('case-resolution');
    resolution.textContent = d.resolution ? `处理结果：${d.resolution}` : '';
    resolution.hidden = !d.resolution;
    const survey = $('case-survey');
    if (d.survey && d.survey.sentAt) {
      survey.textContent = d.survey.score === null || d.survey.score === undefined
        ? `满意度回访已于 ${formatTime(d.survey.sentAt)} 发出，尚未评分。`
        : `满意度评分：${d.survey.score}`;
      survey.hidden = false;
    } else {
      survey.hidden = true;
    }

    const transcript = $('transcript');
    const atBottom = transcript.scrollHeight - transcript.scrollTop - transcript.clientHeight < 40;
    const lines = Array.isArray(d.transcript) ? d.transcript : [];
    transcript.replaceChildren(...lines.map(transcriptLine));
    if (firstRender || atBottom) transcript.scrollTop = transcript.scrollHeight;

    const reply = $('reply-text');
    reply.disabled = !d.canMessage;
    $('reply-send').disabled = !d.canMessage;
    let hint = '';
    if (!d.canMessage) {
      if (d.status === 'resolved' || d.status === 'closed') hint = '工单已处理；重新打开后才能回复。';
      else if (d.assignee && d.assignee.toLowerCase() !== state.me.username.toLowerCase()) hint = `该工单由 ${d.assignee} 处理。`;
      else hint = '请先认领工单再回复。';
    }
    $('reply-hint').textContent = hint;

    const attachments = Array.isArray(d.attachments) ? d.attachments : [];
    $('attachments').replaceChildren(...(attachments.length ? attachments.map(attachmentItem) : [el('li', { class: 'muted' }, '暂无')]));
    const deliveries = Array.isArray(d.deliveries) ? d.deliveries : [];
    $('deliveries').replaceChildren(...(deliveries.length ? deliveries.map(deliveryItem) : [el('li', { class: 'muted' }, '暂无')]));
    const entries = Array.isArray(d.history) ? d.history : [];
    $('history').replaceChildren(...(entries.length ? entries.map(historyItem) : [el('li', { class: 'muted' }, '暂无')]));
  }

  // Runs an action on the open case with its buttons disabled; errors show beside the buttons.
  async function act(run) {
    const buttons = document.querySelectorAll('#case-body button');
    for (const b of buttons) b.disabled = true;
    showCaseError('');
    try {
      await run();
      return true;
    } catch (error) {
      if (error.status !== 401) showCaseError(error.message);
      return false;
    } finally {
      for (const b of buttons) b.disabled = false;
      if (state.detail) {
        $('reply-send').disabled = !state.detail.canMessage;
        state.detailKey = '';
        state.queueKey = '';
      }
      startPolling();
    }
  }

  function claim() {
    const id = state.selectedId;
    return act(async () => renderDetail(await api('POST', caseUrl(id, 'claim'))));
  }

  function updateReplyCount() {
    const length = Array.from($('reply-text').value).length;
    const count = $('reply-count');
    count.textContent = `${length}/${MAX_REPLY}`;
    count.classList.toggle('error', length > MAX_REPLY);
  }

  async function sendReply(event) {
    event.preventDefault();
    const id = state.selectedId;
    const text = $('reply-text').value.trim();
    if (!text) {
      showCaseError('请输入回复内容。');
      return;
    }
    if (Array.from(text).length > MAX_REPLY) {
      showCaseError(`回复最多 ${MAX_REPLY} 个字。`);
      return;
    }
    const sent = await act(() => api('POST', caseUrl(id, 'messages'), { text }));
    if (sent && id === state.selectedId) {
      $('reply-text').value = '';
      updateReplyCount();
    }
  }

  function toggleForm(formId, textId) {
    const form = $(formId);
    form.hidden = !form.hidden;
    if (!form.hidden) $(textId).focus();
  }

  async function resolve(event) {
    event.preventDefault();
    const id = state.selectedId;
    const resolution = $('resolution-text').value.trim();
    if (!resolution) {
      showCaseError('请填写处理结果。');
      return;
    }
    const done = await act(async () => renderDetail(await api('POST', caseUrl(id, 'resolve'), { resolution })));
    if (done) {
      $('resolution-text').value = '';
      show('resolve-form', false);
    }
  }

  async function reopen(event) {
    event.preventDefault();
    const id = state.selectedId;
    const reason = $('reopen-text').value.trim();
    if (!reason) {
      showCaseError('请填写重新打开的原因。');
      return;
    }
    const done = await act(async () => renderDetail(await api('POST', caseUrl(id, 'reopen'), { reason })));
    if (done) {
      $('reopen-text').value = '';
      show('reopen-form', false);
    }
  }

  function revealPhone() {
    const id = state.selectedId;
    return act(async () => {
      const data = await api('POST', caseUrl(id, 'phone'));
      if (id === state.selectedId && data && data.phone) {
        state.revealedPhone = { id, phone: data.phone };
        if (state.detail) renderDetail(state.detail);
      }
    });
  }

  // ---- start ----

  async function start() {
    $('sign-in-form').addEventListener('submit', signIn);
    $('sign-out').addEventListener('click', signOut);
    $('status-filter').addEventListener('change', (event) => {
      state.filter = event.target.value;
      state.queueKey = '';
      startPolling();
    });
    $('claim-button').addEventListener('click', claim);
    $('resolve-button').addEventListener('click', () => toggleForm('resolve-form', 'resolution-text'));
    $('resolve-cancel').addEventListener('click', () => show('resolve-form', false));
    $('resolve-form').addEventListener('submit', resolve);
    $('reopen-button').addEventListener('click', () => toggleForm('reopen-form', 'reopen-text'));
    $('reopen-cancel').addEventListener('click', () => show('reopen-form', false));
    $('reopen-form').addEventListener('submit', reopen);
    $('reveal-phone').addEventListener('click', revealPhone);
    $('reply-form').addEventListener('submit', sendReply);
    $('reply-text').addEventListener('input', updateReplyCount);
    setInterval(tickCountdowns, 1000);

    try {
      state.me = await api('GET', '/api/me');
      showConsole();
    } catch (error) {
      showSignIn(error.status === 401 || error.status === 403 ? '' : error.message);
    }
  }

  start();
})();
