// A job as one line in a list (my jobs, browse).
import { h } from '../dom.js';
import { price, statusLabel, relative, money } from '../format.js';
import { state, threadsForJob } from '../store.js';

export function statusBadge(job) {
  return h('span', { class: `status status-${String(job.status).toLowerCase()}`, testid: 'job-status', dataset: { status: job.status } }, statusLabel(job.status));
}

export function jobCard(job, { showOffers = false } = {}) {
  const me = state.me?.id;
  const role = job.customerId === me ? 'customer' : job.hustlerId === me ? 'hustler' : 'prospect';
  const unread = threadsForJob(job.id).reduce((n, t) => n + (Number(t.unreadCount) || 0), 0);
  const meta = [job.area, price(job)];
  if (job.finalAmount !== null && job.finalAmount !== undefined) meta.push(`final ${money(job.finalAmount, job.currency)}`);
  return h('li', { class: 'job-card', testid: 'job-card', dataset: { jobId: job.id, role } },
    h('div', { class: 'job-card-main' },
      h('a', { href: `#/jobs/${encodeURIComponent(job.id)}`, class: 'job-card-title', testid: 'job-link' }, job.title),
      h('p', { class: 'job-card-meta muted' }, meta.filter(Boolean).join(' · ')),
      h('p', { class: 'job-card-meta muted' }, `Posted ${relative(job.createdAt)}`)),
    h('div', { class: 'job-card-side' },
      statusBadge(job),
      showOffers && job.pendingOffers > 0
        ? h('span', { class: 'pill', testid: 'pending-offers' }, `${job.pendingOffers} offer${job.pendingOffers === 1 ? '' : 's'}`)
        : null,
      unread > 0 ? h('span', { class: 'badge', testid: 'unread-badge', 'aria-label': `${unread} unread messages` }, String(unread)) : null));
}
