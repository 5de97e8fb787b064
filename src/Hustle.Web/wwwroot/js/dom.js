// Building DOM without HTML strings: every piece of text goes in as a text node, so user content can never
// become markup. Nothing in this app assigns innerHTML.

/**
 * h('button', { class: 'btn', testid: 'make-offer', onclick: fn }, 'Make offer')
 * Props: class, testid (-> data-testid), dataset, text, value/checked (set as properties), on* (listeners),
 * anything else becomes an attribute (true -> present, false/null/undefined -> absent).
 */
export function h(tag, props, ...children) {
  const el = document.createElement(tag);
  let value;
  for (const [key, v] of Object.entries(props ?? {})) {
    if (v === null || v === undefined || v === false) continue;
    if (key === 'class') el.className = v;
    else if (key === 'testid') el.dataset.testid = v;
    else if (key === 'dataset') Object.assign(el.dataset, v);
    else if (key === 'text') el.textContent = String(v);
    else if (key === 'value') value = v;
    else if (key === 'checked') el.checked = Boolean(v);
    else if (key.startsWith('on') && typeof v === 'function') el.addEventListener(key.slice(2).toLowerCase(), v);
    else el.setAttribute(key, v === true ? '' : String(v));
  }
  append(el, children);
  if (value !== undefined) el.value = String(value);
  return el;
}

export function append(el, children) {
  for (const child of [children].flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return el;
}

/** Like replaceChildren, but skips null/false and flattens arrays (as h() does). */
export function setChildren(el, ...children) {
  el.replaceChildren();
  return append(el, children);
}

export function clear(el) {
  el.replaceChildren();
  return el;
}

/** Replaces el's children only when key changed, so inputs inside keep what the user typed across re-renders. */
export function keyed(el, key, build) {
  if (el.dataset.key === key) return false;
  el.dataset.key = key;
  el.replaceChildren(...[build()].flat().filter(Boolean));
  return true;
}

let idCounter = 0;
export function uid(prefix = 'f') {
  idCounter += 1;
  return `${prefix}-${idCounter}`;
}

/** A labelled form field: <div class=field><label for>text</label>control<p class=hint/error></div>. */
export function field(label, control, { hint, errorFor } = {}) {
  if (!control.id) control.id = uid('field');
  const children = [h('label', { for: control.id }, label), control];
  if (hint) {
    const hintEl = h('p', { class: 'hint', id: `${control.id}-hint` }, hint);
    control.setAttribute('aria-describedby', hintEl.id);
    children.push(hintEl);
  }
  const error = h('p', { class: 'field-error', testid: 'field-error', id: `${control.id}-error`, hidden: true });
  if (errorFor) error.dataset.field = errorFor;
  children.push(error);
  return h('div', { class: 'field' }, children);
}

/** Shows problem-details validation errors next to their fields (data-field) and the detail in the form's alert. */
export function showFormError(form, err) {
  const alert = form.querySelector('[data-testid="form-error"]');
  for (const el of form.querySelectorAll('.field-error')) {
    el.hidden = true;
    el.textContent = '';
  }
  if (!err) {
    if (alert) {
      alert.hidden = true;
      alert.textContent = '';
    }
    return;
  }
  const errors = err.problem?.errors ?? {};
  let shownInline = false;
  for (const [name, messages] of Object.entries(errors)) {
    const el = form.querySelector(`.field-error[data-field="${CSS.escape(name)}"]`);
    if (el) {
      el.textContent = [messages].flat().join(' ');
      el.hidden = false;
      shownInline = true;
    }
  }
  if (alert) {
    alert.textContent = err.message || 'Something went wrong.';
    if (shownInline && err.code === 'validation_failed') alert.textContent = 'Please fix the fields marked below.';
    alert.hidden = false;
  }
}

export function formError() {
  return h('p', { class: 'form-error', role: 'alert', testid: 'form-error', hidden: true });
}

/**
 * Runs an async action from a button: disables it while in flight, shows a failure in `errorEl`
 * (or as a toast via onError). Returns the action's result or undefined on failure.
 */
export async function busy(button, action, onError) {
  if (button) {
    if (button.dataset.busy === '1') return undefined;
    button.dataset.busy = '1';
    button.disabled = true;
    button.setAttribute('aria-busy', 'true');
  }
  try {
    return await action();
  } catch (err) {
    if (onError) onError(err);
    else console.error(err);
    return undefined;
  } finally {
    if (button) {
      delete button.dataset.busy;
      button.disabled = false;
      button.removeAttribute('aria-busy');
    }
  }
}
