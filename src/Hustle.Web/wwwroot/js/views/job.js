// One job, from either side. Only the actions the job's status and the viewer's role allow are offered
// (docs/ARCHITECTURE.md, "The job state machine"); the server still has the last word and its refusal's `detail` is shown.
import { h, setChildren, keyed, field, formError, showFormError, busy } from '../dom.js';
import { get, getAll, post, patch, ApiError } from '../api.js';
import { state, putJob, refreshJob, threadsForJob, openQuestionThread, refreshThreads } from '../store.js';
import { money, moneyInput, parseMoney, price, dateTime, time, clock, minutesText, hoursText, statusLabel, paymentLabel, shortId, relative } from '../format.js';
import { toast, toastError } from '../toast.js';
import { statusBadge } from './jobcard.js';
import { threadList, threadView, counterpartName } from './messages.js';

const OPEN_TO_OFFERS = new Set(['OPEN', 'REQUESTED']);

export function roleOf(job) {
  const me = state.me?.id;
  if (!job || !me) return 'prospect';
  if (job.customerId === me) return 'customer';
  if (job.hustlerId === me) return 'hustler';
  return 'prospect';
}

function lockedUntil(iso) {
  if (!iso) return null;
  const t = new Date(iso).getTime();
  return t > Date.now() ? t : null;
}

/** Hourly pricing as the server does it: billed time rounded up to 15 minutes, capped at the authorized hours. */
function hourlyEstimate(job, minutes) {
  const rounded = Math.ceil(Math.max(0, minutes) / 15) * 15;
  const capMinutes = job.estimatedHours ? Math.round(Number(job.estimatedHours) * 60) : Infinity;
  const billed = Math.min(rounded, capMinutes);
  return { billed, amount: hoursCost(job.hourlyRate, billed) };
}

/** rate × minutes / 60 in minor units, rounded up, as the server's Job.HoursCost. */
function hoursCost(hourlyRate, minutes) {
  return Math.ceil((hourlyRate ?? 0) * minutes / 60);
}

