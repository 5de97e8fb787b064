// Price proposals on a scheduled job: one party proposes, the other accepts or declines.
import { h, field, formError, showFormError } from '../../dom.js';
import { post, ApiError } from '../../api.js';
import { state } from '../../store.js';
import { money, moneyInput, parseMoney } from '../../format.js';
import { allowed } from './allowed.js';
import { card, roleOf } from './parts.js';

const proposalPath = (id, verb) => `/api/price-proposals/${encodeURIComponent(id)}/${verb}`;

export function priceProposalCard(ctx) {
  const { job } = ctx;
  const p = job.pendingPriceProposal;
  const hourly = job.pricingType === 'HOURLY';
  const fmt = (pp) => (hourly ? `${money(pp.hourlyRate, job.currency)}/h` : money(pp.amount, job.currency));
  const answer = allowed(job, 'ANSWER_PRICE_PROPOSAL');
  if (answer && p?.id === answer.proposalId) {
    const accept = h('button', { type: 'button', class: 'btn btn-primary', testid: 'accept-price' }, 'Accept new price');
    const decline = h('button', { type: 'button', class: 'btn', testid: 'decline-price' }, 'Decline');
    accept.addEventListener('click', () => ctx.act(accept, () => post(proposalPath(p.id, 'accept')), { success: `Price changed for “${job.title}”` }));
    decline.addEventListener('click', () => ctx.act(decline, () => post(proposalPath(p.id, 'decline')), { success: `Price change for “${job.title}” declined` }));
    const isCustomer = roleOf(job) === 'customer';
    return card('Price change proposed',
      h('p', { testid: 'price-proposal' }, `${isCustomer ? 'The hustler' : 'The customer'} proposes ${fmt(p)} instead of ${hourly ? `${money(job.hourlyRate, job.currency)}/h` : money(job.amount, job.currency)}.`),
      isCustomer ? h('p', { class: 'muted small' }, 'A higher price re-authorizes your card; a lower one keeps the hold and charges less.') : null,
      h('div', { class: 'actions' }, accept, decline));
  }
  if (p?.status === 'PENDING' && p.proposedById === state.me?.id) {
    return card('Price change', h('p', { testid: 'price-proposal-pending' }, `You proposed ${fmt(p)}. Waiting for an answer.`));
  }
  const propose = allowed(job, 'PROPOSE_PRICE');
  return propose ? proposeForm(ctx, propose.needs[0]) : null;
}

/** `field` is what the allowed action needs: `amount` (FLAT) or `hourlyRate` (HOURLY). */
function proposeForm(ctx, fieldName) {
  const { job } = ctx;
  const hourly = fieldName === 'hourlyRate';
  const input = h('input', { type: 'text', inputmode: 'decimal', testid: 'proposal-amount', value: moneyInput(hourly ? job.hourlyRate : job.amount, job.currency) });
  const submit = h('button', { type: 'submit', class: 'btn', testid: 'propose-price' }, 'Propose');
  const form = h('form', { class: 'inline-form' }, formError(),
    field(hourly ? 'New hourly rate' : 'New price', input, { errorFor: fieldName, hint: 'Before the start code only. The other side accepts or declines.' }),
    h('div', { class: 'actions' }, submit));
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const value = parseMoney(input.value, job.currency);
    if (!value) {
      showFormError(form, new ApiError(400, { detail: 'Enter an amount like 120.00.' }));
      return;
    }
    ctx.act(submit, () => post(ctx.jobPath('price-proposals'), { [fieldName]: value }), { success: `Price change proposed for “${job.title}”`, errorEl: form });
  });
  return h('details', { class: 'card', testid: 'price-proposal-panel' }, h('summary', null, 'Propose a different price'), form);
}
