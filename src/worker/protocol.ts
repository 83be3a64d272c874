// The message protocol between the page and the capture worker: requests carry an id, responses echo it.
// Everything here is structured-clone friendly (plain objects, typed arrays, Blobs).

import type { RowSummary } from '../core/summary';
import type { TimeFormat } from '../core/time';
import type { CustomColumn } from '../core/output/columns';
import type { LadderModel } from '../core/analysis/ladder-types';
import type { ConvTables } from '../core/analysis/conversations';
import type { StatsQuery, StatsResult, ExportQuery, ExportResult } from './stats';
import type { Episode } from '../core/analysis/episodes';
import type { Prefs } from '../core/dissect/session';
import type { FindAnswer, FindDirection, FindFrom, FindQuery } from './find';

export type { RowSummary, LadderModel, ConvTables };
export type { FindAnswer, FindDirection, FindFrom, FindMatch, FindQuery, FindScope } from './find';

/** A conversation the sequence diagram or Follow shows. */
export interface ConvRef {
  kind: 'tcp' | 'udp' | 'icmp';
  /** tcp.stream / udp.stream (not for ICMP) */
  stream?: number;
  /** the display filter selecting it */
  filter: string;
  /** 'a ⇄ b' */
  label: string;
}

/** Which conversation: the one of a frame, or a TCP/UDP stream by index. */
export type ConvTarget = { frame: number } | { kind: 'tcp' | 'udp'; stream: number };

/** Follow TCP/UDP stream: the chunks' bytes are in one buffer (transferred). */
export interface FollowPayload {
  proto: 'tcp' | 'udp';
  stream: number;
  filter: string;
  /** [client (node 0), server (node 1)] as 'addr:port'; null when the stream has no packets */
  nodes: [string, string] | null;
  /** per chunk: frame, direction (0 = client → server), where its bytes are in `data`, and for a gap notice the missing byte count */
  chunks: { frame: number; dir: 0 | 1; start: number; len: number; missing?: number }[];
  data: Uint8Array;
  bytes: [number, number];
  packets: [number, number];
  turns: number;
  /** highest stream index of this protocol (for stepping through streams) */
  maxStream: number;
}

/** One node of the protocol tree as the page sees it (hidden items are already dropped). */
export interface TreeNode {
  label: string;
  abbrev: string;
  /** data source index (0 = the frame) */
  src: number;
  start: number;
  len: number;
  generated: boolean;
  /** the display filter "Apply as Filter" gives for this item (absent when it has none) */
  filter?: string;
  /** the value as the tree shows it, for "Copy Value" (absent when the item has none) */
  value?: string;
  children: TreeNode[] | null;
}

export interface SourceBytes {
  name: string;
  bytes: Uint8Array;
}

export interface FileErrorInfo {
  /** CaptureError kind, or 'exception' for a bug / unexpected failure */
  kind: 'not-capture' | 'cut-short' | 'bad-record' | 'unsupported' | 'exception';
  message: string;
}

export interface CaptureMeta {
  name: string;
  /** size of the (decompressed) capture in bytes */
  size: number;
  gzip: boolean;
  format: string;
  linkTypes: number[];
}

// ---------------------------------------------------------------------------------------------
// Requests (page → worker)

