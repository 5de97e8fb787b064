// Sign in / create account. Registration signs in straight after, with the cookie.
import { h, field, formError, showFormError, busy } from '../dom.js';
import { post, ApiError } from '../api.js';

export function mountAuth(main, { onSignedIn }) {
  const email = h('input', { type: 'email', name: 'email', autocomplete: 'email', required: true, testid: 'auth-email' });
  const password = h('input', { type: 'password', name: 'password', autocomplete: 'current-password', required: true, minlength: 15, maxlength: 256, testid: 'auth-password' });
  const error = formError();
  const signIn = h('button', { type: 'submit', class: 'btn btn-primary', testid: 'sign-in' }, 'Sign in');
  const signUp = h('button', { type: 'button', class: 'btn', testid: 'sign-up' }, 'Create account');

  const form = h('form', { class: 'card auth-card', novalidate: true, 'aria-labelledby': 'auth-title' },
    h('h1', { id: 'auth-title' }, 'Welcome to Hustle'),
    h('p', { class: 'muted' }, 'Post local jobs, or pick some up. Sign in or create an account with your email.'),
    error,
    field('Email', email, { errorFor: 'email' }),
    field('Password', password, { errorFor: 'password', hint: 'New accounts: at least 15 characters (a few words with spaces work well), not a common password and not your email address.' }),
    h('div', { class: 'actions' }, signIn, signUp));

  const credentials = () => ({ email: email.value.trim(), password: password.value });
  const validate = () => {
    if (!email.value.trim() || !password.value) {
      showFormError(form, new ApiError(400, { detail: 'Enter your email and a password.' }));
      return false;
    }
    return true;
  };
  const login = () => post('/api/auth/login?useCookies=true', credentials(), { quiet401: true });

  form.addEventListener('submit', (e) => {
    e.preventDefault();
    if (!validate()) return;
    busy(signIn, async () => {
      showFormError(form, null);
      try {
        await login();
      } catch (err) {
        if (err.status === 401) throw new ApiError(401, { detail: 'That email and password do not match an account.' });
        throw err;
      }
      await onSignedIn();
    }, (err) => showFormError(form, err));
  });

  signUp.addEventListener('click', () => {
    if (!validate()) return;
    busy(signUp, async () => {
      showFormError(form, null);
      await post('/api/auth/register', credentials(), { quiet401: true });
      await login();
      await onSignedIn({ isNew: true });
    }, (err) => showFormError(form, identityErrors(err)));
  });

  main.replaceChildren(h('section', { class: 'page page-narrow' }, form));
  email.focus();
  return {};
}

// ASP.NET Identity reports registration problems as errors keyed by code (PasswordTooShort, PasswordTooCommon,
// InvalidEmail…): each reason goes next to the field its code names, and the alert asks to fix the marked fields.
function identityErrors(err) {
  const errors = err?.problem?.errors;
  if (!errors || err.status !== 400) return err;
  const byField = {};
  for (const [key, value] of Object.entries(errors)) {
    const target = /password/i.test(key) ? 'password' : /email|user/i.test(key) ? 'email' : null;
    if (target) byField[target] = [...(byField[target] ?? []), ...[value].flat()];
  }
  if (Object.keys(byField).length === 0) return err;
  return new ApiError(err.status, { ...err.problem, detail: Object.values(byField).flat().join(' '), errors: byField });
}
