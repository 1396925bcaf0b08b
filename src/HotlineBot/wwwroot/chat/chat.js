// The worker's chat: Microsoft's Web Chat on the service's own Direct Line 3.0. The page asks the
// service for a token (POST /api/chat/token); Web Chat's DirectLineJS starts the conversation with it and
// keeps it fresh (it refreshes every 15 minutes). Token and conversation are kept in sessionStorage, so a
// reload within the token's life shows the same conversation again instead of starting a new one.
(() => {
  'use strict';

  const STORAGE_KEY = 'hotline.chat';
  const DIRECT_LINE = `${window.location.origin}/v3/directline`;
  // A saved token refreshed by DirectLineJS is at most this old, so it lives at least this much less than a new one.
  const REFRESH_INTERVAL_MS = 15 * 60 * 1000;
  // Resuming with a token about to expire would fail moments later: start afresh instead.
  const MIN_REMAINING_MS = 60 * 1000;
  // DirectLineJS's ConnectionStatus.
  const ONLINE = 2;
  const EXPIRED_TOKEN = 3;
  const FAILED_TO_CONNECT = 4;
  const ENDED = 5;

  const { React, ReactDOM, WebChat } = window;
  const h = React.createElement;
  const host = document.getElementById('webchat');
  const statusBox = document.getElementById('status');
  const statusText = document.getElementById('status-text');
  const restartButton = document.getElementById('restart');

  class ChatError extends Error {}

  function showStatus(text, offerRestart) {
    statusText.textContent = text;
    restartButton.hidden = !offerRestart;
    statusBox.hidden = false;
  }

  function hideStatus() {
    statusBox.hidden = true;
  }

  function isOperator(activity) {
    const hotline = activity && activity.channelData && activity.channelData.hotline;
    return Boolean(hotline) && hotline.kind === 'operator';
  }

  // sessionStorage may be unavailable (some in-app browsers, private modes): then a reload starts afresh.
  function loadSession() {
    try {
      const saved = JSON.parse(window.sessionStorage.getItem(STORAGE_KEY) || 'null');
      if (saved && typeof saved.token === 'string' && typeof saved.conversationId === 'string'
        && typeof saved.expiresAt === 'number' && typeof saved.lifetimeMs === 'number') {
        return saved;
      }
    } catch {
      // unreadable: as if nothing were saved
    }
    return null;
  }

  function saveSession(session) {
    try {
      window.sessionStorage.setItem(STORAGE_KEY, JSON.stringify(session));
    } catch {
      // full or unavailable: the conversation just does not survive a reload
    }
  }

  function forgetSession() {
    try {
      window.sessionStorage.removeItem(STORAGE_KEY);
    } catch {
      // nothing to forget
    }
  }

  async function newSession() {
    let response;
    try {
      response = await fetch('/api/chat/token', {
        method: 'POST',
        headers: { 'X-Requested-With': 'XMLHttpRequest' },
        credentials: 'same-origin',
        cache: 'no-store',
      });
    } catch {
      throw new ChatError('网络连接不上，请检查网络后点“开始新的对话”。');
    }
    if (response.status === 429) {
      throw new ChatError('现在打开的人较多，请过一分钟再点“开始新的对话”。');
    }
    if (!response.ok) {
      throw new ChatError('智能助手暂时连不上，请稍后点“开始新的对话”，着急请拨打 12351。');
    }
    const body = await response.json();
    const lifetimeMs = Number(body.expires_in) * 1000;
    return {
      token: body.token,
      conversationId: body.conversationId,
      lifetimeMs,
      expiresAt: Date.now() + lifetimeMs,
    };
  }

  // Web Chat's own components do the rendering; this only marks a human operator's message as such.
  const activityMiddleware = () => (next) => (...setupArgs) => {
    const render = next(...setupArgs);
    const [{ activity }] = setupArgs;
    if (!render || !isOperator(activity)) {
      return render;
    }
    return (...renderArgs) => h(
      'div',
      { className: 'hotline-staff', 'data-hotline-kind': 'operator' },
      h('div', { className: 'hotline-staff__label' }, '工作人员'),
      render(...renderArgs),
    );
  };

  const styleOptions = {
    accent: '#b71c1c',
    primaryFont: 'system-ui, -apple-system, "PingFang SC", "Hiragino Sans GB", "Microsoft YaHei", "Noto Sans CJK SC", sans-serif',
    backgroundColor: '#f4f4f5',
    bubbleBackground: '#ffffff',
    bubbleBorderRadius: 10,
    bubbleBorderColor: '#e3e3e3',
    bubbleFromUserBackground: '#b71c1c',
    bubbleFromUserTextColor: '#ffffff',
    bubbleFromUserBorderRadius: 10,
    bubbleFromUserBorderColor: '#b71c1c',
    bubbleMinWidth: 0,
    bubbleMaxWidth: 560,
    // All choices in view, wrapped onto several lines, rather than a carousel to swipe on a phone.
    suggestedActionLayout: 'flow',
    suggestedActionBorderRadius: 16,
    suggestedActionHeight: 36,
    sendBoxTextWrap: true,
    sendBoxButtonColor: '#b71c1c',
    // Nothing can be uploaded yet: no button that leads nowhere.
    hideUploadButton: true,
    rootHeight: '100%',
    rootWidth: '100%',
  };

  let current = null;

  function stop() {
    if (!current) {
      return;
    }
    current.subscription.unsubscribe();
    ReactDOM.unmountComponentAtNode(host);
    current.directLine.end();
    current = null;
  }

  async function start(fresh) {
    stop();
    showStatus('正在连接智能助手…', false);
    let session = fresh ? null : loadSession();
    const resuming = Boolean(session) && session.expiresAt - Date.now() > MIN_REMAINING_MS;
    if (!resuming) {
      forgetSession();
      try {
        session = await newSession();
      } catch (error) {
        showStatus(error instanceof ChatError ? error.message : '智能助手暂时连不上，请稍后再试。', true);
        return;
      }
    }
    saveSession(session);

    // A new conversation is started by DirectLineJS (POST /conversations); a saved one is resumed by its id
    // (GET /conversations/{id}) with no watermark, so the whole conversation is shown again.
    const directLine = WebChat.createDirectLine(resuming
      ? { token: session.token, conversationId: session.conversationId, domain: DIRECT_LINE, webSocket: true }
      : { token: session.token, domain: DIRECT_LINE, webSocket: true });
    let wasOnline = false;
    const subscription = directLine.connectionStatus$.subscribe((status) => {
      if (status === ONLINE) {
        wasOnline = true;
        hideStatus();
        if (directLine.conversationId && directLine.conversationId !== session.conversationId) {
          session.conversationId = directLine.conversationId;
          saveSession(session);
        }
      } else if (status === FAILED_TO_CONNECT && resuming && !wasOnline) {
        // The saved conversation is gone or its token no longer works: begin a new one.
        window.setTimeout(() => start(true), 0);
      } else if (status === FAILED_TO_CONNECT || status === EXPIRED_TOKEN || status === ENDED) {
        showStatus('对话已中断。', true);
      }
    });
    current = { directLine, session, subscription };

    WebChat.renderWebChat({
      directLine,
      locale: 'zh-CN',
      styleOptions,
      activityMiddleware,
    }, host);
  }

  // DirectLineJS may have swapped the token for a fresh one: keep that one for the reload.
  window.addEventListener('pagehide', () => {
    if (current && current.directLine.token && current.directLine.token !== current.session.token) {
      saveSession({
        ...current.session,
        token: current.directLine.token,
        expiresAt: Date.now() + current.session.lifetimeMs - REFRESH_INTERVAL_MS,
      });
    }
  });

  restartButton.addEventListener('click', () => start(true));

  start(false);
})();
