/**
 * The page's routes: the library, a session's watch page, and a trainee's join page.
 *
 * A link with a moment (`/s/<id>?t=06:35`) opened by anyone but the session's creator opens
 * that moment in a new replay of the reader's own, which they control; links the page shares
 * also name the night (`&n=<scenario>`), so they open even after the session they came from
 * has been reaped. A moment that cannot be read is reported, not ignored.
 */
import { getScenario, tokenFor, rememberToken, createSession, RequestFailed } from './api.ts';
import { h } from './dom.ts';
import { currentLang, saveLang, t } from './i18n.ts';
import { localTime, KYIV, readMoment } from './format.ts';
import { consolePage } from './drill/console.ts';
import { joinPage } from './pages/join.ts';
import { landingPage } from './pages/landing.ts';
import { watchPage, type Notice } from './watch/page.ts';

const root = document.getElementById('app')!;
saveLang(currentLang());

async function openSession(id: string): Promise<void> {
  const lang = currentLang();
  // An instructor link carries its token in the fragment: keep it in this tab, not in the address.
  const fromFragment = /(?:^#|&)token=([A-Za-z0-9_-]+)/.exec(location.hash)?.[1];
  if (fromFragment) {
    rememberToken(id, fromFragment);
    history.replaceState(null, '', `/s/${id}${location.search}`);
  }
  const params = new URLSearchParams(location.search);
  const moment = params.get('t');
  const named = params.get('n');
  const token = tokenFor(id);
  // A shared moment that names its night needs nothing from the session it came from.
  const response = moment && named && !token ? undefined : await fetch(`/api/sessions/${encodeURIComponent(id)}`);
  if (response && !response.ok && !(moment && named)) throw new RequestFailed(response.status, 'session_not_found', t(moment ? 'sessionGoneShared' : 'notFound', lang));
  const snapshot = response?.ok ? ((await response.json()) as { scenario: { id: string }; session: { kind: string } }) : undefined;
  const scenario = await getScenario(snapshot?.scenario.id ?? named!);
  // A drill opened with its instructor's token is run from the console.
  if (token && snapshot?.session.kind === 'drill') return consolePage(root, scenario, id, token);
  if (token) return watchPage(root, scenario, id, token, moment);
  if (moment) {
    const read = readMoment(moment, scenario.startMs, scenario.durationMs);
    if (read.ok) {
      const created = await createSession({ scenarioId: scenario.id, positionMs: read.ms, autoplay: false });
      rememberToken(created.id, created.instructorToken);
      history.replaceState(null, '', `/s/${created.id}`);
      const notice: Notice = { kind: 'own', text: localTime(scenario.startMs, read.ms, KYIV) };
      return watchPage(root, scenario, created.id, created.instructorToken, null, notice);
    }
    if (!response?.ok) throw new RequestFailed(400, 'bad_moment', t('badLink', lang, { text: moment, hint: t('timeHint', lang) }));
    return watchPage(root, scenario, id, undefined, null, { kind: 'badLink', text: moment });
  }
  watchPage(root, scenario, id, undefined, null, { kind: 'following' });
}

async function route(): Promise<void> {
  const path = location.pathname;
  const session = /^\/s\/([A-Za-z0-9_-]{1,64})(\/instructor)?\/?$/.exec(path);
  const join = /^\/join\/([^/]{1,32})\/?$/.exec(path);
  if (session) await openSession(session[1]!);
  else if (join) await joinPage(root, decodeURIComponent(join[1]!));
  else await landingPage(root);
}

route().catch((error: unknown) => {
  root.replaceChildren(h('main', { id: 'main' }, h('p', { class: 'error', role: 'alert' }, error instanceof Error ? error.message : String(error)), h('a', { href: '/' }, t('back', currentLang()))));
});
