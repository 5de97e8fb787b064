// Offers: the customer accepts or declines each one; a hustler makes, or withdraws, their own.
import { h, field, formError, showFormError } from '../../dom.js';
import { post, ApiError } from '../../api.js';
import { state, refreshJob, threadsForJob, refreshThreads } from '../../store.js';
import { money, moneyInput, parseMoney, hoursText, statusLabel, shortId, relative } from '../../format.js';
import { toast } from '../../toast.js';
import { counterpartName } from '../messages.js';
import { allowed, canNow } from './allowed.js';
import { card } from './parts.js';

const offerPath = (offerId, verb) => `/api/offers/${encodeURIComponent(offerId)}/${verb}`;

function offeredAmount(job, offer) {
  return job.pricingType === 'FLAT' ? money(offer.proposedAmount ?? job.amount, job.currency) : `${money(job.hourlyRate, job.currency)}/h`;
}

/** The customer's offers, each with the buttons the server allows for it. */
export function offersCard(ctx) {
  const { job, offers } = ctx;
  const pending = (offers ?? []).filter((o) => o.status === 'PENDING');
  const threads = threadsForJob(ctx.jobId);
  const nameOf = (hustlerId) => {
    const t = threads.find((x) => x.hustlerId === hustlerId);
    return t ? counterpartName(t) : `Hustler ${shortId(hustlerId)}`;
  };
  const needsPm = !state.me?.paymentMethod;
  const body = offers === null
    ? h('p', { class: 'muted' }, 'Loading offers…')
    : pending.length === 0
      ? h('p', { class: 'muted' }, 'No pending offers right now.')
      : h('ul', { class: 'offers', testid: 'offers' }, pending.map((o) => offerRow(ctx, o, nameOf(o.hustlerId))));
  return card(`Offers${pending.length ? ` (${pending.length})` : ''}`, body,
    needsPm ? h('p', { class: 'notice', testid: 'payment-method-needed' }, 'To accept an offer you need a payment method: ', h('a', { href: '#/account' }, 'add one'), '.') : null,
    h('p', { class: 'muted small' }, 'Accepting authorizes your card for the price; you are charged only when you confirm the job is done.'));
}

function offerRow(ctx, o, hustlerName) {
  const { job } = ctx;
  const buttons = [];
  if (canNow(job, 'ACCEPT_OFFER', { offerId: o.id })) {
    const accept = h('button', { type: 'button', class: 'btn btn-primary', testid: 'accept-offer', dataset: { offerId: o.id } }, 'Accept');
    accept.addEventListener('click', () => ctx.act(accept, () => post(offerPath(o.id, 'accept')), {
      success: 'Offer accepted: job scheduled',
      onError: (err) => {
        if (err.code === 'payment_method_required' || err.code === 'payment_declined') {
          toast(err.message, { kind: 'error', href: '#/account' });
          return true;
        }
        return false;
      },
    }));
    buttons.push(accept);
  }
  if (allowed(job, 'DECLINE_OFFER', { offerId: o.id })) {
    const decline = h('button', { type: 'button', class: 'btn', testid: 'decline-offer', dataset: { offerId: o.id } }, 'Decline');
    decline.addEventListener('click', () => ctx.act(decline, () => post(offerPath(o.id, 'decline')), { success: 'Offer declined' }).then(() => ctx.reloadOffers()));
    buttons.push(decline);
  }
  return h('li', { class: 'offer', testid: 'offer', dataset: { offerId: o.id, hustlerId: o.hustlerId } },
    h('div', { class: 'offer-main' },
      h('p', null, h('strong', { testid: 'offer-hustler' }, hustlerName), ' offers ', h('strong', { testid: 'offer-amount' }, offeredAmount(job, o)),
        job.pricingType === 'FLAT' && o.proposedAmount !== null && o.proposedAmount !== undefined && o.proposedAmount !== job.amount
          ? h('span', { class: 'muted' }, ` (you asked ${money(job.amount, job.currency)})`) : null),
      o.message ? h('p', { class: 'offer-message', testid: 'offer-message' }, o.message) : null,
      h('p', { class: 'muted small' }, relative(o.createdAt))),
    h('div', { class: 'actions' }, buttons));
}

