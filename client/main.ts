/** The page's routes: the library, a session's watch page, and a trainee's join page. */
import { getScenario, tokenFor, rememberToken, RequestFailed } from './api.ts';
import { h } from './dom.ts';
import { currentLang, saveLang, t } from './i18n.ts';
import { joinPage } from './pages/join.ts';
import { landingPage } from './pages/landing.ts';
import { watchPage } from './watch/page.ts';

const root = document.getElementById('app')!;
saveLang(currentLang());

async function route(): Promise<void> {
  const path = location.pathname;
  const session = /^\/s\/([A-Za-z0-9_-]{1,64})(\/instructor)?\/?$/.exec(path);
  const join = /^\/join\/([^/]{1,32})\/?$/.exec(path);
  if (session) {
    const id = session[1]!;
    // An instructor link carries its token in the fragment: keep it in this tab, not in the address.
    const fromFragment = /(?:^#|&)token=([A-Za-z0-9_-]+)/.exec(location.hash)?.[1];
    if (fromFragment) {
      rememberToken(id, fromFragment);
      history.replaceState(null, '', `/s/${id}${location.search}`);
    }
    const response = await fetch(`/api/sessions/${encodeURIComponent(id)}`);
    if (!response.ok) throw new RequestFailed(response.status, 'session_not_found', t('notFound', currentLang()));
    const snapshot = (await response.json()) as { scenario: { id: string } };
    const scenario = await getScenario(snapshot.scenario.id);
    watchPage(root, scenario, id, tokenFor(id), new URLSearchParams(location.search).get('t'));
  } else if (join) {
    await joinPage(root, decodeURIComponent(join[1]!));
  } else {
    await landingPage(root);
  }
}

route().catch((error: unknown) => {
  root.replaceChildren(h('main', { id: 'main' }, h('p', { class: 'error' }, error instanceof Error ? error.message : String(error)), h('a', { href: '/' }, t('back', currentLang()))));
});
