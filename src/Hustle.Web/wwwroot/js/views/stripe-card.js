// Saving a card with Stripe's own Payment Element (stripe.js is served by Stripe, never copied here). The card
// details go from the browser to Stripe; Hustle only ever sees the resulting payment method id.
import { h } from '../dom.js';
import { post, put } from '../api.js';

let stripeScript = null;

function loadStripeJs() {
  stripeScript ??= new Promise((resolve, reject) => {
    const script = document.createElement('script');
    script.src = 'https://js.stripe.com/v3/';
    script.onload = () => resolve(globalThis.Stripe);
    script.onerror = () => {
      stripeScript = null;
      reject(new Error('Stripe could not be loaded; check your connection and try again.'));
    };
    document.head.append(script);
  });
  return stripeScript;
}

/**
 * Mounts the Payment Element in `container` and returns `save()`, which confirms the SetupIntent with Stripe and
 * stores the new payment method on the account. Rejects with a readable message when Stripe refuses.
 */
export async function mountStripeCard(container, publishableKey) {
  const Stripe = await loadStripeJs();
  const stripe = Stripe(publishableKey);
  const { clientSecret } = await post('/api/payments/stripe/setup-intent');
  const elements = stripe.elements({ clientSecret });
  const slot = h('div', { class: 'stripe-element', testid: 'stripe-payment-element' });
  container.replaceChildren(slot);
  elements.create('payment').mount(slot);
  return async function save() {
    const { setupIntent, error } = await stripe.confirmSetup({ elements, redirect: 'if_required' });
    if (error) throw new Error(error.message ?? 'Stripe refused the card.');
    const paymentMethod = typeof setupIntent.payment_method === 'string' ? setupIntent.payment_method : setupIntent.payment_method.id;
    await put('/api/me/payment-method', { paymentMethod });
    return paymentMethod;
  };
}
