/** @module reports/evaluate: one answer per distinct query — evaluation asks the same windows from several places. */
import type { LoadQuery, SecondRow, WindowStats } from './input.js';

export function memoizeLoad(load: LoadQuery): LoadQuery {
  const windows = new Map<string, WindowStats>();
  const seconds = new Map<string, readonly SecondRow[]>();
  let endpoints: ReturnType<LoadQuery['endpoints']> | undefined;
  let hl7Endpoints: ReturnType<LoadQuery['endpoints']> | undefined;
  const listHl7 = load.hl7Endpoints?.bind(load);
  return {
    endpoints: () => (endpoints ??= load.endpoints()),
    ...(listHl7 ? { hl7Endpoints: () => (hl7Endpoints ??= listHl7()) } : {}),
    window(filter) {
      const key = JSON.stringify(filter);
      let hit = windows.get(key);
      if (!hit) windows.set(key, (hit = load.window(filter)));
      return hit;
    },
    ...(load.exemplars ? { exemplars: load.exemplars.bind(load) } : {}),
    perSecond(filter) {
      const key = JSON.stringify(filter);
      let hit = seconds.get(key);
      if (!hit) seconds.set(key, (hit = load.perSecond(filter)));
      return hit;
    },
    ...(load.authWindow === undefined ? {} : { authWindow: load.authWindow.bind(load) }),
    ...(load.metric === undefined ? {} : { metric: load.metric.bind(load) }),
  };
}
