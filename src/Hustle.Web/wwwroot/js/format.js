// Display helpers. Money is integer minor units plus an ISO 4217 code, never a float in the model: floats
// appear only at the last step, inside Intl.NumberFormat.

const fractionDigitsCache = new Map();

export function fractionDigits(currency) {
  const code = (currency || 'USD').toUpperCase();
  if (!fractionDigitsCache.has(code)) {
    let digits = 2;
    try {
      digits = new Intl.NumberFormat('en', { style: 'currency', currency: code }).resolvedOptions().maximumFractionDigits;
    } catch {
      // unknown code: assume cents
    }
    fractionDigitsCache.set(code, digits);
  }
  return fractionDigitsCache.get(code);
}

export function money(minor, currency) {
  if (minor === null || minor === undefined) return '—';
  const code = (currency || 'USD').toUpperCase();
  const digits = fractionDigits(code);
  try {
    return new Intl.NumberFormat(undefined, { style: 'currency', currency: code }).format(minor / 10 ** digits);
  } catch {
    return `${(minor / 10 ** digits).toFixed(digits)} ${code}`;
  }
}

/** "12.5" in a currency with 2 decimals -> 1250; returns null for anything that is not a plain positive amount. */
export function parseMoney(text, currency) {
  const digits = fractionDigits(currency);
  const t = String(text ?? '').trim().replace(/[\s,]/g, '');
  const m = /^(\d+)(?:\.(\d*))?$/.exec(t);
  if (!m) return null;
  const frac = (m[2] ?? '');
  if (frac.length > digits) return null;
  return Number(m[1]) * 10 ** digits + Number(frac.padEnd(digits, '0') || '0');
}

/** 1250 -> "12.50" for an input's value. */
export function moneyInput(minor, currency) {
  if (minor === null || minor === undefined) return '';
  const digits = fractionDigits(currency);
  return (minor / 10 ** digits).toFixed(digits);
}

export function price(job) {
  if (job.pricingType === 'HOURLY') {
    const hours = job.estimatedHours !== null && job.estimatedHours !== undefined ? ` · est. ${hoursText(job.estimatedHours)}` : '';
    return `${money(job.hourlyRate, job.currency)}/h${hours}`;
  }
  return money(job.amount, job.currency);
}

export function hoursText(hours) {
  const n = Number(hours);
  return `${Number.isInteger(n) ? n : n.toFixed(2).replace(/0$/, '')} h`;
}

export function minutesText(minutes) {
  const m = Math.max(0, Math.round(Number(minutes) || 0));
  const h = Math.floor(m / 60);
  const rest = m % 60;
  if (h === 0) return `${rest} min`;
  return rest === 0 ? `${h} h` : `${h} h ${rest} min`;
}

export function clock(ms) {
  const total = Math.max(0, Math.floor(ms / 1000));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  return [h, m, s].map((n) => String(n).padStart(2, '0')).join(':');
}

export function dateTime(iso) {
  if (!iso) return '—';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return '—';
  return new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' }).format(d);
}

export function time(iso) {
  if (!iso) return '';
  return new Intl.DateTimeFormat(undefined, { timeStyle: 'short' }).format(new Date(iso));
}

export function relative(iso) {
  if (!iso) return '';
  const seconds = Math.round((new Date(iso).getTime() - Date.now()) / 1000);
  const abs = Math.abs(seconds);
  const rtf = new Intl.RelativeTimeFormat(undefined, { numeric: 'auto' });
  if (abs < 60) return rtf.format(seconds, 'second');
  if (abs < 3600) return rtf.format(Math.round(seconds / 60), 'minute');
  if (abs < 86400) return rtf.format(Math.round(seconds / 3600), 'hour');
  return rtf.format(Math.round(seconds / 86400), 'day');
}

export const STATUS_LABELS = {
  OPEN: 'Open',
  REQUESTED: 'Offers in',
  SCHEDULED: 'Scheduled',
  IN_PROGRESS: 'In progress',
  COMPLETED_BY_HUSTLER: 'Completed',
  AWAITING_CUSTOMER_CONFIRM: 'Awaiting confirmation',
  PAID: 'Paid',
  CANCELLED: 'Cancelled',
  EXPIRED: 'Expired',
};

export const PAYMENT_LABELS = {
  NONE: 'No payment yet',
  AUTHORIZED: 'Payment authorized',
  AUTHORIZATION_FAILED: 'Authorization failed',
  CAPTURE_FAILED: 'Payment failed',
  CAPTURED: 'Payment captured',
  VOIDED: 'Authorization voided',
  REFUNDED: 'Refunded',
};

export function statusLabel(status) {
  return STATUS_LABELS[status] ?? String(status ?? '').replaceAll('_', ' ').toLowerCase();
}

export function paymentLabel(status) {
  return PAYMENT_LABELS[status] ?? String(status ?? '');
}

export function shortId(id) {
  const s = String(id ?? '');
  return s.length > 6 ? s.slice(-6) : s;
}
