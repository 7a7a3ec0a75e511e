/**
 * The trainee's phone once joined. It shows only what the server says of this trainee (`self`):
 * waiting (never "all clear" before a first alert), the full-screen alarm with its one button,
 * the confirmation with the response time, or a missed alert. The alarm sounds the siren tone
 * (armed by the tap on "Join"), vibrates where the device can, and changes the page's title.
 * The trainee's id and secret stay on the phone, so a reload or a lost network comes back as the
 * same person; other trainees' names never reach it.
 */
import type { TraineeStatus } from '../../server/contract/session.ts';
import { connect } from '../sdk/index.ts';
import type { JoinAnswer } from '../api.ts';
import { h } from '../dom.ts';
import { currentLang, pick, t } from '../i18n.ts';
import type { Siren } from '../sound.ts';

type Credentials = { kind: 'new'; joinCode: string; name: string; region: string } | { kind: 'back'; participantId: string; participantToken: string };

const keyOf = (sessionId: string) => `air-raid-sim.trainee.${sessionId}`;
/** Vibration while the alarm stands: long pulses, as a phone's emergency alert does. */
const VIBRATION = [800, 400, 800, 400, 800];

export function savedTrainee(sessionId: string): { participantId: string; participantToken: string } | undefined {
  const raw = localStorage.getItem(keyOf(sessionId));
  return raw ? (JSON.parse(raw) as { participantId: string; participantToken: string }) : undefined;
}

export function traineeView(root: HTMLElement, drill: JoinAnswer, credentials: Credentials, siren: Siren, refused: (message: string) => void): void {
  const lang = currentLang();
  const regionName = (code: string) => pick(drill.regions.find((r) => r.code === code)?.name ?? { en: code }, lang);
  let creds = credentials;
  // The SDK keeps the connection, resumes after a drop and comes back as the same trainee (it
  // sends the id and secret from `welcome` on every reconnect).
  const client = connect({
    sessionId: drill.sessionId,
    role: 'trainee',
    ...(creds.kind === 'back'
      ? { participant: { participantId: creds.participantId, participantToken: creds.participantToken } }
      : { joinCode: creds.joinCode, name: creds.name, region: creds.region }),
  });
  let status: TraineeStatus | undefined;
  let sirenTimer: ReturnType<typeof setInterval> | undefined;
  const screen = h('section', { class: 'trainee-screen', 'data-testid': 'trainee-screen', 'aria-live': 'assertive' });
  const link = h('p', { class: 'connection', role: 'status', hidden: true }, t('reconnecting', lang));
  const messages = h('div', { class: 'messages', 'data-testid': 'messages' });
  const soundBack = h('button', { type: 'button', class: 'sound-back', hidden: siren.enabled }, t('soundBack', lang));
  soundBack.addEventListener('click', () => {
    siren.enable(true);
    soundBack.hidden = true;
  });
  const header = h('header', { class: 'top' }, h('h1', {}, pick(drill.title, lang)));
  root.replaceChildren(header, h('main', { id: 'main', class: 'trainee' }, link, soundBack, screen, messages));

  const alarm = (on: boolean) => {
    document.documentElement.classList.toggle('alarm', on);
    if (on && !sirenTimer) {
      siren.sound(4);
      sirenTimer = setInterval(() => siren.sound(4), 4000);
      navigator.vibrate?.(VIBRATION);
    }
    if (!on && sirenTimer) {
      clearInterval(sirenTimer);
      sirenTimer = undefined;
      navigator.vibrate?.(0);
    }
  };

  const render = () => {
    if (!status) return;
    const region = regionName(status.region);
    const state = status.state;
    screen.dataset.state = state;
    alarm(state === 'alerted');
    document.title = state === 'alerted' ? `⚠ ${t('alarmTitle', lang)} · ${region}` : `${status.name} · ${pick(drill.title, lang)}`;
    if (state === 'alerted') {
      const button = h('button', { type: 'button', class: 'shelter', 'data-action': 'shelter' }, t('shelter', lang));
      const error = h('p', { class: 'error', role: 'alert' });
      button.addEventListener('click', () => {
        button.disabled = true;
        void client.shelter().then((ack) => {
          button.disabled = false;
          if (!ack.ok) error.textContent = ack.error.message;
        });
      });
      screen.replaceChildren(h('h2', { class: 'alarm-title' }, t('alarmTitle', lang)), h('p', {}, t('alarmText', lang, { region })), button, error);
    } else if (state === 'sheltered') {
      const s = ((status.alert?.responseWallMs ?? 0) / 1000).toFixed(1);
      screen.replaceChildren(h('p', { class: 'answered', 'data-testid': 'answered' }, `✓ ${t('answered', lang, { s })}`));
    } else {
      const text = state === 'missed' ? t('drillMissed', lang, { region }) : status.alert ? t('drillAllClear', lang, { region }) : t('drillWaiting', lang, { region });
      screen.replaceChildren(h('p', { class: 'waiting' }, text));
    }
  };

  client.welcome$.subscribe((w) => {
    localStorage.setItem(keyOf(drill.sessionId), JSON.stringify(w));
    creds = { kind: 'back', ...w };
  });
  client.self$.subscribe((s) => {
    status = s;
    render();
  });
  client.message$.subscribe((m) => messages.prepend(h('p', { class: 'message' }, h('strong', {}, `${t('fromInstructor', lang)}: `), m.text)));
  client.status$.subscribe((connected) => (link.hidden = connected));
  client.ended$.subscribe(() => {
    localStorage.removeItem(keyOf(drill.sessionId));
    alarm(false);
    client.close();
    screen.replaceChildren(h('p', {}, t('drillEnded', lang)));
  });
  client.error$.subscribe((refusal) => {
    // Transient refusals (rate, capacity) are retried by the SDK; a refused join goes back to the form.
    if (refusal.error.code === 'quota_exceeded' || refusal.error.code === 'server_busy' || refusal.error.code === 'rate_limited') return;
    client.close();
    alarm(false);
    if (creds.kind === 'back') localStorage.removeItem(keyOf(drill.sessionId));
    refused(refusal.error.message);
  });
}
