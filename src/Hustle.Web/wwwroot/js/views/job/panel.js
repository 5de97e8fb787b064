// The job page's panel: one card per thing the viewer may do, drawn from `job.allowedActions`, between cards that
// only tell where the job stands. Which buttons exist is the server's answer, never a status test here.
import { h } from '../../dom.js';
import { allowed } from './allowed.js';
import { card, roleOf } from './parts.js';
import { offersCard, prospectParts } from './offers.js';
import { codesCard } from './codes.js';
import { assignedCard, workingCard, progressCard } from './work.js';
import { priceProposalCard } from './price.js';
import { confirmCard, requestPaymentCard, awaitingPaymentCard, paidCard, finalCard } from './payment.js';
import { editCard } from './edit.js';
import { reasonAction } from './reason.js';

const OFFER_ACTIONS = ['ACCEPT_OFFER', 'DECLINE_OFFER', 'WITHDRAW_OFFER', 'MAKE_OFFER'];

/** Whether the viewer may act on offers, so the page loads them. */
export function dealsWithOffers(job) {
  return OFFER_ACTIONS.some((name) => allowed(job, name));
}

export function panelParts(ctx) {
  const { job } = ctx;
  const role = roleOf(job);
  if (role === 'prospect') return prospectParts(ctx);
  const can = (name) => allowed(job, name);
  const s = job.status;
  const isCustomer = role === 'customer';
  return [
    isCustomer && s === 'OPEN'
      ? card('Waiting for offers', h('p', { testid: 'waiting-for-offers' }, 'Hustlers nearby can see your job and make offers. They show up here as they arrive.'))
      : null,
    can('ACCEPT_OFFER') || can('DECLINE_OFFER') ? offersCard(ctx) : null,
    job.completionCode ? codesCard(ctx) : null,
    can('VERIFY_START_CODE') ? assignedCard(ctx) : null,
    can('VERIFY_COMPLETION_CODE') ? workingCard(ctx) : null,
    isCustomer && s === 'IN_PROGRESS' ? progressCard(ctx) : null,
    can('PROPOSE_PRICE') || can('ANSWER_PRICE_PROPOSAL') ? priceProposalCard(ctx) : null,
    can('REQUEST_PAYMENT') ? requestPaymentCard(ctx) : null,
    can('CONFIRM_AND_PAY') ? confirmCard(ctx) : null,
    !isCustomer && s === 'AWAITING_CUSTOMER_CONFIRM' ? awaitingPaymentCard(ctx) : null,
    s === 'PAID' ? paidCard(ctx, { withPaymentStatus: isCustomer }) : null,
    s === 'CANCELLED' || s === 'EXPIRED' ? finalCard(ctx) : null,
    can('EDIT') ? editCard(ctx) : null,
    can('CANCEL')
      ? reasonAction(ctx, { label: 'Cancel job', testid: 'cancel-job', path: 'cancel', explain: 'Cancel this job? Pending offers are declined.', success: `“${job.title}” was cancelled` })
      : null,
    can('UNASSIGN') ? unassignAction(ctx, isCustomer) : null,
  ].filter(Boolean);
}

function unassignAction(ctx, isCustomer) {
  const success = `“${ctx.job.title}” was unassigned and is open again`;
  return isCustomer
    ? reasonAction(ctx, { label: 'Unassign hustler', testid: 'unassign', path: 'unassign', success, explain: 'The job goes back to open and the payment hold is released (voided, not refunded). Codes stop working.' })
    : reasonAction(ctx, { label: 'Give the job back', testid: 'unassign', path: 'unassign', success, explain: 'The job goes back to open and the customer is told.' });
}
