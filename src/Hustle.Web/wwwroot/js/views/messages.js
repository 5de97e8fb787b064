// Threads and messages: the inbox, one conversation, typing, presence and read receipts.
import { h, setChildren, busy } from '../dom.js';
import { state, threadById, loadMessages, sendMessage, markRead, presenceOf, refreshThreads } from '../store.js';
import { sendTyping } from '../sync.js';
import { time, relative, dateTime } from '../format.js';
import { toastError } from '../toast.js';

const TYPING_SEND_EVERY_MS = 2000;
const TYPING_SHOW_MS = 4000;

export function counterpartName(thread) {
  const name = thread?.counterpart?.displayName;
  if (name) return name;
  return thread && state.me && thread.customerId === state.me.id ? 'Hustler' : 'Customer';
}

export function presenceDot(userId, fallback) {
  const p = presenceOf(userId, fallback);
  const online = Boolean(p?.online);
  const label = online ? 'Online' : p?.lastSeenAt ? `Last seen ${relative(p.lastSeenAt)}` : 'Offline';
  return h('span', { class: `presence ${online ? 'presence-online' : 'presence-offline'}`, testid: 'presence-dot', dataset: { online: String(online), userId: userId ?? '' }, title: label, role: 'img', 'aria-label': label });
}

function lastMessageText(thread) {
  const m = thread.lastMessage;
  if (!m) return 'No messages yet';
  return typeof m === 'string' ? m : (m.body ?? '');
}

/** A list of threads; each row links to `hrefFor(thread)` or calls onSelect. */
export function threadList(threads, { selectedId, onSelect, hrefFor, showJob = true } = {}) {
  if (!threads.length) return h('p', { class: 'muted empty' }, 'No conversations yet.');
  return h('ul', { class: 'thread-list', testid: 'thread-list' }, threads.map((t) => {
    const unread = Number(t.unreadCount) || 0;
    const content = [
      h('span', { class: 'thread-row-top' },
        presenceDot(t.counterpart?.id, t.counterpart),
        h('span', { class: 'thread-name' }, counterpartName(t)),
        unread > 0 ? h('span', { class: 'badge', testid: 'unread-badge', 'aria-label': `${unread} unread` }, String(unread)) : null),
      showJob ? h('span', { class: 'thread-job muted' }, t.jobTitle ?? '') : null,
      h('span', { class: 'thread-last muted' }, lastMessageText(t)),
    ];
    const attrs = { class: 'thread-row', testid: 'thread-row', dataset: { threadId: t.id }, 'aria-current': t.id === selectedId ? 'true' : null };
    const row = hrefFor
      ? h('a', { ...attrs, href: hrefFor(t) }, content)
      : h('button', { ...attrs, type: 'button', onclick: () => onSelect?.(t) }, content);
    return h('li', null, row);
  }));
}

