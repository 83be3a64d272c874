// The page's side of the worker protocol: request/response by id, plus a stream of unsolicited
// messages (progress, loaded, late filter results).

import type { Request, RequestBody, Response } from '../worker/protocol';

export type Listener = (msg: Response) => void;

export class WorkerClient {
  private nextId = 1;
  private readonly listeners = new Set<Listener>();
  private readonly worker: Worker;

  constructor(onCrash: (message: string) => void) {
    this.worker = new Worker(new URL('../worker/capture.worker.ts', import.meta.url), {
      type: 'module',
      name: 'wirelens-capture',
    });
    this.worker.addEventListener('message', (e: MessageEvent<Response>) => {
      for (const l of this.listeners) l(e.data);
    });
    this.worker.addEventListener('error', (e) => {
      e.preventDefault();
      onCrash(e.message || 'the capture worker failed');
    });
    this.worker.addEventListener('messageerror', () => onCrash('a message from the capture worker could not be read'));
  }

  on(l: Listener): () => void {
    this.listeners.add(l);
    return () => this.listeners.delete(l);
  }

  /** Send a request; returns its id (responses carry it). */
  send(body: RequestBody, transfer: Transferable[] = []): number {
    const id = this.nextId++;
    this.worker.postMessage({ ...body, id } as Request, transfer);
    return id;
  }

  terminate(): void {
    this.worker.terminate();
  }
}
