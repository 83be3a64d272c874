// The packet list's tcpdump style (View › tcpdump -n format): No. and the line `tcpdump -n` prints for the packet,
// in monospace. PacketList keeps its rows, selection and virtualisation; only the cells and the grid differ.
import { useRef, type CSSProperties } from 'react';
import type { RowSummary } from '../worker/protocol';
import { useT } from './i18n';

export function TcpdumpHeader({ numTitle }: { numTitle: string }) {
  const t = useT();
  return (
    <>
      <div role="columnheader" className="pcell col-num right">
        <span className="pcell-text">{numTitle}</span>
      </div>
      <div role="columnheader" className="pcell col-tcpdump">
        <span className="pcell-text">{t('list.col.tcpdump')}</span>
      </div>
    </>
  );
}

export function TcpdumpCells({ num, row }: { num: number; row: RowSummary | undefined }) {
  return (
    <>
      <div role="gridcell" className="pcell col-num right">
        {num || ''}
      </div>
      <div role="gridcell" className="pcell col-tcpdump">
        {row?.tcpdump}
      </div>
    </>
  );
}

/**
 * The grid of the tcpdump style: the No. column as wide as `numCol`, then the lines, as wide as the longest
 * line seen so far in this capture (so the list scrolls sideways instead of cutting lines off).
 */
export function useTcpdumpGrid(numCol: string, visible: readonly (RowSummary | undefined)[], generation: number): CSSProperties {
  const longest = useRef({ generation, chars: 80 });
  if (longest.current.generation !== generation) longest.current = { generation, chars: 80 };
  for (const r of visible) if (r?.tcpdump && r.tcpdump.length > longest.current.chars) longest.current.chars = r.tcpdump.length;
  return {
    ['--cols' as string]: `${numCol} minmax(calc(${longest.current.chars}ch + 16px), 1fr)`,
    ['--row-min' as string]: `calc(${numCol} + ${longest.current.chars}ch + 16px)`,
  };
}
