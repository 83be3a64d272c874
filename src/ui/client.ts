// The page's side of the worker protocol: request/response by id, plus a stream of unsolicited
// messages (progress, loaded, late filter results).

import type { Request, RequestBody, Response } from '../worker/protocol';

export type Listener = (msg: Response) => void;

/** Request ids stay unique across workers (a new worker starts after a crash; late answers must not match). */
let nextId = 1;

/** How the e2e tests make the worker fail (only with `?test-hooks` in the page URL). */
export type TestCrashMode = 'throw' | 'oom';

export class WorkerClient {
  private readonly listeners = new Set<Listener>();
  private readonly worker: Worker;
  private dead = false;

  /** `onCrash` is called once if the worker fails (uncaught exception, allocation failure); the worker is then terminated. */
  constructor(onCrash: (message: string) => void) {
    this.worker = new Worker(new URL('../worker/capture.worker.ts', import.meta.url), {
      type: 'module',
      name: 'wirelens-capture',
    });
    const fail = (message: string) => {
      if (this.dead) return;
      this.dead = true;
      this.worker.terminate();
      onCrash(message);
    };
    this.worker.addEventListener('message', (e: MessageEvent<Response>) => {
      for (const l of this.listeners) l(e.data);
    });
    this.worker.addEventListener('error', (e) => {
      e.preventDefault();
      fail(e.message || 'the capture worker failed');
    });
    this.worker.addEventListener('messageerror', () => fail('a message from the capture worker could not be read'));
    if (testHooks()) {
      (window as unknown as { __wirelensTest?: object }).__wirelensTest = {
        crashWorker: (mode: TestCrashMode = 'throw') => this.worker.postMessage({ type: '__test-crash', mode }),
      };
    }
  }

  on(l: Listener): () => void {
    this.listeners.add(l);
    return () => this.listeners.delete(l);
  }

  /** Send a request; returns its id (responses carry it). */
  send(body: RequestBody, transfer: Transferable[] = []): number {
    const id = nextId++;
    this.worker.postMessage({ ...body, id } as Request, transfer);
    return id;
  }

  terminate(): void {
    this.worker.terminate();
  }
}

/** `?test-hooks` in the page URL: window.__wirelensTest.crashWorker(mode) makes the worker fail, for e2e tests. */
function testHooks(): boolean {
  try {
    return new URLSearchParams(location.search).has('test-hooks');
  } catch {
    return false;
  }
}
