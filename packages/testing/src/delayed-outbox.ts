/**
 * Frames on their way to one client, each held back by the delay in force when it was sent.
 * Delivery stays in order like on a real link: a frame whose delay is over still waits for the ones
 * before it. Timers are the global `setTimeout`, looked up per call, so Vitest's fake timers (even
 * installed after the server was made) decide when frames arrive.
 */
export class DelayedOutbox<F> {
  private readonly entries: { readonly frame: F; ready: boolean; timer: ReturnType<typeof setTimeout> | undefined }[] =
    [];

  constructor(private readonly deliver: (frame: F) => void) {}

  send(frame: F, delayMs: number): void {
    if (delayMs <= 0 && this.entries.length === 0) {
      this.deliver(frame);
      return;
    }
    const entry = { frame, ready: delayMs <= 0, timer: undefined as ReturnType<typeof setTimeout> | undefined };
    this.entries.push(entry);
    if (entry.ready) return;
    entry.timer = globalThis.setTimeout(() => {
      entry.timer = undefined;
      entry.ready = true;
      this.flush();
    }, delayMs);
  }

  /** Frames not delivered yet. */
  get size(): number {
    return this.entries.length;
  }

  /** Forgets every frame not delivered yet (the socket is gone). */
  clear(): void {
    for (const entry of this.entries) if (entry.timer !== undefined) globalThis.clearTimeout(entry.timer);
    this.entries.length = 0;
  }

  private flush(): void {
    while (this.entries[0]?.ready === true) this.deliver(this.entries.shift()!.frame);
  }
}
