/**
 * A siren tone synthesized with Web Audio (no sound files): a tone rising and falling, as the
 * modulated alarm signal does. Off until the user turns it on, as browsers require.
 */
export class Siren {
  private context: AudioContext | undefined;
  enabled = false;

  enable(on: boolean): void {
    this.enabled = on;
    if (on && !this.context) this.context = new AudioContext();
  }

  /** A few seconds of the rising and falling tone. */
  sound(seconds = 4): void {
    const ctx = this.context;
    if (!this.enabled || !ctx) return;
    const osc = ctx.createOscillator();
    const gain = ctx.createGain();
    const now = ctx.currentTime;
    osc.type = 'sawtooth';
    for (let i = 0; i < seconds; i++) {
      osc.frequency.setValueAtTime(500, now + i);
      osc.frequency.linearRampToValueAtTime(900, now + i + 0.5);
      osc.frequency.linearRampToValueAtTime(500, now + i + 1);
    }
    gain.gain.setValueAtTime(0.0001, now);
    gain.gain.exponentialRampToValueAtTime(0.15, now + 0.2);
    gain.gain.setValueAtTime(0.15, now + seconds - 0.3);
    gain.gain.exponentialRampToValueAtTime(0.0001, now + seconds);
    osc.connect(gain).connect(ctx.destination);
    osc.start(now);
    osc.stop(now + seconds);
  }
}
