import { useEffect } from 'react';
import type { ChannelState } from '@socketboard/core';
import { createSocketHooks } from '@socketboard/react';
import { Board, CHANNELS, CHART_CHANNEL, CHART_POINTS, SeriesChart, ValueCell } from './board';
import type { Payload } from './board';
import { setReceivedCounter } from './probe';

/*
 * The same board on @socketboard/react, written the way its docs say: one provider, each cell
 * selects what it shows (default `deliver: 'frame'`), the chart reads the channel's bounded history.
 */

const { SocketProvider, useChannel, useSocket } = createSocketHooks<Record<string, Payload>>();

// The cell shows the value and records its send time, so it selects the payload (one object per
// message, like `d.v` it changes with every message: same renders as selecting `v` alone).
const selectData = (state: ChannelState<Payload>) => state.data;

function SocketboardCell({ ch }: { ch: string }) {
  const payload = useChannel(ch, { select: selectData });
  return <ValueCell ch={ch} payload={payload} />;
}

function SocketboardChart() {
  const { history } = useChannel(CHART_CHANNEL, { history: CHART_POINTS });
  return <SeriesChart data={history} />;
}

/** Reads the channel stores' message counts; renders nothing and never re-renders. */
function ReceivedCounter() {
  const { connection } = useSocket();
  useEffect(
    () =>
      setReceivedCounter(() => {
        let total = 0;
        for (const ch of CHANNELS) total += connection.channel(ch).getState().count;
        return total;
      }),
    [connection],
  );
  return null;
}

export function SocketboardApp({ url }: { url: string }) {
  return (
    <SocketProvider url={url}>
      <ReceivedCounter />
      <Board Cell={SocketboardCell} Chart={SocketboardChart} />
    </SocketProvider>
  );
}
