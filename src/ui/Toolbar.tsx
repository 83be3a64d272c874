// The toolbar: app name, Open, the display-filter bar, colouring and theme toggles.
import { forwardRef, useImperativeHandle, useRef, type ChangeEvent } from 'react';
import { useStore, openFile, setColorize, setDiagramOpen, setConversationsOpen } from './store';
import { FilterBar } from './FilterBar';
import { toggleTheme, type ResolvedTheme } from './theme';
import { useT } from './i18n';
import { ClassroomControls, ViewMenu } from './classroom/Classroom';
import { Icon } from './icons';
import { MenuButton } from './Menu';
import { analysisEntries } from './actions';
import { statisticsEntries, fileEntries } from './stats/StatsDialogs';
import { LiveControls } from './live/LiveControls';
import { EditMenu } from './PrefsDialog';
import { goEntries } from './nav/commands';
import { sampleEntries } from './classroom/samples';

export interface ToolbarHandle {
  openDialog(): void;
  focusFilter(): void;
}

export const Toolbar = forwardRef<ToolbarHandle, { resolvedTheme: ResolvedTheme }>(function Toolbar({ resolvedTheme }, ref) {
  const t = useT();
  const fileRef = useRef<HTMLInputElement>(null);
  const filterRef = useRef<HTMLInputElement>(null);
  const colorize = useStore((s) => s.colorize);
  const diagramOpen = useStore((s) => s.diagramOpen);
  const convOpen = useStore((s) => s.convOpen);
  const hasCapture = useStore((s) => s.meta !== null);

  useImperativeHandle(ref, () => ({
    openDialog: () => fileRef.current?.click(),
    focusFilter: () => {
      filterRef.current?.focus();
      filterRef.current?.select();
    },
  }));

  const onFile = (e: ChangeEvent<HTMLInputElement>) => {
    const f = e.target.files?.[0];
    if (f) openFile(f, f.name);
    e.target.value = ''; // choosing the same file again reopens it
  };

  return (
    <>
    <header className="toolbar">
      <div className="brand" aria-label="Wirelens">
        <Icon name="logo" className="brand-logo" />
        <span className="brand-name">Wirelens</span>
      </div>
      <button type="button" className="tb-btn" onClick={() => fileRef.current?.click()} title={t('toolbar.openTitle')}>
        <Icon name="open" />
        <span>{t('toolbar.open')}</span>
      </button>
      <input
        ref={fileRef}
        type="file"
        className="visually-hidden"
        accept=".pcap,.pcapng,.cap,.gz,.ntar,.dmp,application/vnd.tcpdump.pcap,application/gzip"
        aria-label={t('toolbar.openInput')}
        tabIndex={-1}
        onChange={onFile}
      />
      <LiveControls />
      <MenuButton label={t('toolbar.file')} entries={() => fileEntries(undefined, () => fileRef.current?.click())} title={t('toolbar.fileTitle')} />
      <EditMenu />
      <MenuButton label={t('toolbar.go')} entries={goEntries} title={t('toolbar.goTitle')} />
      <MenuButton label={t('toolbar.analyze')} entries={() => analysisEntries()} title={t('toolbar.analyzeTitle')} />
      <MenuButton label={t('toolbar.statistics')} entries={() => statisticsEntries()} title={t('toolbar.statisticsTitle')} />
      <ViewMenu />
      <MenuButton label={t('toolbar.samples')} entries={sampleEntries} title={t('toolbar.samplesTitle')} />
      <span className="tb-spring" aria-hidden="true" />
      <button
        type="button"
        className={`tb-btn labelled${convOpen ? ' pressed' : ''}`}
        disabled={!hasCapture}
        title={t('toolbar.conversationsTitle')}
        onClick={() => setConversationsOpen(!convOpen)}
      >
        <Icon name="conversations" />
        <span className="tb-label">{t('toolbar.conversations')}</span>
      </button>
      <button
        type="button"
        className={`tb-btn labelled${diagramOpen ? ' pressed' : ''}`}
        aria-pressed={diagramOpen}
        title={t('toolbar.diagramTitle')}
        onClick={() => setDiagramOpen(!diagramOpen)}
      >
        <Icon name="ladder" />
        <span className="tb-label">{t('toolbar.diagram')}</span>
      </button>
      <ClassroomControls />
      <span className="tb-sep" aria-hidden="true" />
      <button
        type="button"
        className={`tb-btn icon-only${colorize ? ' pressed' : ''}`}
        aria-pressed={colorize}
        aria-label={t('toolbar.colorize')}
        title={t('toolbar.colorize')}
        onClick={() => setColorize(!colorize)}
      >
        <Icon name="palette" />
      </button>
      <button
        type="button"
        className="tb-btn icon-only"
        aria-label={resolvedTheme === 'dark' ? t('toolbar.toLight') : t('toolbar.toDark')}
        title={resolvedTheme === 'dark' ? t('toolbar.toLight') : t('toolbar.toDark')}
        onClick={() => toggleTheme(resolvedTheme)}
      >
        <Icon name={resolvedTheme === 'dark' ? 'sun' : 'moon'} />
      </button>
    </header>
    {/* the display filter has a row of its own, as in Wireshark */}
    <div className="filter-row">
      <FilterBar inputRef={filterRef} />
    </div>
    </>
  );
});
