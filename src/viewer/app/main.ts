/**
 * The NeuroTriage viewer: a login page, the worklist and the case view, routed by the URL hash
 * (`#/`, `#/case/<study id>`, `#/local` (a result analysed in this browser), `#/monitoring`
 * (outcomes per scanner and week), `#/login`).
 * Research use only; not a medical device.
 */
import { storedToken, storeToken } from './api.js';
import { casePage } from './case-page.js';
import { el, setChildren } from './dom.js';
import { localCasePage } from './local-case-page.js';
import { type LocalCase, localDropZone } from './local-drop.js';
import { loginPage } from './login-page.js';
import { monitoringPage } from './monitoring-page.js';
import { worklistPage } from './worklist-page.js';

const root = document.getElementById('app')!;
let leave: () => void = () => undefined;
/** The last result analysed in this browser (kept in memory only; gone on reload). */
let localCase: LocalCase | undefined;

function go(hash: string): void {
  if (location.hash === hash) void route();
  else location.hash = hash;
}

async function route(): Promise<void> {
  leave();
  leave = () => undefined;
  delete root.dataset.ready;
  const hash = location.hash || '#/';
  if (hash === '#/login' || !storedToken()) {
    loginPage(root, () => go('#/'), sessionStorage.getItem('neurotriage.loginMessage') ?? '');
    sessionStorage.removeItem('neurotriage.loginMessage');
    if (hash !== '#/login') history.replaceState(null, '', '#/login');
    return;
  }
  const caseMatch = /^#\/case\/([0-9a-f-]{36})$/.exec(hash);
  try {
    if (caseMatch) leave = await casePage({ root, studyId: caseMatch[1]!, back: () => go('#/') });
    else if (hash === '#/local' && localCase)
      leave = await localCasePage({ root, found: localCase, back: () => go('#/') });
    else if (hash === '#/monitoring') leave = monitoringPage({ root, back: () => go('#/') });
    else
      leave = worklistPage({
        root,
        open: (id) => go(`#/case/${id}`),
        monitoring: () => go('#/monitoring'),
        localDrop: localDropZone((found) => {
          localCase = found;
          go('#/local');
        }),
      });
  } catch (e) {
    setChildren(
      root,
      el('p', { className: 'error', role: 'alert' }, e instanceof Error ? e.message : String(e)),
      el('button', { type: 'button', onclick: () => go('#/') }, 'back to the worklist'),
    );
  }
}

window.addEventListener('neurotriage:unauthorised', () => {
  if (location.hash === '#/login') return;
  storeToken(null);
  sessionStorage.setItem('neurotriage.loginMessage', 'Your token was not accepted; sign in again.');
  go('#/login');
});
window.addEventListener('hashchange', () => void route());
document.getElementById('sign-out')?.addEventListener('click', () => {
  storeToken(null);
  go('#/login');
});
void route();
