// Hustle web client: boot, routing, and turning sync events into state, renders and toasts.
//
// Stable hooks for browser tests (data-testid unless noted):
//   shell:     connection (also id="connection"; data-state = live | reconnecting | offline-polling;
//              text "Live" | "Reconnecting…" | "Offline – polling"; data-transport), toast (data-kind),
//              whoami, sign-out, nav-my-jobs, nav-browse, nav-post, nav-messages, nav-unread-badge, nav-account
//   auth:      auth-email, auth-password, sign-in, sign-up, form-error, field-error (data-field)
//   account:   display-name-input, save-display-name, payment-method-select, save-payment-method,
//              current-payment-method
//   post job:  job-title, job-description, job-area, job-location, job-pricing-flat, job-pricing-hourly,
//              job-currency, job-amount, job-hourly-rate, job-estimated-hours, job-scheduled-for, post-job
//   lists:     job-card (data-job-id, data-role), job-link, job-status (data-status), pending-offers,
//              browse-list, refresh-browse, my-posted-jobs, my-hustles, my-finished-jobs
//   job page:  job-page (data-job-id), job-title-heading, job-status (data-status), job-role (data-role),
//              payment-status (data-payment-status), job-price, final-amount, billed-minutes, job-location-text,
//              job-gone
//     customer: offers, offer (data-offer-id), offer-amount, offer-hustler, accept-offer, decline-offer,
//              waiting-for-offers, codes, start-code, completion-code, copy-start-code, copy-completion-code,
//              start-code-used, code-lockout, in-progress-note, job-timer, amount-due, confirm-pay,
//              capture-failed, dispute, dispute-reason, dispute-confirm, cancel-job, cancel-job-confirm,
//              unassign, unassign-confirm, edit-job-panel, save-job, payment-paid, final-note
//     hustler:  offer-amount, offer-message-input, make-offer, my-offer, withdraw-offer, ask-question,
//              assigned-note, start-code-input, enter-start-code, code-error, code-lockout, job-timer,
//              timer-estimate, completion-code-input, enter-completion-code, billable-minutes,
//              billable-preview, request-payment, payment-waiting, payment-paid
//     both:    price-proposal-panel, proposal-amount, propose-price, price-proposal, price-proposal-pending,
//              accept-price, decline-price, history-panel (a <details>: open it), history, history-entry
//   messages:  job-messages, thread-list, thread-row (data-thread-id), unread-badge, thread, presence-dot
//              (data-online), presence-text, thread-counterpart, messages, message (data-mine), message-body,
//              read-receipt (data-read; on my last message: "Sent" / "Seen"), typing-indicator,
//              message-input, send-message, thread-readonly, no-threads

import { get, post, onUnauthorized } from './api.js';
import * as sync from './sync.js';
import { state, subscribe, changed, resetState, setSnapshot, refreshJob, setMine, refreshThreads, loadMessages, totalUnread, threadById } from './store.js';
import { toast, toastError } from './toast.js';
import { toastFor } from './event-toasts.js';
import { mountAuth } from './views/auth.js';
import { mountAccount } from './views/account.js';
import { mountHome } from './views/home.js';
import { mountBrowse } from './views/browse.js';
import { mountPost } from './views/post.js';
import { mountJob } from './views/job.js';
import { mountMessages, TYPING_WINDOW_MS } from './views/messages.js';

const CONNECTION_TEXT = {
  live: 'Live',
  reconnecting: 'Reconnecting…',
  'offline-polling': 'Offline – polling',
};

const LEFT_THE_JOB = new Set(['OFFER_DECLINED', 'OFFER_WITHDRAWN', 'JOB_UNASSIGNED', 'JOB_CANCELLED', 'JOB_EXPIRED']);

const main = document.getElementById('main');
let view = null;
let signedIn = false;

// --- routing ---------------------------------------------------------------------------------------------

