// The sequence diagram pane: the selected packet's conversation as a ladder, following the selection.
import { useEffect } from 'react';
import { useStore, selectFrameNumber, setDiagramOpen, setDiagramMax, setDiagramOptions, applyFilterText } from './store';
import { SequenceDiagram } from './diagram/SequenceDiagram';
import { Icon } from './icons';
import { useT } from './i18n';

export function DiagramPane() {
  const ladder = useStore((s) => s.ladder);
  const loading = useStore((s) => s.ladderLoading);
  const note = useStore((s) => s.ladderNote);
  const selectedFrame = useStore((s) => s.selectedFrame);
  const max = useStore((s) => s.diagramMax);
  const options = useStore((s) => s.diagramOptions);
  const hasCapture = useStore((s) => s.meta !== null);
  const applied = useStore((s) => s.appliedFilter);
  const t = useT();

  // Escape leaves the maximised view (when the focus is not in a field or menu that uses it)
  useEffect(() => {
    if (!max) return;
    const key = (e: KeyboardEvent) => {
      if (e.key !== 'Escape' || e.defaultPrevented) return;
      const t = e.target as HTMLElement | null;
      if (t?.closest('input, textarea, select, [role="menu"], [role="dialog"]')) return;
      setDiagramMax(false);
    };
    window.addEventListener('keydown', key);
    return () => window.removeEventListener('keydown', key);
  }, [max]);

  let empty: string | null = null;
  if (!ladder) {
    if (!hasCapture) empty = t('diagram.noCapture');
    else if (loading) empty = t('diagram.building');
    else if (note) empty = note;
    else empty = t('diagram.selectPacket');
  }
  const conv = ladder?.conv;

  return (
    <section className="side-pane" aria-label={t('diagram.paneLabel')}>
      <header className="side-head">
        <Icon name="ladder" className="side-head-icon" />
        <h2 className="side-title">{t('diagram.title')}</h2>
        {conv && (
          <button
            type="button"
            className={`chip-btn${applied === conv.filter ? ' on' : ''}`}
            title={t('diagram.applyFilter', { filter: conv.filter })}
            onClick={() => applyFilterText(conv.filter)}
          >
            <Icon name="filter" />
            <span className="mono">{conv.filter}</span>
          </button>
        )}
        {ladder && loading && <span className="side-busy" aria-label={t('diagram.updating')} />}
        <span className="side-spacer" />
        <button
          type="button"
          className="tb-btn icon-only small"
          aria-pressed={max}
          aria-label={max ? t('diagram.restore') : t('diagram.maximise')}
          title={max ? t('diagram.restoreTitle') : t('diagram.maximiseTitle')}
          onClick={() => setDiagramMax(!max)}
        >
          <Icon name={max ? 'restore' : 'maximize'} />
        </button>
        <button
          type="button"
          className="tb-btn icon-only small"
          aria-label={t('diagram.close')}
          title={t('diagram.closeTitle')}
          onClick={() => setDiagramOpen(false)}
        >
          <Icon name="clear" />
        </button>
      </header>
      {ladder && note && (
        <div className="side-note" role="note">
          {note} {t('diagram.showing', { label: ladder.conv.label })}
        </div>
      )}
      <div className="side-body">
        {ladder ? (
          <SequenceDiagram
            model={ladder.model}
            selectedFrame={selectedFrame || null}
            onSelectFrame={selectFrameNumber}
            options={options}
            onOptionsChange={setDiagramOptions}
          />
        ) : (
          <div className="pane-empty">{empty}</div>
        )}
      </div>
    </section>
  );
}
