import type { ReactElement } from 'react';
import type { Theme } from '../theme';
import { MoonIcon, SunIcon } from './icons';

export function ThemeToggle({ theme, onToggle }: { theme: Theme; onToggle: () => void }): ReactElement {
  const next = theme === 'dark' ? 'light' : 'dark';
  return (
    <button
      type="button"
      className="demo-icon-button"
      onClick={onToggle}
      aria-label={`Switch to ${next} theme`}
      title={`Switch to ${next} theme`}
      data-theme-toggle={theme}
    >
      {theme === 'dark' ? <SunIcon /> : <MoonIcon />}
    </button>
  );
}
