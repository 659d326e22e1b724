import type { ReactElement } from 'react';
import { useChannel } from '@socketboard/react';
import type { SystemSample } from '../../shared/channels';

/**
 * A line of text computed from the newest `system` sample. `select` returns a string, so the
 * component renders only when the text changes, not on every message.
 */
export function SystemText({
  render,
  fallback = '–',
}: {
  render: (sample: SystemSample) => string;
  fallback?: string;
}): ReactElement {
  const text = useChannel('system', { select: (state) => (state.data === undefined ? fallback : render(state.data)) });
  return <>{text}</>;
}
