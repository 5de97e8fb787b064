// Short notices in a polite live region. Text only.
import { h } from './dom.js';

const TOAST_MS = 5000;
const MAX_TOASTS = 4;
const REPEAT_WINDOW_MS = 20_000;
const recent = new Map(); // text -> when it was last shown

export function toast(text, { kind = 'info', href } = {}) {
  const region = document.getElementById('toasts');
  if (!region) return;
  // The same news can come twice (the answer to my own action, then its event, maybe a poll later): show it once.
  const now = Date.now();
  for (const [t, at] of recent) if (now - at > REPEAT_WINDOW_MS) recent.delete(t);
  if (kind !== 'error' && recent.has(text) && ![...region.children].some((e) => e.dataset.text === text)) return;
  recent.set(text, now);
  for (const existing of region.children) {
    if (existing.dataset.text === text) {
      clearTimeout(Number(existing.dataset.timer));
      existing.dataset.timer = String(setTimeout(() => existing.remove(), TOAST_MS));
      return;
    }
  }
  const body = href ? h('a', { href, class: 'toast-link' }, text) : h('span', null, text);
  const close = h('button', { type: 'button', class: 'toast-close', 'aria-label': 'Dismiss notification' }, '×');
  const el = h('div', { class: `toast toast-${kind}`, testid: 'toast', role: kind === 'error' ? 'alert' : 'status', dataset: { kind, text } }, body, close);
  const remove = () => el.remove();
  close.addEventListener('click', remove);
  region.append(el);
  while (region.children.length > MAX_TOASTS) region.firstElementChild.remove();
  el.dataset.timer = String(setTimeout(remove, kind === 'error' ? TOAST_MS * 2 : TOAST_MS));
}

export function toastError(err) {
  toast(err?.message || 'Something went wrong.', { kind: 'error' });
}
