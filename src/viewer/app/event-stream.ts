/**
 * Server-sent events read with `fetch` (an EventSource cannot send the bearer token): calls
 * `onEvent(name, data)` per event, reconnects after a drop with a growing delay (1 s … 30 s) and
 * calls `onOpen` at each (re)connection, so that the caller re-reads what it may have missed.
 */
import { authHeaders } from './api.js';

export interface EventStreamOptions {
  readonly path: string;
  readonly onEvent: (name: string, data: string) => void;
  readonly onOpen?: () => void;
  readonly onError?: (message: string) => void;
  readonly signal: AbortSignal;
}

export function openEventStream(options: EventStreamOptions): void {
  let delayMs = 1000;
  const run = async (): Promise<void> => {
    while (!options.signal.aborted) {
      try {
        const response = await fetch(options.path, {
          headers: { ...authHeaders(), accept: 'text/event-stream' },
          signal: options.signal,
        });
        if (!response.ok || !response.body) throw new Error(`events: ${response.status}`);
        delayMs = 1000;
        options.onOpen?.();
        await readEvents(response.body, options.onEvent);
      } catch (e) {
        if (options.signal.aborted) return;
        options.onError?.(e instanceof Error ? e.message : String(e));
      }
      await new Promise((resolve) => setTimeout(resolve, delayMs));
      delayMs = Math.min(30_000, delayMs * 2);
    }
  };
  void run();
}

async function readEvents(
  body: ReadableStream<Uint8Array>,
  onEvent: (name: string, data: string) => void,
): Promise<void> {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return;
    buffer += decoder.decode(value, { stream: true });
    let end: number;
    while ((end = buffer.indexOf('\n\n')) >= 0) {
      const block = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      let name = 'message';
      const data: string[] = [];
      for (const line of block.split('\n')) {
        if (line.startsWith('event:')) name = line.slice(6).trim();
        else if (line.startsWith('data:')) data.push(line.slice(5).trimStart());
      }
      if (data.length > 0) onEvent(name, data.join('\n'));
    }
  }
}
