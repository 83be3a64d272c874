// The Wirelens window: toolbar, the three panes, the status bar, drag-and-drop and shortcuts.
import { useEffect, useRef, useState } from 'react';
import { Toolbar, type ToolbarHandle } from './Toolbar';
import { Panes } from './Panes';
import { PacketList } from './PacketList';
import { DetailsWithExplanation } from './classroom/ExplanationPanel';
import { useClassroomSetup } from './classroom/Classroom';
import { startLesson } from './classroom/lesson';
import { useT } from './i18n';
import { BytesPane } from './BytesPane';
import { StatusBar } from './StatusBar';
import { Workspace } from './Workspace';
import { FollowDialog } from './FollowDialog';
import { ConversationsDialog } from './ConversationsDialog';
import { StatsDialogs, statsShortcut } from './stats/StatsDialogs';
import { PrefsDialog } from './PrefsDialog';
import { NavBars } from './nav/NavBars';
import { followShortcut } from './actions';
import { useResolvedTheme } from './theme';
import { connect, openFile, openSample } from './store';
import { startLiveFromLocation } from './live/live';

let sampleRequested = false;

export function App() {
  const theme = useResolvedTheme();
  const t = useT();
  useClassroomSetup();
  const toolbar = useRef<ToolbarHandle>(null);
  const [dragging, setDragging] = useState(false);

  useEffect(() => {
    connect();
    if (!sampleRequested) {
      sampleRequested = true;
      // a lesson link (#sample=…&filter=…&frame=…) opens its own capture
      // a live-capture link (#live=ws://127.0.0.1:N/TOKEN, printed by `wirelens live`) streams packets
      if (!startLiveFromLocation() && !startLesson()) void openSample();
    }
  }, []);

  // drag and drop a file anywhere on the window
  useEffect(() => {
    let depth = 0;
    const hasFiles = (e: DragEvent) => !!e.dataTransfer && Array.from(e.dataTransfer.types).includes('Files');
    const enter = (e: DragEvent) => {
      if (!hasFiles(e)) return;
      e.preventDefault();
      depth++;
      setDragging(true);
    };
    const over = (e: DragEvent) => {
      if (!hasFiles(e)) return;
      e.preventDefault();
      e.dataTransfer!.dropEffect = 'copy';
    };
    const leave = (e: DragEvent) => {
      if (!hasFiles(e)) return;
      depth = Math.max(0, depth - 1);
      if (depth === 0) setDragging(false);
    };
    const drop = (e: DragEvent) => {
      if (!hasFiles(e)) return;
      e.preventDefault();
      depth = 0;
      setDragging(false);
      const f = e.dataTransfer?.files[0];
      if (f) openFile(f, f.name);
    };
    window.addEventListener('dragenter', enter);
    window.addEventListener('dragover', over);
    window.addEventListener('dragleave', leave);
    window.addEventListener('drop', drop);
    return () => {
      window.removeEventListener('dragenter', enter);
      window.removeEventListener('dragover', over);
      window.removeEventListener('dragleave', leave);
      window.removeEventListener('drop', drop);
    };
  }, []);

  // shortcuts: Ctrl+O open, Ctrl+/ focus the filter, Ctrl+Alt+Shift+T/U follow TCP/UDP stream
  useEffect(() => {
    const key = (e: KeyboardEvent) => {
      const mod = e.ctrlKey || e.metaKey;
      if (followShortcut(e)) return;
      if (statsShortcut(e)) return;
      if (mod && !e.shiftKey && !e.altKey && e.key.toLowerCase() === 'o') {
        e.preventDefault();
        toolbar.current?.openDialog();
      } else if (mod && e.key === '/') {
        e.preventDefault();
        toolbar.current?.focusFilter();
      }
    };
    window.addEventListener('keydown', key);
    return () => window.removeEventListener('keydown', key);
  }, []);

  return (
    <div className="app">
      <Toolbar ref={toolbar} resolvedTheme={theme} />
      <NavBars />
      <Workspace>
        <Panes labels={[t('pane.list'), t('pane.details'), t('pane.bytes')]}>
          <PacketList />
          <DetailsWithExplanation />
          <BytesPane />
        </Panes>
      </Workspace>
      <StatusBar />
      <FollowDialog />
      <ConversationsDialog />
      <StatsDialogs />
      <PrefsDialog />
      {dragging && (
        <div className="drop-overlay" aria-hidden="true">
          <div className="drop-card">{t('app.drop')}</div>
        </div>
      )}
    </div>
  );
}
