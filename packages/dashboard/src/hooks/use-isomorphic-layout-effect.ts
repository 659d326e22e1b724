import { useEffect, useLayoutEffect } from 'react';

// Layout timing in the browser (state is in place before paint); effects never run on the server, where
// React 18 would warn about useLayoutEffect.
export const useIsomorphicLayoutEffect = typeof document === 'undefined' ? useEffect : useLayoutEffect;