export type Request =
  /** Statistics (properties, protocol hierarchy, endpoints, I/O graph, TCP stream graph; see stats.ts). */
  | { id: number; type: 'stats'; query: StatsQuery }
  /** Export Specified Packets / Packet Dissections: the file's bytes come back in 'exported'. */
  | { id: number; type: 'export'; query: ExportQuery }
  /** Open a capture; the current one stays if this fails. `prefs` (checksum validation…) apply from this open on. */
  | { id: number; type: 'open'; file: Blob; name: string; prefs?: Partial<Prefs> }
  /**
   * Summaries of `count` rows of the displayed list starting at index `start` (0-based); `tcpdump` adds their
   * tcpdump lines; `time` is the Time column's format (tshark's -t letter, default 'r'); `columns` are the
   * custom columns whose texts each row carries (in `custom`, in this order).
   */
  | { id: number; type: 'rows'; start: number; count: number; tcpdump?: boolean; time?: TimeFormat; columns?: CustomColumn[] }
  /** The full tree and the data sources of one frame. */
  | { id: number; type: 'select'; frame: number }
  /** Apply a display filter ('' = show all); a newer filter cancels an older one still running. */
  | { id: number; type: 'filter'; text: string }
  /** Compile a filter without applying it (for the filter bar's colour while typing). */
  | { id: number; type: 'check'; text: string }
  /** Cancel a running request (only filters are long-running). */
  | { id: number; type: 'cancel'; target: number }
  /** The sequence diagram of a conversation (its frames dissected with only the fields the ladder needs). */
  | { id: number; type: 'ladder'; target: ConvTarget }
  /** Follow TCP/UDP stream: of the stream of `frame`, or stream `stream`. */
  | { id: number; type: 'follow'; kind: 'tcp' | 'udp'; frame?: number; stream?: number }
  /** The episodes (handshake, close, reset, retransmission, IP fragmentation) frame `frame` takes part in. */
  | { id: number; type: 'episodes'; frame: number }
  /** Live capture: open a WebSocket to the `wirelens live` bridge and show its pcap stream as it arrives. */
  | { id: number; type: 'live-open'; url: string; name: string }
  /** Stop the live capture (the socket is closed; what was received stays). */
  | { id: number; type: 'live-stop' }
  /** The current capture's frames as a pcapng file (answered with 'saved'). */
  | { id: number; type: 'save' }
  /** The conversation tables (computed once per capture in slices; progress is reported). */
  | { id: number; type: 'conversations' }
  /** Every protocol and field name of the registry (for the filter bar's autocomplete). */
  | { id: number; type: 'fields' }
  /**
   * Find Packet / Next Packet in Conversation: the next (or previous) displayed packet matching `query` from
   * `from` on (null = from the first or last packet), wrapping round once; a newer find or a cancel stops it.
   */
  | { id: number; type: 'find'; query: FindQuery; from: FindFrom | null; dir: FindDirection };

export type RequestType = Request['type'];

// ---------------------------------------------------------------------------------------------
// Responses (worker → page)

