// The drawing of the ladder as a small tree of SVG elements (no DOM, no React), built for a window of
// rows. The live view renders it with React; export serializes the same tree to SVG text, so what you
// see is what you export.

import {
  arrowLabel,
  badgeInfo,
  durationText,
  rowIndexOfFrame,
  secondsText,
  visibleRows,
  type LadderModel,
  type PhaseKind,
  type SeqMode,
  type TcpState,
  type TimeMode,
} from '../../core/analysis/ladder';

export interface SNode {
  /** element name */
  t: string;
  /** attributes in SVG spelling ('stroke-width', 'class', 'data-frame') */
  a?: Record<string, string | number | undefined>;
  c?: (SNode | string)[];
  /** React key */
  k?: string | number;
}

export interface Geometry {
  width: number;
  headerH: number;
  /** right edge of the frame-number column */
  numX: number;
  /** right edge of the time labels; the axis line is at axisX */
  timeX: number;
  axisX: number;
  clientX: number;
  serverX: number;
  /** the phase brackets' line */
  bracketX: number;
  /** phase names beside the brackets (dropped when the view is narrow; they stay in tooltips) */
  phaseLabels: boolean;
}

export const HEADER_H = 62;
const MAX_LANE = 980;

/**
 * Zone widths, widest first: the full layout, a compact one (narrower columns), and a narrow one that
 * drops the phase names. The first whose lane reaches its minimum is used.
 */
const ZONES = [
  { left: 132, chip: 122, bracket: 168, minLane: 300, phaseLabels: true },
  { left: 112, chip: 104, bracket: 156, minLane: 220, phaseLabels: true },
  { left: 108, chip: 100, bracket: 20, minLane: 140, phaseLabels: false },
] as const;

/** Horizontal positions for a given width: time axis left, lifelines, phase brackets right. */
export function geometry(width: number): Geometry {
  let z: (typeof ZONES)[number] = ZONES[ZONES.length - 1]!;
  for (const c of ZONES) {
    if (width - c.left - c.chip * 2 - c.bracket - 8 >= c.minLane) {
      z = c;
      break;
    }
  }
  const left = z.left; // numbers + times
  let lane = width - left - z.chip * 2 - z.bracket - 8;
  lane = Math.max(z.minLane, Math.min(MAX_LANE, lane));
  const used = left + z.chip * 2 + z.bracket + lane;
  const extra = Math.max(0, width - used - 8);
  // spare width is shared on both sides: the drawing stays centred
  const shift = Math.round(extra * 0.5);
  const axisX = left + shift;
  const clientX = axisX + z.chip;
  const serverX = clientX + lane;
  return {
    width,
    headerH: HEADER_H,
    numX: axisX - Math.max(72, Math.round(left * 0.64)),
    timeX: axisX - 10,
    axisX,
    clientX,
    serverX,
    bracketX: serverX + z.chip + (z.phaseLabels ? 10 : 4),
    phaseLabels: z.phaseLabels,
  };
}

export interface SceneOptions {
  width: number;
  timeMode: TimeMode;
  seqMode: SeqMode;
  /** the window of layout y drawn below the header */
  viewTop: number;
  viewHeight: number;
  selectedFrame: number | null;
  /** draw hit areas and keyboard-selection marks (the live view) */
  interactive: boolean;
  /** rows range override (export of the whole diagram draws every row) */
  rows?: [number, number];
}

export const STATE_CLASS: Record<TcpState, string> = {
  CLOSED: 'st-closed',
  LISTEN: 'st-listen',
  SYN_SENT: 'st-syn',
  SYN_RECEIVED: 'st-syn',
  ESTABLISHED: 'st-est',
  FIN_WAIT_1: 'st-active',
  FIN_WAIT_2: 'st-active',
  CLOSING: 'st-active',
  TIME_WAIT: 'st-active',
  CLOSE_WAIT: 'st-passive',
  LAST_ACK: 'st-passive',
};
const stateClass = (s: TcpState | null) => (s ? STATE_CLASS[s] : 'st-unknown');

const PHASE_CLASS: Record<PhaseKind, string> = {
  handshake: 'ph-handshake',
  data: 'ph-data',
  release: 'ph-release',
  reset: 'ph-reset',
};

// approximate text widths (px) for layout decisions
const MONO_W = 0.62;
const UI_W = 0.56;
const LABEL_FS = 11.5;
const MONO_FS = 11;
const CHIP_FS = 10;

