// The status bar: file, packet counts, load time, a progress bar while loading, and file errors.
import { useStore, dismissNotice } from './store';
import { LiveStatus } from './live/LiveStatus';
import { useLive } from './live/live';
import { bytesSize, count, duration } from './format';
import { useT } from './i18n';

export function StatusBar() {
  const meta = useStore((s) => s.meta);
  const frames = useStore((s) => s.frames);
  const displayed = useStore((s) => s.displayed);
  const loading = useStore((s) => s.loading);
  const bytesRead = useStore((s) => s.bytesRead);
  const total = useStore((s) => s.total);
  const loadMs = useStore((s) => s.loadMs);
  const notice = useStore((s) => s.notice);
  const opening = useStore((s) => s.opening);
  const applied = useStore((s) => s.appliedFilter);
  const filtering = useStore((s) => s.filtering);
  const filterProgress = useStore((s) => s.filterProgress);
  const live = useLive((s) => s.active);
  const t = useT();

  const analysed = useStore((s) => s.analysed);
  // reading runs ahead of the first pass (dissection, analysis): once every byte is read, show the latter
  const analysing = loading && total > 0 && bytesRead >= total && analysed < frames;
  const pct = analysing
    ? Math.min(100, Math.floor((analysed / frames) * 100))
    : total > 0
      ? Math.min(100, Math.round((bytesRead / total) * 100))
      : 0;
  const share = applied && frames > 0 ? ` (${((displayed / frames) * 100).toFixed(1)}%)` : '';

  return (
    <footer className="statusbar" role="status" aria-live="polite">
      <span className={`sb-dot${notice?.kind === 'error' ? ' err' : notice ? ' warn' : loading || opening ? ' busy' : meta ? ' ok' : ''}`} aria-hidden="true" />
      {meta ? (
        <span className="sb-file" title={`${meta.name} · ${meta.format}${meta.gzip ? ' (gzip)' : ''} · ${bytesSize(meta.size)}`}>
          {meta.name}
        </span>
      ) : (
        <span className="sb-file muted">{t('status.noCapture')}</span>
      )}
      {meta && (
        <span className="sb-item sb-counts">
          {t('status.counts', { frames: count(frames), displayed: count(displayed) })}
          {share}
        </span>
      )}
      <LiveStatus />
      {loading && !live && (
        <span className="sb-item sb-progress">
          <span
            className="progress"
            role="progressbar"
            aria-label={t(analysing ? 'status.analysingLabel' : 'status.loadingLabel')}
            aria-valuemin={0}
            aria-valuemax={100}
            aria-valuenow={pct}
          >
            <span className="progress-fill" style={{ width: `${pct}%` }} />
          </span>
          {t(analysing ? 'status.analysing' : 'status.loading', { pct })}
        </span>
      )}
      {!loading && !live && loadMs !== null && <span className="sb-item muted">{t('status.loadedIn', { time: duration(loadMs) })}</span>}
      {filtering && (
        <span className="sb-item muted">
          {t('status.filtering')}{filterProgress > 0 ? ` ${Math.round(filterProgress * 100)}%` : ''}
        </span>
      )}
      {opening && <span className="sb-item muted">{t('status.opening', { name: opening })}</span>}
      {notice && (
        <span className={`sb-notice ${notice.kind}`} role={notice.kind === 'error' ? 'alert' : undefined}>
          <span className="sb-notice-icon" aria-hidden="true">
            {notice.kind === 'error' ? '✕' : '!'}
          </span>
          <span className="sb-notice-text">
            {notice.file ? `${notice.file}: ` : ''}
            {notice.message}
          </span>
          <button type="button" className="sb-notice-close" aria-label={t('status.dismiss')} onClick={dismissNotice}>
            ×
          </button>
        </span>
      )}
      <span className="sb-spacer" />
      {meta && (
        <span className="sb-item muted sb-format">
          {meta.format === 'pcap-nsec' ? 'pcap (ns)' : meta.format}
          {meta.gzip ? ' · gzip' : ''} · {bytesSize(meta.size)}
        </span>
      )}
    </footer>
  );
}
