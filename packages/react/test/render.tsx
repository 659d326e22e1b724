import { StrictMode } from 'react';
import type { ReactNode } from 'react';
import { render } from '@testing-library/react';
import type { RenderResult } from '@testing-library/react';

/** Renders in <StrictMode>, as every component test here does by default: double effects must be harmless. */
export function renderStrict(ui: ReactNode): RenderResult {
  return render(ui, { wrapper: StrictMode });
}