const r1 = (v: number) => Math.round(v * 10) / 10;

function truncate(s: string, maxChars: number): string {
  if (s.length <= maxChars) return s;
  return s.slice(0, Math.max(1, maxChars - 1)) + '…';
}

/** One state chip beside a lifeline: right-aligned to x when `alignRight`, else left-aligned. */
function chip(x: number, y: number, text: string, cls: string, alignRight: boolean, extraClass = '', title?: string): SNode {
  const w = Math.ceil(text.length * CHIP_FS * MONO_W + 12);
  const h = 17;
  const x0 = alignRight ? x - w : x;
  const c: SNode[] = [
    { t: 'rect', a: { x: r1(x0), y: r1(y - h / 2), width: w, height: h, rx: 4, class: 'ld-chip-bg' } },
    { t: 'text', a: { x: r1(x0 + w / 2), y: r1(y + 3.6), class: 'ld-chip-text', 'text-anchor': 'middle' }, c: [text] },
  ];
  if (title) c.unshift({ t: 'title', c: [title] });
  return { t: 'g', a: { class: `ld-chip ${cls}${extraClass ? ' ' + extraClass : ''}` }, c };
}

/** The band that follows arrow i and its label, from lifeline to lifeline (with the time label when `withAxis`). */
function bandPoints(model: LadderModel, i: number, g: Geometry, o: SceneOptions, yOff: number, withAxis: boolean): string {
  const row = model.rows[i]!;
  const L = model.layouts[o.timeMode];
  const c2s = row.from === 0;
  const ys = L.ySend[i]! + yOff;
  const yr = L.yRecv[i]! + yOff;
  const yc = L.yCap[i]! + yOff;
  const ly = c2s ? ys : yr;
  const ry = c2s ? yr : ys;
  const p = row.packet;
  const above = (p.app || (p.flags & 0x002 && p.options)) ? 34 : 22;
  const pts: [number, number][] = [
    [g.clientX - 14, ly - above],
    [g.serverX + 14, ry - above],
    [g.serverX + 14, ry + 9],
    [g.clientX - 14, ly + 9],
  ];
  if (withAxis) pts.push([g.axisX + 6, yc + 9], [g.numX - 30, yc + 9], [g.numX - 30, yc - 11], [g.axisX + 6, yc - 11]);
  return pts.map(([x, y]) => `${r1(x)},${r1(y)}`).join(' ');
}

/** The highlight of the selected row: a band along its arrow and a pill behind its time label. */
function selectionNode(model: LadderModel, i: number, g: Geometry, o: SceneOptions, yOff: number): SNode {
  const yc = model.layouts[o.timeMode].yCap[i]! + yOff;
  return {
    t: 'g',
    k: 'sel',
    a: { class: 'ld-selection' },
    c: [
      { t: 'polygon', a: { points: bandPoints(model, i, g, o, yOff, false), class: 'ld-selband' } },
      { t: 'rect', a: { x: g.numX - 24, y: r1(yc - 10), width: g.timeX - g.numX + 32, height: 19, rx: 9.5, class: 'ld-selpill' } },
    ],
  };
}

