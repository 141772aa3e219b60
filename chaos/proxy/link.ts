/**
 * @module chaos/proxy: a link moves one direction of one connection through its toxic chain
 * (Toxiproxy `ToxicLink`): reader → [head noop, toxic…] → writer, with bounded channels between stages.
 * Toxics are added, updated and removed while data flows, without losing or reordering bytes.
 */
import type { Duplex } from 'node:stream';
import type { Random } from '../rng.js';
import type { StreamChunk } from '../toxics/toxic.js';
import { Chan, INTERRUPTED } from './chan.js';
import { Stage, STOPPED, type ChunkChan, type Direction, type StageHost, type ToxicEntry } from './stub.js';

export interface LinkHooks {
  readonly random: Random;
  /** Bytes read from the input socket. */
  onReceived(bytes: number): void;
  /** Bytes written to the output socket. */
  onSent(bytes: number): void;
  /** The stream ended (EOF passed the chain): the connection should close. */
  onEnd(): void;
  /** A toxic asked for a TCP reset. */
  onReset(): void;
  /** Called before every toxic change: the connection takes its bytes back from the native relay, if it had them. */
  claim?(): void;
}

const chanFor = (entry: ToxicEntry | undefined): ChunkChan => new Chan(Math.max(1, entry?.definition.bufferSize ?? 0));

export class ToxicLink implements StageHost {
  private readonly stages: Stage[] = [];
  private readonly kill = new AbortController();
  /**
   * Fast path: a link without active toxics (none, or each lost its toxicity draw) copies bytes straight from input
   * to output (with backpressure), no per-chunk toxic work. A toxic change switches it to the chain (what was written
   * directly is already ahead in the output); the next chunk read while the chain is idle again switches it back.
   */
  private direct: boolean;
  /** Stops the chain's writer when the link goes back to the fast path. */
  private writerStop = new AbortController();
  /** Serialises hot swaps on this link. */
  private ops: Promise<void> = Promise.resolve();
  /** A hot swap is under way: stages are being stopped and rewired, so the chain never counts as idle. */
  private swapping = false;
  readonly random: Random;

  constructor(
    readonly direction: Direction,
    entries: readonly ToxicEntry[],
    private readonly input: Duplex,
    private readonly output: Duplex,
    private readonly hooks: LinkHooks,
  ) {
    this.random = hooks.random;
    this.direct = entries.length === 0;
    const tail = chanFor(undefined);
    for (const entry of [undefined, ...entries]) this.stages.push(new Stage(entry, chanFor(entry), tail, this));
    // Each stage's output is the next one's input; the last writes to the tail the writer drains.
    for (let i = 0; i + 1 < this.stages.length; i++) (this.stages[i] as Stage).output = (this.stages[i + 1] as Stage).input;
  }

  get killed(): AbortSignal {
    return this.kill.signal;
  }

  get isDead(): boolean {
    return this.kill.signal.aborted;
  }

  reset(): void {
    this.hooks.onReset();
  }

  start(): void {
    if (!this.direct) this.startChain();
    this.startReader();
  }

  /** True while bytes take the fast path. @internal for tests. */
  get isDirect(): boolean {
    return this.direct;
  }

  /** Starts the chain; stages keep their toxicity draws (a link born with toxics draws here, the first time). */
  private startChain(): void {
    this.direct = false;
    for (const stage of this.stages) stage.run(false);
    this.writerStop = new AbortController();
    void this.startWriter(this.writerStop.signal);
  }

  /**
   * No active toxic and nothing in flight: every stage passes data on and is parked on its empty input, and the
   * writer is parked on the empty tail (a parked reader holds no chunk). Every chained byte has then been handed to
   * the output, so a direct write cannot overtake one.
   */
  private chainIsIdle(): boolean {
    if (this.swapping) return false;
    for (const stage of this.stages) {
      if (stage.isActive || stage.input.size > 0 || !stage.input.hasWaitingReader) return false;
    }
    const tail = (this.stages[this.stages.length - 1] as Stage).output;
    return tail.size === 0 && tail.hasWaitingReader;
  }

  /** Leaves the chain for the fast path; only when `chainIsIdle()`, in the same tick. */
  private stopChain(): void {
    this.direct = true;
    for (const stage of this.stages) void stage.interrupt();
    this.writerStop.abort(STOPPED);
  }

  /** Appends a toxic at the end of the chain (Toxiproxy `AddToxic`). */
  addToxic(entry: ToxicEntry): Promise<void> {
    this.hooks.claim?.();
    return this.serial(async () => {
      if (this.direct) this.startChain();
      const last = this.stages[this.stages.length - 1] as Stage;
      await last.interrupt();
      const chan = chanFor(entry);
      const stage = new Stage(entry, chan, last.output, this);
      last.output = chan;
      this.stages.push(stage);
      last.run();
      stage.run();
    });
  }

