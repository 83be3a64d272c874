// The packet list's columns: which, in what order, how wide, hidden or shown; remembered in localStorage.
import { create } from 'zustand';
import { BUILTIN_COLUMNS, customColumnsKey, type BuiltinColumn, type ColumnKind, type CustomColumn } from '../../core/output/columns';

export interface ListColumn {
  /** stable id: the built-in column's name, or 'f:<field>:<occurrence>' */
  id: string;
  kind: ColumnKind;
  /** a custom column's title (the field's name); built-in titles come from the message catalogue */
  title: string;
  width: number;
  /** a hidden column keeps its place and width (View › header menu › Displayed Columns shows it again) */
  hidden: boolean;
}

const LS_V1 = 'wirelens.columns.v1';
const LS = 'wirelens.columns.v2';

/** Default widths of the built-in columns, in px. */
export const BUILTIN_WIDTHS: Readonly<Record<BuiltinColumn, number>> = { num: 64, time: 96, src: 150, dst: 150, protocol: 76, length: 68, info: 420 };
const CUSTOM_WIDTH = 110;
const MIN_WIDTH = 36;

export function defaultColumns(): ListColumn[] {
  return BUILTIN_COLUMNS.map((b) => ({ id: b, kind: { builtin: b }, title: '', width: BUILTIN_WIDTHS[b], hidden: false }));
}

export function customId(c: CustomColumn): string {
  return `f:${c.field}:${c.occurrence}`;
}

/** Columns read back from storage; anything malformed gives the defaults (a v1 list of widths keeps its widths). */
export function parseStored(text: string | null, v1: string | null): ListColumn[] {
  const defaults = defaultColumns();
  try {
    if (text) {
      const v = JSON.parse(text) as unknown;
      if (!Array.isArray(v)) return defaults;
      const out: ListColumn[] = [];
      for (const x of v as Record<string, unknown>[]) {
        const width = typeof x.width === 'number' && x.width >= MIN_WIDTH && x.width < 4000 ? Math.round(x.width) : null;
        const hidden = x.hidden === true;
        if (typeof x.builtin === 'string' && (BUILTIN_COLUMNS as string[]).includes(x.builtin)) {
          const b = x.builtin as BuiltinColumn;
          if (out.some((c) => c.id === b)) continue;
          out.push({ id: b, kind: { builtin: b }, title: '', width: width ?? BUILTIN_WIDTHS[b], hidden });
        } else if (typeof x.field === 'string' && /^[A-Za-z0-9_.-]+$/.test(x.field)) {
          const c: CustomColumn = { field: x.field, occurrence: Number.isInteger(x.occurrence) ? (x.occurrence as number) : 0, resolved: x.resolved !== false };
          if (out.some((o) => o.id === customId(c))) continue;
          out.push({ id: customId(c), kind: { custom: c }, title: typeof x.title === 'string' ? x.title : x.field, width: width ?? CUSTOM_WIDTH, hidden });
        }
      }
      // a built-in column missing from the list (older storage) comes back hidden at the end
      for (const d of defaults) if (!out.some((c) => c.id === d.id)) out.push({ ...d, hidden: true });
      return out.some((c) => !c.hidden) ? out : defaults;
    }
    if (v1) {
      const w = JSON.parse(v1) as unknown;
      if (Array.isArray(w) && w.length === defaults.length && w.every((x) => typeof x === 'number' && x >= 30 && x < 4000)) {
        return defaults.map((d, i) => ({ ...d, width: w[i] as number }));
      }
    }
  } catch {
    /* storage edited by hand: defaults */
  }
  return defaults;
}

export function serialize(cols: readonly ListColumn[]): string {
  return JSON.stringify(
    cols.map((c) =>
      'builtin' in c.kind
        ? { builtin: c.kind.builtin, width: c.width, ...(c.hidden ? { hidden: true } : {}) }
        : { field: c.kind.custom.field, occurrence: c.kind.custom.occurrence, resolved: c.kind.custom.resolved, title: c.title, width: c.width, ...(c.hidden ? { hidden: true } : {}) },
    ),
  );
}

function load(): ListColumn[] {
  try {
    return parseStored(localStorage.getItem(LS), localStorage.getItem(LS_V1));
  } catch {
    return defaultColumns();
  }
}