/** Drawing of row i (one <g data-frame>): selection band, time tick, arrow, label, badges, state chips. */
export function rowNode(model: LadderModel, i: number, g: Geometry, o: SceneOptions, yOff: number): SNode {
  const row = model.rows[i]!;
  const L = model.layouts[o.timeMode];
  const p = row.packet;
  const ys = L.ySend[i]! + yOff;
  const yr = L.yRecv[i]! + yOff;
  const yc = L.yCap[i]! + yOff;
  const c2s = row.from === 0;
  const x1 = c2s ? g.clientX : g.serverX;
  const x2 = c2s ? g.serverX : g.clientX;
  const label = arrowLabel(p, row.from, model, o.seqMode);
  const sel = o.selectedFrame === row.frame;
  const f = p.flags;
  const kind =
    p.transport !== 'tcp'
      ? 'k-data'
      : f & 0x004
        ? 'k-rst'
        : f & 0x003
          ? 'k-ctl'
          : (p.len ?? 0) > 0
            ? 'k-data'
            : 'k-ack';
  const badges = p.badges ?? [];
  const worst = badges.map((b) => badgeInfo(b).tone).find((t) => t === 'bad' || t === 'zero' || t === 'dup' || t === 'ooo');
  const kids: SNode[] = [];
  kids.push({ t: 'title', c: [label.title + `\nclient: ${row.states[0] ?? '—'}, server: ${row.states[1] ?? '—'}`] });

  const lane = g.serverX - g.clientX;
  if (o.interactive) kids.push({ t: 'polygon', a: { points: bandPoints(model, i, g, o, yOff, true), class: 'ld-hit' } });
  // time axis: frame number and capture time
  kids.push({ t: 'line', a: { x1: g.axisX - 5, y1: r1(yc), x2: g.axisX, y2: r1(yc), class: 'ld-tick' } });
  kids.push({ t: 'text', a: { x: g.numX, y: r1(yc + 3.8), class: 'ld-num', 'text-anchor': 'end' }, c: [String(row.frame)] });
  kids.push({ t: 'text', a: { x: g.timeX, y: r1(yc + 3.8), class: 'ld-time', 'text-anchor': 'end' }, c: [secondsText(p.timeSec)] });

  // the arrow
  const ang = Math.atan2(yr - ys, x2 - x1);
  const head = 9;
  const hx = x2 - Math.cos(ang) * head;
  const hy = yr - Math.sin(ang) * head;
  const px = Math.sin(ang) * 4.2;
  const py = -Math.cos(ang) * 4.2;
  const arrowCls = `ld-arrow ${c2s ? 'd-c2s' : 'd-s2c'} ${kind}${worst ? ' b-' + worst : ''}`;
  kids.push({
    t: 'g',
    a: { class: arrowCls },
    c: [
      { t: 'line', a: { x1: x1, y1: r1(ys), x2: r1(hx), y2: r1(hy), class: 'ld-line' } },
      { t: 'polygon', a: { points: `${x2},${r1(yr)} ${r1(hx + px)},${r1(hy + py)} ${r1(hx - px)},${r1(hy - py)}`, class: 'ld-head' } },
      { t: 'circle', a: { cx: x1, cy: r1(ys), r: 2.6, class: 'ld-origin' } },
    ],
  });

  // the label, along the arrow, above it. Arrows spread most at their exact end (the capture point's
  // side): next to one endpoint the labels sit nearer to it, so fanned-out bursts stay readable.
  const leftY = c2s ? ys : yr;
  const rightY = c2s ? yr : ys;
  const exactSide = model.captureSide === 'client' ? 0 : model.captureSide === 'server' ? 1 : row.from;
  const maxFieldsChars = Math.floor((lane - 60) / (MONO_FS * MONO_W));
  const headText = truncate(label.head, 40);
  const fieldsRoom = Math.max(8, maxFieldsChars - Math.ceil((headText.length * LABEL_FS * UI_W) / (MONO_FS * MONO_W)) - 2);
  const fieldsText = label.fields ? truncate(label.fields, fieldsRoom) : '';
  const extraText = label.extra ? truncate(label.extra, Math.floor((lane - 60) / (LABEL_FS * UI_W))) : '';
  const labelW = Math.max(
    headText.length * LABEL_FS * 0.62 + 7 + fieldsText.length * MONO_FS * MONO_W,
    extraText.length * (p.app ? 12 * 0.6 : 10.5 * MONO_W),
  );
  const fMin = Math.min(0.5, (labelW / 2 + 12) / lane);
  const at = Math.max(fMin, Math.min(1 - fMin, model.captureSide === 'between' ? 0.5 : exactSide === 0 ? 0.36 : 0.64));
  const mx = g.clientX + at * lane;
  const my = leftY + at * (rightY - leftY);
  const deg = (Math.atan2(rightY - leftY, lane) * 180) / Math.PI;
  const len = Math.hypot(lane, rightY - leftY);
  const labelKids: SNode[] = [
    {
      t: 'text',
      a: { x: 0, y: -6, class: 'ld-label', 'text-anchor': 'middle' },
      c: [
        { t: 'tspan', a: { class: 'ld-flags' }, c: [headText] },
        ...(fieldsText ? [{ t: 'tspan', a: { class: 'ld-fields', dx: 7 }, c: [fieldsText] } as SNode] : []),
      ],
    },
  ];
  if (extraText) {
    labelKids.push({
      t: 'text',
      a: { x: 0, y: -20, class: `ld-extra${p.app ? ' ld-app' : ''}`, 'text-anchor': 'middle' },
      c: [extraText],
    });
  }
  // analysis badges: marks on the arrow, next to its exact end
  if (badges.length) {
    const fromLeft = exactSide === 0;
    let bx = fromLeft ? -at * len + 14 : (1 - at) * len - 14;
    const marks: SNode[] = [];
    for (const b of badges) {
      const info = badgeInfo(b);
      const w = Math.ceil(info.short.length * 6.9 + 14);
      const x0 = fromLeft ? bx : bx - w;
      marks.push({
        t: 'g',
        a: { class: `ld-badge t-${info.tone}` },
        c: [
          { t: 'title', c: [info.name] },
          { t: 'rect', a: { x: r1(x0), y: -7.5, width: w, height: 15, rx: 7.5 } },
          { t: 'text', a: { x: r1(x0 + w / 2), y: 3.3, 'text-anchor': 'middle' }, c: [info.short] },
        ],
      });
      bx += fromLeft ? w + 5 : -(w + 5);
    }
    labelKids.push(...marks);
  }
  kids.push({ t: 'g', a: { class: 'ld-labelgrp', transform: `translate(${r1(mx)},${r1(my)}) rotate(${r1(deg * 100) / 100})` }, c: labelKids });

  // state chips where a state changed: at the sending end for the sender, the arriving end for the receiver
  for (const s of [0, 1] as const) {
    if (!row.changed[s]) continue;
    const st = row.states[s];
    const y = s === row.from ? ys : yr;
    const via = row.transitions.filter((t) => t.side === s).map((t) => t.to ?? '?');
    const title = `${s ? 'server' : 'client'}: ${via.length > 1 ? via.join(' → ') : st ?? 'unknown'}`;
    kids.push(chip(s ? g.serverX + 9 : g.clientX - 9, y, st ?? '?', stateClass(st), s === 0, 'ld-chip-row', title));
  }

  return {
    t: 'g',
    k: row.frame,
    a: {
      class: `ld-row${sel ? ' sel' : ''}`,
      'data-frame': row.frame,
      'data-client-state': row.states[0] ?? undefined,
      'data-server-state': row.states[1] ?? undefined,
      'aria-label': `Frame ${row.frame}: ${row.from ? 'server to client' : 'client to server'}, ${label.head}${label.fields ? ' ' + label.fields : ''}${label.extra ? ', ' + label.extra : ''}${row.states[0] ? `; client ${row.states[0]}, server ${row.states[1]}` : ''}`,
    },
    c: kids,
  };
}

