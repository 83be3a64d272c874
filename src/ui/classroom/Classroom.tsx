// Classroom controls: the View menu (projector mode, text size, theme, language, explanation panel, list style), the
// projector and play buttons with the speed, and the set-up the App runs once (keys, lesson link, the
// projector's text size as CSS variables on <html>).
import { useEffect } from 'react';
import { MenuButton, type MenuEntry } from '../Menu';
import { Icon } from '../icons';
import { LANGUAGES, currentLanguage, setLanguage, t, useT } from '../i18n';
import { useStore, setTheme, setColorize, setTcpdumpList, type ThemeChoice } from '../store';
import { useClassroom, setProjector, setFontPx, setExplainOpen, setSpeed, SPEEDS, FONT_PROJECTOR } from './state';
import { onClassroomKey, togglePlaying } from './step';
import { trackLesson } from './lesson';
import { openLegend } from '../nav/state';
import { timeFormatEntries } from '../timeFormat';
import './classroom.css';

/** Keys, lesson-link tracking and the projector's attributes on <html>. */
export function useClassroomSetup(): void {
  const projector = useClassroom((s) => s.projector);
  const fontPx = useClassroom((s) => s.fontPx);

  useEffect(() => {
    window.addEventListener('keydown', onClassroomKey, true);
    const untrack = trackLesson();
    return () => {
      window.removeEventListener('keydown', onClassroomKey, true);
      untrack();
    };
  }, []);

  useEffect(() => {
    const root = document.documentElement;
    if (projector) {
      root.dataset.projector = 'on';
      root.style.setProperty('--proj-fs', `${fontPx}px`);
      root.style.setProperty('--proj-row-h', `${Math.round(fontPx * 1.5)}px`);
      root.style.setProperty('--proj-line-h', `${Math.round(fontPx * 1.4)}px`);
    } else {
      delete root.dataset.projector;
      for (const v of ['--proj-fs', '--proj-row-h', '--proj-line-h']) root.style.removeProperty(v);
    }
  }, [projector, fontPx]);
}

const check = (on: boolean) => (on ? ('check' as const) : undefined);

export function viewEntries(): MenuEntry[] {
  const c = useClassroom.getState();
  const { theme, colorize, tcpdumpList } = useStore.getState();
  const lang = currentLanguage();
  const themes: [ThemeChoice, string][] = [
    ['system', t('view.themeSystem')],
    ['light', t('view.themeLight')],
    ['dark', t('view.themeDark')],
    ['contrast', t('view.themeContrast')],
  ];
  return [
    { label: t('view.projector'), shortcut: 'P', icon: check(c.projector) ?? 'projector', onSelect: () => setProjector(!c.projector) },
    { label: t('view.zoomIn'), shortcut: 'Ctrl +', disabled: !c.projector, onSelect: () => setFontPx(c.fontPx + 2) },
    { label: t('view.zoomOut'), shortcut: 'Ctrl −', disabled: !c.projector, onSelect: () => setFontPx(c.fontPx - 2) },
    { label: t('view.zoomReset'), shortcut: 'Ctrl 0', disabled: !c.projector, onSelect: () => setFontPx(FONT_PROJECTOR) },
    { label: t('view.explanations'), icon: check(c.explainOpen) ?? 'info', onSelect: () => setExplainOpen(!c.explainOpen) },
    { label: t('toolbar.colorize'), icon: check(colorize) ?? 'palette', onSelect: () => setColorize(!colorize) },
    { label: t('view.tcpdump'), title: t('view.tcpdumpTitle'), icon: check(tcpdumpList), onSelect: () => setTcpdumpList(!tcpdumpList) },
    { label: t('view.timeFormat'), icon: 'clock', submenu: timeFormatEntries() },
    { label: t('legend.menu'), onSelect: () => openLegend() },
    'separator',
    { heading: t('view.theme') },
    ...themes.map(([k, label]): MenuEntry => ({ label, icon: check(theme === k), onSelect: () => setTheme(k) })),
    'separator',
    { heading: t('view.language') },
    ...LANGUAGES.map((l): MenuEntry => ({ label: l.label, icon: check(lang === l.code), onSelect: () => setLanguage(l.code) })),
  ];
}

export function ViewMenu() {
  const tr = useT();
  return <MenuButton label={tr('toolbar.view')} entries={viewEntries} title={tr('toolbar.viewTitle')} />;
}

/** Projector toggle, play / stop and the speed (toolbar). */
export function ClassroomControls() {
  const tr = useT();
  const projector = useClassroom((s) => s.projector);
  const playing = useClassroom((s) => s.playing);
  const speed = useClassroom((s) => s.speed);
  const fontPx = useClassroom((s) => s.fontPx);
  const hasCapture = useStore((s) => s.meta !== null);
  return (
    <div className="classroom-controls" role="group" aria-label={tr('classroom.projector')}>
      <button
        type="button"
        className={`tb-btn icon-only${projector ? ' pressed' : ''}`}
        aria-pressed={projector}
        aria-label={tr('view.projector')}
        title={projector ? `${tr('classroom.projectorOn')} · ${tr('classroom.fontSize', { px: fontPx })}` : tr('classroom.projectorOff')}
        onClick={() => setProjector(!projector)}
      >
        <Icon name="projector" />
      </button>
      <button
        type="button"
        className={`tb-btn icon-only${playing ? ' pressed' : ''}`}
        aria-pressed={playing}
        aria-label={playing ? tr('classroom.stop') : tr('classroom.play')}
        title={`${playing ? tr('classroom.stop') : tr('classroom.play')}\n${tr('classroom.stepHint')}`}
        disabled={!hasCapture}
        onClick={togglePlaying}
      >
        <Icon name={playing ? 'stop' : 'play'} />
      </button>
      <select className="speed-select" aria-label={tr('classroom.speed')} title={tr('classroom.speed')} value={speed} onChange={(e) => setSpeed(Number(e.target.value))}>
        {SPEEDS.map((s) => (
          <option key={s} value={s}>
            ×{s}
          </option>
        ))}
      </select>
    </div>
  );
}
