// The start and completion codes: the customer is shown them, the assigned hustler enters them.
import { h, field } from '../../dom.js';
import { post } from '../../api.js';
import { refreshJob } from '../../store.js';
import { time, clock } from '../../format.js';
import { toast } from '../../toast.js';
import { allowed, opensAt } from './allowed.js';
import { card, lockedUntil } from './parts.js';

const ENTRY = {
  start: { action: 'VERIFY_START_CODE', path: 'start', label: 'Start code', button: 'Start job', testid: 'enter-start-code', done: 'Job started' },
  completion: { action: 'VERIFY_COMPLETION_CODE', path: 'complete', label: 'Completion code', button: 'Complete job', testid: 'enter-completion-code', done: 'Job completed' },
};

function codeBlock(label, code, testid, explain) {
  const copy = h('button', { type: 'button', class: 'btn btn-small', testid: `copy-${testid}`, 'aria-label': `Copy ${label.toLowerCase()}` }, 'Copy');
  const codeEl = h('span', { class: 'code', testid, 'aria-label': `${label}: ${code.split('').join(' ')}` }, code);
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
  return h('div', { class: 'code-block' }, h('p', { class: 'code-label' }, label), h('div', { class: 'code-row' }, codeEl, copy), h('p', { class: 'muted small' }, explain));
}

/** The customer's codes, while they are still to be given. */
export function codesCard(ctx) {
  const { job } = ctx;
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
  const lock = startLock ?? lockedUntil(job.completionCodeLockedUntil);
  if (lock) {
    const which = startLock ? 'start' : 'completion';
    const el = h('p', { class: 'notice notice-warn', testid: 'code-lockout', role: 'status' });
    ctx.tickers.push(() => {
      el.textContent = `The hustler entered a wrong ${which} code 5 times. Entry is locked until ${time(new Date(lock).toISOString())} (${clock(lock - Date.now())} left).`;
    });
    items.push(el);
  }
  return card('Your codes', h('div', { class: 'codes', testid: 'codes' }, items));
}

/** The hustler's entry for one code; disabled, with a countdown, until the allowed action's lock ends. */
export function codeEntry(ctx, which) {
  const entry = ENTRY[which];
  const lock = opensAt(allowed(ctx.job, entry.action)) ?? lockedUntil(ctx.codeErrors[which]?.lockedUntil);
  const input = h('input', {
    type: 'text', inputmode: 'numeric', autocomplete: 'one-time-code', pattern: '[0-9]{6}', maxlength: 6,
    testid: `${which}-code-input`, disabled: Boolean(lock), class: 'code-input',
  });
  const submit = h('button', { type: 'submit', class: 'btn btn-primary', testid: entry.testid, disabled: Boolean(lock) }, entry.button);
  const error = h('p', { class: 'form-error', testid: 'code-error', role: 'alert', hidden: !ctx.codeErrors[which]?.message || Boolean(lock) }, ctx.codeErrors[which]?.message ?? '');
  const lockEl = h('p', { class: 'notice notice-warn', testid: 'code-lockout', role: 'status', hidden: !lock });
  if (lock) {
    ctx.tickers.push(() => {
      lockEl.textContent = `Too many wrong codes. Code entry is locked until ${time(new Date(lock).toISOString())} (${clock(lock - Date.now())} left).`;
    });
  }
  const form = h('form', { class: 'code-form', novalidate: true },
    field(entry.label, input, { hint: 'The 6 digits the customer gives you.' }),
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
    ctx.act(submit, () => post(ctx.jobPath(entry.path), { code }), {
      success: entry.done,
      onError: (err) => refusedCode(ctx, which, err),
    }).then((ok) => {
      if (ok) ctx.codeErrors[which] = null;
    });
  });
  return form;
}

function refusedCode(ctx, which, err) {
  if (err.code === 'code_invalid') {
    const left = err.problem.triesLeft;
    ctx.codeErrors[which] = { message: `Wrong code.${left !== undefined ? ` ${left} ${left === 1 ? 'try' : 'tries'} left.` : ''}` };
  } else if (err.code === 'code_locked') {
    ctx.codeErrors[which] = { message: err.message, lockedUntil: err.problem.lockedUntil };
    refreshJob(ctx.jobId).catch(() => {});
  } else {
    return false;
  }
  ctx.renderPanel();
  const again = ctx.panel.querySelector(`[data-testid="${which}-code-input"]`);
  if (again && !again.disabled) again.focus();
  return true;
}