/** Lifelines with their state rails (coloured by the state between changes), for rows a..b. */
function lifelines(model: LadderModel, g: Geometry, o: SceneOptions, a: number, b: number, yOff: number, y0: number, y1: number): SNode[] {
  const L = model.layouts[o.timeMode];
  const out: SNode[] = [];
  const firstY = (model.rows.length ? Math.min(L.ySend[0]!, L.yCap[0]!) : 40) - 30 + yOff;
  const top = Math.max(y0, firstY);
  const bottom = y1;
  const pinned: SNode[] = [];
  for (const s of [0, 1] as const) {
    const x = s ? g.serverX : g.clientX;
    out.push({ t: 'line', a: { x1: x, y1: r1(top), x2: x, y2: r1(bottom), class: 'ld-lifeline' } });
    if (model.transport !== 'tcp') continue;
    // state at the window's top, then each change within
    let state: TcpState | null = a > 0 ? model.rows[a - 1]!.states[s] : model.initialStates[s];
    let from = top;
    const segs: SNode[] = [];
    const push = (yEnd: number, st: TcpState | null) => {
      if (yEnd > from + 0.5 && st) {
        segs.push({ t: 'line', a: { x1: x, y1: r1(from), x2: x, y2: r1(Math.min(yEnd, bottom)), class: `ld-rail ${stateClass(st)}` } });
      }
    };
    const changes: [number, TcpState | null][] = [];
    for (let i = Math.max(0, a); i <= b && i < model.rows.length; i++) {
      const row = model.rows[i]!;
      if (row.changed[s]) changes.push([(s === row.from ? L.ySend[i]! : L.yRecv[i]!) + yOff, row.states[s]]);
    }
    changes.sort((p, q) => p[0] - q[0]);
    // scrolled into the middle: pin the state in force at the top of the view to the lifeline
    const firstChange = changes.find(([y]) => y >= top)?.[0] ?? Infinity;
    const atTop = changes.filter(([y]) => y < top).at(-1)?.[1] ?? state;
    if (o.viewTop > 60 && atTop && firstChange > top + 44) {
      pinned.push(chip(s ? x + 9 : x - 9, top + 14, atTop, stateClass(atTop), s === 0, 'ld-chip-pinned', `${s ? 'server' : 'client'} state here: ${atTop}`));
    }
    for (const [y, st] of changes) {
      if (y < top) {
        state = st;
        continue;
      }
      push(y, state);
      from = Math.max(from, y);
      state = st;
    }
    const endY = b >= model.rows.length - 1 && model.rows.length ? Math.max(L.yRecv[model.rows.length - 1]!, L.yCap[model.rows.length - 1]!) + yOff + 16 : bottom;
    push(Math.min(bottom, endY), state);
    out.push({ t: 'g', a: { class: 'ld-rails' }, c: segs });
  }
  out.push(...pinned);
  return out;
}

