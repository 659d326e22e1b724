import type { ReactElement, ReactNode } from 'react';
import { ConnectionStatus, formatValue } from '@socketboard/dashboard';
import type { HostInfo } from '../../shared/channels';
import type { Theme } from '../theme';
import { LogoMark } from './icons';
import { ThemeToggle } from './theme-toggle';

const PLATFORMS: Record<string, string> = { linux: 'Linux', darwin: 'macOS', win32: 'Windows', freebsd: 'FreeBSD' };

export function describeHost(info: HostInfo): string {
  const platform = PLATFORMS[info.platform] ?? info.platform;
  const memory = formatValue(info.totalMemory, { unit: 'bytes', decimals: 0 });
  return `${platform} ${info.arch} · ${info.cores} × ${info.cpuModel} · ${memory} · Node ${info.node.replace(/^v/, '')} · ${info.broker} broker`;
}

export function Header({ theme, onToggleTheme }: { theme: Theme; onToggleTheme: () => void }): ReactElement {
  return (
    <header className="demo-header">
      <div className="demo-header__inner">
        <div className="demo-brand">
          <LogoMark />
          <span className="demo-brand__name">Socketboard</span>
          <span className="demo-brand__tag">Live demo</span>
        </div>
        <div className="demo-header__actions">
          <ConnectionStatus data-testid="connection-status" />
          <ThemeToggle theme={theme} onToggle={onToggleTheme} />
        </div>
      </div>
    </header>
  );
}

/** The page title (this machine) and the controls every host chart shares. */
export function Toolbar({ info, children }: { info: HostInfo | undefined; children: ReactNode }): ReactElement {
  return (
    <div className="demo-toolbar">
      <div className="demo-toolbar__title">
        <h1>{info === undefined ? 'This machine' : info.hostname}</h1>
        <p title={info === undefined ? undefined : describeHost(info)}>
          {info === undefined ? 'Live metrics over one WebSocket' : describeHost(info)}
        </p>
      </div>
      <div className="demo-toolbar__controls">{children}</div>
    </div>
  );
}
