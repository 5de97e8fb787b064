// The feed side of the sync client: the snapshot of my jobs, then the feed applied strictly by seq (see sync.js).
import { api, get } from './api.js';
import { emit } from './sync-events.js';

const FEED_PAGE_SIZE = 100;
const MAX_FEED_PAGES = 200;
const MAX_MINE_PAGES = 50; // pages of my jobs after the first: 2 550 jobs at the default page size

export function readStoredSeq(key) {
  try {
    return Number(sessionStorage.getItem(key)) || 0;
  } catch {
    return 0;
  }
}

function storeSeq(s) {
  try {
    sessionStorage.setItem(s.storageKey, String(s.lastSeq));
  } catch {
    // Storage may be unavailable (private mode); memory is enough.
  }
}

export async function loadSnapshot(s) {
  // The ETag is kept here, per signed-in session, rather than in the browser's HTTP cache: the cache is shared by
  // everyone who signs in on this browser, and must never answer one person's request with another's list.
  const res = await api('GET', '/api/jobs/mine', undefined, {
    cache: 'no-store',
    headers: s.mineCache ? { 'If-None-Match': s.mineCache.etag } : undefined,
    withResponse: true,
  });
  if (s.stopped) return;
  let mine = res.data;
  if (res.status === 304 && s.mineCache) mine = s.mineCache.body;
  else {
    // The list comes a page at a time; the first page's ETag covers every job, so the whole list is kept with it.
    const jobs = [...(mine?.jobs ?? [])];
    for (let next = mine?.nextCursor, page = 0; next && page < MAX_MINE_PAGES; page++) {
      const more = await get(`/api/jobs/mine?after=${encodeURIComponent(next)}`, { cache: 'no-store' });
      if (s.stopped) return;
      jobs.push(...(more?.jobs ?? []));
      next = more?.nextCursor;
    }
    mine = { ...mine, jobs, nextCursor: null };
    if (res.headers.get('ETag')) s.mineCache = { etag: res.headers.get('ETag'), body: mine };
  }
  s.lastSeq = Number(mine?.cursor) || 0;
  s.hasSnapshot = true;
  storeSeq(s);
  emit('snapshot', mine?.jobs ?? []);
}

export function apply(s, envelope) {
  s.lastSeq = envelope.seq;
  const replayed = envelope.seq <= s.seenSeq;
  if (envelope.seq > s.seenSeq) s.seenSeq = envelope.seq;
  storeSeq(s);
  emit('event', envelope, { replayed });
}

export async function catchUp(s) {
  if (!s.hasSnapshot) await loadSnapshot(s); // the first load failed (offline?): without it the feed means nothing
  let reset = false;
  for (let page = 0; page < MAX_FEED_PAGES && !s.stopped; page++) {
    const res = await get(`/api/feed?after=${s.lastSeq}&limit=${FEED_PAGE_SIZE}`);
    if (s.stopped) return;
    if (res?.resetRequired) {
      if (reset) return; // The server keeps saying reset: try again on the next trigger instead of looping.
      reset = true;
      await loadSnapshot(s);
      continue;
    }
    const events = [...(res?.events ?? [])].sort((a, b) => a.seq - b.seq);
    for (const envelope of events) {
      if (envelope.seq > s.lastSeq) apply(s, envelope);
    }
    if (events.length === 0 || s.lastSeq >= (Number(res?.lastSeq) || 0)) return;
  }
}
