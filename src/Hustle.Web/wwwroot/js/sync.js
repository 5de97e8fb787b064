// The sync client: the only code that touches the SignalR connection (docs/ARCHITECTURE.md §2 and §5, "push as a hint, the feed
// as the truth").
//
// - Initial state over REST: GET /api/jobs/mine -> { jobs, cursor }; the feed continues from that cursor.
// - Pushed envelopes are applied strictly by seq: seq == last + 1 is applied, a larger seq means a gap and the
//   feed is fetched (in pages) until caught up, a smaller or equal one is a duplicate and is dropped. All of
//   this runs on one queue, so no event is ever applied twice or out of order.
// - The feed is also fetched on every (re)connect, on `online`, when the page becomes visible, and by a poll
//   (pollConnectedSeconds while connected, pollDisconnectedSeconds while not, only while the page is visible).
// - `resetRequired` reloads GET /api/jobs/mine and continues from its cursor.
// - The connection reconnects with exponential backoff capped at ~30 s, with jitter, and never gives up: when
//   the first start fails or the connection closes for good, it restarts itself with the same policy.
//
// API: startSync({ userId, pollConnectedSeconds, pollDisconnectedSeconds }) -> Promise (resolves after the
// initial snapshot), stopSync(), on(kind, fn) -> unsubscribe, sendTyping(threadId), syncStatus(), requestCatchUp().
// Kinds: 'snapshot' (jobs[]), 'event' (envelope, { replayed }), 'status' ({ state, transport }),
//        'typing' ({ threadId, userId }), 'presence' ({ userId, online, lastSeenAt }).

import { emit } from './sync-events.js';
import { readStoredSeq, loadSnapshot, apply, catchUp } from './sync-feed.js';

export { on } from './sync-events.js';

const RETRY_CAP_MS = 30_000;
// After a drop we say "reconnecting" for this long; after that (or at once when the browser is offline) we
// say what we are doing: polling the feed.
const RECONNECTING_GRACE_MS = 10_000;

let session = null;

/** Exponential backoff, 1 s doubling to a 30 s cap, each delay drawn from [half, full] (jitter); the first retry is almost immediate. */
export function retryDelay(previousRetryCount) {
  if (previousRetryCount <= 0) return Math.floor(Math.random() * 500);
  const full = Math.min(RETRY_CAP_MS, 1000 * 2 ** (previousRetryCount - 1));
  return Math.floor(full / 2 + Math.random() * (full / 2));
}

export function syncStatus() {
  return session ? { state: session.state, transport: session.transport } : { state: 'reconnecting', transport: '' };
}

export function startSync({ userId, pollConnectedSeconds = 60, pollDisconnectedSeconds = 15 }) {
  stopSync();
  const s = {
    userId,
    storageKey: `hustle.lastSeq.${userId}`,
    lastSeq: 0,
    hasSnapshot: false,
    mineCache: null,
    // The highest seq this tab has applied before (survives a reload): used only to mark replays so that the
    // UI does not toast the same event twice.
    seenSeq: readStoredSeq(`hustle.lastSeq.${userId}`),
    stopped: false,
    queue: Promise.resolve(),
    catchUpQueued: false,
    connection: null,
    restartTimer: null,
    restartAttempt: 0,
    pollTimer: null,
    pollKind: null,
    graceTimer: null,
    downSince: Date.now(),
    state: null,
    transport: '',
    listeners: [],
    logged: new Set(),
    pollConnectedMs: Math.max(1, Number(pollConnectedSeconds) || 60) * 1000,
    pollDisconnectedMs: Math.max(1, Number(pollDisconnectedSeconds) || 15) * 1000,
  };
  session = s;

  listen(s, window, 'online', () => {
    updateStatus(s);
    requestCatchUp();
    // Don't wait out a long backoff when the network just came back.
    if (s.restartTimer && isDisconnected(s)) {
      clearTimeout(s.restartTimer);
      s.restartTimer = null;
      startConnection(s);
    }
  });
  listen(s, window, 'offline', () => updateStatus(s));
  listen(s, document, 'visibilitychange', () => {
    if (document.visibilityState === 'visible') requestCatchUp();
  });

  s.connection = buildConnection(s);
  markDown(s); // "reconnecting" until the first start succeeds, "offline-polling" if it keeps failing
  const ready = enqueue(s, () => loadSnapshot(s));
  startConnection(s);
  schedulePoll(s);
  return ready;
}

export function stopSync() {
  const s = session;
  if (!s) return;
  session = null;
  s.stopped = true;
  clearTimeout(s.restartTimer);
  clearTimeout(s.pollTimer);
  clearTimeout(s.graceTimer);
  for (const [target, type, fn] of s.listeners) target.removeEventListener(type, fn);
  s.connection?.stop().catch(() => {});
}

/** Fetch the feed now (coalesced with any fetch already waiting in the queue). */
export function requestCatchUp() {
  const s = session;
  if (!s || s.catchUpQueued) return;
  s.catchUpQueued = true;
  enqueue(s, async () => {
    s.catchUpQueued = false;
    await catchUp(s);
  });
}

/** Tells the other member of a thread that we are typing. Ephemeral: dropped when not connected. */
export function sendTyping(threadId) {
  const s = session;
  if (!s?.connection || !isConnected(s)) return;
  s.connection.send('Typing', threadId).catch(() => {});
}

