// The ladder as Mermaid `sequenceDiagram` text: both hosts as participants, one message per packet,
// state changes as notes beside the lifelines and phases as notes across both.

import { arrowLabel, badgeInfo } from './ladder-labels';
import { TCP_ACK, TCP_FIN, TCP_RST, TCP_SYN, type LadderModel, type SeqMode } from './ladder-types';

/** Mermaid reads `#` as the start of an entity code and `;` as a statement end; `<`/`>` may be taken as HTML. */
export function mermaidEscape(s: string): string {
  return s.replace(/[#;<>]/g, (c) => `#${c.charCodeAt(0)};`).replace(/\s+/g, ' ').trim();
}

export interface MermaidOptions {
  seqMode?: SeqMode;
  /** only rows [from, to) */
  from?: number;
  to?: number;
  /** state notes (default true) */
  states?: boolean;
}

export function toMermaid(model: LadderModel, opts: MermaidOptions = {}): string {
  const seqMode = opts.seqMode ?? 'relative';
  const from = Math.max(0, opts.from ?? 0);
  const to = Math.min(model.rows.length, opts.to ?? model.rows.length);
  const withStates = opts.states ?? true;
  const [c, s] = model.endpoints;
  const ids = ['C', 'S'] as const;
  const lines: string[] = [];
  const first = model.rows[from];
  const last = model.rows[to - 1];
  const what = model.stream !== undefined ? `${model.transport.toUpperCase()} stream ${model.stream}` : model.transport.toUpperCase();
  lines.push('sequenceDiagram');
  lines.push(`    %% Wirelens: ${what}${first && last ? `, frames ${first.frame}-${last.frame}` : ''}`);
  lines.push(`    participant C as ${mermaidEscape(`${c.label} (client)`)}`);
  lines.push(`    participant S as ${mermaidEscape(`${s.label} (server)`)}`);
  const ctx = { isn: model.isn, endpoints: model.endpoints };
  if (withStates && from === 0 && model.transport === 'tcp') {
    const [ic, is] = model.initialStates;
    const q = model.statesAssumed ? '?' : '';
    if (ic) lines.push(`    Note left of C: ${ic}${q}`);
    if (is) lines.push(`    Note right of S: ${is}${q}`);
  }
  let phase: string | null = null;
  for (let i = from; i < to; i++) {
    const row = model.rows[i]!;
    const p = row.packet;
    if (row.phase && row.phase !== phase) {
      const ph = model.phases.find((b) => b.first <= i && i <= b.last);
      if (ph) lines.push(`    Note over C,S: ${mermaidEscape(ph.label)}`);
    }
    phase = row.phase;
    const l = arrowLabel(p, row.from, ctx, seqMode);
    const pureAck = p.transport === 'tcp' && (p.flags & (TCP_SYN | TCP_FIN | TCP_RST)) === 0 && (p.flags & TCP_ACK) !== 0 && !p.len;
    const arrow = p.transport === 'tcp' && p.flags & TCP_RST ? '-x' : pureAck ? '-->>' : '->>';
    const badges = (p.badges ?? []).map((b) => `[${badgeInfo(b).name}]`).join(' ');
    const text = [`${p.frame}.`, l.head, l.fields, l.extra ? `| ${l.extra}` : '', badges].filter(Boolean).join(' ');
    lines.push(`    ${ids[row.from]}${arrow}${ids[1 - row.from]}: ${mermaidEscape(text)}`);
    if (withStates) {
      if (row.changed[0] && row.states[0]) lines.push(`    Note left of C: ${row.states[0]}`);
      if (row.changed[1] && row.states[1]) lines.push(`    Note right of S: ${row.states[1]}`);
    }
  }
  return lines.join('\n') + '\n';
}
