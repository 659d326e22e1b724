import { useEffect, useState } from 'react';
import type { HostInfo } from '../shared/channels';
import { fetchHostInfo } from './api';

/** The machine's fixed facts from `GET /api/info`; undefined until loaded (or when the server has no such API). */
export function useHostInfo(): HostInfo | undefined {
  const [info, setInfo] = useState<HostInfo>();
  useEffect(() => {
    const abort = new AbortController();
    fetchHostInfo(abort.signal).then(setInfo, () => {
      // A foreign server (?socket=…) has no API: the page shows what the channels tell.
    });
    return () => abort.abort();
  }, []);
  return info;
}
