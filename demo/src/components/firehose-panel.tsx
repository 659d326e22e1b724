import { useState } from 'react';
import type { ReactElement } from 'react';
import { formatValue, Sparkline, TimeWindowSelect } from '@socketboard/dashboard';
import type { TimeWindowOption } from '@socketboard/dashboard';
import { useChannel } from '@socketboard/react';
import { API } from '../../shared/channels';
import { post } from '../api';
import type { FirehoseStats } from '../use-firehose-stats';
import { Card } from './card';

// A segmented radio group is a radio group whatever it picks: the kit's time window control serves for rates too.
const RATES: readonly TimeWindowOption[] = [
  { value: 0, label: 'Off' },
  { value: 100, label: '100' },
  { value: 1_000, label: '1k' },
  { value: 5_000, label: '5k' },
  { value: 10_000, label: '10k' },
  { value: 20_000, label: '20k' },
];

const perSec = (value: number | undefined) => formatValue(value, { unit: 'msgps' });

function Stat({ label, value, sub }: { label: string; value: string; sub?: ReactElement | string }) {
  return (
    <div className="sb-stat">
      <dt className="sb-stat__label">{label}</dt>
      <dd className="sb-stat__body">
        <span className="sb-stat__value">{value}</span>
        {sub !== undefined && <span className="sb-stat__sub">{sub}</span>}
      </dd>
    </div>
  );
}

/** Sets the server's firehose rate (`POST /api/firehose`) and shows what arrives. */
export function FirehosePanel({
  stats,
  disabled,
  className,
}: {
  stats: FirehoseStats;
  disabled: boolean;
  className?: string;
}): ReactElement {
  const server = useChannel('system', { select: (state) => state.data?.firehose });
  const [asked, setAsked] = useState<number>();
  const [error, setError] = useState<string>();
  // The server is the source of truth (every viewer shares its firehose); a pending choice shows meanwhile.
  const rate = asked ?? server?.rate ?? 0;
  const choose = (value: number) => {
    setAsked(value);
    setError(undefined);
    post(API.firehose, { rate: value }).then(
      () => setAsked(undefined),
      (failure: Error) => {
        setAsked(undefined);
        setError(failure.message);
      },
    );
  };
  return (
    <Card
      title="Firehose"
      description="Messages per second on one channel, batched every 50 ms"
      className={`demo-firehose ${className ?? ''}`}
      data-testid="firehose-panel"
    >
      <TimeWindowSelect
        className="demo-firehose__rates"
        aria-label="Firehose rate, messages per second"
        options={RATES}
        value={rate}
        onValueChange={choose}
        disabled={disabled}
      />
      <dl className="sb-stats demo-firehose__stats">
        <Stat
          label="Received"
          value={perSec(stats.receivedPerSec)}
          sub={
            <Sparkline
              data={stats.history}
              width={110}
              height={18}
              decorative
              aria-hidden="true"
              className="demo-firehose__spark"
            />
          }
        />
        <Stat label="Sent" value={perSec(server?.sentPerSec)} sub="by the server" />
        <Stat label="Delay" value={formatValue(stats.delayMs, { unit: 'ms', decimals: 1 })} sub="publish → onMessage" />
        <Stat
          label="Missed"
          value={formatValue(stats.missed, { unit: 'none', decimals: 0 })}
          sub={`of ${formatValue(stats.total, { unit: 'short' })} received`}
        />
      </dl>
      {error !== undefined && (
        <p className="demo-note demo-note--error" role="alert">
          {error}
        </p>
      )}
      <p className="demo-note">
        Counted in <code>onMessage</code>: nothing renders per message. Missed: seq gaps that the replay buffer (1 000
        messages per channel) could not fill after a reconnect.
      </p>
    </Card>
  );
}