/** A hustler who is not assigned: their pending offer (to withdraw), or the form to make one. */
export function prospectParts(ctx) {
  const { job, offers } = ctx;
  const withdraw = allowed(job, 'WITHDRAW_OFFER');
  const canOffer = canNow(job, 'MAKE_OFFER');
  if (!withdraw && !canOffer) {
    return [card('Not open', h('p', { testid: 'job-not-open' }, `This job is ${statusLabel(job.status).toLowerCase()} and no longer takes offers.`))];
  }
  if (offers === null) return [card('Make an offer', h('p', { class: 'muted' }, 'Loading…'))];
  const pending = withdraw ? offers.find((o) => o.id === withdraw.offerId) : null;
  if (pending) return [myOfferCard(ctx, pending)];
  if (!canOffer) return [card('Your offer', h('p', { class: 'muted' }, 'Loading…'))];
  const declined = offers.some((o) => o.hustlerId === state.me?.id && o.status === 'DECLINED');
  return [card('Make an offer', declined ? h('p', { class: 'notice' }, 'Your earlier offer was declined. You can offer again.') : null, offerForm(ctx))];
}

function myOfferCard(ctx, pending) {
  const withdraw = h('button', { type: 'button', class: 'btn', testid: 'withdraw-offer' }, 'Withdraw offer');
  withdraw.addEventListener('click', () => ctx.act(withdraw, () => post(offerPath(pending.id, 'withdraw')), { success: 'Offer withdrawn' })
    .then(() => ctx.reloadOffers()));
  return card('Your offer', h('p', { testid: 'my-offer' }, `You offered ${offeredAmount(ctx.job, pending)}. Waiting for the customer.`),
    pending.message ? h('p', { class: 'offer-message' }, pending.message) : null,
    h('div', { class: 'actions' }, withdraw));
}

function offerForm(ctx) {
  const { job } = ctx;
  // The allowed action says which fields the offer takes: a price of one's own only on a FLAT job.
  const ownPrice = allowed(job, 'MAKE_OFFER').optional.includes('proposedAmount');
  const amount = h('input', { type: 'text', inputmode: 'decimal', testid: 'offer-amount', value: moneyInput(job.amount, job.currency) });
  const message = h('textarea', { rows: 2, maxlength: 1000, testid: 'offer-message-input' });
  const submit = h('button', { type: 'submit', class: 'btn btn-primary', testid: 'make-offer' }, 'Make offer');
  const form = h('form', { class: 'inline-form' }, formError(),
    ownPrice
      ? field('Your price', amount, { errorFor: 'proposedAmount', hint: `The customer asks ${money(job.amount, job.currency)}. Offer that or propose your own.` })
      : h('p', null, `The customer pays ${money(job.hourlyRate, job.currency)} per hour, for up to ${job.estimatedHours ? hoursText(job.estimatedHours) : 'the estimate'}.`),
    field('Message (optional)', message, { errorFor: 'message' }),
    h('div', { class: 'actions' }, submit));
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const body = {};
    if (ownPrice) {
      const value = parseMoney(amount.value, job.currency);
      if (value === null || value <= 0) {
        showFormError(form, new ApiError(400, { code: 'validation_failed', detail: 'Enter a price like 120.00.', errors: { proposedAmount: ['Enter a price like 120.00.'] } }));
        return;
      }
      if (value !== job.amount) body.proposedAmount = value;
    }
    if (message.value.trim()) body.message = message.value.trim();
    ctx.act(submit, () => post(ctx.jobPath('offers'), body), { success: 'Offer sent', errorEl: form }).then((res) => {
      if (!res) return;
      refreshJob(ctx.jobId).then(() => ctx.reloadOffers()).catch(() => {});
      refreshThreads().catch(() => {});
    });
  });
  return form;
}
