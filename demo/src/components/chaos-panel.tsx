import { useState } from 'react';
import type { ReactElement, ReactNode } from 'react';
import { API } from '../../shared/channels';
import type { ApiResult } from '../../shared/channels';
import { post } from '../api';
import { Card } from './card';
import { HourglassIcon, RestartIcon, UnplugIcon, ZapIcon } from './icons';

interface Outcome {
  readonly ok: boolean;
  readonly message: string;
  readonly at: number;
}

const STALL_SECONDS = 8;

interface Action {
  readonly id: 'drop' | 'kill' | 'stall' | 'restart';
  readonly label: string;
  readonly detail: ReactNode;
  readonly icon: ReactElement;
  readonly run: () => Promise<ApiResult>;
}

const ACTIONS: readonly Action[] = [
  {
    id: 'drop',
    label: 'Drop connections',
    detail: 'Close every socket with 1012. Clients back off, reconnect and resume.',
    icon: <UnplugIcon />,
    run: () => post(API.drop),
  },
  {
    id: 'kill',
    label: 'Kill sockets',
    detail: 'Tear down TCP without a close frame: clients see 1006.',
    icon: <ZapIcon />,
    run: () => post(API.kill),
  },
  {
    id: 'stall',
    label: `Stall ${STALL_SECONDS} s`,
    detail: 'Silence both ways. Only the heartbeat notices, within ~3 s.',
    icon: <HourglassIcon />,
    run: () => post(API.stall, { seconds: STALL_SECONDS }),
  },
  {
    id: 'restart',
    label: 'Restart server',
    detail: 'A new socket server ~1 s later, same broker: what was missed is replayed.',
    icon: <RestartIcon />,
    run: () => post(API.restart),
  },
];

/**
 * Breaks the connection on purpose, through the demo server's HTTP API (`POST /api/chaos/…`), which
 * keeps working while the socket is down. Watch the status badge, the health panel and the event log.
 */
export function ChaosPanel({ disabled, className }: { disabled: boolean; className?: string }): ReactElement {
  const [running, setRunning] = useState<Action['id']>();
  const [outcome, setOutcome] = useState<Outcome>();
  const run = (action: Action) => {
    setRunning(action.id);
    action
      .run()
      .then(
        (result) => setOutcome({ ok: result.ok, message: result.message, at: Date.now() }),
        (error: Error) => setOutcome({ ok: false, message: error.message, at: Date.now() }),
      )
      .finally(() => setRunning(undefined));
  };
  return (
    <Card
      title="Chaos"
      description="Break the link and watch it heal"
      className={`demo-chaos ${className ?? ''}`}
      data-testid="chaos-panel"
    >
      <div className="demo-chaos__actions">
        {ACTIONS.map((action) => (
          <button
            key={action.id}
            type="button"
            className="demo-action"
            data-action={action.id}
            disabled={disabled || running !== undefined}
            aria-busy={running === action.id || undefined}
            onClick={() => run(action)}
          >
            <span className="demo-action__icon">{action.icon}</span>
            <span className="demo-action__text">
              <span className="demo-action__label">{action.label}</span>
              <span className="demo-action__detail">{action.detail}</span>
            </span>
          </button>
        ))}
      </div>
      <p className="demo-chaos__outcome" role="status" data-ok={outcome === undefined ? undefined : String(outcome.ok)}>
        {disabled
          ? 'The chaos controls need the demo server’s API (the page is connected to another server).'
          : running !== undefined
            ? 'Working…'
            : outcome === undefined
              ? 'Nothing broken yet.'
              : outcome.message}
      </p>
    </Card>
  );
}
