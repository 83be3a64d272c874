// The episodes of the selected packet (handshake, close, reset, retransmission, fragmentation), asked of
// the worker whenever the selection changes while the explanation panel is open (once the capture is loaded).
import { useEffect, useState } from 'react';
import type { Episode } from '../../core/analysis/episodes';
import { useStore, workerClient } from '../store';

export function useEpisodes(enabled: boolean): { frame: number; episodes: Episode[] } {
  const frame = useStore((s) => s.selectedFrame);
  const generation = useStore((s) => s.generation);
  const loading = useStore((s) => s.loading);
  const [answer, setAnswer] = useState<{ frame: number; generation: number; episodes: Episode[] }>({ frame: 0, generation: 0, episodes: [] });

  useEffect(() => {
    // after loading: the episode may reach beyond the frames read so far, and the worker is busy reading
    if (!enabled || !frame || !generation || loading) return;
    const client = workerClient();
    let id = -1;
    const off = client.on((m) => {
      if (m.type === 'episodes' && m.id === id) setAnswer({ frame: m.frame, generation: m.generation, episodes: m.episodes });
    });
    id = client.send({ type: 'episodes', frame });
    return off;
  }, [enabled, frame, generation, loading]);

  return answer.frame === frame && answer.generation === generation ? { frame, episodes: answer.episodes } : { frame, episodes: [] };
}