/** One conversation. */
export function threadView(threadId, { showJobLink = false } = {}) {
  const el = h('section', { class: 'thread', testid: 'thread', dataset: { threadId }, 'aria-label': 'Conversation' });
  const header = h('div', { class: 'thread-head' });
  const list = h('ol', { class: 'messages', testid: 'messages', 'aria-live': 'polite', 'aria-relevant': 'additions' });
  const typing = h('p', { class: 'typing', testid: 'typing-indicator', hidden: true, 'aria-live': 'polite' });
  const readOnly = h('p', { class: 'notice', testid: 'thread-readonly', hidden: true },
    'This conversation is read-only: the customer chose another hustler for this job.');
  const input = h('textarea', { rows: 2, maxlength: 2000, testid: 'message-input', id: `msg-${threadId}`, placeholder: 'Write a message…' });
  const send = h('button', { type: 'submit', class: 'btn btn-primary', testid: 'send-message' }, 'Send');
  const composer = h('form', { class: 'composer' },
    h('label', { for: input.id, class: 'visually-hidden' }, 'Message'), input, send);
  el.append(header, list, typing, readOnly, composer);

  let lastTypingSent = 0;
  let lastSeenId = null; // last message id rendered, to tell a new message from a reload
  input.addEventListener('input', () => {
    const now = Date.now();
    if (input.value && now - lastTypingSent > TYPING_SEND_EVERY_MS) {
      lastTypingSent = now;
      sendTyping(threadId);
    }
  });
  input.addEventListener('keydown', (e) => {
    if (e.key === 'Enter' && !e.shiftKey && !e.isComposing) {
      e.preventDefault();
      composer.requestSubmit();
    }
  });
  composer.addEventListener('submit', (e) => {
    e.preventDefault();
    const body = input.value.trim();
    if (!body) return;
    busy(send, async () => {
      await sendMessage(threadId, body);
      input.value = '';
      lastTypingSent = 0;
      input.focus();
    }, toastError);
  });

  function renderHeader() {
    const t = threadById(threadId);
    if (!t) {
      header.replaceChildren(h('p', { class: 'muted' }, 'Loading conversation…'));
      return;
    }
    setChildren(header,
      presenceDot(t.counterpart?.id, t.counterpart),
      h('span', { class: 'thread-name', testid: 'thread-counterpart' }, counterpartName(t)),
      h('span', { class: 'muted presence-text', testid: 'presence-text' }, presenceText(t)),
      showJobLink && t.jobId ? h('a', { class: 'thread-job-link', href: `#/jobs/${encodeURIComponent(t.jobId)}` }, t.jobTitle || 'Open job') : null);
    readOnly.hidden = !t.readOnly;
    readOnly.textContent = t.readOnlyReason || 'This conversation is read-only: the customer chose another hustler for this job.';
    composer.hidden = Boolean(t.readOnly);
  }

  function renderMessages() {
    const messages = state.messages.get(threadId);
    if (!messages) {
      list.replaceChildren(h('li', { class: 'muted' }, 'Loading messages…'));
      return;
    }
    if (!messages.length) {
      list.replaceChildren(h('li', { class: 'muted empty', testid: 'no-messages' }, 'No messages yet. Say hello.'));
      return;
    }
    const me = state.me?.id;
    const lastMine = [...messages].reverse().find((m) => m.senderId === me);
    const nearBottom = list.scrollHeight - list.scrollTop - list.clientHeight < 60;
    list.replaceChildren(...messages.map((m) => {
      const mine = m.senderId === me;
      return h('li', { class: `message ${mine ? 'message-mine' : 'message-theirs'}`, testid: 'message', dataset: { messageId: m.id, mine: String(mine) } },
        h('p', { class: 'message-body', testid: 'message-body' }, m.body),
        h('p', { class: 'message-meta muted' },
          h('time', { datetime: m.createdAt, title: dateTime(m.createdAt) }, time(m.createdAt)),
          mine && m === lastMine
            ? h('span', { class: 'read-receipt', testid: 'read-receipt', dataset: { read: String(Boolean(m.readByOther)) } }, m.readByOther ? ' · Seen' : ' · Sent')
            : null));
    }));
    if (nearBottom || list.dataset.scrolled !== '1') {
      list.scrollTop = list.scrollHeight;
      list.dataset.scrolled = '1';
    }
  }

  function renderTyping() {
    const entry = state.typing.get(threadId);
    const active = entry && entry.until > Date.now() && entry.userId !== state.me?.id;
    typing.hidden = !active;
    typing.textContent = active ? `${counterpartName(threadById(threadId))} is typing…` : '';
  }

  function maybeMarkRead() {
    if (document.visibilityState !== 'visible' || !el.isConnected) return;
    markRead(threadId).catch(() => {});
  }

  const onVisible = () => maybeMarkRead();
  document.addEventListener('visibilitychange', onVisible);

  renderHeader();
  renderMessages();
  renderTyping();
  loadMessages(threadId).then(maybeMarkRead).catch(toastError);

  return {
    el,
    update(what, detail) {
      if (what === 'threads' || what === 'presence') renderHeader();
      if (what === 'messages' && detail === threadId) {
        renderMessages();
        // A new message from the person typing ends their typing.
        const messages = state.messages.get(threadId) ?? [];
        const last = messages[messages.length - 1];
        const typingEntry = state.typing.get(threadId);
        if (last && typingEntry && last.senderId === typingEntry.userId && last.id !== lastSeenId) state.typing.delete(threadId);
        lastSeenId = last?.id ?? null;
        renderTyping();
        maybeMarkRead();
      }
      if (what === 'typing' && detail === threadId) renderTyping();
    },
    tick() {
      renderTyping();
    },
    destroy() {
      document.removeEventListener('visibilitychange', onVisible);
    },
  };
}

function presenceText(t) {
  const p = presenceOf(t.counterpart?.id, t.counterpart);
  if (p?.online) return 'online';
  return p?.lastSeenAt ? `last seen ${relative(p.lastSeenAt)}` : 'offline';
}

export const TYPING_WINDOW_MS = TYPING_SHOW_MS;

/** The Messages page: the inbox and, when one is chosen, its conversation. */
export function mountMessages(main, { threadId } = {}) {
  const listBox = h('div', { class: 'inbox-list' });
  const convoBox = h('div', { class: 'inbox-thread' });
  const page = h('section', { class: `page inbox ${threadId ? 'inbox-has-thread' : ''}` },
    h('h1', null, 'Messages'),
    h('div', { class: 'inbox-grid' }, listBox, convoBox));
  main.replaceChildren(page);

  let view = null;
  function renderList() {
    const threads = [...state.threads].sort((a, b) => String(b.lastMessage?.createdAt ?? '').localeCompare(String(a.lastMessage?.createdAt ?? '')));
    listBox.replaceChildren(state.threadsLoaded
      ? threadList(threads, { selectedId: threadId, hrefFor: (t) => `#/messages/${encodeURIComponent(t.id)}` })
      : h('p', { class: 'muted' }, state.threadsError ? 'Messages are not available right now.' : 'Loading…'));
  }
  if (threadId) {
    view = threadView(threadId, { showJobLink: true });
    convoBox.replaceChildren(h('a', { class: 'back-link', href: '#/messages' }, '← All conversations'), view.el);
  } else {
    convoBox.replaceChildren(h('p', { class: 'muted empty' }, 'Choose a conversation.'));
  }
  renderList();
  refreshThreads().catch(toastError);

  return {
    update(what, detail) {
      if (what === 'threads' || what === 'presence') renderList();
      view?.update(what, detail);
    },
    tick() {
      view?.tick();
    },
    destroy() {
      view?.destroy();
    },
  };
}
