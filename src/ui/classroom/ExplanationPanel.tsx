// The explanation panel beside the protocol tree: what the selected field means in plain language, and
// what the selected packet takes part in ("3-way handshake: #1 SYN, #2 SYN/ACK, #3 ACK").
import { useMemo } from 'react';
import { DetailsTree } from '../DetailsTree';
import { Icon } from '../icons';
import { i18n, useT, type TFunction } from '../i18n';
import { findKey } from '../tree';
import { useStore, selectFrameNumber } from '../store';
import { useClassroom, setExplainOpen } from './state';
import { explain } from './explain';
import { useEpisodes } from './episodes';
import type { Episode, EpisodeStep } from '../../core/analysis/episodes';

const exists = (key: string) => i18n.exists(key);

/** The protocol tree with the explanation panel at its right (when open). */
export function DetailsWithExplanation() {
  const open = useClassroom((s) => s.explainOpen);
  return (
    <div className="details-row">
      <DetailsTree />
      {open && <ExplanationPanel />}
    </div>
  );
}

function stepText(s: EpisodeStep, t: TFunction): string {
  if (s.flags && (s.role === 'syn' || s.role === 'syn-ack' || s.role === 'ack' || s.role === 'fin' || s.role === 'rst')) return s.flags;
  const role = t(`episode.role.${s.role}`);
  return s.flags ? `${role} (${s.flags})` : role;
}

function EpisodeView({ e, frame, t }: { e: Episode; frame: number; t: TFunction }) {
  return (
    <li className="ep">
      <div className="ep-line">
        <span className="ep-name">{t(`episode.${e.kind}`)}</span>
        {': '}
        {e.steps.map((s, i) => (
          <span key={`${s.frame}-${i}`}>
            {i > 0 && ', '}
            <button
              type="button"
              className={`ep-step${s.frame === frame ? ' current' : ''}`}
              title={t('explain.goTo', { frame: s.frame })}
              aria-current={s.frame === frame || undefined}
              onClick={() => selectFrameNumber(s.frame)}
            >
              #{s.frame} {stepText(s, t)}
            </button>
          </span>
        ))}
        {!e.complete && <span className="ep-incomplete"> {t('episode.incomplete')}</span>}
      </div>
      <p className="ep-about">{t(`episode.${e.kind}.about`)}</p>
    </li>
  );
}

export function ExplanationPanel() {
  const t = useT();
  const packet = useStore((s) => s.packet);
  const selectedKey = useStore((s) => s.selectedKey);
  const { frame, episodes } = useEpisodes(true);

  const item = useMemo(() => (packet && selectedKey ? findKey(packet.roots, selectedKey) : null), [packet, selectedKey]);
  const ex = item ? explain(item, t, exists) : null;
  const label = item?.node.label ?? '';
  const name = label.includes(': ') ? label.slice(0, label.indexOf(': ')).replace(/^[.01 ]+= /, '') : label;

  return (
    <aside className="explain" role="complementary" aria-label={t('explain.panel')}>
      <header className="explain-head">
        <Icon name="info" className="explain-icon" />
        <h2 className="explain-title">{t('explain.panel')}</h2>
        <span className="side-spacer" />
        <button type="button" className="tb-btn icon-only small" aria-label={t('explain.close')} title={t('explain.close')} onClick={() => setExplainOpen(false)}>
          <Icon name="clear" />
        </button>
      </header>
      <div className="explain-body">
        {item ? (
          <section className="explain-field" aria-label={t('explain.field')}>
            <div className="explain-fieldname">
              <span className="explain-name">{name}</span>
              {item.node.abbrev && !item.node.abbrev.startsWith('_ws.') && <code className="explain-abbrev">{item.node.abbrev}</code>}
            </div>
            {ex ? ex.paragraphs.map((p, i) => <p key={i} className={i === 0 ? 'explain-text' : 'explain-more'}>{p}</p>) : <p className="explain-empty">{t('explain.noText')}</p>}
          </section>
        ) : (
          <p className="explain-empty">{packet ? t('explain.none') : t('explain.noPacket')}</p>
        )}
        {episodes.length > 0 && (
          <section className="explain-episodes" aria-label={t('explain.episodes')}>
            <h3 className="explain-sub">{t('explain.episodes')}</h3>
            <ul className="ep-list">
              {episodes.map((e, i) => (
                <EpisodeView key={i} e={e} frame={frame} t={t} />
              ))}
            </ul>
          </section>
        )}
      </div>
    </aside>
  );
}