function save(cols: readonly ListColumn[]): void {
  try {
    localStorage.setItem(LS, serialize(cols));
  } catch {
    /* private mode: not remembered */
  }
}

interface ColumnsState {
  columns: ListColumn[];
}

export const useColumns = create<ColumnsState>(() => ({ columns: load() }));

const get = () => useColumns.getState().columns;
function put(columns: ListColumn[]): void {
  useColumns.setState({ columns });
  save(columns);
}

/** The columns shown, in order. */
export function visibleColumns(cols: readonly ListColumn[]): ListColumn[] {
  return cols.filter((c) => !c.hidden);
}

/** The custom columns the rows must carry texts for, in shown order, and a key naming that list. */
export function customRequest(cols: readonly ListColumn[] = get()): { columns: CustomColumn[]; key: string } {
  const columns = visibleColumns(cols).flatMap((c) => ('custom' in c.kind ? [c.kind.custom] : []));
  return { columns, key: customColumnsKey(columns) };
}

/**
 * Apply as Column: a column of `field` (titled with its name) before Info, or after the column `after`; a
 * column of that field already there is shown again instead. Returns the column's id.
 */
export function addFieldColumn(field: string, title: string, after?: string): string {
  const c: CustomColumn = { field, occurrence: 0, resolved: true };
  const id = customId(c);
  const cols = get();
  if (cols.some((x) => x.id === id)) {
    put(cols.map((x) => (x.id === id ? { ...x, hidden: false } : x)));
    return id;
  }
  const col: ListColumn = { id, kind: { custom: c }, title, width: Math.max(CUSTOM_WIDTH, Math.min(260, title.length * 7 + 24)), hidden: false };
  let at = after ? cols.findIndex((x) => x.id === after) + 1 : cols.findIndex((x) => x.id === 'info');
  if (at <= 0) at = cols.length;
  put([...cols.slice(0, at), col, ...cols.slice(at)]);
  return id;
}

/** Remove This Column: a custom column goes; a built-in one is hidden (the last shown column stays). */
export function removeColumn(id: string): void {
  const cols = get();
  if (visibleColumns(cols).length <= 1) return;
  put(cols.flatMap((c) => (c.id !== id ? [c] : 'builtin' in c.kind ? [{ ...c, hidden: true }] : [])));
}

export function setColumnHidden(id: string, hidden: boolean): void {
  const cols = get();
  if (hidden && visibleColumns(cols).filter((c) => c.id !== id).length === 0) return;
  put(cols.map((c) => (c.id === id ? { ...c, hidden } : c)));
}

/** Move column `id` to sit before the shown column `before` (null: at the end). */
export function moveColumn(id: string, before: string | null): void {
  const cols = get();
  const col = cols.find((c) => c.id === id);
  if (!col || id === before) return;
  const rest = cols.filter((c) => c.id !== id);
  const at = before === null ? rest.length : rest.findIndex((c) => c.id === before);
  if (at < 0) return;
  put([...rest.slice(0, at), col, ...rest.slice(at)]);
}

/** Move column `id` one shown place left (−1) or right (+1). */
export function shiftColumn(id: string, dir: -1 | 1): void {
  const shown = visibleColumns(get());
  const i = shown.findIndex((c) => c.id === id);
  const j = i + dir;
  if (i < 0 || j < 0 || j >= shown.length) return;
  moveColumn(id, dir < 0 ? shown[j]!.id : (shown[j + 1]?.id ?? null));
}

/** A resize in progress (not remembered until `commit`). */
export function setColumnWidth(id: string, width: number, commit: boolean): void {
  const w = Math.max(MIN_WIDTH, Math.round(width));
  const columns = get().map((c) => (c.id === id ? { ...c, width: w } : c));
  if (commit) put(columns);
  else useColumns.setState({ columns });
}

export function setColumnResolved(id: string, resolved: boolean): void {
  put(get().map((c) => (c.id === id && 'custom' in c.kind ? { ...c, kind: { custom: { ...c.kind.custom, resolved } } } : c)));
}

export function resetColumns(): void {
  put(defaultColumns());
}
