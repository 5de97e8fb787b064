// The job's conversations beside the panel: the customer's with each hustler, a hustler's with the customer.
import { h, busy } from '../../dom.js';
import { state, threadsForJob, openQuestionThread } from '../../store.js';
import { toastError } from '../../toast.js';
import { threadList, threadView } from '../messages.js';
import { allowed } from './allowed.js';
import { roleOf } from './parts.js';

export function jobChat(jobId, currentJob) {
  const el = h('section', { class: 'card job-chat', testid: 'job-messages', 'aria-labelledby': `chat-${jobId}` });
  const list = h('div', { class: 'chat-list' });
  const box = h('div', { class: 'chat-thread' });
  const empty = h('div', { class: 'chat-empty' });
  el.append(h('h2', { id: `chat-${jobId}` }, 'Messages'), list, box, empty);
  let threadId = null;
  let view = null;

  function select(id) {
    if (id === threadId) return;
    view?.destroy();
    threadId = id;
    view = id ? threadView(id) : null;
    // Only here is the conversation element swapped, so typing in it survives every other re-render.
    box.replaceChildren(...(view ? [view.el] : []));
  }

  function render() {
    const job = currentJob();
    const threads = threadsForJob(jobId);
    if (!threadId || !threads.some((t) => t.id === threadId)) {
      const unreadFirst = [...threads].sort((a, b) => (b.unreadCount || 0) - (a.unreadCount || 0));
      const preferred = roleOf(job) === 'customer' && job.hustlerId ? threads.find((t) => t.hustlerId === job.hustlerId) : null;
      select((preferred ?? unreadFirst[0])?.id ?? null);
    }
    list.replaceChildren(...(threads.length > 1
      ? [threadList(threads, { selectedId: threadId, showJob: false, onSelect: (t) => { select(t.id); render(); } })]
      : []));
    if (view) {
      empty.replaceChildren();
    } else if (!state.threadsLoaded) {
      empty.replaceChildren(h('p', { class: 'muted' }, state.threadsError ? 'Messages are not available right now.' : 'Loading…'));
    } else if (allowed(job, 'OPEN_THREAD')) {
      const ask = h('button', { type: 'button', class: 'btn', testid: 'ask-question' }, 'Ask the customer a question');
      ask.addEventListener('click', () => busy(ask, async () => {
        const t = await openQuestionThread(jobId);
        if (t?.id) select(t.id);
        render();
        el.querySelector('[data-testid="message-input"]')?.focus();
      }, toastError));
      empty.replaceChildren(h('p', { class: 'muted' }, 'Questions before you offer? Ask here; an offer opens a conversation too.'), ask);
    } else {
      empty.replaceChildren(h('p', { class: 'muted', testid: 'no-threads' }, roleOf(job) === 'customer'
        ? 'Hustlers who ask a question or make an offer show up here.'
        : 'No conversation for this job.'));
    }
  }

  return {
    el,
    render,
    update: (what, detail) => view?.update(what, detail),
    tick: () => view?.tick(),
    destroy: () => view?.destroy(),
  };
}