// ---------------------------------------------------------------------------------------------------------

function listen(s, target, type, fn) {
  target.addEventListener(type, fn);
  s.listeners.push([target, type, fn]);
}

function enqueue(s, task) {
  const run = s.queue.then(() => (s.stopped ? undefined : task()));
  s.queue = run.catch((err) => {
    if (!s.stopped) console.warn('sync: will retry on the next poll', err);
  });
  return run;
}

function onPushed(s, envelope) {
  if (!envelope || typeof envelope.seq !== 'number') return;
  enqueue(s, async () => {
    if (envelope.seq <= s.lastSeq) return; // duplicate (already applied, or covered by a feed page)
    if (envelope.seq === s.lastSeq + 1) {
      apply(s, envelope);
      return;
    }
    await catchUp(s); // a gap: the feed fills it, and includes this event
  });
}

// --- connection ------------------------------------------------------------------------------------------

function buildConnection(s) {
  const signalR = window.signalR;
  if (!signalR) {
    console.error('sync: signalr.min.js did not load; following changes by polling only.');
    return null;
  }
  const transports = signalR.HttpTransportType.WebSockets
    | signalR.HttpTransportType.ServerSentEvents
    | signalR.HttpTransportType.LongPolling;
  const connection = new signalR.HubConnectionBuilder()
    .withUrl('/hubs/sync', { transport: transports, withCredentials: true })
    .withAutomaticReconnect({ nextRetryDelayInMilliseconds: (ctx) => retryDelay(ctx.previousRetryCount) })
    .configureLogging(transportSniffingLogger(s, signalR.LogLevel))
    .build();

  connection.on('event', (envelope) => onPushed(s, envelope));
  connection.on('typing', (signal) => emit('typing', signal));
  connection.on('presence', (presence) => emit('presence', presence));
  connection.onreconnecting(() => markDown(s));
  connection.onreconnected(() => {
    markUp(s);
    requestCatchUp();
  });
  connection.onclose(() => {
    if (s.stopped) return;
    markDown(s);
    scheduleRestart(s);
  });
  return connection;
}

// SignalR reports the transport it settles on only in its debug log; keep the last one it selected.
function transportSniffingLogger(s, LogLevel) {
  return {
    log(level, message) {
      if (level === LogLevel.Debug) {
        const m = /Selecting transport '(\w+)'/.exec(message);
        if (m) s.transport = m[1];
      } else if (level >= LogLevel.Error && !s.stopped && !s.logged.has(message)) {
        // Every retry of a blocked connection fails the same way: say it once.
        s.logged.add(message);
        console.warn(`[signalr] ${message}`);
      }
    },
  };
}

async function startConnection(s) {
  const connection = s.connection;
  if (!connection || s.stopped || !isDisconnected(s)) return;
  try {
    await connection.start();
    if (s.stopped) {
      connection.stop().catch(() => {});
      return;
    }
    s.restartAttempt = 0;
    markUp(s);
    requestCatchUp();
  } catch {
    if (s.stopped) return;
    markDown(s);
    scheduleRestart(s);
  }
}

function scheduleRestart(s) {
  clearTimeout(s.restartTimer);
  const delay = retryDelay(s.restartAttempt);
  s.restartAttempt += 1;
  s.restartTimer = setTimeout(() => {
    s.restartTimer = null;
    startConnection(s);
  }, delay);
}

function isConnected(s) {
  return s.connection?.state === window.signalR?.HubConnectionState.Connected;
}

function isDisconnected(s) {
  return s.connection?.state === window.signalR?.HubConnectionState.Disconnected;
}

function markUp(s) {
  s.downSince = null;
  clearTimeout(s.graceTimer);
  updateStatus(s);
}

function markDown(s) {
  if (!s.downSince) s.downSince = Date.now();
  clearTimeout(s.graceTimer);
  const left = s.downSince + RECONNECTING_GRACE_MS - Date.now();
  if (left > 0) s.graceTimer = setTimeout(() => updateStatus(s), left + 50);
  updateStatus(s);
}

function updateStatus(s) {
  if (s.stopped) return;
  let state;
  // The browser knowing it is offline beats a socket that has not noticed yet.
  if (!navigator.onLine || !s.connection) state = 'offline-polling';
  else if (isConnected(s)) state = 'live';
  else if (s.downSince && Date.now() - s.downSince < RECONNECTING_GRACE_MS) state = 'reconnecting';
  else state = 'offline-polling';
  const transport = state === 'live' ? s.transport : '';
  if (state !== s.state || transport !== s.lastEmittedTransport) {
    s.state = state;
    s.lastEmittedTransport = transport;
    emit('status', { state, transport });
  }
  schedulePoll(s);
}

function schedulePoll(s) {
  if (s.stopped) return;
  const kind = isConnected(s) ? 'connected' : 'disconnected';
  if (s.pollTimer && s.pollKind === kind) return;
  clearTimeout(s.pollTimer);
  s.pollKind = kind;
  const ms = kind === 'connected' ? s.pollConnectedMs : s.pollDisconnectedMs;
  s.pollTimer = setTimeout(() => {
    s.pollTimer = null;
    if (document.visibilityState === 'visible') requestCatchUp();
    schedulePoll(s);
  }, ms);
}