export function mountJob(main, { jobId }) {
  const page = h('section', { class: 'page job-page', testid: 'job-page', dataset: { jobId } });
  main.replaceChildren(page);

  const head = h('div', { class: 'job-head' });
  const summary = h('div', { class: 'card job-summary', testid: 'job-summary' });
  const panel = h('div', { class: 'job-panel', testid: 'job-actions' });
  const historyList = h('ol', { class: 'timeline', testid: 'history' });
  const history = h('details', { class: 'card history', testid: 'history-panel' },
    h('summary', null, h('h2', { class: 'inline-h' }, 'History')), historyList);
  const chat = h('section', { class: 'card job-chat', testid: 'job-messages', 'aria-labelledby': `chat-${jobId}` });
  page.append(
    h('a', { class: 'back-link', href: '#/' }, '← My jobs'),
    head,
    h('div', { class: 'job-grid' },
      h('div', { class: 'job-main' }, summary, panel, history),
      h('aside', { class: 'job-side' }, chat)));

  let job = state.jobs.get(jobId) ?? state.browse.find((j) => j.id === jobId) ?? null;
  let offers = null; // offers visible to me (customer: all; hustler: own)
  let offersVersion = null;
  let historyVersion = null;
  let codeErrors = { start: null, completion: null }; // last refusal per code, { message, triesLeft, lockedUntil }
  let tickers = []; // fns run every second (timer, lock countdowns)
  let lockKey = '';
  let chatThreadId = null;
  let chatView = null;
  let gone = false;

  // --- loading --------------------------------------------------------------------------------------------

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
    const role = roleOf(job);
    const wanted = (role === 'customer' || role === 'prospect') && OPEN_TO_OFFERS.has(job.status);
    if (!wanted) {
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

  async function loadHistory() {
    if (!job || historyVersion === job.version) return;
    historyVersion = job.version;
    try {
      renderHistory(await getAll(`/api/jobs/${encodeURIComponent(jobId)}/history`));
    } catch (err) {
      historyVersion = null;
      if (err.status !== 404) historyList.replaceChildren(h('li', { class: 'muted' }, 'Could not load the history.'));
    }
  }

  // --- actions --------------------------------------------------------------------------------------------

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

  const jobPath = (suffix) => `/api/jobs/${encodeURIComponent(jobId)}/${suffix}`;

  // --- rendering ------------------------------------------------------------------------------------------

  function render() {
    if (gone || !job) {
      head.replaceChildren(h('h1', null, gone ? 'Job not available' : 'Loading job…'));
      summary.replaceChildren(h('p', { class: 'muted', testid: 'job-gone' }, gone
        ? 'This job is no longer visible to you: it may have been given to someone else, cancelled, or never existed.'
        : 'Loading…'));
      panel.replaceChildren();
      panel.dataset.key = '';
      history.hidden = true;
      chat.hidden = true;
      return;
    }
    history.hidden = roleOf(job) === 'prospect'; // the history is for the job's two parties
    chat.hidden = false;
    renderHead();
    renderSummary();
    renderPanel();
    renderChat();
    loadOffers();
    if (history.open && !history.hidden) loadHistory();
  }

  function renderHead() {
    const role = roleOf(job);
    const roleText = role === 'customer' ? 'You posted this job' : role === 'hustler' ? 'You are the hustler' : 'Open job';
    setChildren(head,
      h('div', { class: 'job-title-row' },
        h('h1', { testid: 'job-title-heading' }, job.title),
        statusBadge(job)),
      h('p', { class: 'muted job-role', testid: 'job-role', dataset: { role } }, roleText,
        job.paymentStatus && job.paymentStatus !== 'NONE'
          ? h('span', { class: `pay-status pay-${job.paymentStatus.toLowerCase()}`, testid: 'payment-status', dataset: { paymentStatus: job.paymentStatus } }, ` · ${paymentLabel(job.paymentStatus)}`)
          : null,
        job.disputed ? h('span', { class: 'pill pill-warn', testid: 'disputed-badge' }, 'Disputed') : null));
  }

  function renderSummary() {
    const rows = [
      ['Price', price(job), 'job-price'],
      job.authorizedAmount ? ['Authorized', money(job.authorizedAmount, job.currency), 'authorized-amount'] : null,
      job.finalAmount !== null && job.finalAmount !== undefined ? ['Final amount', money(job.finalAmount, job.currency), 'final-amount'] : null,
      job.billedMinutes ? ['Billed time', minutesText(job.billedMinutes), 'billed-minutes'] : null,
      ['Area', job.area, 'job-area-text'],
      job.location ? ['Address', job.location, 'job-location-text'] : null,
      job.scheduledFor ? ['When', dateTime(job.scheduledFor), 'job-when'] : null,
      job.startedAt ? ['Started', dateTime(job.startedAt), 'job-started-at'] : null,
      job.completedAt ? ['Completed', dateTime(job.completedAt), 'job-completed-at'] : null,
      OPEN_TO_OFFERS.has(job.status) ? ['Open until', dateTime(job.expiresAt), 'job-expires'] : null,
    ].filter(Boolean);
    setChildren(summary,
      job.description ? h('p', { class: 'job-description', testid: 'job-description-text' }, job.description) : null,
      h('dl', { class: 'facts' }, rows.map(([k, v, testid]) => [h('dt', null, k), h('dd', { testid }, v)])));
  }

  function panelKey() {
    const role = roleOf(job);
    const p = job.pendingPriceProposal;
    const startLock = lockedUntil(job.startCodeLockedUntil) ?? lockedUntil(codeErrors.start?.lockedUntil);
    const completionLock = lockedUntil(job.completionCodeLockedUntil) ?? lockedUntil(codeErrors.completion?.lockedUntil);
    lockKey = `${Boolean(startLock)}|${Boolean(completionLock)}`;
    return JSON.stringify([
      role, job.status, job.paymentStatus, job.disputed, job.startCodeVerified, job.completionCodeVerified,
      job.startCode, job.completionCode, job.pricingType, job.amount, job.hourlyRate, job.finalAmount, job.billedMinutes,
      p ? [p.id, p.status, p.amount, p.hourlyRate] : null, lockKey, startLock, completionLock,
      codeErrors.start?.message, codeErrors.completion?.message,
      offers ? offers.map((o) => [o.id, o.status, o.proposedAmount]) : null,
      job.pendingOffers, state.me?.paymentMethod,
      threadsForJob(jobId).map((t) => t.id).join(','),
    ]);
  }

  function renderPanel() {
    if (!job || gone) return;
    const rebuilt = keyed(panel, panelKey(), () => {
      tickers = [];
      const role = roleOf(job);
      if (role === 'customer') return customerPanel();
      if (role === 'hustler') return hustlerPanel();
      return prospectPanel();
    });
    if (rebuilt) for (const t of tickers) t();
  }

  // --- customer -------------------------------------------------------------------------------------------

  function customerPanel() {
    const s = job.status;
    const parts = [];
    if (s === 'OPEN') {
      parts.push(card('Waiting for offers', h('p', { testid: 'waiting-for-offers' }, 'Hustlers nearby can see your job and make offers. They show up here as they arrive.')));
    }
    if (s === 'REQUESTED' || (s === 'OPEN' && offers?.some((o) => o.status === 'PENDING'))) parts.push(offersCard());
    if (s === 'SCHEDULED' || s === 'IN_PROGRESS') parts.push(codesCard());
    if (s === 'IN_PROGRESS') parts.push(progressCard());
    if (s === 'SCHEDULED' && !job.startCodeVerified) parts.push(priceProposalCard());
    if (s === 'COMPLETED_BY_HUSTLER' || s === 'AWAITING_CUSTOMER_CONFIRM') parts.push(confirmCard());
    if (s === 'PAID') parts.push(paidCard());
    if (s === 'CANCELLED' || s === 'EXPIRED') parts.push(finalCard());
    if (OPEN_TO_OFFERS.has(s) || (s === 'SCHEDULED' && !job.startCodeVerified)) parts.push(editCard());
    if (OPEN_TO_OFFERS.has(s)) parts.push(reasonAction('Cancel job', 'cancel-job', 'cancel', 'Cancel this job? Pending offers are declined.', `“${job.title}” was cancelled`));
    if (s === 'SCHEDULED' && !job.startCodeVerified) {
      parts.push(reasonAction('Unassign hustler', 'unassign', 'unassign', 'The job goes back to open and the payment hold is released (voided, not refunded). Codes stop working.', `“${job.title}” was unassigned and is open again`));
    }
    return parts;
  }

  function offersCard() {
    const pending = (offers ?? []).filter((o) => o.status === 'PENDING');
    const threads = threadsForJob(jobId);
    const nameOf = (hustlerId) => {
      const t = threads.find((x) => x.hustlerId === hustlerId);
      return t ? counterpartName(t) : `Hustler ${shortId(hustlerId)}`;
    };
    const needsPm = !state.me?.paymentMethod;
    const body = offers === null
      ? h('p', { class: 'muted' }, 'Loading offers…')
      : pending.length === 0
        ? h('p', { class: 'muted' }, 'No pending offers right now.')
        : h('ul', { class: 'offers', testid: 'offers' }, pending.map((o) => {
          const accept = h('button', { type: 'button', class: 'btn btn-primary', testid: 'accept-offer', dataset: { offerId: o.id } }, 'Accept');
          const decline = h('button', { type: 'button', class: 'btn', testid: 'decline-offer', dataset: { offerId: o.id } }, 'Decline');
          accept.addEventListener('click', () => act(accept, () => post(`/api/offers/${encodeURIComponent(o.id)}/accept`), {
            success: 'Offer accepted: job scheduled',
            onError: (err) => {
              if (err.code === 'payment_method_required' || err.code === 'payment_declined') {
                toast(err.message, { kind: 'error', href: '#/account' });
                return true;
              }
              return false;
            },
          }));
          decline.addEventListener('click', () => act(decline, () => post(`/api/offers/${encodeURIComponent(o.id)}/decline`), { success: 'Offer declined' }).then(() => { offersVersion = null; loadOffers(); }));
          const amount = job.pricingType === 'FLAT' ? money(o.proposedAmount ?? job.amount, job.currency) : `${money(job.hourlyRate, job.currency)}/h`;
          return h('li', { class: 'offer', testid: 'offer', dataset: { offerId: o.id, hustlerId: o.hustlerId } },
            h('div', { class: 'offer-main' },
              h('p', null, h('strong', { testid: 'offer-hustler' }, nameOf(o.hustlerId)), ' offers ', h('strong', { testid: 'offer-amount' }, amount),
                job.pricingType === 'FLAT' && o.proposedAmount !== null && o.proposedAmount !== undefined && o.proposedAmount !== job.amount
                  ? h('span', { class: 'muted' }, ` (you asked ${money(job.amount, job.currency)})`) : null),
              o.message ? h('p', { class: 'offer-message', testid: 'offer-message' }, o.message) : null,
              h('p', { class: 'muted small' }, relative(o.createdAt))),
            h('div', { class: 'actions' }, accept, decline));
        }));
    return card(`Offers${pending.length ? ` (${pending.length})` : ''}`, body,
      needsPm ? h('p', { class: 'notice', testid: 'payment-method-needed' }, 'To accept an offer you need a payment method: ', h('a', { href: '#/account' }, 'add one'), '.') : null,
      h('p', { class: 'muted small' }, 'Accepting authorizes your card for the price; you are charged only when you confirm the job is done.'));
  }

  function codeBlock(label, code, testid, explain) {
    const copy = h('button', { type: 'button', class: 'btn btn-small', testid: `copy-${testid}`, 'aria-label': `Copy ${label.toLowerCase()}` }, 'Copy');
    copy.addEventListener('click', async () => {
      try {
        await navigator.clipboard.writeText(code);
        toast(`${label} copied`);
      } catch {
        // Clipboard may be refused (insecure context, permissions): select the text so it can be copied by hand.
        const range = document.createRange();
        range.selectNodeContents(codeEl);
        const sel = window.getSelection();
        sel.removeAllRanges();
        sel.addRange(range);
        toast('Press Ctrl+C (or long-press) to copy the code');
      }
    });
    const codeEl = h('span', { class: 'code', testid, 'aria-label': `${label}: ${code.split('').join(' ')}` }, code);
    return h('div', { class: 'code-block' }, h('p', { class: 'code-label' }, label), h('div', { class: 'code-row' }, codeEl, copy), h('p', { class: 'muted small' }, explain));
  }

  function codesCard() {
    const items = [];
    if (job.startCode && !job.startCodeVerified) {
      items.push(codeBlock('Start code', job.startCode, 'start-code', 'Give this to your hustler when they arrive. Entering it starts the job.'));
    } else if (job.startCodeVerified) {
      items.push(h('p', { class: 'done-line', testid: 'start-code-used' }, '✓ Start code entered ', job.startedAt ? `at ${time(job.startedAt)}` : ''));
    }
    if (job.completionCode && !job.completionCodeVerified) {
      items.push(codeBlock('Completion code', job.completionCode, 'completion-code', 'Give this only when the work is done to your satisfaction.'));
    }
    const startLock = lockedUntil(job.startCodeLockedUntil);
    const completionLock = lockedUntil(job.completionCodeLockedUntil);
    const lock = startLock ?? completionLock;
    if (lock) {
      const which = startLock ? 'start' : 'completion';
      const el = h('p', { class: 'notice notice-warn', testid: 'code-lockout', role: 'status' });
      const update = () => {
        el.textContent = `The hustler entered a wrong ${which} code 5 times. Entry is locked until ${time(new Date(lock).toISOString())} (${clock(lock - Date.now())} left).`;
      };
      tickers.push(update);
      items.push(el);
    }
    return card('Your codes', h('div', { class: 'codes', testid: 'codes' }, items));
  }

  function timerLine() {
    if (!job.startedAt) return null;
    const el = h('p', { class: 'timer', testid: 'job-timer', role: 'timer', 'aria-live': 'off' });
    const estimate = h('p', { class: 'muted', testid: 'timer-estimate' });
    const started = new Date(job.startedAt).getTime();
    const update = () => {
      const elapsed = Date.now() - started;
      el.textContent = clock(elapsed);
      if (job.pricingType === 'HOURLY') {
        const { billed, amount } = hourlyEstimate(job, elapsed / 60000);
        estimate.textContent = `So far: ${minutesText(billed)} billable, ${money(amount, job.currency)} (rounded up to 15 min, capped at ${job.estimatedHours ? hoursText(job.estimatedHours) : 'the estimate'}).`;
      }
    };
    tickers.push(update);
    return [el, job.pricingType === 'HOURLY' ? estimate : null];
  }

  function progressCard() {
    return card('Work in progress',
      h('p', { testid: 'in-progress-note' }, `Started ${job.startedAt ? `at ${time(job.startedAt)}` : ''}.`),
      job.pricingType === 'HOURLY' ? timerLine() : null);
  }

  function confirmCard() {
    const s = job.status;
    const amount = job.finalAmount ?? job.amount;
    const confirm = h('button', { type: 'button', class: 'btn btn-primary btn-big', testid: 'confirm-pay' }, `Confirm & pay ${money(amount, job.currency)}`);
    confirm.addEventListener('click', () => act(confirm, () => post(jobPath('confirm')), {
      success: 'Payment captured',
      onError: (err) => {
        if (err.code === 'payment_failed' || err.code === 'payment_declined' || err.code === 'payment_method_required') {
          // Same words as the PAYMENT_FAILED event's toast, so the two show as one.
          toast(err.code === 'payment_failed' ? 'Payment failed: change your payment method and confirm again' : err.message, { kind: 'error', href: '#/account' });
          refreshJob(jobId).catch(() => {});
          return true;
        }
        return false;
      },
    }));
    const parts = [
      h('p', { testid: 'completed-note' }, s === 'COMPLETED_BY_HUSTLER'
        ? 'The hustler marked the job done.'
        : 'The hustler marked the job done and asked to be paid.'),
      h('dl', { class: 'facts' },
        h('dt', null, 'To pay'), h('dd', { testid: 'amount-due' }, money(amount, job.currency)),
        job.billedMinutes ? [h('dt', null, 'Time billed'), h('dd', null, minutesText(job.billedMinutes))] : null),
    ];
    if (job.paymentStatus === 'CAPTURE_FAILED') {
      parts.push(h('p', { class: 'notice notice-warn', testid: 'capture-failed' }, 'Your last payment failed. ', h('a', { href: '#/account' }, 'Change your payment method'), ' and confirm again.'));
    }
    if (job.disputed) parts.push(h('p', { class: 'notice notice-warn', testid: 'dispute-note' }, 'You disputed this job: it will not be confirmed automatically and an operator will look at it.'));
    parts.push(h('div', { class: 'actions' }, confirm));
    if (s === 'AWAITING_CUSTOMER_CONFIRM' && !job.disputed) {
      parts.push(reasonAction('Dispute', 'dispute', 'dispute', 'Something wrong? A dispute stops automatic confirmation and flags the job for an operator.', `“${job.title}” was disputed`, { reasonRequired: true }));
    }
    return card('Confirm and pay', parts);
  }

  function paidCard() {
    return card('Paid', h('p', { class: 'paid-line', testid: 'payment-paid' },
      `✓ Paid ${money(job.finalAmount ?? job.amount, job.currency)}`,
      job.paymentStatus === 'CAPTURED' ? '' : ` (${paymentLabel(job.paymentStatus)})`));
  }

  function finalCard() {
    return card(statusLabel(job.status), h('p', { testid: 'final-note' }, job.status === 'CANCELLED'
      ? 'This job was cancelled. Nothing was charged.'
      : 'This job expired before anyone was hired.'));
  }

  /** A button that opens a small form with an optional reason, then does `POST /api/jobs/{id}/{path}`. */
  function reasonAction(label, testid, path, explain, success, { reasonRequired = false } = {}) {
    const open = h('button', { type: 'button', class: 'btn btn-danger-quiet', testid, 'aria-expanded': 'false' }, label);
    const reason = h('input', { type: 'text', maxlength: 500, testid: `${testid}-reason` });
    const confirmBtn = h('button', { type: 'submit', class: 'btn btn-danger', testid: `${testid}-confirm` }, label);
    const cancelBtn = h('button', { type: 'button', class: 'btn btn-quiet' }, 'Keep it');
    const form = h('form', { class: 'reason-form', hidden: true },
      formError(),
      h('p', { class: 'muted small' }, explain),
      field(reasonRequired ? 'Reason' : 'Reason (optional)', reason, { errorFor: 'reason' }),
      h('div', { class: 'actions' }, confirmBtn, cancelBtn));
    open.addEventListener('click', () => {
      form.hidden = false;
      open.hidden = true;
      open.setAttribute('aria-expanded', 'true');
      reason.focus();
    });
    cancelBtn.addEventListener('click', () => {
      form.hidden = true;
      open.hidden = false;
      open.setAttribute('aria-expanded', 'false');
      open.focus();
    });
    form.addEventListener('submit', (e) => {
      e.preventDefault();
      const text = reason.value.trim();
      if (reasonRequired && !text) {
        showFormError(form, new ApiError(400, { code: 'validation_failed', detail: 'Say what went wrong.', errors: { reason: ['Say what went wrong.'] } }));
        return;
      }
      act(confirmBtn, () => post(jobPath(path), text ? { reason: text } : {}), { success, errorEl: form });
    });
    return h('div', { class: 'reason-action' }, open, form);
  }

  function priceProposalCard() {
    const p = job.pendingPriceProposal;
    const hourly = job.pricingType === 'HOURLY';
    const fmt = (pp) => (hourly ? `${money(pp.hourlyRate, job.currency)}/h` : money(pp.amount, job.currency));
    if (p && p.status === 'PENDING') {
      if (p.proposedById === state.me?.id) {
        return card('Price change', h('p', { testid: 'price-proposal-pending' }, `You proposed ${fmt(p)}. Waiting for an answer.`));
      }
      const accept = h('button', { type: 'button', class: 'btn btn-primary', testid: 'accept-price' }, 'Accept new price');
      const decline = h('button', { type: 'button', class: 'btn', testid: 'decline-price' }, 'Decline');
      accept.addEventListener('click', () => act(accept, () => post(`/api/price-proposals/${encodeURIComponent(p.id)}/accept`), { success: `Price changed for “${job.title}”` }));
      decline.addEventListener('click', () => act(decline, () => post(`/api/price-proposals/${encodeURIComponent(p.id)}/decline`), { success: `Price change for “${job.title}” declined` }));
      const who = roleOf(job) === 'customer' ? 'The hustler' : 'The customer';
      return card('Price change proposed',
        h('p', { testid: 'price-proposal' }, `${who} proposes ${fmt(p)} instead of ${hourly ? `${money(job.hourlyRate, job.currency)}/h` : money(job.amount, job.currency)}.`),
        roleOf(job) === 'customer' ? h('p', { class: 'muted small' }, 'A higher price re-authorizes your card; a lower one keeps the hold and charges less.') : null,
        h('div', { class: 'actions' }, accept, decline));
    }
    const input = h('input', { type: 'text', inputmode: 'decimal', testid: 'proposal-amount', value: moneyInput(hourly ? job.hourlyRate : job.amount, job.currency) });
    const submit = h('button', { type: 'submit', class: 'btn', testid: 'propose-price' }, 'Propose');
    const form = h('form', { class: 'inline-form' }, formError(),
      field(hourly ? 'New hourly rate' : 'New price', input, { errorFor: hourly ? 'hourlyRate' : 'amount', hint: 'Before the start code only. The other side accepts or declines.' }),
      h('div', { class: 'actions' }, submit));
    form.addEventListener('submit', (e) => {
      e.preventDefault();
      const value = parseMoney(input.value, job.currency);
      if (!value) {
        showFormError(form, new ApiError(400, { detail: 'Enter an amount like 120.00.' }));
        return;
      }
      act(submit, () => post(jobPath('price-proposals'), hourly ? { hourlyRate: value } : { amount: value }), { success: `Price change proposed for “${job.title}”`, errorEl: form });
    });
    return h('details', { class: 'card', testid: 'price-proposal-panel' }, h('summary', null, 'Propose a different price'), form);
  }

  function editCard() {
    const priceEditable = OPEN_TO_OFFERS.has(job.status);
    const title = h('input', { type: 'text', maxlength: 120, value: job.title, testid: 'edit-title' });
    const description = h('textarea', { rows: 3, maxlength: 4000, testid: 'edit-description' });
    description.value = job.description ?? '';
    const area = h('input', { type: 'text', maxlength: 120, value: job.area, testid: 'edit-area' });
    const address = h('input', { type: 'text', maxlength: 300, value: job.location ?? '', testid: 'edit-location' });
    const hourly = job.pricingType === 'HOURLY';
    const priceInput = h('input', { type: 'text', inputmode: 'decimal', value: moneyInput(hourly ? job.hourlyRate : job.amount, job.currency), testid: 'edit-price' });
    const hoursInput = h('input', { type: 'number', min: 0.25, step: 0.25, value: job.estimatedHours ?? '', testid: 'edit-hours' });
    const save = h('button', { type: 'submit', class: 'btn btn-primary', testid: 'save-job' }, 'Save changes');
    const form = h('form', null, formError(),
      field('Title', title, { errorFor: 'title' }),
      field('Description', description, { errorFor: 'description' }),
      h('div', { class: 'grid-2' }, field('Area', area, { errorFor: 'area' }), field('Address', address, { errorFor: 'location' })),
      priceEditable
        ? h('div', { class: 'grid-2' },
          field(hourly ? 'Hourly rate' : 'Price', priceInput, { errorFor: hourly ? 'hourlyRate' : 'amount' }),
          hourly ? field('Estimated hours', hoursInput, { errorFor: 'estimatedHours' }) : null)
        : h('p', { class: 'muted small' }, 'The price can no longer be edited: propose a price change instead.'),
      h('div', { class: 'actions' }, save));
    form.addEventListener('submit', (e) => {
      e.preventDefault();
      const body = {};
      if (title.value.trim() !== job.title) body.title = title.value.trim();
      if (description.value.trim() !== (job.description ?? '')) body.description = description.value.trim();
      if (area.value.trim() !== job.area) body.area = area.value.trim();
      if (address.value.trim() !== (job.location ?? '')) body.location = address.value.trim();
      if (priceEditable) {
        const value = parseMoney(priceInput.value, job.currency);
        if (value === null) {
          showFormError(form, new ApiError(400, { code: 'validation_failed', detail: 'Enter an amount like 120.00.', errors: { [hourly ? 'hourlyRate' : 'amount']: ['Enter an amount like 120.00.'] } }));
          return;
        }
        if (hourly && value !== job.hourlyRate) body.hourlyRate = value;
        if (!hourly && value !== job.amount) body.amount = value;
        if (hourly && hoursInput.value !== '' && Number(hoursInput.value) !== Number(job.estimatedHours)) body.estimatedHours = Number(hoursInput.value);
      }
      if (Object.keys(body).length === 0) {
        showFormError(form, new ApiError(400, { detail: 'Nothing changed.' }));
        return;
      }
      act(save, () => patch(`/api/jobs/${encodeURIComponent(jobId)}`, body), { success: 'Job updated', errorEl: form });
    });
    return h('details', { class: 'card', testid: 'edit-job-panel' }, h('summary', null, 'Edit job'), form);
  }

  // --- hustler (assigned) ---------------------------------------------------------------------------------

  function hustlerPanel() {
    const s = job.status;
    const parts = [];
    if (s === 'SCHEDULED') {
      parts.push(card('You got the job', h('p', { testid: 'assigned-note' }, 'When you arrive, ask the customer for the start code and enter it here.'), codeEntry('start')));
      if (!job.startCodeVerified) parts.push(priceProposalCard());
      if (!job.startCodeVerified) parts.push(reasonAction('Give the job back', 'unassign', 'unassign', 'The job goes back to open and the customer is told.', `“${job.title}” was unassigned and is open again`));
    }
    if (s === 'IN_PROGRESS') {
      parts.push(card('Working', h('p', { testid: 'in-progress-note' }, `Started ${job.startedAt ? `at ${time(job.startedAt)}` : ''}. When you are done, ask the customer for the completion code.`),
        job.pricingType === 'HOURLY' ? timerLine() : null,
        codeEntry('completion')));
    }
    if (s === 'COMPLETED_BY_HUSTLER') parts.push(requestPaymentCard());
    if (s === 'AWAITING_CUSTOMER_CONFIRM') {
      parts.push(card('Waiting for payment', h('p', { class: 'waiting-line', testid: 'payment-waiting' },
        `Waiting for payment: ${money(job.finalAmount ?? job.amount, job.currency)}. The customer confirms, or it is confirmed automatically after a while.`),
      job.disputed ? h('p', { class: 'notice notice-warn', testid: 'dispute-note' }, 'The customer disputed this job; an operator will look at it.') : null,
      job.paymentStatus === 'CAPTURE_FAILED' ? h('p', { class: 'notice notice-warn', testid: 'capture-failed' }, 'The customer\'s payment failed; they have been asked to change their payment method.') : null));
    }
    if (s === 'PAID') {
      parts.push(card('Paid', h('p', { class: 'paid-line', testid: 'payment-paid' }, `✓ Paid ${money(job.finalAmount ?? job.amount, job.currency)}`)));
    }
    if (s === 'CANCELLED' || s === 'EXPIRED') parts.push(finalCard());
    return parts;
  }

  function codeEntry(which) {
    const isStart = which === 'start';
    const lockIso = isStart ? job.startCodeLockedUntil : job.completionCodeLockedUntil;
    const lock = lockedUntil(lockIso) ?? lockedUntil(codeErrors[which]?.lockedUntil);
    const input = h('input', {
      type: 'text', inputmode: 'numeric', autocomplete: 'one-time-code', pattern: '[0-9]{6}', maxlength: 6,
      testid: `${which}-code-input`, disabled: Boolean(lock), class: 'code-input',
    });
    const submit = h('button', { type: 'submit', class: 'btn btn-primary', testid: isStart ? 'enter-start-code' : 'enter-completion-code', disabled: Boolean(lock) },
      isStart ? 'Start job' : 'Complete job');
    const error = h('p', { class: 'form-error', testid: 'code-error', role: 'alert', hidden: !codeErrors[which]?.message || Boolean(lock) }, codeErrors[which]?.message ?? '');
    const lockEl = h('p', { class: 'notice notice-warn', testid: 'code-lockout', role: 'status', hidden: !lock });
    if (lock) {
      tickers.push(() => {
        lockEl.textContent = `Too many wrong codes. Code entry is locked until ${time(new Date(lock).toISOString())} (${clock(lock - Date.now())} left).`;
      });
    }
    const form = h('form', { class: 'code-form', novalidate: true },
      field(isStart ? 'Start code' : 'Completion code', input, { hint: 'The 6 digits the customer gives you.' }),
      h('div', { class: 'actions' }, submit), error, lockEl);
    form.addEventListener('submit', (e) => {
      e.preventDefault();
      const code = input.value.replace(/\D/g, '');
      if (code.length !== 6) {
        error.textContent = 'Enter all 6 digits.';
        error.hidden = false;
        input.focus();
        return;
      }
      act(submit, () => post(jobPath(isStart ? 'start' : 'complete'), { code }), {
        success: isStart ? 'Job started' : 'Job completed',
        onError: (err) => {
          if (err.code === 'code_invalid') {
            const left = err.problem.triesLeft;
            codeErrors[which] = { message: `Wrong code.${left !== undefined ? ` ${left} ${left === 1 ? 'try' : 'tries'} left.` : ''}` };
          } else if (err.code === 'code_locked') {
            codeErrors[which] = { message: err.message, lockedUntil: err.problem.lockedUntil };
            refreshJob(jobId).catch(() => {});
          } else {
            return false;
          }
          renderPanel();
          const again = panel.querySelector(`[data-testid="${which}-code-input"]`);
          if (again && !again.disabled) again.focus();
          return true;
        },
      }).then((ok) => {
        if (ok) codeErrors[which] = null;
      });
    });
    return form;
  }

  function requestPaymentCard() {
    const hourly = job.pricingType === 'HOURLY';
    const submit = h('button', { type: 'submit', class: 'btn btn-primary btn-big', testid: 'request-payment' }, 'Request payment');
    const form = h('form', { class: 'inline-form' }, formError());
    if (hourly) {
      const max = job.billedMinutes ?? (job.startedAt && job.completedAt
        ? Math.ceil((new Date(job.completedAt) - new Date(job.startedAt)) / 60000) : null);
      const minutes = h('input', { type: 'number', min: 1, step: 1, max: max ?? undefined, value: max ?? '', testid: 'billable-minutes' });
      const preview = h('p', { class: 'muted', testid: 'billable-preview' });
      const update = () => {
        const m = Number(minutes.value);
        if (!(m > 0)) {
          preview.textContent = '';
          return;
        }
        // Lowered minutes are billed as entered (no 15-minute rounding), as the server does.
        preview.textContent = `You will bill ${minutesText(m)}: ${money(hoursCost(job.hourlyRate, m), job.currency)}.`;
      };
      minutes.addEventListener('input', update);
      update();
      form.append(field('Minutes to bill', minutes, { errorFor: 'billableMinutes', hint: `You can bill less than the ${max ? minutesText(max) : 'time'} the clock gave, not more.` }), preview);
      form.addEventListener('submit', (e) => {
        e.preventDefault();
        const m = Math.floor(Number(minutes.value));
        if (!(m > 0) || (max && m > max)) {
          showFormError(form, new ApiError(400, { code: 'validation_failed', detail: `Enter between 1 and ${max ?? 'the worked'} minutes.`, errors: { billableMinutes: [`Between 1 and ${max ?? '…'} minutes.`] } }));
          return;
        }
        act(submit, () => post(jobPath('request-payment'), m === max ? {} : { billableMinutes: m }), { success: 'Payment requested', errorEl: form });
      });
    } else {
      form.addEventListener('submit', (e) => {
        e.preventDefault();
        act(submit, () => post(jobPath('request-payment'), {}), { success: 'Payment requested', errorEl: form });
      });
    }
    form.append(h('div', { class: 'actions' }, submit));
    return card('Job done: request payment',
      h('p', { testid: 'completed-note' }, `Final amount: ${money(job.finalAmount ?? job.amount, job.currency)}.`),
      form);
  }

  // --- prospect (a hustler who is not assigned) -----------------------------------------------------------

  function prospectPanel() {
    if (!OPEN_TO_OFFERS.has(job.status)) {
      return card('Not open', h('p', { testid: 'job-not-open' }, `This job is ${statusLabel(job.status).toLowerCase()} and no longer takes offers.`));
    }
    const mine = (offers ?? []).filter((o) => o.hustlerId === state.me?.id);
    const pending = mine.find((o) => o.status === 'PENDING');
    const parts = [];
    if (pending) {
      const withdraw = h('button', { type: 'button', class: 'btn', testid: 'withdraw-offer' }, 'Withdraw offer');
      withdraw.addEventListener('click', () => act(withdraw, () => post(`/api/offers/${encodeURIComponent(pending.id)}/withdraw`), { success: 'Offer withdrawn' })
        .then(() => { offersVersion = null; loadOffers(); }));
      const amount = job.pricingType === 'FLAT' ? money(pending.proposedAmount ?? job.amount, job.currency) : `${money(job.hourlyRate, job.currency)}/h`;
      parts.push(card('Your offer', h('p', { testid: 'my-offer' }, `You offered ${amount}. Waiting for the customer.`),
        pending.message ? h('p', { class: 'offer-message' }, pending.message) : null,
        h('div', { class: 'actions' }, withdraw)));
    } else if (offers === null) {
      parts.push(card('Make an offer', h('p', { class: 'muted' }, 'Loading…')));
    } else {
      const declined = mine.some((o) => o.status === 'DECLINED');
      const hourly = job.pricingType === 'HOURLY';
      const amount = h('input', { type: 'text', inputmode: 'decimal', testid: 'offer-amount', value: moneyInput(job.amount, job.currency) });
      const message = h('textarea', { rows: 2, maxlength: 1000, testid: 'offer-message-input' });
      const submit = h('button', { type: 'submit', class: 'btn btn-primary', testid: 'make-offer' }, 'Make offer');
      const form = h('form', { class: 'inline-form' }, formError(),
        hourly
          ? h('p', null, `The customer pays ${money(job.hourlyRate, job.currency)} per hour, for up to ${job.estimatedHours ? hoursText(job.estimatedHours) : 'the estimate'}.`)
          : field('Your price', amount, { errorFor: 'proposedAmount', hint: `The customer asks ${money(job.amount, job.currency)}. Offer that or propose your own.` }),
        field('Message (optional)', message, { errorFor: 'message' }),
        h('div', { class: 'actions' }, submit));
      form.addEventListener('submit', (e) => {
        e.preventDefault();
        const body = {};
        if (!hourly) {
          const value = parseMoney(amount.value, job.currency);
          if (value === null || value <= 0) {
            showFormError(form, new ApiError(400, { code: 'validation_failed', detail: 'Enter a price like 120.00.', errors: { proposedAmount: ['Enter a price like 120.00.'] } }));
            return;
          }
          if (value !== job.amount) body.proposedAmount = value;
        }
        if (message.value.trim()) body.message = message.value.trim();
        act(submit, () => post(jobPath('offers'), body), { success: 'Offer sent', errorEl: form }).then((res) => {
          if (!res) return;
          offersVersion = null;
          refreshJob(jobId).then(loadOffers).catch(() => {});
          refreshThreads().catch(() => {});
        });
      });
      parts.push(card('Make an offer', declined ? h('p', { class: 'notice' }, 'Your earlier offer was declined. You can offer again.') : null, form));
    }
    return parts;
  }

  // --- history --------------------------------------------------------------------------------------------

  function actorName(actor) {
    if (!actor) return 'Hustle';
    const id = typeof actor === 'string' ? actor : actor.id ?? actor.userId ?? actor.kind;
    if (id === state.me?.id) return 'You';
    if (id === job?.customerId) return 'Customer';
    if (id === job?.hustlerId) return 'Hustler';
    const kind = typeof actor === 'object' ? String(actor.kind ?? '').toLowerCase() : String(actor).toLowerCase();
    if (kind === 'system') return 'Hustle';
    if (kind === 'operator') return 'Operator';
    const known = state.threads.find((t) => t.counterpart?.id === id)?.counterpart?.displayName;
    // Anyone else acting on a job is a hustler (one who offered, or who was assigned before).
    return known ?? (typeof actor === 'object' ? actor.displayName : null) ?? 'Hustler';
  }

  function renderHistory(entries) {
    if (!entries.length) {
      historyList.replaceChildren(h('li', { class: 'muted' }, 'Nothing yet.'));
      return;
    }
    historyList.replaceChildren(...entries.map((e) => {
      const action = String(e.action ?? '').replaceAll('_', ' ').toLowerCase();
      const change = e.from && e.to && e.from !== e.to ? `${statusLabel(e.from)} → ${statusLabel(e.to)}` : '';
      return h('li', { class: 'timeline-entry', testid: 'history-entry', dataset: { action: e.action ?? '' } },
        h('time', { datetime: e.at, class: 'muted small' }, dateTime(e.at)),
        h('p', null, h('strong', null, actorName(e.actor)), ` ${action}`, change ? h('span', { class: 'muted' }, ` · ${change}`) : null),
        e.reason ? h('p', { class: 'history-reason' }, `“${e.reason}”`) : null);
    }));
  }
  history.addEventListener('toggle', () => {
    if (history.open) loadHistory();
  });

  // --- messaging ------------------------------------------------------------------------------------------

  const chatList = h('div', { class: 'chat-list' });
  const chatBox = h('div', { class: 'chat-thread' });
  const chatEmpty = h('div', { class: 'chat-empty' });
  chat.append(h('h2', { id: `chat-${jobId}` }, 'Messages'), chatList, chatBox, chatEmpty);

  function selectThread(id) {
    if (id === chatThreadId) return;
    chatView?.destroy();
    chatThreadId = id;
    chatView = id ? threadView(id) : null;
    // Only here is the conversation element swapped, so typing in it survives every other re-render.
    chatBox.replaceChildren(...(chatView ? [chatView.el] : []));
  }

  function renderChat() {
    const role = roleOf(job);
    const threads = threadsForJob(jobId);
    if (!chatThreadId || !threads.some((t) => t.id === chatThreadId)) {
      const unreadFirst = [...threads].sort((a, b) => (b.unreadCount || 0) - (a.unreadCount || 0));
      const preferred = role === 'customer' && job.hustlerId ? threads.find((t) => t.hustlerId === job.hustlerId) : null;
      selectThread((preferred ?? unreadFirst[0])?.id ?? null);
    }
    chatList.replaceChildren(...(threads.length > 1
      ? [threadList(threads, { selectedId: chatThreadId, showJob: false, onSelect: (t) => { selectThread(t.id); renderChat(); } })]
      : []));
    if (chatView) {
      chatEmpty.replaceChildren();
    } else if (!state.threadsLoaded) {
      chatEmpty.replaceChildren(h('p', { class: 'muted' }, state.threadsError ? 'Messages are not available right now.' : 'Loading…'));
    } else if (role === 'prospect' && OPEN_TO_OFFERS.has(job.status)) {
      const ask = h('button', { type: 'button', class: 'btn', testid: 'ask-question' }, 'Ask the customer a question');
      ask.addEventListener('click', () => busy(ask, async () => {
        const t = await openQuestionThread(jobId);
        if (t?.id) selectThread(t.id);
        renderChat();
        chat.querySelector('[data-testid="message-input"]')?.focus();
      }, toastError));
      chatEmpty.replaceChildren(h('p', { class: 'muted' }, 'Questions before you offer? Ask here; an offer opens a conversation too.'), ask);
    } else {
      chatEmpty.replaceChildren(h('p', { class: 'muted', testid: 'no-threads' }, role === 'customer'
        ? 'Hustlers who ask a question or make an offer show up here.'
        : 'No conversation for this job.'));
    }
  }

  // --- wiring ---------------------------------------------------------------------------------------------

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
        if (statusChanged) codeErrors = { start: null, completion: null };
        render();
        if (history.open) loadHistory();
      } else if (what === 'jobs') {
        const next = state.jobs.get(jobId);
        if (next) {
          job = next;
          render();
        }
      } else if (what === 'threads') {
        if (job && !gone) {
          renderChat();
          renderPanel();
        }
        chatView?.update(what, detail);
      } else if (what === 'me') {
        renderPanel();
      } else {
        chatView?.update(what, detail);
      }
    },
    tick() {
      if (!job || gone) return;
      const before = lockKey;
      panelKey();
      if (before !== lockKey) renderPanel();
      for (const t of tickers) t();
      chatView?.tick();
    },
    destroy() {
      chatView?.destroy();
    },
  };
}

function card(title, ...children) {
  return h('section', { class: 'card' }, h('h2', null, title), children);
}