/** Phase brackets on the right: a bracket per phase with its name, kept in view while scrolling. */
function brackets(model: LadderModel, g: Geometry, o: SceneOptions, yOff: number, y0: number, y1: number): SNode[] {
  const L = model.layouts[o.timeMode];
  const out: SNode[] = [];
  model.phases.forEach((ph, j) => {
    const [pt, pb] = L.phaseY[j]!;
    const top = pt + yOff - 24;
    const bot = pb + yOff + 6;
    if (bot < y0 || top > y1) return;
    const x = g.bracketX;
    const cls = PHASE_CLASS[ph.kind];
    // the name sits in the middle of the bracket's visible part
    const vt = Math.max(top, y0 + 8);
    const vb = Math.min(bot, y1 - 8);
    const lines = ph.label.length > 18 ? splitLabel(ph.label) : [ph.label];
    const h = lines.length * 14;
    let ly = (vt + vb) / 2 - h / 2 + 10;
    ly = Math.max(top + 10, Math.min(bot - h + 6, ly));
    const n = ph.last - ph.first + 1;
    out.push({
      t: 'g',
      k: `ph${j}`,
      a: { class: `ld-phase ${cls}`, 'data-phase': ph.kind },
      c: [
        { t: 'rect', a: { x: g.axisX + 1, y: r1(top), width: x - g.axisX - 14, height: r1(bot - top), class: 'ld-phase-band' } },
        { t: 'path', a: { d: `M${x - 7},${r1(top)} H${x} V${r1(bot)} H${x - 7}`, class: 'ld-phase-line' } },
        ...(g.phaseLabels
          ? [
              {
                t: 'text',
                a: { x: x + 10, y: r1(ly), class: 'ld-phase-label' },
                c: lines.map((l, k) => ({ t: 'tspan', a: { x: x + 10, dy: k ? 14 : 0 }, c: [l] }) as SNode),
              } as SNode,
              { t: 'text', a: { x: x + 10, y: r1(ly + h + 1), class: 'ld-phase-count' }, c: [`${n} packet${n === 1 ? '' : 's'}`] } as SNode,
            ]
          : [{ t: 'title', c: [`${ph.label}: ${n} packet${n === 1 ? '' : 's'}`] } as SNode]),
      ],
    });
  });
  return out;
}

function splitLabel(s: string): string[] {
  const i = s.indexOf(' (');
  if (i > 0) return [s.slice(0, i), s.slice(i + 1)];
  const sp = s.lastIndexOf(' ', 18);
  return sp > 0 ? [s.slice(0, sp), s.slice(sp + 1)] : [s];
}

