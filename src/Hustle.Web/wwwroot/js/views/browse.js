// Open jobs other people posted. Not pushed (you are not part of them yet): loaded on arrival, on demand, and
// when the feed poll runs.
import { h } from '../dom.js';
import { state, loadBrowse } from '../store.js';
import { jobCard } from './jobcard.js';
import { toastError } from '../toast.js';

export function mountBrowse(main) {
  const list = h('div', { testid: 'browse-list', 'aria-live': 'polite' }, h('p', { class: 'muted' }, 'Loading open jobs…'));
  const refresh = h('button', { type: 'button', class: 'btn', testid: 'refresh-browse' }, 'Refresh');
  main.replaceChildren(h('section', { class: 'page' },
    h('div', { class: 'page-head' }, h('h1', null, 'Find work'), refresh),
    h('p', { class: 'muted' }, 'Jobs near you that are open to offers. The exact address is shared once you are hired.'),
    list));

  function render() {
    const jobs = state.browse;
    list.replaceChildren(jobs.length
      ? h('ul', { class: 'job-list' }, jobs.map((j) => jobCard(j)))
      : h('p', { class: 'muted empty' }, 'No open jobs right now. Check back soon.'));
  }
  const load = () => loadBrowse().catch(toastError);
  refresh.addEventListener('click', load);
  load();
  const timer = setInterval(() => {
    if (document.visibilityState === 'visible') loadBrowse().catch(() => {});
  }, Math.max(5, Number(state.config?.pollConnectedSeconds) || 60) * 1000);

  return {
    update(what) {
      if (what === 'browse' || what === 'threads') render();
    },
    destroy() {
      clearInterval(timer);
    },
  };
}
