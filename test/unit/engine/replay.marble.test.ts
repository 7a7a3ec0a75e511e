/**
 * The engine's timing, control by control, in virtual time. Each output is written as a short
 * string so the marble diagrams read as a timeline of what a participant would receive.
 *
 * Marble reminder: one character is one virtual millisecond; `(ab)` emits a and b in the same
 * millisecond and then advances time by its length (4); `999ms` advances 999.
 */
import { describe, expect, it } from 'vitest';
import { map, type Observable } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import type { Control } from '../../../server/domain/control.ts';
import { ReplayEngine, type EngineOptions, type EngineOutput } from '../../../server/engine/replay.ts';
import { Timeline } from '../../../server/engine/timeline.ts';
import { marker, scenarioOf } from '../../helpers/scenario.ts';

// A: 0, B: 1 s, C and D together at 2 s, E: 5 s; the night lasts 6 s.
const scenario = scenarioOf([marker(0, 'A'), marker(1000, 'B'), marker(2000, 'C'), marker(2000, 'D'), marker(5000, 'E')], {
  duration: '00:00:06',
});
const timeline = new Timeline(scenario.events, scenario.durationMs, 2);

function describeOutput(o: EngineOutput): string {
  switch (o.kind) {
    case 'events':
      return `events ${o.events.map((e) => e.id).join('')}`;
    case 'jump':
      return `jump ${o.reason} cursor=${o.cursor} at ${o.clock.positionMs}`;
    case 'clock':
      return `clock ${o.reason} at ${o.clock.positionMs} ${o.clock.playing ? 'playing' : 'paused'} x${o.clock.speed}${o.clock.loop ? ' loop' : ''}`;
  }
}

const C: Record<string, Control> = {
  p: { action: 'play' },
  z: { action: 'pause' },
  r: { action: 'restart' },
  f: { action: 'step', direction: 1 },
  b: { action: 'step', direction: -1 },
  l: { action: 'loop', loop: true },
  '2': { action: 'speed', speed: 2 },
  s: { action: 'seek', positionMs: 500 },
  S: { action: 'seek', positionMs: 3000 },
  e: { action: 'seek', positionMs: 6000 },
};

function runMarbles(controls: string, expected: string, values: Record<string, string>, options: EngineOptions = {}) {
  const scheduler = new TestScheduler((actual, wanted) => expect(actual).toEqual(wanted));
  scheduler.run(({ hot, expectObservable }) => {
    const engine = new ReplayEngine(timeline, { scheduler, clockIntervalMs: 0, ...options });
    const seen: Observable<string> = engine.output$.pipe(map(describeOutput));
    expectObservable(seen).toBe(expected, values);
    engine.connect(hot(controls, C));
  });
}

const EVENTS = { A: 'events A', B: 'events B', C: 'events CD', E: 'events E' };
const clock = (reason: string, at: number, playing: boolean, speed = 1, loop = false) =>
  `clock ${reason} at ${at} ${playing ? 'playing' : 'paused'} x${speed}${loop ? ' loop' : ''}`;

