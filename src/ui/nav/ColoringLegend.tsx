// View › Coloring Rules: the legend of the packet list's colours — each of Wireshark's default rules with its
// name, colours (a sample row drawn as the list draws it) and display filter, in the order they are tried, the
// rule the selected packet matched marked; and the switch that turns colouring off.
import { Dialog } from '../Dialog';
import { useT } from '../i18n';
import { useStore, rows, setColorize } from '../store';
import { COLOR_RULES } from '../../core/coloring';
import { openLegend } from './state';

export function ColoringLegend() {
  const t = useT();
  const colorize = useStore((s) => s.colorize);
  const frame = useStore((s) => s.selectedFrame);
  const index = useStore((s) => s.selectedIndex);
  useStore((s) => s.rowsVersion); // the selected row's colour arrives with the rows
  const row = index >= 0 ? rows.get(index) : undefined;
  // the rule of the selected row (undefined: not known yet, or the row could not be dissected)
  const matched = row && row.num === frame ? row.color : undefined;

  let status: string;
  if (!frame) status = t('legend.noSelection');
  else if (matched === undefined) status = t('legend.unknown', { n: frame });
  else if (matched < 0) status = t('legend.noRule', { n: frame });
  else status = t('legend.matched', { n: frame, rule: COLOR_RULES[matched]!.name });

  const footer = (
    <div className="legend-foot">
      <label className="nav-check">
        <input type="checkbox" checked={colorize} onChange={(e) => setColorize(e.target.checked)} />
        {t('toolbar.colorize')}
      </label>
      <span className="legend-status" aria-live="polite">
        {status}
      </span>
    </div>
  );

  return (
    <Dialog title={t('legend.title')} icon="palette" onClose={() => openLegend(false)} width={900} height={620} footer={footer} className="legend-dialog">
      <p className="legend-intro">{t('legend.intro')}</p>
      <div className="legend-wrap">
        <table className="stats-table legend-table" aria-label={t('legend.title')}>
          <thead>
            <tr>
              <th scope="col" className="legend-num">#</th>
              <th scope="col">{t('legend.name')}</th>
              <th scope="col">{t('legend.colors')}</th>
              <th scope="col">{t('legend.filter')}</th>
            </tr>
          </thead>
          <tbody className="colorize">
            {COLOR_RULES.map((r, i) => (
              <tr key={r.name} className={i === matched ? 'legend-matched' : undefined} aria-current={i === matched ? 'true' : undefined}>
                <td className="legend-num">{i + 1}</td>
                <th scope="row" className="legend-name">
                  {r.name}
                  {i === matched && <span className="legend-badge">{t('legend.selected')}</span>}
                </th>
                <td>
                  {/* the row sample uses the list's own rule styles, so it looks as the list does in this theme */}
                  <span className="prow ruled legend-sample" style={{ ['--rule-bg' as string]: r.bg, ['--rule-fg' as string]: r.fg }}>
                    {t('legend.sample')}
                  </span>
                  <span className="legend-hex mono" title={t('legend.hexTitle')}>
                    {r.bg} / {r.fg}
                  </span>
                </td>
                <td className="legend-filter mono">{r.filter}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </Dialog>
  );
}