  /** Swaps the toxic at `index` (0 = first visible toxic) for its new version and re-draws toxicity. */
  updateToxic(index: number, entry: ToxicEntry): Promise<void> {
    this.hooks.claim?.();
    return this.serial(async () => {
      const stage = this.stages[index + 1];
      if (!stage) return;
      if (this.direct) this.startChain();
      await stage.interrupt();
      stage.entry = entry;
      stage.run();
    });
  }

  /** Removes the toxic at `index`, moving whatever it still holds on to the next stage. */
  removeToxic(index: number): Promise<void> {
    this.hooks.claim?.();
    return this.serial(async () => {
      const stage = this.stages[index + 1];
      const prev = this.stages[index];
      if (!stage || !prev) return;
      if (this.direct) this.startChain();
      await stage.interrupt();
      await stage.cleanup();
      // Keep the removed stage's input flowing while the previous stage stops, so it cannot block on a full channel.
      const stopDrain = new AbortController();
      const draining = this.forward(stage.input, stage.output, stopDrain.signal);
      await prev.interrupt();
      stopDrain.abort(STOPPED);
      await draining;
      for (let item = stage.input.poll(); item !== INTERRUPTED; item = stage.input.poll()) {
        await stage.output.write(item, this.kill.signal);
      }
      prev.output = stage.output;
      this.stages.splice(index + 1, 1);
      prev.run();
    });
  }

  /** Ends every wait: used once the connection is closed. */
  close(): void {
    if (this.kill.signal.aborted) return;
    this.kill.abort(STOPPED);
    this.writerStop.abort(STOPPED);
    for (const stage of this.stages) {
      stage.input.abandon();
      void stage.interrupt();
    }
  }

  private serial(op: () => Promise<void>): Promise<void> {
    const swap = async (): Promise<void> => {
      this.swapping = true;
      try {
        await op();
      } finally {
        this.swapping = false;
      }
    };
    const run = this.ops.then(() => (this.isDead ? undefined : swap()));
    this.ops = run.catch(() => undefined);
    return run;
  }

  private async forward(from: ChunkChan, to: ChunkChan, stop: AbortSignal): Promise<void> {
    for (;;) {
      const item = await from.read(stop);
      if (item === INTERRUPTED) return;
      await to.write(item, this.kill.signal);
    }
  }

  private startReader(): void {
    const head = (this.stages[0] as Stage).input;
    let ended = false;
    const push = (item: StreamChunk | null): void => {
      if (head.offer(item)) return;
      this.input.pause();
      void head.write(item, this.kill.signal).then(() => {
        if (!this.isDead) this.input.resume();
      });
    };
    const end = (): void => {
      if (ended) return;
      ended = true;
      if (!this.direct) return push(null);
      this.output.end();
      this.hooks.onEnd();
    };
    this.input.on('data', (data: Buffer) => {
      this.hooks.onReceived(data.length);
      if (!this.direct && this.chainIsIdle()) this.stopChain();
      if (!this.direct) return push({ data, at: performance.now() });
      if (this.output.destroyed) return;
      this.hooks.onSent(data.length);
      if (!this.output.write(data)) {
        this.input.pause();
        void waitDrain(this.output, this.kill.signal).then(() => {
          if (!this.isDead) this.input.resume();
        });
      }
    });
    this.input.on('end', end);
    this.input.on('close', end);
    this.input.on('error', end);
  }

  private async startWriter(stop: AbortSignal): Promise<void> {
    const tail = (): ChunkChan => (this.stages[this.stages.length - 1] as Stage).output;
    for (;;) {
      // The tail channel changes on hot swaps, but the last stage's output is always the same object.
      const item = await tail().read(stop);
      if (item === INTERRUPTED) return;
      if (item === null) {
        this.output.end();
        this.hooks.onEnd();
        return;
      }
      if (this.output.destroyed) continue; // drain so stages never block on a dead socket
      this.hooks.onSent(item.data.length);
      if (!this.output.write(item.data)) await waitDrain(this.output, this.kill.signal);
    }
  }
}

function waitDrain(stream: Duplex, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const done = (): void => {
      stream.off('drain', done);
      stream.off('close', done);
      signal.removeEventListener('abort', done);
      resolve();
    };
    stream.on('drain', done);
    stream.on('close', done);
    signal.addEventListener('abort', done, { once: true });
  });
}
