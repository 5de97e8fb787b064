// The customer edits the job; the price only while the allowed EDIT action still takes a price field.
import { h, field, formError, showFormError } from '../../dom.js';
import { patch, ApiError } from '../../api.js';
import { moneyInput, parseMoney } from '../../format.js';
import { allowed } from './allowed.js';

export function editCard(ctx) {
  const { job } = ctx;
  const hourly = job.pricingType === 'HOURLY';
  const priceField = hourly ? 'hourlyRate' : 'amount';
  const priceEditable = allowed(job, 'EDIT').optional.includes(priceField);
  const title = h('input', { type: 'text', maxlength: 120, value: job.title, testid: 'edit-title' });
  const description = h('textarea', { rows: 3, maxlength: 4000, testid: 'edit-description' });
  description.value = job.description ?? '';
  const area = h('input', { type: 'text', maxlength: 120, value: job.area, testid: 'edit-area' });
  const address = h('input', { type: 'text', maxlength: 300, value: job.location ?? '', testid: 'edit-location' });
  const priceInput = h('input', { type: 'text', inputmode: 'decimal', value: moneyInput(hourly ? job.hourlyRate : job.amount, job.currency), testid: 'edit-price' });
  const hoursInput = h('input', { type: 'number', min: 0.25, step: 0.25, value: job.estimatedHours ?? '', testid: 'edit-hours' });
  const save = h('button', { type: 'submit', class: 'btn btn-primary', testid: 'save-job' }, 'Save changes');
  const form = h('form', null, formError(),
    field('Title', title, { errorFor: 'title' }),
    field('Description', description, { errorFor: 'description' }),
    h('div', { class: 'grid-2' }, field('Area', area, { errorFor: 'area' }), field('Address', address, { errorFor: 'location' })),
    priceEditable
      ? h('div', { class: 'grid-2' },
        field(hourly ? 'Hourly rate' : 'Price', priceInput, { errorFor: priceField }),
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
        showFormError(form, new ApiError(400, { code: 'validation_failed', detail: 'Enter an amount like 120.00.', errors: { [priceField]: ['Enter an amount like 120.00.'] } }));
        return;
      }
      if (value !== job[priceField]) body[priceField] = value;
      if (hourly && hoursInput.value !== '' && Number(hoursInput.value) !== Number(job.estimatedHours)) body.estimatedHours = Number(hoursInput.value);
    }
    if (Object.keys(body).length === 0) {
      showFormError(form, new ApiError(400, { detail: 'Nothing changed.' }));
      return;
    }
    ctx.act(save, () => patch(`/api/jobs/${encodeURIComponent(ctx.jobId)}`, body), { success: 'Job updated', errorEl: form });
  });
  return h('details', { class: 'card', testid: 'edit-job-panel' }, h('summary', null, 'Edit job'), form);
}
