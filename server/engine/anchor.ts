/**
 * The engine's clock: an anchor pair (wall time, scenario position) and the speed, set at every
 * control. Positions and deadlines alike are derived from that pair alone; no timer is ever
 * scheduled relative to the one before it, so a late wake-up costs one frame, not the rest of
 * the night. Its own module so that this rule lives in some 40 lines that can be read and
 * checked apart from the ~310 lines of scheduling and batching around it.
 */

export class Anchor {
  playing = false;

  constructor(
    /** The night's length, read on every use: events injected past the end lengthen it. */
    private readonly timeline: { readonly durationMs: number },
    /** Wall time of the anchor. */
    public wall: number,
    /** Scenario position at `wall`. */
    public position: number,
    public speed: number,
  ) {}

  /** The scenario position at wall time `wall`: the anchor's while paused, never past the end. */
  positionAt(wall: number): number {
    if (!this.playing) return this.position;
    return Math.min(this.timeline.durationMs, this.position + (wall - this.wall) * this.speed);
  }

  /** The wall time at which scenario position `atMs` is reached at the current speed. */
  dueWall(atMs: number): number {
    return this.wall + (atMs - this.position) / this.speed;
  }

  /** Moves the anchor to `now`, keeping the position the clock shows. */
  reanchor(now: number): void {
    this.position = this.positionAt(now);
    this.wall = now;
  }
}