describe('replay engine in virtual time', () => {
  it('play fires every event at its time, same-instant events together in file order, then stops at the end', () => {
    runMarbles('p', '(pA) 996ms B 999ms C 2999ms E 999ms x', {
      ...EVENTS,
      p: clock('control', 0, true),
      x: clock('end', 6000, false),
    });
  });

  it('pause between two events holds the next one; play resumes from the paused position', () => {
    runMarbles('p 499ms z 999ms p', '(pA) 496ms z 999ms q 499ms B 999ms C 2999ms E 999ms x', {
      ...EVENTS,
      p: clock('control', 0, true),
      z: clock('control', 500, false),
      q: clock('control', 500, true),
      x: clock('end', 6000, false),
    });
  });

  it('a speed change in the middle of a gap re-anchors: the rest of the gap runs at the new speed', () => {
    runMarbles('p 499ms 2', '(pA) 496ms s 249ms B 499ms C 1499ms E 499ms x', {
      ...EVENTS,
      p: clock('control', 0, true),
      s: clock('control', 500, true, 2),
      x: clock('end', 6000, false, 2),
    });
  });

  it('a seek back while playing jumps to the folded state and plays forward again from there', () => {
    runMarbles('p 2499ms s', '(pA) 996ms B 999ms C 499ms (jc) 496ms B 999ms C 2999ms E 999ms x', {
      ...EVENTS,
      p: clock('control', 0, true),
      j: 'jump seek cursor=1 at 500',
      c: clock('control', 500, true),
      x: clock('end', 6000, false),
    });
  });

  it('pause, then seek forward, then play: skipped events are folded silently, the rest fire', () => {
    runMarbles('p 499ms z 99ms S 99ms p', '(pA) 496ms z 99ms (jk) 96ms q 1999ms E 999ms x', {
      ...EVENTS,
      p: clock('control', 0, true),
      z: clock('control', 500, false),
      j: 'jump seek cursor=4 at 3000',
      k: clock('control', 3000, false),
      q: clock('control', 3000, true),
      x: clock('end', 6000, false),
    });
  });

  it('step forward fires one event at a time (even of a same-instant pair); step back undoes one', () => {
    runMarbles('b 9ms f 9ms f 9ms f 9ms b', 'k 9ms (Ak) 6ms (Bm) 6ms (cn) 6ms (jm)', {
      A: 'events A',
      B: 'events B',
      c: 'events C',
      k: clock('control', 0, false),
      m: clock('control', 1000, false),
      n: clock('control', 2000, false),
      j: 'jump step cursor=2 at 1000',
    });
  });

  it('step at the end fires nothing; step back from the end returns to the previous event', () => {
    runMarbles('e 9ms f 9ms b', '(jk) 6ms k 9ms (Jm)', {
      j: 'jump seek cursor=5 at 6000',
      k: clock('control', 6000, false),
      J: 'jump step cursor=4 at 2000',
      m: clock('control', 2000, false),
    });
  });

  it('step while playing pauses first', () => {
    runMarbles('p 499ms f', '(pA) 496ms (Bm)', {
      ...EVENTS,
      p: clock('control', 0, true),
      m: clock('control', 1000, false),
    });
  });

  it('with loop on, the end wraps to the start and plays on', () => {
    runMarbles('lp 7498ms z', 'o(qA) 996ms B 999ms C 2999ms E 999ms (jA) 996ms B 498ms z', {
      ...EVENTS,
      o: clock('control', 0, false, 1, true),
      q: clock('control', 0, true, 1, true),
      j: 'jump loop cursor=0 at 0',
      z: clock('control', 1499, false, 1, true),
    });
  });

  it('restart goes back to the start and plays, firing the events at 0 again', () => {
    runMarbles('p 2499ms r', '(pA) 996ms B 999ms C 499ms (jcA) 995ms B 999ms C 2999ms E 999ms x', {
      ...EVENTS,
      p: clock('control', 0, true),
      j: 'jump restart cursor=0 at 0',
      c: clock('control', 0, true),
      x: clock('end', 6000, false),
    });
  });

  it('play at the end starts over', () => {
    runMarbles('e 9ms p 1489ms z', '(jk) 6ms (rqA) 995ms B 489ms z', {
      ...EVENTS,
      j: 'jump seek cursor=5 at 6000',
      k: clock('control', 6000, false),
      r: 'jump restart cursor=0 at 0',
      q: clock('control', 0, true),
      z: clock('control', 1490, false),
    });
  });

  it('sends the clock periodically while playing, and not while paused', () => {
    runMarbles(
      'p 5499ms z',
      '(pA) 996ms B 499ms h 499ms C 999ms i 1499ms j 499ms E 499ms z',
      {
        ...EVENTS,
        p: clock('control', 0, true),
        h: clock('heartbeat', 1500, true),
        i: clock('heartbeat', 3000, true),
        j: clock('heartbeat', 4500, true),
        z: clock('control', 5500, false),
      },
      { clockIntervalMs: 1500 },
    );
  });

  it('an initial position leaves the events at that moment to fire on play', () => {
    runMarbles('p', '(pC) 2996ms E 999ms x', { ...EVENTS, p: clock('control', 2000, true), x: clock('end', 6000, false) }, { positionMs: 2000 });
  });
});

describe('frames', () => {
  // A: 0, B: 5 ms, C: 10 ms, D: 40 ms; one frame is 16 ms.
  const dense = scenarioOf([marker(0, 'A'), marker(5, 'B'), marker(10, 'C'), marker(40, 'D')]);
  const denseTimeline = new Timeline(dense.events, dense.durationMs);

  function runDense(controls: string, expected: string, values: Record<string, string>) {
    const scheduler = new TestScheduler((actual, wanted) => expect(actual).toEqual(wanted));
    scheduler.run(({ hot, expectObservable }) => {
      const engine = new ReplayEngine(denseTimeline, { scheduler, clockIntervalMs: 0, frameMs: 16 });
      expectObservable(engine.output$.pipe(map(describeOutput))).toBe(expected, values);
      engine.connect(hot(controls, C));
    });
  }

  it('events falling due within one frame of the last batch go out together at the frame boundary', () => {
    runDense('p', '(pA) 12ms b 23ms (Dx)', {
      p: clock('control', 0, true),
      A: 'events A',
      b: 'events BC',
      D: 'events D',
      x: clock('end', 40, false),
    });
  });

  it('a pause flushes events already due but held back by the frame limit', () => {
    runDense('p 11ms z', '(pA) 8ms (bz)', {
      p: clock('control', 0, true),
      A: 'events A',
      b: 'events BC',
      z: clock('control', 12, false),
    });
  });

  it('a speed change first delivers what the frame limit was holding back, then re-anchors', () => {
    runDense('p 11ms 2', '(pA) 8ms (bs) 12ms (Dx)', {
      p: clock('control', 0, true),
      A: 'events A',
      b: 'events BC',
      s: clock('control', 12, true, 2),
      D: 'events D',
      x: clock('end', 40, false, 2),
    });
  });

  it('a crowded instant goes out a bounded number of events per frame; a pause still flushes the rest', () => {
    const crowd = scenarioOf(['A', 'B', 'C', 'D', 'E', 'F', 'G'].map((id) => marker(0, id)));
    const scheduler = new TestScheduler((actual, wanted) => expect(actual).toEqual(wanted));
    scheduler.run(({ hot, expectObservable }) => {
      const engine = new ReplayEngine(new Timeline(crowd.events, 100), { scheduler, clockIntervalMs: 0, frameMs: 16, maxFrameEvents: 3 });
      expectObservable(engine.output$.pipe(map(describeOutput))).toBe('(pa) 12ms b 3ms (cz)', {
        p: clock('control', 0, true),
        a: 'events ABC',
        b: 'events DEF',
        c: 'events G',
        z: clock('control', 20, false),
      });
      engine.connect(hot('p 19ms z', C));
    });
  });
});
