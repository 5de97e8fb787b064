// The job's history, for its two parties: loaded when the panel is opened and again when the job changes.
import { h } from '../../dom.js';
import { getAll } from '../../api.js';
import { state } from '../../store.js';
import { dateTime, statusLabel } from '../../format.js';

export function historyPanel(jobId, currentJob) {
  const list = h('ol', { class: 'timeline', testid: 'history' });
  const el = h('details', { class: 'card history', testid: 'history-panel' },
    h('summary', null, h('h2', { class: 'inline-h' }, 'History')), list);
  let loadedVersion = null;

  function actorName(actor) {
    const job = currentJob();
    if (!actor) return 'Hustle';
    const id = typeof actor === 'string' ? actor : actor.id ?? actor.userId ?? actor.kind;
    if (id === state.me?.id) return 'You';
    if (id === job?.customerId) return 'Customer';
    if (id === job?.hustlerId) return 'Hustler';
    const kind = typeof actor === 'object' ? String(actor.kind ?? '').toLowerCase() : String(actor).toLowerCase();
    if (kind === 'system') return 'Hustle';
    if (kind === 'operator') return 'Operator';
    const known = state.threads.find((t) => t.counterpart?.id === id)?.counterpart?.displayName;
    // Anyone else acting on a job is a hustler (one who offered, or who was assigned before).
    return known ?? (typeof actor === 'object' ? actor.displayName : null) ?? 'Hustler';
  }

  function show(entries) {
    if (!entries.length) {
      list.replaceChildren(h('li', { class: 'muted' }, 'Nothing yet.'));
      return;
    }
    list.replaceChildren(...entries.map((e) => {
      const action = String(e.action ?? '').replaceAll('_', ' ').toLowerCase();
      const change = e.from && e.to && e.from !== e.to ? `${statusLabel(e.from)} → ${statusLabel(e.to)}` : '';
      return h('li', { class: 'timeline-entry', testid: 'history-entry', dataset: { action: e.action ?? '' } },
        h('time', { datetime: e.at, class: 'muted small' }, dateTime(e.at)),
        h('p', null, h('strong', null, actorName(e.actor)), ` ${action}`, change ? h('span', { class: 'muted' }, ` · ${change}`) : null),
        e.reason ? h('p', { class: 'history-reason' }, `“${e.reason}”`) : null);
    }));
  }

  async function load() {
    const job = currentJob();
    if (!job || loadedVersion === job.version) return;
    loadedVersion = job.version;
    try {
      show(await getAll(`/api/jobs/${encodeURIComponent(jobId)}/history`));
    } catch (err) {
      loadedVersion = null;
      if (err.status !== 404) list.replaceChildren(h('li', { class: 'muted' }, 'Could not load the history.'));
    }
  }

  el.addEventListener('toggle', () => {
    if (el.open) load();
  });
  return { el, load };
}
