// The capture worker: a thin shell that feeds messages to WorkerSession and yields between slices.
import { WorkerSession } from './session';
import type { Request, Response } from './protocol';

interface WorkerScope {
  postMessage(msg: unknown, transfer: Transferable[]): void;
  addEventListener(type: 'message', fn: (e: MessageEvent<Request>) => void): void;
}
const scope = self as unknown as WorkerScope;

// MessageChannel gives a macrotask without setTimeout's clamping, so queued requests (rows, select)
// are handled between load slices.
const channel = new MessageChannel();
const queue: Array<() => void> = [];
channel.port1.onmessage = () => {
  const fn = queue.shift();
  fn?.();
};

const session = new WorkerSession({
  post(msg: Response, transfer: Transferable[] = []) {
    scope.postMessage(msg, transfer);
  },
  schedule(fn) {
    queue.push(fn);
    channel.port2.postMessage(0);
  },
  now: () => performance.now(),
});

/**
 * The page's test hook (?test-hooks, see ui/client.ts) makes the worker fail on purpose: 'throw' leaves an
 * uncaught exception, 'oom' a failed allocation (what reading a huge capture into memory would do).
 */
function testCrash(mode: unknown): void {
  setTimeout(() => {
    if (mode === 'oom') {
      const hog: Uint8Array[] = [];
      hog.push(new Uint8Array(2 ** 42)); // RangeError: Array buffer allocation failed
    }
    throw new Error('test hook: an uncaught exception in the capture worker');
  });
}

scope.addEventListener('message', (e) => {
  const req = e.data;
  if ((req as { type: string }).type === '__test-crash') {
    testCrash((req as unknown as { mode: unknown }).mode);
    return;
  }
  try {
    const r = session.handle(req);
    if (r instanceof Promise) {
      r.catch((err: unknown) => {
        scope.postMessage(
          {
            id: req.id,
            type: 'error',
            request: req.type,
            error: { kind: 'exception', message: `Internal error: ${err instanceof Error ? err.message : String(err)}` },
          } satisfies Response,
          [],
        );
      });
    }
  } catch (err) {
    scope.postMessage(
      {
        id: req.id,
        type: 'error',
        request: req.type,
        error: { kind: 'exception', message: `Internal error: ${err instanceof Error ? err.message : String(err)}` },
      } satisfies Response,
      [],
    );
  }
});
