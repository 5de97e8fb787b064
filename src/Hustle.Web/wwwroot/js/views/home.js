// My jobs: what I posted and what I work on or offered for.
import { h, setChildren } from '../dom.js';
import { state } from '../store.js';
import { jobCard } from './jobcard.js';

const FINAL = new Set(['PAID', 'CANCELLED', 'EXPIRED']);

export function mountHome(main) {
  const page = h('section', { class: 'page' });
  main.replaceChildren(page);

  function render() {
    const me = state.me?.id;
    const jobs = [...state.mine].map((id) => state.jobs.get(id)).filter(Boolean).sort((a, b) => String(b.updatedAt).localeCompare(String(a.updatedAt)));
    const posted = jobs.filter((j) => j.customerId === me);
    const working = jobs.filter((j) => j.customerId !== me);
    const section = (title, list, testid, empty, opts) => h('section', { class: 'job-section', 'aria-label': title, testid },
      h('h2', null, title),
      list.length
        ? h('ul', { class: 'job-list' }, list.map((j) => jobCard(j, opts)))
        : h('p', { class: 'muted empty' }, empty));
    const active = (list) => list.filter((j) => !FINAL.has(j.status));
    const done = (list) => list.filter((j) => FINAL.has(j.status));
    setChildren(page,
      h('div', { class: 'page-head' },
        h('h1', null, 'My jobs'),
        h('div', { class: 'actions' },
          h('a', { class: 'btn btn-primary', href: '#/post', testid: 'post-job-link' }, 'Post a job'),
          h('a', { class: 'btn', href: '#/browse' }, 'Find work'))),
      !state.me?.displayName
        ? h('p', { class: 'notice', testid: 'set-name-notice' }, 'Tip: ', h('a', { href: '#/account' }, 'set a display name'), ' so people know who they are talking to.')
        : null,
      section('Jobs I posted', active(posted), 'my-posted-jobs', 'Nothing posted yet.', { showOffers: true }),
      section('Jobs I work on', active(working), 'my-hustles', 'No work yet: browse open jobs and make an offer.'),
      done(jobs).length ? section('Finished', done(jobs), 'my-finished-jobs', '') : null);
  }

  render();
  return {
    update(what) {
      if (what === 'jobs' || what === 'job' || what === 'threads' || what === 'me') render();
    },
  };
}
