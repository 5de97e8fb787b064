// A button that opens a small form with a reason, then does `POST /api/jobs/{id}/{path}` (cancel, unassign, dispute).
import { h, field, formError, showFormError } from '../../dom.js';
import { post, ApiError } from '../../api.js';

export function reasonAction(ctx, { label, testid, path, explain, success, reasonRequired = false }) {
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
    ctx.act(confirmBtn, () => post(ctx.jobPath(path), text ? { reason: text } : {}), { success, errorEl: form });
  });
  return h('div', { class: 'reason-action' }, open, form);
}