/** Broken-axis marks where time is shortened (proportional) or long gaps are (even). */
function breaks(model: LadderModel, g: Geometry, o: SceneOptions, yOff: number, y0: number, y1: number): SNode[] {
  const L = model.layouts[o.timeMode];
  const out: SNode[] = [];
  for (const b of L.breaks) {
    const y = b.y + yOff;
    if (y < y0 - 20 || y > y1 + 20) continue;
    const slash = (x: number) => `M${x - 5},${r1(y + 1)} L${x + 5},${r1(y - 5)} M${x - 5},${r1(y + 6)} L${x + 5},${r1(y)}`;
    // a zigzag tear across the lanes
    let zig = `M${g.axisX + 8},${r1(y)}`;
    for (let x = g.axisX + 8, k = 0; x < g.bracketX - 20; x += 8, k++) zig += ` L${x + 8},${r1(y + (k % 2 ? 0 : 3))}`;
    out.push({
      t: 'g',
      k: `br${b.row}`,
      a: { class: 'ld-break' },
      c: [
        { t: 'title', c: [`${durationText(b.gapSec)} without packets (shortened)`] },
        { t: 'path', a: { d: zig, class: 'ld-break-tear' } },
        { t: 'rect', a: { x: g.axisX - 6, y: r1(y - 6), width: 12, height: 10, class: 'ld-break-gap' } },
        { t: 'path', a: { d: slash(g.axisX), class: 'ld-break-mark' } },
        { t: 'rect', a: { x: g.clientX - 6, y: r1(y - 6), width: 12, height: 10, class: 'ld-break-gap' } },
        { t: 'path', a: { d: slash(g.clientX), class: 'ld-break-mark' } },
        { t: 'rect', a: { x: g.serverX - 6, y: r1(y - 6), width: 12, height: 10, class: 'ld-break-gap' } },
        { t: 'path', a: { d: slash(g.serverX), class: 'ld-break-mark' } },
        { t: 'text', a: { x: g.timeX, y: r1(y + 4), class: 'ld-break-label', 'text-anchor': 'end' }, c: [`≈ ${durationText(b.gapSec)}`] },
      ],
    });
  }
  return out;
}

/** The header: lifeline heads with role and address:port, the axis title and the phase column title. */
export function headerNode(model: LadderModel, g: Geometry): SNode {
  const kids: SNode[] = [{ t: 'rect', a: { x: 0, y: 0, width: g.width, height: g.headerH, class: 'ld-header-bg' } }];
  kids.push({ t: 'line', a: { x1: 0, y1: g.headerH - 0.5, x2: g.width, y2: g.headerH - 0.5, class: 'ld-header-rule' } });
  kids.push({ t: 'text', a: { x: g.numX, y: g.headerH - 14, class: 'ld-colhead', 'text-anchor': 'end' }, c: ['No.'] });
  kids.push({ t: 'text', a: { x: g.timeX, y: g.headerH - 14, class: 'ld-colhead', 'text-anchor': 'end' }, c: ['Time (s)'] });
  if (model.phases.length && g.phaseLabels) kids.push({ t: 'text', a: { x: g.bracketX + 10, y: g.headerH - 14, class: 'ld-colhead' }, c: ['Phase'] });
  for (const ep of model.endpoints) {
    const x = ep.side ? g.serverX : g.clientX;
    const text = ep.label || '—';
    const w = Math.max(150, Math.ceil(text.length * 13 * MONO_W + 32));
    kids.push({
      t: 'g',
      a: { class: `ld-head ld-head-${ep.role}` },
      c: [
        { t: 'rect', a: { x: r1(x - w / 2), y: 9, width: w, height: 44, rx: 8, class: 'ld-head-box' } },
        { t: 'text', a: { x, y: 26, class: 'ld-head-role', 'text-anchor': 'middle' }, c: [ep.role.toUpperCase()] },
        { t: 'text', a: { x, y: 44, class: 'ld-head-addr', 'text-anchor': 'middle' }, c: [text] },
      ],
    });
  }
  return { t: 'g', k: 'header', a: { class: 'ld-header' }, c: kids };
}

/** Initial state chips above the first arrow. */
function initialChips(model: LadderModel, g: Geometry, o: SceneOptions, yOff: number): SNode[] {
  if (model.transport !== 'tcp' || !model.rows.length) return [];
  const L = model.layouts[o.timeMode];
  const y = Math.min(L.ySend[0]!, L.yCap[0]!) - 30 + yOff;
  const out: SNode[] = [];
  for (const s of [0, 1] as const) {
    const st = model.initialStates[s];
    const text = (st ?? '?') + (model.statesAssumed && st ? '?' : '');
    const title = model.statesAssumed ? 'assumed: the capture starts after the connection was opened' : 'before the first packet';
    out.push(chip(s ? g.serverX + 9 : g.clientX - 9, y, text, stateClass(st), s === 0, `ld-chip-init${model.statesAssumed ? ' assumed' : ''}`, title));
  }
  return out;
}

export interface Scene {
  /** background: phases, axis, lifelines, breaks, initial states, selection (screen coordinates) */
  under: SNode;
  /** rows that may be visible */
  range: [number, number];
  /** the rows are drawn in content coordinates (rowNode with yOff = headerH) inside translate(0, rowsDy) */
  rowsDy: number;
  /** row index of the selected frame, if it is in range */
  selected: number;
  header: SNode;
}

