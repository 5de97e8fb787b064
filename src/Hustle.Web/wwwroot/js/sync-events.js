// Who listens to the sync client, by kind of news: see sync.js for the kinds.

const subscribers = {
  snapshot: new Set(),
  event: new Set(),
  status: new Set(),
  typing: new Set(),
  presence: new Set(),
};

export function on(kind, fn) {
  const set = subscribers[kind];
  if (!set) throw new Error(`Unknown sync subscription '${kind}'.`);
  set.add(fn);
  return () => set.delete(fn);
}

export function emit(kind, ...args) {
  for (const fn of [...subscribers[kind]]) {
    try {
      fn(...args);
    } catch (err) {
      console.error(`sync ${kind} subscriber failed`, err);
    }
  }
}