function parseRoute() {
  const parts = window.location.hash.replace(/^#\/?/, '').split('/').filter(Boolean).map(decodeURIComponent);
  if (parts[0] === 'jobs' && parts[1]) return { name: 'job', jobId: parts[1] };
  if (parts[0] === 'messages') return { name: 'messages', threadId: parts[1] };
  if (['browse', 'post', 'account'].includes(parts[0])) return { name: parts[0] };
  return { name: 'home' };
}

function route() {
  view?.destroy?.();
  view = null;
  if (!signedIn) return;
  const r = parseRoute();
  for (const a of document.querySelectorAll('#nav a')) {
    if (a.dataset.route === r.name) a.setAttribute('aria-current', 'page');
    else a.removeAttribute('aria-current');
  }
  switch (r.name) {
    case 'job': view = mountJob(main, { jobId: r.jobId }); break;
    case 'messages': view = mountMessages(main, { threadId: r.threadId }); break;
    case 'browse': view = mountBrowse(main); break;
    case 'post': view = mountPost(main); break;
    case 'account': view = mountAccount(main); break;
    default: view = mountHome(main);
  }
  window.scrollTo(0, 0);
}

window.addEventListener('hashchange', () => {
  route();
  main.focus({ preventScroll: true });
});

subscribe((what, detail) => {
  view?.update?.(what, detail);
  if (what === 'threads') renderUnreadTotal();
  if (what === 'me') renderWhoami();
});

setInterval(() => {
  // Typing indicators expire on their own.
  for (const [threadId, entry] of state.typing) {
    if (entry.until <= Date.now()) {
      state.typing.delete(threadId);
      changed('typing', threadId);
    }
  }
  view?.tick?.();
}, 1000);

// --- shell -----------------------------------------------------------------------------------------------

function renderConnection({ state: s, transport }) {
  const el = document.getElementById('connection');
  el.dataset.state = s;
  el.dataset.transport = transport || '';
  el.textContent = CONNECTION_TEXT[s] ?? s;
  const poll = s === 'live' ? state.config?.pollConnectedSeconds : state.config?.pollDisconnectedSeconds;
  el.title = s === 'live'
    ? `Connected${transport ? ` (${transport})` : ''}: changes appear at once.`
    : s === 'reconnecting'
      ? 'Connection lost: reconnecting. Changes are still fetched.'
      : `No live connection: checking for changes every ${poll ?? 15} s.`;
}

function renderWhoami() {
  const el = document.getElementById('whoami');
  el.textContent = state.me ? (state.me.displayName || state.me.email) : '';
  el.hidden = !state.me;
}

function renderUnreadTotal() {
  const el = document.getElementById('nav-unread');
  const n = totalUnread();
  el.textContent = n > 0 ? String(n) : '';
  el.hidden = n === 0;
  el.setAttribute('aria-label', `${n} unread`);
}

function setSignedInChrome(on) {
  document.getElementById('nav').hidden = !on;
  document.getElementById('sign-out').hidden = !on;
  document.getElementById('connection').hidden = !on;
  renderWhoami();
  renderUnreadTotal();
}

document.getElementById('sign-out').addEventListener('click', async () => {
  try {
    await post('/api/auth/logout', undefined, { quiet401: true });
  } catch {
    // Signed out already, or offline: forget the session locally either way.
  }
  // The next person to sign in on this device starts at home, not on the last job.
  window.history.replaceState(null, '', '#/');
  signOutLocally();
});

function signOutLocally() {
  sync.stopSync();
  signedIn = false;
  resetState();
  setSignedInChrome(false);
  view?.destroy?.();
  view = mountAuth(main, { onSignedIn: () => boot() });
}

onUnauthorized(() => {
  if (signedIn) {
    toast('You were signed out. Please sign in again.', { kind: 'error' });
    signOutLocally();
  }
});

// --- events from the sync module -------------------------------------------------------------------------

sync.on('status', (s) => {
  const wasLive = state.connection?.state === 'live';
  state.connection = s;
  renderConnection(s);
  // Presence is not in the feed: after a gap in the connection, the threads list has the current picture.
  if (s.state === 'live' && !wasLive && signedIn) refreshThreads().catch(() => {});
});

sync.on('snapshot', (jobs) => {
  setSnapshot(jobs);
  refreshThreads().catch(() => {});
});

sync.on('typing', ({ threadId, userId }) => {
  if (!threadId || userId === state.me?.id) return;
  state.typing.set(threadId, { userId, until: Date.now() + TYPING_WINDOW_MS });
  // Someone typing in a thread we have not seen yet (a question just opened): fetch the list to show it.
  if (!threadById(threadId)) refreshThreads().catch(() => {});
  changed('typing', threadId);
});

sync.on('presence', ({ userId, online, lastSeenAt }) => {
  if (!userId) return;
  state.presence.set(userId, { online: Boolean(online), lastSeenAt });
  for (const t of state.threads) {
    if (t.counterpart?.id === userId) t.counterpart = { ...t.counterpart, online: Boolean(online), lastSeenAt };
  }
  changed('presence', userId);
});

sync.on('event', (envelope, { replayed }) => {
  const { type, data = {} } = envelope;
  const jobId = envelope.jobId ?? data.jobId;
  if (type === 'MESSAGE_CREATED' || type === 'MESSAGES_READ') {
    onMessageEvent(envelope);
  } else if (jobId) {
    setMine(jobId, true);
    refreshJob(jobId).then(() => {
      // A hustler whose offer is gone (declined, withdrawn) or who was unassigned is no longer part of the job.
      const job = state.jobs.get(jobId);
      const me = state.me?.id;
      if (job && job.customerId !== me && job.hustlerId !== me && LEFT_THE_JOB.has(type)) setMine(jobId, false);
    }).catch(() => {});
    if (type === 'OFFER_RECEIVED' || type === 'JOB_ASSIGNED') refreshThreads().catch(() => {});
    if (type === 'JOB_CANCELLED' || type === 'JOB_EXPIRED') refreshThreads().catch(() => {});
  }
  if (!replayed) toastFor(envelope, jobId, { onJobPage: Boolean(view) });
});

function onMessageEvent({ type, data = {} }) {
  const message = data.message ?? null;
  const threadId = data.threadId ?? message?.threadId;
  refreshThreads().catch(() => {});
  if (threadId && state.messages.has(threadId)) {
    loadMessages(threadId, { full: type === 'MESSAGES_READ' }).catch(() => {});
  }
}

// --- boot ------------------------------------------------------------------------------------------------

async function boot() {
  try {
    state.config = await get('/api/config', { quiet401: true });
  } catch {
    state.config = state.config ?? { paymentProvider: 'simulated', pollConnectedSeconds: 60, pollDisconnectedSeconds: 15 };
  }
  try {
    state.me = await get('/api/me', { quiet401: true });
  } catch (err) {
    if (err.status !== 401) toastError(err);
    signOutLocally();
    return;
  }
  signedIn = true;
  setSignedInChrome(true);
  changed('me');
  route();
  try {
    await sync.startSync({
      userId: state.me.id,
      pollConnectedSeconds: state.config.pollConnectedSeconds,
      pollDisconnectedSeconds: state.config.pollDisconnectedSeconds,
    });
  } catch (err) {
    if (err.status !== 401) toast('Could not load your jobs yet; retrying in the background.', { kind: 'error' });
  }
}

renderConnection(sync.syncStatus());
boot();

// Exposed for debugging in the console; the app does not use it.
window.hustle = { state, sync };
