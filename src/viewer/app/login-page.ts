/** The login page: one API token (from `neurotriage token create`), checked before it is kept. */
import { ApiError, apiJson, storeToken } from './api.js';
import { el, setChildren } from './dom.js';

export function loginPage(root: HTMLElement, done: () => void, message = ''): void {
  const input = el('input', {
    type: 'password',
    id: 'token',
    autocomplete: 'current-password',
    placeholder: 'API token',
    required: true,
  });
  const error = el('p', { className: 'error', role: 'alert' }, message);
  const form = el(
    'form',
    { className: 'login' },
    el('label', { htmlFor: 'token' }, 'API token'),
    input,
    el('button', { type: 'submit' }, 'Sign in'),
    error,
    el(
      'p',
      { className: 'hint' },
      'Make one on the server with: neurotriage token create --data DIR',
    ),
  );
  form.onsubmit = async (e) => {
    e.preventDefault();
    storeToken(input.value.trim());
    try {
      await apiJson('/worklist?limit=1');
      done();
    } catch (err) {
      storeToken(null);
      error.textContent =
        err instanceof ApiError && err.status === 401
          ? 'This token is not accepted by the service.'
          : `Cannot reach the service: ${err instanceof Error ? err.message : err}`;
    }
  };
  setChildren(root, el('h2', {}, 'Sign in'), form);
  input.focus();
}
