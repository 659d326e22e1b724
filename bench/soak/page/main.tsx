import { useEffect } from 'react';
import { createRoot } from 'react-dom/client';
import type { ChannelState } from '@socketboard/core';
import { createSocketHooks } from '@socketboard/react';
import { ConnectionHealthPanel, ConnectionStatus, LiveTimeSeries } from '@socketboard/dashboard';
import '../../../packages/dashboard/src/styles.css';

/*
 * A small live dashboard kept running for minutes: one provider, a value cell per channel
 * (`useChannel` with a selector), a LiveTimeSeries fed by a channel, the connection status badge and
 * the connection health panel. Every bounded buffer is sized to fill within the harness's warm-up
 * (metrics ring: 30 samples at 1 s; chart: 2 000 points, 30 s), so the samples see the steady state
 * and any growth after it is a leak. The harness reads `window.__soak`.
 */
const METRICS = { samples: 30 };

interface Payload {
  readonly v: number;
  readonly ts: number;
}

declare global {
  interface Window {
    __soak?: { received(): number; status(): string };
  }
}

const CHANNELS = Array.from({ length: 10 }, (_, i) => `c${i}`); // as the stream server is started
const params = new URLSearchParams(location.search);
const url = params.get('ws');
if (url === null) throw new Error('Open this page with ?ws=ws://…');

const { SocketProvider, useChannel, useSocket } = createSocketHooks<Record<string, Payload>>();

const selectData = (state: ChannelState<Payload>) => state.data;
const selectValue = (message: Payload) => message.v;

function Cell({ ch }: { ch: string }) {
  const payload = useChannel(ch, { select: selectData });
  return (
    <div className="cell">
      {ch}: {payload === undefined ? '–' : payload.v.toFixed(2)}
    </div>
  );
}

/** Exposes the channel stores' message counts to the harness; renders nothing. */
function Probe() {
  const { connection } = useSocket();
  useEffect(() => {
    window.__soak = {
      received: () => CHANNELS.reduce((n, ch) => n + connection.channel(ch).getState().count, 0),
      status: () => connection.store.getState().status,
    };
  }, [connection]);
  return null;
}

function App() {
  return (
    <SocketProvider url={url!} metrics={METRICS}>
      <Probe />
      <ConnectionStatus />
      <div style={{ display: 'grid', gridTemplateColumns: 'repeat(5, 120px)', gap: 4, margin: '8px 0' }}>
        {CHANNELS.map((ch) => (
          <Cell key={ch} ch={ch} />
        ))}
      </div>
      <LiveTimeSeries
        channel="c0"
        select={selectValue}
        title="c0"
        width={800}
        height={240}
        defaultWindowMs={30_000}
        retentionMs={30_000}
        capacity={2_000}
        min={0}
        max={100}
      />
      <ConnectionHealthPanel />
    </SocketProvider>
  );
}

createRoot(document.getElementById('root')!).render(<App />);
