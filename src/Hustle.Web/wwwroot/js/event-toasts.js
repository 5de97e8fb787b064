// The toast each feed event shows: what happened, in words for the person who receives it.
import { state, threadById } from './store.js';
import { toast } from './toast.js';
import { money } from './format.js';

function jobTitle(jobId) {
  const j = state.jobs.get(jobId);
  return j ? `“${j.title}”` : 'a job';
}

/** Tells the person what an event means for them, linking to the job unless they are looking at it. */
export function toastFor(envelope, jobId, { onJobPage }) {
  const { type, data = {} } = envelope;
  const me = state.me?.id;
  const job = state.jobs.get(jobId);
  const isCustomer = job ? job.customerId === me : data.customerId === me;
  const href = jobId ? `#/jobs/${encodeURIComponent(jobId)}` : undefined;
  const onThisJob = onJobPage && window.location.hash === href;
  const t = jobTitle(jobId);
  const say = (text, kind = 'info') => toast(text, { kind, href: onThisJob ? undefined : href });
  switch (type) {
    case 'OFFER_RECEIVED': if (isCustomer) say(`New offer on ${t}`); break;
    case 'OFFER_WITHDRAWN': if (isCustomer) say(`An offer on ${t} was withdrawn`); break;
    case 'OFFER_DECLINED': if (!isCustomer) say(`Your offer on ${t} was declined`); break;
    case 'JOB_ASSIGNED': say(isCustomer ? 'Offer accepted: job scheduled' : `Your offer on ${t} was accepted!`, 'success'); break;
    case 'JOB_UNASSIGNED': say(`${t} was unassigned and is open again`); break;
    case 'JOB_UPDATED': if (!isCustomer) say(`${t} was edited by the customer`); break;
    case 'PRICE_CHANGE_PROPOSED': say(`Price change proposed for ${t}`); break;
    case 'PRICE_CHANGE_DECLINED': say(`Price change for ${t} declined`); break;
    case 'PRICE_CHANGED': say(`Price changed for ${t}`); break;
    case 'JOB_STARTED': say('Job started', 'success'); break;
    case 'CODE_LOCKED': say('Code entry locked after too many wrong tries', 'error'); break;
    case 'JOB_COMPLETED': say('Job completed', 'success'); break;
    case 'PAYMENT_REQUESTED': say(isCustomer ? `Payment requested for ${t}` : 'Payment requested'); break;
    case 'PAYMENT_CAPTURED': {
      const paid = data.capturedAmount; // as Job.MarkPaid writes it
      say(isCustomer ? 'Payment captured' : `Payment captured: you were paid${paid ? ` ${money(paid, data.currency ?? job?.currency)}` : ''}`, 'success');
      break;
    }
    case 'PAYMENT_FAILED': say(isCustomer ? 'Payment failed: change your payment method and confirm again' : 'The customer\'s payment failed', 'error'); break;
    case 'JOB_DISPUTED': say(`${t} was disputed`, 'error'); break;
    case 'JOB_CANCELLED': say(`${t} was cancelled`); break;
    case 'JOB_EXPIRED': say(`${t} expired`); break;
    case 'MESSAGE_CREATED': {
      const senderId = data.senderId ?? data.message?.senderId;
      const threadId = data.threadId ?? data.message?.threadId;
      if (senderId === me) break;
      // No toast when that conversation is on screen.
      if (document.querySelector(`[data-testid="thread"][data-thread-id="${CSS.escape(String(threadId ?? ''))}"]`)) break;
      const thread = threadById(threadId);
      const from = thread?.counterpart?.displayName;
      toast(from ? `New message from ${from}` : 'New message', { href: threadId ? `#/messages/${encodeURIComponent(threadId)}` : undefined });
      break;
    }
    default: break;
  }
}
