/**
 * The map's regions as one tab stop (a roving tabindex): Tab enters the map at the last region
 * focused, the arrow keys move to the nearest region in that direction, Home and End to the
 * first and last. Forty-three regions were forty-three tab stops before Play.
 */
const DIRECTIONS: Record<string, readonly [number, number]> = { ArrowRight: [1, 0], ArrowLeft: [-1, 0], ArrowUp: [0, -1], ArrowDown: [0, 1] };

export class RegionKeys {
  private current: string | undefined;

  constructor(
    private readonly els: ReadonlyMap<string, SVGElement>,
    private readonly centre: (code: string) => [number, number] | undefined,
  ) {
    const first = els.keys().next().value;
    if (first) this.setCurrent(first);
    for (const [code, el] of els) {
      el.addEventListener('focus', () => this.setCurrent(code));
      el.addEventListener('keydown', (event) => this.key(event as KeyboardEvent, code));
    }
  }

  private setCurrent(code: string): void {
    if (this.current === code) return;
    if (this.current) this.els.get(this.current)?.setAttribute('tabindex', '-1');
    this.current = code;
    this.els.get(code)?.setAttribute('tabindex', '0');
  }

  private key(event: KeyboardEvent, code: string): void {
    const codes = [...this.els.keys()];
    let next: string | undefined;
    if (event.key === 'Home') next = codes[0];
    else if (event.key === 'End') next = codes.at(-1);
    else if (DIRECTIONS[event.key] && !event.altKey) next = this.nearest(code, DIRECTIONS[event.key]!);
    else return;
    event.preventDefault();
    event.stopPropagation();
    if (!next) return;
    this.setCurrent(next);
    this.els.get(next)?.focus();
  }

  /** The closest region whose centre lies within 60° of the direction; distance off the axis counts double. */
  private nearest(from: string, [dx, dy]: readonly [number, number]): string | undefined {
    const origin = this.centre(from);
    if (!origin) return undefined;
    let best: string | undefined;
    let bestScore = Infinity;
    for (const code of this.els.keys()) {
      const c = code === from ? undefined : this.centre(code);
      if (!c) continue;
      const vx = c[0] - origin[0];
      const vy = c[1] - origin[1];
      const along = vx * dx + vy * dy;
      const across = Math.abs(vx * dy - vy * dx);
      if (along <= 0 || across > along * Math.tan(Math.PI / 3)) continue;
      const score = along + 2 * across;
      if (score < bestScore) [best, bestScore] = [code, score];
    }
    return best;
  }
}
