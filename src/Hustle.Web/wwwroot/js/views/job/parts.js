// Small pieces every part of the job page uses.
import { h } from '../../dom.js';
import { state } from '../../store.js';

export function roleOf(job) {
  const me = state.me?.id;
  if (!job || !me) return 'prospect';
  if (job.customerId === me) return 'customer';
  if (job.hustlerId === me) return 'hustler';
  return 'prospect';
}

export function card(title, ...children) {
  return h('section', { class: 'card' }, h('h2', null, title), children);
}

export function lockedUntil(iso) {
  if (!iso) return null;
  const t = new Date(iso).getTime();
  return t > Date.now() ? t : null;
}

/** rate × minutes / 60 in minor units, rounded up, as the server's Job.HoursCost. */
export function hoursCost(hourlyRate, minutes) {
  return Math.ceil((hourlyRate ?? 0) * minutes / 60);
}

/** Hourly pricing as the server does it: billed time rounded up to 15 minutes, capped at the authorized hours. */
export function hourlyEstimate(job, minutes) {
  const rounded = Math.ceil(Math.max(0, minutes) / 15) * 15;
  const capMinutes = job.estimatedHours ? Math.round(Number(job.estimatedHours) * 60) : Infinity;
  const billed = Math.min(rounded, capMinutes);
  return { billed, amount: hoursCost(job.hourlyRate, billed) };
}
