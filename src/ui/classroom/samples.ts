// The Samples menu: the lesson captures in public/samples (made by scripts/make-samples.sh), each with the
// filter a lesson starts from.
import type { MenuEntry } from '../Menu';
import { t } from '../i18n';
import { openSample, useStore, samplesOpened } from '../store';

export interface Sample {
  file: string;
  /** i18n key stem: samples.<id>.title / samples.<id>.desc */
  id: string;
}

export const SAMPLES: readonly Sample[] = [
  { file: 'http-get.pcap', id: 'httpGet' },
  { file: 'tcp-refused.pcap', id: 'tcpRefused' },
  { file: 'udp-datagrams.pcap', id: 'udp' },
  { file: 'icmp-fragments.pcap', id: 'fragments' },
  { file: 'tcp-loss.pcap', id: 'loss' },
  { file: 'dns.pcap', id: 'dns' },
  { file: 'tls-clienthello.pcap', id: 'tls' },
  { file: 'ipv6-http.pcap', id: 'ipv6' },
];

export function sampleEntries(): MenuEntry[] {
  const s = useStore.getState();
  const shown = s.meta && samplesOpened.has(s.meta.name) ? s.meta.name : null;
  return SAMPLES.map(
    (x): MenuEntry => ({
      label: t(`samples.${x.id}.title`),
      title: t(`samples.${x.id}.desc`),
      icon: shown === x.file ? 'check' : undefined,
      disabled: !!s.opening,
      onSelect: () => void openSample(x.file, { replace: true }),
    }),
  );
}
