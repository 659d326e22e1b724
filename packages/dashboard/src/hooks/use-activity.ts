import { useEffect } from 'react';
import type { RefObject } from 'react';

/** Something that can stop rendering while unseen, such as a {@link LiveSource}. */
export interface Activatable {
  setActive(active: boolean): void;
}

/**
 * Tells `target` whether the element is worth rendering: on screen (IntersectionObserver) and in a
 * visible tab (`document.visibilityState`). No state and no re-render of its own: the target keeps
 * buffering while inactive and publishes once it is active again. Without IntersectionObserver
 * (SSR, old browsers, jsdom) the element counts as on screen.
 */
export function useActivity(ref: RefObject<Element | null>, target: Activatable): void {
  useEffect(() => {
    const element = ref.current;
    const doc = typeof document === 'undefined' ? undefined : document;
    let onScreen = true;
    let tabVisible = doc?.visibilityState !== 'hidden';
    const apply = () => target.setActive(onScreen && tabVisible);
    apply();
    let observer: IntersectionObserver | undefined;
    if (element !== null && typeof IntersectionObserver === 'function') {
      observer = new IntersectionObserver((entries) => {
        const entry = entries[entries.length - 1];
        if (entry === undefined) return;
        onScreen = entry.isIntersecting;
        apply();
      });
      observer.observe(element);
    }
    const onVisibility = () => {
      tabVisible = doc?.visibilityState !== 'hidden';
      apply();
    };
    doc?.addEventListener('visibilitychange', onVisibility);
    return () => {
      observer?.disconnect();
      doc?.removeEventListener('visibilitychange', onVisibility);
    };
  }, [ref, target]);
}
