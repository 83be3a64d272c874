// The packet-list header's context menu: move, remove or hide a column, show a custom column's values
// resolved or raw, pick the displayed columns, and go back to Wireshark's default columns.
import { ContextMenu, type MenuEntry } from '../Menu';
import { useT } from '../i18n';
import { useColumns, visibleColumns, removeColumn, shiftColumn, setColumnHidden, setColumnResolved, resetColumns, type ListColumn } from './state';

export function ColumnMenu({ id, x, y, onClose }: { id: string; x: number; y: number; onClose: () => void }) {
  const t = useT();
  const cols = useColumns((s) => s.columns);
  const shown = visibleColumns(cols);
  const i = shown.findIndex((c) => c.id === id);
  const col = shown[i];
  const title = (c: ListColumn) => ('builtin' in c.kind ? t(`list.col.${c.kind.builtin}`) : c.title);
  const entries: MenuEntry[] = [];
  if (col) {
    entries.push({ heading: title(col) });
    if ('custom' in col.kind) {
      const custom = col.kind.custom;
      entries.push({ label: t('columns.resolved'), checkbox: true, checked: custom.resolved, title: custom.field, onSelect: () => setColumnResolved(id, !custom.resolved) });
    }
    entries.push(
      { label: t('columns.moveLeft'), disabled: i <= 0, onSelect: () => shiftColumn(id, -1) },
      { label: t('columns.moveRight'), disabled: i >= shown.length - 1, onSelect: () => shiftColumn(id, 1) },
      { label: t('columns.remove'), disabled: shown.length <= 1, onSelect: () => removeColumn(id) },
      'separator',
    );
  }
  entries.push(
    {
      label: t('columns.displayed'),
      submenu: cols.map((c) => ({
        label: title(c),
        checkbox: true,
        checked: !c.hidden,
        disabled: !c.hidden && shown.length <= 1,
        onSelect: () => setColumnHidden(c.id, !c.hidden),
      })),
    },
    { label: t('columns.reset'), onSelect: resetColumns },
  );
  return <ContextMenu x={x} y={y} label={t('columns.menu')} entries={entries} onClose={onClose} />;
}
