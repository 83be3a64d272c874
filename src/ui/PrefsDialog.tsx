// Preferences (Edit → Preferences…, Ctrl+Shift+P): the protocol preferences that change a dissection, for now
// checksum validation of IPv4, TCP and UDP (Wireshark's ip/tcp/udp.check_checksum, off by default). OK stores
// them and dissects the capture again; the Edit menu also copies the selected tree item, as Wireshark's.
import { useEffect, useState } from 'react';
import { create } from 'zustand';
import { Dialog } from './Dialog';
import { MenuButton, type MenuEntry } from './Menu';
import { useStore, setDissectPrefs, type DissectPrefs } from './store';
import { findKey } from './tree';
import { treeMenuEntries } from './TreeMenu';
import { editNavEntries } from './nav/commands';
import { useT } from './i18n';

const usePrefsDialog = create<{ open: boolean }>(() => ({ open: false }));

export function openPreferences(): void {
  usePrefsDialog.setState({ open: true });
}

const CHECKSUMS: { key: keyof DissectPrefs; label: string; pref: string }[] = [
  { key: 'ipCheckChecksum', label: 'Validate the IPv4 checksum if possible', pref: 'ip.check_checksum' },
  { key: 'tcpCheckChecksum', label: 'Validate the TCP checksum if possible', pref: 'tcp.check_checksum' },
  { key: 'udpCheckChecksum', label: 'Validate the UDP checksum if possible', pref: 'udp.check_checksum' },
];

/** Ctrl+Shift+P opens the dialog (Wireshark's shortcut). */
function isPrefsShortcut(e: KeyboardEvent): boolean {
  return (e.ctrlKey || e.metaKey) && e.shiftKey && !e.altKey && e.key.toLowerCase() === 'p';
}

export function PrefsDialog() {
  const open = usePrefsDialog((s) => s.open);
  useEffect(() => {
    const key = (e: KeyboardEvent) => {
      if (!isPrefsShortcut(e)) return;
      e.preventDefault();
      openPreferences();
    };
    window.addEventListener('keydown', key);
    return () => window.removeEventListener('keydown', key);
  }, []);
  return open ? <PrefsWindow onClose={() => usePrefsDialog.setState({ open: false })} /> : null;
}

function PrefsWindow(props: { onClose: () => void }) {
  const saved = useStore((s) => s.dissectPrefs);
  const hasCapture = useStore((s) => s.meta !== null);
  const [draft, setDraft] = useState<DissectPrefs>(saved);
  const changed = CHECKSUMS.some((c) => draft[c.key] !== saved[c.key]);

  const ok = () => {
    if (changed) setDissectPrefs(draft);
    props.onClose();
  };

  const footer = (
    <div className="prefs-foot">
      <span className="prefs-status">{changed && hasCapture ? 'OK dissects the capture again with these settings.' : ''}</span>
      <span className="dialog-spacer" />
      <button type="button" className="btn" onClick={props.onClose}>
        Cancel
      </button>
      <button type="button" className="btn primary" onClick={ok}>
        OK
      </button>
    </div>
  );

  return (
    <Dialog title="Preferences" icon="settings" onClose={props.onClose} width={500} height={300} footer={footer} className="prefs-dialog">
      <form
        className="prefs-body"
        onSubmit={(e) => {
          e.preventDefault();
          ok();
        }}
      >
        <fieldset className="prefs-group">
          <legend>Checksum validation</legend>
          {CHECKSUMS.map((c) => (
            <label key={c.key} className="prefs-choice">
              <input type="checkbox" checked={draft[c.key]} onChange={(e) => setDraft((d) => ({ ...d, [c.key]: e.target.checked }))} />
              <span className="prefs-label">{c.label}</span>
              <code className="prefs-name">{c.pref}</code>
            </label>
          ))}
          <p className="prefs-note">
            Off by default, as in Wireshark: captures taken on the sending host often carry checksums the network card fills in later
            (checksum offload), which would all show as incorrect.
          </p>
        </fieldset>
      </form>
    </Dialog>
  );
}

/** The Edit menu: copying the selected tree item, finding and marking packets (nav/commands.ts), and Preferences. */
export function EditMenu() {
  const t = useT();
  const entries = (): MenuEntry[] => {
    const s = useStore.getState();
    const k = s.selectedKey && s.packet ? findKey(s.packet.roots, s.selectedKey) : null;
    // the tree menu's copy entries for the selected item (its last four)
    const copies: MenuEntry[] = k
      ? treeMenuEntries(k, s, () => undefined).slice(-4)
      : ['Copy Description', 'Copy Field Name', 'Copy Value', 'Copy as Filter'].map((label) => ({ label, disabled: true, onSelect: () => undefined }));
    return [{ heading: 'Selected tree item' }, ...copies, 'separator', ...editNavEntries(), 'separator', { label: 'Preferences…', icon: 'settings', shortcut: 'Ctrl+Shift+P', onSelect: openPreferences }];
  };
  return <MenuButton label={t('toolbar.edit')} entries={entries} title={t('toolbar.editTitle')} />;
}
