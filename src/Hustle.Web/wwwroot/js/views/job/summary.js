// The job's heading (title, status, who the viewer is to it) and its facts.
import { h, setChildren } from '../../dom.js';
import { money, price, dateTime, minutesText, paymentLabel } from '../../format.js';
import { statusBadge } from '../jobcard.js';
import { roleOf } from './parts.js';

const OPEN_TO_OFFERS = new Set(['OPEN', 'REQUESTED']);
const ROLE_TEXT = { customer: 'You posted this job', hustler: 'You are the hustler', prospect: 'Open job' };

export function renderHead(head, job) {
  const role = roleOf(job);
  setChildren(head,
    h('div', { class: 'job-title-row' },
      h('h1', { testid: 'job-title-heading' }, job.title),
      statusBadge(job)),
    h('p', { class: 'muted job-role', testid: 'job-role', dataset: { role } }, ROLE_TEXT[role],
      job.paymentStatus && job.paymentStatus !== 'NONE'
        ? h('span', { class: `pay-status pay-${job.paymentStatus.toLowerCase()}`, testid: 'payment-status', dataset: { paymentStatus: job.paymentStatus } }, ` · ${paymentLabel(job.paymentStatus)}`)
        : null,
      job.disputed ? h('span', { class: 'pill pill-warn', testid: 'disputed-badge' }, 'Disputed') : null));
}

export function renderSummary(summary, job) {
  const rows = [
    ['Price', price(job), 'job-price'],
    job.authorizedAmount ? ['Authorized', money(job.authorizedAmount, job.currency), 'authorized-amount'] : null,
    job.finalAmount !== null && job.finalAmount !== undefined ? ['Final amount', money(job.finalAmount, job.currency), 'final-amount'] : null,
    job.billedMinutes ? ['Billed time', minutesText(job.billedMinutes), 'billed-minutes'] : null,
    ['Area', job.area, 'job-area-text'],
    job.location ? ['Address', job.location, 'job-location-text'] : null,
    job.scheduledFor ? ['When', dateTime(job.scheduledFor), 'job-when'] : null,
    job.startedAt ? ['Started', dateTime(job.startedAt), 'job-started-at'] : null,
    job.completedAt ? ['Completed', dateTime(job.completedAt), 'job-completed-at'] : null,
    OPEN_TO_OFFERS.has(job.status) ? ['Open until', dateTime(job.expiresAt), 'job-expires'] : null,
  ].filter(Boolean);
  setChildren(summary,
    job.description ? h('p', { class: 'job-description', testid: 'job-description-text' }, job.description) : null,
    h('dl', { class: 'facts' }, rows.map(([k, v, testid]) => [h('dt', null, k), h('dd', { testid }, v)])));
}
