// The app's in-memory state and the REST loaders that fill it. Views read `state` and re-render on `changed`
// notifications; nothing here touches the connection (that is sync.js).

import { get, getAll, post, ApiError } from './api.js';

export const state = {
  me: null,
  config: null,
  /** id -> job: the jobs I am part of plus any I looked at. */
  jobs: new Map(),
  /** Ids of the jobs I am part of (customer, assigned hustler, pending offer): "My jobs". */
  mine: new Set(),
  /** Jobs others posted that are open to offers, as last browsed. */
  browse: [],
  threads: [],
  threadsLoaded: false,
  threadsError: false,
  /** threadId -> messages[] (loaded when a thread is opened). */
  messages: new Map(),
  /** userId -> { online, lastSeenAt } from presence signals (newer than the threads list). */
  presence: new Map(),
  /** threadId -> { userId, until } */
  typing: new Map(),
  connection: { state: 'reconnecting', transport: '' },
};

const listeners = new Set();

/** fn(what, detail): what is 'me' | 'jobs' | 'job' | 'browse' | 'threads' | 'messages' | 'presence' | 'typing' | 'connection'. */
export function subscribe(fn) {
  listeners.add(fn);
  return () => listeners.delete(fn);
}

export function changed(what, detail) {
  for (const fn of [...listeners]) {
    try {
      fn(what, detail);
    } catch (err) {
      console.error('render failed', err);
    }
  }
}

export function resetState() {
  state.me = null;
  state.jobs.clear();
  state.mine.clear();
  state.browse = [];
  state.threads = [];
  state.threadsLoaded = false;
  state.threadsError = false;
  state.messages.clear();
  state.presence.clear();
  state.typing.clear();
}

// --- jobs ----------------------------------------------------------------------------------------------------

/** Keeps the newer of two copies of a job: answers to concurrent re-fetches can arrive out of order. */
export function putJob(job) {
  if (!job?.id) return;
  const current = state.jobs.get(job.id);
  if (current && (current.version ?? 0) > (job.version ?? 0)) return;
  state.jobs.set(job.id, job);
  changed('job', job.id);
}

export function dropJob(id) {
  state.mine.delete(id);
  if (state.jobs.delete(id)) changed('job', id);
}

export function setMine(id, isMine) {
  const had = state.mine.has(id);
  if (isMine) state.mine.add(id);
  else state.mine.delete(id);
  if (had !== isMine) changed('jobs');
}

export function setSnapshot(jobs) {
  const incoming = new Map(jobs.map((j) => [j.id, j]));
  state.mine = new Set(incoming.keys());
  for (const job of jobs) {
    const current = state.jobs.get(job.id);
    if (!current || (current.version ?? 0) <= (job.version ?? 0)) state.jobs.set(job.id, job);
  }
  changed('jobs');
}

const jobFetches = new Map(); // id -> { promise, again }

/** Re-fetches a job; a burst of events for one job costs at most two requests. A 404 drops it from view. */
export function refreshJob(id) {
  const running = jobFetches.get(id);
  if (running) {
    running.again = true;
    return running.promise;
  }
  const entry = { again: false, promise: null };
  entry.promise = (async () => {
    try {
      do {
        entry.again = false;
        try {
          putJob(await get(`/api/jobs/${encodeURIComponent(id)}`));
        } catch (err) {
          if (err instanceof ApiError && (err.status === 404 || err.status === 403)) dropJob(id);
          else throw err;
        }
      } while (entry.again);
    } finally {
      jobFetches.delete(id);
    }
  })();
  jobFetches.set(id, entry);
  return entry.promise;
}

export async function loadBrowse() {
  const jobs = await get('/api/jobs');
  state.browse = Array.isArray(jobs) ? jobs : (jobs?.jobs ?? []);
  changed('browse');
}

// --- threads and messages ------------------------------------------------------------------------------------

let threadsFetch = null;
let threadsAgain = false;