/**
 * The scene for a window [viewTop, viewTop + viewHeight) of layout y, drawn from y = headerH down, with
 * the header on top. Rows outside the window are not built (virtualization); rows in the window are
 * built separately with `sceneRow` (they do not depend on the scroll position, so a view can keep them).
 */
export function buildScene(model: LadderModel, o: SceneOptions): Scene {
  const g = geometry(o.width);
  const L = model.layouts[o.timeMode];
  const yOff = g.headerH - o.viewTop;
  const y0 = g.headerH;
  const y1 = g.headerH + o.viewHeight;
  const [a, b] = o.rows ?? visibleRows(L, o.viewTop - 48, o.viewTop + o.viewHeight + 48);
  const kids: SNode[] = [];
  kids.push({ t: 'rect', k: 'bg', a: { x: 0, y: 0, width: o.width, height: g.headerH + o.viewHeight, class: 'ld-bg' } });
  kids.push({ t: 'g', k: 'phases', a: { class: 'ld-phases' }, c: brackets(model, g, o, yOff, y0, y1) });
  kids.push({ t: 'line', k: 'axis', a: { x1: g.axisX, y1: y0, x2: g.axisX, y2: y1, class: 'ld-axis' } });
  kids.push({ t: 'g', k: 'lifelines', a: { class: 'ld-lifelines' }, c: lifelines(model, g, o, a, b, yOff, y0, y1) });
  kids.push({ t: 'g', k: 'breaks', a: { class: 'ld-breaks' }, c: breaks(model, g, o, yOff, y0, y1) });
  if (o.viewTop < 80) kids.push({ t: 'g', k: 'init', a: { class: 'ld-init' }, c: initialChips(model, g, o, yOff) });
  let selected = -1;
  if (o.selectedFrame !== null) {
    const si = rowIndexOfFrame(model, o.selectedFrame);
    if (si >= a && si <= b) {
      selected = si;
      kids.push(selectionNode(model, si, g, o, yOff));
    }
  }
  return { under: { t: 'g', k: 'under', a: { class: 'ld-under' }, c: kids }, range: [a, b], rowsDy: -o.viewTop, selected, header: headerNode(model, g) };
}

/** Row i in content coordinates (see Scene.rowsDy). */
export function sceneRow(model: LadderModel, i: number, o: SceneOptions): SNode {
  const g = geometry(o.width);
  return rowNode(model, i, g, o, g.headerH);
}

/** The whole scene as one tree: background, rows (the selected one last, on top), header. */
export function sceneTree(model: LadderModel, o: SceneOptions, scene = buildScene(model, o)): SNode {
  const [a, b] = scene.range;
  const rows: SNode[] = [];
  for (let i = a; i <= b; i++) if (i !== scene.selected) rows.push(sceneRow(model, i, o));
  if (scene.selected >= 0) rows.push(sceneRow(model, scene.selected, o));
  return {
    t: 'g',
    a: { class: 'ld-scene' },
    c: [scene.under, { t: 'g', a: { class: 'ld-rows', transform: `translate(0,${scene.rowsDy})` }, c: rows }, scene.header],
  };
}

// ---- SVG text ----

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** Serialize a scene node to SVG markup. */
export function nodeToSvg(n: SNode | string, out: string[] = []): string[] {
  if (typeof n === 'string') {
    out.push(esc(n));
    return out;
  }
  out.push('<', n.t);
  if (n.a) {
    for (const [k, v] of Object.entries(n.a)) if (v !== undefined) out.push(' ', k, '="', esc(String(v)), '"');
  }
  if (!n.c || n.c.length === 0) {
    out.push('/>');
    return out;
  }
  out.push('>');
  for (const c of n.c) nodeToSvg(c, out);
  out.push('</', n.t, '>');
  return out;
}

/** Wrap text to lines of at most `max` characters (for the caption in exports). */
export function wrapText(s: string, max: number): string[] {
  const words = s.split(/\s+/);
  const lines: string[] = [];
  let cur = '';
  for (const w of words) {
    if (cur && cur.length + 1 + w.length > max) {
      lines.push(cur);
      cur = w;
    } else cur = cur ? cur + ' ' + w : w;
  }
  if (cur) lines.push(cur);
  return lines;
}
