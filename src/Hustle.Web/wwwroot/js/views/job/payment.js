// Getting paid: the hustler requests payment, the customer confirms (and pays) or disputes, and how it ended.
import { h, field, formError, showFormError } from '../../dom.js';
import { post, ApiError } from '../../api.js';
import { refreshJob } from '../../store.js';
import { money, minutesText, statusLabel, paymentLabel } from '../../format.js';
import { toast } from '../../toast.js';
import { allowed } from './allowed.js';
import { card, hoursCost } from './parts.js';
import { reasonAction } from './reason.js';

const dueAmount = (job) => job.finalAmount ?? job.amount;

export function confirmCard(ctx) {
  const { job } = ctx;
  const amount = dueAmount(job);
  const confirm = h('button', { type: 'button', class: 'btn btn-primary btn-big', testid: 'confirm-pay' }, `Confirm & pay ${money(amount, job.currency)}`);
  confirm.addEventListener('click', () => ctx.act(confirm, () => post(ctx.jobPath('confirm')), {
    success: 'Payment captured',
    onError: (err) => {
      if (err.code === 'payment_failed' || err.code === 'payment_declined' || err.code === 'payment_method_required') {
        // Same words as the PAYMENT_FAILED event's toast, so the two show as one.
        toast(err.code === 'payment_failed' ? 'Payment failed: change your payment method and confirm again' : err.message, { kind: 'error', href: '#/account' });
        refreshJob(ctx.jobId).catch(() => {});
        return true;
      }
      return false;
    },
  }));
  const parts = [
    h('p', { testid: 'completed-note' }, job.status === 'COMPLETED_BY_HUSTLER'
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
  if (allowed(job, 'DISPUTE')) {
    parts.push(reasonAction(ctx, {
      label: 'Dispute', testid: 'dispute', path: 'dispute', reasonRequired: true, success: `“${job.title}” was disputed`,
      explain: 'Something wrong? A dispute stops automatic confirmation and flags the job for an operator.',
    }));
  }
  return card('Confirm and pay', parts);
}

export function requestPaymentCard(ctx) {
  const { job } = ctx;
  const submit = h('button', { type: 'submit', class: 'btn btn-primary btn-big', testid: 'request-payment' }, 'Request payment');
  const form = h('form', { class: 'inline-form' }, formError());
  // Only an hourly job's request takes billableMinutes (fewer than the clock gave), as the allowed action says.
  const minutes = allowed(job, 'REQUEST_PAYMENT').optional.includes('billableMinutes') ? billableMinutes(job, form) : null;
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    let body = {};
    if (minutes) {
      const m = Math.floor(Number(minutes.input.value));
      if (!(m > 0) || (minutes.max && m > minutes.max)) {
        showFormError(form, new ApiError(400, { code: 'validation_failed', detail: `Enter between 1 and ${minutes.max ?? 'the worked'} minutes.`, errors: { billableMinutes: [`Between 1 and ${minutes.max ?? '…'} minutes.`] } }));
        return;
      }
      body = m === minutes.max ? {} : { billableMinutes: m };
    }
    ctx.act(submit, () => post(ctx.jobPath('request-payment'), body), { success: 'Payment requested', errorEl: form });
  });
  form.append(h('div', { class: 'actions' }, submit));
  return card('Job done: request payment',
    h('p', { testid: 'completed-note' }, `Final amount: ${money(dueAmount(job), job.currency)}.`),
    form);
}

function billableMinutes(job, form) {
  const max = job.billedMinutes ?? (job.startedAt && job.completedAt
    ? Math.ceil((new Date(job.completedAt) - new Date(job.startedAt)) / 60000) : null);
  const input = h('input', { type: 'number', min: 1, step: 1, max: max ?? undefined, value: max ?? '', testid: 'billable-minutes' });
  const preview = h('p', { class: 'muted', testid: 'billable-preview' });
  const update = () => {
    const m = Number(input.value);
    // Lowered minutes are billed as entered (no 15-minute rounding), as the server does.
    preview.textContent = m > 0 ? `You will bill ${minutesText(m)}: ${money(hoursCost(job.hourlyRate, m), job.currency)}.` : '';
  };
  input.addEventListener('input', update);
  update();
  form.append(field('Minutes to bill', input, { errorFor: 'billableMinutes', hint: `You can bill less than the ${max ? minutesText(max) : 'time'} the clock gave, not more.` }), preview);
  return { input, max };
}

/** The hustler, once payment was requested. */
export function awaitingPaymentCard(ctx) {
  const { job } = ctx;
  return card('Waiting for payment', h('p', { class: 'waiting-line', testid: 'payment-waiting' },
    `Waiting for payment: ${money(dueAmount(job), job.currency)}. The customer confirms, or it is confirmed automatically after a while.`),
  job.disputed ? h('p', { class: 'notice notice-warn', testid: 'dispute-note' }, 'The customer disputed this job; an operator will look at it.') : null,
  job.paymentStatus === 'CAPTURE_FAILED' ? h('p', { class: 'notice notice-warn', testid: 'capture-failed' }, 'The customer\'s payment failed; they have been asked to change their payment method.') : null);
}

/** `withPaymentStatus`: the customer also sees when the money moved on after the capture (refunded). */
export function paidCard(ctx, { withPaymentStatus }) {
  const { job } = ctx;
  return card('Paid', h('p', { class: 'paid-line', testid: 'payment-paid' },
    `✓ Paid ${money(dueAmount(job), job.currency)}`,
    withPaymentStatus && job.paymentStatus !== 'CAPTURED' ? ` (${paymentLabel(job.paymentStatus)})` : ''));
}

export function finalCard(ctx) {
  const { job } = ctx;
  return card(statusLabel(job.status), h('p', { testid: 'final-note' }, job.status === 'CANCELLED'
    ? 'This job was cancelled. Nothing was charged.'
    : 'This job expired before anyone was hired.'));
}
