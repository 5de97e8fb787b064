// One job, from either side. The panel offers exactly the actions the server lists in `job.allowedActions` for
// this viewer (see job/allowed.js and job/panel.js); the server still has the last word and its refusal's
// `detail` is shown.
import { h, keyed, showFormError, busy } from '../dom.js';
import { get, getAll, ApiError } from '../api.js';
import { state, putJob, refreshJob, threadsForJob } from '../store.js';
import { toast, toastError } from '../toast.js';
import { openNowKey } from './job/allowed.js';
import { roleOf, lockedUntil } from './job/parts.js';
import { panelParts, dealsWithOffers } from './job/panel.js';
import { renderHead, renderSummary } from './job/summary.js';
import { historyPanel } from './job/history.js';
import { jobChat } from './job/chat.js';

export function mountJob(main, { jobId }) {
  const page = h('section', { class: 'page job-page', testid: 'job-page', dataset: { jobId } });
  main.replaceChildren(page);

  const head = h('div', { class: 'job-head' });
  const summary = h('div', { class: 'card job-summary', testid: 'job-summary' });
  const panel = h('div', { class: 'job-panel', testid: 'job-actions' });
  const history = historyPanel(jobId, () => job);
  const chat = jobChat(jobId, () => job);
  page.append(
    h('a', { class: 'back-link', href: '#/' }, '← My jobs'),
    head,
    h('div', { class: 'job-grid' },
      h('div', { class: 'job-main' }, summary, panel, history.el),
      h('aside', { class: 'job-side' }, chat.el)));

  let job = state.jobs.get(jobId) ?? state.browse.find((j) => j.id === jobId) ?? null;
  let offers = null; // offers visible to me (customer: all; hustler: own)
  let offersVersion = null;
  let timeKey = ''; // which allowed actions are inside their window, and which code refusals still lock
  let gone = false;

  /** What the panel's parts read and call; `job` and `offers` are always the latest. */
  const ctx = {
    jobId,
    panel,
    get job() { return job; },
    get offers() { return offers; },
    codeErrors: { start: null, completion: null }, // last refusal per code, { message, triesLeft, lockedUntil }
    tickers: [], // fns run every second (timer, lock countdowns)
    jobPath: (suffix) => `/api/jobs/${encodeURIComponent(jobId)}/${suffix}`,
    act,
    renderPanel,
    reloadOffers() {
      offersVersion = null;
      return loadOffers();
    },
  };

  async function load() {
    try {
      const fresh = await get(`/api/jobs/${encodeURIComponent(jobId)}`);
      putJob(fresh);
      job = state.jobs.get(jobId) ?? fresh;
      render();
    } catch (err) {
      if (err instanceof ApiError && (err.status === 404 || err.status === 403)) {
        gone = true;
        render();
      } else {
        toastError(err);
      }
    }
  }

  async function loadOffers() {
    if (!job) return;
    if (!dealsWithOffers(job)) {
      offers = [];
      return;
    }
    if (offersVersion === job.version && offers) return;
    offersVersion = job.version;
    try {
      offers = await getAll(`/api/jobs/${encodeURIComponent(jobId)}/offers`);
      renderPanel();
    } catch (err) {
      offersVersion = null;
      if (err.status !== 404) toastError(err);
    }
  }

  /** Runs a job action from a button; the answer (a job) replaces ours at once, the feed confirms it. */
  function act(button, request, { success, onError, errorEl } = {}) {
    return busy(button, async () => {
      if (errorEl) showFormError(errorEl, null);
      const result = await request();
      if (result && result.id === jobId && result.status) putJob(result);
      else refreshJob(jobId).catch(() => {});
      if (success) toast(success);
      return result ?? true;
    }, (err) => {
      if (onError && onError(err)) return;
      if (errorEl) showFormError(errorEl, err);
      else toastError(err);
      if (err.code === 'concurrency_conflict' || err.code === 'invalid_transition') refreshJob(jobId).catch(() => {});
    });
  }

  function render() {
    if (gone || !job) {
      head.replaceChildren(h('h1', null, gone ? 'Job not available' : 'Loading job…'));
      summary.replaceChildren(h('p', { class: 'muted', testid: 'job-gone' }, gone
        ? 'This job is no longer visible to you: it may have been given to someone else, cancelled, or never existed.'
        : 'Loading…'));
      panel.replaceChildren();
      panel.dataset.key = '';
      history.el.hidden = true;
      chat.el.hidden = true;
      return;
    }
    history.el.hidden = roleOf(job) === 'prospect'; // the history is for the job's two parties
    chat.el.hidden = false;
    renderHead(head, job);
    renderSummary(summary, job);
    renderPanel();
    chat.render();
    loadOffers();
    if (history.el.open && !history.el.hidden) history.load();
  }

  function currentTimeKey() {
    const codeLocks = ['start', 'completion'].map((w) => Boolean(lockedUntil(ctx.codeErrors[w]?.lockedUntil)));
    return `${openNowKey(job)}|${codeLocks.join('|')}`;
  }

  function panelKey() {
    const p = job.pendingPriceProposal;
    timeKey = currentTimeKey();
    return JSON.stringify([
      roleOf(job), job.version, job.status, job.paymentStatus, job.disputed, job.startCodeVerified, job.completionCodeVerified,
      job.startCode, job.completionCode, job.amount, job.hourlyRate, job.finalAmount, job.billedMinutes,
      p ? [p.id, p.status, p.amount, p.hourlyRate] : null, job.allowedActions, timeKey,
      job.startCodeLockedUntil, job.completionCodeLockedUntil, ctx.codeErrors.start?.message, ctx.codeErrors.completion?.message,
      offers ? offers.map((o) => [o.id, o.status, o.proposedAmount]) : null,
      job.pendingOffers, state.me?.paymentMethod,
      threadsForJob(jobId).map((t) => t.id).join(','),
    ]);
  }

  function renderPanel() {
    if (!job || gone) return;
    const rebuilt = keyed(panel, panelKey(), () => {
      ctx.tickers = [];
      return panelParts(ctx);
    });
    if (rebuilt) for (const t of ctx.tickers) t();
  }

  render();
  load();

  return {
    update(what, detail) {
      if (what === 'job' && detail === jobId) {
        const next = state.jobs.get(jobId);
        if (!next) {
          // Dropped from my view (404 on re-fetch): say so rather than keep a stale copy.
          gone = true;
          render();
          return;
        }
        const statusChanged = job && next.status !== job.status;
        job = next;
        gone = false;
        if (statusChanged) ctx.codeErrors = { start: null, completion: null };
        render();
        if (history.el.open) history.load();
      } else if (what === 'jobs') {
        const next = state.jobs.get(jobId);
        if (next) {
          job = next;
          render();
        }
      } else if (what === 'threads') {
        if (job && !gone) {
          chat.render();
          renderPanel();
        }
        chat.update(what, detail);
      } else if (what === 'me') {
        renderPanel();
      } else {
        chat.update(what, detail);
      }
    },
    tick() {
      if (!job || gone) return;
      // A code lock ending or the job's expiry passing opens or closes an action: redraw the buttons.
      if (currentTimeKey() !== timeKey) renderPanel();
      for (const t of ctx.tickers) t();
      chat.tick();
    },
    destroy() {
      chat.destroy();
    },
  };
}
