import { createContext, useCallback, useContext, useEffect, useMemo, useRef, useState } from 'react';
import type { ReactNode } from 'react';
import { Board, CHART_CHANNEL, CHART_POINTS, SeriesChart, ValueCell } from './board';
import type { Payload } from './board';
import { openBoardSocket } from './board-socket';

/*
 * The baseline: the context-and-useState socket provider most apps start with. Every message is a
 * setState on the provider (a new object of all channels), so every consumer re-renders on every
 * message of any channel; the chart copies its series per message. Kept deliberately ordinary.
 */

type MessageListener = (ch: string, data: Payload) => void;

interface SocketContextValue {
  readonly messages: Readonly<Record<string, Payload>>;
  readonly onMessage: (listener: MessageListener) => () => void;
}

const SocketContext = createContext<SocketContextValue>({ messages: {}, onMessage: () => () => {} });

function NaiveSocketProvider({ url, children }: { url: string; children: ReactNode }) {
  const [messages, setMessages] = useState<Record<string, Payload>>({});
  const listeners = useRef(new Set<MessageListener>());

  useEffect(() => {
    const ws = openBoardSocket(url, (ch, data) => {
      setMessages((m) => ({ ...m, [ch]: data }));
      for (const listener of listeners.current) listener(ch, data);
    });
    return () => ws.close();
  }, [url]);

  const onMessage = useCallback((listener: MessageListener) => {
    listeners.current.add(listener);
    return () => void listeners.current.delete(listener);
  }, []);
  const value = useMemo(() => ({ messages, onMessage }), [messages, onMessage]);
  return <SocketContext.Provider value={value}>{children}</SocketContext.Provider>;
}

function NaiveCell({ ch }: { ch: string }) {
  const { messages } = useContext(SocketContext);
  return <ValueCell ch={ch} payload={messages[ch]} />;
}

function NaiveChart() {
  const { onMessage } = useContext(SocketContext);
  const [history, setHistory] = useState<Payload[]>([]);
  useEffect(
    () =>
      onMessage((ch, data) => {
        if (ch === CHART_CHANNEL) setHistory((h) => [...h.slice(-(CHART_POINTS - 1)), data]);
      }),
    [onMessage],
  );
  return <SeriesChart data={history} />;
}

export function NaiveApp({ url }: { url: string }) {
  return (
    <NaiveSocketProvider url={url}>
      <Board Cell={NaiveCell} Chart={NaiveChart} />
    </NaiveSocketProvider>
  );
}
