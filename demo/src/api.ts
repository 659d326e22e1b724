import { API } from '../shared/channels';
import type { ApiResult, DemoEvent, HostInfo } from '../shared/channels';

async function answer<T>(response: Response): Promise<T> {
  const body = (await response.json().catch(() => undefined)) as T | ApiResult | undefined;
  if (!response.ok) {
    const message = (body as ApiResult | undefined)?.message;
    throw new Error(message ?? `The demo server answered ${response.status} ${response.statusText}.`);
  }
  return body as T;
}

export async function getJson<T>(path: string, signal?: AbortSignal): Promise<T> {
  return answer<T>(await fetch(path, { signal, headers: { accept: 'application/json' } }));
}

export async function post(path: string, body: Record<string, unknown> = {}): Promise<ApiResult> {
  return answer<ApiResult>(
    await fetch(path, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify(body),
    }),
  );
}

export const fetchHostInfo = (signal?: AbortSignal) => getJson<HostInfo>(API.info, signal);
export const fetchRecentEvents = (signal?: AbortSignal) => getJson<DemoEvent[]>(API.events, signal);
