// A floating, non-modal window (like Wireshark's dialogs): the packet list stays usable behind it.
// Moved by its title bar, resized from its corner, closed with Escape or the × button.
import { useEffect, useId, useLayoutEffect, useRef, useState, type PointerEvent, type ReactNode } from 'react';
import { Icon, type IconName } from './icons';
import { useT } from './i18n';

export interface DialogProps {
  title: string;
  icon?: IconName;
  /** extra content in the title bar, after the title */
  headerExtra?: ReactNode;
  onClose: () => void;
  children: ReactNode;
  footer?: ReactNode;
  className?: string;
  /** preferred size (px), limited to the window */
  width: number;
  height: number;
}

export function Dialog(props: DialogProps) {
  const id = useId();
  const t = useT();
  const ref = useRef<HTMLDivElement>(null);
  const [pos, setPos] = useState<{ x: number; y: number } | null>(null);
  const drag = useRef<{ dx: number; dy: number } | null>(null);
  const { onClose } = props;

  // centred in the window at first
  useLayoutEffect(() => {
    const el = ref.current;
    if (!el) return;
    const w = el.offsetWidth;
    const h = el.offsetHeight;
    setPos({ x: Math.max(8, Math.round((window.innerWidth - w) / 2)), y: Math.max(8, Math.round((window.innerHeight - h) / 2.4)) });
  }, []);

  useEffect(() => {
    const prev = document.activeElement as HTMLElement | null;
    ref.current?.focus({ preventScroll: true });
    return () => {
      // give the focus back unless it went somewhere else meanwhile
      if (prev && document.contains(prev) && (!document.activeElement || document.activeElement === document.body)) prev.focus({ preventScroll: true });
    };
  }, []);

  const onDown = (e: PointerEvent<HTMLElement>) => {
    if ((e.target as HTMLElement).closest('button, input, select, a')) return;
    const el = ref.current;
    if (!el) return;
    e.preventDefault();
    (e.currentTarget as HTMLElement).setPointerCapture(e.pointerId);
    const r = el.getBoundingClientRect();
    drag.current = { dx: e.clientX - r.left, dy: e.clientY - r.top };
  };
  const onMove = (e: PointerEvent<HTMLElement>) => {
    const d = drag.current;
    const el = ref.current;
    if (!d || !el) return;
    const x = Math.max(-el.offsetWidth + 80, Math.min(window.innerWidth - 80, e.clientX - d.dx));
    const y = Math.max(0, Math.min(window.innerHeight - 40, e.clientY - d.dy));
    setPos({ x, y });
  };
  const onUp = () => {
    drag.current = null;
  };

  return (
    <div
      ref={ref}
      className={`dialog${props.className ? ' ' + props.className : ''}`}
      role="dialog"
      aria-modal="false"
      aria-labelledby={`${id}-title`}
      tabIndex={-1}
      style={{
        width: `min(${props.width}px, calc(100vw - 16px))`,
        height: `min(${props.height}px, calc(100vh - 16px))`,
        left: pos?.x ?? 0,
        top: pos?.y ?? 0,
        opacity: pos ? undefined : 0,
      }}
      onKeyDown={(e) => {
        if (e.key === 'Escape' && !e.defaultPrevented) {
          e.preventDefault();
          e.stopPropagation();
          onClose();
        }
      }}
    >
      <header className="dialog-head" onPointerDown={onDown} onPointerMove={onMove} onPointerUp={onUp} onPointerCancel={onUp}>
        {props.icon && <Icon name={props.icon} className="dialog-icon" />}
        <h2 id={`${id}-title`} className="dialog-title">
          {props.title}
        </h2>
        <span className="dialog-spacer" />
        {props.headerExtra}
        <button type="button" className="tb-btn icon-only small" aria-label={t('dialog.close')} title={t('dialog.closeTitle')} onClick={onClose}>
          <Icon name="clear" />
        </button>
      </header>
      <div className="dialog-body">{props.children}</div>
      {props.footer && <footer className="dialog-foot">{props.footer}</footer>}
    </div>
  );
}