export type Response =
  /** A statistics answer; `complete` is false while the capture is still loading. */
  | { id: number; type: 'stats'; generation: number; result: StatsResult; complete: boolean }
  /** Progress of a statistics or export request over the frames (`loading`: more frames are coming). */
  | { id: number; type: 'stats-progress'; generation: number; done: number; total: number; loading: boolean }
  | { id: number; type: 'exported'; generation: number; result: ExportResult }
  /** The file is a capture; loading starts. `generation` identifies this capture in later messages. */
  | { id: number; type: 'opened'; generation: number; view: number; meta: CaptureMeta; filterText: string }
  /** Loading progress of the open request `id`; sent after each slice. */
  | {
      id: number;
      type: 'progress';
      generation: number;
      frames: number;
      displayed: number;
      bytesRead: number;
      total: number;
      /** frames the first pass (dissection, analysis) has been through; it follows the reading */
      analysed?: number;
    }
  /**
   * Loading finished (or stopped at an error: frames before it stay).
   * `displayedFrames` is the complete displayed list when a filter is active, else null (= all).
   */
  | {
      id: number;
      type: 'loaded';
      generation: number;
      frames: number;
      displayed: number;
      bytesRead: number;
      total: number;
      ms: number;
      error: FileErrorInfo | null;
      displayedFrames: Uint32Array | null;
    }
  /** `view` names the displayed list the indices refer to (it changes on open and on each new filter). */
  | {
      id: number;
      type: 'rows';
      generation: number;
      view: number;
      start: number;
      rows: RowSummary[];
      /** decimals the capture's timestamps carry (6 for µs, 9 for ns) */
      timeDigits: number;
      /** the rows carry their tcpdump lines (the request asked for them) */
      tcpdump?: boolean;
      /** the format of the rows' timeText */
      time: TimeFormat;
      /** customColumnsKey of the custom columns the rows carry ('' for none) */
      columnsKey: string;
    }
  | { id: number; type: 'packet'; generation: number; frame: number; tree: TreeNode[]; sources: SourceBytes[] }
  /** the tree of `frame` needs the first pass, still far behind it (at `analysed`): 'packet' follows once it is there */
  | { id: number; type: 'packet-waiting'; generation: number; frame: number; analysed: number }
  /**
   * The displayed frames for filter `text` (null when the filter is empty = all frames).
   * `complete` is false while the capture is still loading: later `progress`/`loaded` extend it.
   */
  | {
      id: number;
      type: 'filtered';
      generation: number;
      view: number;
      text: string;
      frames: Uint32Array | null;
      displayed: number;
      complete: boolean;
      ms: number;
    }
  /** Progress of filter request `id` over the frames already loaded (sent after each slice until it is done). */
  | { id: number; type: 'filtering'; tested: number; total: number }
  | { id: number; type: 'checked'; text: string; result: FilterCheck }
  /** The registry's protocols and fields (answer to 'fields'). */
  | { id: number; type: 'fields'; fields: FieldInfo[] }
  /**
   * The ladder model of the conversation asked for (null with a `reason` when the frame is in none).
   * `frame` echoes a { frame } target (0 otherwise).
   */
  | { id: number; type: 'ladder'; generation: number; frame: number; conv: ConvRef | null; model: LadderModel | null; reason?: string }
  | { id: number; type: 'follow'; generation: number; result: FollowPayload | null; reason?: string }
  | { id: number; type: 'episodes'; generation: number; frame: number; episodes: Episode[] }
  /** Progress of a conversations request over the frames read so far. */
  | { id: number; type: 'conversations-progress'; generation: number; done: number; total: number }
  /** `frames` = frames counted; complete once the capture is fully read. */
  | { id: number; type: 'conversations'; generation: number; tables: ConvTables; frames: number; complete: boolean; ms: number }
  /** The state of live capture `id` (the live-open request); `bytes` received so far. */
  | { id: number; type: 'live'; state: LiveState; message: string; bytes: number; iface?: string; filter?: string }
  /** The capture as a pcapng file. */
  | { id: number; type: 'saved'; generation: number; data: Uint8Array; frames: number }
  /** The answer to a find request: `searched` of the `total` frames a whole search visits were tested. */
  | { id: number; type: 'found'; generation: number; answer: FindAnswer; searched: number; total: number; ms: number }
  /** Progress of find request `id` (sent after each slice until it has its answer). */
  | { id: number; type: 'find-progress'; searched: number; total: number }
  /** The request was superseded (e.g. a newer filter) or cancelled. */
  | { id: number; type: 'cancelled' }
  /** The request failed; for an open, the previous capture is still there. */
  | { id: number; type: 'error'; request: RequestType; error: FileErrorInfo };

/** A protocol or field as the filter bar's autocomplete lists it. */
export interface FieldInfo {
  abbrev: string;
  /** the display name ("Source Port") */
  name: string;
  /** Wireshark's type name ("Unsigned integer (2 bytes)", "Protocol") */
  type: string;
  /** the short description (blurb), when the field has one */
  description?: string;
  /** value names accepted as literals (value_string), when the field has them */
  values?: string[];
}

/** connecting → live → stopped (by the user) | ended (the bridge finished) | broken (the stream failed) */
export type LiveState = 'connecting' | 'live' | 'stopped' | 'ended' | 'broken';

export type FilterCheck =
  | { ok: true; warnings: string[] }
  | { ok: false; message: string; start: number; end: number };

export type ResponseOf<T extends RequestType> = T extends 'open'
  ? Extract<Response, { type: 'opened' }>
  : T extends 'rows'
    ? Extract<Response, { type: 'rows' }>
    : T extends 'select'
      ? Extract<Response, { type: 'packet' }>
      : T extends 'filter'
        ? Extract<Response, { type: 'filtered' }>
        : T extends 'check'
          ? Extract<Response, { type: 'checked' }>
          : T extends 'ladder'
            ? Extract<Response, { type: 'ladder' }>
            : T extends 'follow'
              ? Extract<Response, { type: 'follow' }>
              : T extends 'conversations'
                ? Extract<Response, { type: 'conversations' }>
                : T extends 'fields'
                  ? Extract<Response, { type: 'fields' }>
                  : never;

/** Distributive Omit over the request union (keeps each variant's own fields). */
export type RequestBody = Request extends infer R ? (R extends Request ? Omit<R, 'id'> : never) : never;