export function refreshThreads() {
  if (threadsFetch) {
    threadsAgain = true;
    return threadsFetch;
  }
  threadsFetch = (async () => {
    try {
      do {
        threadsAgain = false;
        // Pages follow the threads' creation; the list shows the newest activity first.
        const activity = (t) => String(t.lastMessage?.createdAt ?? t.createdAt ?? '');
        state.threads = (await getAll('/api/threads')).sort((a, b) => activity(b).localeCompare(activity(a)));
        state.threadsLoaded = true;
        state.threadsError = false;
        changed('threads');
      } while (threadsAgain);
    } catch (err) {
      if (!state.threadsLoaded) {
        state.threadsError = true;
        changed('threads');
      }
      throw err;
    } finally {
      threadsFetch = null;
    }
  })();
  return threadsFetch;
}

export function threadById(id) {
  return state.threads.find((t) => t.id === id) ?? null;
}

export function threadsForJob(jobId) {
  return state.threads.filter((t) => t.jobId === jobId);
}

export function totalUnread() {
  return state.threads.reduce((n, t) => n + (Number(t.unreadCount) || 0), 0);
}

export function presenceOf(userId, fallback) {
  return state.presence.get(userId) ?? (fallback ? { online: Boolean(fallback.online), lastSeenAt: fallback.lastSeenAt } : null);
}

const messageFetches = new Map();

/**
 * Loads a thread's messages. `full` reloads from the start (read receipts change old messages); otherwise only
 * what came after the last one we hold.
 */
export function loadMessages(threadId, { full = false } = {}) {
  const running = messageFetches.get(threadId);
  if (running) {
    running.again = true;
    running.full ||= full;
    return running.promise;
  }
  const entry = { again: false, full, promise: null };
  entry.promise = (async () => {
    try {
      do {
        const fromStart = entry.full || !state.messages.has(threadId);
        entry.again = false;
        entry.full = false;
        let list = fromStart ? [] : [...state.messages.get(threadId)];
        for (let page = 0; page < 50; page++) {
          const after = list.length ? list[list.length - 1].id : '';
          const url = `/api/threads/${encodeURIComponent(threadId)}/messages${after ? `?after=${encodeURIComponent(after)}` : ''}`;
          const res = await get(url);
          const batch = Array.isArray(res) ? res : (res?.messages ?? []);
          const known = new Set(list.map((m) => m.id));
          const fresh = batch.filter((m) => !known.has(m.id));
          if (fresh.length === 0) break;
          list = list.concat(fresh);
        }
        state.messages.set(threadId, list);
        changed('messages', threadId);
      } while (entry.again);
    } finally {
      messageFetches.delete(threadId);
    }
  })();
  messageFetches.set(threadId, entry);
  return entry.promise;
}

export async function sendMessage(threadId, body) {
  const message = await post(`/api/threads/${encodeURIComponent(threadId)}/messages`, { body });
  if (message?.id) {
    const list = state.messages.get(threadId) ?? [];
    if (!list.some((m) => m.id === message.id)) state.messages.set(threadId, [...list, message]);
    changed('messages', threadId);
  }
  refreshThreads().catch(() => {});
  return message;
}

const readMarks = new Map(); // threadId -> last message id we reported as read

/** Reports the thread read up to its last message from the other member, once per message. */
export async function markRead(threadId) {
  const list = state.messages.get(threadId) ?? [];
  const me = state.me?.id;
  const lastFromOther = [...list].reverse().find((m) => m.senderId !== me);
  if (!lastFromOther) return;
  const thread = threadById(threadId);
  if (readMarks.get(threadId) === lastFromOther.id && !(thread?.unreadCount > 0)) return;
  readMarks.set(threadId, lastFromOther.id);
  await post(`/api/threads/${encodeURIComponent(threadId)}/read`, { upToMessageId: lastFromOther.id });
  if (thread && thread.unreadCount) {
    thread.unreadCount = 0;
    changed('threads');
  }
  // A list fetched before the read was recorded would bring the old count back: fetch it again.
  await refreshThreads();
}

export async function openQuestionThread(jobId) {
  const thread = await post(`/api/jobs/${encodeURIComponent(jobId)}/threads`);
  await refreshThreads();
  return thread;
}
