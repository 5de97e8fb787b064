// What the viewer may do to the job, as the server lists it in `job.allowedActions` (read off the transition
// table for the viewer's role). The page offers these and nothing else: no status decides which buttons exist.
// An action may have a window: allowed from `availableFrom` (a locked code) until `availableUntil` (expiry).

export function actionsNamed(job, name) {
  return (job?.allowedActions ?? []).filter((a) => a.action === name);
}

/** The allowed action `name` (about `offerId`/`proposalId` when given), or null. */
export function allowed(job, name, { offerId, proposalId } = {}) {
  return actionsNamed(job, name).find((a) => (offerId === undefined || a.offerId === offerId)
    && (proposalId === undefined || a.proposalId === proposalId)) ?? null;
}

export function isOpenNow(action, now = Date.now()) {
  if (!action) return false;
  if (action.availableFrom && new Date(action.availableFrom).getTime() > now) return false;
  return !(action.availableUntil && new Date(action.availableUntil).getTime() <= now);
}

/** Allowed, and inside its window now. */
export function canNow(job, name, target) {
  return isOpenNow(allowed(job, name, target));
}

/** Which allowed actions are inside their window now: the panel is redrawn when this changes. */
export function openNowKey(job, now = Date.now()) {
  return (job?.allowedActions ?? []).map((a) => (isOpenNow(a, now) ? '1' : '0')).join('');
}

/** When a windowed action opens: the end of a code lock. */
export function opensAt(action) {
  const t = action?.availableFrom ? new Date(action.availableFrom).getTime() : null;
  return t && t > Date.now() ? t : null;
}
