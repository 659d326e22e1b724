import { useState } from 'react';
import type { ReactElement } from 'react';
import {
  ConnectionBanner,
  ConnectionHealthPanel,
  EventLog,
  HealthTracker,
  LastUpdated,
  LatencyChart,
  PauseToggle,
  ThroughputChart,
  TimeWindowSelect,
} from '@socketboard/dashboard';
import { SocketProvider } from '@socketboard/react';
import { ChaosPanel } from './components/chaos-panel';
import { FirehosePanel } from './components/firehose-panel';
import { Header, Toolbar } from './components/header';
import { CoresChart, DEFAULT_WINDOW_MS, GaugesCard, HOST_CHARTS, HostChart, WINDOWS } from './components/host-charts';
import type { ChartControls } from './components/host-charts';
import { KpiCards } from './components/kpi-cards';
import { DEMO_CONNECTION_OPTIONS, socketTarget } from './connection';
import { useTheme } from './theme';
import { useEventFeed } from './use-event-feed';
import { useFirehoseStats } from './use-firehose-stats';
import { useHostInfo } from './use-host-info';
import { useReports } from './use-reports';

function Events({ className }: { className: string }): ReactElement {
  const items = useEventFeed();
  return (
    <EventLog
      className={className}
      title="Events"
      items={items}
      height={300}
      noDataText="Nothing happened yet"
      data-testid="event-log"
    />
  );
}

function Dashboard({ socketUrl, foreign }: { socketUrl: string; foreign: boolean }): ReactElement {
  const info = useHostInfo();
  const [theme, toggleTheme] = useTheme();
  const [windowMs, setWindowMs] = useState(DEFAULT_WINDOW_MS);
  const [paused, setPaused] = useState(false);
  const controls: ChartControls = { windowMs, onWindowChange: setWindowMs, paused, onPausedChange: setPaused };
  const firehose = useFirehoseStats();
  useReports(firehose.receivedPerSec);
  return (
    <div className="demo">
      <Header theme={theme} onToggleTheme={toggleTheme} />
      <main className="demo-main">
        <Toolbar info={info}>
          <LastUpdated channel="system" className="demo-hide-small" />
          <TimeWindowSelect options={WINDOWS} value={windowMs} onValueChange={setWindowMs} />
          <PauseToggle paused={paused} onPausedChange={setPaused} />
        </Toolbar>
        <ConnectionBanner className="demo-banner" graceMs={2_000} />
        <KpiCards />
        <div className="demo-grid">
          <HostChart chart={HOST_CHARTS.cpu} controls={controls} className="demo-span-7" data-testid="cpu-chart" />
          <ConnectionHealthPanel title="Connection" className="demo-span-5 demo-health" data-testid="health-panel">
            <HealthTracker title="Uptime" blockMs={5_000} count={36} />
          </ConnectionHealthPanel>

          <CoresChart controls={controls} className="demo-span-4" />
          <HostChart chart={HOST_CHARTS.memory} controls={controls} className="demo-span-4" />
          <ChaosPanel disabled={foreign} className="demo-span-4" />

          <HostChart chart={HOST_CHARTS.network} controls={controls} className="demo-span-4" />
          <HostChart chart={HOST_CHARTS.eventLoop} controls={controls} className="demo-span-4" />
          <FirehosePanel stats={firehose} disabled={foreign} className="demo-span-4" />

          <LatencyChart className="demo-span-4" height={170} defaultWindowMs={60_000} />
          <ThroughputChart className="demo-span-4" height={170} defaultWindowMs={60_000} />
          <GaugesCard className="demo-span-4" />

          <Events className="demo-span-12" />
        </div>
      </main>
      <footer className="demo-footer">
        Socketboard demo · page <code>demo/src</code> · server <code>demo/server</code> · socket{' '}
        <code>{socketUrl}</code>
      </footer>
    </div>
  );
}

export function App(): ReactElement {
  const [{ url, foreign }] = useState(() => socketTarget(window.location));
  return (
    <SocketProvider url={url} {...DEMO_CONNECTION_OPTIONS}>
      <Dashboard socketUrl={url} foreign={foreign} />
    </SocketProvider>
  );
}
