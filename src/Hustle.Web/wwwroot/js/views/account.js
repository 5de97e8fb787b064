// Display name and the (simulated) payment method.
import { h, field, formError, showFormError, busy } from '../dom.js';
import { put, get } from '../api.js';
import { state, changed } from '../store.js';
import { toast } from '../toast.js';
import { mountStripeCard } from './stripe-card.js';

export const PAYMENT_METHODS = [
  ['pm_card_visa', 'Visa •••• 4242 (succeeds)'],
  ['pm_card_noIncremental', 'Card without incremental authorization (a raise takes a new hold)'],
  ['pm_card_chargeDeclined', 'Card declined at authorization'],
  ['pm_card_captureFails', 'Card that fails at capture'],
];

export function mountAccount(main) {
  const me = state.me;
  const name = h('input', { type: 'text', name: 'displayName', maxlength: 60, autocomplete: 'nickname', testid: 'display-name-input', value: me?.displayName ?? '' });
  const saveName = h('button', { type: 'submit', class: 'btn btn-primary', testid: 'save-display-name' }, 'Save name');
  const nameError = formError();
  const nameForm = h('form', { class: 'card', 'aria-labelledby': 'profile-title' },
    h('h2', { id: 'profile-title' }, 'Your profile'),
    h('p', { class: 'muted' }, 'Signed in as ', h('strong', null, me?.email ?? '')),
    nameError,
    field('Display name', name, { errorFor: 'displayName', hint: 'Shown to the people you work with.' }),
    h('div', { class: 'actions' }, saveName));
  nameForm.addEventListener('submit', (e) => {
    e.preventDefault();
    busy(saveName, async () => {
      showFormError(nameForm, null);
      const updated = await put('/api/me', { displayName: name.value.trim() });
      state.me = { ...state.me, ...(updated ?? { displayName: name.value.trim() }) };
      changed('me');
      toast('Display name saved');
    }, (err) => showFormError(nameForm, err));
  });

  const isStripe = state.config?.paymentProvider === 'stripe';
  const select = h('select', { name: 'paymentMethod', testid: 'payment-method-select' },
    h('option', { value: '' }, 'Choose a payment method'),
    PAYMENT_METHODS.map(([value, label]) => h('option', { value }, label)));
  select.value = me?.paymentMethod ?? '';
  const savePm = h('button', { type: 'submit', class: 'btn btn-primary', testid: 'save-payment-method' }, 'Save payment method');
  const pmError = formError();
  const pmForm = h('form', { class: 'card', 'aria-labelledby': 'pm-title' },
    h('h2', { id: 'pm-title' }, 'Payment method'),
    h('p', { class: 'muted' }, isStripe
      ? 'Your card is saved with Stripe. It is authorized when you accept an offer and charged when you confirm the job.'
      : 'Payments are simulated: choose how your card should behave. Your card is authorized when you accept an offer and charged when you confirm the job.'),
    pmError,
    isStripe ? h('div', { class: 'stripe-card', testid: 'stripe-card' }, 'Loading Stripe…') : field('Card', select, { errorFor: 'paymentMethod' }),
    h('p', { class: 'current-pm', testid: 'current-payment-method' }, currentPmText(me?.paymentMethod)),
    h('div', { class: 'actions' }, savePm));
  let saveWithStripe = null;
  if (isStripe) {
    const slot = pmForm.querySelector('[data-testid="stripe-card"]');
    mountStripeCard(slot, state.config.stripePublishableKey)
      .then((save) => { saveWithStripe = save; })
      .catch((err) => showFormError(pmForm, err));
  }
  pmForm.addEventListener('submit', (e) => {
    e.preventDefault();
    busy(savePm, async () => {
      showFormError(pmForm, null);
      if (isStripe) {
        if (!saveWithStripe) throw new Error('Stripe is still loading.');
        const saved = await saveWithStripe();
        state.me = { ...state.me, paymentMethod: saved };
      } else {
        await put('/api/me/payment-method', { paymentMethod: select.value });
        state.me = { ...state.me, paymentMethod: select.value };
      }
      try {
        state.me = await get('/api/me');
      } catch {
        // keep the local copy
      }
      changed('me');
      toast('Payment method saved');
    }, (err) => showFormError(pmForm, err));
  });

  main.replaceChildren(h('section', { class: 'page page-narrow' },
    h('h1', null, 'Account'), nameForm, pmForm));

  return {
    update(what) {
      if (what === 'me') pmForm.querySelector('[data-testid="current-payment-method"]').textContent = currentPmText(state.me?.paymentMethod);
    },
  };
}

function currentPmText(pm) {
  if (!pm) return 'No payment method yet: you need one to accept an offer.';
  const known = PAYMENT_METHODS.find(([v]) => v === pm);
  return `Current: ${known ? known[1] : pm}`;
}
