type Subscribe = (listener: () => void) => () => void;

/**
 * Wraps a store's `subscribe` so its listener runs at most once per `intervalMs`: at once after a
 * quiet period, then once at the end of a burst. For readers that show seconds of a value that
 * changes per message (a channel's `lastMessageAt`).
 */
export function throttleSubscribe(subscribe: Subscribe, intervalMs: number): Subscribe {
  return (listener) => {
    let last = -Infinity;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const fire = () => {
      timer = undefined;
      last = Date.now();
      listener();
    };
    const unsubscribe = subscribe(() => {
      if (timer !== undefined) return;
      const wait = last + intervalMs - Date.now();
      if (wait <= 0) fire();
      else timer = setTimeout(fire, wait);
    });
    return () => {
      unsubscribe();
      if (timer !== undefined) clearTimeout(timer);
    };
  };
}
