// The work itself: the hustler's start and completion steps, and the clock while it runs.
import { h } from '../../dom.js';
import { money, time, clock, minutesText, hoursText } from '../../format.js';
import { codeEntry } from './codes.js';
import { card, hourlyEstimate } from './parts.js';

function timerLine(ctx) {
  const { job } = ctx;
  if (!job.startedAt) return null;
  const el = h('p', { class: 'timer', testid: 'job-timer', role: 'timer', 'aria-live': 'off' });
  const estimate = h('p', { class: 'muted', testid: 'timer-estimate' });
  const started = new Date(job.startedAt).getTime();
  ctx.tickers.push(() => {
    const elapsed = Date.now() - started;
    el.textContent = clock(elapsed);
    if (job.pricingType === 'HOURLY') {
      const { billed, amount } = hourlyEstimate(job, elapsed / 60000);
      estimate.textContent = `So far: ${minutesText(billed)} billable, ${money(amount, job.currency)} (rounded up to 15 min, capped at ${job.estimatedHours ? hoursText(job.estimatedHours) : 'the estimate'}).`;
    }
  });
  return [el, job.pricingType === 'HOURLY' ? estimate : null];
}

const startedText = (job) => `Started ${job.startedAt ? `at ${time(job.startedAt)}` : ''}.`;

/** The assigned hustler, before the start code. */
export function assignedCard(ctx) {
  return card('You got the job', h('p', { testid: 'assigned-note' }, 'When you arrive, ask the customer for the start code and enter it here.'), codeEntry(ctx, 'start'));
}

/** The assigned hustler, while working. */
export function workingCard(ctx) {
  const { job } = ctx;
  return card('Working', h('p', { testid: 'in-progress-note' }, `${startedText(job)} When you are done, ask the customer for the completion code.`),
    job.pricingType === 'HOURLY' ? timerLine(ctx) : null,
    codeEntry(ctx, 'completion'));
}

/** The customer, while the hustler works. */
export function progressCard(ctx) {
  const { job } = ctx;
  return card('Work in progress',
    h('p', { testid: 'in-progress-note' }, startedText(job)),
    job.pricingType === 'HOURLY' ? timerLine(ctx) : null);
}
