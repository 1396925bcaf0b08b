// What the staff pages (the operators' console, the admins' page) share: building DOM from text only
// (never HTML, so user text cannot become markup), showing and hiding by id, times in Chinese and the
// API's error. Loaded before each page's own script; no inline script runs under `default-src 'self'`.
'use strict';

window.Staff = (() => {
  class ApiError extends Error {
    constructor(status, message, body) {
      super(message);
      this.status = status;
      this.body = body;
    }
  }

  const byId = (id) => document.getElementById(id);

  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    for (const [name, value] of Object.entries(attrs || {})) {
      if (value === null || value === undefined || value === false) continue;
      if (name === 'class') node.className = value;
      else node.setAttribute(name, value === true ? '' : String(value));
    }
    for (const child of children.flat()) {
      if (child === null || child === undefined || child === false) continue;
      node.append(child instanceof Node ? child : document.createTextNode(String(child)));
    }
    return node;
  }

  function show(id, visible) {
    byId(id).hidden = !visible;
  }

  // A formatter for the API's ISO times ('—' when there is none); `options` as Intl.DateTimeFormat's.
  function timeFormatter(options) {
    const format = new Intl.DateTimeFormat('zh-CN', { ...options, hour12: false });
    return (iso) => {
      if (!iso) return '—';
      const at = Date.parse(iso);
      return Number.isNaN(at) ? String(iso) : format.format(at);
    };
  }

  /**
   * A caller of the API: `options.body` goes as JSON, or `options.text` as text; `options.headers` adds to the
   * defaults. Resolves with the parsed JSON (null for an empty body); rejects with an ApiError holding the error
   * body, its message the server's or `messageFor(status)`, after telling `onFailure(status, path)`.
   */
  function apiClient(messageFor, onFailure) {
    return async (method, path, options) => {
      const { body, text, headers: extra } = options || {};
      // X-Requested-With: the server refuses cookie-authenticated changes without it (forged cross-site posts).
      const headers = { Accept: 'application/json', 'X-Requested-With': 'XMLHttpRequest', ...(extra || {}) };
      const init = { method, headers, credentials: 'same-origin', cache: 'no-store' };
      if (text !== undefined) {
        headers['Content-Type'] = 'text/plain; charset=utf-8';
        init.body = text;
      } else if (body !== undefined) {
        headers['Content-Type'] = 'application/json';
        init.body = JSON.stringify(body);
      }
      let response;
      try {
        response = await fetch(path, init);
      } catch {
        throw new ApiError(0, '网络连接中断，请稍后再试。', null);
      }
      const raw = await response.text().catch(() => '');
      let data = null;
      if (raw) {
        try {
          data = JSON.parse(raw);
        } catch {
          data = null;
        }
      }
      if (!response.ok) {
        const message = data && typeof data.message === 'string' && data.message ? data.message : messageFor(response.status);
        onFailure(response.status, path);
        throw new ApiError(response.status, message, data);
      }
      return data;
    };
  }

  /**
   * The sign-in form's submit and the sign-out button's click for a page whose `api` is an apiClient: the form
   * is #username, #password, #sign-in-button, #sign-in-error; `entered(me)` opens the page, `showSignIn(message)`
   * shows the form with a message, `signedOut(message)` forgets the session.
   */
  function signInHandlers(api, { entered, showSignIn, signedOut }) {
    async function signIn(event) {
      event.preventDefault();
      const submit = byId('sign-in-button');
      submit.disabled = true;
      show('sign-in-error', false);
      try {
        const me = await api('POST', '/api/auth/login', { body: { username: byId('username').value.trim(), password: byId('password').value } });
        byId('password').value = '';
        entered(me);
      } catch (error) {
        showSignIn(error.status === 401 ? error.message : `登录失败：${error.message}`);
      } finally {
        submit.disabled = false;
      }
    }

    async function signOut() {
      try {
        await api('POST', '/api/auth/logout');
      } catch {
        // The cookie expires by itself; the page forgets the session either way.
      }
      history.replaceState(null, '', location.pathname);
      signedOut('');
    }

    return { signIn, signOut };
  }

  return Object.freeze({ ApiError, $: byId, el, show, timeFormatter, apiClient, signInHandlers });
})();
