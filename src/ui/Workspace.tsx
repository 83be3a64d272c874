// The main area: the three stacked panes on the left and, when open, the sequence diagram pane on the
// right with a draggable splitter (its width is remembered). Maximised, the diagram takes the whole area.
import { useEffect, useRef, type KeyboardEvent, type PointerEvent, type ReactNode } from 'react';
import { useStore, setDiagramWidth } from './store';
import { DiagramPane } from './DiagramPane';
import { useT } from './i18n';

const MIN_SIDE = 340;
const MIN_MAIN = 380;

export function Workspace({ children }: { children: ReactNode }) {
  const open = useStore((s) => s.diagramOpen);
  const max = useStore((s) => s.diagramMax);
  const width = useStore((s) => s.diagramWidth);
  const t = useT();
  const box = useRef<HTMLDivElement>(null);
  const drag = useRef<{ x: number; w: number; total: number } | null>(null);

  const clamp = (frac: number, total: number) => {
    if (total <= 0) return frac;
    const lo = Math.min(0.5, MIN_SIDE / total);
    const hi = Math.max(0.5, 1 - MIN_MAIN / total);
    return Math.max(lo, Math.min(hi, frac));
  };

  const onDown = (e: PointerEvent<HTMLDivElement>) => {
    e.preventDefault();
    (e.target as HTMLElement).setPointerCapture(e.pointerId);
    drag.current = { x: e.clientX, w: width, total: box.current?.clientWidth ?? 1 };
    document.body.classList.add('resizing-cols');
  };
  const onMove = (e: PointerEvent<HTMLDivElement>) => {
    const d = drag.current;
    if (!d) return;
    setDiagramWidth(clamp(d.w - (e.clientX - d.x) / d.total, d.total), false);
  };
  const onUp = (e: PointerEvent<HTMLDivElement>) => {
    const d = drag.current;
    if (!d) return;
    drag.current = null;
    document.body.classList.remove('resizing-cols');
    setDiagramWidth(clamp(d.w - (e.clientX - d.x) / d.total, d.total), true);
  };
  const onKey = (e: KeyboardEvent<HTMLDivElement>) => {
    const total = box.current?.clientWidth ?? 1;
    const step = (e.shiftKey ? 96 : 24) / total;
    if (e.key === 'ArrowLeft') setDiagramWidth(clamp(width + step, total), true);
    else if (e.key === 'ArrowRight') setDiagramWidth(clamp(width - step, total), true);
    else return;
    e.preventDefault();
  };
  useEffect(() => () => document.body.classList.remove('resizing-cols'), []);

  const side = open ? width : 0;
  return (
    <div className={`workspace${open && max ? ' diagram-max' : ''}`} ref={box}>
      <div className="workspace-main" hidden={open && max} style={{ flex: `${1 - side} 1 0px` }}>
        {children}
      </div>
      {open && !max && (
        <div
          className="vsplitter"
          role="separator"
          aria-orientation="vertical"
          aria-label={t('diagram.resize')}
          aria-valuenow={Math.round((1 - width) * 100)}
          aria-valuemin={0}
          aria-valuemax={100}
          tabIndex={0}
          title={t('pane.resizeTitle')}
          onPointerDown={onDown}
          onPointerMove={onMove}
          onPointerUp={onUp}
          onPointerCancel={onUp}
          onKeyDown={onKey}
          onDoubleClick={() => setDiagramWidth(0.42, true)}
        />
      )}
      {open && (
        <div className="workspace-side" style={{ flex: max ? '1 1 0px' : `${side} 1 0px` }}>
          <DiagramPane />
        </div>
      )}
    </div>
  );
}
