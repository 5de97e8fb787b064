// Post a job: flat price or hourly rate with an estimate.
import { h, field, formError, showFormError, busy } from '../dom.js';
import { post, ApiError } from '../api.js';
import { putJob } from '../store.js';
import { parseMoney } from '../format.js';
import { toast } from '../toast.js';

export const CURRENCIES = ['USD', 'EUR', 'GBP', 'CAD', 'AUD'];

export function mountPost(main) {
  const title = h('input', { type: 'text', name: 'title', required: true, maxlength: 120, testid: 'job-title' });
  const description = h('textarea', { name: 'description', rows: 4, maxlength: 4000, testid: 'job-description' });
  const area = h('input', { type: 'text', name: 'area', required: true, maxlength: 120, testid: 'job-area' });
  const address = h('input', { type: 'text', name: 'location', required: true, maxlength: 300, autocomplete: 'street-address', testid: 'job-location' });
  const flat = h('input', { type: 'radio', name: 'pricingType', value: 'FLAT', checked: true, id: 'pricing-flat', testid: 'job-pricing-flat' });
  const hourly = h('input', { type: 'radio', name: 'pricingType', value: 'HOURLY', id: 'pricing-hourly', testid: 'job-pricing-hourly' });
  const currency = h('select', { name: 'currency', testid: 'job-currency' }, CURRENCIES.map((c) => h('option', { value: c }, c)));
  const amount = h('input', { type: 'text', inputmode: 'decimal', name: 'amount', placeholder: '120.00', testid: 'job-amount' });
  const rate = h('input', { type: 'text', inputmode: 'decimal', name: 'hourlyRate', placeholder: '25.00', testid: 'job-hourly-rate' });
  const hours = h('input', { type: 'number', name: 'estimatedHours', min: 0.25, step: 0.25, placeholder: '3', testid: 'job-estimated-hours' });
  const scheduled = h('input', { type: 'datetime-local', name: 'scheduledFor', testid: 'job-scheduled-for' });
  const submit = h('button', { type: 'submit', class: 'btn btn-primary', testid: 'post-job' }, 'Post job');
  const error = formError();

  const flatFields = h('div', { class: 'pricing-fields' }, field('Price', amount, { errorFor: 'amount', hint: 'What you will pay for the whole job.' }));
  const hourlyFields = h('div', { class: 'pricing-fields', hidden: true },
    field('Hourly rate', rate, { errorFor: 'hourlyRate' }),
    field('Estimated hours', hours, { errorFor: 'estimatedHours', hint: 'Your card is authorized for rate × hours; you pay for the time actually worked, up to that.' }));

  const syncPricing = () => {
    flatFields.hidden = !flat.checked;
    hourlyFields.hidden = !hourly.checked;
  };
  flat.addEventListener('change', syncPricing);
  hourly.addEventListener('change', syncPricing);

  const form = h('form', { class: 'card', novalidate: true, 'aria-labelledby': 'post-title' },
    h('h1', { id: 'post-title' }, 'Post a job'),
    error,
    field('Title', title, { errorFor: 'title', hint: 'For example: "Assemble a wardrobe".' }),
    field('Description', description, { errorFor: 'description' }),
    h('div', { class: 'grid-2' },
      field('Area', area, { errorFor: 'area', hint: 'Neighbourhood or town: everyone sees this.' }),
      field('Address', address, { errorFor: 'location', hint: 'Only your hired hustler sees this.' })),
    h('fieldset', { class: 'field' },
      h('legend', null, 'Pricing'),
      h('div', { class: 'radio-row' },
        h('label', { for: 'pricing-flat', class: 'radio' }, flat, ' Flat price'),
        h('label', { for: 'pricing-hourly', class: 'radio' }, hourly, ' Hourly')),
      h('p', { class: 'field-error', testid: 'field-error', dataset: { field: 'pricingType' }, hidden: true })),
    h('div', { class: 'grid-2' }, field('Currency', currency, { errorFor: 'currency' })),
    flatFields,
    hourlyFields,
    field('When (optional)', scheduled, { errorFor: 'scheduledFor' }),
    h('div', { class: 'actions' }, submit));

  form.addEventListener('submit', (e) => {
    e.preventDefault();
    busy(submit, async () => {
      showFormError(form, null);
      const body = {
        title: title.value.trim(),
        description: description.value.trim(),
        area: area.value.trim(),
        location: address.value.trim(),
        pricingType: hourly.checked ? 'HOURLY' : 'FLAT',
        currency: currency.value,
      };
      const errors = {};
      if (hourly.checked) {
        body.hourlyRate = parseMoney(rate.value, currency.value);
        body.estimatedHours = hours.value === '' ? null : Number(hours.value);
        if (body.hourlyRate === null || body.hourlyRate <= 0) errors.hourlyRate = ['Enter the rate per hour, like 25.00.'];
        if (!(body.estimatedHours > 0)) errors.estimatedHours = ['Estimate how many hours the job takes.'];
      } else {
        body.amount = parseMoney(amount.value, currency.value);
        if (body.amount === null || body.amount <= 0) errors.amount = ['Enter the price, like 120.00.'];
      }
      if (!body.title) errors.title = ['Give the job a title.'];
      if (!body.area) errors.area = ['Say roughly where (neighbourhood or town).'];
      if (!body.location) errors.location = ['Enter the address.'];
      if (scheduled.value) body.scheduledFor = new Date(scheduled.value).toISOString();
      if (Object.keys(errors).length) throw new ApiError(400, { code: 'validation_failed', detail: 'Please fix the fields marked below.', errors });
      const job = await post('/api/jobs', body);
      putJob(job);
      toast('Job posted');
      window.location.hash = `#/jobs/${encodeURIComponent(job.id)}`;
    }, (err) => showFormError(form, err));
  });

  main.replaceChildren(h('section', { class: 'page page-narrow' }, form));
  title.focus();
  return {};
}
