/**
 * The faults' dice: a number in [0, 1) from (seed, fault kind, item key), the same on every run
 * and every machine. Keyed draws rather than one random stream, so that which items a fault
 * strikes does not depend on how the engine happened to batch them into frames (which follows
 * wall-clock timers) nor on how many heartbeats came between.
 */

/** FNV-1a over the key, then a murmur3-style finalizer mixed with the seed: well spread, 32 bits. */
export function draw(seed: number, kind: string, key: string): number {
  let h = 0x811c9dc5 ^ seed;
  const text = `${kind}\u0000${key}`;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  h ^= seed >>> 16;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  h ^= h >>> 16;
  return (h >>> 0) / 0x1_0000_0000;
}
